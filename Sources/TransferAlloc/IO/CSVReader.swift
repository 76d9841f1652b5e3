import BigInt

/// One data row of a CSV file, its fields unquoted and trimmed.
///
///     CSVRecord(line: 3, fields: ["320506", "吴中区"])
public struct CSVRecord: Sendable, Equatable {
    /// 1-based physical line where the record starts (a quoted field may continue it on later lines).
    public var line: Int
    /// The fields, unquoted and trimmed (`trimmedUnicode`); as many as the header has.
    public var fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// A CSV file as read: its header and its rows, every row as wide as the header.
public struct CSVTable: Sendable {
    /// The file as the user named it, for messages.
    public var file: String
    /// The encoding the file was read in (given or detected).
    public var encoding: TextEncoding
    /// 1-based physical line of the header (1 unless blank lines precede it).
    public var headerLine: Int
    /// The header names, unquoted and trimmed, as written (no matching to keys here).
    public var header: [String]
    /// The data rows in file order; empty for a header-only file (callers report "empty table").
    public var records: [CSVRecord]

    public init(file: String, encoding: TextEncoding, headerLine: Int, header: [String],
                records: [CSVRecord]) {
        self.file = file
        self.encoding = encoding
        self.headerLine = headerLine
        self.header = header
        self.records = records
    }
}

/// Reads CSV files (RFC 4180 with the contract's cell rules, §2.1 and §8).
///
/// Comma separator; fields may be quoted with `"`, a quote inside written `""`; a quoted field may
/// hold commas and line breaks. Lines end in LF, CRLF or a lone CR. Every field and header name
/// is trimmed of Unicode white space after unquoting. A completely empty line is skipped; any
/// other line is a row, and every row must have exactly as many fields as the header.
/// White space around a quoted field (`a, "1,234" ,b`) is allowed, since cells are trimmed anyway.
///
///     let table = try CSVReader.parse(text: "code,name\n320506,\"吴中区\"\n",
///                                     file: "s.csv", encoding: .utf8)
///     // table.header == ["code", "name"]
///     // table.records == [CSVRecord(line: 2, fields: ["320506", "吴中区"])]
public enum CSVReader {
    /// Longest row, as UTF-8 text from its first byte to its line break (quoted line breaks
    /// included): 1 MiB. A settlement or budget row is a few hundred bytes; the limit turns a
    /// wrong file, or a quote never closed in a huge one, into an early error.
    public static let maxRecordBytes = InputFile.maxLineBytes

    /// Most fields in one row (header included): 10,000.
    public static let maxColumns = 10_000

    /// Most cells (fields of the header and every row together): 50,000,000. With the two
    /// limits above it bounds the memory a table can take (about 16 bytes per empty cell), so a
    /// file of commas cannot turn one gigabyte into sixteen.
    public static let maxCells = 50_000_000

    /// Detects (unless `encoding` is given) and decodes the bytes, then parses them.
    ///
    ///     // GB18030 bytes of "区划代码\n320506\n":
    ///     let table = try CSVReader.read(
    ///         bytes: [0xC7, 0xF8, 0xBB, 0xAE, 0xB4, 0xFA, 0xC2, 0xEB, 0x0A,
    ///                 0x33, 0x32, 0x30, 0x35, 0x30, 0x36, 0x0A],
    ///         file: "s.csv")
    ///     // table.encoding == .gb18030, table.header == ["区划代码"],
    ///     // table.records == [CSVRecord(line: 2, fields: ["320506"])]
    ///
    /// - Throws: `InputError` for bytes invalid in the encoding, NUL bytes, and every error
    ///   `parse(text:file:encoding:)` reports.
    /// - Complexity: O(n) in the file size.
    public static func read(bytes: [UInt8], file: String,
                            encoding: TextEncoding? = nil) throws(InputError) -> CSVTable {
        let chosen = encoding ?? TextEncoding.detect(bytes)
        let text = try TextEncoding.decode(bytes, as: chosen, file: file)
        return try parse(text: text, file: file, encoding: chosen)
    }

    /// Parses decoded CSV text.
    ///
    ///     try CSVReader.parse(text: "a,b\n1\n", file: "s.csv", encoding: .utf8)
    ///     // throws: s.csv, line 2, column b: is missing: the row has 1 field, but the header
    ///     //         on line 1 has 2; expected 2 fields, one per header column; …
    ///
    /// - Parameter encoding: recorded in the result only (the text is already decoded).
    /// - Throws: `InputError` for a file without a header ("empty file"), a row whose field count
    ///   differs from the header's, a quote never closed (named at the line where the quoted
    ///   field starts), characters after a closing quote, a quote inside an unquoted field, and
    ///   a table beyond the limits `maxRecordBytes`, `maxColumns` or `maxCells` (found as soon as
    ///   the row that crosses them is read). A header without rows is not an error here.
    /// - Complexity: O(n) in the text's UTF-8 length.
    public static func parse(text: String, file: String,
                             encoding: TextEncoding) throws(InputError) -> CSVTable {
        try parse(text: text, file: file, encoding: encoding, limits: .standard)
    }

