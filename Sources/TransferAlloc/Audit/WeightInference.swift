import BigInt

/// The factor weights that best reproduce published amounts (contract §7, `audit`): with
/// w_settled = w and w_permits = 1 − w, amount_i ≈ A·(w·p_i + (1 − w)·r_i), where p and r are
/// each county's shares of the two adjusted factor totals. Least squares on the amounts, exact:
///
///     d_i = A·(p_i − r_i),  e_i = y_i − A·r_i,  w* = Σ d_i·e_i / Σ d_i²,  w = clamp(w*, 0, 1)
///
/// (the sum of squares is a parabola in w, so clamping its vertex gives the constrained optimum).
///
///     // A = 100, p = [0.5, 0.5, 0], r = [0, 0.5, 0.5], published y = [40, 50, 10]:
///     WeightInference(published: [40, 50, 10], total: 100, settledShares: p, permitShares: r)
///     // d = [50, 0, −50], e = [40, 0, −40]: w* = 4000/5000 = 0.8; residuals [0, 0, 0]
public struct WeightInference: Sendable {
    /// The inferred weight of the settled factor, in [0, 1]; permits get 1 − w.
    public let settledWeight: Rational
    /// The unconstrained optimum w* before clamping (nil when the data cannot tell the weights apart).
    public let unconstrained: Rational?
    /// y_i − A·(w·p_i + (1 − w)·r_i), in the same unit as the amounts.
    public let residuals: [Rational]
    /// A·(w·p_i + (1 − w)·r_i).
    public let fitted: [Rational]

    public var permitsWeight: Rational { .one - settledWeight }
    /// True when w* was outside [0, 1] and was moved to the nearer end.
    public var wasClamped: Bool { unconstrained.map { $0 != settledWeight } ?? false }
    /// Σ residual².
    public var sumOfSquares: Rational { residuals.reduce(Rational.zero) { $0 + $1 * $1 } }

    /// - Parameters:
    ///   - published: y_i, the published amounts of the counties compared.
    ///   - total: A, the amount the shares divide (same unit as `published`).
    ///   - settledShares / permitShares: p_i and r_i of the same counties.
    ///   - fallback: the weight used when every p_i = r_i (no weight fits better than another).
    /// - Complexity: O(n) exact rational operations.
    public init(published y: [Rational], total a: Rational, settledShares p: [Rational], permitShares r: [Rational],
                fallback: Rational = Rational(1, 2)) {
        precondition(y.count == p.count && p.count == r.count)
        var dd = Rational.zero, de = Rational.zero
        for i in y.indices {
            let d = a * (p[i] - r[i])
            dd += d * d
            de += d * (y[i] - a * r[i])
        }
        let optimum = dd.isZero ? nil : de / dd
        let w = optimum.map { Swift.min(Swift.max($0, .zero), .one) } ?? fallback
        unconstrained = optimum
        settledWeight = w
        let fitted = y.indices.map { a * (w * p[$0] + (.one - w) * r[$0]) }
        self.fitted = fitted
        residuals = y.indices.map { y[$0] - fitted[$0] }
    }
}
