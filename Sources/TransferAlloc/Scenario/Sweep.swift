import BigInt

/// One policy value (or `fund_total`) run over a range: every county's amount — and, for a
/// land value, land quota — at every value (contract §7 `sweep`).
///
///     let sweep = try Sweep(request: request, range: try SweepRange(parsing: "fund_total=400000000:500000000:50000000"))
///     sweep.values.count                       // 3
///     sweep.amountFen(value: 2, county: 0)     // equals `allocate --fund-total 500000000`'s first amount
///
/// Each value's result is the same as an `allocate` run with that value set (`--set PATH=V`, or
/// the scenario's fund_total replaced by V 元); what does not change between values is
/// computed once:
///
/// | varied | computed once | per value |
/// |---|---|---|
/// | `fund_total` | shares, bounds | budget split, `Apportionment` |
/// | `money.weights.*` | per-factor integers α_if, T_f (`FactorIntegers`), bounds | N_i = Σ ω_f·α_if·Π T_g, `Apportionment` |
/// | `money.bounds.*`, `money.granularity` | shares, the bound terms that do not vary (`SweepBoundUnits`) | policy rule (`SweepPolicyModel`), bound units by Int128, `Apportionment` |
/// | `money.origin_coefficients.*`, `money.prior_decay[k]` | bounds, α at 0 and its slope | policy rule (`SweepPolicyModel`), α_i = A_i·q + p·C_i, `Apportionment` |
/// | `land.adjustment`, `land.permit_weight`, `land.tiers[k].standard` | money, demand at 0 and its slope | policy check, D_i = (I_i·q + p·S_i)/(d·q), `LandAllocation` |
/// | `land.tiers[k].up_to` | money, demand with and without tier k (`SweepTierLimit`) | policy check, one of the two per county, `LandAllocation` |
/// | `land.decimals` | money | policy check, `LandDemand`, `LandAllocation` |
///
/// Large sweeps run their values on two threads (`SweepValues`); results and errors are those
/// of one loop.
///
/// Varying a weight sets the others so the weights still sum to 1: each other weight is
/// scaled by (1 − v)/(its group's base sum), or, when the others are all 0, they share 1 − v
/// equally. Weights are linear in v, so every value's weights are ≥ 0 exactly when both
/// endpoints' are: the endpoints go through the policy loader (same checks and messages as
/// `--set`), the values between need no further check.
public struct Sweep: Sendable {
    /// What the varied path changes, which decides what is reused.
    public enum Target: Sendable, Equatable {
        case fundTotal
        case weight(Factor)
        /// `money.origin_coefficients.*` or `money.prior_decay[k]`: the factor values.
        case factorValue
        /// `money.bounds.*` or `money.granularity`.
        case bound
        /// Anything under `land.`: money does not change.
        case land
    }

    public let range: SweepRange
    public let target: Target
    /// The policy without the varied value (the run's file and `--set`s).
    public let policy: Policy
    public let table: SettlementTable
    /// The budget row swept (`--scenario`, else the first).
    public let scenario: Scenario
    public let warnings: [String]
    /// Amount of county i at value k, in fen: `amountsFen[k·countyCount + i]`.
    public let amountsFen: [Int64]
    /// Which bound decided each amount, same layout.
    public let bounds: [BoundKind]
    /// Land quota in precision units per value and county (land targets only), same layout,
    /// and each value's `land.decimals`.
    public let landUnits: [Int64]?
    public let landDecimals: [Int]?

    public var values: [Rational] { range.values }
    public var countyCount: Int { table.rows.count }

    public func amountFen(value k: Int, county i: Int) -> Int64 { amountsFen[k * countyCount + i] }
    public func bound(value k: Int, county i: Int) -> BoundKind { bounds[k * countyCount + i] }

    /// The most rows (values × counties) one sweep computes: about 1.3 GB of long CSV.
    public static let maxRows = 20_000_000

    /// Every path `--vary` takes: `fund_total` and the numeric policy values (`PolicyParameters`).
    public static let numericPaths: [String] = ["fund_total"] + PolicyParameters.numericPaths

    /// The target of a path, or nil when `--vary` cannot vary it.
    public static func target(of path: String) -> Target? {
        if path == "fund_total" { return .fundTotal }
        guard let parameter = PolicyParameters.parameter(at: path), parameter.kind == .number else { return nil }
        let declared = parameter.path
        if declared.hasPrefix("money.weights."), let factor = Factor(rawValue: String(declared.dropFirst("money.weights.".count))) {
            return .weight(factor)
        }
        if declared.hasPrefix("money.origin_coefficients.") || declared == "money.prior_decay[]" { return .factorValue }
        if declared == "money.granularity" || declared.hasPrefix("money.bounds.") { return .bound }
        return declared.hasPrefix("land.") ? .land : nil
    }

