import BigInt

/// The settlement table and budget rows read and checked once, with what every computation
/// of them shares: the tie order of the codes.
///
///     let inputs = PreparedInputs(table: table, scenarios: budget.scenarios, budgetFile: "budget.csv")
///     var engine = AllocationEngine(inputs: inputs)
///     let baseline = try engine.allocate(policy: policy, scenario: inputs.scenarios[0])
public struct PreparedInputs: Sendable {
    public let table: SettlementTable
    public let scenarios: [Scenario]
    /// Where scenario errors point (the budget file, or the label of a command-line budget).
    public let budgetFile: String
    /// Position of each county in byte-wise code order (the tie-break, contract §3.5).
    public let tieOrder: [Int]

    public init(table: SettlementTable, scenarios: [Scenario], budgetFile: String) {
        self.table = table
        self.scenarios = scenarios
        self.budgetFile = budgetFile
        tieOrder = LargestRemainder.tieOrder(codes: table.rows.map(\.code))
    }

    /// The table as component `c` sees it, with the same budget rows and tie order.
    public func componentView(_ c: Int) -> PreparedInputs {
        PreparedInputs(table: table.componentView(c), scenarios: scenarios, budgetFile: budgetFile, tieOrder: tieOrder)
    }

    /// The same table with other budget rows (the tie order is kept).
    public func with(scenarios: [Scenario]) -> PreparedInputs {
        PreparedInputs(table: table, scenarios: scenarios, budgetFile: budgetFile, tieOrder: tieOrder)
    }

    private init(table: SettlementTable, scenarios: [Scenario], budgetFile: String, tieOrder: [Int]) {
        self.table = table
        self.scenarios = scenarios
        self.budgetFile = budgetFile
        self.tieOrder = tieOrder
    }
}

/// The one allocation path: every command (allocate, explain, audit, whatif, sweep) computes a
/// scenario under a policy with `allocate(policy:scenario:)`.
///
/// Each stage's result depends on a part of the policy only, so the engine keeps the last
/// result of each stage with the part it was computed from and reuses it when the same part
/// comes again. A sweep of `fund_total` thus recomputes only the budget and the split; one of
/// a weight, only the shares and the split; one of a bound, only the bounds and the split.
/// Reuse never changes a result: a stage is reused only when every value it reads is equal.
///
/// | stage | reads |
/// |---|---|
/// | coefficient products (`FactorIntegers.coefficientProducts`), per list of columns | those coefficient columns |
/// | factor integers (`FactorIntegers`), per factor | settled: origin coefficients, prior decays, its coefficient columns; permits and every column factor: its coefficient columns |
/// | shares (`FactorTable`) | the factor integers and the weights |
/// | bounds in fen (`MoneyAllocation.bounds`) | `money.bounds` |
/// | each bound term in fen (`MoneyAllocation.termFen`), once `prepareBoundTermUnits` asked | its own `money.bounds` value (none for min_amount, max_amount) |
/// | each bound term in units (`MoneyAllocation.termUnits`), idem | the term in fen, granularity |
/// | bounds in units | the bounds in fen and granularity, or every term in units (`boundUnits(policy:)`) |
/// | each county's persons and tier (`LandDemand.Placement`) | permit_weight, the tiers' up_to (the persons: permit_weight only, taken from the placement before) |
/// | land demand (`LandDemand`) | the placement, the land policy |
/// | money (`MoneyAllocation`) | the money policy and the scenario |
/// | land split (`LandAllocation`) | the land demand, the land policy and the scenario (never reused) |
///
/// A value type: each thread of a sweep works on its own copy.
public struct AllocationEngine: Sendable {
    public let inputs: PreparedInputs

    private var coefficientProducts: [[String]: [Rational]] = [:]
    private var factorIntegers: (key: FactorKey, policy: MoneyPolicy, integers: FactorIntegers)?
    private var shares: (key: FactorKey, weights: [Factor: Rational], table: FactorTable)?
    /// Each bound term in fen (`MoneyAllocation.termFen`), in `BoundTerm.Rule.allCases` order,
    /// with the policy value it was computed from.
    private var boundTermFen: [(value: Rational?, fen: [Rational?])?] = Array(repeating: nil, count: BoundTerm.Rule.allCases.count)
    /// The same in units (`MoneyAllocation.termUnits`) of `boundTermUnitsGranularity`, kept
    /// only after `prepareBoundTermUnits`; nil where the term in fen changed since.
    private var boundTermUnits: [[BigInt?]?] = Array(repeating: nil, count: BoundTerm.Rule.allCases.count)
    private var boundTermUnitsGranularity: Rational?
    /// L_i and U_i in fen (`MoneyAllocation.bounds`), with the bounds they were computed under.
    private var boundsFen: (bounds: MoneyBounds, lower: [Rational], upper: [Rational?])?
    private var boundUnits: (key: BoundsKey, lower: [BigInt], upper: [BigInt?])?
    private var placement: (key: LandDemand.Placement.Key, placement: LandDemand.Placement)?
    private var demand: (policy: LandPolicy, demand: LandDemand)?
    private var money: (policy: MoneyPolicy, scenario: Scenario, money: MoneyAllocation)?
    /// One engine per component (contract §10.3), each over the table as its component sees it,
    /// so each keeps its own stages.
    private var componentEngines: [AllocationEngine] = []
    /// With levels (contract §10.5): the groups and one engine per group (`TwoLevels`).
    var levelStages: LevelStages?

