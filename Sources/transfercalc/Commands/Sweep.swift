import ArgumentParser
import Foundation
import TransferAlloc

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
            throw ValidationError("sweep writes csv, json or markdown; --format html is for allocate and whatif")
        }
        if outputs.format == .xlsx {
            throw ValidationError("sweep writes csv, json or markdown; --format xlsx is for allocate")
        }
        do {
            _ = try SweepRange(parsing: vary, name: FlagName.vary)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        try Terminal.run {
            let range = try SweepRange(parsing: vary, name: FlagName.vary)
            let sweep = try TransferAlloc.Sweep(request: try inputs.request(), range: range)
            Terminal.warn(sweep.warnings)
            let report = SweepReport(sweep, language: outputs.lang)
            let bytes: [UInt8] = switch outputs.format {
            case .csv: report.longCSV(excel: outputs.excel)
            case .json: Array(report.json.utf8)
            case .markdown, .html, .xlsx: Array(report.markdown.utf8)
            }
            if let summary {
                try AtomicFile.write(Array(report.summaryCSV(excel: outputs.excel).utf8), to: summary)
            }
            if let path = outputs.output {
                try AtomicFile.write(bytes, to: path)
            } else {
                // The long table can be 100 MB: written from the array itself, no copy; a full
                // disk is an error, not a trap.
                try Terminal.writeOutput(bytes)
            }
        }
    }
}
