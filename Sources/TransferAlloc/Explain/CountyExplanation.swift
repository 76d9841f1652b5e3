import BigInt

/// The whole derivation of one county's money and land (contract §3–§4), read from the very
/// `Allocation` that `allocate` prints, so the numbers shown are the numbers used.
///
/// Nothing here recomputes the split: factor terms come from `FactorValues.settledTerms` (which
/// `FactorTable` itself sums), shares from `FactorTable`, bounds from `MoneyAllocation`, the
/// rounding from the `Apportionment` fields, land from `LandDemand` and `LandAllocation`.
///
///     let run = try request.allocate()
///     let why = try CountyExplanation(run, code: "320506")
///     why.money[0].amountFen == run.scenarios[0].money.amountFen(why.county)   // true, always
public struct CountyExplanation: Sendable {
    /// One factor of §3.2–3.3 for this county.
    public struct FactorStep: Sendable {
        public let factor: Factor
        /// The inputs and their coefficients; their products add up to `value`.
        public let terms: [FactorTerm]
        /// v_{i,f}.
        public let value: Rational
        /// Π of the factor's own coefficient columns (`coefficientColumns`).
        public let coefficientProduct: Rational
        /// The coefficient columns multiplied into this factor.
        public let coefficientColumns: [String]
        /// a_{i,f} = v_{i,f} · Π coefficients.
        public let adjusted: Rational
        /// Σ_j a_{j,f}.
        public let adjustedTotal: Rational
        /// a_{i,f} / Σ_j a_{j,f}.
        public let share: Rational
        /// w_f.
        public let weight: Rational
        /// w_f · share.
        public var weightedShare: Rational { weight * share }
    }

    /// One scenario's money for this county (§3.1, §3.3–3.5).
    public struct MoneyStep: Sendable {
        public let scenario: Scenario
        public let budgetFen: BigInt
        public let reserveFen: BigInt
        public let allocatedFen: BigInt
        public let granularityFen: BigInt
        /// q_i = A·s_i, in fen.
        public let idealFen: Rational
        public let lowerTerms: [BoundTerm]
        public let upperTerms: [BoundTerm]
        /// L_i snapped up to g, in fen.
        public let lowerFen: BigInt
        /// U_i snapped down to g, in fen (nil = none).
        public let upperFen: BigInt?
        /// λ* of §3.4 (1 when no bound binds anywhere).
        public let lambda: Rational
        public let bound: BoundKind
        /// x_i = clamp(λ*·q_i, L_i, U_i), in fen.
        public let boundedFen: Rational
        public let rounding: RoundingStep
        /// The final amount, in fen: what `allocate` prints.
        public let amountFen: BigInt
        /// True when some county of the scenario is at a bound (then λ* ≠ 1 in general).
        public let anyBoundBinds: Bool
    }

    /// The county's land demand (§4.1–4.3), the same in every scenario.
    public struct LandDemandStep: Sendable {
        public let landPerCapita: Rational?
        public let exempt: Bool
        /// Index of the tier used (nil when exempt or without land_per_capita).
        public let tierIndex: Int?
        public let tier: LandTier?
        public let adjustment: Rational
        /// m²/person after the adjustment (nil without land_per_capita).
        public let standard: Rational?
        public let settlers: BigInt
        public let permitWeight: Rational
        public let permitHolders: BigInt
        public let persons: Rational
        public let demandM2: Rational
        /// One precision unit in m².
        public let precisionM2: Rational
        /// D_i.
        public let demandUnits: Rational
        /// D = Σ D_i.
        public let totalDemandUnits: Rational
    }

    /// One scenario's land for this county (§4.4).
    public struct LandSplitStep: Sendable {
        public let scenario: Scenario
        /// Q in precision units (nil without a quota).
        public let quotaUnits: BigInt?
        /// T = min(Q, ⌈D⌉).
        public let allocatedUnits: BigInt?
        public let unallocatedUnits: BigInt?
        /// T·D_i/D (nil without a quota).
        public let idealUnits: Rational?
        /// The largest-remainder rounding (nil without a quota: D_i is rounded half up).
        public let rounding: RoundingStep?
        /// The county's quota in precision units: what `allocate` prints.
        public let units: BigInt
        public let decimals: Int
    }

