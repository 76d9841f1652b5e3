/// What `whatif` compares against (contract §7).
public enum WhatIfBaseline: Sendable, Equatable {
    /// A budget scenario by name; nil = the first row of the budget table.
    case scenario(String?)
    /// Each county's `prev_amount` (`--against previous`).
    case previousAmount(baselineRow: String?)

    /// The budget row policy variants are computed on.
    var baselineRow: String? {
        switch self {
        case .scenario(let name), .previousAmount(let name): name
        }
    }
}

/// A what-if run: every budget scenario and every policy variant, each compared with the
/// baseline county by county.
///
///     let whatIf = try WhatIf(request: request, baseline: .scenario(nil),
///                             variants: [PolicyVariant(name: "same", overrides: ["money.weights.settled=0.8"])],
///                             top: 5)
///     whatIf.comparisons.map(\.name)   // ["fund_plus_10pct", "land_tight", "whole_yuan", "same"]
///     whatIf.comparisons[3].changeFen.allSatisfy { $0 == .zero }   // true: 0.8 is the default
///
/// The inputs are read once. Budget scenarios are computed in one `Allocation` (shares shared);
/// each variant is the baseline row computed under the run's policy plus its overrides, loaded
/// as `allocate --set` loads them and computed by the same `AllocationEngine`, so a variant's
/// numbers equal that `allocate` run's. (A variant that names other coefficient columns reads
/// the table again: which columns are coefficients is part of reading it.)
public struct WhatIf: Sendable {
    /// All budget scenarios under the run's policy.
    public let main: Allocation
    /// Index in `main.scenarios` of the baseline row.
    public let baselineIndex: Int
    public let baseline: WhatIfBaseline
    public let variants: [PolicyVariant]
    /// In output order: budget scenarios in budget order (without the baseline itself when it is
    /// the reference, or only `--scenario`'s), then variants in command-line order.
    public let comparisons: [ScenarioComparison]
    public let warnings: [String]
    /// Winners and losers ranked per scenario (and bounded counties named in text outputs).
    public let top: Int
    /// What the caller calls the policy overrides (reports show a variant's settings under it).
    public let overridesName: String

    /// Reads, checks and computes everything.
    ///
    /// - Parameters:
    ///   - request: inputs and flags as for `allocate`; `request.scenario` limits the budget rows
    ///     compared (the baseline is computed regardless).
    ///   - top: winners and losers ranked per scenario.
    /// - Throws: `UnknownScenario` for an unknown baseline or scenario, `VariantNameTaken` for a variant
    ///   named like a budget scenario — checked before any data; `InputError` (exit 1) for bad
    ///   data or policy, a variant's error naming `--variant NAME`.
    public init(request: RunRequest, baseline: WhatIfBaseline, variants: [PolicyVariant], top: Int) throws {
        let names = try WhatIf.scenarioNames(request)
        if let wanted = baseline.baselineRow, !names.contains(wanted) {
            throw UnknownScenario(.baseline, requested: wanted, source: request.budgetFile, isFundTotal: false,
                                  available: names)
        }
        if let wanted = request.scenario, !names.contains(wanted) {
            throw UnknownScenario(requested: wanted, source: request.budgetFile, isFundTotal: false, available: names)
        }
        for variant in variants where names.contains(variant.name) {
            throw VariantNameTaken(variant: variant)
        }

        var everything = request
        everything.scenario = nil
        let loaded = try everything.load()
        let inputs = PreparedInputs(table: loaded.table, scenarios: loaded.scenarios, budgetFile: request.budgetFile)
        let main = try Allocation(inputs: inputs, policy: loaded.policy, extraWarnings: loaded.warnings)
        let baselineName = baseline.baselineRow ?? main.scenarios[0].scenario.name
        let baselineIndex = main.scenarios.firstIndex { $0.scenario.name == baselineName }!
        let reference: ComparisonReference
        switch baseline {
        case .scenario:
            reference = .scenario(main, index: baselineIndex)
        case .previousAmount:
            guard main.table.hasPrevAmount else {
                throw InputError(file: main.table.file, line: 1, column: "prev_amount",
                                 problem: "is missing, but the comparison with each county's previous amount needs it",
                                 accepted: WhatIf.prevAmountMissingAccepted)
            }
            reference = .previousAmount
        }

        var comparisons: [ScenarioComparison] = []
        for (index, run) in main.scenarios.enumerated() {
            if let only = request.scenario {
                if run.scenario.name != only { continue }
            } else if case .scenario = baseline, index == baselineIndex {
                continue
            }
            comparisons.append(ScenarioComparison(name: run.scenario.name, allocation: main, scenario: index,
                                                  reference: reference, top: top))
        }
        var warnings = main.warnings
        for variant in variants {
            let computed: Allocation
            do {
                let policy = try PolicyLoader.load(fileBytes: request.policy?.bytes, file: request.policy?.name,
                                                   overrides: request.overrides + variant.overrides, year: request.year)
                var variantInputs = inputs.with(scenarios: [main.scenarios[baselineIndex].scenario])
                // The table as the variant's policy reads it: its coefficient, component and factor columns.
                if policy.money.tableCoefficientColumns != loaded.policy.money.tableCoefficientColumns
                    || policy.money.components.map(\.name) != loaded.policy.money.components.map(\.name)
                    || policy.money.tableFactors != loaded.policy.money.tableFactors {
                    let table = try SettlementTable.read(request.settlement, encoding: request.encoding,
                                                         coefficientColumns: policy.money.tableCoefficientColumns,
                                                         components: policy.money.components.map(\.name),
                                                         factors: policy.money.tableFactors)
                    variantInputs = PreparedInputs(table: table, scenarios: variantInputs.scenarios,
                                                   budgetFile: request.budgetFile)
                }
                computed = try Allocation(inputs: variantInputs, policy: policy, extraWarnings: loaded.warnings)
            } catch var error {
                if error.file == request.overrides.name {
                    error.file = variant.label
                } else {
                    error.problem += " (under \(variant.label))"
                }
                throw error
            }
            for warning in computed.warnings where !warnings.contains(warning) { warnings.append(warning) }
            comparisons.append(ScenarioComparison(name: variant.name, variant: variant, allocation: computed,
                                                  scenario: 0, reference: reference, top: top))
        }
        self.main = main
        self.baselineIndex = baselineIndex
        self.baseline = baseline
        self.variants = variants
        self.comparisons = comparisons
        self.warnings = warnings
        self.top = top
        overridesName = request.overrides.name
    }

    /// The budget's scenario names, read before anything is checked so a bad name is a usage
    /// error (64) even when the data are bad too (contract §9).
    static func scenarioNames(_ request: RunRequest) throws -> [String] {
        guard let budget = request.budget else { return ["baseline"] }
        let csv = try budget.table(encoding: request.encoding)
        return BudgetTable.scenarioNames(csv)
    }

    /// What a comparison with the previous amounts without a prev_amount column is told to give.
    public static let prevAmountMissingAccepted = "a prev_amount (上年分配金额) column, or a comparison with a budget scenario"

    /// The scenario the comparisons are made against, or nil for `--against previous`.
    public var baselineScenario: ScenarioAllocation? {
        if case .scenario = baseline { return main.scenarios[baselineIndex] }
        return nil
    }
}
