import BigInt

/// The weights a published table implies for each stage of a two-level policy (contract §10.5),
/// each by the least squares of `FactorWeightFit` (still linear in the weights when every row's
/// shares divide an amount of its own, multiplied in before the fit):
///
/// - upper stage, one row per group whose amount G_p the table gives (its group row, a direct
///   county's row, or, when every county of the group is published, their sum ÷ (1 − r): the
///   retention rounded to the granularity makes that an estimate, which is enough for a fit the
///   simplest weights then check by a full recomputation):
///   G_p ≈ A·Σ_f w_f·(group p's share of factor f under the upper stage's policy);
/// - lower stage, one row per published county of a prefecture (not a direct county):
///   y_i ≈ A_p·Σ_f w_f·(county i's share of factor f within its group), with A_p the sum of the
///   group's published counties when all of them are published, else the recomputed A_p. Each
///   A_p·share is taken to a millionth of a fen (half up): the groups' shares have unrelated
///   denominators, whose common multiple over hundreds of groups runs to thousands of digits and
///   makes the exact sums take minutes. The rounding moves a fitted amount by less than
///   k·10⁻⁶ fen; what the report asserts, the simplest weights, is checked by an exact
///   recomputation all the same.
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
        /// The published amount (fen); for a group known only through its counties, their sum
        /// ÷ (1 − r).
        public let publishedFen: Rational
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
        var factors: [Factor] = [.settled]
        if table.hasPermitHolders { factors.append(.permits) }
        factors += Factor.ordered(Set(allocation.policy.money.columnFactors + levels.upperPolicy.columnFactors))
        if let gap = AllocationAudit.fitGap(factors) {
            return [.upper, .lower].map { StageWeightFit(stage: $0, rows: [], fit: nil, gap: gap) }
        }
        let equal = Dictionary(uniqueKeysWithValues: factors.map { ($0, Rational(BigInt(1), BigInt(factors.count))) })
        let zeroTotal = Localized("one of the factors has a total of 0 over all counties: nothing to infer",
                                  "有因素合计为 0：无可推断")

        // Upper stage: the groups' shares under the upper stage's policy.
        var upperPolicy = levels.upperPolicy
        upperPolicy.weights = equal
        let upper: StageWeightFit
        if let counties = try? FactorIntegers(table: table, policy: upperPolicy, factors: factors) {
            let shares = FactorTable(integers: counties.summed(over: levels.groups), weights: equal)
            var rows: [Row] = [], members: [Int] = []
            let keep = Rational.one - levels.retention
            for (p, group) in groups.enumerated() {
                let amount: Rational?
                if group.isDirect {
                    amount = publishedRow[group.rows[0]]?.amountFen
                } else if let given = publishedGroupFen[p] {
                    amount = given
                } else {
                    let published = group.rows.compactMap { publishedRow[$0]?.amountFen }
                    amount = published.count == group.rows.count ? published.reduce(.zero, +) / keep : nil
                }
                guard let amount else { continue }
                rows.append(Row(code: group.code, name: group.name, publishedFen: amount))
                members.append(p)
            }
            upper = StageWeightFit(stage: .upper, factors: factors, rows: rows, total: Rational(money.allocatedFen),
                                   shares: { f in members.map { shares.factorShare(f, $0) } },
                                   empty: Localized("the published table gives no group's amount (no group row, no direct county, no prefecture with every county)",
                                                    "公布表未给出任何分组金额（无分组行、无省直管县、无全部地区均在表中的市）"))
        } else {
            upper = StageWeightFit(stage: .upper, rows: [], fit: nil, gap: zeroTotal)
        }

        // Lower stage: each county's shares within its group under the policy without levels.
        var lowerPolicy = allocation.policy.money
        lowerPolicy.levels = nil
        lowerPolicy.weights = equal
        let lower: StageWeightFit
        if let counties = try? FactorIntegers(table: table, policy: lowerPolicy, factors: factors) {
            var rows: [Row] = []
            var contributions: [Factor: [Rational]] = Dictionary(uniqueKeysWithValues: factors.map { ($0, []) })
            for (p, group) in groups.enumerated() where !group.isDirect {
                // A factor with a total of 0 inside the group says nothing about the weights there.
                guard let integers = counties.restricted(to: group.rows) else { continue }
                let within = FactorTable(integers: integers, weights: equal)
                let published = group.rows.map { publishedRow[$0]?.amountFen }
                let complete = published.allSatisfy { $0 != nil }
                let total = complete ? published.reduce(Rational.zero) { $0 + $1! } : Rational(levels.groupAllocatedFen(p))
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
                                   empty: Localized("no county of a prefecture is in both tables", "两表没有共同的市辖地区"))
        } else {
            lower = StageWeightFit(stage: .lower, rows: [], fit: nil, gap: zeroTotal)
        }
        return [upper, lower]
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
            var factors: [Factor] = [.settled]
            if table.hasPermitHolders { factors.append(.permits) }
            factors += part.policy.columnFactors
            if let gap = AllocationAudit.fitGap(factors) { return StageWeightFit(stage: stage, rows: [], fit: nil, gap: gap) }
            let equal = Dictionary(uniqueKeysWithValues: factors.map { ($0, Rational(BigInt(1), BigInt(factors.count))) })
            var policy = part.policy
            policy.weights = equal
            guard let integers = try? FactorIntegers(table: table, policy: policy, factors: factors) else {
                return StageWeightFit(stage: stage, rows: [], fit: nil,
                                      gap: Localized("one of the factors has a total of 0 over all counties: nothing to infer",
                                                     "有因素合计为 0：无可推断"))
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