    /// Reads the inputs, checks the path, and computes every value.
    ///
    /// - Throws: `UsageError` (64) for an unknown `--scenario`; `InputError` (1) for bad data or
    ///   policy, a path `--vary` cannot vary (listing those it can), or a value the policy rules
    ///   or the bounds reject (the message ends with `at --vary PATH=VALUE`).
    /// - Complexity: O(values · n log n) for the money targets, with big-integer work only
    ///   where the Int128 kernel does not fit.
    public init(request: RunRequest, range: SweepRange) throws {
        let inputs = try request.load()
        guard let target = Sweep.target(of: range.path) else {
            throw InputError(file: "--vary", column: range.path,
                             problem: "is not a numeric policy value or fund_total, so --vary cannot vary it",
                             accepted: "one of " + Sweep.numericPaths.joined(separator: ", ")
                                 + " (list items numbered from 1, e.g. land.tiers[2].standard)")
        }
        let rows = range.values.count * inputs.table.rows.count
        guard rows <= Sweep.maxRows else {
            throw UsageError("--vary gives \(range.values.count) values × \(inputs.table.rows.count) counties = \(Limits.grouped(BigInt(rows))) rows; at most \(Limits.grouped(BigInt(Sweep.maxRows))) are supported (use a larger STEP)")
        }
        self.range = range
        self.target = target
        self.policy = inputs.policy
        self.table = inputs.table
        self.scenario = inputs.scenarios[0]
        let context = SweepContext(request: request, range: range, policy: inputs.policy, table: inputs.table,
                                   scenario: inputs.scenarios[0])
        switch target {
        case .land:
            (amountsFen, bounds, landUnits, landDecimals) = try context.sweepLand()
        case .fundTotal:
            (amountsFen, bounds) = try context.sweepFund()
            (landUnits, landDecimals) = (nil, nil)
        case .weight(let factor):
            (amountsFen, bounds) = try context.sweepWeight(factor)
            (landUnits, landDecimals) = (nil, nil)
        case .factorValue:
            (amountsFen, bounds) = try context.sweepFactorValue()
            (landUnits, landDecimals) = (nil, nil)
        case .bound:
            (amountsFen, bounds) = try context.sweepPolicy()
            (landUnits, landDecimals) = (nil, nil)
        }
        warnings = inputs.warnings + inputs.table.warnings
            + MoneyAllocation.warnings(table: inputs.table, policy: inputs.policy.money)
    }

    /// The weights after setting `factor` to `value`, the others rescaled so they sum to 1.
    ///
    ///     Sweep.rescaledWeights([.settled: 0.8, .permits: 0.2], varying: .settled, to: 0.5)
    ///     // [.settled: 0.5, .permits: 0.5]
    public static func rescaledWeights(_ base: [Factor: Rational], varying factor: Factor,
                                       to value: Rational) -> [Factor: Rational] {
        let others = Factor.allCases.filter { $0 != factor }
        let otherSum = others.reduce(Rational.zero) { $0 + (base[$1] ?? .zero) }
        var weights: [Factor: Rational] = [factor: value]
        for other in others {
            weights[other] = otherSum > .zero
                ? (base[other] ?? .zero) * (.one - value) / otherSum
                : (.one - value) / Rational(others.count)
        }
        return weights
    }
}

/// The shared state of one sweep's computation.
struct SweepContext: Sendable {
    let request: RunRequest
    let range: SweepRange
    let policy: Policy
    let table: SettlementTable
    let scenario: Scenario
    let tieOrder: [Int]
    let n: Int

    init(request: RunRequest, range: SweepRange, policy: Policy, table: SettlementTable, scenario: Scenario) {
        self.request = request
        self.range = range
        self.policy = policy
        self.table = table
        self.scenario = scenario
        tieOrder = LargestRemainder.tieOrder(codes: table.rows.map(\.code))
        n = table.rows.count
    }

    /// `PATH=V` as `--vary` writes it in messages.
    func setting(_ value: Rational) -> String { "\(range.path)=\(value.plainText)" }

    /// Adds where in the sweep an error happened; a policy error from the varied override
    /// names `--vary` rather than `--set`.
    func located(_ error: InputError, at value: Rational) -> InputError {
        var error = error
        if error.file == "--set" { error.file = "--vary" }
        error.problem += " (at --vary \(setting(value)))"
        return error
    }

