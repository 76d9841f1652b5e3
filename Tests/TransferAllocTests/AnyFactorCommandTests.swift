import Foundation
import Testing

/// Any factor (contract §10.1) and prior years by origin (§10.2) through the command line,
/// with hand-computed amounts.
@Suite struct AnyFactorCommandTests {
    /// settled a = [100·1.2, 300·0.8] = [120, 240] (fiscal_coef only): shares 1/3, 2/3;
    /// permits (no coefficient) [50, 150]: 1/4, 3/4; migrant_pupils a = [12.5·2, 37.5·1] =
    /// [25, 37.5] (remote_coef only, empty = 1): 2/5, 3/5.
    /// s_A = 0.5·1/3 + 0.3·1/4 + 0.2·2/5 = 193/600 → 600000 元 · 193/600 = 193000.00.
    static let settlement = """
        code,name,settled,permit_holders,随迁子女人数,fiscal_coef,remote_coef
        A,甲,100,50,12.5,1.2,2
        B,乙,300,150,37.5,0.8,

        """
    static let policy = """
        {"money": {"weights": {"settled": "0.5", "permits": "0.3", "随迁子女人数": "0.2"},
                   "coefficient_columns": {"settled": ["fiscal_coef"], "permits": [], "migrant_pupils": ["remote_coef"]}},
         "sources": {"money.weights.随迁子女人数": "随迁子女 factor, illustrative"}}
        """

    static func files(_ named: [String: String]) throws -> URL {
        let directory = try CLI.temporaryDirectory()
        for (name, text) in named {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return directory
    }

    static let base = ["--settlement", "s.csv", "--policy", "p.json", "--fund-total", "600000"]

    @Test func handComputed() throws {
        let directory = try Self.files(["s.csv": Self.settlement, "p.json": Self.policy])
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = try CLI.run(["allocate"] + Self.base, in: directory)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout == """
            scenario,code,name,settlers,settled_factor,permits_factor,migrant_pupils_factor,coefficient,share,amount,amount_per_settler,bound
            baseline,A,甲,100,100,50,12.5,1,0.3216666667,193000.00,1930.00,none
            baseline,B,乙,300,300,150,37.5,1,0.6783333333,407000.00,1356.67,none

            """)
        let json = try CLI.run(["allocate", "--format", "json"] + Self.base, in: directory)
        #expect(json.stdout.contains(#""migrant_pupils_factor": "12.5""#))
        #expect(json.stdout.contains(#""money.weights.随迁子女人数": "0.2""#))
        let zh = try CLI.run(["allocate", "--lang", "zh", "--format", "markdown"] + Self.base, in: directory)
        #expect(zh.stdout.contains("| 落户因素值 | 持证因素值 | 随迁子女因素值 | 系数 |"), "\(zh.stdout)")
        let html = try CLI.run(["allocate", "--format", "html"] + Self.base, in: directory)
        #expect(html.status == 0 && html.stdout.contains("migrant_pupils_factor"))
    }

    @Test func explainShowsTheFactorAndItsSource() throws {
        let directory = try Self.files(["s.csv": Self.settlement, "p.json": Self.policy])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLI.run(["explain", "--code", "A"] + Self.base, in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Factor migrant_pupils"))
        #expect(result.stdout.contains("Adjusted value a = v × coefficient product: 25"))
        #expect(result.stdout.contains("Coefficient product, migrant_pupils: 2"))
        #expect(result.stdout.contains("随迁子女 factor, illustrative"))
    }

    @Test func whatifSweepAndValidateTakeTheFactor() throws {
        let directory = try Self.files(["s.csv": Self.settlement, "p.json": Self.policy])
        defer { try? FileManager.default.removeItem(at: directory) }
        // Weight 0.2 → 0.6: settled 0.25, permits 0.15 (rescaled 5:3):
        // s_A = 0.25/3 + 0.15/4 + 0.6·2/5 = (50 + 22.5 + 144)/600 = 433/1200 → 216500.00.
        let sweep = try CLI.run(["sweep", "--vary", "money.weights.migrant_pupils=0.2:0.6:0.4"] + Self.base, in: directory)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(sweep.stdout.contains("193000.00") && sweep.stdout.contains("0.6,A,甲,216500.00,none"), "\(sweep.stdout)")
        let whatif = try CLI.run(["whatif", "--variant", "v:money.weights.随迁子女人数=0", "--variant", "v:money.weights.settled=0.7"]
                                 + Self.base, in: directory)
        #expect(whatif.status == 0, "\(whatif.stderr)")
        // A factor the table has no column for: weight 0 computes, the first value above 0 stops.
        let missing = try CLI.run(["sweep", "--vary", "money.weights.teachers=0:0.5:0.5"] + Self.base, in: directory)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("s.csv, line 1, column teachers: is missing, but the policy weighs the factor teachers 0.5 (at --vary money.weights.teachers=0.5)"), "\(missing.stderr)")
        let validate = try CLI.run(["validate"] + Self.base, in: directory)
        #expect(validate.status == 0, "\(validate.stderr)")
    }

