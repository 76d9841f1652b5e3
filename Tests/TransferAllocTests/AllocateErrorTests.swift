import Foundation
import Testing

/// Every error kind of contract §8 through the real binary: exit status, and a message that
/// names the file, line, column and value and says what would be accepted.
@Suite struct AllocateErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var settlement: String = "code,name,cross_province,permit_holders\n110101,甲,10,100\n110102,乙,20,300\n"
        var budget: String = "scenario,fund_total\nbaseline,1000\n"
        var extra: [String] = []
        var status: Int32 = 1
        /// Fragments the message must contain.
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "duplicate code", settlement: "code,cross_province,permit_holders\n110101,1,1\n110101,2,2\n",
             expected: ["settlement.csv, line 3, column 1 (code)", "\"110101\"", "repeats the code on line 2"]),
        Case(name: "negative count", settlement: "code,cross_province,permit_holders\n110101,-5,1\n",
             expected: ["line 2, column 2 (cross_province)", "\"-5\" is negative", "expected a whole number ≥ 0"]),
        Case(name: "non-numeric cell", settlement: "code,跨省落户人数,permit_holders\n110101,abc,1\n",
             expected: ["line 2, column 2 (跨省落户人数 = cross_province)", "\"abc\" is not a number"]),
        Case(name: "count not whole", settlement: "code,cross_province,permit_holders\n110101,12.5,1\n",
             expected: ["line 2", "\"12.5\" is not a whole number of people"]),
        Case(name: "bad thousands grouping", settlement: "code,cross_province,permit_holders\n110101,\"12,34\",1\n",
             expected: ["line 2, column 2", "\"12,34\" is not a number"]),
        Case(name: "ragged row", settlement: "code,cross_province,permit_holders\n110101,1\n",
             expected: ["settlement.csv, line 2", "permit_holders"]),
        Case(name: "empty table", settlement: "code,cross_province\n",
             expected: ["settlement.csv, line 1", "empty table"]),
        Case(name: "empty budget", budget: "scenario,fund_total\n", expected: ["budget.csv, line 1", "empty table"]),
        Case(name: "no settler column", settlement: "code,permit_holders\n110101,1\n",
             expected: ["settlement.csv, line 1", "no settler column"]),
        Case(name: "settled differs from origins",
             settlement: "code,cross_province,within_city,settled,permit_holders\n110101,1,2,4,1\n",
             expected: ["line 2, column 4 (settled)", "\"4\"", "sum of the origin columns"]),
        Case(name: "duplicate header", settlement: "code,代码,cross_province\n1,1,1\n",
             expected: ["line 1, column 2 (代码 = code)", "same column as column 1"]),
        Case(name: "bad land_exempt", settlement: "code,cross_province,permit_holders,land_exempt\n110101,1,1,maybe\n",
             expected: ["line 2, column 4 (land_exempt)", "\"maybe\"", "是"]),
        Case(name: "settlers without land_per_capita",
             settlement: "code,cross_province,permit_holders,land_per_capita\n110101,1,1,\n110102,1,1,90\n",
             expected: ["settlement.csv, line 2, column 4 (land_per_capita)", "110101"]),
        Case(name: "land above the last tier",
             settlement: "code,cross_province,permit_holders,land_per_capita\n110101,1,1,200\n",
             extra: ["--set", "land.tiers=[{\"up_to\": \"100\", \"standard\": \"100\"}, {\"up_to\": \"150\", \"standard\": \"80\"}]"],
             expected: ["line 2, column 4 (land_per_capita)", "\"200\"", "above the last tier"]),
        Case(name: "unknown fund unit", budget: "scenario,fund_total,fund_unit\nb,1000,dollar\n",
             expected: ["budget.csv, line 2, column 3 (fund_unit)", "\"dollar\"", "yuan (元), wan (万元) or yi (亿元)"]),
        Case(name: "unknown land unit", budget: "scenario,fund_total,land_quota,land_unit\nb,1000,5,acre\n",
             expected: ["budget.csv, line 2, column 4 (land_unit)", "\"acre\"", "mu (亩)"]),
        Case(name: "fund not whole fen", budget: "scenario,fund_total\nb,1000.001\n",
             expected: ["budget.csv, line 2, column 2 (fund_total)", "\"1000.001\"", "whole number of fen"]),
        Case(name: "reserve ratio and amount", budget: "scenario,fund_total,reserve_ratio,reserve_amount\nb,1000,0.1,5\n",
             expected: ["budget.csv, line 2, column 4 (reserve_amount)", "not both"]),
        Case(name: "reserve ratio of one", budget: "scenario,fund_total,reserve_ratio\nb,1000,1\n",
             expected: ["line 2, column 3 (reserve_ratio)", "0 ≤ r < 1"]),
        Case(name: "reserve above fund", budget: "scenario,fund_total,reserve_amount\nb,1000,2000\n",
             expected: ["line 2, column 3 (reserve_amount)", "more than fund_total"]),
        Case(name: "duplicate scenario", budget: "scenario,fund_total\nb,1000\nb,2000\n",
             expected: ["budget.csv, line 3, column 1 (scenario)", "repeats the scenario name of line 2"]),
        Case(name: "land quota without land_per_capita", budget: "scenario,fund_total,land_quota\nb,1000,5\n",
             expected: ["settlement.csv, line 1, column land_per_capita", "is missing", "110101 on line 2"]),
        Case(name: "land quota finer than the policy's decimals",
             settlement: "code,cross_province,permit_holders,land_per_capita\n110101,1,1,90\n", budget: "scenario,fund_total,land_quota\nb,1000,1.234\n",
             expected: ["budget.csv, line 2, column 3 (land_quota)", "\"1.234\"", "0.01 亩"]),
        Case(name: "permits weighted but absent", settlement: "code,cross_province\n110101,1\n",
             expected: ["settlement.csv", "permit_holders", "money.weights.permits = 0"]),
        Case(name: "factor total zero", settlement: "code,cross_province,permit_holders\n110101,0,1\n110102,0,1\n",
             expected: ["settlement.csv", "settled factor an adjusted total of 0"]),
        Case(name: "infeasible floor", extra: ["--set", "money.bounds.floor_amount=600"],
             expected: ["budget.csv, line 2, column fund_total", "1200.00 元"]),
        Case(name: "infeasible caps", extra: ["--set", "money.bounds.cap_per_settler=1"],
             expected: ["budget.csv, line 2, column fund_total", "upper bounds allow", "30.00 元"]),
        Case(name: "weights not summing to one", extra: ["--set", "money.weights.settled=0.7"],
             expected: ["--set", "money.weights"]),
        Case(name: "unknown policy path", extra: ["--set", "money.wieghts.settled=1"],
             expected: ["--set", "money.wieghts.settled"]),
        Case(name: "second row without a scenario column", budget: "fund_total\n1000\n2000\n",
             expected: ["budget.csv, line 3: is a second budget row", "every row is named baseline (as line 2 is)"]),
        Case(name: "missing permit column after blank lines", settlement: "\n\ncode,cross_province\n110101,1\n",
             expected: ["settlement.csv, line 3, column permit_holders: is missing"]),
        Case(name: "exempt column without land_per_capita",
             settlement: "code,cross_province,permit_holders,land_exempt\n110101,1,1,0\n",
             expected: ["column land_per_capita: is missing", "the table has a land_exempt column"]),
        Case(name: "number beyond the supported digits",
             settlement: "code,cross_province,permit_holders\n110101,\(String(repeating: "9", count: 61)),1\n",
             expected: ["line 2, column 2 (cross_province)", "has more than 60 digits, beyond the supported range"]),
        Case(name: "count beyond the supported range",
             settlement: "code,cross_province,permit_holders\n110101,1000000000001,1\n",
             expected: ["line 2, column 2 (cross_province)", "is out of the supported range", "at most 1,000,000,000,000"]),
        Case(name: "unknown scenario", extra: ["--scenario", "nope"], status: 64,
             expected: ["unknown --scenario nope", "baseline"]),
        Case(name: "set without equals", extra: ["--set", "money.granularity"], status: 64,
             expected: ["--set money.granularity is not KEY=VALUE"]),
        Case(name: "bad encoding name", extra: ["--encoding", "latin1"], status: 64, expected: ["--encoding latin1"]),
    ]

    @Test(arguments: cases) func reportsTheError(_ example: Case) throws {
        let directory = try CLI.temporaryDirectory()
        let settlement = try CLI.write(example.settlement, to: "settlement.csv", in: directory)
        let budget = try CLI.write(example.budget, to: "budget.csv", in: directory)
        _ = (settlement, budget)
        let output = directory.appendingPathComponent("out.csv").path
        let result = try CLI.run(["allocate", "--settlement", "settlement.csv", "--budget", "budget.csv",
                                  "--output", output] + example.extra, in: directory)
        #expect(result.status == example.status, "\(result.stderr)")
        for fragment in example.expected {
            #expect(result.stderr.contains(fragment), "missing \(fragment) in: \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: output), "nothing may be written on failure")
        #expect(result.stdout.isEmpty)
    }

    @Test func missingInputFileNamesIt() throws {
        let result = try CLI.run(["allocate", "--settlement", "no/such.csv", "--budget", "data/budget.csv"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no/such.csv: cannot be read: No such file or directory"))
    }

    @Test func malformedFundTotalIsAUsageError() throws {
        let bad = try CLI.run(["allocate", "--settlement", "data/settlement.csv", "--fund-total", "abc"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--fund-total abc is not a number"))
        // Well-formed but not a whole number of fen: bad data.
        let finer = try CLI.run(["allocate", "--settlement", "data/settlement.csv", "--fund-total", "1.001"])
        #expect(finer.status == 1)
        #expect(finer.stderr.contains("--fund-total: value \"1.001\" is not a whole number of fen"))
        let both = try CLI.run(["allocate", "--settlement", "data/settlement.csv", "--fund-total", "1", "--budget", "data/budget.csv"])
        #expect(both.status == 64)
    }

    @Test func failedRunLeavesThePreviousOutputUntouched() throws {
        let directory = try CLI.temporaryDirectory()
        let output = try CLI.write("previous table\n", to: "out.csv", in: directory)
        let result = try CLI.run(["allocate", "--settlement", "data/settlement.csv", "--budget", "data/budget.csv",
                                  "--set", "money.bounds.floor_amount=100000000", "--output", output])
        #expect(result.status == 1)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "previous table\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers == ["out.csv"])
    }

    @Test func invalidUTF8LaterInTheFileNamesItsLine() throws {
        let directory = try CLI.temporaryDirectory()
        var bytes = Array("code,cross_province,permit_holders\n".utf8)
        for i in 0..<3000 { bytes += Array("\(100_000 + i),1,1\n".utf8) }
        bytes += Array("999999,1,1".utf8) + [0xFF] + Array("\n".utf8)
        try Data(bytes).write(to: directory.appendingPathComponent("s.csv"))
        let result = try CLI.run(["allocate", "--settlement", "s.csv", "--fund-total", "100"], in: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("s.csv, line 3002"), "\(result.stderr)")
    }
}
