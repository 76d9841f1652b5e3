import ArgumentParser
import TransferAlloc
import TransferAllocXLSX

struct Allocate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute the allocation of every budget scenario (money to the fen, land quota).",
        discussion: "Exit status: 0 success, 1 bad data or infeasible policy, 64 bad command line.")

    @OptionGroup var inputs: InputOptions
    @OptionGroup var outputs: OutputOptions

    func run() throws {
        try Terminal.run {
            try Terminal.refuseOverwriting(inputs: inputs.paths, outputs: [(FlagName.output, outputs.output)])
            let request = try inputs.request()
            let allocation = try request.allocate()
            Terminal.warn(allocation.warnings)
            let report = AllocationReport(allocation, language: outputs.lang, moneyUnit: outputs.moneyUnit)
            if outputs.resolvedFormat == .xlsx, let path = outputs.output {
                // OutputOptions.validate() made sure of --output: a workbook never goes to standard output.
                try AtomicFile.write(AllocationWorkbook.bytes(report), to: path)
                return
            }
            let text = switch outputs.resolvedFormat {
            case .csv, .xlsx: report.csv(excel: outputs.excel)
            case .json: report.json
            case .markdown: report.markdown
            case .table: report.text
            case .html: report.html(inputs: ReportInputs(request: request, scenarioName: FlagName.scenario))
            }
            try Terminal.emit(text, to: outputs.output)
        }
    }
}
