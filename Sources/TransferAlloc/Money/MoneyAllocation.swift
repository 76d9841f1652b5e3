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

    /// B, R and A of §3.1.
    ///
    ///     MoneyAllocation.budget(fundFen: 100_000, reserve: .ratio(Rational(1, 3)), granularityFen: 100)
    ///     // (reserve: 33_300, allocated: 66_700): ⌊100000/3/100⌋·100 = 33300
    public static func budget(fundFen: BigInt, reserve: Reserve, granularityFen g: BigInt) -> (reserve: BigInt, allocated: BigInt) {
        var withheld: BigInt = switch reserve {
        case .none: 0
        case .ratio(let r): (Rational(fundFen) * r / Rational(g)).floor * g
        case .amountFen(let amount): amount
        }
        let available = fundFen - withheld
        let allocated = available / g * g
        withheld += available - allocated
        return (withheld, allocated)
    }

    /// - Parameters:
    ///   - lowerUnits / upperUnits: L_i and U_i in units of the granularity (`boundUnits`).
    ///   - scenarioFile / scenario: where infeasibility errors point.
    /// - Throws: `InputError` when the bounds cannot be met.
    public init(table: SettlementTable, factors: FactorTable, policy: MoneyPolicy, scenario: Scenario,
                lowerUnits snappedLower: [BigInt], upperUnits snappedUpper: [BigInt?],
                scenarioFile: String, tieOrder: [Int]) throws(InputError) {
        let g = policy.granularityFen
        let (reserve, allocated) = MoneyAllocation.budget(fundFen: scenario.fundFen, reserve: scenario.reserve, granularityFen: g)
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

    /// L_i and U_i in fen, before snapping (contract §3.4): the largest lower term and the
    /// smallest upper term of `boundTerms` (nil when a county has no upper term).
    public static func bounds(table: SettlementTable, policy: MoneyPolicy) -> (lower: [Rational], upper: [Rational?]) {
        var lower: [Rational] = []
        var upper: [Rational?] = []
        lower.reserveCapacity(table.rows.count)
        upper.reserveCapacity(table.rows.count)
        for row in table.rows {
            let terms = boundTerms(row: row, policy: policy)
            // floor_amount is always a term, so the maximum exists.
            lower.append(terms.lower.map(\.fen).max()!)
            upper.append(terms.upper.map(\.fen).min())
        }
        return (lower, upper)
    }

    /// Every bound term that applies to one county, lower and upper, in the contract's order:
    /// lower floor_amount (always), prev·min_retention, min_amount; upper prev·(1+max_growth),
    /// cap_per_settler·settlers, max_amount. The two `prev` terms apply only when prev_amount
    /// is given and > 0.
    ///
    /// - Complexity: O(1).
    public static func boundTerms(row: SettlementRow, policy: MoneyPolicy) -> (lower: [BoundTerm], upper: [BoundTerm]) {
        let b = policy.bounds
        let fen = Rational(100)
        var lower = [BoundTerm(rule: .floorAmount, fen: b.floorAmount * fen)]
        var upper: [BoundTerm] = []
        if let prev = row.prevAmount, prev > .zero {
            if let keep = b.minRetention { lower.append(BoundTerm(rule: .minRetention, fen: prev * keep * fen)) }
            if let growth = b.maxGrowth { upper.append(BoundTerm(rule: .maxGrowth, fen: prev * (.one + growth) * fen)) }
        }
        if let minimum = row.minAmount { lower.append(BoundTerm(rule: .minAmount, fen: minimum * fen)) }
        if let cap = b.capPerSettler { upper.append(BoundTerm(rule: .capPerSettler, fen: cap * Rational(row.currentSettlers) * fen)) }
        if let maximum = row.maxAmount { upper.append(BoundTerm(rule: .maxAmount, fen: maximum * fen)) }
        return (lower, upper)
    }

    /// L_i snapped up and U_i snapped down to whole units of the granularity g (contract §3.4),
    /// as the apportionment takes them.
    ///
    ///     // floor_amount 10.005 元, g = 0.01 元: L = 1000.5 fen → 1001 units (10.01 元)
    ///
    /// - Complexity: O(n) rational operations.
    public static func boundUnits(table: SettlementTable, policy: MoneyPolicy) -> (lower: [BigInt], upper: [BigInt?]) {
        let g = Rational(policy.granularityFen)
        let (lower, upper) = bounds(table: table, policy: policy)
        return (lower.map { ($0 / g).ceiling }, upper.map { $0.map { ($0 / g).floor } })
    }

    /// Warnings about bounds the table cannot support.
    public static func warnings(table: SettlementTable, policy: MoneyPolicy) -> [String] {
        let b = policy.bounds
        let set = [b.maxGrowth.map { _ in "money.bounds.max_growth" }, b.minRetention.map { _ in "money.bounds.min_retention" }].compactMap { $0 }
        guard !table.hasPrevAmount, !set.isEmpty else { return [] }
        return ["\(table.file): the policy sets \(set.joined(separator: " and ")), but the table has no prev_amount column; \(set.count == 1 ? "that bound applies" : "those bounds apply") to no county"]
    }

    static func yuan(_ fen: BigInt) -> String { Rational.fixedPoint(fen, places: 2) }

    static func describe(_ error: Infeasibility, table: SettlementTable, scenario: Scenario, file: String, g: BigInt) -> InputError {
        let place = "scenario \(scenario.name)"
        switch error {
        case .lowerAboveUpper(let county, let lower, let upper):
            let row = table.rows[county]
            return InputError(file: table.file, line: row.line, column: "code", value: row.code,
                              problem: "has a lower bound of \(yuan(lower * g)) 元 above its upper bound of \(yuan(upper * g)) 元 (after rounding the bounds to the granularity; \(place))",
                              accepted: "bounds with floor / min_retention / min_amount ≤ max_growth / cap_per_settler / max_amount for every county")
        case .lowerBoundsExceedTotal(let sum, let total):
            return InputError(file: file, line: scenario.line, column: "fund_total",
                              problem: "leaves \(yuan(total * g)) 元 to allocate in \(place), less than the \(yuan(sum * g)) 元 the counties' lower bounds need",
                              accepted: "a larger fund, a smaller reserve, or lower floors")
        case .upperBoundsBelowTotal(let sum, let total):
            return InputError(file: file, line: scenario.line, column: "fund_total",
                              problem: "leaves \(yuan(total * g)) 元 to allocate in \(place), more than the \(yuan(sum * g)) 元 the counties' upper bounds allow",
                              accepted: "a smaller fund, a larger reserve, or looser caps")
        }
    }
}
