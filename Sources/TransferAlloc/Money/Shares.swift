import BigInt

/// Each county's factor values and exact share of the money (contract §3.2–3.3). The shares
/// depend on the table and the policy only, so every scenario of a run reuses them.
///
/// Worked example (weights settled 0.8, permits 0.2; no coefficient columns):
///
///     county  settled factor  permits   share
///     A       100             10        0.8·100/200 + 0.2·10/40 = 0.45
///     B       100             30        0.8·100/200 + 0.2·30/40 = 0.55
public struct FactorTable: Sendable {
    /// Factors with weight > 0, in factor order (settled, permits, then by key).
    public let factors: [Factor]
    public let weights: [Factor: Rational]
    /// v_{i,f}: the factor value before coefficients, per factor, per county.
    public let values: [Factor: [Rational]]
    /// Π of the coefficient columns every weighted factor lists, per county (the `coefficient`
    /// output column; with the list form of `coefficient_columns`, all of them).
    public let coefficientProducts: [Rational]
    /// Π of each factor's own coefficient columns, per county.
    public let factorProducts: [Factor: [Rational]]
    /// Σ_j a_{j,f}: the adjusted total of each factor.
    public let adjustedTotals: [Factor: Rational]
    /// s_i = shareNumerators[i] / shareDenominator, in lowest common terms.
    public let shareNumerators: [BigInt]
    public let shareDenominator: BigInt

    /// a_{i,f} = v_{i,f} · Π coefficients (the factor's own).
    public func adjusted(_ factor: Factor, _ county: Int) -> Rational {
        values[factor]![county] * factorProducts[factor]![county]
    }

    /// a_{i,f} / Σ_j a_{j,f}.
    public func factorShare(_ factor: Factor, _ county: Int) -> Rational {
        adjusted(factor, county) / adjustedTotals[factor]!
    }

    /// s_i, the weighted share.
    public func share(_ county: Int) -> Rational {
        Rational(shareNumerators[county], shareDenominator)
    }

    /// The weight-independent integers the shares are built from (a sweep reuses them).
    public let integers: FactorIntegers

    /// - Throws: `InputError` when a weighted factor's column is missing or its adjusted total is 0.
    public init(table: SettlementTable, policy: MoneyPolicy) throws(InputError) {
        self.init(integers: try FactorIntegers(table: table, policy: policy, factors: policy.weightedFactors),
                  weights: policy.weights)
    }

    /// The shares under `weights` from factor integers computed before (for the same factors).
    ///
    /// - Precondition: every factor with weight > 0 is one of `integers.factors`.
    public init(integers: FactorIntegers, weights: [Factor: Rational]) {
        let factors = Factor.ordered(weights.keys.filter { weights[$0]! > .zero })
        var (numerators, denominator) = integers.shares(weights: weights)
        // Lowest common terms, so explanations print the smallest integers.
        // Not over `numerators + [denominator]`: that copy is a BigInt per county.
        let common = gcd(commonDivisor(numerators), denominator)
        if common > 1 {
            numerators = numerators.map { $0 / common }
            denominator /= common
        }
        self.factors = factors
        self.weights = weights
        self.values = integers.values
        self.coefficientProducts = integers.coefficientProducts
        self.factorProducts = integers.factorProducts
        self.adjustedTotals = integers.adjustedTotals
        self.shareNumerators = numerators
        self.shareDenominator = denominator
        self.integers = integers
    }
}

extension FactorIntegers {
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
        precondition(weights.allSatisfy { $0.value <= .zero || factors.contains($0.key) },
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
