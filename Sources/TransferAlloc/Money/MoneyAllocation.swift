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
    /// The split in units of g.
    public let apportionment: Apportionment

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
    /// - Throws: `InputError` when the bounds cannot be met.
    public init(table: SettlementTable, factors: FactorTable, policy: MoneyPolicy, scenario: Scenario,
                lowerUnits snappedLower: [BigInt], upperUnits snappedUpper: [BigInt?],
                scenarioFile: String, tieOrder: [Int]) throws(InputError) {
        let g = policy.granularityFen
        let (reserve, allocated) = Budget.split(fundFen: scenario.fundFen, reserve: scenario.reserve, granularityFen: g)
        let total = allocated / g
        do {
            apportionment = try Apportionment(total: total, weights: factors.shareNumerators,
                                              lower: snappedLower, upper: snappedUpper, tieOrder: tieOrder)
        } catch {
            throw MoneyAllocation.describe(error, table: table, scenario: scenario, file: scenarioFile, g: g)
        }
        budgetFen = scenario.fundFen
        reserveFen = reserve
        allocatedFen = allocated
        granularityFen = g
        lowerFen = snappedLower.map { $0 * g }
        upperFen = snappedUpper.map { $0.map { $0 * g } }
    }

}
