import Foundation
import Testing

/// `transfercalc sweep` through the built binary.
@Suite struct SweepCommandTests {
    static let sample = ["--settlement", "data/settlement.csv", "--budget", "data/budget.csv"]

    static func amounts(_ csv: String, column: String = "amount") -> [String] {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let index = lines[0].firstIndex(of: column)!
        return lines.dropFirst().map { $0[index] }
    }

    /// settled [30, 60, 10] and permits [10, 30, 60] (shares [.3, .6, .1] and [.1, .3, .6]).
    static let threeCounties = "code,name,settled,permit_holders\nA,甲,30,10\nB,乙,60,30\nC,丙,10,60\n"

    static func runOnThreeCounties(_ arguments: [String]) throws -> CLI.Result {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let settlement = try CLI.write(threeCounties, to: "s.csv", in: directory)
        return try CLI.run(["sweep", "--settlement", settlement] + arguments)
    }

    @Test func weightSweepByHand() throws {
        // 0.6·[.3, .6, .1] + 0.4·[.1, .3, .6] = [.22, .48, .30]; 0.7 → [.24, .51, .25] of 1,000 元.
        let sweep = try SweepCommandTests.runOnThreeCounties(["--fund-total", "1000", "--vary", "money.weights.settled=0.6:0.75:0.1"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(sweep.stdout == """
            money.weights.settled,code,name,amount,bound
            0.6,A,甲,220.00,none
            0.6,B,乙,480.00,none
            0.6,C,丙,300.00,none
            0.7,A,甲,240.00,none
            0.7,B,乙,510.00,none
            0.7,C,丙,250.00,none

            """)
    }

    @Test func fundTotalSweepByHand() throws {
        // s = [.26, .54, .20]: 400 元 → 104, 216, 80 元; 500.01 元 = 50,001 fen → 13,000.26,
        // 27,000.54, 10,000.2 fen, the fen left to B (.54).
        let sweep = try SweepCommandTests.runOnThreeCounties(["--fund-total", "1", "--vary", "fund_total=400:500.01:100.01"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(SweepCommandTests.amounts(sweep.stdout) == ["104.00", "216.00", "80.00", "130.00", "270.01", "100.00"])
    }

    @Test func summaryFileAndFormats() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = directory.appendingPathComponent("summary.csv").path
        let output = directory.appendingPathComponent("long.csv").path
        let result = try CLI.run(["sweep", "--vary", "fund_total=1000:3000:1000", "--summary", summary, "--output", output,
                                  "--scenario", "whole_yuan"] + SweepCommandTests.sample)
        #expect(result.status == 0 && result.stdout.isEmpty, "\(result.stderr)")
        let text = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(text.hasPrefix("code,name,amount_first,amount_last,amount_min,amount_max,amount_range,elasticity\n"))
        // 虎丘区 39.88, 79.76, 119.64 元 (Python fractions): exactly proportional, so elasticity 1.
        #expect(text.contains("320505,虎丘区,39.88,119.64,39.88,119.64,79.76,1.000000\n"), "\(text)")
        #expect(try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").count == 1 + 3 * 33)
        for (format, marker) in [("json", "\"elasticity\": \"1.000000\""), ("markdown", "| 320505 | 虎丘区 | 39.88 | 119.64 |")] {
            let other = try CLI.run(["sweep", "--vary", "fund_total=1000:3000:1000", "--format", format, "--scenario", "whole_yuan"]
                                    + SweepCommandTests.sample)
            #expect(other.status == 0 && other.stdout.contains(marker), "\(format)")
        }
    }

    @Test func jsonIsEnglishWhateverTheLanguage() throws {
        let arguments = ["sweep", "--vary", "money.bounds.floor_amount=0:5000000:5000000", "--format", "json"] + SweepCommandTests.sample
        let english = try CLI.run(arguments), chinese = try CLI.run(arguments + ["--lang", "zh"])
        #expect(english.status == 0 && english.stdout == chinese.stdout)
        #expect(english.stdout.contains("\"bound\": \"floor\""))
    }

    @Test func setAppliesUnderTheSweep() throws {
        let plain = try CLI.run(["sweep", "--vary", "fund_total=100000000:100000000:1", "--scenario", "whole_yuan"]
                                + SweepCommandTests.sample)
        let floored = try CLI.run(["sweep", "--set", "money.bounds.floor_amount=2000000", "--vary", "fund_total=100000000:100000000:1",
                                   "--scenario", "whole_yuan"] + SweepCommandTests.sample)
        #expect(plain.status == 0 && floored.status == 0)
        #expect(!plain.stdout.contains(",floor\n") && floored.stdout.contains(",2000000.00,floor\n"))
    }

    // MARK: Errors

    @Test(arguments: [
        (["--vary", "money.weights.settled"], "is not PATH=FROM:TO:STEP"),
        (["--vary", "money.weights.settled=0.5:0.9"], "does not give FROM:TO:STEP"),
        (["--vary", "money.weights.settled=0.5:0.9:0"], "STEP must be greater than 0"),
        (["--vary", "money.weights.settled=0.9:0.5:0.1"], "FROM is greater than TO"),
        (["--vary", "money.weights.settled=a:0.9:0.1"], "FROM \"a\" is not a decimal number"),
        (["--vary", "fund_total=0:1:0.000001"], "1000001 values; at most 100000"),
        (["--vary", "fund_total=0:1:1", "--format", "html"], "sweep writes csv, json, markdown, table or xlsx"),
        (["--vary", "fund_total=0:1:1", "--scenario", "nope"], "unknown --scenario nope"),
        ([], "Missing expected argument '--vary"),
    ])
    func badCommandLinesExit64(arguments: [String], message: String) throws {
        let result = try CLI.run(["sweep"] + SweepCommandTests.sample + arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func tooManyRowsExit64BeforeComputing() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var table = "code,settled,permit_holders\n"
        for i in 0..<201 { table += "c\(i),\(i + 1),\(i + 2)\n" }
        let settlement = try CLI.write(table, to: "s.csv", in: directory)
        let result = try CLI.run(["sweep", "--settlement", settlement, "--fund-total", "1", "--vary", "fund_total=1:100000:1"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--vary gives 100000 values × 201 counties = 20,100,000 rows; at most 20,000,000 are supported"))
    }

    @Test(arguments: [
        ("money.weights.code=0:1:1", "--vary, column money.weights.code: is not a numeric policy value or fund_total"),
        ("land.unit=0:1:1", "--vary, column land.unit: is not a numeric policy value"),
        // The list names the open forms too: any factor's weight, a component's values, two levels.
        ("levels.name=0:1:1", "; a factor's weight as money.weights.<factor>; a component's value as money.components.<name>.share (or .weights.…, .bounds.…); with two levels levels.retention and levels.upper.money.…\n"),
        ("money.weights.settled=0.9:1.1:0.2", "--vary, column money.weights.permits: value \"-0.1\" is negative (at --vary money.weights.settled=1.1)"),
        ("money.granularity=0.01:0.02:0.005", "is not a positive whole number of fen (at --vary money.granularity=0.015)"),
        ("money.bounds.floor_amount=0:20000000:20000000", "less than the 660000000.00 元 the counties' lower bounds need (at --vary money.bounds.floor_amount=20000000)"),
    ])
    func badValuesExit1(vary: String, message: String) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.csv").path
        let result = try CLI.run(["sweep", "--vary", vary, "--output", output] + SweepCommandTests.sample)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        if vary.hasPrefix("money.weights.code") {
            #expect(result.stderr.contains("fund_total, money.granularity, money.weights.settled, money.weights.permits"))
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
