import BigInt
import Foundation
import Testing
@testable import TransferAlloc

@Suite struct SweepRangeTests {
    @Test func valuesAreExactDecimals() throws {
        let range = try SweepRange(parsing: "money.weights.settled=0.5:0.9:0.05", name: "--vary")
        #expect(range.path == "money.weights.settled")
        #expect(range.values.map(\.plainText) == ["0.5", "0.55", "0.6", "0.65", "0.7", "0.75", "0.8", "0.85", "0.9"])
    }

    @Test(arguments: [
        ("x=0:1:0.3", ["0", "0.3", "0.6", "0.9"]),       // TO not reached exactly: never beyond it
        ("x=1:1:1", ["1"]),
        ("x=-0.1:0.1:0.1", ["-0.1", "0", "0.1"]),
        ("x=5e8:6e8:5e7", ["500000000", "550000000", "600000000"]),
        (" x = 0.1 : 0.2 : 0.1 ", ["0.1", "0.2"]),
    ])
    func valueLists(argument: String, expected: [String]) throws {
        #expect(try SweepRange(parsing: argument, name: "--vary").values.map(\.plainText) == expected)
    }

    @Test(arguments: ["money.weights.settled", "=0:1:0.1", "x=0:1", "x=0:1:0.1:2", "x=a:1:0.1", "x=0:1:",
                      "x=0:1:0", "x=0:1:-0.1", "x=1:0:0.1", "x=0:1:0.000001", "x=.5:1:0.1", "x=0x10:1:1"])
    func badRangesAreUsageErrors(argument: String) {
        #expect(throws: MalformedValue.self) { try SweepRange(parsing: argument, name: "--vary") }
    }
}

@Suite struct SweepTests {
    static func sweep(_ vary: String, settlement: String = TwoCounties.settlement, budget: String? = TwoCounties.budget,
                      overrides: [String] = [], scenario: String? = nil, fundTotal: String? = nil) throws -> Sweep {
        try Sweep(request: .inline(settlement: settlement, budget: fundTotal == nil ? budget : nil, overrides: overrides,
                                   fundTotal: fundTotal, scenario: scenario),
                  range: try SweepRange(parsing: vary, name: "--vary"))
    }

    @Test func weightSweepByHand() throws {
        // settled 0.5 → s_A = 0.5·½ + 0.5·¼ = 0.375; 0.7 → 0.35 + 0.3·¼ = 0.425 (of 1000 元).
        let sweep = try SweepTests.sweep("money.weights.settled=0.5:0.7:0.2")
        #expect(sweep.target == .weight(.settled))
        #expect(sweep.amountsFen == [37_500, 62_500, 42_500, 57_500])
        let report = SweepReport(sweep)
        // (50/800)/(0.2/1.2) = 0.375; (−50/1200)/(0.2/1.2) = −0.25.
        #expect(report.elasticity(county: 0) == Rational(3, 8))
        #expect(report.summaryCells(county: 1) == ["B2", "乙县", "625.00", "575.00", "575.00", "625.00", "50.00", "-0.250000"])
    }

    @Test func proportionalFundHasElasticityOne() throws {
        let sweep = try SweepTests.sweep("fund_total=1000:3000:1000")
        #expect(sweep.amountsFen == [45_000, 55_000, 90_000, 110_000, 135_000, 165_000])
        #expect(SweepReport(sweep).elasticity(county: 0) == .one)
    }

    @Test func elasticityUndefinedCases() {
        #expect(SweepReport.arcElasticity(first: .one, last: .one, from: .one, to: .one) == nil)           // one value
        #expect(SweepReport.arcElasticity(first: .zero, last: .zero, from: .zero, to: .one) == nil)        // no amount
        #expect(SweepReport.arcElasticity(first: .one, last: Rational(2), from: -Rational(1, 10), to: Rational(1, 10)) == nil)
        #expect(SweepReport.arcElasticity(first: .zero, last: Rational(5), from: .one, to: Rational(2)) == Rational(3))
    }

