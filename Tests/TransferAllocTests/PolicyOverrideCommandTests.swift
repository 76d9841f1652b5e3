import Foundation
import Testing

/// `--set KEY=VALUE` behaves the same in every computing command: same validation as the policy
/// file, an unknown key is an error listing the valid ones, a malformed one is a usage error.
@Suite struct PolicyOverrideCommandTests {
    static let sample = ["--settlement", "data/settlement.csv", "--budget", "data/budget.csv"]
    /// Each command with the extra flags it needs.
    static let commands: [[String]] = [["allocate"], ["whatif"], ["sweep", "--vary", "fund_total=400000000:500000000:100000000"]]

    @Test(arguments: commands)
    func unknownKeyExits1ListingTheValidOnes(command: [String]) throws {
        let result = try CLI.run(command + PolicyOverrideCommandTests.sample + ["--set", "money.bounds.floor=1"])
        #expect(result.status == 1, "\(command): \(result.stderr)")
        #expect(result.stderr.contains("--set, column money.bounds.floor: value \"1\" is not a policy path --set can change"))
        #expect(result.stderr.contains("money.bounds.floor_amount, money.bounds.max_growth, money.bounds.min_retention, money.bounds.cap_per_settler"))
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: commands)
    func valueTheRulesRejectExits1(command: [String]) throws {
        let result = try CLI.run(command + PolicyOverrideCommandTests.sample + ["--set", "land.adjustment=0.2"])
        #expect(result.status == 1, "\(command): \(result.stderr)")
        #expect(result.stderr.contains("--set, column land.adjustment: value \"0.2\" is outside ±0.10"), "\(result.stderr)")
    }

    @Test(arguments: commands)
    func malformedSetExits64(command: [String]) throws {
        let result = try CLI.run(command + PolicyOverrideCommandTests.sample + ["--set", "money.weights.settled"])
        #expect(result.status == 64, "\(command): \(result.stderr)")
        #expect(result.stderr.contains("--set money.weights.settled is not KEY=VALUE"))
    }

    /// `--set` gives the same numbers as a policy file with the same values, in every command.
    @Test(arguments: commands)
    func setEqualsAPolicyFile(command: [String]) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let policy = try CLI.write("""
        {"name": "w70", "money": {"weights": {"settled": "0.7", "permits": "0.3"}, "bounds": {"floor_amount": "3000000"}}}
        """, to: "w70.json", in: directory)
        let viaFile = try CLI.run(command + PolicyOverrideCommandTests.sample + ["--policy", policy])
        let viaSet = try CLI.run(command + PolicyOverrideCommandTests.sample + ["--set", "money.weights.settled=0.7",
                                 "--set", "money.weights.permits=0.3", "--set", "money.bounds.floor_amount=3000000"])
        let plain = try CLI.run(command + PolicyOverrideCommandTests.sample)
        #expect(viaFile.status == 0 && viaSet.status == 0, "\(viaFile.stderr)\(viaSet.stderr)")
        #expect(viaFile.stdout == viaSet.stdout, "\(command)")
        #expect(viaSet.stdout != plain.stdout, "\(command): the override changed nothing")
    }
}
