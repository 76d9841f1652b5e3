/// One worksheet of a workbook as rows of text cells: what a workbook reader hands the table
/// readers instead of CSV text. Numbers are already the exact decimal text of their stored value,
/// formulas their saved value, so the cells follow the same rules as CSV fields.
///
///     let sheet = Worksheet(file: "s.xlsx", name: "结算", rows: [
///         .init(number: 1, cells: ["2026年落户情况表"]),
///         .init(number: 3, cells: ["区划代码", "名称", "落户人数"]),
///         .init(number: 4, cells: ["320506", "吴中区", "1200"]),
///     ])
///     let table = try sheet.table()
///     // table.file == "s.xlsx, sheet 结算", table.headerLine == 3,
///     // table.records == [CSVRecord(line: 4, fields: ["320506", "吴中区", "1200"])]
public struct Worksheet: Sendable, Equatable {
    /// One row that has at least one cell, as the workbook numbers it.
    public struct Row: Sendable, Equatable {
        /// 1-based row number, as the spreadsheet shows it.
        public var number: Int
        /// The cells from column A on, "" where a cell is empty, trimmed like CSV fields;
        /// no trailing empty cells.
        public var cells: [String]

        public init(number: Int, cells: [String]) {
            self.number = number
            self.cells = cells
        }
    }

    /// The workbook as the user named it.
    public var file: String
    /// The worksheet's name.
    public var name: String
    /// Rows in order, blank rows left out.
    public var rows: [Row]

    public init(file: String, name: String, rows: [Row]) {
        self.file = file
        self.name = name
        self.rows = rows
    }

    /// What messages call the sheet: `s.xlsx, sheet 结算`.
    public var label: String { Worksheet.label(file: file, sheet: name) }

    public static func label(file: String, sheet: String) -> String { "\(file), sheet \(sheet)" }

    /// Spreadsheet column letters of a 0-based column index: 0 → `A`, 25 → `Z`, 26 → `AA`.
    public static func columnLetters(_ index: Int) -> String {
        var n = index + 1
        var letters: [Character] = []
        while n > 0 {
            let digit = (n - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + digit))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }

    /// A cell's name: `C7` for column index 2 of row 7.
    public static func cellName(column: Int, row: Int) -> String { columnLetters(column) + String(row) }

    /// The least number of recognised column names that make a row the header.
    public static let headerMinimumNames = 2

    /// The sheet as a table: the header is the first row in which at least two cells are column
    /// names some input table recognises (settlement, budget or published table, English or
    /// Chinese), so title and unit rows above it are skipped. Every later row that has a cell
    /// is a record, as wide as the header.
    ///
    /// - Throws: `InputError` naming the sheet when no row is a header, and naming the cell when
    ///   a row has a value to the right of the header's last column.
    /// - Complexity: O(cells).
    public func table() throws(InputError) -> CSVTable {
        guard let headerIndex = rows.firstIndex(where: { row in
            row.cells.lazy.filter(KnownColumns.recognises).prefix(Worksheet.headerMinimumNames).count
                == Worksheet.headerMinimumNames
        }) else {
            throw InputError(file: label, problem: "has no header row: no row names at least two known columns",
                             accepted: "a header row such as 区划代码, 名称, 落户人数 (title rows above it are skipped); "
                                 + "the table on the first sheet, or the sheet named with --sheet")
        }
        let header = rows[headerIndex].cells
        var records: [CSVRecord] = []
        records.reserveCapacity(rows.count - headerIndex - 1)
        for row in rows[(headerIndex + 1)...] {
            if row.cells.count > header.count {
                let extra = row.cells[header.count...].firstIndex(where: { !$0.isEmpty })
                if let extra {
                    throw InputError(file: label, line: row.number, value: row.cells[extra],
                                     problem: "is to the right of the table: the header on row \(rows[headerIndex].number) "
                                         + "has \(header.count) column(s)",
                                     accepted: "values only under a header cell (delete the cell, or give its column a header)",
                                     cell: Worksheet.cellName(column: extra, row: row.number))
                }
            }
            var fields = Array(row.cells.prefix(header.count))
            if fields.allSatisfy(\.isEmpty) { continue }
            if fields.count < header.count {
                fields += Array(repeating: "", count: header.count - fields.count)
            }
            records.append(CSVRecord(line: row.number, fields: fields))
        }
        return CSVTable(file: label, encoding: .utf8, headerLine: rows[headerIndex].number, header: header,
                        records: records, sheet: name)
    }
}

/// Column names any input table recognises (used to find a worksheet's header row).
public enum KnownColumns {
    /// True when `header` names a column of the settlement table, the budget table or a
    /// published table, in English or Chinese, as those readers match headers.
    ///
    ///     KnownColumns.recognises("区划代码")           // true
    ///     KnownColumns.recognises("分配金额（万元）")    // true
    ///     KnownColumns.recognises("2026年落户情况表")    // false
    public static func recognises(_ header: String) -> Bool {
        guard !header.isEmpty else { return false }
        return SettlementColumn(header: header) != nil || BudgetColumn(header: header) != nil
            || PublishedTable.column(header: header) != nil
    }
}