    @Test func rescalesTheOtherWeights() {
        let half = Rational(1, 2)
        #expect(Sweep.rescaledWeights([.settled: Rational(4, 5), .permits: Rational(1, 5)], varying: .settled, to: half)
            == [.settled: half, .permits: half])
        #expect(Sweep.rescaledWeights([.settled: .one], varying: .settled, to: Rational(3, 10))
            == [.settled: Rational(3, 10), .permits: Rational(7, 10)])
        #expect(Sweep.rescaledWeights([.settled: Rational(4, 5), .permits: Rational(1, 5)], varying: .permits, to: .zero)
            == [.settled: .one, .permits: .zero])
    }

    // MARK: Every kind of target, by hand on three counties

    /// settled [30, 60, 10], permits [10, 30, 60]: each factor's shares are [.3, .6, .1] and
    /// [.1, .3, .6]; under 0.8 / 0.2, s = [.26, .54, .20], so 1,000 元 gives 260, 540, 200 元.
    static let threeCounties = "code,name,settled,permit_holders\nA,甲,30,10\nB,乙,60,30\nC,丙,10,60\n"
    static let settledOnly = ["money.weights.settled=1", "money.weights.permits=0"]

    struct MoneyCase: Sendable, CustomTestStringConvertible {
        let vary: String
        let settlement: String
        let overrides: [String]
        /// Per value, each county's amount in fen (and the bound it met, nil: none met).
        let amounts: [[Int64]]
        let bounds: [[BoundKind]]?
        var testDescription: String { vary }
    }

    static let moneyCases: [MoneyCase] = [
        // w·[.3, .6, .1] + (1 − w)·[.1, .3, .6] of 100,000 fen: w = 0.5 → [.2, .45, .35];
        // 0.7 → [.24, .51, .25]; 0.9 → [.28, .57, .15].
        MoneyCase(vary: "money.weights.settled=0.5:0.9:0.2", settlement: threeCounties, overrides: [],
                  amounts: [[20_000, 45_000, 35_000], [24_000, 51_000, 25_000], [28_000, 57_000, 15_000]], bounds: nil),
        // permits 0 → settled 1: [.3, .6, .1]; permits 0.2 → settled 0.8: [.26, .54, .20].
        MoneyCase(vary: "money.weights.permits=0:0.2:0.2", settlement: threeCounties, overrides: [],
                  amounts: [[30_000, 60_000, 10_000], [26_000, 54_000, 20_000]], bounds: nil),
        // 0 and 110 元 bind nobody (C's 200 元 is above). 220 元: C is lifted to 22,000 fen and the
        // other 78,000 split 26:54 = 13:27 → 25,350 and 52,650 (A stays above 22,000).
        MoneyCase(vary: "money.bounds.floor_amount=0:220:110", settlement: threeCounties, overrides: [],
                  amounts: [[26_000, 54_000, 20_000], [26_000, 54_000, 20_000], [25_350, 52_650, 22_000]],
                  bounds: [[.none, .none, .none], [.none, .none, .none], [.none, .none, .floor]]),
        // prev A 200 元, C 150 元, B none. Growth 0.05: caps 210 and 157.50 元 bind, B takes the rest,
        // 100,000 − 21,000 − 15,750 = 63,250 fen. Growth 0.55: caps 310 and 232.50 元 bind nobody.
        MoneyCase(vary: "money.bounds.max_growth=0.05:0.55:0.5",
                  settlement: "code,name,settled,permit_holders,prev_amount\nA,甲,30,10,200\nB,乙,60,30,\nC,丙,10,60,150\n",
                  overrides: [],
                  amounts: [[21_000, 63_250, 15_750], [26_000, 54_000, 20_000]],
                  bounds: [[.cap, .none, .cap], [.none, .none, .none]]),
        // g = 100.01 元 = 10,001 fen: A = ⌊100,000 / 10,001⌋ = 9 units; ideal 9·[.26, .54, .20] =
        // [2.34, 4.86, 1.8] → floors 7, the two units left to B (.86) and C (.8): [2, 5, 2] units.
        MoneyCase(vary: "money.granularity=0.01:100.01:100", settlement: threeCounties, overrides: [],
                  amounts: [[26_000, 54_000, 20_000], [20_002, 50_005, 20_002]], bounds: nil),
        // settled + 0.8·prior_1 + d·prior_2 = [20 + 50d, 40 + 20, 20]: d = 0 → [20, 60, 20] / 100;
        // d = 0.5 → [45, 60, 20] / 125 = [36,000, 48,000, 16,000]; d = 1 → [70, 60, 20] / 150 =
        // 46,666.67, 40,000, 13,333.33 fen → the fen left to A (.67).
        MoneyCase(vary: "money.prior_decay[2]=0:1:0.5",
                  settlement: "code,name,settled,prior_1,prior_2\nA,甲,20,0,50\nB,乙,40,25,0\nC,丙,20,0,0\n",
                  overrides: settledOnly,
                  amounts: [[20_000, 60_000, 20_000], [36_000, 48_000, 16_000], [46_667, 40_000, 13_333]], bounds: nil),
        // c·cross + 0.8·within_city = [10c, 40, 5c + 24]. c = 1: [10, 40, 29] / 79 = 12,658.23,
        // 50,632.91, 36,708.86 fen → two fen left, to B (.91) and C (.86). c = 2: [20, 40, 34] / 94 =
        // 21,276.60, 42,553.19, 36,170.21 → one fen left, to A (.60).
        MoneyCase(vary: "money.origin_coefficients.cross_province=1:2:1",
                  settlement: "code,name,cross_province,within_city\nA,甲,10,0\nB,乙,0,50\nC,丙,5,30\n",
                  overrides: settledOnly,
                  amounts: [[12_658, 50_633, 36_709], [21_277, 42_553, 36_170]], bounds: nil),
        // fund 400 元: [.26, .54, .20]·40,000 fen. 500.01 元 = 50,001 fen: 13,000.26, 27,000.54,
        // 10,000.2 → the fen left to B (.54).
        MoneyCase(vary: "fund_total=400:500.01:100.01", settlement: threeCounties, overrides: [],
                  amounts: [[10_400, 21_600, 8_000], [13_000, 27_001, 10_000]], bounds: nil),
    ]

    @Test(arguments: moneyCases)
    func moneyValuesByHand(_ c: MoneyCase) throws {
        let sweep = try SweepTests.sweep(c.vary, settlement: c.settlement, overrides: c.overrides, fundTotal: "1000")
        #expect(sweep.values.count == c.amounts.count, "\(c.vary): values")
        for (k, amounts) in c.amounts.enumerated() where k < sweep.values.count {
            #expect((0..<3).map { sweep.amountFen(value: k, county: $0) } == amounts, "\(c.vary) value \(sweep.values[k].plainText)")
            let bounds = c.bounds?[k] ?? [.none, .none, .none]
            #expect((0..<3).map { sweep.bound(value: k, county: $0) } == bounds, "\(c.vary) value \(sweep.values[k].plainText): bounds")
        }
    }

    /// 96, 120 and 200 m² per capita → tiers 100, 80, 50 m²/person; 120, 30, 50 settlers →
    /// 12,000, 2,400, 2,500 m² = 1,800, 360, 375 units of 0.01 亩 (one unit = 20/3 m²), D = 2,535.
    /// Settled-only weights: 1,000 元 splits 120:30:50 → 600, 150, 250 元 whatever the land value.
    static let landCounties = "code,name,settled,land_per_capita\nA,甲,120,96\nB,乙,30,120\nC,丙,50,200\n"

    @Test(arguments: [
        // Quota 25 亩 = 2,500 units. Adjustment −0.1: D_i·0.9 = [1,620, 324, 337.5], D = 2,281.5 →
        // T = ⌈D⌉ = 2,282: 1,620.355, 324.071, 337.574 → the unit left to C; 218 unallocated.
        // 0: T = 2,500 < 2,535: 2,500·D_i/2,535 = 1,775.148, 355.030, 369.822 → the unit left to C.
        // +0.1 scales every D_i alike, and T is still 2,500: the same split.
        ("land.adjustment=-0.1:0.1:0.1", "25", landCounties,
         [["16.20", "3.24", "3.38"], ["17.75", "3.55", "3.70"], ["17.75", "3.55", "3.70"]]),
        // Tier 2's standard 60: B needs 30·60 = 1,800 m² = 270 units; D = 2,445 ≤ 2,500: each its
        // demand. 80: the split of adjustment 0 above.
        ("land.tiers[2].standard=60:80:20", "25", landCounties,
         [["18.00", "2.70", "3.75"], ["17.75", "3.55", "3.70"]]),
        // No quota (land computed for the land_exempt column): demand rounded half up. Whole 亩:
        // 12,000·3/2,000 = 18, 2,400 → 3.6 → 4, 2,500 → 3.75 → 4; 0.01 亩: 18.00, 3.60, 3.75.
        ("land.decimals=0:2:2", nil, "code,name,settled,land_per_capita,land_exempt\nA,甲,120,96,0\nB,乙,30,120,0\nC,丙,50,200,0\n",
         [["18", "4", "4"], ["18.00", "3.60", "3.75"]]),
    ])
    func landValuesByHand(vary: String, quota: String?, settlement: String, land: [[String]]) throws {
        let sweep = try Sweep(request: .inline(settlement: settlement, overrides: SweepTests.settledOnly,
                                               fundTotal: "1000", landQuota: quota),
                              range: try SweepRange(parsing: vary, name: "--vary"))
        #expect(sweep.target == .land)
        #expect(sweep.values.count == land.count, "\(vary): values")
        let report = SweepReport(sweep)
        for (k, expected) in land.enumerated() where k < sweep.values.count {
            let rows = (0..<3).map { report.rowCells(value: k, county: $0) }
            #expect(rows.map { $0[5] } == expected, "\(vary) value \(sweep.values[k].plainText): land")
            #expect(rows.map { $0[3] } == ["600.00", "150.00", "250.00"], "\(vary) value \(sweep.values[k].plainText): amounts")
        }
    }

    /// The fast CSV writer and the cell-by-cell `ReportTable` path give the same bytes, with
    /// names that need quoting or formula guards, land, Chinese headers and Excel mode.
    @Test func fastCSVEqualsTheTablePath() throws {
        let settlement = """
        code,name,settled,permit_holders,land_per_capita
        =1+1,"a, ""quoted"" name",100,10,90
        -2,"=HYPERLINK(""http://x"")",50,30,120.5
        3,<script>alert(1)</script>,7,0,200
        """
        for vary in ["land.adjustment=-0.05:0.05:0.05", "money.weights.settled=0.2:1:0.4"] {
            let sweep = try SweepTests.sweep(vary, settlement: settlement, fundTotal: "1234.56")
            for language in ReportLanguage.allCases {
                let report = SweepReport(sweep, language: language)
                var table = ReportTable(columns: report.columns)
                for k in sweep.values.indices {
                    for i in 0..<sweep.countyCount { table.rows.append(report.rowCells(value: k, county: i)) }
                }
                for excel in [false, true] {
                    #expect(report.longCSV(excel: excel) == Array(table.csv(language: language, excel: excel).utf8), "\(vary) \(language) \(excel)")
                }
            }
        }
    }

    @Test func pathsThatCannotBeVaried() throws {
        for path in ["money.weights.code", "land.unit", "money.weights", "name", "fund_unit"] {
            do {
                _ = try SweepTests.sweep("\(path)=0:1:1")
                Issue.record("\(path) was accepted")
            } catch let error as InputError {
                #expect(error.file == "--vary" && error.column == path)
                #expect(error.accepted?.contains("money.weights.settled") == true && error.accepted?.contains("fund_total") == true)
            }
        }
    }

    @Test func valuesThePolicyRejectsNameTheValue() throws {
        let cases: [(String, String)] = [
            ("money.weights.settled=0.9:1.1:0.2", "money.weights.settled=1.1"),   // permits would be −0.1
            ("money.granularity=0.01:0.02:0.005", "money.granularity=0.015"),
            ("money.bounds.floor_amount=0:600:600", "money.bounds.floor_amount=600"), // 2·600 > 1000
            ("money.prior_decay[9]=0:1:1", "money.prior_decay[9]=0"),
            ("fund_total=0.001:1:1", "fund_total=0.001"),
        ]
        for (vary, at) in cases {
            do {
                _ = try SweepTests.sweep(vary)
                Issue.record("\(vary) was accepted")
            } catch let error as InputError {
                #expect(error.problem.hasSuffix("(at --vary \(at))"), "\(vary): \(error)")
            }
        }
    }

    @Test func aLandPathNeedsLand() throws {
        #expect(throws: InputError.self) { try SweepTests.sweep("land.adjustment=0:0.1:0.1") }
    }
}
