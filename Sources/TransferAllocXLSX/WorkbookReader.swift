import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TransferAlloc

/// Reads a table input that is an .xlsx workbook: one worksheet as rows of text cells, which the
/// table readers then read as they read CSV (header row, cell rules, errors).
///
/// A workbook is told from a CSV file by its content: a zip package (`PK\u{3}\u{4}`). An Excel
/// 97–2003 file (.xls, an OLE2 compound file) is refused with a message saying to save it as
/// .xlsx. Cells:
///
/// - a number is the shortest decimal that reads back as its stored double (`ShortestDecimal`);
/// - text (shared or inline strings, rich text joined) is text, trimmed like a CSV field;
/// - a formula is its saved value (a formula never calculated and saved is an error);
/// - a boolean is `TRUE` or `FALSE`;
/// - an error value (`#DIV/0!`, `#N/A` …) is an error naming the sheet, the cell and the value.
///
///     let sheet = try WorkbookReader.worksheet(bytes: bytes, file: "settlement.xlsx", sheet: nil)
///     let table = try sheet.table()   // title rows above the header skipped
public enum WorkbookReader {
    /// What an input file's first bytes say it is.
    public enum Kind: Sendable, Equatable {
        /// A zip package: read as an .xlsx workbook.
        case workbook
        /// An OLE2 compound file: an Excel 97–2003 .xls, which is refused.
        case oldExcel
        /// Anything else: read as CSV text.
        case text
    }

    /// Most cells one sheet may hand on, counting the empty ones left of a value in each row:
    /// 2,000,000 (a county table has tens of thousands).
    public static let maxCells = 2_000_000

    /// The kind of an input by its first bytes.
    public static func kind(of bytes: [UInt8]) -> Kind {
        if bytes.starts(with: WorkbookPackage.zipMagic) { return .workbook }
        if bytes.starts(with: WorkbookPackage.oleMagic) { return .oldExcel }
        return .text
    }

    /// A table input as the library reads it: a workbook's sheet already read into rows, or the
    /// bytes of a CSV file.
    ///
    /// - Parameter sheet: the worksheet to read (nil: the first); used for workbooks only.
    /// - Throws: `InputError` for an .xls file and every error of `worksheet(bytes:file:sheet:)`.
    public static func source(name: String, bytes: [UInt8], sheet: String?) throws(InputError) -> RunRequest.Source {
        switch kind(of: bytes) {
        case .text:
            // A sheet named for a text file would be ignored; say so rather than read the file anyway.
            if let sheet {
                throw InputError(file: name, value: sheet,
                                 problem: "names a worksheet, but the file is a CSV table, not a workbook",
                                 accepted: "a sheet name only for an .xlsx workbook")
            }
            return RunRequest.Source(name: name, bytes: bytes)
        case .oldExcel:
            throw InputError(file: name, problem: "is an Excel 97–2003 workbook (.xls), which is not read",
                             accepted: "an .xlsx workbook or a CSV file (in Excel or WPS: Save As, Excel Workbook .xlsx)")
        case .workbook:
            return RunRequest.Source(name: name, bytes: bytes,
                                     worksheet: try worksheet(bytes: bytes, file: name, sheet: sheet))
        }
    }

