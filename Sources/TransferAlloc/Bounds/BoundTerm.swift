/// One candidate for a county's lower or upper bound (contract §3.4), in fen before snapping to
/// the granularity. The bound in force is the largest lower term and the smallest upper term.
///
///     // floor_amount 100 元, prev_amount 1000 元, min_retention 0.9:
///     MoneyAllocation.boundTerms(row: row, policy: policy).lower
///     // [BoundTerm(rule: .floorAmount, fen: 10000), BoundTerm(rule: .minRetention, fen: 90000)]
public struct BoundTerm: Sendable, Equatable {
    /// Which rule gives the term; its raw value is the policy path or table column it reads.
    public enum Rule: String, Sendable, CaseIterable {
        case floorAmount = "money.bounds.floor_amount"
        case minRetention = "money.bounds.min_retention"
        case minAmount = "min_amount"
        case maxGrowth = "money.bounds.max_growth"
        case capPerSettler = "money.bounds.cap_per_settler"
        case maxAmount = "max_amount"

        /// True for the rules that raise a county (floors).
        public var isLower: Bool { self == .floorAmount || self == .minRetention || self == .minAmount }
    }

    public let rule: Rule
    /// The term's amount in fen, exact (not yet snapped to the granularity).
    public let fen: Rational

    public init(rule: Rule, fen: Rational) {
        self.rule = rule
        self.fen = fen
    }
}
