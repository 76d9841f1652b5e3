import BigInt

/// A published allocation table compared with the recomputation under the policy (contract §7):
/// missing and extra counties, the total, every county off by more than the tolerance (largest
/// difference first), land differences, and the factor weights the published amounts imply.
///
///     let audit = AllocationAudit(allocation: run, published: table, toleranceFen: Rational(1))
///     audit.isConsistent     // false when anything above is found; the CLI then exits 3
public struct AllocationAudit: Sendable {
    /// A county whose published value differs from the recomputed one by more than the tolerance.
    public struct Difference: Sendable, Equatable {
        public let county: Int
        public let line: Int
        /// Money: fen. Land: m².
        public let published: Rational
        public let recomputed: Rational
        /// published − recomputed.
        public var difference: Rational { published - recomputed }
    }

    /// The recomputed run; its first (only) scenario is the one compared.
    public let allocation: Allocation
    public let published: PublishedTable
    /// Counties of the settlement table the published table lacks (row indices).
    public let missing: [Int]
    /// Published rows whose code the settlement table does not have.
    public let extra: [PublishedRow]
    /// For each county, its published row (nil when missing).
    public let publishedRow: [PublishedRow?]
    public let toleranceFen: Rational
    /// Land tolerance in m².
    public let landToleranceM2: Rational
    /// Sorted by |difference|, largest first; equal sizes in byte-wise code order.
    public let differences: [Difference]
    public let landDifferences: [Difference]
    /// With components whose `amount_<name>` column the published table has: per such component
    /// (in the policy's order), its counties off by more than the tolerance, largest first.
    public let componentDifferences: [(name: String, differences: [Difference])]
    /// With levels (contract §10.5): the published rows that are groups (a prefecture's code, or
    /// its name for a table without codes), each compared with the group's amount G_p; `county`
    /// is then the group's index. Nil without levels.
    public let groupDifferences: [Difference]?
    /// With levels: how many published rows are group rows.
    public let groupRowsCompared: Int
    /// The published total, fen: the table's total row (合计) when it has one, else Σ of its
    /// county rows (extra ones included).
    public let publishedTotalFen: Rational
    /// Σ of the published county rows, fen (beside a total row, it shows whether the table adds up).
    public let publishedRowsTotalFen: Rational
    /// The weights that best reproduce the published amounts (nil when there is nothing to fit:
    /// no county in common, or fewer than two factors with a non-zero total).
    public let inference: WeightInference?
    /// Why there is no inference, when there is none.
    public let inferenceGap: Localized?
    /// The weights over every factor (settled, permits when the table has permit_holders, and
    /// the column factors the policy weighs) when the policy weighs a column factor (contract
    /// §10.1); `inference` is then nil.
    public let factorFit: FactorWeightFit?
    /// With levels (contract §10.5): the upper stage's and the lower stage's fits, each on its
    /// own rows; with components (§10.3): one fit per component column the published table has.
    /// `inference` and `factorFit` are then nil. Empty otherwise.
    public let stageFits: [StageWeightFit]
    /// With levels: the amounts of the published group rows, by group index.
    let publishedGroupFen: [Int: Rational]
    /// The counties the inference fits, in table order.
    public let fittedCounties: [Int]
    /// The simplest decimal weights whose full recomputation reproduces the table (contract
    /// §10.7); set by `run`, nil when none with at most four decimals does.
    public internal(set) var simplestWeights: SimplestWeights?
    /// With components: each fitted component's simplest weights (set by `run`; absent when none
    /// with at most four decimals reproduces its column).
    public internal(set) var componentSimplestWeights: [String: SimplestWeights] = [:]

    public var scenario: ScenarioAllocation { allocation.scenarios[0] }
    /// What the published total is compared with: A. With levels and no 合计 row, the published
    /// total is the sum of the county rows, which leave out the prefectures' 市本级, so it is
    /// compared with A − Σ R_p (a 合计 row is the scenario's total, retention included).
    public var recomputedTotalFen: BigInt {
        comparesCountiesOnly ? AllocationAudit.countiesTotalFen(scenario.money) : scenario.money.allocatedFen
    }
    /// With levels: what the counties receive together, A − Σ R_p (A without levels).
    static func countiesTotalFen(_ money: MoneyAllocation) -> BigInt {
        money.allocatedFen - (money.levels?.retainedFen.reduce(BigInt(0), +) ?? 0)
    }
    /// With levels: the table has no 合计 row, so its total is its county rows' sum.
    public var comparesCountiesOnly: Bool { scenario.money.levels != nil && published.totalRow == nil }
    public var totalDifferenceFen: Rational { publishedTotalFen - Rational(recomputedTotalFen) }
    public var totalMismatch: Bool { totalDifferenceFen.absoluteValue > toleranceFen }
    /// True when some county of the recomputation is at a floor or cap: then amounts are not
    /// linear in the weights and the inference is only indicative.
    public var boundsBind: Bool {
        let money = scenario.money
        let stages = [money.apportionment] + (money.levels.map { [$0.upper.apportionment] + $0.lower.compactMap { $0?.apportionment } } ?? [])
            + money.components.map(\.money.apportionment)
        return stages.contains { $0.bound.contains { $0 != .none } }
    }
    public var isConsistent: Bool {
        missing.isEmpty && extra.isEmpty && !totalMismatch && differences.isEmpty && landDifferences.isEmpty
            && componentDifferences.allSatisfy { $0.differences.isEmpty } && (groupDifferences?.isEmpty ?? true)
    }