    /// Reads one worksheet of an .xlsx workbook.
    ///
    /// - Parameter sheet: the sheet's name (nil: the workbook's first worksheet).
    /// - Throws: `InputError` for a damaged or truncated package, a part larger than the caps
    ///   (`WorkbookPackage.maxPartBytes`), XML that does not parse, a sheet that does not exist,
    ///   and a cell holding an error value or a formula without a saved value.
    /// - Complexity: O(size of the parts read); memory bounded by the caps.
    public static func worksheet(bytes: [UInt8], file: String, sheet: String?) throws(InputError) -> Worksheet {
        var package = try WorkbookPackage(bytes: bytes, file: file)
        let rootRels = RelationshipsDelegate()
        if let data = try package.part("_rels/.rels") { try parse(data, "_rels/.rels", rootRels, file: file) }
        let workbookPath = rootRels.targets.first { $0.type.hasSuffix("/officeDocument") }
            .map { resolve($0.target, from: "") } ?? "xl/workbook.xml"
        guard let workbookData = try package.part(workbookPath) else {
            throw WorkbookPackage.malformed(file, problem: "is a zip file but not an .xlsx workbook (it has no \(workbookPath))")
        }
        let workbook = WorkbookDelegate()
        try parse(workbookData, workbookPath, workbook, file: file)
        let directory = workbookPath.contains("/") ? String(workbookPath[...workbookPath.lastIndex(of: "/")!]) : ""
        let relsPath = directory + "_rels/" + workbookPath.split(separator: "/").last! + ".rels"
        let workbookRels = RelationshipsDelegate()
        if let data = try package.part(relsPath) { try parse(data, relsPath, workbookRels, file: file) }
        func target(_ id: String) -> (type: String, path: String)? {
            workbookRels.targets.first { $0.id == id }.map { ($0.type, resolve($0.target, from: directory)) }
        }
        let worksheets = workbook.sheets.filter { target($0.relationship)?.type.hasSuffix("/worksheet") ?? false }
        let chosen: (name: String, relationship: String)
        if let sheet {
            guard let found = workbook.sheets.first(where: { $0.name == sheet }) else {
                throw InputError(file: file, value: sheet, problem: "is not a sheet of the workbook",
                                 accepted: "one of its sheets: \(workbook.sheets.map(\.name).joined(separator: ", "))")
            }
            guard worksheets.contains(where: { $0.name == sheet }) else {
                throw InputError(file: file, value: sheet, problem: "is a sheet without cells (a chart or dialog sheet)",
                                 accepted: "a worksheet: \(worksheets.map(\.name).joined(separator: ", "))")
            }
            chosen = found
        } else {
            guard let first = worksheets.first else {
                throw WorkbookPackage.malformed(file, problem: "has no worksheet")
            }
            chosen = first
        }
        let label = Worksheet.label(file: file, sheet: chosen.name)
        guard let sheetPath = target(chosen.relationship)?.path, let sheetData = try package.part(sheetPath) else {
            throw WorkbookPackage.malformed(label, problem: "is missing from the package")
        }
        var strings: [String] = []
        if let stringsPath = workbookRels.targets.first(where: { $0.type.hasSuffix("/sharedStrings") })
            .map({ resolve($0.target, from: directory) }), let data = try package.part(stringsPath) {
            let delegate = SharedStringsDelegate(maxItems: maxCells)
            try parse(data, stringsPath, delegate, file: file)
            strings = delegate.strings
        }
        let delegate = SheetDelegate(maxCells: maxCells)
        do throws(WorkbookXML.Malformed) {
            try WorkbookXML.parse(sheetData, delegate)
        } catch {
            if let bad = delegate.badReference {
                throw WorkbookPackage.malformed(label, problem: "has a damaged cell reference \(bad) (rows and cells out of order)")
            }
            if delegate.cells.count > maxCells { throw tooManyCells(label) }
            throw WorkbookPackage.malformed(label, problem: "is not well-formed XML (part \(sheetPath), line \(error.line))")
        }
        return Worksheet(file: file, name: chosen.name,
                         rows: try rows(delegate.cells, strings: strings, label: label))
    }

    private static func tooManyCells(_ label: String) -> InputError {
        InputError(file: label, problem: "has more than \(maxCells) cells (empty cells left of a value included)",
                   accepted: "one table of one row per county or scenario (is this the right sheet?)")
    }

    private static func parse(_ data: Data, _ part: String, _ delegate: XMLParserDelegate, file: String) throws(InputError) {
        do throws(WorkbookXML.Malformed) {
            try WorkbookXML.parse(data, delegate)
        } catch {
            throw WorkbookPackage.malformed(file, problem: "has a part that is not well-formed XML (\(part), line \(error.line))")
        }
    }

