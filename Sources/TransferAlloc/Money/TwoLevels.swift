import BigInt

/// Two levels (contract §10.5), in one place: the province allocates to groups (prefectures, and
/// the counties it administers directly); each prefecture keeps its retention (市本级) and
/// allocates the rest over its counties. Both stages are the one money path of §3 (factor
/// integers, bounds, `Apportionment`), run on a table of groups and then on each group's rows.
///
/// Worked example (weights settled 1, no coefficients, g = 0.01 元, retention 0.1):
///
///     group 1 = counties a (settled 60), b (40); group 2 = county c (100), direct
///     A = 1000 元 → G_1 = 500, G_2 = 500 (a_{1} = 60 + 40 = 100, a_{2} = 100)
///     R_1 = ⌊500·0.1 / 0.01⌋·0.01 = 50, A_1 = 450 → a = 270, b = 180; c = G_2 = 500
///
/// Groups: rows with the same non-empty `parent` form the group of that code; a row with an
/// empty `parent` or `direct` true is a group of its own (a direct group: its row receives G_p,
/// nothing is retained). Groups are in order of their first row.
public struct LevelGroup: Sendable, Equatable {
    /// The group's code: the rows' `parent`, or a direct row's own code.
    public let code: String
    /// From the rows' non-empty `parent_name` cells (else the code); a direct group's row's name.
    public let name: String
    /// The group's rows, in input order.
    public let rows: [Int]
    /// A row of its own (empty `parent`, or `direct` true).
    public let isDirect: Bool
}

/// The groups of a settlement table (contract §10.5), checked, with the tables each stage
/// computes on.
public struct LevelGroups: Sendable {
    public let groups: [LevelGroup]
    /// The group of each row.
    public let groupOfRow: [Int]
    /// Each row's position among its group's rows.
    public let positionInGroup: [Int]
    /// One row per group, what the upper stage's bounds read: the code and name, the line of its
    /// first row, its rows' current-year settlers summed (as `settled`), prev_p = Σ prev_amount
    /// when some row gives one (rows without count 0), no min/max amount.
    public let groupTable: SettlementTable
    /// Each group's rows as a table of their own (nil for a direct group).
    public let memberTables: [SettlementTable?]
    /// Each group's position in byte-wise order of the group codes (equal remainders: the
    /// smaller group code first).
    public let tieOrder: [Int]

