import ArgumentParser

@main
struct TransferCalc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfercalc",
        abstract: "Split transfer payments (人钱挂钩) and land quota (人地挂钩) between counties, exactly.",
        subcommands: [Allocate.self, Explain.self, Audit.self, Validate.self, Whatif.self, Sweep.self, Aggregate.self]
    )
}
