import BigInt

/// One scenario's money: budget, reserve, bounds and the exact split to the fen (contract §3).
public struct MoneyAllocation: Sendable {
    /// B: fund_total in fen.
    public let budgetFen: BigInt
    /// R: withheld, in fen (including what was cut to make A a multiple of g).
    public let reserveFen: BigInt
    /// A = B − R, a multiple of g.
    public let allocatedFen: BigInt
    /// g in fen.
    public let granularityFen: BigInt
    /// L_i in fen after snapping up to g (0 = no lower bound).
    public let lowerFen: [BigInt]
    /// U_i in fen after snapping down to g (nil = none).
    public let upperFen: [BigInt?]
    /// The split in units of g. With components, the sum of the components' units (it has no
    /// weights, bounds or remainders of its own: see `components`).
    public let apportionment: Apportionment
    /// With components (contract §10.3): each component's budget and allocation, in the
    /// policy's order; empty without components.
    public let components: [ComponentMoney]
    /// With levels (contract §10.5): both stages (`TwoLevels`); nil without.
    public internal(set) var levels: LevelsMoney?

    /// Final amount of each county, in fen.
    public var amountsFen: [BigInt] { apportionment.units.map { $0 * granularityFen } }

    public func amountFen(_ county: Int) -> BigInt { apportionment.units[county] * granularityFen }

    /// q_i = A·s_i, the ideal amount in fen before bounds.
    public func idealFen(_ county: Int) -> Rational {
        apportionment.idealUnits(county) * Rational(granularityFen)
    }

    /// x_i, the bounded amount in fen before rounding.
    public func boundedFen(_ county: Int) -> Rational {
        apportionment.exactUnits(county) * Rational(granularityFen)
    }

    /// - Parameters:
    ///   - lowerUnits / upperUnits: L_i and U_i in units of the granularity (`boundUnits`).
    ///   - scenarioFile / scenario: where infeasibility errors point.
    ///   - holders: whose bounds infeasibility errors name (the groups in an upper stage).
    /// - Throws: `InputError` when the bounds cannot be met.
    public init(table: SettlementTable, factors: FactorTable, policy: MoneyPolicy, scenario: Scenario,
                lowerUnits snappedLower: [BigInt], upperUnits snappedUpper: [BigInt?],
                scenarioFile: String, tieOrder: [Int], holders: BoundHolders = .counties) throws(InputError) {
        let g = policy.granularityFen
        let (reserve, allocated) = Budget.split(fundFen: scenario.fundFen, reserve: scenario.reserve, granularityFen: g)
        let total = allocated / g
        do {
            apportionment = try Apportionment(total: total, weights: factors.shareNumerators,
                                              lower: snappedLower, upper: snappedUpper, tieOrder: tieOrder)
        } catch {
            throw MoneyAllocation.describe(error, table: table, scenario: scenario, file: scenarioFile, g: g, holders: holders)
        }
        budgetFen = scenario.fundFen
        reserveFen = reserve
        allocatedFen = allocated
        granularityFen = g
        lowerFen = snappedLower.map { $0 * g }
        upperFen = snappedUpper.map { $0.map { $0 * g } }
        components = []
    }

    /// The scenario's money as the sum of its components' (contract §10.3): B, R and A of the
    /// whole, each county's amount the sum of its component amounts.
    init(budgetFen: BigInt, reserveFen: BigInt, allocatedFen: BigInt, granularityFen: BigInt,
         components: [ComponentMoney]) {
        self.budgetFen = budgetFen
        self.reserveFen = reserveFen
        self.allocatedFen = allocatedFen
        self.granularityFen = granularityFen
        self.components = components
        apportionment = Apportionment(summing: components.map(\.money.apportionment))
        let n = apportionment.units.count
        lowerFen = Array(repeating: 0, count: n)
        upperFen = Array(repeating: nil, count: n)
    }
}

/// One component's part of a scenario (contract §10.3): its budget A_c and its allocation,
/// computed by §3.2–§3.5 as if it were the only money.
public struct ComponentMoney: Sendable {
    /// The component's name, as the policy writes it.
    public let name: String
    /// The component's share of A.
    public let share: Rational
    /// The policy it was allocated under (the money level's values with its own laid over them).
    public let policy: MoneyPolicy
    /// Its factor values and shares.
    public let factors: FactorTable
    /// Its allocation of A_c (`allocatedFen` is A_c; no reserve).
    public let money: MoneyAllocation

}
