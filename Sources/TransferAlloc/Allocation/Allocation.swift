import BigInt

/// One scenario computed: its money and, when land applies, its land.
public struct ScenarioAllocation: Sendable {
    public let scenario: Scenario
    public let money: MoneyAllocation
    public let land: LandAllocation?
}

/// The whole run: the inputs it used, the shared factor shares and land demand, every scenario.
///
///     let run = try Allocation(table: table, scenarios: budget.scenarios, policy: policy,
///                              budgetFile: "budget.csv")
///     run.scenarios[0].money.amountsFen.reduce(0, +) == run.scenarios[0].money.allocatedFen  // true
public struct Allocation: Sendable {
    public let policy: Policy
    public let table: SettlementTable
    public let factors: FactorTable
    /// With components (contract §10.3): each component's factor values and shares, in the
    /// policy's order; empty without components.
    public let componentFactors: [FactorTable]
    /// Nil when no scenario computes land.
    public let landDemand: LandDemand?
    public let scenarios: [ScenarioAllocation]
    /// Warnings for stderr, in the order found.
    public let warnings: [String]
    /// Position of each county in byte-wise code order (the tie-break).
    public let tieOrder: [Int]
    /// In the upper stage's view of a run with levels (`Allocation.upperStage()`): the counties
    /// whose values the groups sum; nil otherwise.
    public internal(set) var upperStageCounties: UpperStageCounties?

    /// - Parameter budgetFile: where scenario errors point (`--fund-total` for a command-line budget).
    /// - Throws: `InputError` for anything the contract rejects.
    public init(table: SettlementTable, scenarios: [Scenario], policy: Policy, budgetFile: String,
                extraWarnings: [String] = []) throws(InputError) {
        try self.init(inputs: PreparedInputs(table: table, scenarios: scenarios, budgetFile: budgetFile),
                      policy: policy, extraWarnings: extraWarnings)
    }

    /// Every scenario of `inputs` under `policy`, through `AllocationEngine`.
    ///
    /// The shares and the land demand are computed before any scenario, so their errors come
    /// first whichever scenario would meet them.
    public init(inputs: PreparedInputs, policy: Policy, extraWarnings: [String] = []) throws(InputError) {
        var engine = AllocationEngine(inputs: inputs)
        self.policy = policy
        table = inputs.table
        tieOrder = inputs.tieOrder
        // With components the money level's own weights are no factor table of the run: each
        // component's is (the first stands for the table's shape; `componentFactors` holds all).
        if policy.money.components.isEmpty {
            factors = try engine.factorTable(policy: policy.money)
            componentFactors = []
        } else {
            componentFactors = try engine.componentFactorTables(policy: policy.money)
            factors = componentFactors[0]
        }
        landDemand = inputs.scenarios.contains { Allocation.computesLand(table: inputs.table, scenario: $0) }
            ? try engine.landDemand(policy: policy.land) : nil
        var computed: [ScenarioAllocation] = []
        for scenario in inputs.scenarios {
            computed.append(try engine.allocate(policy: policy, scenario: scenario))
        }
        self.scenarios = computed
        warnings = extraWarnings + table.warnings + MoneyAllocation.warnings(table: table, policy: policy.money)
    }

    /// Component `c` of a run with components (contract §10.3) seen as a run of its own: its
    /// money policy, the table as it sees it, its factor table and its part of every scenario
    /// (no land). `explain` derives each component with it.
    ///
    /// - Precondition: `c` is a component of the run's policy.
    public func component(_ c: Int) -> Allocation {
        Allocation(componentOf: self, c)
    }

    private init(componentOf run: Allocation, _ c: Int) {
        var policy = run.policy
        policy.money = run.policy.money.components[c].money
        self.policy = policy
        table = run.table.componentView(c)
        factors = run.componentFactors[c]
        componentFactors = []
        landDemand = nil
        scenarios = run.scenarios.map { ScenarioAllocation(scenario: $0.scenario, money: $0.money.components[c].money, land: nil) }
        warnings = []
        tieOrder = run.tieOrder
    }

    /// Whether land is computed for a scenario (contract §4.1): the table has a land_per_capita
    /// or land_exempt column, or the scenario has a land quota.
    public static func computesLand(table: SettlementTable, scenario: Scenario) -> Bool {
        computesLandInEveryScenario(table) || scenario.landQuota != nil
    }

    /// Whether the table alone makes land computed, whatever the budget: it has a
    /// land_per_capita or land_exempt column.
    public static func computesLandInEveryScenario(_ table: SettlementTable) -> Bool {
        table.hasLandPerCapita || table.hasLandExempt
    }
}