    /// A relationship target as a package path: absolute (`/xl/…`) or relative to `directory`.
    static func resolve(_ target: String, from directory: String) -> String {
        let joined = target.hasPrefix("/") ? String(target.dropFirst()) : directory + target
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            if part == ".." { _ = parts.popLast() } else if part != "." { parts.append(part) }
        }
        return parts.joined(separator: "/")
    }

    /// Groups the cells into rows of text cells, blank rows left out.
    static func rows(_ cells: [SheetDelegate.Cell], strings: [String], label: String) throws(InputError) -> [Worksheet.Row] {
        var rows: [Worksheet.Row] = []
        var padded = 0
        var index = 0
        while index < cells.count {
            let number = cells[index].row
            var texts: [String] = []
            while index < cells.count, cells[index].row == number {
                let cell = cells[index]
                let text = try self.text(cell, strings: strings, label: label)
                if !text.isEmpty {
                    padded += cell.column - texts.count + 1
                    if padded > maxCells { throw tooManyCells(label) }
                    texts += Array(repeating: "", count: cell.column - texts.count)
                    texts.append(text)
                }
                index += 1
            }
            if !texts.isEmpty { rows.append(Worksheet.Row(number: number, cells: texts)) }
        }
        return rows
    }

    /// One cell's text by its type.
    static func text(_ cell: SheetDelegate.Cell, strings: [String], label: String) throws(InputError) -> String {
        let name = Worksheet.cellName(column: cell.column, row: cell.row)
        func failure(problem: String, accepted: String) -> InputError {
            InputError(file: label, line: cell.row, value: cell.hasFormula && cell.value.isEmpty ? "=" + cell.formula : cell.value,
                       problem: problem, accepted: accepted, cell: name)
        }
        // Excel leaves the value out, other writers leave it empty; a text result may be empty.
        if cell.hasFormula && (!cell.hasValue || (cell.value.isEmpty && cell.type != "str")) {
            throw failure(problem: "has a formula whose value was never saved", accepted: "a workbook saved by Excel or WPS after calculating (open it, recalculate and save)")
        }
        switch cell.type {
        case "n":
            let value = cell.value.trimmedUnicode
            if value.isEmpty { return "" }
            guard let number = Double(value), number.isFinite else {
                throw failure(problem: "is a number cell whose value is not a number", accepted: "a number, as Excel stores it")
            }
            return ShortestDecimal.text(number)
        case "s":
            guard let i = Int(cell.value.trimmedUnicode), strings.indices.contains(i) else {
                throw failure(problem: "refers to a shared string the workbook does not have", accepted: "an undamaged workbook (save it again)")
            }
            return unescape(strings[i]).trimmedUnicode
        case "inlineStr", "str", "d":
            return unescape(cell.value).trimmedUnicode
        case "b":
            switch cell.value.trimmedUnicode {
            case "1": return "TRUE"
            case "0": return "FALSE"
            default: throw failure(problem: "is a boolean cell that is neither 0 nor 1", accepted: "TRUE or FALSE")
            }
        case "e":
            throw failure(problem: "is an error value (a formula that failed)", accepted: "a number or text: correct the formula in the workbook")
        default:
            throw InputError(file: label, line: cell.row, value: cell.type, problem: "has an unknown cell type",
                             accepted: "a cell of a workbook saved by Excel or WPS", cell: name)
        }
    }

    /// Undoes the `_xHHHH_` escapes spreadsheet XML uses for characters XML cannot hold
    /// (`_x000D_` is a carriage return; `_x005F_` escapes an underscore).
    static func unescape(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var out = ""
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first {
            if first == "_", scalars.count >= 7 {
                let candidate = scalars.prefix(7)
                let chars = Array(candidate)
                if chars[1] == "x", chars[6] == "_",
                   let code = UInt32(String(String.UnicodeScalarView(chars[2...5])), radix: 16),
                   let scalar = Unicode.Scalar(code) {
                    out.unicodeScalars.append(scalar)
                    scalars = scalars.dropFirst(7)
                    continue
                }
            }
            out.unicodeScalars.append(first)
            scalars = scalars.dropFirst()
        }
        return out
    }
}