    public let allocation: Allocation
    /// The county's index in the table.
    public let county: Int
    public let row: SettlementRow
    /// Factors with weight > 0, in factor order (settled, permits, then by key).
    public let factors: [FactorStep]
    /// Factors the policy lists with weight 0 (skipped entirely).
    public let skippedFactors: [Factor]
    /// Π of the listed coefficient columns.
    public let coefficientProduct: Rational
    /// s_i.
    public let share: Rational
    /// One per computed scenario, in budget order.
    public let money: [MoneyStep]
    public let landDemand: LandDemandStep?
    /// One per computed scenario (nil where the scenario computes no land).
    public let land: [LandSplitStep?]
    /// With components (contract §10.3): each component's own derivation of this county, in the
    /// policy's order (its factors, share and money; no land). The county's own `factors` and
    /// `money` are then empty: its amount is the sum of the components'.
    public let components: [ComponentStep]
    /// With levels (contract §10.5): the county's two stages (one step; empty without levels).
    /// The county's own `factors` and `money` are then empty.
    public let levelSteps: [LevelStep]

    /// A county's two stages: its group's derivation in the upper stage, and its own within the
    /// group (none for a direct county, which receives its group's amount).
    public struct LevelStep: Sendable {
        public let group: LevelGroup
        /// The group's index.
        public let index: Int
        /// The group's derivation in the upper stage (`Allocation.upperStage()`).
        public let upper: CountyExplanation
        /// The county's derivation within its group (`Allocation.lowerStage(_:)`); nil when direct.
        public let lower: CountyExplanation?
    }

    /// One component's derivation of the county.
    public struct ComponentStep: Sendable {
        public let name: String
        /// share_c of the policy.
        public let share: Rational
        /// The component's derivation, as if it were the only money.
        public let explanation: CountyExplanation
    }

    /// - Throws: `UnknownCounty` when no county has the code, with a few that exist.
    public init(_ allocation: Allocation, code: String) throws(UnknownCounty) {
        guard let county = allocation.table.rows.firstIndex(where: { $0.code == code }) else {
            throw UnknownCounty(code: code, file: allocation.table.file, count: allocation.table.rows.count,
                                examples: allocation.table.rows.prefix(5).map(\.code))
        }
        self.init(allocation, county: county)
    }