    public init(inputs: PreparedInputs) {
        self.inputs = inputs
    }

    /// The policy values the factor integers read.
    struct FactorKey: Equatable {
        var weighted: [Factor]
        var originCoefficients: [OriginKind: Rational]
        var priorDecay: [Rational]
        var coefficientColumns: [String]
        var factorCoefficientColumns: [Factor: [String]]?

        init(_ policy: MoneyPolicy) {
            weighted = policy.weightedFactors
            originCoefficients = policy.originCoefficients
            priorDecay = policy.priorDecay
            coefficientColumns = policy.coefficientColumns
            factorCoefficientColumns = policy.factorCoefficientColumns
        }
    }

    /// The policy values the bounds read.
    private struct BoundsKey: Equatable {
        var bounds: MoneyBounds
        var granularity: Rational
    }

    /// Factor values and shares under `policy` (contract §3.2–3.3).
    ///
    /// - Throws: `InputError` when a weighted factor's column is missing or its adjusted total is 0.
    public mutating func factorTable(policy: MoneyPolicy) throws(InputError) -> FactorTable {
        let key = FactorKey(policy)
        if let shares, shares.key == key, shares.weights == policy.weights { return shares.table }
        let integers: FactorIntegers
        if let cached = factorIntegers, cached.key == key {
            integers = cached.integers
        } else {
            integers = try FactorIntegers(table: inputs.table, policy: policy, factors: key.weighted,
                                          coefficientProducts: coefficientProducts,
                                          previous: factorIntegers.map { ($0.integers, $0.policy) })
            // Few distinct column lists occur in one run; keep every one computed.
            coefficientProducts.merge(integers.productsByColumns) { old, _ in old }
            factorIntegers = (key, policy, integers)
        }
        let table = FactorTable(integers: integers, weights: policy.weights)
        shares = (key, policy.weights, table)
        return table
    }

    /// Each component's factor values and shares (contract §10.3), in the policy's order; an
    /// error says which component it belongs to.
    public mutating func componentFactorTables(policy: MoneyPolicy) throws(InputError) -> [FactorTable] {
        if componentEngines.count != policy.components.count {
            componentEngines = policy.components.indices.map { AllocationEngine(inputs: inputs.componentView($0)) }
        }
        var tables: [FactorTable] = []
        for (c, component) in policy.components.enumerated() {
            do {
                tables.append(try componentEngines[c].factorTable(policy: component.money))
            } catch {
                throw AllocationEngine.naming(component, in: error)
            }
        }
        return tables
    }

    /// `error` with the component it happened in named at the end of its problem.
    static func naming(_ component: MoneyComponent, in error: InputError) -> InputError {
        var error = error
        if !error.problem.contains("component \(component.name)") { error.problem += " (component \(component.name))" }
        return error
    }

    /// L_i and U_i in units of the granularity (contract §3.4).
    ///
    /// Both orders of the one reduction (`MoneyAllocation.reduced`) give the same bounds, so
    /// the engine takes the one that reuses most. With each term kept in units under this
    /// granularity (`prepareBoundTermUnits`), only the terms whose policy value changed are
    /// recomputed and re-snapped and the terms in units reduced: a sweep of one bound value.
    /// Otherwise (one allocate, or a new granularity) the terms in fen are reduced without
    /// keeping each term (`MoneyAllocation.bounds`), kept while the bounds stay, and each
    /// county's two bounds snapped: a granularity sweep snaps two amounts per county.
    public mutating func boundUnits(policy: MoneyPolicy) -> (lower: [BigInt], upper: [BigInt?]) {
        let key = BoundsKey(bounds: policy.bounds, granularity: policy.granularity)
        if let boundUnits, boundUnits.key == key { return (boundUnits.lower, boundUnits.upper) }
        let lower: [BigInt], upper: [BigInt?]
        if boundTermUnitsGranularity == policy.granularity {
            // prepareBoundTermUnits recomputes (in fen, then units) only the terms whose value changed.
            prepareBoundTermUnits(policy: policy)
            (lower, upper) = MoneyAllocation.boundUnits(termUnits: boundTermUnits.map { $0! })
        } else {
            if boundsFen?.bounds != policy.bounds {
                let (lowerFen, upperFen) = MoneyAllocation.bounds(table: inputs.table, policy: policy)
                boundsFen = (policy.bounds, lowerFen, upperFen)
            }
            (lower, upper) = MoneyAllocation.snapped(lower: boundsFen!.lower, upper: boundsFen!.upper,
                                                     granularityFen: policy.granularityFen)
        }
        boundUnits = (key, lower, upper)
        return (lower, upper)
    }

