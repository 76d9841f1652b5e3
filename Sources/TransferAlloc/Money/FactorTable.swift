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

    /// The settled factor value of one row: Σ_o c_o·n_o + Σ_k d_k·prior_k (the sum of the
    /// products of `settledTerms`, computed over one common denominator).
    public static func settledValue(_ row: SettlementRow, policy: MoneyPolicy) -> Rational {
        SettledCoefficients(policy).value(row)
    }

    /// The terms of the settled factor of one row: each origin count present times its origin
    /// coefficient, then each prior year times its decay (0 beyond the decay list). Their
    /// products add up to `settledValue` (tests check it); `explain` prints them.
    ///
    ///     // cross_province 100, within_city 50, prior_1 80 under the default policy:
    ///     // [100 × 1.2 = 120, 50 × 0.8 = 40, 80 × 0.8 = 64]
    ///
    /// - Complexity: O(origins + K).
    public static func settledTerms(_ row: SettlementRow, policy: MoneyPolicy) -> [FactorTerm] {
        var terms: [FactorTerm] = []
        for kind in OriginKind.allCases {
            guard let count = row.origins[kind] else { continue }
            terms.append(FactorTerm(input: kind.rawValue, count: count,
                                    coefficient: policy.originCoefficients[kind] ?? .one,
                                    policyPath: "money.origin_coefficients.\(kind.rawValue)"))
        }
        for (k, count) in row.priors.enumerated() {
            let inList = k < policy.priorDecay.count
            terms.append(FactorTerm(input: "prior_\(k + 1)", count: count,
                                    coefficient: inList ? policy.priorDecay[k] : .zero,
                                    policyPath: inList ? "money.prior_decay[\(k + 1)]" : nil))
        }
        return terms
    }

    /// The weight-independent integers the shares are built from (a sweep reuses them).
    public let integers: FactorIntegers

    /// - Throws: `InputError` when a weighted factor's column is missing or its adjusted total is 0.
    public init(table: SettlementTable, policy: MoneyPolicy) throws(InputError) {
        let factors = Factor.allCases.filter { (policy.weights[$0] ?? .zero) > .zero }
        self.init(integers: try FactorIntegers(table: table, policy: policy, factors: factors), weights: policy.weights)
    }

    /// The shares under `weights` from factor integers computed before (for the same factors).
    ///
    /// - Precondition: every factor with weight > 0 is one of `integers.factors`.
    public init(integers: FactorIntegers, weights: [Factor: Rational]) {
        let factors = Factor.allCases.filter { (weights[$0] ?? .zero) > .zero }
        var (numerators, denominator) = integers.shares(weights: weights)
        // Lowest common terms, so explanations print the smallest integers.
        let common = commonDivisor(numerators + [denominator])
        if common > 1 {
            numerators = numerators.map { $0 / common }
            denominator /= common
        }
        self.factors = factors
        self.weights = weights
        self.values = integers.values
        self.coefficientProducts = integers.coefficientProducts
        self.adjustedTotals = integers.adjustedTotals
        self.shareNumerators = numerators
        self.shareDenominator = denominator
        self.integers = integers
    }
}

/// One term of a factor value: an input count times the coefficient the policy gives it.
public struct FactorTerm: Sendable, Equatable {
    /// The column read: `cross_province`, `prior_2`, `permit_holders`…
    public let input: String
    public let count: BigInt
    /// The multiplier (1 for permit holders; 0 for a prior year beyond the decay list).
    public let coefficient: Rational
    /// The policy value that gives the coefficient (nil when none does).
    public let policyPath: String?

    public init(input: String, count: BigInt, coefficient: Rational, policyPath: String?) {
        self.input = input
        self.count = count
        self.coefficient = coefficient
        self.policyPath = policyPath
    }

    public var product: Rational { coefficient * Rational(count) }
}

func gcd(_ a: BigInt, _ b: BigInt) -> BigInt { Rational.gcd(a, b) }

/// The gcd of all values, stopping as soon as it reaches 1 (the usual case, after a few).
func commonDivisor(_ values: [BigInt]) -> BigInt {
    var common = BigInt(0)
    for value in values where !value.isZero {
        common = gcd(common, value)
        if common == 1 { break }
    }
    return common
}

func lcm(_ a: BigInt, _ b: BigInt) -> BigInt {
    a / gcd(a, b) * b
}

/// The origin coefficients and decays over one common denominator, so a row's settled value is
/// an integer sum over that denominator (one normalisation per row instead of one per term).
struct SettledCoefficients {
    let denominator: BigInt
    let origin: [OriginKind: BigInt]
    let decay: [BigInt]
    /// The same coefficients as words, when every one fits (nil: the BigInt path only).
    let narrowOrigin: [OriginKind: UInt64]?
    let narrowDecay: [UInt64]?

    init(_ policy: MoneyPolicy) {
        let all = Array(policy.originCoefficients.values) + policy.priorDecay
        let d = all.reduce(BigInt(1)) { lcm($0, $1.denominator) }
        denominator = d
        origin = policy.originCoefficients.mapValues { $0.numerator * (d / $0.denominator) }
        decay = policy.priorDecay.map { $0.numerator * (d / $0.denominator) }
        func narrow(_ value: BigInt) -> UInt64? { value.sign == .plus ? value.smallMagnitude : nil }
        narrowOrigin = origin.allSatisfy { narrow($0.value) != nil } ? origin.mapValues { narrow($0)! } : nil
        narrowDecay = decay.allSatisfy { narrow($0) != nil } ? decay.map { narrow($0)! } : nil
    }

    /// Σ_o c_o·n_o + Σ_k d_k·prior_k (prior years beyond the decay list weigh 0; an origin
    /// without a coefficient in the policy weighs 1).
    func value(_ row: SettlementRow) -> Rational {
        if let sum = narrowSum(row) { return Rational(BigInt(magnitude128: sum, negative: false), denominator) }
        var sum = BigInt(0)
        for (kind, count) in row.origins where !count.isZero {
            sum += (origin[kind] ?? denominator) * count
        }
        for (k, count) in row.priors.enumerated() where k < decay.count && !count.isZero {
            sum += decay[k] * count
        }
        return Rational(sum, denominator)
    }

    /// The same sum in 128 bits when every coefficient and count fits in 64 bits and no step
    /// overflows (counts are at most 10^12, so in practice always); nil otherwise.
    private func narrowSum(_ row: SettlementRow) -> UInt128? {
        guard let unit = denominator.smallMagnitude else { return nil }
        var sum: UInt128 = 0
        func add(_ coefficient: UInt64, _ count: BigInt) -> Bool {
            guard let n = count.smallMagnitude, count.sign == .plus else { return false }
            let (next, overflow) = sum.addingReportingOverflow(UInt128(coefficient) * UInt128(n))
            sum = next
            return !overflow
        }
        guard let narrowOrigin, let narrowDecay else { return nil }
        for (kind, count) in row.origins where !count.isZero {
            guard add(narrowOrigin[kind] ?? unit, count) else { return nil }
        }
        for (k, count) in row.priors.enumerated() where k < narrowDecay.count && !count.isZero {
            guard add(narrowDecay[k], count) else { return nil }
        }
        return sum
    }
}
