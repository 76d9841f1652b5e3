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
    /// The worksheet's name when the table was read from a workbook (then `file` names the
    /// sheet too, lines are its row numbers and cell errors name the cell, `C7`); nil for CSV.
    public var sheet: String?

    public init(file: String, encoding: TextEncoding, headerLine: Int, header: [String],
                records: [CSVRecord], sheet: String? = nil) {
        self.file = file
        self.encoding = encoding
        self.headerLine = headerLine
        self.header = header
        self.records = records
        self.sheet = sheet
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
        var header: [String] = []
        var headerLine = 0
        var records: [CSVRecord] = []
        try scan(text: text, file: file, limits: limits,
                 header: { headerLine = $0; header = $1 }, record: { records.append($0) })
        return CSVTable(file: file, encoding: encoding, headerLine: headerLine, header: header, records: records)
    }

    /// Like `read(bytes:file:encoding:)`, but hands each record to `record` as it is parsed
    /// instead of keeping them: a reader that turns records into something smaller (the
    /// settlement table) never holds the table of strings. `header` is called once, first.
    ///
    /// - Returns: the encoding read in (given or detected).
    /// - Throws: what `read(bytes:file:encoding:)` throws, after the records before the
    ///   problem were handed over (a caller keeps what it derived from them until this returns).
    public static func scan(bytes: [UInt8], file: String, encoding: TextEncoding? = nil,
                            header: (_ line: Int, _ names: [String]) -> Void,
                            record: (CSVRecord) -> Void) throws(InputError) -> TextEncoding {
        let chosen = encoding ?? TextEncoding.detect(bytes)
        guard chosen == .utf8 else {
            let text = try TextEncoding.decode(bytes, as: chosen, file: file)
            try scan(text: text, file: file, limits: .standard, header: header, record: record)
            return chosen
        }
        // UTF-8 is parsed in place once checked: a decoded copy would double the file's memory.
        let result = bytes.withUnsafeBufferPointer { buffer -> Result<Void, InputError> in
            if let problem = TextEncoding.utf8Problem(buffer, file: file) { return .failure(problem) }
            let parser = CSVParser(bytes: buffer, file: file, limits: .standard)
            return Result { () throws(InputError) in try parser.parseAll(header: header, record: record) }
        }
        try result.get()
        return chosen
    }

    static func scan(text: String, file: String, limits: Limits, header: (Int, [String]) -> Void,
                     record: (CSVRecord) -> Void) throws(InputError) {
        var text = text
        // withUTF8 gives contiguous bytes (copying only a bridged or lazy string); the parser
        // then works on bytes, never on Characters, which keeps it linear and fast.
        let result = text.withUTF8 { bytes -> Result<Void, InputError> in
            let parser = CSVParser(bytes: bytes, file: file, limits: limits)
            return Result { () throws(InputError) in try parser.parseAll(header: header, record: record) }
        }
        try result.get()
    }
}

/// `CSVReader.parse` on the shared tokenizer: the whole text is one final chunk, already
/// decoded (so nothing is validated again); the header, the field count of each row and the
/// table-wide cell limit are this reader's.
private struct CSVParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    let limits: CSVReader.Limits

    init(bytes: UnsafeBufferPointer<UInt8>, file: String, limits: CSVReader.Limits) {
        self.bytes = bytes
        self.file = file
        self.limits = limits
    }

    func parseAll(header onHeader: (Int, [String]) -> Void, record onRecord: (CSVRecord) -> Void) throws(InputError) {
        var tokenizer = CSVTokenizer(file: file, encoding: .utf8, validatesEncoding: false,
                                     maxRecordBytes: limits.recordBytes)
        defer { tokenizer.release() }
        var header: [String]?
        var headerLine = 0
        var cells = 0
        var line = 1
        let count = bytes.count
        guard let base = bytes.baseAddress else {
            throw InputError(file: file, problem: "empty file", accepted: "a header row")
        }
        // A BOM left in the text would glue itself to the first header name (U+FEFF is not
        // white space, so trimming would keep it).
        // Two are dropped, as the decoded path does (its decoder drops one, its parser the next).
        var position = 0
        for _ in 0..<2 where count >= position + 3 && base[position] == 0xEF && base[position + 1] == 0xBB
            && base[position + 2] == 0xBF {
            position += 3
        }
        while position < count {
            if tokenizer.skipLineBreak(base, at: &position, line: &line) { continue }
            let recordLine = line
            let step = try tokenizer.next(base, count: count, at: position, line: recordLine, final: true,
                                          maxFields: limits.columns)
            guard case .record(let end) = step else {
                throw InputError(
                    file: file, line: recordLine,
                    problem: "has more than \(TransferAlloc.Limits.grouped(.init(limits.columns))) fields, "
                        + "the most a CSV row may have",
                    accepted: "at most \(TransferAlloc.Limits.grouped(.init(limits.columns))) columns")
            }
            var fields: [String] = []
            fields.reserveCapacity(tokenizer.fieldCount)
            for index in 0..<tokenizer.fieldCount { fields.append(tokenizer.fieldText(index)) }
            line += 1 + tokenizer.extraLines
            position = end
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
                header = fields
                headerLine = recordLine
                tokenizer.columnLabels = fields.enumerated().map { $1.isEmpty ? String($0 + 1) : $1 }
                onHeader(headerLine, fields)
                continue
            }
            if fields.count != header.count {
                throw raggedRow(fields: fields, header: header, headerLine: headerLine, recordLine: recordLine)
            }
            onRecord(CSVRecord(line: recordLine, fields: fields))
        }
        guard header != nil else {
            throw InputError(file: file, problem: "empty file", accepted: "a header row")
        }
    }

    /// The header name of column `index` (0-based) when it has one, else its 1-based number.
    private func columnName(_ index: Int, header: [String]) -> String {
        if index < header.count, !header[index].isEmpty { return header[index] }
        return String(index + 1)
    }

    private func raggedRow(fields: [String], header: [String], headerLine: Int,
                           recordLine: Int) -> InputError {
        let found = fields.count == 1 ? "1 field" : "\(fields.count) fields"
        let expected = header.count == 1 ? "1 field" : "\(header.count) fields"
        // The first missing column, or the first extra one (which has no header name).
        let firstOff = min(fields.count, header.count)
        return InputError(
            file: file, line: recordLine, column: columnName(firstOff, header: header),
            value: fields.count > header.count ? fields[header.count] : nil,
            problem: (fields.count > header.count ? "is an extra field" : "is missing")
                + ": the row has \(found), but the header on line \(headerLine) has \(header.count)",
            accepted: "\(expected), one per header column; a value containing a comma "
                + "(such as 1,234) must be in double quotes")
    }
}
