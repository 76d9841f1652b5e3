import Foundation
import Testing

/// data/settlement-v2.csv with data/policy-components.json, as data/README.md runs it: the version-2
/// columns together, checked against values worked by hand there.
@Suite struct SampleDataV2Tests {
    @Test func componentsCustomFactorPriorByOriginAndAdvances() throws {
        let result = try CLI.run(["allocate", "--settlement", "data/settlement-v2.csv", "--budget", "data/budget.csv",
                                  "--policy", "data/policy-components.json", "--scenario", "baseline"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = WhatifCommandTests.records(result.stdout)
        #expect(rows.count == 33)
        let huqiu = try #require(rows.first { $0["code"] == "320505" })
        // 3285·1.2 + 2053 + 1505·0.8 + 0.8·(3004·1.2 + 1877 + 1377·0.8) + 5866·0.6 + 5661·0.4 + 5376·0.2
        #expect(huqiu["settled_factor_落户人口"] == "19324.92")
        #expect(huqiu["migrant_pupils_factor_随迁子女"] == "1603")
        // A = 475,000,000.00 元: 0.7 and 0.3 of it are whole fen, so the parts are exact.
        let fen = { (key: String) in rows.reduce(0) { $0 + Int(WhatifCommandTests.fen($1[key]!)) } }
        #expect(fen("amount") == 47_500_000_000)
        #expect(fen("amount_落户人口") == 33_250_000_000)
        #expect(fen("amount_随迁子女") == 14_250_000_000)
        for row in rows {
            let amount = Int(WhatifCommandTests.fen(row["amount"]!))
            #expect(amount == Int(WhatifCommandTests.fen(row["amount_落户人口"]!)) + Int(WhatifCommandTests.fen(row["amount_随迁子女"]!)))
            let advance = row["advance"]!.isEmpty ? 0 : Int(WhatifCommandTests.fen(row["advance"]!))
            #expect(Int(WhatifCommandTests.fen(row["release"]!)) == amount - advance, "\(row["code"]!)")
        }
    }

    /// A component's derivation cites the values it sets at its own path (随迁子女's weight is
    /// `money.components[2].weights.migrant_pupils`) and the rest at the money level's.
    @Test func explainCitesEachComponentsOwnValues() throws {
        let result = try CLI.run(["explain", "--settlement", "data/settlement-v2.csv", "--budget", "data/budget.csv",
                                  "--policy", "data/policy-components.json", "--scenario", "baseline", "--code", "320505"])
        #expect(result.status == 0, "\(result.stderr)")
        let pupils = try #require(result.stdout.components(separatedBy: "Component 随迁子女: Factor migrant_pupils").last)
        #expect(pupils.contains("  Weight w: 1\n      money.components[2].weights.migrant_pupils\n"))
        let settlers = try #require(result.stdout.components(separatedBy: "Component 随迁子女: ").first)
        #expect(settlers.contains("money.origin_coefficients.cross_province"))
        #expect(!result.stdout.contains("      money.weights.migrant_pupils\n"))
    }
}
