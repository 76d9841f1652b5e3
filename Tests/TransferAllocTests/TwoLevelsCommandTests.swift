import Foundation
import Testing

/// Two levels (contract §10.5) through the real binary: every rejection they add (exit status 1,
/// a message naming the file with line and column, or the policy path; nothing written), and the
/// hand-computed run of `TwoLevelsTests` as the commands print it.
@Suite struct TwoLevelsCommandTests {
    static let settlement = TwoLevelsTests.settlement
    static let policy = TwoLevelsTests.policy

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var settlement: String = TwoLevelsCommandTests.settlement
        var policy: String = TwoLevelsCommandTests.policy
        var extra: [String] = []
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "levels without a parent column", settlement: "code,settled,permit_holders\nA1,1,1\n",
             expected: ["settlement.csv, line 1: has no parent column, but the policy has levels"]),
        Case(name: "parent names that disagree within a group",
             settlement: "code,parent,上级名称,settled,permit_holders\nA1,P1,甲市,1,1\nA2,P1,,1,1\nA3,P1,乙市,1,1\n",
             expected: ["settlement.csv, line 4, column 3 (上级名称 = parent_name): value \"乙市\" differs from the name 甲市 that line 2 gives group P1"]),
        Case(name: "a group code that is a county's code",
             settlement: "code,parent,settled,permit_holders\nP1,X,1,1\nA2,P1,1,1\n",
             expected: ["settlement.csv, line 3, column 2 (parent): value \"P1\" is the group code P1, which is also the code of the county on line 2"]),
        Case(name: "a direct county's code given as a parent",
             settlement: "code,parent,省直管,settled,permit_holders\nD1,P0,1,1,1\nA2,D1,,1,1\n",
             expected: ["settlement.csv, line 2, column 1 (code): value \"D1\" is the code of a direct county (a group of its own), but line 3 gives it as its parent"]),
        Case(name: "a direct cell that is no yes/no word, even without levels",
             settlement: "code,parent,direct,settled,permit_holders\nA1,P1,maybe,1,1\n", policy: "{}",
             expected: ["settlement.csv, line 2, column 3 (direct): value \"maybe\" is not a yes/no value"]),
        Case(name: "levels with components",
             policy: #"{"levels": {}, "money": {"components": [{"name": "a", "share": "1"}]}}"#,
             expected: ["policy.json, line 1, column 12 (levels): cannot be combined with money.components"]),
        Case(name: "retention of 1", policy: #"{"levels": {"retention": "1"}}"#,
             expected: ["policy.json, line 1, column 26 (levels.retention): value \"1\" is not less than 1"]),
        Case(name: "negative retention through --set", extra: ["--set", "levels.retention=-0.1"],
             expected: ["--set, column levels.retention: value \"-0.1\" is negative"]),
        Case(name: "granularity in the upper stage",
             policy: #"{"levels": {"upper": {"money": {"granularity": "1"}}}}"#,
             expected: ["(levels.upper.money.granularity): value \"granularity\" cannot be set in levels.upper: one granularity for both stages"]),
        Case(name: "land in the upper stage", policy: #"{"levels": {"upper": {"land": {}}}}"#,
             expected: ["(levels.upper.land): value \"land\" is not a key of levels.upper; expected one of the keys name, money, sources"]),
        Case(name: "upper weights that do not add up to 1",
             extra: ["--set", #"levels.upper.money.weights={"settled": "0.5"}"#],
             expected: ["--set, column levels.upper.money.weights", "makes the factor weights add up to 0.5"]),
        Case(name: "levels that are not an object", policy: #"{"levels": []}"#,
             expected: ["policy.json, line 1, column 12 (levels): value \"[]\" is a list, not an object"]),
        // A total of 0 over the whole table is the table's, as without levels: no group named.
        Case(name: "a factor total of 0 over every group", settlement: "code,parent,settled,permit_holders\nA1,P1,0,1\nA2,P1,0,2\nD1,,0,3\n",
             policy: #"{"levels": {}}"#,
             expected: ["settlement.csv, column settlers: give the settled factor an adjusted total of 0 (after coefficients), so its weight 0.8 cannot be shared out; expected"]),
        Case(name: "an infeasible lower stage names its group", extra: ["--set", "money.bounds.floor_amount=140"],
             expected: ["--fund-total, column fund_total: leaves 270.00 元 to allocate in scenario baseline, group P1, less than the 280.00 元"]),
        Case(name: "an infeasible upper stage names the groups' lower bounds",
             extra: ["--set", "levels.upper.money.bounds.floor_amount=400"],
             expected: ["--fund-total, column fund_total: leaves 1000.00 元 to allocate in scenario baseline, less than the 1200.00 元 the groups' lower bounds need (upper stage: the groups)"]),
        // Each group has 100 settlers: a cap of 3 元 a settler lets the three take 900 元 of 1000.
        Case(name: "an infeasible upper stage names the groups' upper bounds",
             extra: ["--set", "levels.upper.money.bounds.cap_per_settler=3"],
             expected: ["--fund-total, column fund_total: leaves 1000.00 元 to allocate in scenario baseline, more than the 900.00 元 the groups' upper bounds allow (upper stage: the groups)"]),
        Case(name: "a prefecture group whose lower bound is above its upper bound names the group",
             extra: ["--set", "levels.upper.money.bounds.floor_amount=200", "--set", "levels.upper.money.bounds.cap_per_settler=1"],
             expected: ["settlement.csv, line 2, column 3 (parent): value \"P1\" is group P1 甲市, whose lower bound of 200.00 元 is above its upper bound of 100.00 元 (after rounding the bounds to the granularity; scenario baseline) (upper stage: the groups); expected bounds with floor / min_retention ≤ max_growth / cap_per_settler for every group"]),
        Case(name: "a direct county whose lower bound is above its upper bound names its row",
             settlement: "code,parent,direct,settled,permit_holders\nD1,P0,是,10,1\nA1,P1,,100,1\n",
             extra: ["--set", "levels.upper.money.bounds.floor_amount=50", "--set", "levels.upper.money.bounds.cap_per_settler=1"],
             expected: ["settlement.csv, line 2, column code: value \"D1\" has a lower bound of 50.00 元 above its upper bound of 10.00 元 (after rounding the bounds to the granularity; scenario baseline) (upper stage: the groups)"]),
        Case(name: "a column only the upper stage weighs, missing, names the upper stage",
             settlement: "code,parent,settled\nA1,P1,1\nB1,P2,1\n",
             policy: #"{"money": {"weights": {"settled": "1", "permits": "0"}}, "levels": {"upper": {"money": {"weights": {"settled": "0.5", "permits": "0.5"}}}}}"#,
             expected: ["settlement.csv, line 1, column permit_holders: is missing, but the policy weighs the permits factor 0.5 (upper stage: the groups); expected a permit_holders (居住证持有人数) column, or levels.upper.money.weights.permits = 0"]),
        Case(name: "a factor with total 0 inside a group",
             settlement: "code,parent,settled,permit_holders\nA1,P1,1,0\nA2,P1,1,0\nB1,P2,1,5\n", policy: #"{"levels": {}}"#,
             expected: ["settlement.csv, column permit_holders: give the permits factor an adjusted total of 0", "(group P1)"]),
    ]

    /// A previous-amount bound only the upper stage sets, on a table without prev_amount, is
    /// warned about like one at the money level (it applies to no group).
    @Test func upperStagePreviousAmountBoundWithoutTheColumnIsWarned() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write("code,parent,settled,permit_holders\nA1,P1,10,5\nA2,P1,20,5\nB1,P2,30,5\n", to: "settlement.csv", in: directory)
        try CLI.write(#"{"levels": {"upper": {"money": {"bounds": {"max_growth": "0.1"}}}}}"#, to: "policy.json", in: directory)
        let result = try CLI.run(["allocate", "--settlement", "settlement.csv", "--policy", "policy.json", "--fund-total", "1000"],
                                 in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("settlement.csv: the policy sets levels.upper.money.bounds.max_growth, but the table has no prev_amount column; that bound applies to no county"))
        #expect(!result.stderr.contains("sets money.bounds"))
    }

    /// validate checks the groups without a budget or fund: they belong to the table.
    @Test(arguments: cases.prefix(4)) func validateChecksTheGroupsWithoutABudget(_ example: Case) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(example.settlement, to: "settlement.csv", in: directory)
        try CLI.write(example.policy, to: "policy.json", in: directory)
        let result = try CLI.run(["validate", "--settlement", "settlement.csv", "--policy", "policy.json"], in: directory)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        for fragment in example.expected {
            #expect(result.stdout.contains(fragment) || result.stderr.contains(fragment), "missing \(fragment) in: \(result.stdout)")
        }
    }

    @Test(arguments: cases) func rejects(_ example: Case) throws {
        try CLI.expectAllocateRefuses(settlement: example.settlement, policy: example.policy, extra: example.extra,
                                      expected: example.expected)
    }

    /// The hand-computed run, as CSV, and the same amounts twice.
    @Test func allocatePrintsTheTree() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(Self.settlement, to: "settlement.csv", in: directory)
        try CLI.write(Self.policy, to: "policy.json", in: directory)
        let base = ["allocate", "--settlement", "settlement.csv", "--policy", "policy.json", "--fund-total", "1000"]
        let csv = try CLI.run(base, in: directory)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.contains("baseline,group,P2,乙市,P2,100,,,0.3333333333,333.33,33.33,3.33,none\n"))
        #expect(csv.stdout.contains("baseline,direct,D1,直管,D1,100,100,1,0.3666666667,366.67,,3.67,none\n"))
        #expect(try CLI.run(base, in: directory).stdout == csv.stdout)
        let markdown = try CLI.run(base + ["--format", "markdown"], in: directory)
        #expect(markdown.stdout.contains("| group | P1 | 甲市 | P1 | 100 |"))
        #expect(markdown.stdout.contains("| **Total** |"))
        let html = try CLI.run(base + ["--format", "html"], in: directory)
        #expect(html.status == 0, "\(html.stderr)")
    }

    /// explain shows both stages for a county, the upper stage alone for a group code, and a direct
    /// county's group amount.
    @Test func explainShowsBothStages() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(Self.settlement, to: "settlement.csv", in: directory)
        try CLI.write(Self.policy, to: "policy.json", in: directory)
        let base = ["explain", "--settlement", "settlement.csv", "--policy", "policy.json", "--fund-total", "1000", "--code"]
        let county = try CLI.run(base + ["A1"], in: directory)
        #expect(county.status == 0, "\(county.stderr)")
        for line in ["Upper stage, group P1 甲市: Weighted share", "exactly 3/10",
                     "Weight w: 0.5\n      levels.upper.money.weights.settled",
                     "Retained R = ⌊G × r / g⌋ × g (元): 30.00", "Passed to the counties A_p = G − R (元): 270.00",
                     "Within group P1 甲市: Money, scenario baseline", "Allocated A = B − R (元): 270.00",
                     "Amount = units × g (元): 81.00"] {
            #expect(county.stdout.contains(line), "missing \(line)")
        }
        let group = try CLI.run(base + ["P2"], in: directory)
        #expect(group.status == 0, "\(group.stderr)")
        #expect(group.stdout.hasPrefix("Derivation for group P2 乙市"))
        #expect(group.stdout.contains("Counties: B1, B2, B3"))
        #expect(group.stdout.contains("Amount = units × g (元): 333.33"))
        #expect(group.stdout.contains("Retained R = ⌊G × r / g⌋ × g (元): 33.33"))
        #expect(!group.stdout.contains("Within group"))
        let direct = try CLI.run(base + ["D1"], in: directory)
        #expect(direct.status == 0, "\(direct.stderr)")
        #expect(direct.stdout.contains("Amount = G (元): 366.67"))
        #expect(!direct.stdout.contains("Within group"))
    }

    /// audit compares the counties and the group rows a published table has (G_p); a 合计 row
    /// with A (retention included), a table without one by its county rows with A − Σ R_p.
    @Test func auditComparesCountiesAndGroups() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(Self.settlement, to: "settlement.csv", in: directory)
        try CLI.write(Self.policy, to: "policy.json", in: directory)
        let rows = "A1,81.00\nA2,189.00\nB1,150.00\nB2,75.00\nB3,75.00\nD1,366.67\n"
        try CLI.write("code,amount\nP1,300.00\n" + rows + "P2,333.33\n", to: "good.csv", in: directory)
        try CLI.write("code,amount\nP1,300.00\n" + rows + "P2,333.00\n", to: "bad.csv", in: directory)
        let base = ["audit", "--settlement", "settlement.csv", "--policy", "policy.json", "--fund-total", "1000", "--published"]
        let good = try CLI.run(base + ["good.csv"], in: directory)
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(good.stdout.contains("No group's amount differs by more than the tolerance (2 group row(s) compared)."))
        #expect(good.stdout.contains("Recomputed counties' total A − Σ retained (元): 936.67"))
        // R = 30.00 (P1) + 33.33 (P2): a 合计 of 1000.00 holds the 市本级, a 合计 of the counties alone does not.
        let named = "code,name,amount\n" + rows.split(separator: "\n").map { "\($0.split(separator: ",")[0]),,\($0.split(separator: ",")[1])" }.joined(separator: "\n")
        try CLI.write(named + "\n,市本级,63.33\n,合计,1000.00\n", to: "total.csv", in: directory)
        try CLI.write(named + "\n,合计,936.67\n", to: "counties-total.csv", in: directory)
        let total = try CLI.run(base + ["total.csv"], in: directory)
        #expect(total.status == 0, "\(total.stdout)\(total.stderr)")
        #expect(total.stdout.contains("Recomputed allocated A (元): 1000.00"))
        let countiesTotal = try CLI.run(base + ["counties-total.csv"], in: directory)
        #expect(countiesTotal.status == 3, "\(countiesTotal.stdout)\(countiesTotal.stderr)")
        #expect(countiesTotal.stdout.contains("Difference (元): -63.33"))
        let bad = try CLI.run(base + ["bad.csv"], in: directory)
        #expect(bad.status == 3, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stdout.contains("1 group(s) differ from their amount G by more than 0.01 元"))
        #expect(!bad.stdout.contains("In the published table but not in"))
    }

    /// sweep and whatif vary the retention and an upper-stage value through the same path.
    @Test func sweepAndWhatifVaryLevels() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(Self.settlement, to: "settlement.csv", in: directory)
        try CLI.write(Self.policy, to: "policy.json", in: directory)
        let base = ["--settlement", "settlement.csv", "--policy", "policy.json", "--fund-total", "1000"]
        // Retention 0: P1 passes all 300 (A1 90, A2 210), P2 333.33 (B1 166.67 … the tie to B2).
        let sweep = try CLI.run(["sweep"] + base + ["--vary", "levels.retention=0:0.1:0.1"], in: directory)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(sweep.stdout.contains("0,A1,甲一,90.00,none\n"))
        #expect(sweep.stdout.contains("0.1,A1,甲一,81.00,none\n"))
        let upper = try CLI.run(["sweep"] + base + ["--vary", "levels.upper.money.bounds.floor_amount=300:320:20"],
                                in: directory)
        #expect(upper.status == 0, "\(upper.stderr)")
        #expect(upper.stdout.contains("320,A1,甲一,86.40,none\n"))
        // Upper weights: settled 1 makes every group ⅓: P1 333.33 → R 33.33, A1 = 0.3 · 300 = 90.
        let weights = try CLI.run(["sweep"] + base + ["--vary", "levels.upper.money.weights.settled=1:1:1"], in: directory)
        #expect(weights.status == 0, "\(weights.stderr)")
        #expect(weights.stdout.contains("1,A1,甲一,90.00,none\n"))
        let whatif = try CLI.run(["whatif"] + base + ["--variant", "flat:levels=null"], in: directory)
        #expect(whatif.status == 0, "\(whatif.stderr)")
    }

    /// A factor column only the upper stage weighs (contract §10.1, §10.5) is read however that
    /// weight comes: `--set`, `sweep --vary`, a `whatif` variant, a dated version. teachers is 10
    /// in D1 and 0 elsewhere, so its weight goes all to D1 (and a column not read would stop the run).
    @Test func aFactorOnlyTheUpperStageWeighsIsReadEveryWay() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let settlement = Self.settlement.split(separator: "\n").enumerated().map { k, line in
            line + (k == 0 ? ",teachers" : line.hasPrefix("D1,") ? ",10" : ",0")
        }.joined(separator: "\n") + "\n"
        try CLI.write(settlement, to: "settlement.csv", in: directory)
        try CLI.write(Self.policy, to: "policy.json", in: directory)
        // D1 is direct: its amount is its group's G_D1, whatever the lower stage's weights.
        try CLI.write(#"""
            {"versions": [
              {"from": 2020, "label": "old", "levels": {"retention": "0.1", "upper": {"money": {"weights": {"settled": "0.5", "permits": "0.5"}}}}},
              {"from": 2022, "label": "new", "levels": {"retention": "0.1", "upper": {"money": {"weights": {"settled": "0.5", "permits": "0", "teachers": "0.5"}}}}}]}
            """#, to: "versions.json", in: directory)
        let base = ["--settlement", "settlement.csv", "--policy", "policy.json", "--fund-total", "1000"]
        let teachersHalf = ["levels.upper.money.weights.teachers=0.5", "levels.upper.money.weights.permits=0"]
        // Upper weights settled ½, teachers ½: s_P1 = s_P2 = ½·⅓ = 1/6, s_D1 = 1/6 + ½ = 2/3; the two
        // fen left over go to the equal remainders in code order, D1 then P1: D1 = 666.67.
        let set = try CLI.run(["allocate"] + base + teachersHalf.flatMap { ["--set", $0] }, in: directory)
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains(",direct,D1,直管,D1,"), "\(set.stdout)")
        #expect(set.stdout.split(separator: "\n").contains { $0.contains(",direct,D1,") && $0.contains(",666.67,") })
        let whatif = try CLI.run(["whatif"] + base + teachersHalf.flatMap { ["--variant", "t:" + $0] }, in: directory)
        #expect(whatif.status == 0, "\(whatif.stderr)")
        #expect(whatif.stdout.split(separator: "\n").contains { $0.hasPrefix("t,D1,直管,") && $0.contains(",666.67,") }, "\(whatif.stdout)")
        // Sweeping teachers to ½ rescales settled and permits to ¼ each: s_D1 = 1/12 + 1/10 + ½ = 41/60,
        // s_P1 = 1/12 + 1/15 = 9/60, s_P2 = 1/12 + 1/12 = 10/60; D1 = 683.33 (the left fen goes to P2).
        let sweep = try CLI.run(["sweep"] + base + ["--vary", "levels.upper.money.weights.teachers=0.5:0.5:0.5"], in: directory)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(sweep.stdout.contains("0.5,D1,直管,683.33,none\n"), "\(sweep.stdout)")
        let dated = try CLI.run(["allocate", "--settlement", "settlement.csv", "--policy", "versions.json",
                                 "--fund-total", "1000", "--year", "2023"], in: directory)
        #expect(dated.status == 0, "\(dated.stderr)")
        #expect(dated.stdout.split(separator: "\n").contains { $0.contains(",direct,D1,") && $0.contains(",666.67,") }, "\(dated.stdout)")
    }
}
