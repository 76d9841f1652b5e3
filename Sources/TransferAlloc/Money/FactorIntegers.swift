import BigInt

/// The part of the factor shares that does not depend on the weights: for each factor f, the
/// integers α_if in the same ratios as the adjusted values a_{i,f}, and their totals T_f
/// (contract §3.2–3.3). `FactorTable` builds its shares from it; a weight sweep keeps one and
/// calls `shares(weights:)` once per value instead of redoing the rational arithmetic.
///
///     // a_settled = [100, 100], a_permits = [10, 30]: α_settled = [1, 1], T = 2;
///     // α_permits = [1, 3], T = 4.
///     let shares = integers.shares(weights: [.settled: Rational(4, 5), .permits: Rational(1, 5)])
///     // ω = [4, 1] over W = 5; multipliers 4·4 = 16 and 1·2 = 2 over D = 5·2·4 = 40,
///     // divided by their common 2: N = [8·1 + 1·1, 8·1 + 1·3] = [9, 11], D = 20 → s = [0.45, 0.55]
///
/// Because s_i = Σ_f w_f·α_if/T_f, only N_i = Σ_f ω_f·α_if·Π_{g≠f}T_g changes with the weights
/// (ω_f = w_f·W, W the common denominator of the weights).
public struct FactorIntegers: Sendable {
    /// The factors computed, in the order settled, permits.
    public let factors: [Factor]
    /// v_{i,f}: the factor value before coefficients.
    public let values: [Factor: [Rational]]
    /// Π of the listed coefficient columns, per county.
    public let coefficientProducts: [Rational]
    /// Σ_j a_{j,f}, exact.
    public let adjustedTotals: [Factor: Rational]
    /// α_if: integers with the ratios of a_{i,f}, divided by their common divisor.
    public let integers: [Factor: [BigInt]]
    /// T_f = Σ_i α_if (> 0).
    public let totals: [Factor: BigInt]
    /// α_if as Int128 when every one fits (the usual case), for allocation-free sweeps.
    let narrowIntegers: [Factor: [Int128]]?
    /// The widest α_if, in bits.
    let integerBitWidth: Int

    /// - Parameters:
    ///   - factors: the factors to compute (normally those the policy weighs > 0).
    ///   - policy: origin coefficients, decays, coefficient columns; its weights only appear in
    ///     error messages.
    /// - Throws: `InputError` when a factor's column is missing or its adjusted total is 0.
    /// - Complexity: O(n·|factors|) rational operations.
    public init(table: SettlementTable, policy: MoneyPolicy, factors: [Factor]) throws(InputError) {
        let weightText = { (factor: Factor) in (policy.weights[factor] ?? .zero).plainText }
        if factors.contains(.permits) && !table.hasPermitHolders {
            throw InputError(file: table.file, line: table.headerLine, column: "permit_holders",
                             problem: "is missing, but the policy weighs the permits factor \(weightText(.permits))",
                             accepted: "a permit_holders (居住证持有人数) column, or money.weights.permits = 0")
        }
        let products = table.rows.map { row in
            policy.coefficientColumns.reduce(Rational.one) { $0 * (row.coefficients[$1] ?? .one) }
        }
        var values: [Factor: [Rational]] = [:]
        var adjustedTotals: [Factor: Rational] = [:]
        var integers: [Factor: [BigInt]] = [:]
        var totals: [Factor: BigInt] = [:]
        for factor in factors {
            let column: [Rational] = switch factor {
            case .settled: table.rows.map(SettledCoefficients(policy).value)
            case .permits: table.rows.map { Rational($0.permitHolders) }
            }
            values[factor] = column
            let adjusted = zip(column, products).map { $0 * $1 }
            // Integers with the same ratios: each a_i times the common denominator L. Their
            // sum over L is the adjusted total, so no rational addition is needed.
            var (scaled, denominator) = Rational.overCommonDenominator(adjusted)
            let scaledTotal = scaled.reduce(BigInt(word: 0), +)
            let total = Rational(scaledTotal, denominator)
            guard total > .zero else {
                throw InputError(file: table.file, column: factor == .settled ? "settlers" : "permit_holders",
                                 problem: "give the \(factor.rawValue) factor an adjusted total of 0 (after coefficients), so its weight \(weightText(factor)) cannot be shared out",
                                 accepted: "at least one county with a non-zero \(factor.rawValue) value and coefficient, or weight 0 for that factor")
            }
            adjustedTotals[factor] = total
            // Divided by their common factor so the fast Int128 path applies as often as possible.
            let common = commonDivisor(scaled)
            if !common.isOne {
                scaled = scaled.map { $0 / common }
                integers[factor] = scaled
                totals[factor] = scaledTotal / common
            } else {
                integers[factor] = scaled
                totals[factor] = scaledTotal
            }
        }
        self.init(factors: factors, values: values, coefficientProducts: products,
                  adjustedTotals: adjustedTotals, integers: integers, totals: totals)
    }