    /// The run's policy with extra overrides, checked as `--set` is.
    func loadPolicy(with overrides: [String], at value: Rational) throws(InputError) -> Policy {
        do {
            return try PolicyLoader.load(fileBytes: request.policy?.bytes, file: request.policy?.name,
                                         overrides: request.overrides + overrides)
        } catch {
            throw located(error, at: value)
        }
    }

    /// One money split; infeasibility reported as `allocate` reports it, located in the sweep.
    func apportion(allocatedFen: BigInt, weights: [BigInt], lower: [BigInt], upper: [BigInt?], g: BigInt,
                   scenario: Scenario, at value: Rational) throws(InputError) -> Apportionment {
        do {
            return try Apportionment(total: allocatedFen / g, weights: weights, lower: lower, upper: upper,
                                     tieOrder: tieOrder)
        } catch {
            throw located(MoneyAllocation.describe(error, table: table, scenario: scenario,
                                                   file: request.budgetFile, g: g), at: value)
        }
    }

    func append(_ split: Apportionment, g: BigInt, to amounts: inout [Int64], _ bounds: inout [BoundKind],
                at value: Rational) throws(InputError) {
        guard let step = g.int64 else { throw outOfRange(at: value) }
        for i in 0..<n {
            guard let units = split.units[i].int64 else { throw outOfRange(at: value) }
            let (fen, overflow) = units.multipliedReportingOverflow(by: step)
            if overflow { throw outOfRange(at: value) }
            amounts.append(fen)
        }
        bounds += split.bound
    }

    func outOfRange(at value: Rational) -> InputError {
        located(InputError(file: "--vary", value: value.plainText, problem: "gives amounts beyond the supported range",
                           accepted: "amounts of at most \(Limits.grouped(Limits.maxAmountYuan.floor)) 元"), at: value)
    }

    /// `body` at every value, on two threads for a large sweep (`SweepValues`).
    func moneyPerValue(_ body: @Sendable (Rational, inout SweepMoneyPart) throws(InputError) -> Void)
        throws(InputError) -> ([Int64], [BoundKind]) {
        let n = self.n
        return SweepMoneyPart.joined(try SweepValues.compute(range.values, counties: n,
                                                             makePart: { SweepMoneyPart(capacity: $0 * n) }, body))
    }

    // MARK: Targets

    func sweepFund() throws(InputError) -> ([Int64], [BoundKind]) {
        let factors = try FactorTable(table: table, policy: policy.money)
        let (lower, upper) = MoneyAllocation.boundUnits(table: table, policy: policy.money)
        let g = policy.money.granularityFen
        return try moneyPerValue { value, part throws(InputError) in
            let fen = value * Rational(100)
            guard fen.isInteger, !fen.isNegative, value <= Limits.maxAmountYuan else {
                throw located(InputError(file: "--vary", column: "fund_total", value: value.plainText,
                                         problem: "is not a whole number of fen from 0 to \(Limits.grouped(Limits.maxAmountYuan.floor)) 元",
                                         accepted: "fund_total values in 元 with at most 2 decimals, ≥ 0"), at: value)
            }
            var row = scenario
            row.fundFen = fen.numerator
            row.fundUnit = .yuan
            if case .amountFen(let reserve) = row.reserve, reserve > row.fundFen {
                throw located(InputError(file: request.budgetFile, line: row.line, column: "reserve_amount",
                                         value: AllocationReport.yuan(reserve),
                                         problem: "is more than fund_total \(AllocationReport.yuan(row.fundFen)) 元 in scenario \(row.name)",
                                         accepted: "fund_total values ≥ the scenario's reserve_amount"), at: value)
            }
            let (_, allocated) = MoneyAllocation.budget(fundFen: row.fundFen, reserve: row.reserve, granularityFen: g)
            let split = try apportion(allocatedFen: allocated, weights: factors.shareNumerators, lower: lower,
                                      upper: upper, g: g, scenario: row, at: value)
            try append(split, g: g, to: &part.amounts, &part.bounds, at: value)
        }
    }

    func weightOverrides(_ weights: [Factor: Rational]) -> [String] {
        Factor.allCases.map { "money.weights.\($0.rawValue)=\(weights[$0]!.plainText)" }
    }

