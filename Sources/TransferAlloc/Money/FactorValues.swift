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
    /// The factors computed, in factor order (settled, permits, then by key).
    public let factors: [Factor]
    /// v_{i,f}: the factor value before coefficients.
    public let values: [Factor: [Rational]]
    /// Π of the coefficient columns every computed factor lists, per county (with the list form
    /// of `coefficient_columns`, all of them).
    public let coefficientProducts: [Rational]
    /// Π of each factor's own coefficient columns, per county.
    public let factorProducts: [Factor: [Rational]]
    /// The products computed, by the list of columns multiplied (the engine keeps them).
    let productsByColumns: [[String]: [Rational]]
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
    ///   - coefficientProducts: `coefficientProducts(table:columns:)` by list of columns, those
    ///     the caller has already (the others are computed here).
    ///   - previous: integers computed before on the same table; a factor they hold whose value
    ///     reads nothing that differs between their policy and this one (`readsSameValues`) is
    ///     taken from them instead of computed again.
    /// - Throws: `InputError` when a factor's column is missing or its adjusted total is 0.
    /// - Complexity: O(n·|factors|) rational operations.
    public init(table: SettlementTable, policy: MoneyPolicy, factors: [Factor],
                coefficientProducts given: [[String]: [Rational]] = [:],
                previous: (integers: FactorIntegers, policy: MoneyPolicy)? = nil) throws(InputError) {
        let factors = Factor.ordered(factors)
        let weightText = { (factor: Factor) in (policy.weights[factor] ?? .zero).plainText }
        if factors.contains(.permits) && !table.hasPermitHolders {
            throw InputError(file: table.file, line: table.headerLine, column: "permit_holders",
                             problem: "is missing, but the policy weighs the permits factor \(weightText(.permits))",
                             accepted: "a permit_holders (居住证持有人数) column, or money.weights.permits = 0")
        }
        for factor in factors where !factor.isBuiltIn && !table.factorColumns.contains(factor.key) {
            let aliases = Factor.knownAliases.first { $0.key == factor.key }?.aliases.dropFirst() ?? []
            throw InputError(file: table.file, line: table.headerLine, column: factor.key,
                             problem: "is missing, but the policy weighs the factor \(factor.key) \(weightText(factor))",
                             accepted: "a \(factor.key)\(aliases.isEmpty ? "" : " (" + aliases.joined(separator: ", ") + ")") column, "
                                 + "or money.weights.\(factor.key) = 0")
        }
        var productsByColumns = given
        func products(_ columns: [String]) -> [Rational] {
            if let known = productsByColumns[columns] { return known }
            let computed = FactorIntegers.coefficientProducts(table: table, columns: columns)
            productsByColumns[columns] = computed
            return computed
        }
        let commonColumns = FactorIntegers.commonColumns(policy: policy, factors: factors)
        let common = products(commonColumns)
        var factorProducts: [Factor: [Rational]] = [:]
        var values: [Factor: [Rational]] = [:]
        var adjustedTotals: [Factor: Rational] = [:]
        var integers: [Factor: [BigInt]] = [:]
        var totals: [Factor: BigInt] = [:]
        for factor in factors {
            if let previous, previous.integers.factors.contains(factor),
               FactorIntegers.readsSameValues(factor, previous.policy, policy) {
                values[factor] = previous.integers.values[factor]
                factorProducts[factor] = previous.integers.factorProducts[factor]
                adjustedTotals[factor] = previous.integers.adjustedTotals[factor]
                integers[factor] = previous.integers.integers[factor]
                totals[factor] = previous.integers.totals[factor]
                continue
            }
            let column = FactorValues.values(factor, table: table, policy: policy)
            values[factor] = column
            let columns = policy.coefficientColumns(for: factor)
            let factorProduct = columns == commonColumns ? common : products(columns)
            factorProducts[factor] = factorProduct
            let adjusted = zip(column, factorProduct).map { $0 * $1 }
            // Integers with the same ratios: each a_i times the common denominator L. Their
            // sum over L is the adjusted total, so no rational addition is needed.
            var (scaled, denominator) = Rational.overCommonDenominator(adjusted)
            let scaledTotal = scaled.reduce(BigInt(word: 0), +)
            let total = Rational(scaledTotal, denominator)
            guard total > .zero else {
                throw InputError(file: table.file, column: factor == .settled ? "settlers" : factor == .permits ? "permit_holders" : factor.key,
                                 problem: "give the \(factor.key) factor an adjusted total of 0 (after coefficients), so its weight \(weightText(factor)) cannot be shared out",
                                 accepted: "at least one county with a non-zero \(factor.key) value and coefficient, or weight 0 for that factor")
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
        self.init(factors: factors, values: values, coefficientProducts: common, factorProducts: factorProducts,
                  productsByColumns: productsByColumns, adjustedTotals: adjustedTotals, integers: integers, totals: totals)
    }

    /// Whether `factor`'s adjusted values are the same under both policies: the settled factor
    /// reads the origin coefficients, the prior decays and its coefficient columns; the permits
    /// factor and every column factor only their coefficient columns (contract §3.2, §10.1).
    /// The weights are read by none.
    static func readsSameValues(_ factor: Factor, _ a: MoneyPolicy, _ b: MoneyPolicy) -> Bool {
        guard a.coefficientColumns(for: factor) == b.coefficientColumns(for: factor) else { return false }
        if factor == .settled { return a.originCoefficients == b.originCoefficients && a.priorDecay == b.priorDecay }
        return true
    }

    /// The coefficient columns every one of `factors` lists, in the policy's order: what the
    /// single `coefficient` output column multiplies (all of them with the list form).
    static func commonColumns(policy: MoneyPolicy, factors: [Factor]) -> [String] {
        guard policy.factorCoefficientColumns != nil else { return policy.coefficientColumns }
        let lists = factors.map { policy.coefficientColumns(for: $0) }
        guard let first = lists.first else { return [] }
        return first.filter { name in lists.allSatisfy { $0.contains(name) } }
    }

    /// Π of the listed coefficient columns for each row (an empty cell counts as 1): the factor
    /// of every adjusted value a_{i,f} = v_{i,f} · Π coefficients (contract §3.2).
    ///
    ///     // fiscal_coef 0.8930, other_coef 1.25 → 0.8930 × 1.25 = 1.11625
    ///
    /// - Complexity: O(rows × columns).
    public static func coefficientProducts(table: SettlementTable, columns: [String]) -> [Rational] {
        table.rows.map { row in columns.reduce(Rational.one) { $0 * (row.coefficients[$1] ?? .one) } }
    }

    /// Stores the parts and the Int128 copy of the integers when they are narrow enough.
    init(factors: [Factor], values: [Factor: [Rational]], coefficientProducts: [Rational],
                 factorProducts: [Factor: [Rational]], productsByColumns: [[String]: [Rational]],
                 adjustedTotals: [Factor: Rational], integers: [Factor: [BigInt]], totals: [Factor: BigInt]) {
        self.factors = factors
        self.values = values
        self.coefficientProducts = coefficientProducts
        self.factorProducts = factorProducts
        self.productsByColumns = productsByColumns
        self.adjustedTotals = adjustedTotals
        self.integers = integers
        self.totals = totals
        let width = integers.values.flatMap { $0 }.reduce(0) { Swift.max($0, $1.magnitudeBitWidth) }
        integerBitWidth = width
        narrowIntegers = width <= 120 ? integers.mapValues { $0.map { Int128($0) } } : nil
    }
}

/// The factor-value rule (contract §3.2, §10.1, §10.2), in one place: the value v_{i,f} of every
/// factor, and the terms `explain` prints.
///
/// - settled: Σ_o c_o·n_o + Σ_k d_k·prior_k over the origin columns present and the prior
///   years; a prior year given by origin contributes d_k·Σ_o c_o·prior_{k,o} instead.
/// - permits: permit_holders.
/// - any other factor: its column's cell (a decimal ≥ 0; empty = 0).
public enum FactorValues {
    /// v_{i,f} for every row.
    ///
    ///     // migrant_pupils cells "12.5", "" → [25/2, 0]
    ///
    /// - Precondition: a column factor's column was read (`table.factorColumns`).
    /// - Complexity: O(rows · (origins + K)).
    public static func values(_ factor: Factor, table: SettlementTable, policy: MoneyPolicy) -> [Rational] {
        switch factor {
        // Each row's cells read in place: a copied row retains every one of its fields, and a
        // factor-value sweep takes every county's value at every value.
        case .settled:
            let coefficients = SettledCoefficients(policy)
            return table.rows.indices.map { i in
                coefficients.value(origins: table.rows[i].origins, priors: table.rows[i].priors,
                                   priorOrigins: table.rows[i].priorOrigins)
            }
        case .permits: return table.rows.indices.map { Rational(table.rows[$0].permitHolders) }
        default: return table.rows.indices.map { table.rows[$0].factorValues[factor.key] ?? .zero }
        }
    }

    /// The settled factor value of one row: Σ_o c_o·n_o + Σ_k d_k·prior_k (the sum of the
    /// products of `settledTerms`, computed over one common denominator).
    public static func settledValue(_ row: SettlementRow, policy: MoneyPolicy) -> Rational {
        SettledCoefficients(policy).value(row)
    }

    /// The terms of any factor of one row: `settledTerms` for settled, the permit holders for
    /// permits, the column's cell for any other factor (coefficient 1). Their products add up
    /// to the factor value.
    public static func terms(_ factor: Factor, row: SettlementRow, policy: MoneyPolicy) -> [FactorTerm] {
        switch factor {
        case .settled: return settledTerms(row, policy: policy)
        case .permits: return [FactorTerm(input: "permit_holders", count: row.permitHolders, coefficient: .one, policyPath: nil)]
        default: return [FactorTerm(input: factor.key, quantity: row.factorValues[factor.key] ?? .zero, coefficient: .one,
                                    policyPath: nil)]
        }
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
            let decayPath = "money.prior_decay[\(k + 1)]"
            if k < row.priorOrigins.count, !row.priorOrigins[k].isEmpty {
                for kind in OriginKind.allCases {
                    guard let count = row.priorOrigins[k][kind] else { continue }
                    let origin = policy.originCoefficients[kind] ?? .one
                    terms.append(FactorTerm(input: SettlementColumn.priorOrigin(k + 1, kind).key, count: count,
                                            coefficient: inList ? policy.priorDecay[k] * origin : .zero,
                                            policyPath: inList ? "\(decayPath) × money.origin_coefficients.\(kind.rawValue)" : nil))
                }
                continue
            }
            terms.append(FactorTerm(input: "prior_\(k + 1)", count: count,
                                    coefficient: inList ? policy.priorDecay[k] : .zero,
                                    policyPath: inList ? decayPath : nil))
        }
        return terms
    }
}

