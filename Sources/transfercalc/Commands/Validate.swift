import ArgumentParser
import Foundation
import TransferAlloc
import TransferAllocXLSX

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the inputs and the policy and report every problem found; compute nothing.",
        discussion: """
        Problems go to standard error, one per line, each naming file, line and column; warnings about \
        suspicious but valid data too (a coefficient outside [0.5, 2], a year-on-year change over 50%, \
        settlers without a land standard). Standard output gets a summary.
        Exit status: 0 no problem (warnings allowed), 1 problems found, 64 bad command line.
        """)

    @OptionGroup var inputs: InputFileOptions

    func run() throws {
        func input(_ path: String?, kind: InputFile.Kind = .table) -> InputValidation.Input? {
            guard let path else { return nil }
            return Result { () throws(InputError) in RunRequest.Source(name: path, bytes: try InputFile.read(path, kind: kind)) }
        }
        func table(_ path: String?, sheet: String?) -> InputValidation.Input? {
            guard let path else { return nil }
            return Result { () throws(InputError) in try inputs.table(path, sheet: sheet) }
        }
        let report = InputValidation.run(
            settlement: table(inputs.settlement, sheet: inputs.sheet), budget: table(inputs.budget, sheet: inputs.budgetSheet),
            policy: input(inputs.policy, kind: .policy),
            overrides: FlagName.overrides(inputs.overrides),
            fundTotal: inputs.fundTotal.map { NamedValue(name: FlagName.fundTotal, text: $0) },
            landQuota: inputs.landQuota.map { NamedValue(name: FlagName.landQuota, text: $0) },
            encoding: inputs.textEncoding, year: inputs.policyYear)
        Terminal.warn(report.warnings.map(\.description))
        report.errors.forEach(Terminal.printError)
        var out = report.summary.joined(separator: "\n")
        if !out.isEmpty { out += "\n" }
        out += "\(report.errors.count) problem(s), \(report.warnings.count) warning(s)\n"
        do {
            try Terminal.writeOutput(Array(out.utf8))
        } catch {
            Terminal.printError(error)
            throw ExitCode(1)
        }
        if !report.isValid { throw ExitCode(1) }
    }
}