    /// - Throws: `InputError` for a table without `parent`, a group whose `parent_name` cells
    ///   disagree, a group code that is also a county's code, or a direct county's code that rows
    ///   give as their parent.
    public init(table: SettlementTable) throws(InputError) {
        guard table.hasParent else {
            throw InputError(file: table.file, line: table.headerLine,
                             problem: "has no parent column, but the policy has levels (two levels group the counties by parent)",
                             accepted: "a parent (上级代码, 所属市代码) column with each county's prefecture code, or no levels in the policy")
        }
        var rowOfCode: [String: Int] = [:]
        for (i, row) in table.rows.enumerated() { rowOfCode[row.code] = i }
        var groupOfCode: [String: Int] = [:]
        var codes: [String] = []
        var members: [[Int]] = []
        var direct: [Bool] = []
        var names: [(name: String, line: Int)?] = []
        var groupOfRow: [Int] = []
        groupOfRow.reserveCapacity(table.rows.count)
        for (i, row) in table.rows.enumerated() {
            let ownGroup = row.parent.isEmpty || row.direct
            if ownGroup {
                groupOfRow.append(codes.count)
                codes.append(row.code)
                members.append([i])
                direct.append(true)
                names.append((row.name.isEmpty ? row.code : row.name, row.line))
                continue
            }
            let p: Int
            if let known = groupOfCode[row.parent] {
                p = known
            } else {
                if let county = rowOfCode[row.parent] {
                    let other = table.rows[county]
                    if other.parent.isEmpty || other.direct {
                        throw InputError(file: table.file, line: other.line, column: table.label("code"), value: other.code,
                                         problem: "is the code of a direct county (a group of its own), but line \(row.line) gives it as its parent",
                                         accepted: "a direct county whose code no row gives as its parent (a prefecture's rows name the prefecture's code, which is no row of the table)")
                    }
                    throw InputError(file: table.file, line: row.line, column: table.label("parent"), value: row.parent,
                                     problem: "is the group code \(row.parent), which is also the code of the county on line \(other.line)",
                                     accepted: "a parent code that is no county's code (the prefecture is a group, not a row; a province-administered county is marked direct)")
                }
                p = codes.count
                groupOfCode[row.parent] = p
                codes.append(row.parent)
                members.append([])
                direct.append(false)
                names.append(nil)
            }
            members[p].append(i)
            groupOfRow.append(p)
            if !row.parentName.isEmpty {
                if let named = names[p] {
                    if named.name != row.parentName {
                        throw InputError(file: table.file, line: row.line, column: table.label("parent_name"), value: row.parentName,
                                         problem: "differs from the name \(named.name) that line \(named.line) gives group \(row.parent)",
                                         accepted: "one parent_name for every row of a group (or an empty cell)")
                    }
                } else {
                    names[p] = (row.parentName, row.line)
                }
            }
        }
        let groups = codes.indices.map { p in
            LevelGroup(code: codes[p], name: names[p]?.name ?? codes[p], rows: members[p], isDirect: direct[p])
        }
        self.groups = groups
        self.groupOfRow = groupOfRow
        var positionInGroup = Array(repeating: 0, count: groupOfRow.count)
        for group in groups { for (k, i) in group.rows.enumerated() { positionInGroup[i] = k } }
        self.positionInGroup = positionInGroup
        tieOrder = LargestRemainder.tieOrder(codes: codes)

        var groupTable = table
        groupTable.rows = groups.map { group in
            let rows = group.rows.map { table.rows[$0] }
            let given = rows.compactMap(\.prevAmount)
            return SettlementRow(
                line: rows[0].line, code: group.code, name: group.name, parent: "",
                origins: [.settled: rows.reduce(BigInt(0)) { $0 + $1.currentSettlers }], settledCell: nil, priors: [],
                permitHolders: rows.reduce(BigInt(0)) { $0 + $1.permitHolders }, coefficients: [:],
                prevAmount: given.isEmpty ? nil : given.reduce(Rational.zero, +), minAmount: nil, maxAmount: nil,
                landPerCapita: nil, landExempt: false)
        }
        groupTable.originKinds = [.settled]
        groupTable.priorYears = 0
        groupTable.unknownHeaders = []
        groupTable.missingCoefficientColumns = []
        self.groupTable = groupTable
        memberTables = groups.map { group in
            guard !group.isDirect else { return nil }
            var member = table
            member.rows = group.rows.map { table.rows[$0] }
            member.unknownHeaders = []
            member.missingCoefficientColumns = []
            return member
        }
    }

    /// R_p = ⌊G_p·r / g⌋·g in fen: what a (non-direct) group keeps of its amount G_p.
    ///
    ///     LevelGroups.retainedFen(groupFen: 50_001, retention: Rational(1, 10), granularityFen: 1)   // 5000
    public static func retainedFen(groupFen: BigInt, retention: Rational, granularityFen g: BigInt) -> BigInt {
        (groupFen * retention.numerator) / (retention.denominator * g) * g
    }
}

