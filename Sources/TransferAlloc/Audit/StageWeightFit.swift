import BigInt

/// The weights a published table implies for each stage of a two-level policy (contract §10.5),
/// each by the least squares of `FactorWeightFit` (still linear in the weights when every row's
/// shares divide an amount of its own, multiplied in before the fit):
///
/// - upper stage, one row per group whose amount G_p the table gives (its group row, a direct
///   county's row, or, when every county of the group is published, the G_p, a multiple of the
///   granularity, whose retention leaves exactly their sum):
///   G_p ≈ A·Σ_f w_f·(group p's share of factor f under the upper stage's policy);
/// - lower stage, one row per published county of a prefecture (not a direct county):
///   y_i ≈ A_p·Σ_f w_f·(county i's share of factor f within its group), with A_p the sum of the
///   group's published counties when all of them are published, else what its published group
///   row leaves after the retention, else the recomputed A_p. Each A_p·share is taken to a
///   millionth of a fen (half up; docs/guides/StageWeightFit.md says why).
///
/// With components (contract §10.3) each component whose `amount_<name>` column the published
/// table has is fitted the same way on that column: y_ic ≈ A_c·Σ_f w_f·(county i's share of factor
/// f under the component's policy); components have their own budgets A_c, so their weights are
/// independent of each other.
///
///     // Groups 1 = {a, b}, 2 = {c} (direct); A = 1000 元, r = 0.1; settled a 60, b 40, c 100;
///     // permits a 10, b 30, c 40. Published: a 270, b 180, c 500, group row 1: 500.
///     // upper rows: G_1 = 500 (group row), G_2 = 500 (c); shares settled 0.5 / 0.5, permits
///     //   0.5 / 0.5: every weight fits; lower rows: A_1 = 450, a 270 = 450·(w·0.6 + (1 − w)·0.25)
///     //   and b 180 = 450·(w·0.4 + (1 − w)·0.75) → w_settled = 1.
public struct StageWeightFit: Sendable {
    public enum Stage: Sendable, Equatable, Hashable {
        case upper, lower
        /// A component of the policy (contract §10.3), fitted on the published `amount_<name>`.
        case component(String)

        /// What the report's JSON keys of the stage start with.
        public var key: String {
            switch self {
            case .upper: "upper"
            case .lower: "lower"
            case .component(let name): name
            }
        }
    }

    /// One published amount the fit reproduces.
    public struct Row: Sendable, Equatable {
        public let code: String
        public let name: String
        /// The published amount (fen); for a group known only through its counties, the G_p
        /// that passes on exactly their sum.
        public let publishedFen: Rational
        /// True for a group amount worked out from its counties rather than printed.
        public var isFromCounties = false
    }

    public let stage: Stage
    public let rows: [Row]
    /// Nil when there is nothing to fit; `gap` says why.
    public let fit: FactorWeightFit?
    public let gap: Localized?

    /// Both stages' fits, upper first.
    ///
    /// - Parameters:
    ///   - allocation: the recomputation (one scenario, with levels).
    ///   - publishedRow: each county's published row (nil when missing).
    ///   - publishedGroupFen: the amounts of the published group rows, by group index.
    static func fits(allocation: Allocation, publishedRow: [PublishedRow?],
                     publishedGroupFen: [Int: Rational]) -> [StageWeightFit] {
        let money = allocation.scenarios[0].money
        let levels = money.levels!
        let groups = levels.groups.groups
        let table = allocation.table
        let factors = AllocationAudit.fittedFactors(table, columns: allocation.policy.money.columnFactors + levels.upperPolicy.columnFactors)
        if let gap = AllocationAudit.fitGap(factors) {
            return [.upper, .lower].map { StageWeightFit(stage: $0, rows: [], fit: nil, gap: gap) }
        }
        let equal = AllocationAudit.equalWeights(factors)
        let g = allocation.policy.money.granularityFen

        // Upper stage: the groups' shares under the upper stage's policy.
        var upperPolicy = levels.upperPolicy
        upperPolicy.weights = equal
        let upper: StageWeightFit
        if let counties = try? FactorIntegers(table: table, policy: upperPolicy, factors: factors) {
            let shares = FactorTable(integers: counties.summed(over: levels.groups), weights: equal)
            var rows: [Row] = [], members: [Int] = []
            for (p, group) in groups.enumerated() {
                if group.isDirect, let amount = publishedRow[group.rows[0]]?.amountFen {
                    rows.append(Row(code: group.code, name: group.name, publishedFen: amount))
                } else if let given = publishedGroupFen[p] {
                    rows.append(Row(code: group.code, name: group.name, publishedFen: given))
                } else if !group.isDirect, let passed = StageWeightFit.listedSum(group.rows, publishedRow) {
                    // G_p from what the counties received, A_p = G_p − ⌊G_p·r / g⌋·g with G_p a
                    // multiple of g: the n = G_p / g with n − ⌊n·r⌋ = A_p / g =: m, i.e.
                    // m − 1 < n·(1 − r) ≤ m, is n = ⌊m / (1 − r)⌋.
                    let units = (passed / Rational(g) / (Rational.one - levels.retention)).floor
                    rows.append(Row(code: group.code, name: group.name, publishedFen: Rational(units * g), isFromCounties: true))
                } else {
                    continue
                }
                members.append(p)
            }
            upper = StageWeightFit(stage: .upper, factors: factors, rows: rows, total: Rational(money.allocatedFen),
                                   shares: { f in members.map { shares.factorShare(f, $0) } },
                                   empty: Localized("the published table gives no group's amount (no group row, no direct county, no prefecture with every county)",
                                                    "公布表未给出任何分组金额（无分组行、无省直管县、无全部地区均在表中的市）"))
        } else {
            upper = StageWeightFit(stage: .upper, rows: [], fit: nil, gap: AllocationAudit.zeroTotalGap)
        }

        // Lower stage: each county's shares within its group under the policy without levels.
        var lowerPolicy = allocation.policy.money
        lowerPolicy.levels = nil
        lowerPolicy.weights = equal
        let lower: StageWeightFit
        if let counties = try? FactorIntegers(table: table, policy: lowerPolicy, factors: factors) {
            var rows: [Row] = []
            var contributions: [Factor: [Rational]] = Dictionary(uniqueKeysWithValues: factors.map { ($0, []) })
            var listedGroups = 0, zeroGroups = 0
            for (p, group) in groups.enumerated() where !group.isDirect {
                let published = group.rows.map { publishedRow[$0]?.amountFen }
                guard published.contains(where: { $0 != nil }) else { continue }
                listedGroups += 1
                // A factor with a total of 0 inside the group says nothing about the weights there.
                guard let integers = counties.restricted(to: group.rows) else {
                    zeroGroups += 1
                    continue
                }
                let within = FactorTable(integers: integers, weights: equal)
                // A_p: what the listed counties received when all are listed, else what the
                // published group row leaves after its retention, else the recomputed A_p.
                let total = StageWeightFit.listedSum(group.rows, publishedRow)
                    ?? publishedGroupFen[p].map { $0 - Rational(LevelGroups.retainedFen(groupFen: $0.floor, retention: levels.retention,
                                                                                          granularityFen: g)) }
                    ?? Rational(levels.groupAllocatedFen(p))
                for (position, i) in group.rows.enumerated() {
                    guard let amount = published[position] else { continue }
                    rows.append(Row(code: table.rows[i].code, name: table.rows[i].name, publishedFen: amount))
                    for f in factors {
                        let micro = (total * within.factorShare(f, position) * StageWeightFit.microFen).roundedHalfUp
                        contributions[f]!.append(Rational(micro, StageWeightFit.microFen.numerator))
                    }
                }
            }
            // Amounts already multiplied in: the fit's total is 1.
            lower = StageWeightFit(stage: .lower, factors: factors, rows: rows, total: .one,
                                   shares: { contributions[$0]! },
                                   empty: listedGroups > 0 && zeroGroups == listedGroups
                                       ? Localized("in every prefecture with a county in both tables some factor has a total of 0 among its counties: nothing to infer",
                                                   "两表共有地区所在的每个市，都有因素在其所辖地区合计为 0：无可推断")
                                       : Localized("no county of a prefecture is in both tables", "两表没有共同的市辖地区"))
        } else {
            lower = StageWeightFit(stage: .lower, rows: [], fit: nil, gap: AllocationAudit.zeroTotalGap)
        }
        return [upper, lower]
    }

