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

/// The same least-squares fit over any number of factors (contract §10.1): the weights w_f ≥ 0
/// with Σ w_f = 1 that minimise Σ_i (y_i − A·Σ_f w_f·p_if)², p_if each county's share of factor
/// f's adjusted total. Exact: for every non-empty set S of factors the optimum with the weights
/// outside S at 0 solves the linear system G_S·w + μ·1 = h_S, Σ w = 1 (G_fg = A²·Σ_i p_if·p_ig,
/// h_f = A·Σ_i p_if·y_i); the best of those whose weights are all ≥ 0 is the optimum over the
/// simplex (the sum of squares is convex, and the optimum solves that system on its own support).
/// Equal sums of squares keep the set met first (sets in increasing bit order of the factors).
///
///     // A = 100, y = [40, 50, 10], shares p_settled = [0.5, 0.5, 0], p_permits = [0, 0.5, 0.5],
///     // p_x = [0, 0, 1]: w = settled 0.8, permits 0.2, x 0 reproduces y exactly.
public struct FactorWeightFit: Sendable {
    /// The factors fitted, in factor order.
    public let factors: [Factor]
    /// The inferred weight of each factor (≥ 0, summing to 1).
    public let weights: [Factor: Rational]
    /// A·Σ_f w_f·p_if = fittedNumerators[i] / denominator.
    public let fittedNumerators: [BigInt]
    /// y_i − fitted_i = residualNumerators[i] / denominator.
    public let residualNumerators: [BigInt]
    public let denominator: BigInt

    /// The largest |residual|.
    public var largestResidual: Rational {
        Rational(residualNumerators.map(\.magnitude).max().map(BigInt.init) ?? 0, denominator)
    }
    /// False when the data cannot tell the weights apart (the system over every factor is
    /// singular, e.g. every row has the same share of two factors): then other weights fit as
    /// well, and `weights` is only the first set met.
    public let isDetermined: Bool

    /// The most factors fitted (2^k − 1 linear systems are solved).
    public static let maximumFactors = 8

    /// - Precondition: 1 ≤ factors.count ≤ `maximumFactors`; every share column has y.count values.
    /// - Complexity: O(n·k²) integer multiply-adds, then O(2^k·k³) rational operations.
    public init(published y: [Rational], total a: Rational, shares: [Factor: [Rational]], factors: [Factor]) {
        precondition(!factors.isEmpty && factors.count <= FactorWeightFit.maximumFactors)
        let k = factors.count
        let columns = factors.map { Rational.overCommonDenominator(shares[$0]!) }
        let (bigY, m) = Rational.overCommonDenominator(y)
        var gram = Array(repeating: Array(repeating: Rational.zero, count: k), count: k)
        var h = Array(repeating: Rational.zero, count: k)
        for f in 0..<k {
            for g in f..<k {
                var sum = BigInt(0)
                for i in y.indices { sum += columns[f].integers[i] * columns[g].integers[i] }
                gram[f][g] = a * a * Rational(sum, columns[f].denominator * columns[g].denominator)
                gram[g][f] = gram[f][g]
            }
            var sum = BigInt(0)
            for i in y.indices { sum += columns[f].integers[i] * bigY[i] }
            h[f] = a * Rational(sum, columns[f].denominator * m)
        }
        var best: (weights: [Rational], objective: Rational)?
        for mask in 1..<(1 << k) {
            let support = (0..<k).filter { mask & (1 << $0) != 0 }
            guard let w = FactorWeightFit.solve(gram: gram, h: h, support: support),
                  w.allSatisfy({ !$0.isNegative }) else { continue }
            // Σ(y − A·P·w)² = Σy² − 2·wᵀh + wᵀ·G·w; Σy² is the same for every w, so leave it out.
            var objective = Rational.zero
            for f in support {
                objective -= Rational(2) * w[f] * h[f]
                for g in support { objective += w[f] * gram[f][g] * w[g] }
            }
            if best == nil || objective < best!.objective { best = (w, objective) }
        }
        // A one-factor set always solves (w = 1), so there is a best.
        let w = best!.weights
        isDetermined = k == 1 || FactorWeightFit.solve(gram: gram, h: h, support: Array(0..<k)) != nil
        self.factors = factors
        weights = Dictionary(uniqueKeysWithValues: zip(factors, w))
        // A·Σ_f w_f·P_if/D_f over one denominator, in integers: reducing a fraction per county
        // would cost more than the fit. With w_f = W_f/V and L = lcm(D_f), A = N/K:
        // fitted_i = N·Σ_f W_f·(L/D_f)·P_if / (K·V·L).
        let (weightNumerators, v) = Rational.overCommonDenominator(w)
        let l = columns.reduce(BigInt(1)) { lcm($0, $1.denominator) }
        let scaled = (0..<k).map { weightNumerators[$0] * (l / columns[$0].denominator) }
        let scale = a.denominator * v * l
        denominator = scale * m
        let fitted = y.indices.map { i in
            a.numerator * (0..<k).reduce(BigInt(0)) { $0 + scaled[$1] * columns[$1].integers[i] } * m
        }
        fittedNumerators = fitted
        residualNumerators = y.indices.map { bigY[$0] * scale - fitted[$0] }
    }

    /// The weights (indexed like `gram`, 0 outside `support`) solving G_S·w + μ·1 = h_S, Σ w = 1;
    /// nil when that system is singular.
    static func solve(gram: [[Rational]], h: [Rational], support: [Int]) -> [Rational]? {
        let s = support.count
        // Rows: s equations of the gradient, then the sum; unknowns w_S then μ.
        var matrix: [[Rational]] = support.map { f in support.map { gram[f][$0] } + [.one, h[f]] }
        matrix.append(Array(repeating: .one, count: s) + [.zero, .one])
        let n = s + 1
        for column in 0..<n {
            guard let pivot = (column..<n).first(where: { !matrix[$0][column].isZero }) else { return nil }
            matrix.swapAt(column, pivot)
            for row in 0..<n where row != column && !matrix[row][column].isZero {
                let factor = matrix[row][column] / matrix[column][column]
                for c in column...n { matrix[row][c] -= factor * matrix[column][c] }
            }
        }
        var w = Array(repeating: Rational.zero, count: gram.count)
        for (index, f) in support.enumerated() { w[f] = matrix[index][n] / matrix[index][index] }
        return w
    }
}
