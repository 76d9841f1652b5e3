import BigInt

/// One scenario's land quota split (contract §4.4), in precision units of the policy's unit.
public struct LandAllocation: Sendable {
    /// Q, the quota in precision units (nil: no quota, each county gets its demand rounded).
    public let quotaUnits: BigInt?
    /// T = min(Q, ⌈D⌉): what is handed out (nil without a quota).
    public let allocatedUnits: BigInt?
    /// Q − T.
    public let unallocatedUnits: BigInt?
    /// The largest-remainder split of T (nil without a quota).
    public let apportionment: Apportionment?
    /// Each county's quota in precision units.
    public let units: [BigInt]
    /// Units → text in the policy unit, e.g. 12345 → "123.45".
    public let decimals: Int

    public func text(_ units: BigInt) -> String { Rational.fixedPoint(units, places: decimals) }

    /// - Throws: `InputError` at the quota cell when it is not a whole number of precision units.
    public init(demand: LandDemand, policy: LandPolicy, scenario: Scenario, tieOrder: [Int]) throws(InputError) {
        // Integer weights in the same ratios as D_i.
        let (weights, denominator) = Rational.overCommonDenominator(demand.demandUnits)
        try self.init(demandWeights: weights, denominator: denominator, precisionM2: demand.precisionM2,
                      policy: policy, scenario: scenario, tieOrder: tieOrder)
    }

    /// The split from the demand in precision units given as D_i = demandWeights[i] / denominator
    /// (a sweep of a land value builds these integers without rationals).
    ///
    /// - Precondition: weights ≥ 0, denominator > 0.
    init(demandWeights weights: [BigInt], denominator: BigInt, precisionM2: Rational, policy: LandPolicy,
         scenario: Scenario, tieOrder: [Int]) throws(InputError) {
        decimals = policy.decimals
        guard let quota = scenario.landQuota else {
            quotaUnits = nil
            allocatedUnits = nil
            unallocatedUnits = nil
            apportionment = nil
            units = weights.map { Rational.halfUp($0, denominator) }
            return
        }
        let unit = scenario.landUnit ?? policy.unit
        let inPrecisionUnits = quota * unit.squareMetres / precisionM2
        guard inPrecisionUnits.isInteger else {
            var error = scenario.landQuotaCell ?? InputError(file: "land_quota", value: quota.plainText, problem: "")
            error.problem = "is not a whole number of \(Rational.fixedPoint(1, places: policy.decimals)) \(policy.unit.chineseName) once converted from \(unit.chineseName) (land.decimals = \(policy.decimals))"
            error.accepted = "a quota with at most \(policy.decimals) decimals in \(policy.unit.chineseName), or a policy with more land.decimals"
            throw error
        }
        let q = inPrecisionUnits.numerator
        let total = Swift.min(q, Rational(weights.reduce(0, +), denominator).ceiling)
        let split: Apportionment
        do {
            split = try Apportionment(total: total, weights: weights, tieOrder: tieOrder)
        } catch {
            // Without bounds and with T ≤ ⌈D⌉ a split always exists (T = 0 when D = 0).
            preconditionFailure("unbounded land split failed: \(error)")
        }
        quotaUnits = q
        allocatedUnits = total
        unallocatedUnits = q - total
        apportionment = split
        units = split.units
    }
}
