import Foundation
import Testing

/// The weights a published table implies for each stage of a two-level policy
/// (docs/guides/StageWeightFit.md), through `audit` on the small two-level table of
/// `TwoLevelsTests`: groups P1 = {A1, A2}, P2 = {B1, B2, B3}, D1 direct; A = 1000 元, r = 0.1.
@Suite struct StageWeightFitTests {
    /// The counties as the policy allocates them (settled 1 below, half and half above).
    static let counties = "A1,81.00\nA2,189.00\nB1,150.00\nB2,75.00\nB3,75.00\nD1,366.67\n"

    static func audit(_ published: String, policy: String = TwoLevelsTests.policy, _ extra: [String] = []) throws -> CLI.Result {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(TwoLevelsTests.settlement, to: "settlement.csv", in: directory)
        try CLI.write(policy, to: "policy.json", in: directory)
        try CLI.write(published, to: "published.csv", in: directory)
        return try CLI.run(["audit", "--settlement", "settlement.csv", "--policy", "policy.json", "--fund-total", "1000",
                            "--published", "published.csv"] + extra, in: directory)
    }

    /// Upper stage, by hand: shares settled ⅓, ⅓, ⅓ and permits 4/15, 1/3, 2/5 for P1, P2, D1;
    /// d = A·(s − p) = (20000/3, 0, −20000/3) fen, e = y − A·p = (10000/3, −1/3, −3333) fen, so
    /// w* = Σd·e / Σd² = (e₁ − e₃) / (2·d₁) = (19999/3) / (40000/3) = 0.499975 (the printed 333.33
    /// and 366.67 are rounded). Lower stage: A_P1 = 81 + 189 = 270 and A_P2 = 300 are reproduced
    /// exactly by settled alone (A1 = 270 · 30/100 = 81, B1 = 300 · 50/100 = 150): w = 1.
    @Test func eachStageIsFittedOnItsOwnRows() throws {
        let result = try Self.audit("code,amount\nP1,300.00\n" + Self.counties + "P2,333.33\n")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let text = result.stdout
        #expect(text.contains("""
              Upper stage (the groups)
              w_settled inferred: 0.4999750000
                  policy (levels.upper.money.weights): 0.5
              w_permits inferred: 0.5000250000
            """), "\(text)")
        #expect(text.contains("""
              Lower stage (the counties of each prefecture)
              w_settled inferred: 1.0000000000
                  policy (money.weights): 1
              w_permits inferred: 0.0000000000
            """), "\(text)")
        // Upper residuals: fitted = A·(w·s + (1 − w)·p): P1 = 100000·(0.499975/3 + 0.500025·4/15) fen.
        #expect(text.contains("P1    甲市     300.00  300.00      0.00"), "\(text)")
        #expect(text.contains("A1    甲一      81.00   81.00      0.00"), "\(text)")
        // 0 places: the (upper, lower) pairs (0, 1), (1, 1), (0, 0), (1, 0) fail (P1 would get
        // 266.67 or 333.33); 1 place: (0.5, 1).
        #expect(text.contains("Reproduces the table with settled 0.5, permits 0.5 in the upper stage and settled 1, permits 0 in the lower stage"),
                "\(text)")
    }

    /// Without group rows the upper stage reads a group's amount from its counties when all are
    /// published: the G_p (whole fen) whose retention leaves their sum, n = ⌊m / (1 − r)⌋ for
    /// m = the sum in fen (P1: ⌊27000 / 0.9⌋ = 30000, P2: ⌊30000 / 0.9⌋ = 33333, and indeed
    /// 33333 − ⌊3333.3⌋ = 30000); a direct county's own row. The same weights come out.
    @Test func groupAmountsFromTheirCounties() throws {
        let result = try Self.audit("code,amount\n" + Self.counties)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Reproduces the table with settled 0.5, permits 0.5 in the upper stage and settled 1, permits 0 in the lower stage"),
                "\(result.stdout)")
        #expect(result.stdout.contains("P1    甲市 (from its counties)     300.00"), "\(result.stdout)")
        #expect(result.stdout.contains("P2    乙市 (from its counties)     333.33"), "\(result.stdout)")
        #expect(result.stdout.contains("D1    直管                         366.67"), "\(result.stdout)")
    }

    /// A floor on the groups binds (P1 and P2 are lifted to 320 元 from 300 and 333.33): the fit
    /// moves away from the policy's ½ / ½ and the report warns once that the weights are only
    /// indicative, but the policy's own weights, tried at their own number of places, still
    /// reproduce the table.
    @Test func boundsOnTheGroupsWarnAndThePolicyWeightsAreTried() throws {
        let policy = #"{"money": {"weights": {"settled": "1", "permits": "0"}}, "levels": {"retention": "0.1", "upper": {"money": {"weights": {"settled": "0.5", "permits": "0.5"}, "bounds": {"floor_amount": "320"}}}}}"#
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(TwoLevelsTests.settlement, to: "settlement.csv", in: directory)
        try CLI.write(policy, to: "policy.json", in: directory)
        let made = try CLI.run(["allocate", "--settlement", "settlement.csv", "--policy", "policy.json", "--fund-total", "1000"], in: directory)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("baseline,group,P1,甲市,P1,100,"), "\(made.stdout)")
        var text = "code,amount\n"
        for row in WhatifCommandTests.records(made.stdout) where row["level"] != "group" { text += "\(row["code"]!),\(row["amount"]!)\n" }
        let result = try Self.audit(text, policy: policy)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.components(separatedBy: "Bounds bind in the recomputation").count == 2, "\(result.stdout)")
        #expect(result.stdout.contains("(some county or group is at a floor or cap)"), "\(result.stdout)")
        #expect(result.stdout.contains("Reproduces the table with settled 0.5, permits 0.5 in the upper stage and settled 1, permits 0 in the lower stage"),
                "\(result.stdout)")
    }

    /// Groups with the same share of both factors cannot tell the upper weights apart: the report
    /// says so, and the simplest weights start from the policy's (0.2 / 0.8 above), not from the
    /// first weight the fit met.
    @Test func anUndeterminedStageSaysSo() throws {
        let settlement = "code,parent,settled,permit_holders\nA1,P1,30,10\nA2,P1,70,30\nB1,P2,50,20\nB2,P2,50,20\n"
        let policy = #"{"money": {"weights": {"settled": "1", "permits": "0"}}, "levels": {"retention": "0.1", "upper": {"money": {"weights": {"settled": "0.2", "permits": "0.8"}}}}}"#
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(settlement, to: "settlement.csv", in: directory)
        try CLI.write(policy, to: "policy.json", in: directory)
        // Each group: settled 100 of 200, permits 40 of 80 → G = 500; R = 50; A1 = 450·0.3 = 135.
        try CLI.write("code,amount\nA1,135.00\nA2,315.00\nB1,225.00\nB2,225.00\n", to: "published.csv", in: directory)
        let result = try CLI.run(["audit", "--settlement", "settlement.csv", "--policy", "policy.json", "--fund-total", "1000",
                                  "--published", "published.csv"], in: directory)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Determined: no"), "\(result.stdout)")
        #expect(result.stdout.contains("w_settled inferred: 0.2000000000\n      policy (levels.upper.money.weights): 0.2"), "\(result.stdout)")
        #expect(result.stdout.contains("Reproduces the table with settled 0.2, permits 0.8 in the upper stage and settled 1, permits 0 in the lower stage"),
                "\(result.stdout)")
    }

    /// A table made under other weights in both stages is found with them; one weight set for
    /// both stages (no upper weights) reads "in both stages".
    @Test func otherWeightsInBothStages() throws {
        let shared = #"{"money": {"weights": {"settled": "0.6", "permits": "0.4"}}, "levels": {"retention": "0.1"}}"#
        let made = try Self.allocate(policy: shared)
        let result = try Self.audit(made, policy: shared)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Reproduces the table with settled 0.6, permits 0.4 in both stages"), "\(result.stdout)")
        // The same table audited under the policy of the fixture (1 / 0 below, ½ / ½ above)
        // differs, also in its county rows' total A − Σ R_p (R_P1 is 30.66, not 30.00), and
        // names 0.6 / 0.4.
        let other = try Self.audit(made)
        #expect(other.status == 3, "\(other.stdout)\(other.stderr)")
        #expect(other.stdout.contains("Reproduces the table with settled 0.6, permits 0.4 in both stages"), "\(other.stdout)")
    }

    /// The report's JSON keeps each stage's lines and residuals apart.
    @Test func jsonKeysNameTheStage() throws {
        let result = try Self.audit("code,amount\nP1,300.00\n" + Self.counties + "P2,333.33\n", ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let weights = try #require((json["sections"] as? [String: Any])?["weights"] as? [String: Any])
        #expect((weights["upper_w_settled"] as? [String: Any])?["value"] as? String == "0.4999750000")
        #expect((weights["lower_w_settled"] as? [String: Any])?["value"] as? String == "1.0000000000")
        #expect((weights["upper_residuals"] as? [Any])?.count == 3)
        #expect((weights["lower_residuals"] as? [Any])?.count == 5)
    }

    /// A published table with only a direct county gives the upper stage its row and the lower
    /// stage nothing; one with only part of a prefecture and no group row gives the upper stage
    /// nothing (the lower stage then divides the recomputed A_P1 = 270: A1 81 is settled alone).
    @Test func aStageWithNothingToFitSaysSo() throws {
        let direct = try Self.audit("code,amount\nD1,366.67\n")
        #expect(direct.status == 3, "\(direct.stdout)\(direct.stderr)")   // the other counties are missing
        #expect(direct.stdout.contains("no county of a prefecture is in both tables"), "\(direct.stdout)")
        #expect(direct.stdout.contains("D1    直管     366.67"), "\(direct.stdout)")
        let part = try Self.audit("code,amount\nA1,81.00\n")
        #expect(part.stdout.contains("the published table gives no group's amount (no group row, no direct county, no prefecture with every county)"),
                "\(part.stdout)")
        #expect(part.stdout.contains("A1    甲一      81.00   81.00      0.00"), "\(part.stdout)")
    }

    /// A prefecture whose counties all have a factor total of 0 says nothing about the weights.
    @Test func aGroupWithAZeroFactorTotalIsLeftOut() throws {
        let settlement = "code,parent,settled,permit_holders\nA1,P1,30,0\nA2,P1,70,0\nD1,,100,60\n"
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(settlement, to: "settlement.csv", in: directory)
        try CLI.write(TwoLevelsTests.policy, to: "policy.json", in: directory)
        try CLI.write("code,amount\nA1,100.00\nA2,200.00\nD1,700.00\n", to: "published.csv", in: directory)
        let result = try CLI.run(["audit", "--settlement", "settlement.csv", "--policy", "policy.json", "--fund-total", "1000",
                                  "--published", "published.csv"], in: directory)
        #expect(result.stdout.contains("in every prefecture with a county in both tables some factor has a total of 0 among its counties: nothing to infer"),
                "\(result.stdout)")
    }

    /// The scenario's county rows (code, amount) of `allocate` under `policy`.
    static func allocate(policy: String) throws -> String {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(TwoLevelsTests.settlement, to: "settlement.csv", in: directory)
        try CLI.write(policy, to: "policy.json", in: directory)
        let made = try CLI.run(["allocate", "--settlement", "settlement.csv", "--policy", "policy.json", "--fund-total", "1000"],
                               in: directory)
        #expect(made.status == 0, "\(made.stderr)")
        var text = "code,amount\n"
        for row in WhatifCommandTests.records(made.stdout) where row["level"] != "group" {
            text += "\(row["code"]!),\(row["amount"]!)\n"
        }
        return text
    }

    /// Components (contract §10.3), each fitted on its published column. A: settled 60, permits
    /// 10; B: 40, 30; A_x = A_y = 500 元. x under settled 0.8 (shares settled .6/.4, permits
    /// .25/.75): A = 500·(.48 + .05) = 265, B = 235; the fit: d = 500·(s − p) = (175, −175),
    /// e = y − 500·p = (140, −140), w = Σd·e / Σd² = 0.8. y under permits alone: A 125, B 375,
    /// e = 0, w_settled = 0. Simplest: x has no whole weight (1 gives A 300, 0 gives 125), 0.8 with
    /// one place; y is reproduced by 0 at once.
    static let componentTable = "code,name,settled,permit_holders\nA,甲,60,10\nB,乙,40,30\n"
    static let componentPolicy = #"{"money": {"weights": {"settled": "0.8", "permits": "0.2"}, "components": [{"name": "x", "share": "0.5"}, {"name": "y", "share": "0.5", "weights": {"settled": "0", "permits": "1"}}]}}"#

    static func componentAudit(_ published: String) throws -> CLI.Result {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write(Self.componentTable, to: "settlement.csv", in: directory)
        try CLI.write(Self.componentPolicy, to: "policy.json", in: directory)
        try CLI.write(published, to: "published.csv", in: directory)
        return try CLI.run(["audit", "--settlement", "settlement.csv", "--policy", "policy.json", "--fund-total", "1000",
                            "--published", "published.csv"], in: directory)
    }

    @Test func eachComponentIsFittedOnItsColumn() throws {
        let result = try Self.componentAudit("code,amount,amount_x,amount_y\nA,390.00,265.00,125.00\nB,610.00,235.00,375.00\n")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let text = result.stdout
        #expect(text.contains("""
              Component x (column amount_x)
              Reproduces the column with settled 0.8, permits 0.2 (a full recomputation matches every county's amount_x within the tolerance).
              w_settled inferred: 0.8000000000
                  policy (money.components.x.weights): 0.8
            """), "\(text)")
        #expect(text.contains("""
              Component y (column amount_y)
              Reproduces the column with settled 0, permits 1 (a full recomputation matches every county's amount_y within the tolerance).
              w_settled inferred: 0.0000000000
                  policy (money.components.y.weights): 0
            """), "\(text)")
        // Published under other weights for x: 0.65 (A = 500·(.39 + .0875) = 238.75, B = 261.25).
        let other = try Self.componentAudit("code,amount,amount_x,amount_y\nA,363.75,238.75,125.00\nB,636.25,261.25,375.00\n")
        #expect(other.status == 3, "\(other.stdout)\(other.stderr)")
        #expect(other.stdout.contains("Reproduces the column with settled 0.65, permits 0.35"), "\(other.stdout)")
        #expect(other.stdout.contains("w_settled inferred: 0.6500000000"), "\(other.stdout)")
    }

    /// Without any component column the county totals cannot tell the components apart.
    @Test func componentsWithoutTheirColumnsSaySo() throws {
        let result = try Self.componentAudit("code,amount\nA,390.00\nB,610.00\n")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("the published table has none of their amount_<name> columns"), "\(result.stdout)")
    }
}
