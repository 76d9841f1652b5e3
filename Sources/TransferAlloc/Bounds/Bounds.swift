import BigInt

/// The bounds of the money split (contract §3.4): each county's lower bound L_i and upper bound
/// U_i from the policy's bounds and its own columns, snapped inward to the granularity, and the
/// messages for bounds no split can meet.
///
/// L_i = max(floor_amount, prev·min_retention, min_amount); U_i = min(prev·(1+max_growth),
/// cap_per_settler·settlers, max_amount), over the terms that apply. The two `prev` terms apply
/// only when prev_amount is given and > 0. L_i is snapped up and U_i down to whole units of g.
extension MoneyAllocation {
    /// L_i and U_i in fen, before snapping (contract §3.4): the largest lower term and the
    /// smallest upper term of `boundTerms` (nil when a county has no upper term).
    public static func bounds(table: SettlementTable, policy: MoneyPolicy) -> (lower: [Rational], upper: [Rational?]) {
        let rates = BoundRates(policy.bounds)
        // The cells read in place: a copied row retains every one of its fields.
        let rules = BoundTerm.Rule.allCases
        return reduced(count: table.rows.count, rules: rules) { r, i in
            term(rules[r], prev: table.rows[i].prevAmount, minAmount: table.rows[i].minAmount,
                 maxAmount: table.rows[i].maxAmount, settlers: table.rows[i].currentSettlers, rates: rates)
        }
    }

    /// Every bound term that applies to one county, lower and upper, in the contract's order:
    /// lower floor_amount (always), prev·min_retention, min_amount; upper prev·(1+max_growth),
    /// cap_per_settler·settlers, max_amount. The two `prev` terms apply only when prev_amount
    /// is given and > 0.
    ///
    /// - Complexity: O(1).
    public static func boundTerms(row: SettlementRow, policy: MoneyPolicy) -> (lower: [BoundTerm], upper: [BoundTerm]) {
        var lower: [BoundTerm] = [], upper: [BoundTerm] = []
        let rates = BoundRates(policy.bounds)
        for rule in BoundTerm.Rule.allCases {
            guard let fen = term(rule, prev: row.prevAmount, minAmount: row.minAmount, maxAmount: row.maxAmount,
                                 settlers: row.currentSettlers, rates: rates) else { continue }
            if rule.isLower { lower.append(BoundTerm(rule: rule, fen: fen)) } else { upper.append(BoundTerm(rule: rule, fen: fen)) }
        }
        return (lower, upper)
    }

    /// The policy's bound values as fen per unit of the county value each multiplies: the same
    /// for every county, so taken once per table instead of once per county.
    private struct BoundRates {
        /// floor_amount in fen.
        let floorFen: Rational
        /// min_retention·100: fen per 元 of prev_amount kept.
        let retentionFen: Rational?
        /// (1 + max_growth)·100: fen per 元 of prev_amount allowed.
        let growthFen: Rational?
        /// cap_per_settler·100: fen per settler.
        let capFen: Rational?

        init(_ b: MoneyBounds) {
            let fen = Rational(100)
            floorFen = b.floorAmount * fen
            retentionFen = b.minRetention.map { $0 * fen }
            growthFen = b.maxGrowth.map { (.one + $0) * fen }
            capFen = b.capPerSettler.map { $0 * fen }
        }
    }

    /// One county's term of `rule` in fen, nil when it does not apply. Rational products are
    /// exact, so prev·(min_retention·100) is the term prev·min_retention in fen.
    private static func term(_ rule: BoundTerm.Rule, prev prevAmount: Rational?, minAmount: Rational?,
                             maxAmount: Rational?, settlers: BigInt, rates: BoundRates) -> Rational? {
        let prev = prevAmount.flatMap { $0 > .zero ? $0 : nil }
        switch rule {
        case .floorAmount: return rates.floorFen
        case .minRetention: return prev.flatMap { prev in rates.retentionFen.map { prev * $0 } }
        case .minAmount: return minAmount.map { $0 * Rational(100) }
        case .maxGrowth: return prev.flatMap { prev in rates.growthFen.map { prev * $0 } }
        case .capPerSettler: return rates.capFen.map { $0 * Rational(settlers) }
        case .maxAmount: return maxAmount.map { $0 * Rational(100) }
        }
    }