/// One scenario's two stages (contract §10.5): the upper stage over the groups and each
/// group's lower stage over its rows.
public final class LevelsMoney: Sendable {
    public let groups: LevelGroups
    /// The groups' factor values (a_{p,f} = Σ a_{i,f}, each county with its own coefficients under
    /// the upper stage's policy) and shares.
    public let upperFactors: FactorTable
    /// The counties' factor values under the upper stage's policy (what the groups' sum).
    public let countyUpperFactors: FactorTable
    /// The upper stage: G_p = `upper.amountFen(p)`, with its bounds and rounding.
    public let upper: MoneyAllocation
    /// The upper stage's policy.
    public let upperPolicy: MoneyPolicy
    /// r.
    public let retention: Rational
    /// R_p in fen (0 for a direct group).
    public let retainedFen: [BigInt]
    /// Each non-direct group's lower stage over its rows (A_p = G_p − R_p); nil for a direct group.
    public let lower: [MoneyAllocation?]
    /// Each non-direct group's factor values and shares over its rows; nil for a direct group.
    public let lowerFactors: [FactorTable?]

    init(groups: LevelGroups, upperFactors: FactorTable, countyUpperFactors: FactorTable, upper: MoneyAllocation,
         upperPolicy: MoneyPolicy, retention: Rational, retainedFen: [BigInt], lower: [MoneyAllocation?],
         lowerFactors: [FactorTable?]) {
        self.groups = groups
        self.upperFactors = upperFactors
        self.countyUpperFactors = countyUpperFactors
        self.upper = upper
        self.upperPolicy = upperPolicy
        self.retention = retention
        self.retainedFen = retainedFen
        self.lower = lower
        self.lowerFactors = lowerFactors
    }

    /// G_p in fen.
    public func groupFen(_ p: Int) -> BigInt { upper.amountFen(p) }

    /// A_p = G_p − R_p in fen: what the group passes to its counties.
    public func groupAllocatedFen(_ p: Int) -> BigInt { upper.amountFen(p) - retainedFen[p] }

    /// The county's position within its group's rows.
    public func position(ofRow i: Int) -> Int { groups.positionInGroup[i] }

    /// The county's share: within its group for a county of a prefecture, the group's share of
    /// the upper stage for a direct county.
    public func share(ofRow i: Int) -> Rational {
        let (numerator, denominator) = shareTerms(ofRow: i)
        return Rational(numerator, denominator)
    }

    /// `share(ofRow:)` as numerator and denominator, not reduced (outputs print it without a gcd).
    public func shareTerms(ofRow i: Int) -> (numerator: BigInt, denominator: BigInt) {
        let p = groups.groupOfRow[i]
        guard let factors = lowerFactors[p] else { return (upperFactors.shareNumerators[p], upperFactors.shareDenominator) }
        return (factors.shareNumerators[position(ofRow: i)], factors.shareDenominator)
    }
}

/// The engine's state for two levels: the groups (read once per table) and one engine per
/// non-direct group, so each lower stage keeps its own reusable stages.
struct LevelStages: Sendable {
    var groups: LevelGroups
    /// The upper stage's county values, kept apart from the lower stage's (the whole table under
    /// the policy), so that neither replaces the other's reusable stages. One engine, in a list
    /// because an engine cannot hold an engine.
    var upperEngine: [AllocationEngine]
    var engines: [AllocationEngine?]
}

