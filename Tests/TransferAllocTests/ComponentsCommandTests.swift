import Foundation
import Testing

/// Components and advances (contract §10.3–§10.4) through the real binary: every rejection they
/// add (exit status 1, a message naming the file with line and column, or the policy path), and
/// what every command prints for them.
@Suite struct ComponentsCommandTests {
    /// The tables of `ComponentsTests`, whose hand-computed values these runs print.
    static let settlement = ComponentsTests.settlement
    static let policy = ComponentsTests.policy

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var settlement: String = ComponentsCommandTests.settlement
        var policy: String = ComponentsCommandTests.policy
        var extra: [String] = []
        var expected: [String]
        var testDescription: String { name }
    }

    static func components(_ items: String) -> String { #"{"money": {"components": [\#(items)]}}"# }

    static let cases: [Case] = [
        Case(name: "shares not adding up to 1",
             policy: components(#"{"name": "a", "share": "0.5"}, {"name": "b", "share": "0.4"}"#),
             expected: ["policy.json, line 1, column 26 (money.components)",
                        "gives shares adding up to 0.9 (a 0.5 + b 0.4), not exactly 1"]),
        Case(name: "granularity inside a component",
             policy: components(#"{"name": "a", "share": "1", "granularity": "1"}"#),
             expected: ["(money.components[1].granularity)", "cannot be set inside a component",
                        "set once, at the money level (money.granularity)"]),
        Case(name: "name with a hyphen", policy: components(#"{"name": "a-b", "share": "1"}"#),
             expected: ["(money.components[1].name)", "value \"a-b\" holds \"-\" (U+2D)"]),
        Case(name: "names equal ignoring case",
             policy: components(#"{"name": "Pupils", "share": "0.5"}, {"name": "pupils", "share": "0.5"}"#),
             expected: ["(money.components[2].name)", "repeats the name of component 1"]),
        Case(name: "name making an existing key", policy: components(#"{"name": "per_settler", "share": "1"}"#),
             expected: ["(money.components[1].name)", "would make the key amount_per_settler"]),
        Case(name: "no components", policy: components(""),
             expected: ["(money.components)", "has no components"]),
        Case(name: "component without a share", policy: components(#"{"name": "a"}"#),
             expected: ["(money.components[1])", "has no share"]),
        Case(name: "unknown key in a component", policy: components(#"{"name": "a", "share": "1", "weight": {}}"#),
             expected: ["(money.components[1].weight)", "is not a key of a component"]),
        Case(name: "component weights not adding up to 1",
             policy: components(#"{"name": "a", "share": "1", "weights": {"settled": "0.5"}}"#),
             expected: ["(money.components[1].weights)", "makes the factor weights add up to 0.5"]),
        Case(name: "negative share", policy: components(#"{"name": "a", "share": "-1"}"#),
             expected: ["(money.components[1].share)", "\"-1\" is negative"]),
        Case(name: "plain min_amount with components, even empty",
             settlement: "code,settled,permit_holders,min_amount\nA1,1,1,\n",
             expected: ["settlement.csv, line 1, column 4 (min_amount)", "is a plain min_amount column",
                        "min_amount_a, min_amount_b"]),
        Case(name: "negative advance", settlement: "code,settled,permit_holders,已提前下达金额\nA1,1,1,-5\n",
             expected: ["settlement.csv, line 2, column 4 (已提前下达金额 = advance)", "\"-5\" is negative"]),
        Case(name: "advance not whole fen", settlement: "code,settled,permit_holders,advance\nA1,1,1,1.005\n",
             expected: ["settlement.csv, line 2, column 4 (advance)", "\"1.005\" is not a whole number of fen"]),
        Case(name: "advance not a number", settlement: "code,settled,permit_holders,advance\nA1,1,1,abc\n",
             expected: ["settlement.csv, line 2, column 4 (advance)", "\"abc\" is not a number"]),
        Case(name: "component bound column not a number",
             settlement: "code,settled,permit_holders,max_amount_b\nA1,1,1,x\n",
             expected: ["settlement.csv, line 2, column 4 (max_amount_b)", "\"x\" is not a number"]),
        Case(name: "a component's bounds cannot be met",
             extra: ["--set", "money.components.b.bounds.floor_amount=300"],
             expected: ["--fund-total, column fund_total: leaves 400.00 元 to allocate in scenario baseline, component b, less than the 600.00 元"]),
        Case(name: "a component's bound above its cap",
             extra: ["--set", "money.components.a.bounds.floor_amount=1000"],
             expected: ["settlement.csv, line 2, column code: value \"A1\" has a lower bound of 1000.00 元 above its upper bound of 110.00 元",
                        "scenario baseline, component a"]),
        Case(name: "a component's factor total is 0",
             settlement: "code,settled,permit_holders\nA1,1,0\n",
             expected: ["permit_holders", "give the permits factor an adjusted total of 0", "(component a)"]),
        Case(name: "bad share through --set", extra: ["--set", "money.components.b.share=x"],
             expected: ["--set, column money.components.b.share: value \"x\" is not a number"]),
    ]

    @Test(arguments: cases) func rejects(_ example: Case) throws {
        try CLI.expectAllocateRefuses(settlement: example.settlement, policy: example.policy, extra: example.extra,
                                      expected: example.expected)
    }

    /// validate reports the same problems, collected.
    @Test func validateReportsComponentProblems() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write("code,settled,permit_holders,max_amount,advance\nA1,1,1,,x\n", to: "settlement.csv", in: directory)
        try CLI.write(Self.policy, to: "policy.json", in: directory)
        let result = try CLI.run(["validate", "--settlement", "settlement.csv", "--policy", "policy.json",
                                  "--fund-total", "1000"], in: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("column 4 (max_amount)") || result.stdout.contains("column 4 (max_amount)"))
        #expect(result.stderr.contains("\"x\" is not a number") || result.stdout.contains("\"x\" is not a number"))
    }

    @Test func unknownComponentBoundColumnIsAWarning() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write("code,settled,permit_holders,max_amount_c\nA1,1,1,5\n", to: "settlement.csv", in: directory)
        try CLI.write(Self.policy, to: "policy.json", in: directory)
        let result = try CLI.run(["allocate", "--settlement", "settlement.csv", "--policy", "policy.json",
                                  "--fund-total", "1000"], in: directory)
        #expect(result.status == 0)
        #expect(result.stderr.contains("ignoring unknown column(s): max_amount_c"))
    }

    @Test func sweepOfAComponentThePolicyLacks() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(Self.settlement, to: "settlement.csv", in: directory)
        try CLI.write(Self.policy, to: "policy.json", in: directory)
        let result = try CLI.run(["sweep", "--settlement", "settlement.csv", "--policy", "policy.json",
                                  "--fund-total", "1000", "--vary", "money.components[3].share=0:1:0.5"], in: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("--vary, column money.components[3].share: names component 3, but the policy has 2: a, b"))
    }

    /// The hand-computed run of `ComponentsTests.handComputed`, as CSV and JSON.
    @Test func allocateOutputs() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(Self.settlement, to: "settlement.csv", in: directory)
        try CLI.write(Self.policy, to: "policy.json", in: directory)
        let base = ["allocate", "--settlement", "settlement.csv", "--policy", "policy.json", "--fund-total", "1000"]
        let csv = try CLI.run(base, in: directory)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout == """
        scenario,code,name,settlers,settled_factor_a,permits_factor_a,permits_factor_b,coefficient,share,amount,amount_per_settler,bound,amount_a,bound_a,amount_b,bound_b,advance,release
        baseline,A1,甲县,100,100,10,10,,0.3700000000,210.00,2.10,,110.00,cap,100.00,none,300.00,-90.00
        baseline,B2,乙县,100,100,30,30,,0.6300000000,790.00,7.90,,490.00,none,300.00,none,0.00,790.00

        """)
        let json = try CLI.run(base + ["--format", "json"], in: directory)
        #expect(json.stdout.contains(#""allocated": "1000.00",\#n      "allocated_a": "600.00",\#n      "allocated_b": "400.00",\#n      "advance_total": "300.00",\#n      "release_total": "700.00","#))
        #expect(json.stdout.contains(#""bound": null,"#))
        let zh = try CLI.run(base + ["--lang", "zh"], in: directory)
        #expect(zh.stdout.hasPrefix("方案,区划代码,名称,当年落户人数,落户因素值_a,持证因素值_a,持证因素值_b,系数,分配比例,分配金额(元),人均金额(元),约束,分配金额_a(元),约束_a,分配金额_b(元),约束_b,已提前下达金额(元),清算金额(元)\n"))
        let html = try CLI.run(base + ["--format", "html"], in: directory)
        #expect(html.stdout.contains("Component a: amount per county (元)"))
        #expect(html.stdout.contains("Component b: amount per county (元)"))
    }

    @Test func explainShowsEachComponent() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(Self.settlement, to: "settlement.csv", in: directory)
        try CLI.write(Self.policy, to: "policy.json", in: directory)
        let result = try CLI.run(["explain", "--settlement", "settlement.csv", "--policy", "policy.json",
                                  "--fund-total", "1000", "--code", "A1"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Component a: Money, scenario baseline"))
        #expect(result.stdout.contains("Upper term prev_amount × (1 + max_growth) (元): 110"))
        #expect(result.stdout.contains("Budget of component b A_c (元): 400.00"))
        #expect(result.stdout.contains("Amount = Σ components (元): 210.00\n      110.00 + 100.00"))
        #expect(result.stdout.contains("Release = amount − advance (元): -90.00\n      negative: to be clawed back"))
    }

    @Test func auditComparesComponentColumns() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(Self.settlement, to: "settlement.csv", in: directory)
        try CLI.write(Self.policy, to: "policy.json", in: directory)
        try CLI.write("code,amount,amount_a,amount_b\nA1,210.00,111.00,99.00\nB2,790.00,490.00,300.00\n",
                      to: "published.csv", in: directory)
        let result = try CLI.run(["audit", "--settlement", "settlement.csv", "--policy", "policy.json",
                                  "--fund-total", "1000", "--published", "published.csv"], in: directory)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout.contains("1 county(ies) differ in amount_a by more than 0.01 元"))
        #expect(result.stdout.contains("1 county(ies) differ in amount_b by more than 0.01 元"))
    }

    @Test func sweepAndWhatifVaryAComponentShare() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(Self.settlement, to: "settlement.csv", in: directory)
        try CLI.write(Self.policy, to: "policy.json", in: directory)
        // b at 0: a takes all 1000: A1 capped at 110, B2 890. b at 1: ¼ and ¾ of 1000.
        let sweep = try CLI.run(["sweep", "--settlement", "settlement.csv", "--policy", "policy.json",
                                 "--fund-total", "1000", "--vary", "money.components.B.share=0:1:1"], in: directory)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(sweep.stdout == """
        money.components[2].share,code,name,amount,bound
        0,A1,甲县,110.00,none
        0,B2,乙县,890.00,none
        1,A1,甲县,250.00,none
        1,B2,乙县,750.00,none

        """)
        let whatif = try CLI.run(["whatif", "--settlement", "settlement.csv", "--policy", "policy.json",
                                  "--fund-total", "1000", "--variant", "half:money.components.a.share=0.5",
                                  "--variant", "half:money.components.b.share=0.5"], in: directory)
        #expect(whatif.status == 0, "\(whatif.stderr)")
        // a at 500: ideals 225 and 275, A1 capped at 110 → 110 and 390; b at 500 → 125 and 375.
        #expect(whatif.stdout.contains("A1,甲县,210.00,235.00"))
        #expect(whatif.stdout.contains("B2,乙县,790.00,765.00"))
    }
}
