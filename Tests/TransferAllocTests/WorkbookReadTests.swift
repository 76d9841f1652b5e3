import Foundation
import Testing
@testable import TransferAlloc
@testable import TransferAllocXLSX

/// Reading .xlsx inputs: hand-made workbooks (Fixtures/workbooks/make.py, written by openpyxl)
/// read like the CSV they hold, the numeric-cell rule, and every error through the CLI.
@Suite struct WorkbookReadTests {
    static let fixtures = "Tests/TransferAllocTests/Fixtures/workbooks/"

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: CLI.root.appendingPathComponent(fixtures + name)))
    }

    // MARK: The numeric-cell rule

    @Test func shortestDecimalOfStoredDoubles() {
        #expect(ShortestDecimal.text(18063643.61) == "18063643.61")
        #expect(ShortestDecimal.text(0.85) == "0.85")
        #expect(ShortestDecimal.text(128.4) == "128.4")
        #expect(ShortestDecimal.text(3285) == "3285")
        #expect(ShortestDecimal.text(0.1 + 0.2) == "0.30000000000000004")
        #expect(ShortestDecimal.text(1e-7) == "0.0000001")
        #expect(ShortestDecimal.text(1.5e-7) == "0.00000015")
        #expect(ShortestDecimal.text(1e21) == "1000000000000000000000")
        #expect(ShortestDecimal.text(1.25e17) == "125000000000000000")
        #expect(ShortestDecimal.text(-2.5) == "-2.5")
        #expect(ShortestDecimal.text(-0.0) == "0")
    }

    @Test func storableMeansTheDoubleReadsBackAsTheSameDecimal() {
        #expect(ShortestDecimal.storable("1234.50"))
        #expect(ShortestDecimal.storable("0.0399"))
        #expect(ShortestDecimal.storable("500000000.00"))
        #expect(ShortestDecimal.storable("-878908.93"))
        // 17 significant digits: the nearest double reads back as another decimal.
        #expect(!ShortestDecimal.storable("0.12345678901234567"))
        // Beyond 2^53 fen: 90071992547409.93 元 has no double of its own.
        #expect(!ShortestDecimal.storable("90071992547409.93"))
        #expect(!ShortestDecimal.storable("1e5"))
        #expect(!ShortestDecimal.storable(""))
        #expect(ShortestDecimal.canonical("007.500") == "7.5")
        #expect(ShortestDecimal.canonical("-0.00") == "0")
    }

    // MARK: Hand-made workbooks

    /// A merged title, a unit row, Chinese headers, a number stored as text (`268,415`), a
    /// formula with its saved value, formatted empty trailing rows, shared strings, and the
    /// budget on a second sheet: the allocation is the sample CSV's, byte for byte.
    @Test func titledWorkbookReadsLikeTheSampleCSV() throws {
        let book = Self.fixtures + "titled.xlsx"
        let fromBook = try CLI.run(["allocate", "--settlement", book, "--budget", book, "--budget-sheet", "预算"])
        let fromCSV = try CLI.run(["allocate", "--settlement", "data/settlement.csv", "--budget", "data/budget.csv"])
        #expect(fromBook.status == 0, "\(fromBook.stderr)")
        #expect(fromCSV.status == 0)
        #expect(fromBook.stdoutBytes == fromCSV.stdoutBytes)
        #expect(fromBook.stderr == "")
    }

    @Test func titledWorkbookCellsAsRead() throws {
        let sheet = try WorkbookReader.worksheet(bytes: try Self.fixture("titled.xlsx"), file: "t.xlsx", sheet: nil)
        #expect(sheet.name == "落户情况")
        let table = try sheet.table()
        #expect(table.file == "t.xlsx, sheet 落户情况")
        #expect(table.headerLine == 4)
        #expect(table.header.prefix(4) == ["区划代码", "名称", "所属市代码", "跨省落户人数"])
        #expect(table.records.count == 33)
        let first = table.records[0]
        #expect(first.line == 5)
        // The formula =2285+1000, by its saved value; 18063643.61 typed as a number.
        #expect(first.fields.prefix(4) == ["320505", "虎丘区", "320500", "3285"])
        #expect(first.fields[13] == "18063643.61")
        #expect(first.fields[12] == "0.85")
        // A number stored as text keeps its text; the CSV cell rules read it.
        #expect(table.records[1].fields[11] == "268,415")
        // The formatted empty rows after the table are no records.
        #expect(table.records.last!.line == 37)
        let budget = try WorkbookReader.worksheet(bytes: try Self.fixture("titled.xlsx"), file: "t.xlsx", sheet: "预算").table()
        #expect(budget.headerLine == 2)
        #expect(budget.records.map { $0.fields[0] } == ["baseline", "fund_plus_10pct", "land_tight", "whole_yuan"])
        #expect(budget.records[0].fields[1] == "50000")
    }

    @Test func dataSettlementWorkbookMatchesTheCSV() throws {
        let fromBook = try CLI.run(["allocate", "--settlement", "data/settlement.xlsx", "--budget", "data/budget.csv"])
        let fromCSV = try CLI.run(["allocate", "--settlement", "data/settlement.csv", "--budget", "data/budget.csv"])
        #expect(fromBook.status == 0, "\(fromBook.stderr)")
        #expect(fromBook.stdoutBytes == fromCSV.stdoutBytes)
    }

    @Test func headerIsTheFirstRowNamingTwoKnownColumns() throws {
        let sheet = Worksheet(file: "b.xlsx", name: "S", rows: [
            .init(number: 1, cells: ["code"]),                 // one known name: a title
            .init(number: 2, cells: ["单位：元", "", "备注"]),
            .init(number: 4, cells: ["方案", "资金总额"]),
            .init(number: 5, cells: ["a", "100"]),
            .init(number: 6, cells: ["", ""]),
            .init(number: 7, cells: ["b"]),
        ])
        let table = try sheet.table()
        #expect(table.headerLine == 4)
        #expect(table.records == [CSVRecord(line: 5, fields: ["a", "100"]), CSVRecord(line: 7, fields: ["b", ""])])
        #expect(table.sheet == "S")
    }

    /// Empty cells left of a value count: 123 rows with a value in column XFD pass the limit.
    @Test func tooManyCells() throws {
        let cells = (1...123).map { SheetDelegate.Cell(row: $0, column: 16_383, type: "n", value: "1", hasValue: true,
                                                       hasFormula: false) }
        #expect(throws: InputError(file: "b.xlsx, sheet S", problem: "has more than 2000000 cells (empty cells left of a value included)",
                                   accepted: "one table of one row per county or scenario (is this the right sheet?)")) {
            try WorkbookReader.rows(cells, strings: [], label: "b.xlsx, sheet S")
        }
        let fewer = Array(cells.prefix(122))
        #expect(try WorkbookReader.rows(fewer, strings: [], label: "b.xlsx, sheet S").count == 122)
    }

    @Test func columnLetters() {
        #expect(Worksheet.columnLetters(0) == "A")
        #expect(Worksheet.columnLetters(25) == "Z")
        #expect(Worksheet.columnLetters(26) == "AA")
        #expect(Worksheet.columnLetters(16_383) == "XFD")
        #expect(Worksheet.cellName(column: 2, row: 7) == "C7")
    }

    @Test func escapesOfSpreadsheetText() {
        #expect(WorkbookReader.unescape("a_x000D_b") == "a\rb")
        #expect(WorkbookReader.unescape("_x005F_x0041_") == "_x0041_")
        #expect(WorkbookReader.unescape("x_y") == "x_y")
    }

    // MARK: Errors, through the CLI

    static func error(_ arguments: [String], in directory: URL? = nil) throws -> (Int32, String) {
        let result = try CLI.run(["allocate"] + arguments + ["--fund-total", "100"], in: directory)
        #expect(result.stdout == "")
        return (result.status, result.stderr)
    }

    @Test(arguments: [
        ("错误值", "errors.xlsx, sheet 错误值, cell B3: value \"#DIV/0!\" is an error value (a formula that failed); expected a number or text: correct the formula in the workbook"),
        ("未计算", "errors.xlsx, sheet 未计算, cell B2: value \"=1+1\" has a formula whose value was never saved; expected a workbook saved by Excel or WPS after calculating (open it, recalculate and save)"),
        ("表外", "errors.xlsx, sheet 表外, cell D2: value \"备注\" is to the right of the table: the header on row 1 has 2 column(s); expected values only under a header cell (delete the cell, or give its column a header)"),
        ("无表头", "errors.xlsx, sheet 无表头: has no header row: no row names at least two known columns; expected a header row such as 区划代码, 名称, 落户人数 (title rows above it are skipped); the table on the first sheet, or the sheet named with --sheet"),
        ("负数", "errors.xlsx, sheet 负数, cell B2, column 2 (settled): value \"-3\" is negative; expected a whole number ≥ 0 such as 1234 or 1,234 (full-width digits allowed), at most 1,000,000,000,000"),
        ("NOPE", "errors.xlsx: value \"NOPE\" is not a sheet of the workbook; expected one of its sheets: 错误值, 未计算, 表外, 无表头, 负数"),
    ])
    func errorSheets(sheet: String, message: String) throws {
        let (status, stderr) = try Self.error(["--settlement", "errors.xlsx", "--sheet", sheet],
                                              in: CLI.root.appendingPathComponent(Self.fixtures))
        #expect(status == 1)
        #expect(stderr == "transfercalc: error: \(message)\n")
    }

    @Test func zipBombIsRefusedBeforeInflating() throws {
        let (status, stderr) = try Self.error(["--settlement", "bomb.xlsx"], in: CLI.root.appendingPathComponent(Self.fixtures))
        #expect(status == 1)
        #expect(stderr == "transfercalc: error: bomb.xlsx: value \"xl/worksheets/sheet1.xml\" declares 4294967280 bytes uncompressed, more than the 64 MiB a workbook part may have (a zip bomb, or not a table); expected a workbook with one table of at most a few hundred thousand rows\n")
    }

    @Test func truncatedOldAndForeignFiles() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let book = try Self.fixture("titled.xlsx")
        for cut in [30, book.count / 2, book.count - 10] {
            try Data(book.prefix(cut)).write(to: directory.appendingPathComponent("cut.xlsx"))
            let (status, stderr) = try Self.error(["--settlement", "cut.xlsx"], in: directory)
            #expect(status == 1)
            #expect(stderr == "transfercalc: error: cut.xlsx: is not a readable zip package (truncated or damaged); expected an .xlsx workbook saved by Excel or WPS (or a CSV file); open the file and save it again\n",
                    "cut at \(cut)")
        }
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504))
            .write(to: directory.appendingPathComponent("old.xls"))
        let (status, stderr) = try Self.error(["--settlement", "old.xls"], in: directory)
        #expect(status == 1)
        #expect(stderr == "transfercalc: error: old.xls: is an Excel 97–2003 workbook (.xls), which is not read; expected an .xlsx workbook or a CSV file (in Excel or WPS: Save As, Excel Workbook .xlsx)\n")
        // A zip that is no workbook.
        try Data(WorkbookWriter.package([("readme.txt", "hello")])).write(to: directory.appendingPathComponent("other.xlsx"))
        let (zipStatus, zipError) = try Self.error(["--settlement", "other.xlsx"], in: directory)
        #expect(zipStatus == 1)
        #expect(zipError == "transfercalc: error: other.xlsx: is a zip file but not an .xlsx workbook (it has no xl/workbook.xml); expected an .xlsx workbook saved by Excel or WPS (or a CSV file); open the file and save it again\n")
    }

    /// Damaged sheet XML (bytes replaced, markup characters and invalid UTF-8 put in) gives an
    /// error or rows, never a crash: the XML parser sees only what survives the checks.
    @Test func damagedSheetXMLNeverCrashes() throws {
        var package = try WorkbookPackage(bytes: try Self.fixture("titled.xlsx"), file: "t.xlsx")
        let xml = Array(try #require(try package.part("xl/worksheets/sheet1.xml")))
        var random = SeededRandom(seed: 16)
        let inserts: [[UInt8]] = [[0x3C], [0x26], [0x22], [0xFF], [0xC3], [0xE2, 0x82], Array("<c r=\"A1\">".utf8),
                                  Array("&#0;".utf8), Array("<v>".utf8), Array("</row>".utf8), Array("r:id=\"x\"".utf8)]
        for _ in 0..<300 {
            var bytes = xml
            for _ in 0..<3 {
                let at = Int(random.next() % UInt64(bytes.count))
                if random.next() % 2 == 0 {
                    bytes[at] = UInt8(random.next() & 0xFF)
                } else {
                    bytes.insert(contentsOf: inserts[Int(random.next() % UInt64(inserts.count))], at: at)
                }
            }
            let delegate = SheetDelegate(maxCells: 1_000)
            if (try? WorkbookXML.parse(Data(bytes), delegate)) != nil {
                _ = try? WorkbookReader.rows(delegate.cells, strings: [], label: "t.xlsx, sheet S")
            }
        }
    }

    /// Every damaged byte of a real workbook gives an error or a table, never a crash.
    @Test func corruptedBytesNeverCrash() throws {
        let book = try Self.fixture("titled.xlsx")
        var random = SeededRandom(seed: 15)
        for _ in 0..<300 {
            var bytes = book
            for _ in 0..<4 { bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(random.next() & 0xFF) }
            _ = try? WorkbookReader.worksheet(bytes: bytes, file: "x.xlsx", sheet: nil).table()
        }
    }
}
