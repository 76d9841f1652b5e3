import Foundation
import Testing

/// `whatif` and `sweep` write workbooks: every sheet, read by openpyxl, holds the CSV output's
/// cells (a number cell's shortest round-trip decimal is the CSV's decimal exactly), the
/// comparison sheet the JSON output's totals; the same input gives the same bytes.
@Suite struct ScenarioWorkbookTests {
    static let sample = ["--settlement", "data/settlement.csv", "--budget", "data/budget.csv"]
    static let variants = ["--variant", "w:money.weights.settled=0.6", "--variant", "w:money.weights.permits=0.4"]
    static let vary = ["--vary", "money.weights.settled=0.5:0.9:0.05"]

    static func write(_ command: String, _ arguments: [String], to directory: URL, name: String = "out.xlsx") throws -> String {
        let path = directory.appendingPathComponent(name).path
        let result = try CLI.run([command] + arguments + ["--format", "xlsx", "--output", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "")
        return path
    }

    /// Each sheet row equals its CSV row: numbers as decimals, text as text, empty as no cell.
    static func expectSame(_ written: [OpenPyXL.Cell?], _ row: [String], _ context: String, numbers: inout Int) {
        #expect(written.count <= row.count, "\(context)")
        for (c, text) in row.enumerated() {
            let cell = c < written.count ? written[c] : nil
            if text.isEmpty {
                #expect(cell == nil, "\(context) column \(c)")
            } else if let number = cell?.n {
                numbers += 1
                #expect(Decimal(string: number) == Decimal(string: text), "\(context): \(number) ≠ \(text)")
                #expect(!number.contains("e"), "\(context): \(number)")
            } else {
                #expect(cell?.t == text, "\(context) column \(c)")
            }
        }
    }

    @Test(.enabled(if: OpenPyXL.isAvailable, OpenPyXL.skipMessage), arguments: ["en", "zh"])
    func whatifSheetsEqualTheCSVOutput(lang: String) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = Self.sample + Self.variants + ["--lang", lang]
        let sheets = try OpenPyXL.read(try Self.write("whatif", arguments, to: directory))
        let csv = try CLI.run(["whatif"] + arguments)
        let rows = WorkbookWriteTests.csvRows(csv.stdout)
        let comparisons = ["fund_plus_10pct", "land_tight", "whole_yuan", "w"]
        let zh = lang == "zh"
        #expect(sheets.map(\.name) == comparisons + (zh ? ["比较", "政策"] : ["Comparison", "Policy"]))
        var numbers = 0
        for (s, name) in comparisons.enumerated() {
            let sheet = sheets[s]
            #expect(sheet.freeze == "A2")
            #expect(sheet.bold_header)
            #expect(sheet.rows[0].map { $0?.t } == rows[0].dropFirst().map { $0 })
            let expected = rows.dropFirst().filter { $0[0] == name }
            #expect(expected.count == 33)
            #expect(sheet.rows.count == expected.count + 1)
            for (written, row) in zip(sheet.rows.dropFirst(), expected) {
                Self.expectSame(written, Array(row.dropFirst()), name, numbers: &numbers)
            }
        }
        #expect(numbers >= 33 * 4 * 7)

        // The comparison sheet: each comparison's totals and counts as the JSON output gives them.
        let json = try CLI.run(["whatif"] + Self.sample + Self.variants + ["--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let scenarios = try #require(object["scenarios"] as? [[String: Any]])
        let comparison = sheets[comparisons.count]
        let header = comparison.rows[0].map { $0?.t ?? "" }
        #expect(header.prefix(4) == (zh ? ["方案", "政策变体", "比较基准", "基准合计(元)"]
                                         : ["scenario", "variant", "compared_with", "baseline_total"]))
        let keys = ["baseline_total", "allocated", "change", "change_pct", "gained", "lost", "moved",
                    "counties_up", "counties_down", "counties_unchanged", "counties_without_baseline"]
        for (c, scenario) in scenarios.enumerated() {
            let row = comparison.rows[1 + c]
            #expect(row[0]?.t == scenario["scenario"] as? String)
            for (k, key) in keys.enumerated() {
                #expect(Decimal(string: row[3 + k]?.n ?? "") == Decimal(string: scenario[key] as? String ?? "x"), "\(key)")
            }
            #expect(Decimal(string: row[header.count - 2]?.n ?? "") == Decimal(string: scenario["land_total"] as? String ?? "x"))
        }
        let variantRow = comparison.rows[4]
        #expect(variantRow[1]?.t == "money.weights.settled=0.6 money.weights.permits=0.4")
        #expect(variantRow[2]?.t == (zh ? "方案 baseline" : "scenario baseline"))
        // Below a blank row: the winners and losers, five each per comparison, as ranked in JSON.
        let rankings = Array(comparison.rows.dropFirst(scenarios.count + 2))
        #expect(rankings[0].prefix(6).map { $0?.t } == (zh ? ["方案", "排名", "区划代码", "名称", "增减额(元)", "增减幅度(%)"]
                                                 : ["scenario", "ranking", "code", "name", "change", "change_pct"]))
        let landTight = try #require(scenarios.first { $0["scenario"] as? String == "land_tight" })
        let winners = try #require(landTight["winners"] as? [[String: Any]])
        let written = rankings.dropFirst().filter { $0[0]?.t == "land_tight" && $0[1]?.t == (zh ? "增加最多" : "winner") }
        #expect(written.map { $0[2]?.t } == winners.map { $0["code"] as? String })
        #expect(written.map { Decimal(string: $0[4]?.n ?? "") } == winners.map { Decimal(string: $0["change"] as? String ?? "x") })
        // The policy sheet: every value with its source.
        #expect(sheets.last!.rows[0].map { $0?.t } == (zh ? ["参数", "取值", "来源", "示例值"] : ["path", "value", "source", "illustrative"]))
    }

    @Test(.enabled(if: OpenPyXL.isAvailable, OpenPyXL.skipMessage), arguments: ["en", "zh"])
    func sweepSheetsEqualTheCSVOutputAndSummary(lang: String) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = Self.sample + Self.vary + ["--lang", lang]
        let summaryPath = directory.appendingPathComponent("summary.csv").path
        let sheets = try OpenPyXL.read(try Self.write("sweep", arguments + ["--summary", summaryPath], to: directory))
        let zh = lang == "zh"
        #expect(sheets.map(\.name) == (zh ? ["逐值结果", "各地汇总", "政策"] : ["Every value", "Per county", "Policy"]))
        // The long table, row for row and column for column.
        let csv = WorkbookWriteTests.csvRows(try CLI.run(["sweep"] + arguments).stdout)
        let long = sheets[0]
        #expect(long.freeze == "A2")
        #expect(long.rows[0].map { $0?.t } == csv[0].map { $0 })
        #expect(long.rows.count == csv.count)
        #expect(csv.count == 9 * 33 + 1)
        var numbers = 0
        for (r, (written, row)) in zip(long.rows, csv).enumerated().dropFirst() {
            Self.expectSame(written, row, "row \(r + 1)", numbers: &numbers)
        }
        #expect(numbers == 9 * 33 * 2)   // the value and the amount
        // The per-county summary: the --summary CSV written beside the workbook in the same run.
        let summary = WorkbookWriteTests.csvRows(try String(contentsOfFile: summaryPath, encoding: .utf8))
        #expect(sheets[1].rows[0].map { $0?.t } == summary[0].map { $0 })
        #expect(sheets[1].rows.count == summary.count)
        numbers = 0
        for (r, (written, row)) in zip(sheets[1].rows, summary).enumerated().dropFirst() {
            Self.expectSame(written, row, "summary row \(r + 1)", numbers: &numbers)
        }
        #expect(numbers == 33 * 6)   // five amounts and the elasticity
        let huqiu = try #require(sheets[1].rows.first { $0[0]?.t == "320505" })
        #expect(huqiu[7]?.n == "-0.225463")
        #expect(huqiu[7]?.format == "#,##0.000000")
    }

    /// `--money-unit wan`: every money column in 万元 with every digit (18,942,552.54 元 is
    /// 1,894.255254 万元), the format showing the places the column needs.
    @Test(.enabled(if: OpenPyXL.isAvailable, OpenPyXL.skipMessage))
    func wanKeepsEveryDigit() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let whatif = try OpenPyXL.read(try Self.write("whatif", Self.sample + ["--money-unit", "wan", "--lang", "zh"], to: directory))
        let header = whatif[0].rows[0].map { $0?.t }
        let baseline = try #require(header.firstIndex(of: "基准金额(万元)"))
        let huqiu = try #require(whatif[0].rows.first { $0.first??.t == "320505" })
        #expect(huqiu[baseline]?.n == "1894.255254")
        #expect(huqiu[baseline]?.format == "#,##0.000000")
        #expect(whatif[3].rows[0].contains { $0?.t == "基准合计(万元)" })
        #expect(whatif[3].rows[1][3]?.n == "47500")

        let sweep = try OpenPyXL.read(try Self.write("sweep", Self.sample + ["--vary", "fund_total=400000000:500000000:100000000",
                                                                            "--money-unit", "wan"], to: directory, name: "s.xlsx"))
        #expect(sweep[0].rows[0].map { $0?.t } == ["fund_total (万元)", "code", "name", "amount (万元)", "bound"])
        #expect(sweep[0].rows[1][0]?.n == "40000")
        #expect(sweep[1].rows[0][2]?.t == "amount_first (万元)")
    }

    /// The same input gives the same bytes, whatever the time zone.
    @Test(arguments: ["whatif", "sweep"])
    func writingIsDeterministic(command: String) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = Self.sample + (command == "sweep" ? Self.vary : Self.variants)
        let a = try Self.write(command, arguments, to: directory, name: "a.xlsx")
        let path = directory.appendingPathComponent("b.xlsx").path
        let result = try ChildProcess.run([command] + arguments + ["--format", "xlsx", "--output", path],
                                          in: CLI.root, shell: "TZ=Asia/Shanghai exec \"$@\"")
        #expect(result.status == 0)
        let first = try Data(contentsOf: URL(fileURLWithPath: a)), second = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(first == second)
        #expect(first.count > 1000)
    }

    /// A name that a spreadsheet would run as a formula is a text cell with the guard, as in CSV.
    @Test(.enabled(if: OpenPyXL.isAvailable, OpenPyXL.skipMessage))
    func textCellsKeepTheFormulaGuard() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let settlement = try CLI.write("code,name,cross_province,permit_holders\n110101,=HYPERLINK(1),3,1\n110102,+x,1,1\n",
                                       to: "s.csv", in: directory)
        let budget = try CLI.write("scenario,fund_total\nbaseline,1000\nhigh,1500\n", to: "b.csv", in: directory)
        let inputs = ["--settlement", settlement, "--budget", budget]
        let whatif = try OpenPyXL.read(try Self.write("whatif", inputs, to: directory))
        #expect(whatif[0].rows[1][1]?.t == "'=HYPERLINK(1)")
        #expect(whatif[0].rows[2][1]?.t == "'+x")
        let sweep = try OpenPyXL.read(try Self.write("sweep", inputs + ["--vary", "fund_total=100:200:100"], to: directory, name: "s.xlsx"))
        #expect(sweep[0].rows[1][2]?.t == "'=HYPERLINK(1)")
        #expect(sweep[1].rows[2][1]?.t == "'+x")
    }

    @Test(arguments: [["whatif"], ["sweep", "--vary", "fund_total=0:1:1"]])
    func aWorkbookNeedsAnOutputFile(command: [String]) throws {
        let result = try CLI.run(command + Self.sample + ["--format", "xlsx"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: --format xlsx writes a workbook file; give --output FILE.xlsx (it is never written to standard output)"))
        #expect(result.stdout == "")
    }

    /// More rows than a worksheet holds: a usage error before anything is computed or written.
    @Test func aSweepTooLongForOneWorksheet() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let settlement = try CLI.write("code,cross_province,permit_holders\n" + (110_000...110_010).map { "\($0),1,1\n" }.joined(),
                                       to: "m.csv", in: directory)
        let path = directory.appendingPathComponent("s.xlsx").path
        let result = try CLI.run(["sweep", "--settlement", settlement, "--fund-total", "100", "--vary", "fund_total=0:99999:1",
                                  "--format", "xlsx", "--output", path])
        #expect(result.status == 64)
        #expect(result.stderr == "transfercalc: error: --vary gives 100000 values × 11 counties = 1,100,000 rows; a worksheet holds at most 1,048,575 below its header (use a larger STEP, or --format csv) (see --help)\n")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// Both files or neither: when the summary cannot be written, no workbook appears either.
    @Test func sweepWorkbookAndSummaryAllOrNothing() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("s.xlsx").path
        let summary = directory.appendingPathComponent("missing/summary.csv").path
        let result = try CLI.run(["sweep"] + Self.sample + Self.vary + ["--summary", summary, "--format", "xlsx", "--output", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("missing/summary.csv"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func sweepHTMLNamesTheFormatsItWrites() throws {
        let result = try CLI.run(["sweep"] + Self.sample + Self.vary + ["--format", "html"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: sweep writes csv, json, markdown, table or xlsx; --format html is for allocate and whatif"))
    }
}