    /// - Parameters:
    ///   - allocation: the recomputation, with exactly the audited scenario.
    ///   - toleranceFen: a county is flagged when |published − recomputed| exceeds it (fen).
    ///   - landToleranceM2: the same for land, in m².
    /// - Complexity: O(n log n) plus the exact least squares, O(n).
    public init(allocation: Allocation, published: PublishedTable, toleranceFen: Rational, landToleranceM2: Rational = .zero) {
        precondition(allocation.scenarios.count == 1, "audit compares one scenario")
        self.allocation = allocation
        self.published = published
        self.toleranceFen = toleranceFen
        self.landToleranceM2 = landToleranceM2
        let rows = allocation.table.rows
        // A table printed without codes is matched by name (the reader checked its names are
        // unique; `run` checks the settlement table's).
        let key: (PublishedRow) -> String = published.matchedByName ? { $0.name } : { $0.code }
        let countyKey: (SettlementRow) -> String = published.matchedByName ? { $0.name } : { $0.code }
        let byKey = Dictionary(uniqueKeysWithValues: published.rows.map { (key($0), $0) })
        let known = Set(rows.map(countyKey))
        let publishedRow = rows.map { byKey[countyKey($0)] }
        self.publishedRow = publishedRow
        missing = rows.indices.filter { publishedRow[$0] == nil }
        let run = allocation.scenarios[0]
        // With levels, a row naming a prefecture's group is compared with G_p (not an extra county).
        var groupOfKey: [String: Int] = [:]
        if let levels = run.money.levels {
            for (p, group) in levels.groups.groups.enumerated() where !group.isDirect {
                let groupKey = published.matchedByName ? group.name : group.code
                if !known.contains(groupKey) { groupOfKey[groupKey] = p }
            }
        }
        let groupRows = published.rows.filter { groupOfKey[key($0)] != nil }
        groupRowsCompared = groupRows.count
        publishedGroupFen = Dictionary(uniqueKeysWithValues: groupRows.map { (groupOfKey[key($0)]!, $0.amountFen) })
        extra = published.rows.filter { !known.contains(key($0)) && groupOfKey[key($0)] == nil }
        publishedRowsTotalFen = published.rows.filter { groupOfKey[key($0)] == nil }.reduce(Rational.zero) { $0 + $1.amountFen }
        publishedTotalFen = published.totalRow?.amountFen ?? publishedRowsTotalFen

        let order = allocation.tieOrder
        func sorted(_ list: [Difference]) -> [Difference] {
            list.sorted { a, b in
                let (x, y) = (a.difference.absoluteValue, b.difference.absoluteValue)
                return x != y ? x > y : order[a.county] < order[b.county]
            }
        }
        var money: [Difference] = []
        var land: [Difference] = []
        let precision = allocation.landDemand?.precisionM2
        for (i, row) in publishedRow.enumerated() {
            guard let row else { continue }
            let amount = Rational(run.money.amountFen(i))
            if (row.amountFen - amount).absoluteValue > toleranceFen {
                money.append(Difference(county: i, line: row.line, published: row.amountFen, recomputed: amount))
            }
            if let quota = row.landM2, let split = run.land, let precision {
                let recomputed = Rational(split.units[i]) * precision
                if (quota - recomputed).absoluteValue > landToleranceM2 {
                    land.append(Difference(county: i, line: row.line, published: quota, recomputed: recomputed))
                }
            }
        }
        differences = sorted(money)
        landDifferences = sorted(land)
        if let levels = run.money.levels {
            let groupOrder = levels.groups.tieOrder
            groupDifferences = groupRows.compactMap { row -> Difference? in
                let p = groupOfKey[key(row)]!
                let amount = Rational(levels.groupFen(p))
                guard (row.amountFen - amount).absoluteValue > toleranceFen else { return nil }
                return Difference(county: p, line: row.line, published: row.amountFen, recomputed: amount)
            }.sorted { a, b in
                let (x, y) = (a.difference.absoluteValue, b.difference.absoluteValue)
                return x != y ? x > y : groupOrder[a.county] < groupOrder[b.county]
            }
        } else {
            groupDifferences = nil
        }
        componentDifferences = run.money.components.compactMap { part in
            guard published.components.contains(part.name) else { return nil }
            var list: [Difference] = []
            for (i, row) in publishedRow.enumerated() {
                guard let row, let value = row.componentAmountsFen[part.name] else { continue }
                let amount = Rational(part.money.amountFen(i))
                if (value - amount).absoluteValue > toleranceFen {
                    list.append(Difference(county: i, line: row.line, published: value, recomputed: amount))
                }
            }
            return (part.name, sorted(list))
        }

        let fitted = rows.indices.filter { publishedRow[$0] != nil }
        fittedCounties = fitted
        let shares = AllocationAudit.bothFactorShares(allocation)
        let inference: WeightInference?
        var factorFit: FactorWeightFit?
        var stageFits: [StageWeightFit] = []
        if fitted.isEmpty {
            inference = nil
            inferenceGap = Localized("no county is in both tables", "两表没有共同的地区")
        } else if run.money.levels != nil {
            inference = nil
            stageFits = StageWeightFit.fits(allocation: allocation, publishedRow: publishedRow, publishedGroupFen: publishedGroupFen)
            inferenceGap = nil
        } else if !allocation.policy.money.components.isEmpty {
            inference = nil
            stageFits = StageWeightFit.componentFits(allocation: allocation, publishedRow: publishedRow, columns: published.components)
            inferenceGap = stageFits.isEmpty
                ? Localized("the policy has components, each with weights of its own, and the published table has none of their amount_<name> columns: the county totals alone do not tell the components' weights apart",
                            "政策分多个资金分项，各有权重，公布表没有任何分项的 amount_<分项名> 列：仅凭各地区合计无法区分各分项权重")
                : nil
        } else if !allocation.policy.money.columnFactors.isEmpty {
            inference = nil
            let all = AllocationAudit.allFactorShares(allocation)
            if let (factors, columns) = all.shares {
                factorFit = FactorWeightFit(published: fitted.map { publishedRow[$0]!.amountFen },
                                            total: Rational(run.money.allocatedFen),
                                            shares: columns.mapValues { column in fitted.map { column[$0] } }, factors: factors)
                inferenceGap = nil
            } else {
                inferenceGap = all.gap
            }
        } else if let (p, r) = shares.shares {
            inference = WeightInference(published: fitted.map { publishedRow[$0]!.amountFen },
                                        total: Rational(run.money.allocatedFen),
                                        settledShares: fitted.map { p[$0] }, permitShares: fitted.map { r[$0] },
                                        fallback: allocation.policy.money.weights[.settled] ?? Rational(1, 2))
            inferenceGap = nil
        } else {
            inference = nil
            inferenceGap = shares.gap
        }
        self.inference = inference
        self.factorFit = factorFit
        self.stageFits = stageFits
    }

