import Foundation
import Testing
@testable import TransferAlloc
@testable import TransferAllocXLSX

/// openpyxl, the independent reader the workbook tests check the written files with; CI
/// installs it (`.ci/run`).
enum OpenPyXL {
    static let isAvailable = ChildProcess.shellSucceeds("python3 -c 'import openpyxl' 2>/dev/null")
    static let skipMessage: Comment = "openpyxl is not installed, so written workbooks are not read back independently; CI installs it (pip install openpyxl)"

    struct Cell: Decodable, Equatable {
        var n: String?
        var format: String?
        var t: String?
    }

    struct Sheet: Decodable {
        var name: String
        var freeze: String?
        var widths: [String: Double]
        var bold_header: Bool
        var rows: [[Cell?]]
    }

    /// The workbook as openpyxl reads it (Fixtures/workbooks/dump.py).
    static func read(_ path: String) throws -> [Sheet] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", CLI.root.appendingPathComponent(WorkbookReadTests.fixtures + "dump.py").path, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try JSONDecoder().decode([Sheet].self, from: data)
    }
}

@Suite struct WorkbookWriteTests {
    static let sample = ["--settlement", "data/settlement.csv", "--budget", "data/budget.csv"]

    static func write(_ arguments: [String], to directory: URL, name: String = "out.xlsx") throws -> String {
        let path = directory.appendingPathComponent(name).path
        let result = try CLI.run(["allocate"] + arguments + ["--format", "xlsx", "--output", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "")
        return path
    }

    /// Rows of a CSV output without quoted commas (the sample's cells have none).
    static func csvRows(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Every cell of every scenario sheet, read by openpyxl, equals the CSV output's cell: a
    /// number cell's shortest round-trip decimal is the CSV's decimal exactly (compared as
    /// Foundation decimals), a text cell is the CSV's text; the header is the CSV's.
    @Test(.enabled(if: OpenPyXL.isAvailable, OpenPyXL.skipMessage), arguments: ["en", "zh"])
    func everyNumberEqualsTheCSVOutput(lang: String) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.write(Self.sample + ["--lang", lang], to: directory)
        let csv = try CLI.run(["allocate"] + Self.sample + ["--lang", lang])
        let rows = Self.csvRows(csv.stdout)
        let sheets = try OpenPyXL.read(path)
        let scenarios = ["baseline", "fund_plus_10pct", "land_tight", "whole_yuan"]
        #expect(sheets.map(\.name) == scenarios + (lang == "zh" ? ["汇总", "政策"] : ["Summary", "Policy"]))
        var numbers = 0
        for (s, scenario) in scenarios.enumerated() {
            let sheet = sheets[s]
            #expect(sheet.freeze == "A2")
            #expect(sheet.bold_header)
            #expect(sheet.rows[0].map { $0?.t } == rows[0].dropFirst().map { $0 })
            let expected = rows.dropFirst().filter { $0[0] == scenario }
            #expect(sheet.rows.count == expected.count + 1)
            for (written, row) in zip(sheet.rows.dropFirst(), expected) {
                #expect(written.count == row.count - 1)
                for (cell, text) in zip(written, row.dropFirst()) {
                    if text.isEmpty {
                        #expect(cell == nil)
                    } else if let number = cell?.n {
                        numbers += 1
                        #expect(Decimal(string: number) == Decimal(string: text), "\(scenario): \(number) ≠ \(text)")
                        #expect(!number.contains("e"), "\(number)")
                    } else {
                        #expect(cell?.t == text)
                    }
                }
            }
        }
        #expect(numbers > 33 * 4 * 10)
    }

    @Test(.enabled(if: OpenPyXL.isAvailable, OpenPyXL.skipMessage))
    func formatsWidthsSummaryAndPolicy() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sheets = try OpenPyXL.read(try Self.write(Self.sample + ["--lang", "zh"], to: directory))
        let baseline = sheets[0]
        let header = baseline.rows[0].map { $0?.t ?? "" }
        let first = baseline.rows[1]
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        #expect(first[column("分配金额(元)")]?.format == "#,##0.00")
        #expect(first[column("用地指标(亩)")]?.format == "#,##0.00")
        #expect(first[column("当年落户人数")]?.format == "#,##0")
        #expect(first[column("分配比例")]?.format == "#,##0.0000000000")
        #expect(first[column("名称")]?.t == "虎丘区")
        // Three CJK characters take six columns, plus the margin; the widest header decides.
        #expect(baseline.widths["B"]! >= 8)
        #expect(baseline.widths["D"]! >= Double("落户因素值".count * 2))
        // Summary: scenario totals as allocate's JSON gives them, then subtotals by prefecture.
        let summary = sheets[4]
        #expect(summary.rows[0].prefix(4).map { $0?.t } == ["方案", "资金总额(元)", "预留(元)", "分配金额(元)"])
        #expect(summary.rows[1].prefix(5).map { $0?.n ?? $0?.t } == ["baseline", "500000000", "25000000", "475000000", "164983"])
        let json = try CLI.run(["allocate"] + Self.sample + ["--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let scenarios = try #require(object["scenarios"] as? [[String: Any]])
        for (s, scenario) in scenarios.enumerated() {
            #expect(Decimal(string: summary.rows[1 + s][3]?.n ?? "") == Decimal(string: scenario["allocated"] as! String))
        }
        // The prefecture block: a blank row, its header, one row per scenario and prefecture,
        // whose amounts add up to the scenario's allocated total.
        let block = Array(summary.rows.dropFirst(6))
        #expect(block[0].prefix(3).map { $0?.t } == ["方案", "上级代码", "地区数"])
        let baselineRows = block.dropFirst().filter { $0[0]?.t == "baseline" }
        #expect(!baselineRows.isEmpty)
        let total = baselineRows.reduce(Decimal(0)) { $0 + Decimal(string: $1[4]!.n!)! }
        #expect(total == Decimal(string: "475000000"))
        #expect(baselineRows.reduce(0) { $0 + Int($1[2]!.n!)! } == 33)
        // Policy: every value with its source.
        let policy = sheets[5]
        #expect(policy.rows[0].map { $0?.t } == ["参数", "取值", "来源", "示例值"])
        #expect(policy.rows.count == Policy.builtInDefault.values.count + 1)
        #expect(policy.rows.dropFirst().allSatisfy { $0[2]?.t?.isEmpty == false })
    }

    /// Identical inputs give identical bytes, whatever the time and the time zone.
    /// `--money-unit wan`: the amount column in 万元, every digit kept (18,942,552.54 元 is
    /// 1,894.255254 万元), its format showing the six places the column needs.
    @Test(.enabled(if: OpenPyXL.isAvailable, OpenPyXL.skipMessage))
    func wanKeepsEveryDigit() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.write(Self.sample + ["--scenario", "baseline", "--money-unit", "wan", "--lang", "zh"], to: directory)
        let sheet = try #require(try OpenPyXL.read(path).first)
        let header = sheet.rows[0].map { $0?.t }
        let amount = try #require(header.firstIndex(of: "分配金额(万元)"))
        let huqiu = try #require(sheet.rows.first { $0.first??.t == "320505" })
        #expect(huqiu[amount]?.n == "1894.255254")
        #expect(huqiu[amount]?.format == "#,##0.000000")
        let summary = try #require(try OpenPyXL.read(path).first { $0.name == "汇总" })
        #expect(summary.rows[0].contains { $0?.t == "分配金额(万元)" })
    }

    @Test func writingIsDeterministic() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = try Self.write(Self.sample, to: directory, name: "a.xlsx")
        let path = directory.appendingPathComponent("b.xlsx").path
        let result = try ChildProcess.run(["allocate"] + Self.sample + ["--format", "xlsx", "--output", path],
                                          in: CLI.root, shell: "TZ=Asia/Shanghai exec \"$@\"")
        #expect(result.status == 0)
        let first = try Data(contentsOf: URL(fileURLWithPath: a)), second = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(first == second)
        #expect(first.count > 1000)
    }

