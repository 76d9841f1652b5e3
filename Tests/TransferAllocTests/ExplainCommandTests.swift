import Foundation
import Testing

@Suite struct ExplainCommandTests {
    static let sample = ["--settlement", "data/settlement.csv", "--budget", "data/budget.csv"]

    /// allocate's CSV as [scenario: [code: (amount, land_quota)]].
    static func allocated() throws -> [String: [String: (String, String)]] {
        let result = try CLI.run(["allocate"] + sample)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        let amount = try #require(header.firstIndex(of: "amount")), land = try #require(header.firstIndex(of: "land_quota"))
        var table: [String: [String: (String, String)]] = [:]
        for row in lines.dropFirst() { table[row[0], default: [:]][row[1]] = (row[amount], row[land]) }
        return table
    }

    static func value(_ json: [String: Any], _ section: String, _ line: String) -> String? {
        let sections = json["sections"] as? [String: Any]
        let lines = sections?[section] as? [String: Any]
        return (lines?[line] as? [String: Any])?["value"] as? String
    }

    @Test func finalAmountsEqualAllocateForEveryCountyOfTheSample() throws {
        let expected = try ExplainCommandTests.allocated()
        let codes = expected["baseline"]!.keys.sorted()
        #expect(codes.count == 33)
        for code in codes {
            let result = try CLI.run(["explain"] + ExplainCommandTests.sample + ["--code", code, "--format", "json"])
            #expect(result.status == 0, "\(code): \(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            for (scenario, rows) in expected {
                let (amount, land) = rows[code]!
                #expect(ExplainCommandTests.value(json, "money:\(scenario)", "amount") == amount, "\(scenario) \(code)")
                if !land.isEmpty {
                    #expect(ExplainCommandTests.value(json, "land:\(scenario)", "land_quota") == land, "\(scenario) \(code) land")
                }
            }
        }
    }

    @Test func textShowsTheDerivationWithSources() throws {
        let result = try CLI.run(["explain"] + ExplainCommandTests.sample + ["--code", "320506", "--scenario", "baseline"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        // Hand-checked against the sample row: 8979×1.2 + 4835 + 3454×0.8 + 16440×0.8 + 15130×0.6
        // + 13675×0.4 + 12596×0.2 = 48592.2; × fiscal_coef 0.82 = 39845.604.
        #expect(text.contains("Factor value v: 48592.2"))
        #expect(text.contains("Adjusted value a = v × coefficient product: 39845.604"))
        #expect(text.contains("Amount = units × g (元): 43505945.13"))
        #expect(text.contains("Land quota (mu): 2072.16"))
        #expect(text.contains("land.tiers[2]"))
        #expect(text.contains("国发〔2016〕44号"))  // a source note
        #expect(!text.contains("Money, scenario land_tight"))  // --scenario names one
    }

    @Test func chineseMarkdown() throws {
        let result = try CLI.run(["explain"] + ExplainCommandTests.sample + ["--code", "320508", "--scenario", "baseline",
                                                                             "--format", "markdown", "--lang", "zh"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("# 姑苏区（320508）分配推导\n"))
        #expect(result.stdout.contains("## 资金，方案 baseline"))
        #expect(result.stdout.contains("- **分配金额 = 单位数 × g（元）**: 8294174.91"))
        #expect(result.stdout.contains("land\\_exempt：超大特大城市中心城区"))
    }

    @Test func outputFileIsWritten() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("why.txt").path
        let result = try CLI.run(["explain"] + ExplainCommandTests.sample + ["--code", "320505", "--output", out])
        #expect(result.status == 0 && result.stdout.isEmpty)
        #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("Derivation for 320505 虎丘区"))
    }

    @Test(arguments: [
        (["--code", "999999"], "unknown --code 999999; data/settlement.csv has 33 codes, e.g. 320505, 320506"),
        ([], "Missing expected argument '--code <code>'"),
        (["--code", "320505", "--scenario", "nope"], "unknown --scenario nope"),
        (["--code", "320505", "--format", "csv"], "The value 'csv' is invalid for '--format <format>'"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) throws {
        let result = try CLI.run(["explain"] + ExplainCommandTests.sample + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func badDataExits1NamingFileLineAndColumn() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try CLI.write("code,settled\n1,5\n2,x\n", to: "s.csv", in: dir)
        let result = try CLI.run(["explain", "--settlement", path, "--fund-total", "100", "--code", "1"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("s.csv, line 3, column 2 (settled): value \"x\" is not a number"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
