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

    static func sample(_ name: String) throws -> RunRequest.Source {
        let url = CLI.root.appendingPathComponent("data").appendingPathComponent(name)
        return .init(name: "data/\(name)", bytes: Array(try Data(contentsOf: url)))
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

    /// Each value's amounts equal an `allocate` run with that value set, for every kind of target.
    @Test(arguments: [
        ("money.weights.settled=0.5:0.9:0.2", [["money.weights.settled=0.5", "money.weights.permits=0.5"],
                                               ["money.weights.settled=0.7", "money.weights.permits=0.3"],
                                               ["money.weights.settled=0.9", "money.weights.permits=0.1"]]),
        ("money.weights.permits=0:0.2:0.2", [["money.weights.settled=1", "money.weights.permits=0"],
                                             ["money.weights.settled=0.8", "money.weights.permits=0.2"]]),
        ("money.bounds.floor_amount=0:6000000:3000000", [["money.bounds.floor_amount=0"], ["money.bounds.floor_amount=3000000"],
                                                         ["money.bounds.floor_amount=6000000"]]),
        ("money.bounds.max_growth=0.05:0.15:0.1", [["money.bounds.max_growth=0.05"], ["money.bounds.max_growth=0.15"]]),
        ("money.granularity=0.01:100.01:100", [["money.granularity=0.01"], ["money.granularity=100.01"]]),
        ("money.prior_decay[2]=0:1:0.5", [["money.prior_decay[2]=0"], ["money.prior_decay[2]=0.5"], ["money.prior_decay[2]=1"]]),
        ("money.origin_coefficients.cross_province=1:2:1", [["money.origin_coefficients.cross_province=1"],
                                                            ["money.origin_coefficients.cross_province=2"]]),
    ])
    func everyValueEqualsAnAllocateRun(vary: String, settings: [[String]]) throws {
        let settlement = try SweepTests.sample("settlement.csv"), budget = try SweepTests.sample("budget.csv")
        let range = try SweepRange(parsing: vary, name: "--vary")
        let sweep = try Sweep(request: RunRequest(settlement: settlement, budget: budget, overrides: .set([]), scenario: "land_tight"), range: range)
        #expect(sweep.values.count == settings.count)
        for (k, overrides) in settings.enumerated() {
            let run = try RunRequest(settlement: settlement, budget: budget, overrides: .set(overrides), scenario: "land_tight").allocate()
            let money = run.scenarios[0].money
            for i in 0..<sweep.countyCount {
                #expect(sweep.amountFen(value: k, county: i) == Int64(money.amountFen(i)), "\(vary) value \(k) county \(i)")
                #expect(sweep.bound(value: k, county: i) == money.apportionment.bound[i])
            }
        }
    }

    @Test func landValuesEqualAllocateRuns() throws {
        let settlement = try SweepTests.sample("settlement.csv"), budget = try SweepTests.sample("budget.csv")
        // land_tight has a quota below demand (largest remainder); whole_yuan none (demand rounded).
        for (vary, settings, scenario) in [("land.adjustment=-0.1:0.1:0.1", ["-0.1", "0", "0.1"], "land_tight"),
                                           ("land.tiers[2].standard=60:80:20", ["60", "80"], "land_tight"),
                                           ("land.decimals=0:2:2", ["0", "2"], "whole_yuan")] {
            let sweep = try Sweep(request: RunRequest(settlement: settlement, budget: budget, overrides: .set([]), scenario: scenario),
                                  range: try SweepRange(parsing: vary, name: "--vary"))
            #expect(sweep.target == .land)
            let path = String(vary[..<vary.firstIndex(of: "=")!])
            let report = SweepReport(sweep)
            for (k, value) in settings.enumerated() {
                let run = try RunRequest(settlement: settlement, budget: budget, overrides: .set(["\(path)=\(value)"]),
                                         scenario: scenario).allocate()
                let allocate = AllocationReport(run)
                let landColumn = allocate.columns.firstIndex { $0.key == "land_quota" }!
                let amountColumn = allocate.columns.firstIndex { $0.key == "amount" }!
                for i in 0..<sweep.countyCount {
                    let cells = report.rowCells(value: k, county: i)
                    #expect(cells[5] == allocate.cells(scenario: 0, county: i)[landColumn], "\(vary) \(k) \(i)")
                    #expect(cells[3] == allocate.cells(scenario: 0, county: i)[amountColumn])
                }
            }
        }
    }

    @Test func fundTotalEqualsCommandLineBudgets() throws {
        let settlement = try SweepTests.sample("settlement.csv")
        let sweep = try Sweep(request: RunRequest(settlement: settlement, overrides: .set([]), fundTotal: .fundTotal("1")),
                              range: try SweepRange(parsing: "fund_total=400000000:500000000.01:100000000.01", name: "--vary"))
        for (k, fund) in ["400000000", "500000000.01"].enumerated() {
            let money = try RunRequest(settlement: settlement, overrides: .set([]), fundTotal: .fundTotal(fund)).allocate().scenarios[0].money
            for i in 0..<sweep.countyCount { #expect(sweep.amountFen(value: k, county: i) == Int64(money.amountFen(i))) }
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

    @Test func fixedPointDigits() {
        for (value, places, text) in [(Int64(0), 2, "0.00"), (5, 2, "0.05"), (123456, 2, "1234.56"), (7, 0, "7"),
                                      (-1234, 3, "-1.234"), (Int64.max, 2, "92233720368547758.07")] {
            var out: [UInt8] = []
            SweepReport.appendFixedPoint(value, places: places, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == text)
            #expect(text == Rational.fixedPoint(BigInt(value), places: places))
        }
    }

    @Test func pathsThatCannotBeVaried() throws {
        for path in ["money.weights.setled", "land.unit", "money.weights", "name", "fund_unit"] {
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
