import BigInt

/// What a scenario is compared with.
public enum ComparisonReference: Sendable {
    /// Another computed scenario: `allocation.scenarios[index]`.
    case scenario(Allocation, index: Int)
    /// Each county's `prev_amount` (no land reference).
    case previousAmount
}

/// One scenario set against a reference, county by county (contract §7 `whatif`): the change
/// in money and land, and a summary of who gains, who loses and who sits on a bound.
///
/// Every change is exact (fen as `Rational`, land as `Rational` in the reference's land unit),
/// so Σ change = Σ amount − Σ reference exactly.
///
///     // reference amounts [100.00, 300.00] 元, scenario [150.00, 250.00] 元:
///     // change [+50.00, −50.00], change_pct [50.00, −16.67], net 0, gained 50, lost 50, moved 50
public struct ScenarioComparison: Sendable {
    /// The name shown: the budget scenario's, or the policy variant's.
    public let name: String
    /// The policy variant this scenario is (nil for a budget row).
    public let variant: PolicyVariant?
    public let allocation: Allocation
    public let scenarioIndex: Int

    /// Reference amount per county, in fen (nil: no reference, e.g. an empty prev_amount).
    public let referenceFen: [Rational?]
    /// amount − reference, fen (nil without a reference).
    public let changeFen: [Rational?]
    /// Land in the display unit (nil when the scenario computes no land).
    public let land: [Rational?]
    public let referenceLand: [Rational?]
    /// land − reference land (nil when either is missing).
    public let landChange: [Rational?]
    /// The unit and decimals land is shown in: the reference's (else this scenario's) policy.
    public let landUnit: LandUnit
    public let landDecimals: Int
    public let summary: Summary

    public var run: ScenarioAllocation { allocation.scenarios[scenarioIndex] }

    /// Totals and rankings of one comparison.
    public struct Summary: Sendable {
        /// Σ reference over the counties that have one, fen.
        public var referenceTotalFen: Rational
        /// Σ amount over all counties (= allocated), fen.
        public var totalFen: BigInt
        /// Σ change over the counties with a reference, fen.
        public var netFen: Rational
        /// Σ of the increases, and Σ of the decreases as a positive number.
        public var gainedFen: Rational
        public var lostFen: Rational
        /// Money that changed hands between counties: min(gained, lost).
        public var movedFen: Rational { min(gainedFen, lostFen) }
        public var countUp: Int
        public var countDown: Int
        public var countUnchanged: Int
        /// Counties with no reference amount.
        public var countWithoutReference: Int
        /// Largest increases first (change > 0 only), at most `top`; ties by code byte order.
        public var winners: [Int]
        /// Largest decreases first (change < 0 only), at most `top`.
        public var losers: [Int]
        /// Counties whose amount the scenario's lower / upper bound decided, in input order.
        public var atFloor: [Int]
        public var atCap: [Int]
        /// Land totals in the display unit (nil when not computed on both sides).
        public var landTotal: Rational?
        public var referenceLandTotal: Rational?
    }