    /// - Precondition: `county` is a row index of the allocation's table.
    public init(_ allocation: Allocation, county i: Int) {
        self.allocation = allocation
        county = i
        let row = allocation.table.rows[i]
        self.row = row
        let factors = allocation.factors
        let policy = allocation.policy.money
        let codes = allocation.table.rows.map(\.code)
        if policy.levels != nil, let levels = allocation.scenarios.first?.money.levels {
            let p = levels.groups.groupOfRow[i]
            let group = levels.groups.groups[p]
            levelSteps = [LevelStep(
                group: group, index: p, upper: CountyExplanation(allocation.upperStage(), county: p),
                lower: group.isDirect ? nil : CountyExplanation(allocation.lowerStage(p), county: levels.position(ofRow: i)))]
            components = []
            coefficientProduct = factors.coefficientProducts[i]
            share = levels.share(ofRow: i)
            self.factors = []
            skippedFactors = []
            money = []
        } else if !policy.components.isEmpty {
            levelSteps = []
            components = policy.components.enumerated().map { c, component in
                ComponentStep(name: component.name, share: component.share,
                              explanation: CountyExplanation(allocation.component(c), county: i))
            }
            coefficientProduct = .one
            share = components.reduce(Rational.zero) { $0 + $1.share * $1.explanation.share }
            self.factors = []
            skippedFactors = []
            money = []
        } else {
        components = []
        levelSteps = []
        coefficientProduct = factors.coefficientProducts[i]
        share = factors.share(i)
        self.factors = factors.factors.map { factor in
            let terms = allocation.upperStageTerms(factor, group: i) ?? FactorValues.terms(factor, row: row, policy: policy)
            return FactorStep(factor: factor, terms: terms, value: factors.values[factor]![i],
                              coefficientProduct: factors.factorProducts[factor]![i],
                              coefficientColumns: policy.coefficientColumns(for: factor),
                              adjusted: factors.adjusted(factor, i), adjustedTotal: factors.adjustedTotals[factor]!,
                              share: factors.factorShare(factor, i), weight: factors.weights[factor]!)
        }
        skippedFactors = Factor.ordered(policy.weights.keys).filter { !factors.factors.contains($0) }

        let terms = MoneyAllocation.boundTerms(row: row, policy: policy)
        money = allocation.scenarios.map { run in
            let m = run.money
            let split = m.apportionment
            return MoneyStep(
                scenario: run.scenario, budgetFen: m.budgetFen, reserveFen: m.reserveFen, allocatedFen: m.allocatedFen,
                granularityFen: m.granularityFen, idealFen: m.idealFen(i), lowerTerms: terms.lower, upperTerms: terms.upper,
                lowerFen: m.lowerFen[i], upperFen: m.upperFen[i], lambda: split.lambda, bound: split.bound[i],
                boundedFen: m.boundedFen(i), rounding: RoundingStep(split, county: i, codes: codes),
                amountFen: m.amountFen(i), anyBoundBinds: split.bound.contains { $0 != .none })
        }
        }

        if let demand = allocation.landDemand {
            let land = allocation.policy.land
            landDemand = LandDemandStep(
                landPerCapita: row.landPerCapita, exempt: row.landExempt, tierIndex: demand.tierIndex[i],
                tier: demand.tierIndex[i].map { land.tiers[$0] }, adjustment: land.adjustment,
                standard: demand.standards[i], settlers: row.currentSettlers, permitWeight: land.permitWeight,
                permitHolders: row.permitHolders, persons: demand.persons[i], demandM2: demand.demandM2[i],
                precisionM2: demand.precisionM2, demandUnits: demand.demandUnits[i], totalDemandUnits: demand.totalUnits)
        } else {
            landDemand = nil
        }
        land = allocation.scenarios.map { run in
            guard let split = run.land else { return nil }
            return LandSplitStep(
                scenario: run.scenario, quotaUnits: split.quotaUnits, allocatedUnits: split.allocatedUnits,
                unallocatedUnits: split.unallocatedUnits, idealUnits: split.apportionment?.idealUnits(i),
                rounding: split.apportionment.map { RoundingStep($0, county: i, codes: codes) },
                units: split.units[i], decimals: split.decimals)
        }
    }

    /// The policy paths this derivation reads, in document order of the policy.
    public var policyPathsRead: [String] {
        var prefixes = ["money.granularity", "money.weights", "money.coefficient_columns", "money.bounds"]
        if !components.isEmpty { prefixes += ["money.origin_coefficients", "money.prior_decay", "money.components"] }
        if let step = levelSteps.first {
            prefixes += ["levels"] + step.upper.policyPathsRead + (step.lower?.policyPathsRead ?? [])
        }
        for factor in factors where factor.factor == .settled {
            prefixes += factor.terms.flatMap(\.policyPaths)
        }
        if landDemand != nil {
            prefixes += ["land.unit", "land.decimals", "land.adjustment", "land.permit_weight"]
            if let tier = landDemand?.tierIndex { prefixes.append("land.tiers[\(tier + 1)]") }
        }
        return allocation.policy.values.map(\.path).filter { path in
            prefixes.contains { path == $0 || path.hasPrefix($0 + ".") || path.hasPrefix($0 + "[") }
        }
    }
}

/// A county code asked for that the settlement table does not have: the caller decides how to
/// say so (the command line names its flag and exits with its usage status).
public struct UnknownCounty: Error, Sendable, Equatable {
    /// The code asked for.
    public var code: String
    /// The settlement table, its number of counties and its first few codes.
    public var file: String
    public var count: Int
    public var examples: [String]

    public init(code: String, file: String, count: Int, examples: [String]) {
        self.code = code
        self.file = file
        self.count = count
        self.examples = examples
    }
}