    func sweepWeight(_ factor: Factor) throws(InputError) -> ([Int64], [BoundKind]) {
        let base = policy.money.weights
        // Endpoints through the loader and FactorTable: same checks and messages as --set.
        var weighted = Set<Factor>()
        for value in [range.values.first!, range.values.last!] {
            let weights = Sweep.rescaledWeights(base, varying: factor, to: value)
            let endpoint = try loadPolicy(with: weightOverrides(weights), at: value)
            do {
                _ = try FactorTable(table: table, policy: endpoint.money)
            } catch {
                throw located(error, at: value)
            }
            for f in Factor.allCases where weights[f]! > .zero { weighted.insert(f) }
        }
        let integers = try FactorIntegers(table: table, policy: policy.money,
                                          factors: Factor.allCases.filter(weighted.contains))
        let (lower, upper) = MoneyAllocation.boundUnits(table: table, policy: policy.money)
        let g = policy.money.granularityFen
        let (_, allocated) = MoneyAllocation.budget(fundFen: scenario.fundFen, reserve: scenario.reserve, granularityFen: g)
        return try moneyPerValue { value, part throws(InputError) in
            let shares = integers.shares(weights: Sweep.rescaledWeights(base, varying: factor, to: value))
            let split = try apportion(allocatedFen: allocated, weights: shares.numerators, lower: lower, upper: upper,
                                      g: g, scenario: scenario, at: value)
            try append(split, g: g, to: &part.amounts, &part.bounds, at: value)
        }
    }

    /// An origin coefficient or prior decay: a_i(x) = p_i·v_i(x) is affine in the value x, so
    /// two integer vectors computed once give every value's α_i = A_i·q + p·C_i (x = p/q) with one
    /// multiply-add; divided by their gcd they are exactly `FactorIntegers`' α_i at x. The policy
    /// is still loaded and checked at every value.
    func sweepFactorValue() throws(InputError) -> ([Int64], [BoundKind]) {
        let weighted = Factor.allCases.filter { (policy.money.weights[$0] ?? .zero) > .zero }
        let base = try FactorIntegers(table: table, policy: policy.money, factors: weighted)
        let (lower, upper) = MoneyAllocation.boundUnits(table: table, policy: policy.money)
        let g = policy.money.granularityFen
        let (_, allocated) = MoneyAllocation.budget(fundFen: scenario.fundFen, reserve: scenario.reserve, granularityFen: g)
        // v_i(0) and v_i(1), with the varied coefficient set directly (the loader checks each value).
        var atZero = policy.money, atOne = policy.money
        let components = PolicySchema.components(of: range.path) ?? []
        if components.count == 3, case .key(let name) = components[2], let kind = OriginKind(rawValue: name) {
            atZero.originCoefficients[kind] = .zero
            atOne.originCoefficients[kind] = .one
        } else if components.count == 3, case .index(let k) = components[2], k <= policy.money.priorDecay.count {
            atZero.priorDecay[k - 1] = .zero
            atOne.priorDecay[k - 1] = .one
        }
        let products = base.coefficientProducts
        let intercept = zip(table.rows, products).map { FactorTable.settledValue($0, policy: atZero) * $1 }
        let slope = zip(zip(table.rows, products), intercept).map { pair, a0 in
            FactorTable.settledValue(pair.0, policy: atOne) * pair.1 - a0
        }
        let (both, common) = Rational.overCommonDenominator(intercept + slope)
        let a = Array(both.prefix(intercept.count)), c = Array(both.dropFirst(intercept.count))
        let model = try checkedModel()
        return try moneyPerValue { value, part throws(InputError) in
            let money = try money(at: value, model: model).money
            var shares = base
            if weighted.contains(.settled) {
                let (p, q) = (value.numerator, value.denominator)
                var alpha = zip(a, c).map { $0 * q + p * $1 }
                let total = alpha.reduce(0, +)
                guard total > 0 else {
                    // The same error allocate gives: the settled factor's total is 0.
                    do throws(InputError) { _ = try FactorTable(table: table, policy: money) } catch { throw located(error, at: value) }
                    preconditionFailure("a zero settled total was not rejected")
                }
                let divisor = SweepContext.commonDivisor(alpha)
                if divisor > 1 { alpha = alpha.map { $0 / divisor } }
                shares = base.replacing(.settled, integers: alpha, total: total / divisor)
            }
            let split = try apportion(allocatedFen: allocated, weights: shares.shares(weights: policy.money.weights).numerators,
                                      lower: lower, upper: upper, g: g, scenario: scenario, at: value)
            try append(split, g: g, to: &part.amounts, &part.bounds, at: value)
        }
    }

