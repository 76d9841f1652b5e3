import ArgumentParser
import TransferAlloc
import TransferAllocXLSX

struct Whatif: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Compare every budget scenario (and policy variants) with a baseline, county by county.",
        discussion: """
        Each budget row is a scenario. Rows are compared with the baseline row (--baseline, default the \
        first) or, with --against previous, with each county's prev_amount. --variant NAME:KEY=VALUE adds a \
        scenario: the baseline row under the policy with KEY=VALUE set (repeat the name for more overrides). \
        See docs/whatif.md. Exit status: 0 success, 1 bad data or infeasible policy, 64 bad command line.
        """)

    @OptionGroup var inputs: InputOptions
    @OptionGroup var outputs: OutputOptions

    @Option(help: "The budget scenario to compare with (default: the first row); also the row variants use.")
    var baseline: String?

    @Option(help: "baseline (a budget scenario) or previous (each county's prev_amount).")
    var against: WhatIfAgainst = .baseline

    @Option(name: .customLong("variant"), help: ArgumentHelp("Add a policy variant of the baseline row, e.g. w70:money.weights.settled=0.7 (repeatable; repeat a name to add overrides).", valueName: "name:key=value"))
    var variants: [String] = []

    @Option(help: "How many winners and losers to rank per scenario.")
    var top: Int = 5

    func validate() throws {
        if top < 0 { throw ValidationError("--top \(top) is negative; expected a count ≥ 0, e.g. 5") }
        do {
            _ = try PolicyVariant.parse(variants, name: FlagName.variant)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        try Terminal.run {
            try Terminal.refuseOverwriting(inputs: inputs.paths, outputs: [(FlagName.output, outputs.output)])
            let request = try inputs.request()
            let baseline: WhatIfBaseline = against == .previous ? .previousAmount(baselineRow: self.baseline)
                                                                : .scenario(self.baseline)
            let whatIf = try WhatIf(request: request, baseline: baseline, variants: try PolicyVariant.parse(variants, name: FlagName.variant),
                                    top: top)
            Terminal.warn(whatIf.warnings)
            if whatIf.comparisons.isEmpty {
                Terminal.warn(["nothing to compare: the budget has only the baseline scenario; add rows or use --variant NAME:KEY=VALUE"])
            }
            let report = WhatIfReport(whatIf, language: outputs.lang, moneyUnit: outputs.moneyUnit)
            if outputs.resolvedFormat == .xlsx, let path = outputs.output {
                // OutputOptions.validate() made sure of --output: a workbook never goes to standard output.
                try AtomicFile.write(WhatIfWorkbook.bytes(report), to: path)
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

enum WhatIfAgainst: String, ExpressibleByArgument, CaseIterable {
    case baseline, previous
}
