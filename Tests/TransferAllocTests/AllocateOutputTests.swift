import Foundation
import Testing

/// Output formats of `allocate` (contract §5) through the real binary.
@Suite struct AllocateOutputTests {
    static let worked = ["allocate", "--settlement", "docs/examples/worked/settlement.csv",
                         "--budget", "docs/examples/worked/budget.csv"]

    @Test func jsonHasDecimalStringsAndTheIllustrativeLabel() throws {
        let result = try CLI.run(Self.worked + ["--format", "json", "--scenario", "below_demand"])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let policy = try #require(json["policy"] as? [String: Any])
        #expect(policy["label"] as? String == "illustrative default")
        #expect(policy["illustrative"] as? Bool == true)
        let scenarios = try #require(json["scenarios"] as? [[String: Any]])
        #expect(scenarios.count == 1)
        let s = scenarios[0]
        #expect(s["scenario"] as? String == "below_demand")
        #expect(s["fund_total"] as? String == "10000000.00")
        #expect(s["reserve"] as? String == "300000.00")
        #expect(s["allocated"] as? String == "9700000.00")
        #expect(s["land_quota"] as? String == "30.00")
        #expect(s["land_unallocated"] as? String == "0.00")
        let rows = try #require(s["rows"] as? [[String: Any]])
        #expect(rows.map { $0["code"] as? String } == ["110103", "110101", "110102"])
        #expect(rows.map { $0["amount"] as? String } == ["1778333.33", "4365000.00", "3556666.67"])
        #expect(rows.map { $0["land_quota"] as? String } == ["6.23", "12.47", "11.30"])
        #expect(rows[0]["bound"] as? String == "none")
        // Never a JSON number for money or land.
        #expect(!result.stdout.contains(": 1778333.33"))
    }

    @Test func chineseHeadersAndExcelBytes() throws {
        let result = try CLI.run(Self.worked + ["--lang", "zh", "--excel", "--scenario", "above_demand"])
        #expect(result.status == 0)
        #expect(Array(result.stdoutBytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: result.stdoutBytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("方案,区划代码,名称,当年落户人数,落户因素值,持证因素值,系数,分配比例,分配金额(元),人均金额(元),约束,"))
        #expect(text.components(separatedBy: "\r\n").count == 5)   // header, 3 rows, final empty
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(text.contains("above_demand,110101,甲县,150,240,1000,1.25,0.4500000000,4365000.00,29100.00,无,100,15000.00,22.50\r\n"))
    }