    /// Term `rule` of every county in fen, nil where it does not apply. Each term reads one
    /// policy value at most (`BoundTerm.Rule.policyValue`), so a bounds sweep recomputes only
    /// the varied one.
    ///
    /// - Complexity: O(n) rational operations.
    static func termFen(_ rule: BoundTerm.Rule, table: SettlementTable, bounds: MoneyBounds) -> [Rational?] {
        let rates = BoundRates(bounds)
        if rule == .floorAmount { return Array(repeating: rates.floorFen, count: table.rows.count) }
        // The cells read in place: a copied row retains every one of its fields.
        return table.rows.indices.map { i in
            term(rule, prev: table.rows[i].prevAmount, minAmount: table.rows[i].minAmount,
                 maxAmount: table.rows[i].maxAmount, settlers: table.rows[i].currentSettlers, rates: rates)
        }
    }

    /// The bound in force: for each of `count` counties, the largest of the lower terms and
    /// the smallest of the upper terms that apply, among `rules`; `term(r, i)` is county i's
    /// term of `rules[r]` (nil where it does not apply). The one reduction of §3.4, for terms in
    /// fen (`bounds`) and for terms already snapped to units of g (`boundUnits(termUnits:)`):
    /// snapping is monotone (a ≤ b gives ⌈a/g⌉ ≤ ⌈b/g⌉ and ⌊a/g⌋ ≤ ⌊b/g⌋), so snapping the
    /// largest lower term is the largest snapped lower term.
    ///
    /// - Precondition: `rules` holds a lower rule that applies to every county (floor_amount).
    /// - Complexity: O(count · rules).
    // Inlined so each caller gets it specialized to its amount type and closure: left generic,
    // every comparison was a witness call and one allocate's bounds took three times as long.
    @inline(__always)
    static func reduced<Amount: Comparable>(count n: Int, rules: [BoundTerm.Rule],
                                            _ term: (Int, Int) -> Amount?) -> (lower: [Amount], upper: [Amount?]) {
        var lower: [Amount] = [], upper: [Amount?] = []
        lower.reserveCapacity(n)
        upper.reserveCapacity(n)
        for i in 0..<n {
            var largestLower: Amount?
            var smallestUpper: Amount?
            for r in rules.indices {
                guard let amount = term(r, i) else { continue }
                if rules[r].isLower {
                    if largestLower.map({ amount > $0 }) ?? true { largestLower = amount }
                } else if smallestUpper.map({ amount < $0 }) ?? true {
                    smallestUpper = amount
                }
            }
            lower.append(largestLower!)
            upper.append(smallestUpper)
        }
        return (lower, upper)
    }

    /// L_i snapped up and U_i snapped down to whole units of the granularity g (contract §3.4),
    /// as the apportionment takes them.
    ///
    ///     // floor_amount 10.005 元, g = 0.01 元: L = 1000.5 fen → 1001 units (10.01 元)
    ///
    /// - Complexity: O(n) rational operations.
    public static func boundUnits(table: SettlementTable, policy: MoneyPolicy) -> (lower: [BigInt], upper: [BigInt?]) {
        let (lower, upper) = bounds(table: table, policy: policy)
        return snapped(lower: lower, upper: upper, granularityFen: policy.granularityFen)
    }

    /// L_i and U_i in units of g from every term already in units (`termUnits`, in
    /// `BoundTerm.Rule.allCases` order): the same bounds as `boundUnits(table:policy:)`, by the
    /// same reduction (`reduced`) after snapping instead of before. A sweep of one bound value
    /// re-snaps that term only.
    static func boundUnits(termUnits: [[BigInt?]]) -> (lower: [BigInt], upper: [BigInt?]) {
        let rules = BoundTerm.Rule.allCases
        precondition(termUnits.count == rules.count)
        // Terms that apply to no county (most policies set few bounds) are not visited per county.
        let applying = rules.indices.filter { r in termUnits[r].contains { $0 != nil } }
        let columns = applying.map { termUnits[$0] }
        return reduced(count: termUnits[0].count, rules: applying.map { rules[$0] }) { r, i in columns[r][i] }
    }

