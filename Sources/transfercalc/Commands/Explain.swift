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
            let explanation = try CountyExplanation(allocation, code: code.trimmedUnicode)
            Terminal.warn(allocation.warnings)
            try Terminal.emit(outputs.render(explanation.document, request: request, policy: allocation.policy),
                              to: outputs.output)
        }
    }
}