    /// - Parameters:
    ///   - name: what outputs call the scenario.
    ///   - allocation / scenario: the computed scenario.
    ///   - reference: what it is compared with.
    ///   - top: how many winners and losers the summary ranks.
    /// - Complexity: O(n log n).
    public init(name: String, variant: PolicyVariant? = nil, allocation: Allocation, scenario: Int,
                reference: ComparisonReference, top: Int) {
        self.name = name
        self.variant = variant
        self.allocation = allocation
        self.scenarioIndex = scenario
        let run = allocation.scenarios[scenario]
        let n = allocation.table.rows.count
        let amounts = run.money.amountsFen

        var referenceFen: [Rational?]
        var referenceLandUnits: [Rational?] = Array(repeating: nil, count: n)
        var displayPolicy = allocation.policy.land
        switch reference {
        case .scenario(let other, let index):
            let otherRun = other.scenarios[index]
            referenceFen = otherRun.money.amountsFen.map { Rational($0) }
            displayPolicy = other.policy.land
            if let land = otherRun.land {
                referenceLandUnits = ScenarioComparison.inUnit(land.units, from: other.policy.land, to: displayPolicy)
            }
        case .previousAmount:
            referenceFen = allocation.table.rows.map { $0.prevAmount.map { $0 * Rational(100) } }
        }
        landUnit = displayPolicy.unit
        let ownLand = allocation.policy.land
        // A variant may change land.unit or land.decimals: show it in the reference's unit with
        // enough decimals for both (exact unless the units differ; then rounded half up).
        landDecimals = max(ownLand.decimals, displayPolicy.decimals)
        let land: [Rational?] = run.land.map { ScenarioComparison.inUnit($0.units, from: ownLand, to: displayPolicy) }
            ?? Array(repeating: nil, count: n)

        var change: [Rational?] = []
        var landChange: [Rational?] = []
        change.reserveCapacity(n)
        var summary = Summary(referenceTotalFen: .zero, totalFen: run.money.allocatedFen, netFen: .zero,
                              gainedFen: .zero, lostFen: .zero, countUp: 0, countDown: 0, countUnchanged: 0,
                              countWithoutReference: 0, winners: [], losers: [], atFloor: [], atCap: [])
        for i in 0..<n {
            if let ref = referenceFen[i] {
                let delta = Rational(amounts[i]) - ref
                change.append(delta)
                summary.referenceTotalFen += ref
                summary.netFen += delta
                if delta > .zero {
                    summary.gainedFen += delta
                    summary.countUp += 1
                } else if delta.isNegative {
                    summary.lostFen -= delta
                    summary.countDown += 1
                } else {
                    summary.countUnchanged += 1
                }
            } else {
                change.append(nil)
                summary.countWithoutReference += 1
            }
            if let own = land[i], let ref = referenceLandUnits[i] { landChange.append(own - ref) } else { landChange.append(nil) }
            switch run.money.apportionment.bound[i] {
            case .floor: summary.atFloor.append(i)
            case .cap: summary.atCap.append(i)
            case .none: break
            }
        }
        let tieOrder = allocation.tieOrder
        let up = (0..<n).filter { (change[$0] ?? .zero) > .zero }.sorted { a, b in
            change[a]! != change[b]! ? change[a]! > change[b]! : tieOrder[a] < tieOrder[b]
        }
        let down = (0..<n).filter { (change[$0] ?? .zero).isNegative }.sorted { a, b in
            change[a]! != change[b]! ? change[a]! < change[b]! : tieOrder[a] < tieOrder[b]
        }
        summary.winners = Array(up.prefix(max(top, 0)))
        summary.losers = Array(down.prefix(max(top, 0)))
        if land.contains(where: { $0 != nil }) {
            summary.landTotal = land.reduce(Rational.zero) { $0 + ($1 ?? .zero) }
        }
        if referenceLandUnits.contains(where: { $0 != nil }) {
            summary.referenceLandTotal = referenceLandUnits.reduce(Rational.zero) { $0 + ($1 ?? .zero) }
        }
        self.referenceFen = referenceFen
        self.changeFen = change
        self.land = land
        self.referenceLand = referenceLandUnits
        self.landChange = landChange
        self.summary = summary
    }

    /// Precision units of `from` as exact amounts of `to`'s unit.
    static func inUnit(_ units: [BigInt], from: LandPolicy, to: LandPolicy) -> [Rational] {
        let factor = from.unit.squareMetres / Rational(BigInt(10).power(from.decimals)) / to.unit.squareMetres
        return units.map { Rational($0) * factor }
    }

    /// change / reference · 100, or nil when the reference is missing or 0.
    public func changePercent(_ county: Int) -> Rational? {
        guard let ref = referenceFen[county], !ref.isZero, let delta = changeFen[county] else { return nil }
        return delta / ref * Rational(100)
    }

    /// net / Σ reference · 100, or nil when Σ reference is 0.
    public var netPercent: Rational? {
        summary.referenceTotalFen.isZero ? nil : summary.netFen / summary.referenceTotalFen * Rational(100)
    }

    /// Σ change = Σ amount − Σ reference over the counties with a reference: the check the
    /// tests and the summary rely on.
    public var changesAddUp: Bool {
        let amounts = run.money.amountsFen
        var withReference = Rational.zero
        for (i, ref) in referenceFen.enumerated() where ref != nil { withReference += Rational(amounts[i]) }
        return summary.netFen == withReference - summary.referenceTotalFen
            && changeFen.reduce(Rational.zero, { $0 + ($1 ?? .zero) }) == summary.netFen
    }
}