/// One term of a factor value: an input count times the coefficient the policy gives it.
public struct FactorTerm: Sendable, Equatable {
    /// The column read: `cross_province`, `prior_2`, `permit_holders`, `migrant_pupils`…
    public let input: String
    /// The cell read: a whole count, or a column factor's decimal value.
    public let quantity: Rational
    /// The cell as a whole count (its whole part for a column factor's decimal value).
    public var count: BigInt { quantity.floor }
    /// The multiplier (1 for permit holders; 0 for a prior year beyond the decay list).
    public let coefficient: Rational
    /// The policy value that gives the coefficient (nil when none does); for a prior year by
    /// origin, the decay and the origin coefficient joined by ` × `.
    public let policyPath: String?

    /// The policy paths the coefficient reads.
    public var policyPaths: [String] {
        policyPath.map { $0.components(separatedBy: " × ") } ?? []
    }

    public init(input: String, count: BigInt, coefficient: Rational, policyPath: String?) {
        self.init(input: input, quantity: Rational(count), coefficient: coefficient, policyPath: policyPath)
    }

    public init(input: String, quantity: Rational, coefficient: Rational, policyPath: String?) {
        self.input = input
        self.quantity = quantity
        self.coefficient = coefficient
        self.policyPath = policyPath
    }

    public var product: Rational { coefficient * quantity }
}

