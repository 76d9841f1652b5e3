import ArgumentParser
import TransferAlloc

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the whole derivation of one county's amount and land quota, with policy sources.",
        discussion: """
        The numbers come from the same computation as allocate. Every budget scenario is explained, \
        or only the one --scenario names.
        Exit status: 0 success, 1 bad data or infeasible policy, 64 bad command line (including an unknown --code).
        """)

    @OptionGroup var inputs: InputOptions

    @Option(help: "The county to explain (its code, as in the settlement table).")
    var code: String

    @OptionGroup var outputs: DocumentOptions

    func run() throws {
        try Terminal.run {
            try Terminal.refuseOverwriting(inputs: inputs.paths, outputs: [(FlagName.output, outputs.output)])
            let request = try inputs.request()
            let allocation = try request.allocate()
            let code = code.trimmedUnicode
            // With levels, a group's code (no county's) explains the upper stage.
            let document = allocation.table.rows.contains(where: { $0.code == code }) ? nil
                : CountyExplanation.groupDocument(allocation, code: code)
            let shown = try document ?? CountyExplanation(allocation, code: code).document
            Terminal.warn(allocation.warnings)
            try Terminal.emit(outputs.render(shown, request: request, policy: allocation.policy), to: outputs.output)
        }
    }
}
