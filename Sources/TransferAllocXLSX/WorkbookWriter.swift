import Foundation
import TransferAlloc
import ZIPFoundation

/// One sheet of a workbook to write: report tables stacked from row 1, a blank row between them.
public struct WorkbookSheet: Sendable {
    public var name: String
    public var tables: [ReportTable]

    public init(name: String, tables: [ReportTable]) {
        self.name = name
        self.tables = tables
    }
}

/// Writes report tables as an .xlsx workbook, byte for byte the same for the same tables.
///
/// Text columns are text cells, formula-guarded like the CSV output. A number column's cell is a
/// number cell when its shortest round-trip decimal (`ShortestDecimal`) is the tool's decimal
/// exactly, otherwise a text cell holding the tool's text, so no cell ever shows a value the
/// tool did not compute. Each number column gets the format `#,##0` with as many decimals as
/// its longest fraction (`#,##0.00` for 元, the policy's land decimals for land). The first
/// table's header row is bold and frozen; column widths fit the longest text, a CJK character
/// counting two. Every part of the package has the same fixed timestamp.
public enum WorkbookWriter {
    /// The timestamp of every part: 1980-01-01 00:00, the earliest a zip entry can hold.
    static let timestamp = Date(timeIntervalSince1970: 315_532_800)

    /// The workbook's bytes.
    ///
    /// - Precondition: at least one sheet.
    public static func bytes(_ sheets: [WorkbookSheet], language: ReportLanguage) -> [UInt8] {
        precondition(!sheets.isEmpty)
        let names = sheetNames(sheets.map(\.name))
        var styles = StyleTable()
        var parts: [(String, String)] = []
        var sheetParts: [(String, String)] = []
        for (index, sheet) in sheets.enumerated() {
            sheetParts.append(("xl/worksheets/sheet\(index + 1).xml", sheetXML(sheet, language: language, styles: &styles)))
        }
        parts.append(("[Content_Types].xml", contentTypes(sheetCount: sheets.count)))
        parts.append(("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
            Target="xl/workbook.xml"/></Relationships>
            """))
        var workbook = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <bookViews><workbookView/></bookViews><sheets>
            """
        var rels = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            """
        for (index, name) in names.enumerated() {
            workbook += "<sheet name=\"\(escape(name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
            rels += "<Relationship Id=\"rId\(index + 1)\" "
                + "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
                + "Target=\"worksheets/sheet\(index + 1).xml\"/>"
        }
        workbook += "</sheets></workbook>"
        rels += "<Relationship Id=\"rId\(names.count + 1)\" "
            + "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
            + "</Relationships>"
        parts.append(("xl/workbook.xml", workbook))
        parts.append(("xl/_rels/workbook.xml.rels", rels))
        parts.append(("xl/styles.xml", styles.xml))
        parts += sheetParts
        return package(parts)
    }

    /// The parts zipped (deflated) in order, every entry with the fixed timestamp.
    static func package(_ parts: [(String, String)]) -> [UInt8] {
        // An in-memory archive cannot fail to be created or written; a failure here is a bug.
        let archive = try! Archive(data: Data(), accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try! archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                  modificationDate: timestamp, permissions: 0o644, compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return [UInt8](archive.data!)
    }

    static func contentTypes(sheetCount: Int) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
            """
        for index in 1...sheetCount {
            xml += "<Override PartName=\"/xl/worksheets/sheet\(index).xml\" "
                + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        return xml + "</Types>"
    }

    /// Sheet names Excel accepts: no `[]:*?/\`, at most 31 characters, not empty, no apostrophe
    /// at either end, unique ignoring case (a repeat gets ` (2)`, ` (3)` …).
    static func sheetNames(_ wanted: [String]) -> [String] {
        var taken: Set<String> = []
        var names: [String] = []
        func fit(_ text: String, room: Int) -> String {
            var out = ""
            for ch in text {
                if out.utf16.count + ch.utf16.count > room { break }
                out.append(ch)
            }
            return out
        }
        for name in wanted {
            var base = String(name.map { "[]:*?/\\".contains($0) || $0.isNewline ? "_" : $0 })
            while base.hasPrefix("'") { base.removeFirst() }
            while base.hasSuffix("'") { base.removeLast() }
            if base.trimmedUnicode.isEmpty { base = "Sheet" }
            var candidate = fit(base, room: 31)
            var n = 2
            while taken.contains(candidate.lowercased()) {
                let suffix = " (\(n))"
                candidate = fit(base, room: 31 - suffix.utf16.count) + suffix
                n += 1
            }
            taken.insert(candidate.lowercased())
            names.append(candidate)
        }
        return names
    }

    /// The styles: 0 plain, 1 bold header, then one per number format in first-use order.
    struct StyleTable {
        var formats: [String] = []

        mutating func style(decimals: Int) -> Int {
            let code = decimals > 0 ? "#,##0." + String(repeating: "0", count: decimals) : "#,##0"
            if let index = formats.firstIndex(of: code) { return index + 2 }
            formats.append(code)
            return formats.count + 1
        }

        var xml: String {
            var out = """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
                """
            if !formats.isEmpty {
                out += "<numFmts count=\"\(formats.count)\">"
                for (index, code) in formats.enumerated() {
                    out += "<numFmt numFmtId=\"\(164 + index)\" formatCode=\"\(WorkbookWriter.escape(code))\"/>"
                }
                out += "</numFmts>"
            }
            out += "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>"
                + "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
                + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
                + "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
                + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
                + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
                + "<cellXfs count=\"\(formats.count + 2)\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
                + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
            for index in formats.indices {
                out += "<xf numFmtId=\"\(164 + index)\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
            }
            out += "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
                + "</styleSheet>"
            return out
        }
    }

    /// One cell as written: a number (canonical decimal text) or text.
    enum Cell {
        case number(String, style: Int)
        case text(String, bold: Bool)
    }

    static func sheetXML(_ sheet: WorkbookSheet, language: ReportLanguage, styles: inout StyleTable) -> String {
        var rows: [[Cell?]] = []
        var widths: [Int] = []
        func measure(_ column: Int, _ width: Int) {
            if widths.count <= column { widths += Array(repeating: 0, count: column + 1 - widths.count) }
            widths[column] = max(widths[column], width)
        }
        for (t, table) in sheet.tables.enumerated() {
            if t > 0 { rows.append([]) }
            rows.append(table.columns.enumerated().map { c, column in
                let text = ReportTable.guardFormula(column.header(language))
                measure(c, displayWidth(text) + 1)
                return .text(text, bold: true)
            })
            // Each number column cell's number text, found once (nil: a text cell).
            let numbers: [[String?]] = table.rows.map { row in
                zip(table.columns, row).map { column, cell in
                    column.isText || cell.isEmpty ? nil : ShortestDecimal.numberCell(cell)
                }
            }
            // A number column's format shows its longest fraction as the tool writes it (2 for
            // 元 even at whole amounts), so no cell is shown rounded.
            var decimals = Array(repeating: 0, count: table.columns.count)
            for (row, numberRow) in zip(table.rows, numbers) {
                for (c, (cell, number)) in zip(row, numberRow).enumerated() where number != nil {
                    if let point = cell.utf8.firstIndex(of: UInt8(ascii: ".")) {
                        decimals[c] = max(decimals[c], cell.utf8.distance(from: point, to: cell.utf8.endIndex) - 1)
                    }
                }
            }
            let numberStyles = decimals.map { styles.style(decimals: min($0, 30)) }
            for (r, row) in table.rows.enumerated() {
                rows.append(zip(table.columns, row).enumerated().map { c, pair -> Cell? in
                    let (column, cell) = pair
                    if cell.isEmpty { return nil }
                    if let number = numbers[r][c] {
                        // Thousands separators add a character per three integer digits.
                        let integerDigits = number.utf8.prefix { $0 != UInt8(ascii: ".") }.count
                            - (number.hasPrefix("-") ? 1 : 0)
                        measure(c, cell.count + max(0, (integerDigits - 1) / 3))
                        return .number(number, style: numberStyles[c])
                    }
                    let text = column.isText ? ReportTable.guardFormula(cell) : cell
                    measure(c, displayWidth(text))
                    return .text(text, bold: false)
                })
            }
        }
        var xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
            <selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>
            """
        if !widths.isEmpty {
            xml += "<cols>"
            for (c, width) in widths.enumerated() {
                xml += "<col min=\"\(c + 1)\" max=\"\(c + 1)\" width=\"\(min(max(width + 2, 8), 80))\" customWidth=\"1\"/>"
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        for (r, row) in rows.enumerated() where !row.isEmpty {
            xml += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                guard let cell else { continue }
                let reference = Worksheet.cellName(column: c, row: r + 1)
                switch cell {
                case .number(let text, let style):
                    xml += "<c r=\"\(reference)\" s=\"\(style)\"><v>\(text)</v></c>"
                case .text(let text, let bold):
                    let space = text.first.map(\.isWhitespace) == true || text.last.map(\.isWhitespace) == true
                        ? " xml:space=\"preserve\"" : ""
                    xml += "<c r=\"\(reference)\"\(bold ? " s=\"1\"" : "") t=\"inlineStr\"><is><t\(space)>\(escape(text))</t></is></c>"
                }
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    /// Columns a text takes: two for a wide (CJK, full-width) character, one otherwise.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
                 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                width + 2
            default:
                width + 1
            }
        }
    }

    /// Text as XML character data or an attribute value. Characters XML 1.0 cannot hold are
    /// written as spreadsheet escapes (`_x0001_`), a carriage return as a character reference
    /// (a parser would turn a raw one into a line feed), and an underscore that would read as
    /// the start of such an escape as `_x005F_`.
    static func escape(_ text: String) -> String {
        var out = ""
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "_" where looksLikeEscape(scalars, at: index): out += "_x005F_"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "_x" + String(format: "%04X", scalar.value) + "_"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    private static func looksLikeEscape(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + 6 < scalars.count, scalars[index + 1] == "x", scalars[index + 6] == "_" else { return false }
        return scalars[(index + 2)...(index + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
    }
}

/// The workbook of an allocation: one sheet per scenario (the per-county table), then a summary
/// sheet (scenario totals, and subtotals by prefecture when the table has a parent column), then
/// a policy sheet (every value with its source).
public enum AllocationWorkbook {
    public static func bytes(_ report: AllocationReport) -> [UInt8] {
        let zh = report.language == .zh
        // Money in the report's unit (万元 with every decimal a value needs, never rounded).
        func shown(_ table: ReportTable) -> ReportTable { table.inMoneyUnit(report.moneyUnit).table }
        var sheets: [WorkbookSheet] = []
        for (s, run) in report.allocation.scenarios.enumerated() {
            sheets.append(WorkbookSheet(name: run.scenario.name, tables: [shown(report.scenarioTable(s))]))
        }
        sheets.append(WorkbookSheet(name: zh ? "汇总" : "Summary",
                                    tables: [shown(report.totalsTable)] + (report.prefectureTable.map { [shown($0)] } ?? [])))
        sheets.append(WorkbookSheet(name: zh ? "政策" : "Policy", tables: [report.policyTable]))
        return WorkbookWriter.bytes(sheets, language: report.language)
    }
}