/// The origin coefficients and decays over one common denominator, so a row's settled value is
/// an integer sum over that denominator (one normalisation per row instead of one per term).
struct SettledCoefficients {
    let denominator: BigInt
    let origin: [OriginKind: BigInt]
    let decay: [BigInt]
    /// d_k·c_o for the prior years given by origin (contract §10.2), at k − 1.
    let priorOrigin: [[OriginKind: BigInt]]
    /// The same coefficients as words, when every one fits (nil: the BigInt path only).
    /// By `OriginKind.ordinal` (nil for an origin without a coefficient): an array lookup per
    /// count instead of a hash.
    let narrowOrigin: [UInt64?]?
    let narrowDecay: [UInt64]?
    let narrowPriorOrigin: [[OriginKind: UInt64]]?

    init(_ policy: MoneyPolicy) {
        let origins = [OriginKind.crossProvince, .withinProvince, .withinCity]
        let products = policy.priorDecay.map { d in
            Dictionary(uniqueKeysWithValues: origins.map { ($0, d * (policy.originCoefficients[$0] ?? .one)) })
        }
        let all = Array(policy.originCoefficients.values) + policy.priorDecay + products.flatMap(\.values)
        let d = commonMultiple(ofDenominators: all)
        denominator = d
        let origin = policy.originCoefficients.mapValues { $0.numerator * (d / $0.denominator) }
        self.origin = origin
        decay = policy.priorDecay.map { $0.numerator * (d / $0.denominator) }
        priorOrigin = products.map { $0.mapValues { $0.numerator * (d / $0.denominator) } }
        func narrow(_ value: BigInt) -> UInt64? { value.sign == .plus ? value.smallMagnitude : nil }
        narrowOrigin = origin.allSatisfy { narrow($0.value) != nil }
            ? OriginKind.allCases.map { kind in origin[kind].map { narrow($0)! } } : nil
        narrowDecay = decay.allSatisfy { narrow($0) != nil } ? decay.map { narrow($0)! } : nil
        narrowPriorOrigin = priorOrigin.allSatisfy { $0.values.allSatisfy { narrow($0) != nil } }
            ? priorOrigin.map { $0.mapValues { narrow($0)! } } : nil
    }

