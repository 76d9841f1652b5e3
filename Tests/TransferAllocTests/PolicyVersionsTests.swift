import Foundation
import Testing
@testable import TransferAlloc

/// Dated policy versions (contract §10.6, docs/guides/PolicyVersions.md): which layers `year`
/// picks, how they lay over each other, which source note survives, and what outputs say.
@Suite struct PolicyVersionsTests {
    /// Two versions and a top-level note; the 2022 version changes the weights without a note of
    /// its own, and its decay with one.
    static let file = """
    {"name": "奖励资金",
     "sources": {"money.granularity": "top-level note"},
     "versions": [
      {"from": 2022, "label": "财预〔2022〕60号", "money": {"weights": {"settled": "0.8", "permits": "0.2"}, "prior_decay": ["0.5"]},
       "sources": {"money.prior_decay": "2022 decay note"}},
      {"from": 2016, "label": "财预〔2016〕162号", "money": {"weights": {"settled": "0.6", "permits": "0.4"}, "prior_decay": []},
       "sources": {"money.weights": "2016 weights note", "money.prior_decay": "2016 decay note"}}
     ]}
    """

    static func load(_ year: Int?, _ text: String = file) throws -> Policy {
        try PolicyLoader.load(fileBytes: Array(text.utf8), file: "p.json", overrides: PolicyOverrides(name: "--set", settings: []),
                              year: year)
    }

    static func value(_ policy: Policy, _ path: String) -> PolicyValue? { policy.values.first { $0.path == path } }

    @Test func aYearPicksTheVersionsInForceInAscendingFrom() throws {
        let before = try Self.load(2019)
        #expect(before.versions == ["财预〔2016〕162号"] && before.year == 2019)
        #expect(before.money.weights[.settled] == Rational(3, 5) && before.money.priorDecay.isEmpty)
        #expect(before.label == "奖励资金 (versions 财预〔2016〕162号) (year 2019)")
        // From 2022 on, and without a year, both apply: 2016 first (listed second in the file).
        for year in [2022, 2030, nil] as [Int?] {
            let after = try Self.load(year)
            #expect(after.versions == ["财预〔2016〕162号", "财预〔2022〕60号"])
            #expect(after.money.weights[.settled] == Rational(4, 5) && after.money.priorDecay == [Rational(1, 2)])
        }
    }

    @Test func aNoteBelongsToTheLayerThatSetTheValue() throws {
        let before = try Self.load(2019)
        #expect(Self.value(before, "money.weights.settled")?.source == "2016 weights note")
        #expect(Self.value(before, "money.weights.settled")?.version == "财预〔2016〕162号")
        #expect(Self.value(before, "money.granularity")?.source == "top-level note")
        #expect(Self.value(before, "money.granularity")?.version == nil)
        let after = try Self.load(2023)
        // 2022 changed the weights without a note: the 2016 note no longer describes them.
        #expect(Self.value(after, "money.weights.settled")?.source == nil)
        #expect(Self.value(after, "money.weights.settled")?.version == "财预〔2022〕60号")
        #expect(Self.value(after, "money.prior_decay[1]")?.source == "2022 decay note")
        #expect(Self.value(after, "money.granularity")?.source == "top-level note")
    }

    @Test func versionsNotAppliedAreCheckedForStructureOnly() throws {
        // The 2030 version's weights would be an error if it applied.
        let text = """
        {"versions": [{"from": 2016}, {"from": 2030, "label": "later", "money": {"weights": {"settled": "abc"}}}]}
        """
        #expect(try Self.load(2020, text).versions == ["2016"])
        #expect(throws: InputError.self) { try Self.load(2031, text) }
        // An empty list means no versions: the file is an ordinary policy file.
        let plain = try Self.load(nil, #"{"versions": [], "money": {"granularity": "1"}}"#)
        #expect(plain.versions.isEmpty && plain.money.granularity == Rational(1))
    }

    @Test func aFileWithoutVersionsOnlyReportsTheYear() throws {
        let policy = try Self.load(2024, #"{"name": "plain"}"#)
        #expect(policy.versions.isEmpty && policy.year == 2024 && policy.label == "plain (year 2024)")
    }

    @Test func allocateNamesTheVersionsAndExplainCitesThem() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try CLI.write(Self.file, to: "p.json", in: dir)
        let inputs = ["--settlement", "data/settlement.csv", "--budget", "data/budget.csv", "--scenario", "baseline", "--policy", path]
        let json = try CLI.run(["allocate", "--format", "json", "--year", "2019"] + inputs)
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout.contains("\"versions\": [\n      \"财预〔2016〕162号\"\n    ],\n    \"year\": \"2019\""))
        // 2019: no decay, so 虎丘区's settled factor is its current-year settlers (origin coefficients 1.2 / 1 / 0.8
        // of the default): 3285 · 1.2 + 2053 + 1505 · 0.8 = 7199.
        let csv = try CLI.run(["allocate", "--year", "2019"] + inputs)
        #expect(csv.stdout.contains("baseline,320505,虎丘区,6843,7199,"), "\(csv.stdout.prefix(400))")
        let explain = try CLI.run(["explain", "--code", "320505", "--year", "2023"] + inputs)
        #expect(explain.stdout.contains("  money.prior_decay[1]\n      value: 0.5\n      version: 财预〔2022〕60号\n      source: 2022 decay note\n"),
                "\(explain.stdout)")
        #expect(explain.stdout.contains("  money.weights.settled\n      value: 0.8\n      version: 财预〔2022〕60号\n      source: (no source)\n"))
        // Every computing command takes --year.
        for command in [["validate"], ["whatif"], ["sweep", "--vary", "fund_total=1:2:1"], ["audit", "--published", "data/published-wan.csv"]] {
            let files = inputs.filter { $0 != "--scenario" && $0 != "baseline" }
            let result = try CLI.run(command + ["--year", "2015"] + files)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("is a year before the policy's first version (from 2016)"), "\(command): \(result.stderr)")
        }
    }
}