    /// A value no double holds exactly is written as text, the tool's decimal as is; text cells
    /// keep the formula guard; the reader reads back what was written.
    @Test func unstorableNumbersAreTextAndTextIsGuarded() throws {
        let table = ReportTable(columns: [ReportColumn("code", "区划代码", isText: true), ReportColumn("amount", "金额")],
                                rows: [["=1+1", "0.12345678901234567"], ["-3", "1234.50"], ["a", ""]])
        let bytes = WorkbookWriter.bytes([WorkbookSheet(name: "S", tables: [table])], language: .en)
        let sheet = try WorkbookReader.worksheet(bytes: bytes, file: "w.xlsx", sheet: nil)
        #expect(sheet.rows == [
            .init(number: 1, cells: ["code", "amount"]),
            .init(number: 2, cells: ["'=1+1", "0.12345678901234567"]),
            .init(number: 3, cells: ["'-3", "1234.5"]),
            .init(number: 4, cells: ["a"]),
        ])
        let xml = String(decoding: bytes, as: UTF8.self)
        #expect(!xml.isEmpty)
    }

    @Test func sheetNamesExcelAccepts() {
        #expect(WorkbookWriter.sheetNames(["a/b", "Summary", "summary", String(repeating: "长", count: 40), "'x'", ""])
                == ["a_b", "Summary", "summary (2)", String(repeating: "长", count: 31), "x", "Sheet"])
    }

    @Test func xlsxNeedsAnOutputFile() throws {
        let allocate = try CLI.run(["allocate"] + Self.sample + ["--format", "xlsx"])
        #expect(allocate.status == 64)
        #expect(allocate.stderr.hasPrefix("Error: --format xlsx writes a workbook file; give --output FILE.xlsx (it is never written to standard output)"))
        #expect(allocate.stdout == "")
    }

    /// The workbook the tool writes is an input too: its first sheet, read as a published
    /// table, audits as consistent with the run that wrote it.
    @Test func writtenWorkbookAuditsAsPublished() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.write(Self.sample, to: directory)
        let audit = try CLI.run(["audit"] + Self.sample + ["--published", path, "--published-sheet", "land_tight",
                                                            "--scenario", "land_tight"])
        #expect(audit.status == 0, "\(audit.stderr)")
        #expect(audit.stdout.contains("sheet land_tight"))
    }
}
