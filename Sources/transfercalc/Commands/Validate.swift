import ArgumentParser
import Foundation
import TransferAlloc

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the inputs and the policy and report every problem found; compute nothing.",
        discussion: """
        Problems go to standard error, one per line, each naming file, line and column; warnings about \
        suspicious but valid data too (a coefficient outside [0.5, 2], a year-on-year change over 50%, \
        settlers without a land standard). Standard output gets a summary.
        Exit status: 0 no problem (warnings allowed), 1 problems found, 64 bad command line.
        """)

    @Option(help: "Settlement table (CSV, one row per county-level unit).")
    var settlement: String

    @Option(help: "Budget table (CSV, one row per scenario). Optional.")
    var budget: String?

    @Option(help: "Policy file (JSON). Default: the built-in illustrative policy.")
    var policy: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override one policy value by dotted path (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    @Option(name: .customLong("fund-total"), help: "Money in 元, as one baseline scenario (instead of --budget).")
    var fundTotal: String?

    @Option(name: .customLong("land-quota"), help: "Land quota in the policy's unit, with --fund-total.")
    var landQuota: String?

    @Option(help: "Encoding of the CSV inputs: utf8 or gb18030. Default: detected.")
    var encoding: String?

    func validate() throws {
        if budget != nil && fundTotal != nil { throw ValidationError("give --budget or --fund-total, not both") }
        if landQuota != nil && fundTotal == nil { throw ValidationError("--land-quota goes with --fund-total; in a budget file use the land_quota column") }
        if let fundTotal, !RunRequest.isWellFormedNumber(fundTotal) {
            throw ValidationError("--fund-total \(fundTotal) is not a number; expected money in 元, e.g. 500000000")
        }
        if let landQuota, !RunRequest.isWellFormedNumber(landQuota) {
            throw ValidationError("--land-quota \(landQuota) is not a number; expected land in the policy's unit, e.g. 1234.56")
        }
        for override in overrides where !override.contains("=") || override.hasPrefix("=") {
            throw ValidationError("--set \(override) is not KEY=VALUE, e.g. --set money.weights.settled=0.7")
        }
        if let encoding, TextEncoding(name: encoding) == nil {
            throw ValidationError("--encoding \(encoding) is not known; expected utf8 or gb18030")
        }
    }

    func run() throws {
        func input(_ path: String?) -> InputValidation.Input? {
            guard let path else { return nil }
            return Result { () throws(InputError) in RunRequest.Source(name: path, bytes: try InputFile.read(path)) }
        }
        let report = InputValidation.run(
            settlement: input(settlement), budget: input(budget), policy: input(policy), overrides: overrides,
            fundTotal: fundTotal, landQuota: landQuota, encoding: encoding.flatMap(TextEncoding.init(name:)))
        Terminal.warn(report.warnings.map(\.description))
        for error in report.errors {
            FileHandle.standardError.write(Data("transfercalc: error: \(error)\n".utf8))
        }
        var out = report.summary.joined(separator: "\n")
        if !out.isEmpty { out += "\n" }
        out += "\(report.errors.count) problem(s), \(report.warnings.count) warning(s)\n"
        FileHandle.standardOutput.write(Data(out.utf8))
        if !report.isValid { throw ExitCode(1) }
    }
}
