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
    /// Factors with weight > 0, in the order settled, permits.
    public let factors: [Factor]
    public let weights: [Factor: Rational]
    /// v_{i,f}: the factor value before coefficients, per factor, per county.
    public let values: [Factor: [Rational]]
    /// Π of the listed coefficient columns, per county.
    public let coefficientProducts: [Rational]
    /// Σ_j a_{j,f}: the adjusted total of each factor.
    public let adjustedTotals: [Factor: Rational]
    /// s_i = shareNumerators[i] / shareDenominator, in lowest common terms.
    public let shareNumerators: [BigInt]
    public let shareDenominator: BigInt

    /// a_{i,f} = v_{i,f} · Π coefficients.
    public func adjusted(_ factor: Factor, _ county: Int) -> Rational {
        values[factor]![county] * coefficientProducts[county]
    }

    /// a_{i,f} / Σ_j a_{j,f}.
    public func factorShare(_ factor: Factor, _ county: Int) -> Rational {
        adjusted(factor, county) / adjustedTotals[factor]!
    }

    /// s_i, the weighted share.
    public func share(_ county: Int) -> Rational {
        Rational(shareNumerators[county], shareDenominator)
    }

    /// The settled factor value of one row: Σ_o c_o·n_o + Σ_k d_k·prior_k.
    public static func settledValue(_ row: SettlementRow, policy: MoneyPolicy) -> Rational {
        var value = Rational.zero
        for (kind, count) in row.origins where !count.isZero {
            value += (policy.originCoefficients[kind] ?? .one) * Rational(count)
        }
        for (k, count) in row.priors.enumerated() where k < policy.priorDecay.count && !count.isZero {
            value += policy.priorDecay[k] * Rational(count)
        }
        return value
    }

    /// The weight-independent integers the shares are built from (a sweep reuses them).
    public let integers: FactorIntegers

    /// - Throws: `InputError` when a weighted factor's column is missing or its adjusted total is 0.
    public init(table: SettlementTable, policy: MoneyPolicy) throws(InputError) {
        let factors = Factor.allCases.filter { (policy.weights[$0] ?? .zero) > .zero }
        let integers = try FactorIntegers(table: table, policy: policy, factors: factors)
        var (numerators, denominator) = integers.shares(weights: policy.weights)
        // Lowest common terms, so explanations print the smallest integers.
        let common = numerators.reduce(denominator) { gcd($0, $1) }
        if common > 1 {
            numerators = numerators.map { $0 / common }
            denominator /= common
        }
        self.factors = factors
        self.weights = policy.weights
        self.values = integers.values
        self.coefficientProducts = integers.coefficientProducts
        self.adjustedTotals = integers.adjustedTotals
        self.shareNumerators = numerators
        self.shareDenominator = denominator
        self.integers = integers
    }
}

func gcd(_ a: BigInt, _ b: BigInt) -> BigInt {
    BigInt(a.magnitude.greatestCommonDivisor(with: b.magnitude))
}

func lcm(_ a: BigInt, _ b: BigInt) -> BigInt {
    a / gcd(a, b) * b
}