    /// Recomputes the audited scenario and compares it with the published table.
    ///
    /// - Parameters:
    ///   - request: the inputs; its `scenario` (nil: the first budget row) is the one compared.
    ///   - scenarioName: what messages call the request's scenario choice.
    ///   - published: the published table's bytes and name.
    ///   - unit: the published amounts' unit (nil: the amount header's unit, else 元).
    ///   - unitName: what messages call that choice.
    ///   - tolerance: in 元 (nil: half a unit of the table's last decimal place, at least 0.01 元).
    ///   - landTolerance: in the policy's land unit (nil: 0).
    /// - Throws: `UnknownScenario` or `InputError` (bad inputs, bad published table, a
    ///   tolerance that is not an amount ≥ 0).
    public static func run(request: RunRequest, scenarioName: String, published: RunRequest.Source, unit: FundUnit?,
                           unitName: String, tolerance: NamedValue?, landTolerance: NamedValue?) throws -> AllocationAudit {
        var request = request
        if request.scenario == nil {
            if let budget = request.budget {
                let csv = try budget.table(encoding: request.encoding)
                request.scenario = BudgetTable.scenarioNames(csv).first
            } else {
                request.scenario = "baseline"
            }
        }
        let allocation = try request.allocate()
        let name = request.scenario ?? "baseline"
        let table = try PublishedTable.read(published.table(encoding: request.encoding), unit: unit, unitName: unitName,
                                            scenario: name, scenarioName: scenarioName,
                                            landUnit: allocation.policy.land.unit,
                                            components: allocation.policy.money.components.map(\.name))
        if table.matchedByName {
            var lineOfName: [String: Int] = [:]
            for row in allocation.table.rows {
                if let earlier = lineOfName[row.name] {
                    throw InputError(file: allocation.table.file, line: row.line, column: "name", value: row.name,
                                     problem: "repeats the name on line \(earlier), but \(table.file) has no code column, so counties are matched by name",
                                     accepted: "a published table with a code column (区划代码), or names that are unique")
                }
                lineOfName[row.name] = row.line
            }
        }
        let toleranceFen = try tolerance.map { value throws(InputError) in
            try nonNegative(value, what: "an amount in 元, e.g. 0.01") * Rational(100)
        } ?? table.defaultToleranceFen
        let landM2 = try landTolerance.map { value throws(InputError) in
            try nonNegative(value, what: "land in the policy's unit, e.g. 0.01") * allocation.policy.land.unit.squareMetres
        } ?? .zero
        var audit = AllocationAudit(allocation: allocation, published: table, toleranceFen: toleranceFen, landToleranceM2: landM2)
        audit.simplestWeights = SimplestWeights.find(in: audit)
        for case .component(let name) in audit.stageFits.map(\.stage) {
            audit.componentSimplestWeights[name] = SimplestWeights.find(in: audit, component: name)
        }
        return audit
    }