    /// Keeps every bound term in units of `policy`'s granularity, so that `boundUnits` after a
    /// change of one bound value re-snaps that term only (a sweep of a bound value warms its
    /// engine with it). Terms already kept under this granularity are not snapped again.
    public mutating func prepareBoundTermUnits(policy: MoneyPolicy) {
        updateBoundTermFen(policy: policy)
        if boundTermUnitsGranularity != policy.granularity {
            boundTermUnits = Array(repeating: nil, count: BoundTerm.Rule.allCases.count)
            boundTermUnitsGranularity = policy.granularity
        }
        for (r, rule) in BoundTerm.Rule.allCases.enumerated() where boundTermUnits[r] == nil {
            boundTermUnits[r] = MoneyAllocation.termUnits(rule, fen: boundTermFen[r]!.fen,
                                                           granularityFen: policy.granularityFen)
        }
    }

    /// Each bound term in fen under `policy`, recomputed only where its own policy value changed
    /// (its units then too).
    private mutating func updateBoundTermFen(policy: MoneyPolicy) {
        for (r, rule) in BoundTerm.Rule.allCases.enumerated() {
            let value = rule.policyValue(in: policy.bounds)
            if let kept = boundTermFen[r], kept.value == value { continue }
            boundTermFen[r] = (value, MoneyAllocation.termFen(rule, table: inputs.table, bounds: policy.bounds))
            boundTermUnits[r] = nil
        }
    }

    /// Each county's land demand under `policy` (contract §4.1–4.3).
    public mutating func landDemand(policy: LandPolicy) throws(InputError) -> LandDemand {
        if let demand, demand.policy == policy { return demand.demand }
        let key = LandDemand.Placement.Key(policy)
        if placement?.key != key {
            placement = (key, try LandDemand.Placement(table: inputs.table, policy: policy, previous: placement?.placement))
        }
        let computed = LandDemand(placement: placement!.placement, policy: policy)
        demand = (policy, computed)
        return computed
    }

    /// One scenario's money (contract §3).
    ///
    /// - Throws: `InputError` for a factor that cannot be shared out or bounds that cannot be met.
    public mutating func money(policy: MoneyPolicy, scenario: Scenario) throws(InputError) -> MoneyAllocation {
        if let money, money.policy == policy, money.scenario == scenario { return money.money }
        if let levels = policy.levels {
            let computed = try levelsMoney(policy: policy, levels: levels, scenario: scenario)
            money = (policy, scenario, computed)
            return computed
        }
        if !policy.components.isEmpty {
            let computed = try componentMoney(policy: policy, scenario: scenario)
            money = (policy, scenario, computed)
            return computed
        }
        let factors = try factorTable(policy: policy)
        let (lower, upper) = boundUnits(policy: policy)
        let computed = try MoneyAllocation(table: inputs.table, factors: factors, policy: policy, scenario: scenario,
                                   lowerUnits: lower, upperUnits: upper, scenarioFile: inputs.budgetFile,
                                   tieOrder: inputs.tieOrder)
        money = (policy, scenario, computed)
        return computed
    }

    /// With components (contract §10.3): B, R and A as §3.1, A split into the components'
    /// budgets (`ComponentBudget`), then each component allocated on its budget by this same
    /// path, on the table as it sees it (its own bound columns), without reserve.
    mutating func componentMoney(policy: MoneyPolicy, scenario: Scenario) throws(InputError) -> MoneyAllocation {
        let g = policy.granularityFen
        let (reserve, allocated) = Budget.split(fundFen: scenario.fundFen, reserve: scenario.reserve, granularityFen: g)
        let budgets = ComponentBudget.split(allocatedFen: allocated, shares: policy.components.map(\.share),
                                            granularityFen: g)
        let tables = try componentFactorTables(policy: policy)
        var parts: [ComponentMoney] = []
        for (c, component) in policy.components.enumerated() {
            // The scenario's name and line, so errors point at its budget row and say which component.
            let own = Scenario(name: "\(scenario.name), component \(component.name)", line: scenario.line,
                               fundFen: budgets[c])
            do {
                let money = try componentEngines[c].money(policy: component.money, scenario: own)
                parts.append(ComponentMoney(name: component.name, share: component.share, policy: component.money,
                                            factors: tables[c], money: money))
            } catch {
                throw AllocationEngine.naming(component, in: error)
            }
        }
        return MoneyAllocation(budgetFen: scenario.fundFen, reserveFen: reserve, allocatedFen: allocated,
                               granularityFen: g, components: parts)
    }

    /// One scenario's land, or nil when the scenario computes none (contract §4).
    public mutating func land(policy: LandPolicy, scenario: Scenario) throws(InputError) -> LandAllocation? {
        guard Allocation.computesLand(table: inputs.table, scenario: scenario) else { return nil }
        return try LandAllocation(demand: try landDemand(policy: policy), policy: policy, scenario: scenario,
                                  tieOrder: inputs.tieOrder)
    }

    /// One scenario, money and land, under `policy`.
    public mutating func allocate(policy: Policy, scenario: Scenario) throws(InputError) -> ScenarioAllocation {
        let money = try money(policy: policy.money, scenario: scenario)
        let land = try land(policy: policy.land, scenario: scenario)
        return ScenarioAllocation(scenario: scenario, money: money, land: land)
    }
}
