import Foundation
import Testing

/// data/settlement-levels.csv with data/policy-levels.json, as data/README.md runs it. The group
/// amounts were computed independently of the tool, with exact fractions, from the contract's
/// formulas (upper stage over the four prefectures and the two direct counties, weights 0.7 / 0.3,
/// each group capped at 1.2 × its summed prev_amount; 10 % retained, rounded down to the fen).
@Suite struct SampleDataLevelsTests {
    static let arguments = ["--settlement", "data/settlement-levels.csv", "--budget", "data/budget.csv",
                            "--policy", "data/policy-levels.json", "--scenario", "baseline"]

    @Test func groupsAndRetentionsOfTheBaseline() throws {
        let result = try CLI.run(["allocate"] + Self.arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = WhatifCommandTests.records(result.stdout)
        let groups = rows.filter { $0["level"] != "county" }
        #expect(groups.map { [$0["level"]!, $0["code"]!, $0["amount"]!, $0["retained"]!] } == [
            ["group", "320500", "211904573.24", "21190457.32"],
            ["direct", "320583", "51592734.04", ""],
            ["group", "330400", "116224008.70", "11622400.87"],
            ["group", "370900", "39408767.78", "3940876.77"],
            ["direct", "370982", "8055729.12", ""],
            ["group", "431000", "47814187.12", "4781418.71"],
        ])
        // B = 500,000,000.00 元, reserve 5 %: A = 475,000,000.00 = Σ counties + Σ retained.
        let counties = rows.filter { $0["level"] != "group" }.reduce(0) { $0 + WhatifCommandTests.fen($1["amount"]!) }
        let retained = groups.reduce(0) { $0 + WhatifCommandTests.fen($1["retained"]!.isEmpty ? "0" : $1["retained"]!) }
        #expect(counties + retained == 47_500_000_000)
        #expect(rows.first { $0["code"] == "320505" }?["amount"] == "17150085.25")
    }

    /// data/published-levels.csv, the baseline as published (prefecture rows, direct counties, a
    /// 合计 row), audits consistent, and each stage's simplest weights are the policy's: 0.7 / 0.3
    /// above, 0.8 / 0.2 below.
    @Test func thePublishedTwoLevelTableAuditsConsistent() throws {
        let result = try CLI.run(["audit", "--settlement", "data/settlement-levels.csv", "--budget", "data/budget.csv",
                                  "--policy", "data/policy-levels.json", "--published", "data/published-levels.csv"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Counties recomputed / published / in both: 33 / 33 / 33"), "\(result.stdout)")
        #expect(result.stdout.contains("No group's amount differs by more than the tolerance (4 group row(s) compared)."))
        #expect(result.stdout.contains("Reproduces the table with settled 0.7, permits 0.3 in the upper stage and settled 0.8, permits 0.2 in the lower stage"),
                "\(result.stdout)")
    }

    /// A county's split within its group starts from A_p in 元, with no reserve of its own: not
    /// from the budget row's 万元 and reserve ratio, which belong to the upper stage.
    @Test func explainOfACountyStartsItsGroupsStageFromAp() throws {
        let result = try CLI.run(["explain"] + Self.arguments + ["--code", "320505"])
        #expect(result.status == 0, "\(result.stderr)")
        let within = try #require(result.stdout.components(separatedBy: "Within group 320500 苏州市: Money, scenario baseline").last)
        let money = String(within.prefix(400))
        #expect(money.contains("Fund total B (元): 190714115.92\n  Reserve R (元): 0.00\n      no reserve"))
        #expect(!money.contains("as written"))
        #expect(!money.contains("0.05"))
    }

    /// explain lists the cells that place a county in its group: parent, parent_name, direct.
    @Test func explainShowsWhatMakesACountyDirect() throws {
        let result = try CLI.run(["explain"] + Self.arguments + ["--code", "320583"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.contains("3 (parent) 320500"))
        #expect(lines.contains("4 (parent_name) 苏州市"))
        #expect(lines.contains("5 (direct) 1"))
    }
}
