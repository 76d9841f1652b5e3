import Foundation
import Testing

/// Two levels (docs/formulas.md, "Two levels") on a table worked by hand: two prefectures, a county
/// marked direct inside one of them, a county with no parent, an upper stage with its own weights,
/// and a growth cap that binds in both stages. Every expected amount below was computed by hand with
/// exact fractions, independently of the tool.
@Suite struct TwoLevelsWorkedTests {
    static let settlement = """
        code,name,parent,parent_name,direct,cross_province,within_province,within_city,prior_1,permit_holders,fiscal_coef,prev_amount
        110101,甲一县,110100,甲市,,120,80,50,200,1000,0.9,300000
        110102,甲二县,110100,甲市,,40,30,20,90,700,1.1,
        110103,甲三县,110100,甲市,否,10,5,7,11,150,1.3,50000
        120101,乙一县,120100,乙市,,300,100,90,410,2600,0.8,900000
        120102,乙二县,120100,乙市,,60,61,62,150,900,1.05,200000
        120190,乙直管,120100,乙市,是,25,35,45,60,400,1.2,120000
        130001,丙独立市,,,,70,20,10,60,500,1.0,

        """
    static let policy = """
        {"money": {"granularity": "1", "weights": {"settled": "0.7", "permits": "0.3"},
          "origin_coefficients": {"cross_province": "1.5", "within_province": "1.0", "within_city": "0.5", "settled": "1"},
          "prior_decay": ["0.5"], "coefficient_columns": ["fiscal_coef"],
          "bounds": {"floor_amount": "20000", "max_growth": "0.2"}},
         "levels": {"retention": "0.15", "upper": {"money": {"weights": {"settled": "0.5", "permits": "0.5"}}}}}
        """

    static func run(_ format: String) throws -> CLI.Result {
        let dir = try CLI.temporaryDirectory()
        let settlement = try CLI.write(settlement, to: "settlement.csv", in: dir)
        let policy = try CLI.write(policy, to: "policy.json", in: dir)
        let budget = try CLI.write("scenario,fund_total\nbase,2000000.37\n", to: "budget.csv", in: dir)
        return try CLI.run(["allocate", "--settlement", settlement, "--budget", budget, "--policy", policy,
                            "--format", format])
    }

    // Upper stage, factor values with each county's own coefficient (weights 0.5 / 0.5):
    //   甲一县 settled (1.5·120 + 80 + 0.5·50 + 0.5·200)·0.9 = 346.5, permits 900
    //   甲市 = 346.5 + 159.5 + 37.7 = 543.7 and 900 + 770 + 195 = 1865
    //   乙市 (乙直管 is direct, not in it) = 640 + 269.85 = 909.85 and 2080 + 945 = 3025
    //   乙直管 150 and 480; 丙独立市 (no parent) 160 and 500; totals 1763.55 and 5870.
    // A = 2,000,000 元 (granularity 1 元: the 0.37 goes to the reserve).
    // Ideal 甲市 = A·(0.5·543.7/1763.55 + 0.5·1865/5870) = 626,015.8… > its cap 1.2·(300,000 + 50,000)
    //   = 420,000; 乙直管 ideal 166,827.4… > 1.2·120,000 = 144,000. The other 1,436,000 go to 乙市 and
    //   丙独立市 in proportion to their shares: 1,226,748.3… and 209,251.6…; largest remainder gives
    //   the one unit left to 丙独立市 (.6 > .3): 1,226,748 and 209,252.
    // Lower stage: 甲市 keeps ⌊420,000·0.15⌋ = 63,000 and splits 357,000 under weights 0.7 / 0.3;
    //   乙市 keeps ⌊1,226,748·0.15⌋ = 184,012 and splits 1,042,736, where 乙二县 is capped at
    //   1.2·200,000 = 240,000.
    static let expected: [(level: String, code: String, amount: String, retained: String, bound: String)] = [
        ("group", "110100", "420000.00", "63000.00", "cap"),
        ("county", "110101", "210945.00", "", "none"),
        ("county", "110102", "117529.00", "", "none"),
        ("county", "110103", "28526.00", "", "none"),
        ("group", "120100", "1226748.00", "184012.00", "none"),
        ("county", "120101", "802736.00", "", "none"),
        ("county", "120102", "240000.00", "", "cap"),
        ("direct", "120190", "144000.00", "", "cap"),
        ("direct", "130001", "209252.00", "", "none"),
    ]

    @Test func csvRowsAreTheHandWorkedTree() throws {
        let result = try Self.run("csv")
        #expect(result.status == 0, "\(result.stderr)")
        let rows = WhatifCommandTests.records(result.stdout)
        #expect(rows.map { [$0["level"]!, $0["code"]!, $0["amount"]!, $0["retained"]!, $0["bound"]!] }
                == Self.expected.map { [$0.level, $0.code, $0.amount, $0.retained, $0.bound] })
        // Every fen of A is either a county's or retained: 2,000,000.00 元.
        let counties = rows.filter { $0["level"] != "group" }.reduce(0) { $0 + WhatifCommandTests.fen($1["amount"]!) }
        let retained = rows.filter { $0["level"] == "group" }.reduce(0) { $0 + WhatifCommandTests.fen($1["retained"]!) }
        #expect(counties + retained == 200_000_000)
        #expect(rows.filter { $0["level"] == "county" }.map { $0["group"]! } == ["110100", "110100", "110100", "120100", "120100"])
    }

    @Test func jsonListsEveryGroupWithWhatItKeptAndPassedOn() throws {
        let result = try Self.run("json")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let scenario = try #require((json["scenarios"] as? [[String: Any]])?.first)
        #expect(scenario["allocated"] as? String == "2000000.00")
        #expect(scenario["reserve"] as? String == "0.37")
        let groups = try #require(scenario["groups"] as? [[String: Any]])
        #expect(groups.map { $0["code"] as? String } == ["110100", "120100", "120190", "130001"])
        #expect(groups.map { $0["name"] as? String } == ["甲市", "乙市", "乙直管", "丙独立市"])
        #expect(groups.map { $0["amount"] as? String } == ["420000.00", "1226748.00", "144000.00", "209252.00"])
        #expect(groups.map { $0["retained"] as? String } == ["63000.00", "184012.00", "0.00", "0.00"])
        #expect(groups.map { $0["allocated"] as? String } == ["357000.00", "1042736.00", "144000.00", "209252.00"])
        #expect(groups.map { $0["bound"] as? String } == ["cap", "none", "cap", "none"])
    }
}
