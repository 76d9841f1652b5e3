import Foundation
import Testing

extension CLI {
    /// Runs `allocate` on `settlement` and `policy` (written as settlement.csv and policy.json)
    /// with a fund of 1000 元 and `--output`, and checks the refusal: exit 1, each of `expected`
    /// in the message, and no output file.
    static func expectAllocateRefuses(settlement: String, policy: String, extra: [String] = [], expected: [String],
                                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write(settlement, to: "settlement.csv", in: directory)
        try write(policy, to: "policy.json", in: directory)
        let output = directory.appendingPathComponent("out.csv").path
        let result = try run(["allocate", "--settlement", "settlement.csv", "--policy", "policy.json",
                              "--fund-total", "1000", "--output", output] + extra, in: directory)
        #expect(result.status == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        for fragment in expected {
            #expect(result.stderr.contains(fragment), "missing \(fragment) in: \(result.stderr)", sourceLocation: sourceLocation)
        }
        #expect(!FileManager.default.fileExists(atPath: output), "nothing may be written on failure", sourceLocation: sourceLocation)
    }
}