    /// Σ_o c_o·n_o + Σ_k d_k·prior_k (prior years beyond the decay list weigh 0; an origin
    /// without a coefficient in the policy weighs 1).
    func value(_ row: SettlementRow) -> Rational {
        value(origins: row.origins, priors: row.priors, priorOrigins: row.priorOrigins)
    }

    /// `value` of a row with these cells (`SettlementRow.origins`, `priors`, `priorOrigins`).
    func value(origins: [OriginKind: BigInt], priors: [BigInt], priorOrigins: [[OriginKind: BigInt]]) -> Rational {
        if let sum = narrowSum(origins: origins, priors: priors, priorOrigins: priorOrigins) {
            return Rational(BigInt(magnitude128: sum, negative: false), denominator)
        }
        var sum = BigInt(0)
        for (kind, count) in origins where !count.isZero {
            sum += (origin[kind] ?? denominator) * count
        }
        for (k, count) in priors.enumerated() where k < decay.count && !count.isZero {
            if k < priorOrigins.count && !priorOrigins[k].isEmpty {
                for (kind, n) in priorOrigins[k] where !n.isZero { sum += priorOrigin[k][kind]! * n }
            } else {
                sum += decay[k] * count
            }
        }
        return Rational(sum, denominator)
    }

    /// The same sum in 128 bits when every coefficient and count fits in 64 bits and no step
    /// overflows (counts are at most 10^12, so in practice always); nil otherwise.
    private func narrowSum(origins: [OriginKind: BigInt], priors: [BigInt], priorOrigins: [[OriginKind: BigInt]]) -> UInt128? {
        guard let unit = denominator.smallMagnitude else { return nil }
        var sum: UInt128 = 0
        func add(_ coefficient: UInt64, _ count: BigInt) -> Bool {
            guard let n = count.smallMagnitude, count.sign == .plus else { return false }
            let (next, overflow) = sum.addingReportingOverflow(UInt128(coefficient) * UInt128(n))
            sum = next
            return !overflow
        }
        guard let narrowOrigin, let narrowDecay, let narrowPriorOrigin else { return nil }
        for (kind, count) in origins where !count.isZero {
            guard add(narrowOrigin[kind.ordinal] ?? unit, count) else { return nil }
        }
        for (k, count) in priors.enumerated() where k < narrowDecay.count && !count.isZero {
            if k < priorOrigins.count && !priorOrigins[k].isEmpty {
                for (kind, n) in priorOrigins[k] where !n.isZero {
                    guard add(narrowPriorOrigin[k][kind]!, n) else { return nil }
                }
            } else {
                guard add(narrowDecay[k], count) else { return nil }
            }
        }
        return sum
    }
}

extension OriginKind {
    /// Position in `allCases`, for tables indexed by origin.
    var ordinal: Int {
        switch self {
        case .crossProvince: 0
        case .withinProvince: 1
        case .withinCity: 2
        case .settled: 3
        }
    }
}