    @Test func markdownHasTotalsAndTheLabel() throws {
        let result = try CLI.run(Self.worked + ["--format", "markdown", "--scenario", "above_demand"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Policy: illustrative default (illustrative values, not an official policy)"))
        #expect(result.stdout.contains("- Reserve: 300000.00 元"))
        #expect(result.stdout.contains("- Land unallocated: 45.85 亩"))
        #expect(result.stdout.contains("| 110102 | 乙县 | 170 | 200 | 2500 | 1 | 0.3666666667 | 3556666.67 | 20921.57 | none | 80 | 13600.00 | 20.40 |"))
        #expect(result.stdout.contains("| **Total** |  | 470 |"))
        #expect(result.stdout.contains("| 9700000.00 |"))
    }

    @Test func outputFileIsWrittenAndRerunsAreByteIdentical() throws {
        let directory = try CLI.temporaryDirectory()
        let first = directory.appendingPathComponent("a.json").path
        let second = directory.appendingPathComponent("b.json").path
        for path in [first, second] {
            let result = try CLI.run(["allocate", "--settlement", "data/settlement.csv", "--budget", "data/budget.csv",
                                      "--format", "json", "--output", path])
            #expect(result.status == 0)
            #expect(result.stdout.isEmpty)
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: first))
        #expect(a.count > 10_000)
        #expect(a == (try Data(contentsOf: URL(fileURLWithPath: second))))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: directory.path)) == ["a.json", "b.json"])
    }

    @Test func gb18030SampleGivesTheSameAmountsAsTheUTF8One() throws {
        let utf8 = try CLI.run(["allocate", "--settlement", "data/settlement.csv", "--budget", "data/budget.csv"])
        let gb = try CLI.run(["allocate", "--settlement", "data/settlement-zh-gb18030.csv", "--budget", "data/budget.csv"])
        #expect(utf8.status == 0 && gb.status == 0, "\(gb.stderr)")
        #expect(utf8.stdout == gb.stdout)
    }

    @Test func formulaLookingTextIsGuardedButNumbersAreNot() throws {
        let directory = try CLI.temporaryDirectory()
        try CLI.write("code,name,cross_province,permit_holders\n-1,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",10,10\n+2,@SUM(A1),30,30\n",
                      to: "s.csv", in: directory)
        try CLI.write("scenario,fund_total\n=cmd,100\n", to: "b.csv", in: directory)
        let csv = try CLI.run(["allocate", "--settlement", "s.csv", "--budget", "b.csv"], in: directory)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.contains("'=cmd,'-1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",10,"))
        #expect(csv.stdout.contains("'=cmd,'+2,'@SUM(A1),30,"))
        let markdown = try CLI.run(["allocate", "--settlement", "s.csv", "--budget", "b.csv", "--format", "markdown"], in: directory)
        #expect(markdown.stdout.contains("'=HYPERLINK"))
        #expect(markdown.stdout.contains("Scenario '=cmd"))
        // JSON is for programs and is not guarded (contract §9).
        let json = try CLI.run(["allocate", "--settlement", "s.csv", "--budget", "b.csv", "--format", "json"], in: directory)
        #expect(json.stdout.contains("\"code\": \"-1\""))
    }

    @Test func fundTotalFlagMakesOneBaselineScenario() throws {
        let result = try CLI.run(["allocate", "--settlement", "docs/examples/worked/settlement.csv",
                                  "--fund-total", "9700000", "--land-quota", "30"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("baseline,110101,甲县,150,240,1000,1.25,0.4500000000,4365000.00,29100.00,none,100,15000.00,12.47"))
    }

    @Test func valuesAPolicyFileLeavesToTheDefaultAreLabelledIllustrative() throws {
        let directory = try CLI.temporaryDirectory()
        let policy = try CLI.write("{\"name\": \"测试政策\", \"money\": {\"granularity\": \"1\"}}", to: "p.json", in: directory)
        let json = try CLI.run(Self.worked + ["--policy", policy, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let block = try #require(object["policy"] as? [String: Any])
        #expect(block["label"] as? String == "测试政策")
        #expect(block["illustrative"] as? Bool == false)
        let borrowed = try #require(block["illustrative_values"] as? [String])
        #expect(borrowed.contains("money.weights.settled") && borrowed.contains("land.tiers[1].standard"))
        #expect(!borrowed.contains("money.granularity") && !borrowed.contains("name"))
        let markdown = try CLI.run(Self.worked + ["--policy", policy, "--format", "markdown"])
        #expect(markdown.stdout.contains("Values the policy file does not set, taken from the illustrative default: `money.weights.settled`"))
    }

    @Test func jsonStaysEnglishWithChineseLanguage() throws {
        let en = try CLI.run(Self.worked + ["--format", "json"])
        let zh = try CLI.run(Self.worked + ["--format", "json", "--lang", "zh"])
        #expect(zh.status == 0)
        #expect(en.stdout == zh.stdout)
        #expect(zh.stdout.contains("\"bound\": \"none\""))
    }

    @Test func prevBoundsWithoutPrevAmountWarnOnce() throws {
        let result = try CLI.run(Self.worked + ["--set", "money.bounds.max_growth=0.1", "--set", "money.bounds.min_retention=0.9"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("sets money.bounds.max_growth and money.bounds.min_retention, but the table has no prev_amount column; those bounds apply to no county"))
    }

    @Test func warningsGoToStderr() throws {
        let directory = try CLI.temporaryDirectory()
        try CLI.write("code,cross_province,permit_holders,extra\n1,1,1,x\n", to: "s.csv", in: directory)
        let result = try CLI.run(["allocate", "--settlement", "s.csv", "--fund-total", "100"], in: directory)
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: s.csv: ignoring unknown column(s): extra"))
        #expect(result.stderr.contains("coefficient column fiscal_coef, which the table does not have"))
        #expect(result.stdout.hasPrefix("scenario,code,"))
    }
}
