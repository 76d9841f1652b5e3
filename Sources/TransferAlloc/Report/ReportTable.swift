/// Output language of headers and labels.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case en, zh
}

/// A column of an output table: its English key and Chinese header.
public struct ReportColumn: Sendable, Equatable {
    public var key: String
    public var chinese: String
    /// Text columns (names, codes) are formula-guarded; numbers the tool writes are not.
    public var isText: Bool

    public init(_ key: String, _ chinese: String, isText: Bool = false) {
        self.key = key
        self.chinese = chinese
        self.isText = isText
    }

    public func header(_ language: ReportLanguage) -> String { language == .zh ? chinese : key }
}

/// A rectangular table of already formatted cells, rendered as CSV or Markdown.
public struct ReportTable: Sendable {
    public var columns: [ReportColumn]
    public var rows: [[String]]

    public init(columns: [ReportColumn], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, tab or CR as a formula;
    /// such text is written with a leading `'` (contract §5). Reading a table drops that `'`
    /// again (`CSVTokenizer.trimmedASCII`), from the same list of characters.
    public static func guardFormula(_ text: String) -> String {
        guard let first = text.utf8.first, CSVTokenizer.isFormulaGuarded(first) else { return text }
        return "'" + text
    }

    func guarded(_ row: [String]) -> [String] {
        zip(columns, row).map { $0.isText ? ReportTable.guardFormula($1) : $1 }
    }

    /// RFC 4180 CSV. With `excel`, a UTF-8 BOM and CRLF line ends, so Excel opens Chinese text
    /// correctly.
    public func csv(language: ReportLanguage, excel: Bool, includeHeader: Bool = true) -> String {
        // Written as bytes into one buffer: a large table has hundreds of thousands of cells,
        // and joining a String per row cost more than computing the numbers.
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * (columns.count * 12 + 2) + 256)
        if excel && includeHeader { out += [0xEF, 0xBB, 0xBF] }
        func endLine() {
            if excel { out.append(13) }
            out.append(10)
        }
        if includeHeader {
            for (c, column) in columns.enumerated() {
                if c > 0 { out.append(UInt8(ascii: ",")) }
                ReportTable.appendCSV(ReportTable.guardFormula(column.header(language)), to: &out)
            }
            endLine()
        }
        for row in rows {
            // One cell per column, as `markdown` writes them (`guarded` pairs cells with columns).
            for (c, (column, cell)) in zip(columns, row).enumerated() {
                if c > 0 { out.append(UInt8(ascii: ",")) }
                ReportTable.appendCSV(column.isText ? ReportTable.guardFormula(cell) : cell, to: &out)
            }
            endLine()
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one cell, quoted when it holds `,`, `"`, LF or CR (quotes doubled inside).
    static func appendCSV(_ cell: String, to out: inout [UInt8]) {
        var cell = cell
        cell.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else {
                out.append(contentsOf: bytes)
                return
            }
            out.append(UInt8(ascii: "\""))
            for byte in bytes {
                if byte == UInt8(ascii: "\"") { out.append(byte) }
                out.append(byte)
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    static func quoteCSV(_ cell: String) -> String {
        var out: [UInt8] = []
        appendCSV(cell, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A GitHub-flavoured Markdown table; `|` and line breaks in cells are escaped. The footer
    /// (a totals row the caller formats) is written as given.
    public func markdown(language: ReportLanguage, footer: [String]? = nil) -> String {
        func line(_ cells: [String], escape: Bool = true) -> String {
            "| " + cells.map { escape ? ReportTable.escapeMarkdown($0) : $0 }.joined(separator: " | ") + " |\n"
        }
        var out = line(columns.map { $0.header(language) })
        out += "|" + columns.map { $0.isText ? "---|" : "---:|" }.joined() + "\n"
        for row in rows { out += line(guarded(row)) }
        if let footer { out += line(footer, escape: false) }
        return out
    }

    /// Plain text for a terminal: columns aligned by display width (a CJK character is two
    /// columns), numbers right-aligned and grouped by thousands, the footer (a totals row) under
    /// a rule. Control characters in cells show as U+FFFD, so a name cannot move the cursor.
    public func text(language: ReportLanguage, footer: [String]? = nil) -> String {
        func shown(_ row: [String]) -> [String] {
            zip(columns, row).map { column, cell in
                column.isText ? ReportTable.visible(ReportTable.guardFormula(cell)) : ReadableNumbers.grouped(cell)
            }
        }
        var body = rows.map(shown)
        let numeric = columns.map { !$0.isText }
        if let footer { body.append(shown(footer)) }
        var out = ReportDocument.alignedTable(columns.map { ReportTable.visible($0.header(language)) }, body,
                                              numeric: numeric, keepColumns: true)
        if footer != nil {
            // The rule above the totals row: the same dashes as under the header.
            var lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.count >= 3 { lines.insert(lines[1], at: lines.count - 2) }
            out = lines.joined(separator: "\n")
        }
        return out
    }

    /// Text with control characters replaced by U+FFFD (a terminal would act on them).
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "\u{FFFD}" : $0
        }))
    }

    static func escapeMarkdown(_ cell: String) -> String {
        var out = ""
        for ch in cell {
            switch ch {
            case "|": out += "\\|"
            case "\n", "\r", "\r\n": out += " "
            case "\\", "*", "_", "`", "<", ">", "[", "]": out += "\\" + String(ch)
            default: out.append(ch)
            }
        }
        return out
    }
}