    /// For `land.adjustment`, `land.permit_weight` and `land.tiers[k].standard` the demand D_i is
    /// affine in the value x (standard·(1 + adjustment)·(settlers + permit_weight·permits)), so
    /// D_i(x) = (I_i + x·S_i) / d with integers computed once from the demand at 0 and at 1.
    /// Nil for the other land paths (tier limits and decimals change D_i otherwise), or when the
    /// demand at 0 or 1 cannot be computed — then every value goes through `LandDemand`.
    func affineLandDemand() -> (intercept: [BigInt], slope: [BigInt], denominator: BigInt, precisionM2: Rational)? {
        guard let components = PolicySchema.components(of: range.path) else { return nil }
        var atZero = policy.land, atOne = policy.land
        switch PolicySchema.pattern(components) {
        case "land.adjustment":
            atZero.adjustment = .zero
            atOne.adjustment = .one
        case "land.permit_weight":
            atZero.permitWeight = .zero
            atOne.permitWeight = .one
        case "land.tiers[].standard":
            guard case .index(let k) = components[2], k <= policy.land.tiers.count else { return nil }
            atZero.tiers[k - 1].standard = .zero
            atOne.tiers[k - 1].standard = .one
        default:
            return nil
        }
        guard let zero = try? LandDemand(table: table, policy: atZero),
              let one = try? LandDemand(table: table, policy: atOne) else { return nil }
        let slope = zip(one.demandUnits, zero.demandUnits).map { $0 - $1 }
        let (both, denominator) = Rational.overCommonDenominator(zero.demandUnits + slope)
        return (Array(both.prefix(slope.count)), Array(both.dropFirst(slope.count)), denominator, zero.precisionM2)
    }

    /// gcd of non-negative integers: Stein's binary algorithm on UInt128 when they fit (the usual
    /// case; far cheaper than BigUInt's), stopping as soon as it reaches 1.
    static func commonDivisor(_ values: [BigInt]) -> BigInt {
        guard values.allSatisfy({ $0.sign == .plus && $0.magnitudeBitWidth <= 126 }) else {
            return values.reduce(BigInt(0)) { gcd($0, $1) }
        }
        var divisor: UInt128 = 0
        for value in values {
            divisor = binaryGCD(divisor, UInt128(Int128(value)))
            if divisor == 1 { break }
        }
        return Int128(divisor).bigInt
    }

    /// Bounds or granularity: the shares are computed once; each value's bounds come from
    /// `SweepBoundUnits` (or `MoneyAllocation.boundUnits` when it does not apply) and its policy
    /// from `SweepPolicyModel` (or the loader).
    func sweepPolicy() throws(InputError) -> ([Int64], [BoundKind]) {
        let factors = try FactorTable(table: table, policy: policy.money)
        let model = try checkedModel()
        let fastBounds = model.flatMap { SweepBoundUnits(table: table, model: $0) }
        return try moneyPerValue { value, part throws(InputError) in
            let (money, modelled) = try money(at: value, model: model)
            let (lower, upper) = if let fastBounds, modelled {
                fastBounds.units(at: value, money: money)
            } else {
                MoneyAllocation.boundUnits(table: table, policy: money)
            }
            let g = money.granularityFen
            let (_, allocated) = MoneyAllocation.budget(fundFen: scenario.fundFen, reserve: scenario.reserve, granularityFen: g)
            let split = try apportion(allocatedFen: allocated, weights: factors.shareNumerators, lower: lower,
                                      upper: upper, g: g, scenario: scenario, at: value)
            try append(split, g: g, to: &part.amounts, &part.bounds, at: value)
        }
    }

    /// The policy model of a money path, checked against the loader: at the first value (whose
    /// error, if any, is the one the per-value loop gives first) and at the last. Nil when the
    /// path has no model or the model differs from the loader there.
    func checkedModel() throws(InputError) -> SweepPolicyModel? {
        let first = range.values.first!, last = range.values.last!
        let loadedFirst = try loadPolicy(with: [setting(first)], at: first).money
        guard let model = SweepPolicyModel.make(path: range.path, base: policy.money),
              model.accepts(first), model.money(at: first) == loadedFirst else { return nil }
        if let loadedLast = try? loadPolicy(with: [setting(last)], at: last).money {
            guard model.money(at: last) == loadedLast else { return nil }
        } else if model.accepts(last) {
            return nil   // the loader rejects a value the model would accept: do not use the model
        }
        return model
    }