    static func nonNegative(_ given: NamedValue, what: String) throws(InputError) -> Rational {
        guard case .success(let value) = NumberCell.parse(given.text.trimmedUnicode), value.rational <= Limits.maxAmountYuan else {
            throw InputError(file: given.name, value: given.text, problem: "is not a number ≥ 0 in the supported range",
                             accepted: what)
        }
        return value.rational
    }

    /// Why the weights of `factors` cannot be fitted (one factor, or more than a fit takes), or
    /// nil when they can.
    static func fitGap(_ factors: [Factor]) -> Localized? {
        if factors.count < 2 {
            return Localized("the settlement table has no permit_holders column, so only the settled factor exists: nothing to infer",
                             "结算表没有居住证持有人数列，只有落户因素：无可推断")
        }
        if factors.count > FactorWeightFit.maximumFactors {
            return Localized("more than \(FactorWeightFit.maximumFactors) factors: nothing is inferred",
                             "因素多于 \(FactorWeightFit.maximumFactors) 个：不推断")
        }
        return nil
    }

    /// The factors a fit weighs: settled, permits when the table has permit_holders, then
    /// `columns` (column factors) in factor order.
    static func fittedFactors(_ table: SettlementTable, columns: [Factor]) -> [Factor] {
        (table.hasPermitHolders ? [.settled, .permits] : [.settled]) + Factor.ordered(Set(columns))
    }

    /// Equal weights over `factors`: every factor weighed, so the factor table computes them all.
    static func equalWeights(_ factors: [Factor]) -> [Factor: Rational] {
        Dictionary(uniqueKeysWithValues: factors.map { ($0, Rational(BigInt(1), BigInt(factors.count))) })
    }

    static let zeroTotalGap = Localized("one of the factors has a total of 0 over all counties: nothing to infer",
                                        "有因素合计为 0：无可推断")

    /// Each county's share of every factor's total (after coefficients): settled, permits when
    /// the table has permit_holders, and every column factor the policy weighs; the same
    /// `FactorTable` computation with all of them weighed.
    static func allFactorShares(_ allocation: Allocation) -> (shares: ([Factor], [Factor: [Rational]])?, gap: Localized?) {
        let factors = fittedFactors(allocation.table, columns: allocation.policy.money.columnFactors)
        if let gap = fitGap(factors) { return (nil, gap) }
        var policy = allocation.policy.money
        policy.weights = equalWeights(factors)
        guard let table = try? FactorTable(table: allocation.table, policy: policy) else { return (nil, zeroTotalGap) }
        let n = allocation.table.rows.count
        return ((factors, Dictionary(uniqueKeysWithValues: factors.map { f in (f, (0..<n).map { table.factorShare(f, $0) }) })), nil)
    }

    /// Each county's share of the settled and of the permits factor total (after coefficients),
    /// whatever weights the policy gives them: the same `FactorTable` computation with both
    /// factors weighed.
    static func bothFactorShares(_ allocation: Allocation) -> (shares: ([Rational], [Rational])?, gap: Localized?) {
        if let gap = fitGap(allocation.table.hasPermitHolders ? [.settled, .permits] : [.settled]) { return (nil, gap) }
        var policy = allocation.policy.money
        policy.weights = [.settled: Rational(1, 2), .permits: Rational(1, 2)]
        guard let table = try? FactorTable(table: allocation.table, policy: policy) else {
            return (nil, Localized("one of the two factors has a total of 0 over all counties: nothing to infer",
                                   "两个因素之一合计为 0：无可推断"))
        }
        let n = allocation.table.rows.count
        return ((( 0..<n).map { table.factorShare(.settled, $0) }, (0..<n).map { table.factorShare(.permits, $0) }), nil)
    }
}

extension Rational {
    /// |x|.
    var absoluteValue: Rational { isNegative ? -self : self }
}
