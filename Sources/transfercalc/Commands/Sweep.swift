import ArgumentParser
import CAllocator
import Foundation
import TransferAlloc
import TransferAllocXLSX

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run one policy value (or fund_total) over a range: every county's amount at every value.",
        discussion: """
        --vary PATH=FROM:TO:STEP takes the values FROM, FROM+STEP, … ≤ TO (exact decimals). PATH is a numeric \
        policy value (money.weights.settled, money.bounds.floor_amount, land.adjustment, …) or fund_total (元). \
        Varying a weight rescales the other weights so they still sum to 1. The output has one row per value \
        per county; --summary FILE adds a per-county CSV with the range and the arc elasticity of the amount. \
        One budget row is swept: --scenario, else the first. See docs/sweep.md. \
        Exit status: 0 success, 1 bad data, policy or value, 64 bad command line.
        """)

    @OptionGroup var inputs: InputOptions
    @OptionGroup var outputs: OutputOptions

    @Option(help: ArgumentHelp("The value to vary and its range, e.g. money.weights.settled=0.5:0.9:0.05.", valueName: "path=from:to:step"))
    var vary: String

    @Option(help: "Also write the per-county summary (first, last, min, max, range, elasticity) to this CSV file.")
    var summary: String?

    func validate() throws {
        if outputs.format == .html {
            throw ValidationError("sweep writes csv, json, markdown, table or xlsx; --format html is for allocate and whatif")
        }
        do {
            _ = try SweepRange(parsing: vary, name: FlagName.vary)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        Sweep.keepFreedMemory()
        try Terminal.run {
            try Terminal.refuseOverwriting(inputs: inputs.paths, outputs: [(FlagName.output, outputs.output),
                                                                           (FlagName.summary, summary)])
            let range = try SweepRange(parsing: vary, name: FlagName.vary)
            let workbook = outputs.resolvedFormat == .xlsx
            let sweep: TransferAlloc.Sweep
            do {
                sweep = try TransferAlloc.Sweep(request: try inputs.request(), range: range,
                                                maximumRows: workbook ? SweepWorkbook.maximumRows : TransferAlloc.Sweep.maxRows)
            } catch let error as SweepTooLarge where workbook {
                try Terminal.usage("\(FlagName.vary) gives \(error.values) values × \(error.counties) counties = \(error.rowsText) rows; "
                                   + "a worksheet holds at most \(error.maximumRowsText) below its header (use a larger STEP, or --format csv)")
            }
            Terminal.warn(sweep.warnings)
            let report = SweepReport(sweep, language: outputs.lang, moneyUnit: outputs.moneyUnit)
            // The long CSV table can be 100 MB: written one swept value at a time, never whole.
            let excel = outputs.excel
            let table: Terminal.StreamedOutput = switch outputs.resolvedFormat {
            case .csv: .init(path: outputs.output) { (write) throws(InputError) in try report.writeLongCSV(excel: excel, to: write) }
            case .json: .init(path: outputs.output, bytes: Array(report.json.utf8))
            case .xlsx: .init(path: outputs.output, bytes: SweepWorkbook.bytes(report))
            case .markdown, .html: .init(path: outputs.output, bytes: Array(report.markdown.utf8))
            case .table: .init(path: outputs.output, bytes: Array(report.text.utf8))
            }
            // Both files or neither: the summary is kept only if the long table was written too.
            var files = [table]
            if let summary { files.append(.init(path: summary, bytes: Array(report.summaryCSV(excel: excel).utf8))) }
            try Terminal.emit(files)
        }
    }

    /// Each value of a sweep allocates and frees the same few hundred kilobytes per thread, which
    /// the C allocator by default hands back to the system and faults in again at the next value
    /// (10–15 % of a sweep's CPU time on 2,844 counties): it keeps up to 256 MB instead. No
    /// output depends on it.
    static func keepFreedMemory() {
        transfercalc_keep_freed_memory(256 << 20, 16 << 20)
    }
}
