import BigInt

/// The budget of each component (contract §10.3): the allocated amount A split between the
/// components in proportion to their shares, in whole units of the granularity g, by the
/// largest-remainder rule with equal fractional parts going to the component earlier in the list.
///
/// A_c = g · (largest remainder of A·share_c / g over the components), so Σ A_c = A exactly.
public enum ComponentBudget {
    /// A_c in fen, in the components' order.
    ///
    ///     // A = 1.00 元 (100 fen), g = 1 fen, shares 1/2, 1/2 … three components 1/3 each:
    ///     ComponentBudget.split(allocatedFen: 100, shares: [Rational(1, 3), Rational(1, 3), Rational(1, 3)],
    ///                           granularityFen: 1)
    ///     // [34, 33, 33]: each ideal is 33⅓ fen; the one fen left goes to the first component
    ///
    /// - Parameters:
    ///   - allocatedFen: A, a multiple of `granularityFen`.
    ///   - shares: share_c ≥ 0, adding up to exactly 1.
    ///   - granularityFen: g in fen.
    /// - Complexity: O(k log k) for k components.
    public static func split(allocatedFen: BigInt, shares: [Rational], granularityFen g: BigInt) -> [BigInt] {
        precondition(shares.reduce(Rational.zero, +) == .one, "component shares add up to 1")
        let total = allocatedFen / g
        let (integers, denominator) = Rational.overCommonDenominator(shares)
        // x_c = total·share_c = total·integers_c / denominator, in units of g.
        let split = LargestRemainder.split(numerators: integers.map { $0 * total }, denominator: denominator,
                                           total: total, tieOrder: Array(shares.indices))
        return shares.indices.map { c in
            (split.whole[c] + (split.outcome.receivesExtra[c] ? 1 : 0)) * g
        }
    }
}
