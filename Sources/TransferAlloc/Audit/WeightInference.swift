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
    /// A·(w·p_i + (1 − w)·r_i) = fittedNumerators[i] / denominator. Kept over one common
    /// denominator: reducing thousands of large fractions would cost more than the fit.
    public let fittedNumerators: [BigInt]
    /// y_i − fitted_i = residualNumerators[i] / denominator.
    public let residualNumerators: [BigInt]
    /// The common denominator (> 0) of the fitted values and residuals.
    public let denominator: BigInt

    /// A·(w·p_i + (1 − w)·r_i), in the same unit as the amounts.
    public func fitted(_ i: Int) -> Rational { Rational(fittedNumerators[i], denominator) }
    /// y_i − A·(w·p_i + (1 − w)·r_i).
    public func residual(_ i: Int) -> Rational { Rational(residualNumerators[i], denominator) }
    public var fitted: [Rational] { fittedNumerators.indices.map { fitted($0) } }
    public var residuals: [Rational] { residualNumerators.indices.map { residual($0) } }
    /// The largest |residual|.
    public var largestResidual: Rational {
        Rational(residualNumerators.map(\.magnitude).max().map(BigInt.init) ?? 0, denominator)
    }

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
        // Integers over common denominators (p_i = P_i/L, r_i = R_i/L, y_i = Y_i/M, A = N/K), so
        // the sums are integer sums: adding n fractions one by one would grow every denominator.
        //   w* = Σ d·e / Σ d² = Σ (P−R)·(Y·L·K − N·R·M) / (N·M · Σ (P−R)²)
        let l = commonMultiple(ofDenominators: p + r)
        let m = commonMultiple(ofDenominators: y)
        let bigP = p.map { $0.numerator * (l / $0.denominator) }
        let bigR = r.map { $0.numerator * (l / $0.denominator) }
        let bigY = y.map { $0.numerator * (m / $0.denominator) }
        let n = a.numerator, k = a.denominator
        var numerator = BigInt(0), squares = BigInt(0)
        for i in y.indices {
            let d = bigP[i] - bigR[i]
            numerator += d * (bigY[i] * l * k - n * bigR[i] * m)
            squares += d * d
        }
        let optimum = squares.isZero || n.isZero ? nil : Rational(numerator, n * m * squares)
        let w = optimum.map { Swift.min(Swift.max($0, .zero), .one) } ?? fallback
        unconstrained = optimum
        settledWeight = w
        // fitted_i = N·(w·P_i + (1 − w)·R_i)·M / (K·wd·L·M), residual_i = (Y_i·K·wd·L − that) / same.
        let wn = w.numerator, wd = w.denominator
        let scale = k * wd * l
        denominator = scale * m
        let fitted = y.indices.map { n * (wn * bigP[$0] + (wd - wn) * bigR[$0]) * m }
        fittedNumerators = fitted
        residualNumerators = y.indices.map { bigY[$0] * scale - fitted[$0] }
    }
}