    /// Σ of the rows' published amounts when every one is listed, else nil.
    static func listedSum(_ rows: [Int], _ publishedRow: [PublishedRow?]) -> Rational? {
        var sum = Rational.zero
        for i in rows {
            guard let amount = publishedRow[i]?.amountFen else { return nil }
            sum += amount
        }
        return sum
    }

    init(stage: Stage, rows: [Row], fit: FactorWeightFit?, gap: Localized?) {
        self.stage = stage
        self.rows = rows
        self.fit = fit
        self.gap = gap
    }

    /// One fit per component whose `amount_<name>` column the published table has, in the
    /// policy's order.
    static func componentFits(allocation: Allocation, publishedRow: [PublishedRow?], columns: [String]) -> [StageWeightFit] {
        let table = allocation.table
        return allocation.scenarios[0].money.components.filter { columns.contains($0.name) }.map { part in
            let stage = Stage.component(part.name)
            let factors = AllocationAudit.fittedFactors(table, columns: part.policy.columnFactors)
            if let gap = AllocationAudit.fitGap(factors) { return StageWeightFit(stage: stage, rows: [], fit: nil, gap: gap) }
            let equal = AllocationAudit.equalWeights(factors)
            var policy = part.policy
            policy.weights = equal
            guard let integers = try? FactorIntegers(table: table, policy: policy, factors: factors) else {
                return StageWeightFit(stage: stage, rows: [], fit: nil, gap: AllocationAudit.zeroTotalGap)
            }
            let shares = FactorTable(integers: integers, weights: equal)
            let listed = table.rows.indices.filter { publishedRow[$0]?.componentAmountsFen[part.name] != nil }
            let rows = listed.map { i in
                Row(code: table.rows[i].code, name: table.rows[i].name, publishedFen: publishedRow[i]!.componentAmountsFen[part.name]!)
            }
            return StageWeightFit(stage: stage, factors: factors, rows: rows, total: Rational(part.money.allocatedFen),
                                  shares: { f in listed.map { shares.factorShare(f, $0) } },
                                  empty: Localized("no county has a value in the column amount_\(part.name)",
                                                   "amount_\(part.name) 列没有任何地区的数值"))
        }
    }

    /// 10⁶: the lower stage's contributions are taken to a millionth of a fen.
    static let microFen = Rational(1_000_000)

    init(stage: Stage, factors: [Factor], rows: [Row], total: Rational, shares: (Factor) -> [Rational], empty: Localized) {
        guard !rows.isEmpty else {
            self.init(stage: stage, rows: [], fit: nil, gap: empty)
            return
        }
        let fit = FactorWeightFit(published: rows.map(\.publishedFen), total: total,
                                  shares: Dictionary(uniqueKeysWithValues: factors.map { ($0, shares($0)) }), factors: factors)
        self.init(stage: stage, rows: rows, fit: fit, gap: nil)
    }
}