    /// A term's amounts (`termFen`) in whole units of g (fen): a lower term snapped up, an
    /// upper term down.
    static func termUnits(_ rule: BoundTerm.Rule, fen: [Rational?], granularityFen g: BigInt) -> [BigInt?] {
        // An amount equal to the one before is not divided again (the floor is one amount for
        // every county).
        var previous: (fen: Rational, units: BigInt)?
        return fen.map { amount in
            guard let amount else { return nil }
            if let previous, previous.fen == amount { return previous.units }
            let units = snap(amount, lower: rule.isLower, g: g)
            previous = (amount, units)
            return units
        }
    }

    /// L_i (fen) snapped up and U_i (fen) snapped down to whole units of g (fen).
    ///
    ///     MoneyAllocation.snapped(lower: [Rational(10005, 10)], upper: [Rational(2999)], granularityFen: 100)
    ///     // ([11], [29]): 10.005 元 → 11 units of 1 元, 29.99 元 → 29 units
    public static func snapped(lower: [Rational], upper: [Rational?], granularityFen g: BigInt) -> (lower: [BigInt], upper: [BigInt?]) {
        (lower.map { snap($0, lower: true, g: g) }, upper.map { $0.map { snap($0, lower: false, g: g) } })
    }

    /// An amount in fen as whole units of g (fen), inward: a lower bound up, an upper bound down.
    private static func snap(_ fen: Rational, lower: Bool, g: BigInt) -> BigInt {
        lower ? fen.ceiling(dividedBy: g) : fen.floor(dividedBy: g)
    }

    /// Warnings about bounds the table cannot support.
    ///
    /// With components, each component's bounds are checked against its own `prev_amount_<name>`
    /// column, under its own policy path.
    public static func warnings(table: SettlementTable, policy: MoneyPolicy) -> [String] {
        guard !policy.components.isEmpty else {
            var found = warnings(file: table.file, hasPrevColumn: table.hasPrevAmount, bounds: policy.bounds,
                                 path: "money.bounds", prevColumn: "prev_amount")
            // The groups' previous amounts are their rows' (contract §10.5): a bound only the upper
            // stage sets has nothing to apply to either. One the money level sets is named there.
            if let upper = policy.levels?.upper.bounds {
                var own = upper
                if policy.bounds.maxGrowth != nil { own.maxGrowth = nil }
                if policy.bounds.minRetention != nil { own.minRetention = nil }
                found += warnings(file: table.file, hasPrevColumn: table.hasPrevAmount, bounds: own,
                                  path: "levels.upper.money.bounds", prevColumn: "prev_amount")
            }
            return found
        }
        return policy.components.enumerated().flatMap { c, component in
            // Only whether the component has its prev_amount column matters: no view of the rows.
            warnings(file: table.file, hasPrevColumn: table.componentHasPrevAmount[c], bounds: component.money.bounds,
                     path: "money.components[\(c + 1)].bounds", prevColumn: "prev_amount_" + component.name)
        }
    }

    static func warnings(file: String, hasPrevColumn: Bool, bounds b: MoneyBounds, path: String,
                         prevColumn: String) -> [String] {
        let set = [b.maxGrowth.map { _ in path + ".max_growth" }, b.minRetention.map { _ in path + ".min_retention" }].compactMap { $0 }
        guard !hasPrevColumn, !set.isEmpty else { return [] }
        return ["\(file): the policy sets \(set.joined(separator: " and ")), but the table has no \(prevColumn) column; \(set.count == 1 ? "that bound applies" : "those bounds apply") to no county"]
    }