    /// A weight-0 factor's column is not read: absent, or holding text, it changes nothing.
    @Test func weightZeroFactorIsNotRead() throws {
        let garbage = "code,settled,permit_holders,migrant_pupils\nA,1,1,abc\nB,3,1,-2\n"
        let absent = "code,settled,permit_holders\nA,1,1\nB,3,1\n"
        let directory = try Self.files(["g.csv": garbage, "a.csv": absent])
        defer { try? FileManager.default.removeItem(at: directory) }
        let set = ["--fund-total", "400", "--set", "money.weights.migrant_pupils=0"]
        let fromGarbage = try CLI.run(["allocate", "--settlement", "g.csv"] + set, in: directory)
        let fromAbsent = try CLI.run(["allocate", "--settlement", "a.csv"] + set, in: directory)
        #expect(fromGarbage.status == 0 && fromAbsent.status == 0, "\(fromGarbage.stderr)\(fromAbsent.stderr)")
        // 0.8·1/4 + 0.2·1/2 = 0.3 → 120.00; the column stays an unknown (ignored) column.
        #expect(fromGarbage.stdout == fromAbsent.stdout)
        #expect(fromAbsent.stdout.contains("baseline,A,,1,1,1,1,0.3000000000,120.00,120.00,none"), "\(fromAbsent.stdout)")
        #expect(!fromGarbage.stdout.contains("migrant_pupils_factor"))
        #expect(fromGarbage.stderr.contains("ignoring unknown column(s): migrant_pupils"))
        // Weighed, the same column is read and refused.
        let weighed = try CLI.run(["allocate", "--settlement", "g.csv", "--fund-total", "400",
                                   "--set", "money.weights.settled=0.6", "--set", "money.weights.migrant_pupils=0.2"], in: directory)
        #expect(weighed.status == 1)
        #expect(weighed.stderr == "transfercalc: error: g.csv, line 2, column 4 (migrant_pupils): value \"abc\" is not a number; "
            + "expected a factor value: a number ≥ 0 such as 1234.5 or 1,234.5, at most 1,000,000,000,000 with at most 12 decimals\n")
        #expect(weighed.stdout.isEmpty)
    }

    /// A: 172.4, B: 105.6 (see `FactorValuesTests.priorByOrigin`); settled weight 1 over
    /// 278000 元 gives each its settled value in thousands.
    @Test func priorYearsByOrigin() throws {
        let good = """
            code,cross_province,within_city,prior_1_cross_province,prior_1_within_city,prior_1,prior_2
            A,100,0,10,20,30,50
            B,0,100,0,40,40,0

            """
        let bad = good.replacingOccurrences(of: "B,0,100,0,40,40,0", with: "B,0,100,0,40,41,0")
        let directory = try Self.files(["good.csv": good, "bad.csv": bad])
        defer { try? FileManager.default.removeItem(at: directory) }
        let set = ["--fund-total", "278000", "--set", "money.weights.settled=1", "--set", "money.weights.permits=0"]
        let result = try CLI.run(["allocate", "--settlement", "good.csv"] + set, in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("baseline,A,,100,172.4,1,0.6201438849,172400.00,1724.00,none"), "\(result.stdout)")
        #expect(result.stdout.contains("baseline,B,,100,105.6,1,0.3798561151,105600.00,1056.00,none"), "\(result.stdout)")
        let explain = try CLI.run(["explain", "--settlement", "good.csv", "--code", "A"] + set, in: directory)
        #expect(explain.stdout.contains("prior_1_cross_province"))
        #expect(explain.stdout.contains("money.prior_decay[1] × money.origin_coefficients.cross_province"))
        let refused = try CLI.run(["allocate", "--settlement", "bad.csv"] + set, in: directory)
        #expect(refused.status == 1)
        #expect(refused.stderr == "transfercalc: error: bad.csv, line 3, column 6 (prior_1): value \"41\" differs from the sum "
            + "of that year's origin columns (prior_1_cross_province + prior_1_within_city = 40); expected prior_1 equal to "
            + "that sum (or leave the prior_1 column out)\n")
        let validate = try CLI.run(["validate", "--settlement", "bad.csv"] + set, in: directory)
        #expect(validate.status == 1 && validate.stderr.contains("line 3, column 6 (prior_1)"))
    }

    @Test func policyErrorsNameThePath() throws {
        let directory = try Self.files(["s.csv": Self.settlement, "p.json": """
            {"money": {"weights": {"settled": "0.8", "permits": "0.2", "land_exempt": "0"}}}
            """])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLI.run(["allocate", "--settlement", "s.csv", "--policy", "p.json", "--fund-total", "1"], in: directory)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("transfercalc: error: p.json, line 1, column 60 (money.weights.land_exempt): value \"land_exempt\" names the column land_exempt of the settlement table, which is not a factor"), "\(result.stderr)")
    }

    /// audit of the tool's own output infers every factor's weight back (to rounding).
    @Test func auditInfersEveryFactorsWeight() throws {
        var text = "code,settled,permit_holders,migrant_pupils,fiscal_coef\n"
        for i in 0..<30 {
            text += "\(110100 + i),\((i * 37) % 200 + 10),\((i * 53) % 300 + 5),\((i * 11) % 40).\(i % 10),1.\(i % 7)\n"
        }
        let directory = try Self.files(["s.csv": text])
        defer { try? FileManager.default.removeItem(at: directory) }
        let set = ["--settlement", "s.csv", "--fund-total", "100000000",
                   "--set", #"money.weights={"settled": "0.6", "permits": "0.1", "migrant_pupils": "0.3"}"#]
        let published = try CLI.run(["allocate", "--output", "pub.csv"] + set, in: directory)
        #expect(published.status == 0, "\(published.stderr)")
        let audit = try CLI.run(["audit", "--published", "pub.csv"] + set, in: directory)
        #expect(audit.status == 0, "\(audit.stderr)")
        for (factor, expected) in [("settled", "0.6"), ("permits", "0.1"), ("migrant_pupils", "0.3")] {
            let line = try #require(audit.stdout.split(separator: "\n").first { $0.contains("w_\(factor) inferred: ") })
            let value = try #require(Decimal(string: String(line.split(separator: " ").last!)))
            let difference = value - Decimal(string: expected)!
            #expect(abs(difference) < Decimal(string: "0.000001")!, "\(line)")
        }
    }
}