extension AllocationEngine {
    /// With levels (contract §10.5): B, R and A as §3.1 under the upper stage's policy; G_p by
    /// §3.3–§3.5 over the groups; each non-direct group's A_p over its rows by this same path
    /// under the policy without levels. A county's amount is its lower-stage amount, a direct
    /// county's its group's G_p.
    mutating func levelsMoney(policy: MoneyPolicy, levels: MoneyLevels, scenario: Scenario) throws(InputError) -> MoneyAllocation {
        if levelStages == nil {
            let groups = try LevelGroups(table: inputs.table)
            let budgetFile = inputs.budgetFile
            levelStages = LevelStages(groups: groups, upperEngine: [AllocationEngine(inputs: inputs)],
                                      engines: groups.memberTables.map { table in
                table.map { AllocationEngine(inputs: PreparedInputs(table: $0, scenarios: [], budgetFile: budgetFile)) }
            })
        }
        let groups = levelStages!.groups
        let upperPolicy = levels.upper
        // An upper layer that changes no factor value (weights and bounds only) shares the
        // county integers of the whole table; one that does keeps its own.
        let countyFactors: FactorTable
        do {
            countyFactors = FactorKey(upperPolicy) == FactorKey(policy)
                ? try factorTable(policy: upperPolicy) : try levelStages!.upperEngine[0].factorTable(policy: upperPolicy)
        } catch {
            // A factor only the upper stage weighs (a missing column …) is the upper stage's, and
            // so is the weight that would drop it (setting it there works whether or not the
            // upper stage has weights of its own).
            var error = error
            error.problem += " (upper stage: the groups)"
            error.accepted = error.accepted?.replacingOccurrences(of: "or money.weights.", with: "or levels.upper.money.weights.")
            throw error
        }
        let upperFactors = FactorTable(integers: countyFactors.integers.summed(over: groups), weights: upperPolicy.weights)
        let (lowerFen, upperFen) = MoneyAllocation.bounds(table: groups.groupTable, policy: upperPolicy)
        let (lowerUnits, upperUnits) = MoneyAllocation.snapped(lower: lowerFen, upper: upperFen,
                                                              granularityFen: upperPolicy.granularityFen)
        let upper: MoneyAllocation
        do {
            upper = try MoneyAllocation(table: groups.groupTable, factors: upperFactors, policy: upperPolicy,
                                        scenario: scenario, lowerUnits: lowerUnits, upperUnits: upperUnits,
                                        scenarioFile: inputs.budgetFile, tieOrder: groups.tieOrder,
                                        holders: .upperStageGroups(groups.groups))
        } catch {
            var error = error
            error.problem += " (upper stage: the groups)"
            throw error
        }
        var lowerPolicy = policy
        lowerPolicy.levels = nil
        // Every county's values under the policy, computed once for the whole table; each group
        // takes its rows' integers (their ratios within the group are the same).
        let whole = try factorTable(policy: lowerPolicy)
        let g = policy.granularityFen
        var retained = Array(repeating: BigInt(0), count: groups.groups.count)
        var lower: [MoneyAllocation?] = Array(repeating: nil, count: groups.groups.count)
        var lowerFactors: [FactorTable?] = Array(repeating: nil, count: groups.groups.count)
        for (p, group) in groups.groups.enumerated() where !group.isDirect {
            let amount = upper.amountFen(p)
            retained[p] = LevelGroups.retainedFen(groupFen: amount, retention: levels.retention, granularityFen: g)
            // The scenario's name and line, so errors point at its budget row and say which group.
            let own = Scenario(name: "\(scenario.name), group \(group.code)", line: scenario.line,
                               fundFen: amount - retained[p])
            do {
                guard let integers = whole.integers.restricted(to: group.rows) else {
                    // A factor's total is 0 inside the group: the group's own table says which.
                    _ = try levelStages!.engines[p]!.factorTable(policy: lowerPolicy)
                    preconditionFailure("a factor total of 0 in group \(group.code) went unreported")
                }
                let factors = FactorTable(integers: integers, weights: lowerPolicy.weights)
                lowerFactors[p] = factors
                let (lowerUnits, upperUnits) = levelStages!.engines[p]!.boundUnits(policy: lowerPolicy)
                let engine = levelStages!.engines[p]!
                lower[p] = try MoneyAllocation(table: engine.inputs.table, factors: factors, policy: lowerPolicy,
                                               scenario: own, lowerUnits: lowerUnits, upperUnits: upperUnits,
                                               scenarioFile: inputs.budgetFile, tieOrder: engine.inputs.tieOrder)
            } catch {
                var error = error
                let named = group.name == group.code ? group.code : group.code + " " + group.name
                if !error.problem.contains("group \(group.code)") { error.problem += " (group \(named))" }
                throw error
            }
        }
        let stages = LevelsMoney(groups: groups, upperFactors: upperFactors, countyUpperFactors: countyFactors,
                                 upper: upper, upperPolicy: upperPolicy,
                                 retention: levels.retention, retainedFen: retained, lower: lower,
                                 lowerFactors: lowerFactors)
        return MoneyAllocation(levels: stages, granularityFen: g)
    }
}