    /// The money policy at `value`: the model's when it certainly holds, else the loader's (which
    /// throws the error `--set PATH=V` gives). `modelled` says which.
    func money(at value: Rational, model: SweepPolicyModel?) throws(InputError) -> (money: MoneyPolicy, modelled: Bool) {
        if let model, model.accepts(value) { return (model.money(at: value), true) }
        return (try loadPolicy(with: [setting(value)], at: value).money, false)
    }

    func sweepLand() throws(InputError) -> ([Int64], [BoundKind], [Int64], [Int]) {
        guard table.hasLandPerCapita || table.hasLandExempt || scenario.landQuota != nil else {
            throw InputError(file: "--vary", column: range.path,
                             problem: "varies a land value, but scenario \(scenario.name) computes no land (\(table.file) has no land_per_capita or land_exempt column and the scenario no land_quota)",
                             accepted: "a land_per_capita column or a land_quota, or a money path")
        }
        // Money does not depend on land: one split, repeated in every value's rows.
        let money = try MoneyAllocation(table: table, factors: try FactorTable(table: table, policy: policy.money),
                                        policy: policy.money, scenario: scenario, scenarioFile: request.budgetFile,
                                        tieOrder: tieOrder)
        var once: [Int64] = [], onceBounds: [BoundKind] = []
        try append(money.apportionment, g: money.granularityFen, to: &once, &onceBounds, at: range.values[0])
        let affine = affineLandDemand()
        let tierLimit = tierLimitDemand()
        let parts = try SweepValues.compute(range.values, counties: n, makePart: { _ in SweepLandPart() }) {
            value, part throws(InputError) in
            let landPolicy = try loadPolicy(with: [setting(value)], at: value).land
            let split: LandAllocation
            do throws(InputError) {
                if let affine {
                    let (p, q) = (value.numerator, value.denominator)
                    split = try LandAllocation(demandWeights: zip(affine.intercept, affine.slope).map { $0 * q + p * $1 },
                                               denominator: affine.denominator * q, precisionM2: affine.precisionM2,
                                               policy: landPolicy, scenario: scenario, tieOrder: tieOrder)
                } else if let (limit, k) = tierLimit, landPolicy == tierLimitPolicy(k, at: value) {
                    split = try LandAllocation(demandWeights: limit.weights(at: value), denominator: limit.denominator,
                                               precisionM2: limit.precisionM2, policy: landPolicy, scenario: scenario,
                                               tieOrder: tieOrder)
                } else {
                    split = try LandAllocation(demand: try LandDemand(table: table, policy: landPolicy), policy: landPolicy,
                                               scenario: scenario, tieOrder: tieOrder)
                }
            } catch {
                throw located(error, at: value)
            }
            for units in split.units {
                guard let units = units.int64 else {
                    throw located(InputError(file: "--vary", value: value.plainText,
                                             problem: "gives land beyond the supported range",
                                             accepted: "land of at most \(Limits.grouped(Limits.maxLand.floor)) in the policy's unit"), at: value)
                }
                part.land.append(units)
            }
            part.decimals.append(landPolicy.decimals)
        }
        var land: [Int64] = [], decimals: [Int] = []
        land.reserveCapacity(range.values.count * n)
        for part in parts {
            land += part.land
            decimals += part.decimals
        }
        var amounts: [Int64] = [], bounds: [BoundKind] = []
        amounts.reserveCapacity(range.values.count * n)
        bounds.reserveCapacity(range.values.count * n)
        for _ in range.values {
            amounts += once
            bounds += onceBounds
        }
        return (amounts, bounds, land, decimals)
    }

    /// For `land.tiers[k].up_to`: the two demands each county chooses between (nil for other
    /// paths, or when `SweepTierLimit` does not apply).
    func tierLimitDemand() -> (SweepTierLimit, Int)? {
        guard let components = PolicySchema.components(of: range.path),
              PolicySchema.pattern(components) == "land.tiers[].up_to",
              case .index(let k) = components[2],
              let limit = SweepTierLimit(table: table, policy: policy.land, tier: k) else { return nil }
        return (limit, k)
    }

    /// The run's land policy with tier k's up_to set to `value`: what the loader must have
    /// returned for `SweepTierLimit` to apply.
    func tierLimitPolicy(_ k: Int, at value: Rational) -> LandPolicy {
        var land = policy.land
        land.tiers[k - 1].upTo = value
        return land
    }
}

/// Land units and decimals of a run of values.
struct SweepLandPart: Sendable {
    var land: [Int64] = []
    var decimals: [Int] = []
}
