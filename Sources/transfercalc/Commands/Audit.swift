import ArgumentParser
import TransferAlloc

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute one scenario and compare it with a published allocation table; infer the weights it implies.",
        discussion: """
        The published table has code and amount columns (区划代码, 分配金额), optionally land_quota (用地指标) \
        and scenario (方案). It is compared with --scenario, default the first budget row.
        Exit status: 0 consistent, 3 discrepancies found, 1 bad input or infeasible policy, 64 bad command line.
        """)

    @OptionGroup var inputs: InputOptions

    @Option(help: "The published allocation table (CSV or .xlsx: code, amount[, land_quota]).")
    var published: String

    @Option(name: .customLong("published-sheet"), help: "Worksheet of an .xlsx published table. Default: the first.")
    var publishedSheet: String?

    @Option(help: "Unit of the published amounts: yuan or wan. Default: the amount header's unit, else yuan.")
    var unit: String?

    @Option(help: "Flag a county whose published amount differs by more than this many 元. Default: one granularity unit.")
    var tolerance: String?

    @Option(name: .customLong("land-tolerance"), help: "Flag a county whose published land quota differs by more than this (policy unit). Default: 0.")
    var landTolerance: String?

    @OptionGroup var outputs: DocumentOptions

    func validate() throws {
        if let unit, FundUnit(word: unit) == nil {
            throw ValidationError("--unit \(unit) is not known; expected yuan or wan (or yi)")
        }
        for (flag, value) in [(FlagName.tolerance, tolerance), (FlagName.landTolerance, landTolerance)] {
            if let value, !RunRequest.isWellFormedNumber(value) {
                throw ValidationError("\(flag) \(value) is not a number ≥ 0")
            }
        }
    }

    func run() throws {
        var consistent = true
        try Terminal.run {
            try Terminal.refuseOverwriting(inputs: inputs.paths + [published], outputs: [(FlagName.output, outputs.output)])
            let source = try inputs.files.table(published, sheet: publishedSheet)
            let request = try inputs.request()
            let audit = try AllocationAudit.run(request: request, scenarioName: FlagName.scenario, published: source,
                                                unit: unit.flatMap(FundUnit.init(word:)), unitName: FlagName.unit,
                                                tolerance: tolerance.map { NamedValue(name: FlagName.tolerance, text: $0) },
                                                landTolerance: landTolerance.map { NamedValue(name: FlagName.landTolerance, text: $0) })
            Terminal.warn(audit.allocation.warnings)
            try Terminal.emit(outputs.render(audit.document, request: request, policy: audit.allocation.policy),
                              to: outputs.output)
            consistent = audit.isConsistent
        }
        if !consistent { throw ExitCode(3) }
    }
}