extension MoneyAllocation {
    /// The scenario's money with two levels: B, R and A of the upper stage; each county's units,
    /// bounds and bound kind from its lower stage, a direct county's from its group's upper stage.
    init(levels: LevelsMoney, granularityFen g: BigInt) {
        let upper = levels.upper
        let n = levels.groups.groupOfRow.count
        var units = Array(repeating: BigInt(0), count: n)
        var bound = Array(repeating: BoundKind.none, count: n)
        var lowerFen = Array(repeating: BigInt(0), count: n)
        var upperFen: [BigInt?] = Array(repeating: nil, count: n)
        for (p, group) in levels.groups.groups.enumerated() {
            let stage = levels.lower[p] ?? upper
            let direct = levels.lower[p] == nil
            for (k, i) in group.rows.enumerated() {
                let at = direct ? p : k
                units[i] = stage.apportionment.units[at]
                bound[i] = stage.apportionment.bound[at]
                lowerFen[i] = stage.lowerFen[at]
                upperFen[i] = stage.upperFen[at]
            }
        }
        self.budgetFen = upper.budgetFen
        self.reserveFen = upper.reserveFen
        self.allocatedFen = upper.allocatedFen
        self.granularityFen = g
        self.lowerFen = lowerFen
        self.upperFen = upperFen
        self.apportionment = Apportionment(assembling: units, bound: bound, total: upper.apportionment.total)
        self.components = []
        self.levels = levels
    }
}

extension FactorIntegers {
    /// The integers of the groups: α_{p,f} = Σ_{i∈p} α_{i,f} (the county integers share one
    /// denominator per factor, so the sums keep the ratios of a_{p,f} = Σ a_{i,f}); the totals
    /// are the counties'. A group's value is its adjusted value, its coefficient 1.
    func summed(over groups: LevelGroups) -> FactorIntegers {
        let count = groups.groups.count
        var values: [Factor: [Rational]] = [:]
        var integers: [Factor: [BigInt]] = [:]
        for factor in factors {
            var groupValues = Array(repeating: Rational.zero, count: count)
            var groupIntegers = Array(repeating: BigInt(0), count: count)
            let v = self.values[factor]!, products = factorProducts[factor]!, alpha = self.integers[factor]!
            for (i, p) in groups.groupOfRow.enumerated() {
                groupValues[p] = groupValues[p] + v[i] * products[i]
                groupIntegers[p] += alpha[i]
            }
            values[factor] = groupValues
            integers[factor] = groupIntegers
        }
        let ones = Array(repeating: Rational.one, count: count)
        return FactorIntegers(factors: factors, values: values, coefficientProducts: ones,
                              factorProducts: Dictionary(uniqueKeysWithValues: factors.map { ($0, ones) }),
                              productsByColumns: [:], adjustedTotals: adjustedTotals, integers: integers, totals: totals)
    }
}

extension Allocation {
    /// The upper stage of a run with levels seen as a run of its own (contract §10.5): the groups
    /// as its rows (`LevelGroups.groupTable`), the upper policy, the groups' factor values and
    /// every scenario's upper split (no land). `explain` derives a group's amount with it.
    ///
    /// - Precondition: the run's policy has levels.
    public func upperStage() -> Allocation {
        let levels = scenarios[0].money.levels!
        var policy = self.policy
        policy.money = levels.upperPolicy
        var view = Allocation(stageOf: self, policy: policy, table: levels.groups.groupTable, factors: levels.upperFactors,
                              money: scenarios.map { $0.money.levels!.upper }, tieOrder: levels.groups.tieOrder)
        view.upperStageCounties = UpperStageCounties(table: table, groups: levels.groups,
                                                     factors: levels.countyUpperFactors)
        return view
    }