    static func describe(_ error: Infeasibility, table: SettlementTable, scenario: Scenario, file: String, g: BigInt,
                         holders: BoundHolders = .counties) -> InputError {
        let place = "scenario \(scenario.name)"
        let whose = holders.groups == nil ? "the counties'" : "the groups'"
        switch error {
        case .lowerAboveUpper(let county, let lower, let upper):
            let row = table.rows[county]
            // A prefecture is no row of the table: its message points at its first row's parent cell.
            if let group = holders.groups?[county], !group.isDirect {
                let named = group.name == group.code ? group.code : group.code + " " + group.name
                return InputError(file: table.file, line: row.line, column: table.label("parent"), value: group.code,
                                  problem: "is group \(named), whose lower bound of \(Rational.yuan(lower * g)) 元 is above its upper bound of \(Rational.yuan(upper * g)) 元 (after rounding the bounds to the granularity; \(place))",
                                  accepted: "bounds with floor / min_retention ≤ max_growth / cap_per_settler for every group")
            }
            return InputError(file: table.file, line: row.line, column: "code", value: row.code,
                              problem: "has a lower bound of \(Rational.yuan(lower * g)) 元 above its upper bound of \(Rational.yuan(upper * g)) 元 (after rounding the bounds to the granularity; \(place))",
                              accepted: "bounds with floor / min_retention / min_amount ≤ max_growth / cap_per_settler / max_amount for every county")
        case .lowerBoundsExceedTotal(let sum, let total):
            return InputError(file: file, line: scenario.line, column: "fund_total",
                              problem: "leaves \(Rational.yuan(total * g)) 元 to allocate in \(place), less than the \(Rational.yuan(sum * g)) 元 \(whose) lower bounds need",
                              accepted: "a larger fund, a smaller reserve, or lower floors")
        case .upperBoundsBelowTotal(let sum, let total):
            return InputError(file: file, line: scenario.line, column: "fund_total",
                              problem: "leaves \(Rational.yuan(total * g)) 元 to allocate in \(place), more than the \(Rational.yuan(sum * g)) 元 \(whose) upper bounds allow",
                              accepted: "a smaller fund, a larger reserve, or looser caps")
        }
    }
}

/// Whose bounds a split must meet, for the messages when it cannot: the counties, or the groups
/// of the upper stage of two levels (contract §10.5), where a prefecture group is no row.
public enum BoundHolders: Sendable {
    case counties
    /// The groups, in the order of the upper stage's table.
    case upperStageGroups([LevelGroup])

    var groups: [LevelGroup]? {
        if case .upperStageGroups(let groups) = self { return groups }
        return nil
    }
}

extension BoundTerm.Rule {
    /// The policy value the term reads (nil for the table's own min_amount and max_amount).
    func policyValue(in bounds: MoneyBounds) -> Rational? {
        switch self {
        case .floorAmount: bounds.floorAmount
        case .minRetention: bounds.minRetention
        case .maxGrowth: bounds.maxGrowth
        case .capPerSettler: bounds.capPerSettler
        case .minAmount, .maxAmount: nil
        }
    }
}

/// Why no split can satisfy the bounds (contract §3.4).
public enum Infeasibility: Error, Equatable, Sendable {
    /// County `county`'s lower bound is above its upper bound (both in units).
    case lowerAboveUpper(county: Int, lower: BigInt, upper: BigInt)
    /// The lower bounds together need more than the total.
    case lowerBoundsExceedTotal(sumOfLower: BigInt, total: BigInt)
    /// The upper bounds together cannot take the whole total.
    case upperBoundsBelowTotal(sumOfUpper: BigInt, total: BigInt)
}

extension Infeasibility {
    /// Throws when no split of `total` units can meet the bounds (contract §3.4): some L_i > U_i,
    /// Σ L > total, or total > Σ U, where a county with weight 0 counts with U_i = L_i (it stays
    /// at its lower bound) and a county without an upper bound makes Σ U unlimited.
    ///
    ///     try Infeasibility.check(total: 10, weights: [1, 1], lower: [6, 6], upper: [nil, nil])
    ///     // throws .lowerBoundsExceedTotal(sumOfLower: 12, total: 10)
    ///
    /// - Complexity: O(n).
    static func check(total: BigInt, weights: [BigInt], lower: [BigInt], upper: [BigInt?]) throws(Infeasibility) {
        let n = weights.count
        for i in 0..<n {
            if let u = upper[i], lower[i] > u { throw .lowerAboveUpper(county: i, lower: lower[i], upper: u) }
        }
        let sumOfLower = BigInt.sum(lower)
        if sumOfLower > total { throw .lowerBoundsExceedTotal(sumOfLower: sumOfLower, total: total) }
        if (0..<n).allSatisfy({ weights[$0].isZero || upper[$0] != nil }) {
            let sumOfUpper = BigInt.sum((0..<n).lazy.map { weights[$0].isZero ? lower[$0] : upper[$0]! })
            if sumOfUpper < total { throw .upperBoundsBelowTotal(sumOfUpper: sumOfUpper, total: total) }
        }
    }
}