    /// The same integers with one factor's α_if and T_f replaced (a sweep of a value the factor
    /// depends on). `values` and `adjustedTotals` keep the original's: only shares are asked of it.
    ///
    /// - Precondition: `factor` is one of `factors`, `integers` has one entry per county, `total`
    ///   is their sum and > 0.
    func replacing(_ factor: Factor, integers replacement: [BigInt], total: BigInt) -> FactorIntegers {
        precondition(factors.contains(factor) && replacement.count == coefficientProducts.count && total > 0)
        var integers = self.integers
        var totals = self.totals
        integers[factor] = replacement
        totals[factor] = total
        return FactorIntegers(factors: factors, values: values, coefficientProducts: coefficientProducts,
                              adjustedTotals: adjustedTotals, integers: integers, totals: totals)
    }

    /// Stores the parts and the Int128 copy of the integers when they are narrow enough.
    private init(factors: [Factor], values: [Factor: [Rational]], coefficientProducts: [Rational],
                 adjustedTotals: [Factor: Rational], integers: [Factor: [BigInt]], totals: [Factor: BigInt]) {
        self.factors = factors
        self.values = values
        self.coefficientProducts = coefficientProducts
        self.adjustedTotals = adjustedTotals
        self.integers = integers
        self.totals = totals
        let width = integers.values.flatMap { $0 }.reduce(0) { Swift.max($0, $1.magnitudeBitWidth) }
        integerBitWidth = width
        narrowIntegers = width <= 120 ? integers.mapValues { $0.map { Int128($0) } } : nil
    }

    /// The shares under `weights`: s_i = numerators[i] / denominator.
    ///
    /// Factors whose weight is 0 (or absent) are skipped entirely, as in `FactorTable`. The
    /// result is divided only by the common divisor of the per-factor multipliers (two gcds),
    /// not by the gcd of all numerators, so a sweep stays O(n) big-integer multiply-adds per
    /// value; the ratios, and so every apportionment, are the same.
    ///
    /// - Precondition: every factor with weight > 0 is in `factors`.
    /// - Complexity: O(n·|factors|) multiply-adds.
    public func shares(weights: [Factor: Rational]) -> (numerators: [BigInt], denominator: BigInt) {
        let weighted = factors.filter { (weights[$0] ?? .zero) > .zero }
        precondition(Factor.allCases.allSatisfy { (weights[$0] ?? .zero) <= .zero || factors.contains($0) },
                     "a weighted factor was not computed")
        // s_i = Σ_f w_f·α_if/T_f = Σ_f ω_f·α_if·Π_{g≠f} T_g / (W·Π_f T_f).
        let weightDenominator = weighted.reduce(BigInt(1)) { lcm($0, weights[$1]!.denominator) }
        var denominator = weightDenominator
        for factor in weighted { denominator *= totals[factor]! }
        var multipliers: [BigInt] = weighted.map { factor in
            let w = weights[factor]!
            var multiplier = w.numerator * (weightDenominator / w.denominator)
            for other in weighted where other != factor { multiplier *= totals[other]! }
            return multiplier
        }
        let common = commonDivisor(multipliers + [denominator])
        if common > 1 {
            multipliers = multipliers.map { $0 / common }
            denominator /= common
        }
        // Σ_f m_f·α_if < 2^126 when each term is below 2^125 and there are at most 2 factors.
        let multiplierWidth = multipliers.reduce(0) { Swift.max($0, $1.magnitudeBitWidth) }
        if let narrow = narrowIntegers, weighted.count <= 2, multiplierWidth + integerBitWidth <= 125 {
            var sums = Array(repeating: Int128(0), count: coefficientProducts.count)
            for (factor, multiplier) in zip(weighted, multipliers) {
                let m = Int128(multiplier)
                for (i, alpha) in narrow[factor]!.enumerated() { sums[i] += m * alpha }
            }
            return (sums.map(\.bigInt), denominator)
        }
        var numerators = Array(repeating: BigInt(0), count: coefficientProducts.count)
        for (factor, multiplier) in zip(weighted, multipliers) {
            for (i, alpha) in integers[factor]!.enumerated() { numerators[i] += multiplier * alpha }
        }
        return (numerators, denominator)
    }
}