    /// The limits a parse enforces; tests use smaller ones than `standard`.
    struct Limits {
        var recordBytes: Int
        var columns: Int
        var cells: Int
        static let standard = Limits(recordBytes: CSVReader.maxRecordBytes, columns: CSVReader.maxColumns,
                                     cells: CSVReader.maxCells)
    }

    static func parse(text: String, file: String, encoding: TextEncoding,
                      limits: Limits) throws(InputError) -> CSVTable {
        var text = text
        // withUTF8 gives contiguous bytes (copying only a bridged or lazy string); the parser
        // then works on bytes, never on Characters, which keeps it linear and fast.
        let result = text.withUTF8 { bytes -> Result<CSVTable, InputError> in
            var parser = CSVParser(bytes: bytes, file: file, limits: limits)
            return Result { () throws(InputError) -> CSVTable in
                let (headerLine, header, records) = try parser.parseAll()
                return CSVTable(file: file, encoding: encoding, headerLine: headerLine,
                                header: header, records: records)
            }
        }
        return try result.get()
    }
}

/// The byte-level state machine behind `CSVReader.parse`. Every loop advances `position`, so it
/// ends on any input; there is no recursion and no force-unwrap of anything read from the input.
private struct CSVParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    var position = 0
    /// Physical line of `position`.
    var line = 1
    var header: [String]?
    /// Reused buffer for the unescaped content of quoted fields.
    var scratch: [UInt8] = []
    /// First byte offset the current record may not reach without a line break
    /// (`CSVReader.maxRecordBytes` after its start).
    var recordLimit = Int.max
    /// Fields read so far, header included (`CSVReader.maxCells`).
    var cells = 0

    static let quote: UInt8 = 0x22
    static let comma: UInt8 = 0x2C
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    let limits: CSVReader.Limits

