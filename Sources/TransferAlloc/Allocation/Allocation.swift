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
    /// Nil when no scenario computes land.
    public let landDemand: LandDemand?
    public let scenarios: [ScenarioAllocation]
    /// Warnings for stderr, in the order found.
    public let warnings: [String]
    /// Position of each county in byte-wise code order (the tie-break).
    public let tieOrder: [Int]

    /// - Parameter budgetFile: where scenario errors point (`--fund-total` for a command-line budget).
    /// - Throws: `InputError` for anything the contract rejects.
    public init(table: SettlementTable, scenarios: [Scenario], policy: Policy, budgetFile: String,
                extraWarnings: [String] = []) throws(InputError) {
        self.policy = policy
        self.table = table
        tieOrder = LargestRemainder.tieOrder(codes: table.rows.map(\.code))
        factors = try FactorTable(table: table, policy: policy.money)
        let demand = scenarios.contains { Allocation.computesLand(table: table, scenario: $0) }
            ? try LandDemand(table: table, policy: policy.land) : nil
        landDemand = demand
        var computed: [ScenarioAllocation] = []
        for scenario in scenarios {
            let money = try MoneyAllocation(table: table, factors: factors, policy: policy.money, scenario: scenario,
                                            scenarioFile: budgetFile, tieOrder: tieOrder)
            var land: LandAllocation?
            if let demand, Allocation.computesLand(table: table, scenario: scenario) {
                land = try LandAllocation(demand: demand, policy: policy.land, scenario: scenario, tieOrder: tieOrder)
            }
            computed.append(ScenarioAllocation(scenario: scenario, money: money, land: land))
        }
        self.scenarios = computed
        warnings = extraWarnings + table.warnings + MoneyAllocation.warnings(table: table, policy: policy.money)
    }

    /// Whether land is computed for a scenario (contract §4.1): the table has a land_per_capita
    /// or land_exempt column, or the scenario has a land quota.
    public static func computesLand(table: SettlementTable, scenario: Scenario) -> Bool {
        table.hasLandPerCapita || table.hasLandExempt || scenario.landQuota != nil
    }
}
