import Foundation
import Testing

/// The simplest decimal weights that reproduce a published table (docs/guides/SimplestWeights.md),
/// through `audit` on the worked example's `below_demand` scenario.
@Suite struct SimplestWeightsTests {
    @Test func aTableMadeWithOtherWeightsNamesThem() throws {
        // The scenario under 0.6 / 0.4, printed in 万元 with two decimals (rounded half up here).
        let made = try CLI.run(["allocate"] + PrintedTableAuditTests.worked + ["--set", "money.weights.settled=0.6", "--set", "money.weights.permits=0.4"])
        var text = "名称,分配金额(万元)\n"
        for row in WhatifCommandTests.records(made.stdout) {
            let fen = Int(WhatifCommandTests.fen(row["amount"]!))
            let hundredths = (fen + 5_000) / 10_000
            text += "\(row["name"]!),\(hundredths / 100).\(String(format: "%02d", hundredths % 100))\n"
        }
        let result = try PrintedTableAuditTests.audit(text)
        #expect(result.status == 3)
        #expect(result.stdout.contains("Reproduces the table with settled 0.6, permits 0.4"), "\(result.stdout)")
    }

    @Test func fewestPlacesWin() throws {
        // 0.65 / 0.35: two places; 0.7 or 0.6 (one place) do not reproduce it within 50 元.
        let made = try CLI.run(["allocate"] + PrintedTableAuditTests.worked
                               + ["--set", "money.weights.settled=0.65", "--set", "money.weights.permits=0.35"])
        var text = "code,amount\n"
        for row in WhatifCommandTests.records(made.stdout) { text += "\(row["code"]!),\(row["amount"]!)\n" }
        let result = try PrintedTableAuditTests.audit(text, ["--tolerance", "50"])
        #expect(result.stdout.contains("Reproduces the table with settled 0.65, permits 0.35"), "\(result.stdout)")
    }
}
