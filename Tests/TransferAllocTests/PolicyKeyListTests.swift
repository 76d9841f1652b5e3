import Foundation
import Testing

/// The messages that list the keys a policy accepts list every one of them, and every key they
/// list is accepted: `versions` at the top of a policy file, `components` in `money`,
/// `money.components` among the paths `--set` can change.
@Suite struct PolicyKeyListTests {
    static let settlement = ["allocate", "--settlement", "data/settlement.csv", "--fund-total", "1000"]

    func run(policy: String? = nil, set: [String] = []) throws -> CLI.Result {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var arguments = Self.settlement
        if let policy { arguments += ["--policy", try CLI.write(policy, to: "p.json", in: directory)] }
        for item in set { arguments += ["--set", item] }
        return try CLI.run(arguments)
    }

    @Test func topLevelKeysIncludeVersions() throws {
        let unknown = try run(policy: #"{"name": "q", "budget": 5}"#)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasSuffix("value \"budget\" is not a policy key; expected one of the keys name, money, land, levels, sources, versions\n"))
        // Each listed key is a key a policy file may have.
        for policy in [#"{"name": "q"}"#, #"{"money": {"granularity": "0.01"}}"#, #"{"land": {"decimals": 2}}"#,
                       #"{"levels": {"retention": "0.1"}}"#, #"{"sources": {"name": "x"}}"#, #"{"versions": [{"from": 2022, "money": {"granularity": "1"}}]}"#] {
            let result = try run(policy: policy)
            #expect(result.status == 0, "\(policy): \(result.stderr)")
        }
    }

    @Test func moneyKeysIncludeComponents() throws {
        let unknown = try run(policy: #"{"money": {"rounding": "up"}}"#)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasSuffix("is not a key of money; expected one of the keys granularity, weights, origin_coefficients, prior_decay, coefficient_columns, bounds, components\n"))
        let components = try run(policy: #"{"money": {"components": [{"name": "a", "share": "1"}]}}"#)
        #expect(components.status == 0, "\(components.stderr)")
        #expect(components.stdout.hasPrefix("scenario,code,name,settlers,settled_factor_a,"))
    }

    @Test func setPathsIncludeMoneyComponents() throws {
        let unknown = try run(set: ["nope=1"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains(", money.bounds.cap_per_settler, money.components, land, "))
        #expect(unknown.stderr.contains("; a component's value as money.components.<name>.share; a source note as sources.<path>\n"))
        let set = try run(set: [#"money.components=[{"name": "a", "share": "0.5"}, {"name": "b", "share": "0.5"}]"#,
                                "money.components.b.share=0.5"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains(",amount_a,"))
        let note = try run(policy: #"{"money": {"components": [{"name": "a", "share": "1"}]}, "sources": {"money.components": "why"}}"#)
        #expect(note.status == 0, "\(note.stderr)")
    }
}