    init(bytes: UnsafeBufferPointer<UInt8>, file: String, limits: CSVReader.Limits) {
        self.limits = limits
        self.bytes = bytes
        self.file = file
        // A BOM left in the text would glue itself to the first header name (U+FEFF is not
        // white space, so trimming would keep it).
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    mutating func parseAll() throws(InputError) -> (Int, [String], [CSVRecord]) {
        var headerLine = 0
        var records: [CSVRecord] = []
        let count = bytes.count
        while position < count {
            // A completely empty line: nothing before its line break.
            if consumeLineBreak() { continue }
            let recordLine = line
            let fields = try parseRecord(recordLine: recordLine)
            cells += fields.count
            if cells > limits.cells {
                throw InputError(
                    file: file, line: recordLine,
                    problem: "takes the table past \(TransferAlloc.Limits.grouped(.init(limits.cells))) cells "
                        + "(rows × columns, header included), the most a CSV input may have",
                    accepted: "a table of at most \(TransferAlloc.Limits.grouped(.init(limits.cells))) cells: "
                        + "one row per county or scenario (is this the right file?)")
            }
            guard let header else {
                self.header = fields
                headerLine = recordLine
                continue
            }
            if fields.count != header.count {
                throw raggedRow(fields: fields, header: header, headerLine: headerLine,
                                recordLine: recordLine)
            }
            records.append(CSVRecord(line: recordLine, fields: fields))
        }
        guard let header else {
            throw InputError(file: file, problem: "empty file", accepted: "a header row")
        }
        return (headerLine, header, records)
    }

    /// Consumes one LF, CRLF or lone CR at `position`, counting the line.
    private mutating func consumeLineBreak() -> Bool {
        guard position < bytes.count else { return false }
        switch bytes[position] {
        case Self.lf:
            position += 1
        case Self.cr:
            position += 1
            if position < bytes.count, bytes[position] == Self.lf { position += 1 }
        default:
            return false
        }
        line += 1
        return true
    }

    /// Parses fields up to and including the record's line break (or the end of the text).
    private mutating func parseRecord(recordLine: Int) throws(InputError) -> [String] {
        var fields: [String] = []
        if let header { fields.reserveCapacity(header.count) }
        let count = bytes.count
        recordLimit = position + limits.recordBytes
        while true {
            let field = try parseField(index: fields.count, recordLine: recordLine)
            fields.append(field)
            if fields.count > limits.columns {
                throw InputError(
                    file: file, line: recordLine,
                    problem: "has more than \(TransferAlloc.Limits.grouped(.init(limits.columns))) fields, "
                        + "the most a CSV row may have",
                    accepted: "at most \(TransferAlloc.Limits.grouped(.init(limits.columns))) columns")
            }
            if position < count, bytes[position] == Self.comma {
                position += 1
                if position > recordLimit { throw rowTooLong(recordLine) }
                continue
            }
            _ = consumeLineBreak()  // false only at the end of the text
            return fields
        }
    }

    /// Parses one field starting at `position`; stops at its comma, line break or the end.
    private mutating func parseField(index: Int, recordLine: Int) throws(InputError) -> String {
        let start = position
        let count = bytes.count
        // White space before an opening quote is allowed: the cell is trimmed anyway.
        var look = start
        while look < count {
            let width = whitespaceWidth(at: look)
            if width == 0 { break }
            look += width
            if look > recordLimit { throw rowTooLong(recordLine) }
        }
        if look < count, bytes[look] == Self.quote {
            return try parseQuotedField(openingQuote: look, index: index, recordLine: recordLine)
        }
        var end = start
        while end < count {
            let byte = bytes[end]
            if byte == Self.comma || byte == Self.lf || byte == Self.cr { break }
            if end >= recordLimit { throw rowTooLong(recordLine) }
            if byte == Self.quote {
                throw InputError(
                    file: file, line: recordLine, column: columnName(index),
                    value: snippet(from: start, to: fieldEnd(from: end)),
                    problem: "has a double quote inside an unquoted field",
                    accepted: "the whole field in double quotes with each quote inside doubled, "
                        + "e.g. \"ab\"\"c\" for ab\"c")
            }
            end += 1
        }
        position = end
        return Self.trimmedField(UnsafeBufferPointer(rebasing: bytes[start..<end]))
    }

    private mutating func parseQuotedField(openingQuote: Int, index: Int,
                                           recordLine: Int) throws(InputError) -> String {
        let count = bytes.count
        let quoteLine = line
        scratch.removeAll(keepingCapacity: true)
        var i = openingQuote + 1
        while true {
            guard i < count else {
                throw InputError(
                    file: file, line: quoteLine, column: columnName(index),
                    value: snippet(from: openingQuote, to: lineEnd(from: openingQuote)),
                    problem: "opens a quoted field that is never closed",
                    accepted: "a closing double quote before the end of the file "
                        + "(a quote inside a quoted field is written twice: \"\")")
            }
            if i >= recordLimit {
                throw InputError(
                    file: file, line: quoteLine, column: columnName(index),
                    value: snippet(from: openingQuote, to: lineEnd(from: openingQuote)),
                    problem: "opens a quoted field that runs past \(TransferAlloc.Limits.grouped(.init(limits.recordBytes))) "
                        + "bytes, the longest row a CSV input may have",
                    accepted: "a closing double quote after the field's text "
                        + "(a quote inside a quoted field is written twice: \"\")")
            }
            let byte = bytes[i]
            if byte == Self.quote {
                if i + 1 < count, bytes[i + 1] == Self.quote {
                    scratch.append(Self.quote)
                    i += 2
                    continue
                }
                i += 1
                break
            }
            // Line breaks inside quotes still advance the physical line count.
            if byte == Self.lf {
                line += 1
            } else if byte == Self.cr, !(i + 1 < count && bytes[i + 1] == Self.lf) {
                line += 1
            }
            scratch.append(byte)
            i += 1
        }
        let closingQuote = i - 1
        while i < count {
            let width = whitespaceWidth(at: i)
            if width == 0 { break }
            i += width
            if i > recordLimit { throw rowTooLong(recordLine) }
        }
        if i < count, bytes[i] != Self.comma, bytes[i] != Self.lf, bytes[i] != Self.cr {
            throw InputError(
                file: file, line: recordLine, column: columnName(index),
                value: snippet(from: openingQuote, to: fieldEnd(from: closingQuote + 1)),
                problem: "has characters after the closing quote of a quoted field",
                accepted: "a comma or the end of the line right after the closing quote "
                    + "(a quote inside a quoted field is written twice: \"\")")
        }
        position = i
        return scratch.withUnsafeBufferPointer { Self.trimmedField($0) }
    }

    // MARK: - Helpers

    /// The field's text trimmed of Unicode white space. ASCII white space is cut on the bytes;
    /// `trimmedUnicode` runs only when a non-ASCII byte is left at either end (U+3000, U+00A0…).
    private static func trimmedField(_ field: UnsafeBufferPointer<UInt8>) -> String {
        var low = 0
        var high = field.count
        while low < high, isASCIIWhitespace(field[low]) { low += 1 }
        while high > low, isASCIIWhitespace(field[high - 1]) { high -= 1 }
        if low == high { return "" }
        let text = String(decoding: UnsafeBufferPointer(rebasing: field[low..<high]), as: UTF8.self)
        // Non-ASCII white space (U+0085 … U+3000) starts with one of four lead bytes; only a
        // field whose first or last character starts so needs the Unicode-aware trim.
        var lastLead = high - 1
        while lastLead > low, field[lastLead] & 0xC0 == 0x80 { lastLead -= 1 }
        if mayStartUnicodeWhitespace(field[low]) || mayStartUnicodeWhitespace(field[lastLead]) { return text.trimmedUnicode }
        return text
    }

    /// Lead bytes of the UTF-8 encodings of the non-ASCII White_Space characters.
    private static func mayStartUnicodeWhitespace(_ byte: UInt8) -> Bool {
        byte == 0xC2 || byte == 0xE1 || byte == 0xE2 || byte == 0xE3
    }

    /// The ASCII members of Unicode White_Space: tab, LF, VT, FF, CR, space.
    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// Width in bytes of the white-space character at `i` that is not a line break, else 0.
    /// Covers every Unicode White_Space character (the same set `trimmedUnicode` removes).
    private func whitespaceWidth(at i: Int) -> Int {
        let count = bytes.count
        let byte = bytes[i]
        switch byte {
        case 0x20, 0x09, 0x0B, 0x0C:
            return 1
        case 0xC2:  // U+0085, U+00A0
            guard i + 1 < count else { return 0 }
            return bytes[i + 1] == 0x85 || bytes[i + 1] == 0xA0 ? 2 : 0
        case 0xE1:  // U+1680
            guard i + 2 < count else { return 0 }
            return bytes[i + 1] == 0x9A && bytes[i + 2] == 0x80 ? 3 : 0
        case 0xE2:  // U+2000–200A, U+2028, U+2029, U+202F, U+205F
            guard i + 2 < count else { return 0 }
            let b1 = bytes[i + 1]
            let b2 = bytes[i + 2]
            if b1 == 0x80, (0x80...0x8A).contains(b2) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF {
                return 3
            }
            return b1 == 0x81 && b2 == 0x9F ? 3 : 0
        case 0xE3:  // U+3000
            guard i + 2 < count else { return 0 }
            return bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80 ? 3 : 0
        default:
            return 0
        }
    }

    /// End of the raw field starting before `from`: the next comma or line break (quotes ignored).
    private func fieldEnd(from: Int) -> Int {
        var i = from
        while i < bytes.count, bytes[i] != Self.comma, bytes[i] != Self.lf, bytes[i] != Self.cr {
            i += 1
        }
        return i
    }

    /// End of the physical line holding `from`.
    private func lineEnd(from: Int) -> Int {
        var i = from
        while i < bytes.count, bytes[i] != Self.lf, bytes[i] != Self.cr { i += 1 }
        return i
    }

    /// The raw text `from..<to` for a message, at most 120 bytes and cut on a character boundary
    /// (a hostile file's one-megabyte field must not become a one-megabyte message).
    private func snippet(from: Int, to: Int) -> String {
        var end = min(to, from + 120, bytes.count)
        if end < to {
            while end > from, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        }
        guard from < end else { return "" }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<end]), as: UTF8.self)
        return end < to ? text + "…" : text
    }

    /// The header name of column `index` (0-based) when it has one, else its 1-based number.
    private func columnName(_ index: Int) -> String {
        if let header, index < header.count, !header[index].isEmpty { return header[index] }
        return String(index + 1)
    }

    private func rowTooLong(_ recordLine: Int) -> InputError {
        InputError(
            file: file, line: recordLine,
            problem: "is a row longer than \(TransferAlloc.Limits.grouped(.init(limits.recordBytes))) bytes, "
                + "the longest row a CSV input may have",
            accepted: "short rows: one county or scenario per row (is this the right file?)")
    }

    private func raggedRow(fields: [String], header: [String], headerLine: Int,
                           recordLine: Int) -> InputError {
        let found = fields.count == 1 ? "1 field" : "\(fields.count) fields"
        let expected = header.count == 1 ? "1 field" : "\(header.count) fields"
        // The first missing column, or the first extra one (which has no header name).
        let firstOff = min(fields.count, header.count)
        return InputError(
            file: file, line: recordLine, column: columnName(firstOff),
            value: fields.count > header.count ? fields[header.count] : nil,
            problem: (fields.count > header.count ? "is an extra field" : "is missing")
                + ": the row has \(found), but the header on line \(headerLine) has \(header.count)",
            accepted: "\(expected), one per header column; a value containing a comma "
                + "(such as 1,234) must be in double quotes")
    }
}