    /// The lower stage of group `p` (not direct) seen as a run of its own: the group's rows, the
    /// policy without levels, their factor values and every scenario's split of A_p.
    ///
    /// - Precondition: the run's policy has levels and group `p` is not direct.
    public func lowerStage(_ p: Int) -> Allocation {
        let levels = scenarios[0].money.levels!
        var policy = self.policy
        policy.money.levels = nil
        let table = levels.groups.memberTables[p]!
        return Allocation(stageOf: self, policy: policy, table: table, factors: levels.lowerFactors[p]!,
                          money: scenarios.map { $0.money.levels!.lower[p]! },
                          tieOrder: LargestRemainder.tieOrder(codes: table.rows.map(\.code)), ownBudget: true)
    }

    /// `ownBudget`: the stage's budget is A_p, handed down in 元 with no reserve of its own, so
    /// its scenarios say so rather than repeat the budget row's unit and reserve.
    private init(stageOf run: Allocation, policy: Policy, table: SettlementTable, factors: FactorTable,
                 money: [MoneyAllocation], tieOrder: [Int], ownBudget: Bool = false) {
        self.policy = policy
        self.table = table
        self.factors = factors
        componentFactors = []
        landDemand = nil
        scenarios = zip(run.scenarios, money).map { run, money in
            let scenario = ownBudget ? Scenario(name: run.scenario.name, line: run.scenario.line, fundFen: money.budgetFen)
                                     : run.scenario
            return ScenarioAllocation(scenario: scenario, money: money, land: nil)
        }
        warnings = []
        self.tieOrder = tieOrder
    }

    /// In the upper stage's view: the terms of group `p`'s value of `factor`, each of its
    /// counties' adjusted value under the upper policy (a_{p,f} = Σ a_{i,f}); nil in any other run.
    func upperStageTerms(_ factor: Factor, group p: Int) -> [FactorTerm]? {
        guard let counties = upperStageCounties else { return nil }
        return counties.groups.groups[p].rows.map { i in
            FactorTerm(input: "a (\(counties.table.rows[i].code))", quantity: counties.factors.adjusted(factor, i),
                       coefficient: .one, policyPath: nil)
        }
    }
}

/// What the upper stage's view of a run (`Allocation.upperStage()`) keeps of the counties: each
/// group's value is the sum of its counties' adjusted values.
public struct UpperStageCounties: Sendable {
    public let table: SettlementTable
    public let groups: LevelGroups
    public let factors: FactorTable
}

extension FactorIntegers {
    /// The integers of some rows as a table of their own (a group's lower stage): each row's
    /// value, products and α_if as they are (their ratios within the rows are those of a_{i,f}),
    /// T_f = Σ α_if over the rows, the adjusted totals scaled alike. Nil when some factor's total
    /// over the rows is 0 (the rows' own `FactorIntegers` then throws the error).
    func restricted(to rows: [Int]) -> FactorIntegers? {
        var values: [Factor: [Rational]] = [:]
        var factorProducts: [Factor: [Rational]] = [:]
        var integers: [Factor: [BigInt]] = [:]
        var totals: [Factor: BigInt] = [:]
        var adjustedTotals: [Factor: Rational] = [:]
        for factor in factors {
            let alpha = rows.map { self.integers[factor]![$0] }
            let total = alpha.reduce(BigInt(0), +)
            guard !total.isZero else { return nil }
            // a_i = α_i · (Σa / T) for every row, so the rows' Σa is T_rows · Σa / T.
            adjustedTotals[factor] = self.adjustedTotals[factor]! * Rational(total, self.totals[factor]!)
            values[factor] = rows.map { self.values[factor]![$0] }
            factorProducts[factor] = rows.map { self.factorProducts[factor]![$0] }
            integers[factor] = alpha
            totals[factor] = total
        }
        return FactorIntegers(factors: factors, values: values, coefficientProducts: rows.map { coefficientProducts[$0] },
                              factorProducts: factorProducts, productsByColumns: [:], adjustedTotals: adjustedTotals,
                              integers: integers, totals: totals)
    }
}
