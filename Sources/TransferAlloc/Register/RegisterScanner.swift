import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the register's header says: which column is which (contract §6).
struct RegisterLayout: Sendable {
    var encoding: TextEncoding
    var header: [String]
    var headerLine: Int
    /// Column index of each register column present (`person_id` may be absent).
    var destIndex: Int
    var originIndex: Int
    var dateIndex: Int
    var idIndex: Int?
    /// Contract §10.8: the column that says whether a row is counted, when the register has one.
    var agriculturalIndex: Int?
    var unknownHeaders: [String]

    var columnCount: Int { header.count }

    func key(_ index: Int) -> String? {
        switch index {
        case destIndex: "dest_code"
        case originIndex: "origin_code"
        case dateIndex: "settle_date"
        case idIndex: "person_id"
        case agriculturalIndex: "agricultural"
        default: nil
        }
    }

    /// `3 (落户日期 = settle_date)`, as every other input names a column.
    func label(_ index: Int) -> String {
        guard index < header.count else { return String(index + 1) }
        return CellReader.columnLabel(index: index, header: header[index], key: key(index))
    }
}

/// A failure inside one part of the file: its lines are relative to that part until the
/// parts are put together (see `RegisterFile`).
struct RegisterFailure: Error {
    var error: InputError
    /// For a repeated person_id: the earlier line, relative like `error.line`.
    var earlierLine: Int?

    init(_ error: InputError, earlierLine: Int? = nil) {
        self.error = error
        self.earlierLine = earlierLine
    }

    /// The message with absolute lines: `lineOffset` lines precede the part.
    func resolved(lineOffset: Int, earlierOffset: Int? = nil) -> InputError {
        var error = error
        if let line = error.line { error.line = line + lineOffset }
        if let earlierLine {
            let earlier = earlierLine + (earlierOffset ?? lineOffset)
            error.problem = "repeats the person_id of line \(earlier)"
        }
        return error
    }
}

/// The register reader: one part of the file (all of it, or one half), fed in chunks,
/// tallying as it goes. See `RegisterAggregator` for the public face.
///
/// The bytes go through a reusable buffer; records are read by `CSVTokenizer`, the grammar
/// every CSV input is read with, on the raw bytes (each non-ASCII field validated in the file's
/// encoding as it is read); a record cut by the end of the buffer is moved to the front and
/// completed by the next read. No `String` is made per row: codes are interned by bytes, dates
/// parsed from bytes. Rows of the common shape are recognised before the tokenizer by
/// `RegisterFastRow`, which hands every other row to it.
struct RegisterScanner {
    /// Bytes readable after `filled`: the sentinel line break and room for 8-byte loads.
    static let padding = 32
    static let initialCapacity = 1 << 17
    /// A record longer than this is rejected (a quote never closed in a huge file would
    /// otherwise hold the whole file in memory).
    static let maxRecordBytes = 64 << 20

    let file: String
    let year: Int
    let priorYears: Int
    /// `--prior-by-origin`: each prior year by its three origin columns (3 counts per year).
    let priorByOrigin: Bool
    /// Renamed codes, applied to both codes of a row before classifying and counting.
    let codeMap: CodeMapIndex?
    /// Where this part starts in the file (for re-reading an earlier line).
    let partStart: Int
    private(set) var layout: RegisterLayout? {
        didSet {
            if let layout {
                columns = Columns(layout)
                tokenizer.columnLabels = (0..<layout.columnCount).map(layout.label)
            }
        }
    }
    /// The layout's indices as plain integers: the per-row code must not copy the layout's
    /// arrays (and their reference counts).
    struct Columns {
        var columnCount = Int.max
        var destIndex = 0
        var originIndex = 0
        var dateIndex = 0
        var idIndex: Int?
        var agriculturalIndex: Int?
        /// Which fast row shape the layout allows (see `RegisterFastRow`).
        var fast = RegisterFastRow.Shape.none
        /// The agricultural cells the fast rows read, when the shape ends with that column.
        var fastTruth: RegisterFastRow.TruthCells?

        init() {}

        init(_ layout: RegisterLayout) {
            columnCount = layout.columnCount
            destIndex = layout.destIndex
            originIndex = layout.originIndex
            dateIndex = layout.dateIndex
            idIndex = layout.idIndex
            agriculturalIndex = layout.agriculturalIndex
            fast = RegisterFastRow.Shape(columnCount: columnCount, destIndex: destIndex,
                                         originIndex: originIndex, dateIndex: dateIndex, idIndex: idIndex,
                                         agriculturalIndex: agriculturalIndex)
            if agriculturalIndex != nil { fastTruth = RegisterFastRow.TruthCells(encoding: layout.encoding) }
        }
    }
    private var columns = Columns()
    /// When false, every row goes through the tokenizer (tests and the fuzzer compare the paths).
    let usesFastRows: Bool
    /// Forced or detected encoding; nil until the first 64 KiB (or the whole input) are in.
    private(set) var encoding: TextEncoding? {
        didSet { tokenizer.encoding = encoding ?? .utf8 }
    }
    /// The CSV grammar; its fields are those of the record just read.
    private var tokenizer: CSVTokenizer

    // Buffer: bytes [0, filled) not yet consumed, starting at part offset `bufferOffset`.
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private(set) var filled = 0
    private(set) var bufferOffset = 0
    private var atStart: Bool

    /// Line (relative to the part, 1-based) where the next record starts.
    private(set) var line = 1
    /// Trimmed UTF-8 values of non-ASCII fields: one buffer per register column, so the
    /// pointers of one record's values stay valid together.
    private var decoded: [UnsafeMutablePointer<UInt8>]
    private var decodedCapacity: [Int]

    /// Exact person_id keys waiting to be inserted: each is inserted `pendingLimit` rows after
    /// its row, so that the cache miss on its slot (loaded ahead) overlaps the rows between.
    private var pendingKeys: UnsafeMutablePointer<PersonIDKey>
    private var pendingLines: UnsafeMutablePointer<Int>
    private var pendingHead = 0
    private var pendingCount = 0
    private static let pendingLimit = 16

    // Results.
    var tally: CountyTally
    /// Rows per calendar year outside Y−K…Y, indexed by year (0…9999).
    var ignoredByYear: [Int]
    var rows = 0
    /// Rows whose agricultural cell is false or empty (§10.8): checked, not counted.
    var excluded = 0
    let ids: PersonIDSet
    let source: (any RegisterSource)?
    /// The hashed person_ids read so far, when the source cannot be re-read (a pipe): what
    /// settles a shared hash without going back.
    let keptIDs: KeptPersonIDs?
    /// Set by `lookup` mode: stop at the record starting on this line and keep its person_id.
    var lookupLine: Int?
    var foundID: [UInt8]?

    init(file: String, year: Int, priorYears: Int, priorByOrigin: Bool = false, codeMap: CodeMapIndex? = nil,
         encoding: TextEncoding?, partStart: Int = 0,
         layout: RegisterLayout? = nil, source: (any RegisterSource)?, ids: PersonIDSet = PersonIDSet(),
         fastRows: Bool = true) {
        self.file = file
        self.usesFastRows = fastRows
        tokenizer = CSVTokenizer(file: file, encoding: layout?.encoding ?? encoding ?? .utf8, validatesEncoding: true,
                                 maxPendingBytes: RegisterScanner.maxRecordBytes)
        self.year = year
        self.priorYears = priorYears
        self.priorByOrigin = priorByOrigin
        self.codeMap = codeMap
        self.encoding = layout?.encoding ?? encoding
        self.partStart = partStart
        self.layout = layout
        if let layout {
            columns = Columns(layout)
            tokenizer.columnLabels = (0..<layout.columnCount).map(layout.label)
        }
        self.source = source
        self.ids = ids
        keptIDs = source?.isRereadable == true ? nil : KeptPersonIDs()
        atStart = partStart == 0
        capacity = RegisterScanner.initialCapacity
        buffer = .allocate(capacity: capacity + RegisterScanner.padding)
        decoded = RegisterColumn.allCases.map { _ in .allocate(capacity: 64 + RegisterScanner.padding) }
        decodedCapacity = Array(repeating: 64, count: RegisterColumn.allCases.count)
        pendingKeys = .allocate(capacity: RegisterScanner.pendingLimit)
        pendingLines = .allocate(capacity: RegisterScanner.pendingLimit)
        tally = CountyTally(width: RegisterScanner.width(priorYears: priorYears, byOrigin: priorByOrigin))
        for value in codeMap?.columnChangingDestinations ?? [] { tally.markMappedFirst(sixDigitValue: value) }
        ignoredByYear = Array(repeating: 0, count: 10_000)
    }

    /// Counts per county: the three origin columns, then per prior year one total or (by
    /// origin) three.
    static func width(priorYears: Int, byOrigin: Bool) -> Int {
        3 + (byOrigin ? 3 : 1) * priorYears
    }

    /// Frees the buffers (a struct cannot have a deinit; the owner calls this once).
    func release() {
        buffer.deallocate()
        tokenizer.release()
        for pointer in decoded { pointer.deallocate() }
        pendingKeys.deallocate()
        pendingLines.deallocate()
    }

    // MARK: - Feeding

    /// Room to read into: `count` bytes at `pointer`. Call `didFill(_:)` with how many arrived.
    mutating func writableSpace() -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: buffer + filled, count: capacity - filled)
    }

    mutating func didFill(_ count: Int) {
        filled += count
    }

    /// Copies a chunk in, scanning every time the buffer fills.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(RegisterFailure) {
        var offset = 0
        while offset < bytes.count {
            let space = writableSpace()
            let n = min(space.count, bytes.count - offset)
            space.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: n)
            didFill(n)
            offset += n
            // Scan at every chunk's end, so a test that feeds tiny chunks exercises every
            // place a record can be cut.
            try drain(final: false)
        }
    }

    /// Scans every complete record in the buffer and keeps the incomplete rest for the next
    /// chunk; with `final`, the input has ended and everything must be consumed.
    mutating func drain(final: Bool) throws(RegisterFailure) {
        if encoding == nil {
            // §8: the first 64 KiB decide (one byte more tells detect that the window cuts the file).
            guard final || bufferOffset + filled > TextEncoding.detectionWindow else {
                if filled == capacity { grow() }
                return
            }
            let window = Array(UnsafeBufferPointer(start: buffer, count: min(filled, TextEncoding.detectionWindow + 1)))
            do throws(InputError) {
                try TextEncoding.checkIsText(window[...], file: file)
            } catch {
                throw RegisterFailure(error)
            }
            encoding = TextEncoding.detect(window)
        }
        if atStart {
            guard final || filled >= 4 else { return }
            atStart = false
            if encoding == .utf8, filled >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                consume(3)
            } else if encoding == .gb18030, filled >= 4, buffer[0] == 0x84, buffer[1] == 0x31,
                      buffer[2] == 0x95, buffer[3] == 0x33 {
                consume(4)
            }
        }
        let used: Int
        do {
            used = try scan(final: final)
            try flushPending()
        } catch {
            // Ids of earlier rows still waiting are checked first: their repeat comes first.
            try flushPending()
            throw error
        }
        consume(used)
        if !final, filled == capacity { grow() }
    }

    /// Drops `count` consumed bytes from the front of the buffer.
    private mutating func consume(_ count: Int) {
        guard count > 0 else { return }
        let rest = filled - count
        if rest > 0 { memmove(buffer, buffer + count, rest) }
        filled = rest
        bufferOffset += count
    }

    private mutating func grow() {
        let newCapacity = capacity * 2
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + RegisterScanner.padding)
        grown.update(from: buffer, count: filled)
        buffer.deallocate()
        buffer = grown
        capacity = newCapacity
    }

    /// Part offset of the next unconsumed byte.
    var consumedOffset: Int { bufferOffset }

    // MARK: - Records

    private mutating func scan(final: Bool) throws(RegisterFailure) -> Int {
        let base = buffer
        // The sentinel and padding: the fast rows read words past the last byte.
        base[filled] = 0x0A
        (base + filled + 1).initialize(repeating: 0, count: RegisterScanner.padding - 1)
        var p = 0
        while p < filled {
            if tokenizer.skipLineBreak(base, at: &p, line: &line) { continue }
            if usesFastRows, columns.fast != .none, lookupLine == nil {
                // The common row shape, checked and tallied in a few word operations; any
                // other record (or one cut by the buffer's end) goes to the tokenizer below.
                let next = try fastRowsOfShape(from: p)
                if next != p {
                    p = next
                    continue
                }
            }
            let step: CSVTokenizer.Step
            do throws(InputError) {
                step = try tokenizer.next(base, count: filled, at: p, line: line, final: final,
                                          maxFields: columns.columnCount)
            } catch {
                throw RegisterFailure(error)
            }
            guard case .record(let end) = step else {
                if step == .tooManyFields { throw raggedRow(found: nil) }
                break
            }
            if layout == nil {
                try readHeader()
            } else if let lookupLine {
                if line == lookupLine {
                    foundID = personID()
                    return filled
                }
            } else {
                try tallyRecord()
            }
            line += 1 + tokenizer.extraLines
            p = end
        }
        return p
    }

    // MARK: - Field values

    /// The field's bytes, trimmed of white space, readable 8 bytes past their end. A field with
    /// non-ASCII bytes is decoded to trim Unicode white space (U+3000, U+00A0…) and comes back
    /// as UTF-8 in the column's `decoded` buffer; `ascii` is true when it is known to be ASCII.
    @inline(__always)
    private mutating func value(_ index: Int, slot: RegisterColumn) -> (bytes: UnsafeRawBufferPointer, ascii: Bool) {
        let (field, nonASCII) = tokenizer.trimmedASCII(index)
        if !nonASCII { return (UnsafeRawBufferPointer(field), true) }
        let utf8 = Array(tokenizer.fieldText(index).utf8)
        let k = slot.rawValue
        if utf8.count > decodedCapacity[k] {
            decoded[k].deallocate()
            decoded[k] = .allocate(capacity: utf8.count + RegisterScanner.padding)
            decodedCapacity[k] = utf8.count
        }
        decoded[k].update(from: utf8, count: utf8.count)
        return (UnsafeRawBufferPointer(start: decoded[k], count: utf8.count), utf8.allSatisfy { $0 < 0x80 })
    }

    // MARK: - Header

    private mutating func readHeader() throws(RegisterFailure) {
        let header = (0..<tokenizer.fieldCount).map { tokenizer.fieldText($0) }
        var index: [RegisterColumn: Int] = [:]
        var unknown: [String] = []
        for (i, name) in header.enumerated() {
            guard let column = RegisterColumn(header: name) else {
                unknown.append(name.isEmpty ? "(empty header in column \(i + 1))" : name)
                continue
            }
            if let first = index[column] {
                throw RegisterFailure(InputError(
                    file: file, line: line,
                    column: CellReader.columnLabel(index: i, header: name, key: column.key), value: name,
                    problem: "names the same column as column \(first + 1) (\(header[first]))",
                    accepted: "each column once"))
            }
            index[column] = i
        }
        for column in RegisterColumn.allCases where column.isRequired && index[column] == nil {
            throw RegisterFailure(InputError(
                file: file, line: line, problem: "has no \(column.key) column",
                accepted: "a header row with dest_code (落户地代码), origin_code (迁出地代码) and "
                    + "settle_date (落户日期), and optionally person_id (身份标识)"))
        }
        layout = RegisterLayout(
            encoding: encoding ?? .utf8, header: header, headerLine: line,
            destIndex: index[.destCode]!, originIndex: index[.originCode]!, dateIndex: index[.settleDate]!,
            idIndex: index[.personID], agriculturalIndex: index[.agricultural], unknownHeaders: unknown)
    }

    // MARK: - Tally

    @inline(__always)
    private mutating func tallyRecord() throws(RegisterFailure) {
        let layout = columns
        if tokenizer.fieldCount != layout.columnCount { throw raggedRow(found: tokenizer.fieldCount) }
        let dest = value(layout.destIndex, slot: .destCode)
        let origin = value(layout.originIndex, slot: .originCode)
        try checkCode(dest, index: layout.destIndex)
        try checkCode(origin, index: layout.originIndex)
        let dateField = value(layout.dateIndex, slot: .settleDate)
        let packedDate = dateField.ascii ? RegisterDate.packed(dateField.bytes) : -1
        if packedDate < 0 { try rejectDate(dateField) }
        var counted = true
        if let agriculturalIndex = layout.agriculturalIndex { counted = try agricultural(agriculturalIndex) }
        if let idIndex = layout.idIndex { try checkID(idIndex) }
        rows &+= 1
        guard counted else {
            excluded &+= 1
            return
        }
        var destCode = dest.bytes
        var originCode = origin.bytes
        if let codeMap {
            destCode = codeMap.target(of: destCode) ?? destCode
            originCode = codeMap.target(of: originCode) ?? originCode
        }
        let dateYear = packedDate / 10_000
        let age = year &- dateYear
        guard age >= 0, age <= priorYears else {
            ignoredByYear[dateYear] &+= 1
            return
        }
        let column: Int
        if age == 0 || priorByOrigin {
            let origin = OriginClassification.column(dest: destCode, origin: originCode)
            column = age == 0 ? origin : 3 &* age &+ origin
        } else {
            column = 2 &+ age
        }
        tally.add(code: destCode, column: column, padded: true)
    }

    /// Whether the row counts: its agricultural cell read as a truth word (§10.8).
    private mutating func agricultural(_ index: Int) throws(RegisterFailure) -> Bool {
        let cell = value(index, slot: .agricultural)
        if let counted = TruthWord.value(utf8: cell.bytes) { return counted }
        throw failure(field: index, value: tokenizer.fieldText(index), problem: "is not a yes/no value",
                      accepted: "1, true, yes or 是 for an agricultural migrant (counted); 0, false, no, 否 or empty otherwise (not counted)")
    }

    /// `fastRows` compiled for the layout's shape and options: each variant's loop has no
    /// tests for the columns and flags it does not use.
    private mutating func fastRowsOfShape(from start: Int) throws(RegisterFailure) -> Int {
        let withID = columns.fast == .idCodesDate
        switch (withID, columns.fastTruth != nil, codeMap != nil) {
        case (false, false, false): return try fastRows(from: start, Off.self, Off.self, Off.self)
        case (false, false, true): return try fastRows(from: start, Off.self, Off.self, On.self)
        case (false, true, false): return try fastRows(from: start, Off.self, On.self, Off.self)
        case (false, true, true): return try fastRows(from: start, Off.self, On.self, On.self)
        case (true, false, false): return try fastRows(from: start, On.self, Off.self, Off.self)
        case (true, false, true): return try fastRows(from: start, On.self, Off.self, On.self)
        case (true, true, false): return try fastRows(from: start, On.self, On.self, Off.self)
        case (true, true, true): return try fastRows(from: start, On.self, On.self, On.self)
        }
    }

    /// Tallies consecutive records of the fast shape from `start`; returns where the first
    /// other record (or the buffer's unfinished end) starts. A record it does not take is left
    /// untouched for the tokenizer, which accepts it or names its error. `IDs`, `Agricultural`
    /// and `Mapped` say whether the rows have a person_id, the agricultural cell, and whether
    /// codes go through the code map.
    @inline(never)  // a loop of its own: inlined into `scan`, it compiled to a slower one
    private mutating func fastRows<IDs: StaticFlag, Agricultural: StaticFlag, Mapped: StaticFlag>(
        from start: Int, _: IDs.Type, _: Agricultural.Type, _: Mapped.Type
    ) throws(RegisterFailure) -> Int {
        let raw = UnsafeRawPointer(buffer)
        let destFirst = columns.destIndex < columns.originIndex
        let end = filled
        let year = self.year
        let priorYears = self.priorYears
        let priorByOrigin = self.priorByOrigin
        let tally = self.tally
        let codeMap = self.codeMap?.sixDigitTables
        let truthCells = columns.fastTruth?.entries
        // The two spellings of most registers (是 and 否 in UTF-8), read without the table.
        let commonCells = columns.fastTruth?.common ?? RegisterFastRow.TruthCells.CommonPair.none
        let prefectureMasks = OriginClassification.sixDigitPrefectureMasks
        // With the agricultural column the tail's last byte (a comma) is tested with the cell.
        let tailEnd: UInt8? = Agricultural.isOn ? nil : 0x0A
        // Kept in registers and stored back on the way out (`pushExact` reads `self.line`).
        var line = self.line
        var rows = 0
        var excluded = 0
        var p = start
        defer {
            self.line = line
            self.rows &+= rows
            self.excluded &+= excluded
        }
        while true {
            var tail = p
            var key: PersonIDKey?
            if IDs.isOn {
                // The id: 1–31 bytes that need no trimming, quoting or decoding, then a comma.
                let length = RegisterFastRow.plainIDLength(raw + p)
                guard length > 0 else { break }
                tail = p &+ length &+ 1
                guard tail &+ RegisterFastRow.tailLength <= end, line <= Int(UInt32.max) else { break }
                let exact = PersonIDKey(UnsafeRawBufferPointer(start: raw + p, count: length))
                guard exact.isExact else { break }
                key = exact
            } else {
                guard p &+ RegisterFastRow.tailLength <= end else { break }
            }
            guard let row = RegisterFastRow.tail(raw + tail, end: tailEnd) else { break }
            var next = tail &+ RegisterFastRow.tailLength
            var counted = true
            if Agricultural.isOn {
                // The comma that ends the tail, then the agricultural cell: one of a few exact
                // spellings, then LF (not the sentinel). The common two are read with the comma
                // in one load (8 bytes from the comma: the buffer's padding makes that safe).
                let cellWord = (raw + (next &- 1)).loadUnaligned(as: UInt64.self) & commonCells.mask
                let isTrue = cellWord == commonCells.trueCell
                if ((isTrue ? 1 : 0) | (cellWord == commonCells.falseCell ? 1 : 0)) != 0, next &+ commonCells.length <= end {
                    counted = isTrue
                    next &+= commonCells.length
                } else {
                    guard raw.load(fromByteOffset: next &- 1, as: UInt8.self) == 0x2C,
                          let cell = RegisterFastRow.TruthCells.match(raw + next, in: truthCells.unsafelyUnwrapped),
                          next &+ cell.length <= end else { break }
                    counted = cell.value
                    next &+= cell.length
                }
            }
            var (dest, origin) = destFirst ? (row.first, row.second) : (row.second, row.first)
            if Mapped.isOn {
                // Only an origin whose renaming may change its column is mapped here (rarely
                // any); the other renamings classify every row as the old code does.
                guard let newOrigin = codeMap.unsafelyUnwrapped.changingColumns.target(origin) else { break }
                origin = newOrigin
            }
            var destDigits = CountyTally.sixDigitParts(dest)
            if Mapped.isOn, tally.mapsFirst(sixDigitValue: destDigits.value) {
                // A destination whose renaming may change the row's column; any other renamed
                // destination is counted under its old code and moved when the table is made.
                guard let newDest = codeMap.unsafelyUnwrapped.all.target(dest) else { break }
                dest = newDest
                destDigits = CountyTally.sixDigitParts(dest)
            }
            if IDs.isOn, let key {
                self.line = line
                try pushExact(key)
            }
            rows &+= 1
            line &+= 1
            p = next
            // An excluded row adds 0 where a counted one adds 1: about one row in seven is
            // excluded, too often (and too irregularly) for a branch to predict.
            let take = counted ? 1 : 0
            excluded &+= 1 &- take
            // The column without branches on the year (the years of consecutive rows are
            // unpredictable): same year → the origin column; 1…K years before → 2 + age (or
            // 3·age + origin by origin); else -1. The year tests are masks (all ones or zero):
            // comparisons compiled to branches.
            let age = year &- row.year
            let originColumn = OriginClassification.column(sixDigitDest: dest, destFirstFourDigits: destDigits.firstFour,
                                                           origin: origin, prefectureMasks: prefectureMasks)
            let sameMask = ~((age | (0 &- age)) >> 63)  // age == 0
            let priorMask = ~(((age &- 1) | (priorYears &- age)) >> 63)  // 1 ≤ age ≤ K
            let priorColumn = priorByOrigin ? 3 &* age &+ originColumn : 2 &+ age
            let column = (sameMask & originColumn) | (priorMask & priorColumn) | ~(sameMask | priorMask)
            if column >= 0 {
                tally.add(sixDigits: dest, value: destDigits.value, column: column, amount: take)
            } else {
                ignoredByYear[row.year] &+= take
            }
        }
        return p
    }

    private func rejectDate(_ dateField: (bytes: UnsafeRawBufferPointer, ascii: Bool)) throws(RegisterFailure) {
        let layout = layout!
        let parsed: RegisterDate.Parsed = dateField.ascii ? RegisterDate.parse(dateField.bytes) : .malformed
        switch parsed {
        case .valid:
            return
        case .malformed:
            throw failure(field: layout.dateIndex, value: tokenizer.fieldText(layout.dateIndex),
                          problem: dateField.bytes.isEmpty ? "is empty" : "is not a date",
                          accepted: RegisterDate.acceptedText)
        case .impossible(let why):
            throw failure(field: layout.dateIndex, value: tokenizer.fieldText(layout.dateIndex),
                          problem: "is an impossible date (\(why))", accepted: RegisterDate.acceptedText)
        }
    }

    static let codeAccepted = "a county code of printable ASCII characters, e.g. 320506"

    @inline(__always)
    private func checkCode(_ code: (bytes: UnsafeRawBufferPointer, ascii: Bool), index: Int) throws(RegisterFailure) {
        if code.ascii, !code.bytes.isEmpty, code.bytes.count <= 8 {
            // Up to 8 bytes (readable past the end): look for a control byte in one word.
            let n = code.bytes.count
            let mask: UInt64 = n == 8 ? .max : (1 << UInt64(n &* 8)) &- 1
            let word = (code.bytes.baseAddress!.loadUnaligned(as: UInt64.self) & mask) | (0x4141_4141_4141_4141 & ~mask)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let high: UInt64 = 0x8080_8080_8080_8080
            let below20 = (word &- ones &* 0x20) & ~word & high
            let del = word ^ (ones &* 0x7F)
            if below20 | ((del &- ones) & ~del & high) == 0 { return }
        }
        if let problem = RegisterScanner.codeProblem(code.bytes) {
            throw failure(field: index, value: code.bytes.isEmpty ? "" : tokenizer.fieldText(index), problem: problem,
                          accepted: RegisterScanner.codeAccepted)
        }
    }

    /// What is wrong with a trimmed code (UTF-8), or nil: codes are non-empty printable ASCII
    /// (the register's cells and the code map's alike).
    static func codeProblem(_ code: UnsafeRawBufferPointer) -> String? {
        if code.isEmpty { return "is empty" }
        if code.contains(where: { $0 >= 0x80 }) { return "is not a code (it has non-ASCII characters)" }
        if code.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "is not a code (it has a control character)" }
        return nil
    }

    @inline(__always)
    private mutating func checkID(_ index: Int) throws(RegisterFailure) {
        let id = value(index, slot: .personID).bytes
        if id.isEmpty { return }  // an empty person_id is not checked (§6)
        guard line <= Int(UInt32.max) else {
            throw RegisterFailure(InputError(file: file, line: line, problem: "is past line 4,294,967,295",
                                             accepted: "a register of fewer lines when person_id is given"))
        }
        let key = PersonIDKey(id)
        if key.isExact {
            try pushExact(key)
            return
        }
        try flushPending()
        keptIDs?.append(id, line: line)
        if let earlier = try insertID(id, key: key) {
            throw RegisterFailure(
                InputError(file: file, line: line, column: layout!.label(index), value: tokenizer.fieldText(index),
                           problem: "repeats the person_id of line \(earlier)",
                           accepted: "each person once in the register (an empty person_id is not checked)"),
                earlierLine: Int(earlier))
        }
    }

    /// Queues an exact key of the current line for insertion `pendingLimit` rows later.
    @inline(__always)
    private mutating func pushExact(_ key: PersonIDKey) throws(RegisterFailure) {
        ids.prefetch(key)
        if pendingCount == RegisterScanner.pendingLimit { try insertOldestPending() }
        pendingKeys[(pendingHead &+ pendingCount) % RegisterScanner.pendingLimit] = key
        pendingLines[(pendingHead &+ pendingCount) % RegisterScanner.pendingLimit] = line
        pendingCount &+= 1
    }

    @inline(__always)
    private mutating func insertOldestPending() throws(RegisterFailure) {
        let key = pendingKeys[pendingHead]
        let keyLine = pendingLines[pendingHead]
        pendingHead = (pendingHead &+ 1) % RegisterScanner.pendingLimit
        pendingCount &-= 1
        let earlier: UInt32?
        do {
            earlier = try ids.insert(key, line: UInt32(truncatingIfNeeded: keyLine)) { (_) throws(InputError) in true }
        } catch {
            throw RegisterFailure(error)
        }
        if let earlier {
            pendingCount = 0
            throw RegisterFailure(
                InputError(file: file, line: keyLine, column: layout!.label(columns.idIndex!), value: key.exactText,
                           problem: "repeats the person_id of line \(earlier)",
                           accepted: "each person once in the register (an empty person_id is not checked)"),
                earlierLine: Int(earlier))
        }
    }

    mutating func flushPending() throws(RegisterFailure) {
        while pendingCount > 0 { try insertOldestPending() }
    }

    @inline(__always)
    private func insertID(_ id: UnsafeRawBufferPointer, key: PersonIDKey) throws(RegisterFailure) -> UInt32? {
        do {
            return try ids.insert(key, line: UInt32(line)) { (earlier) throws(InputError) -> Bool in
                if let keptIDs { return keptIDs.id(onLine: Int(earlier)).elementsEqual(id) }
                return try RegisterScanner.lookupID(file: file, source: source, layout: layout!, partStart: partStart,
                                             line: Int(earlier)) == Array(id)
            }
        } catch {
            throw RegisterFailure(error)
        }
    }

    /// The trimmed person_id (UTF-8) of the record that starts on `line` of the part.
    private mutating func personID() -> [UInt8] {
        Array(value(layout!.idIndex!, slot: .personID).bytes)
    }

    /// Re-reads the part from its start to the record on `line` and returns its person_id:
    /// the exact comparison behind a hashed key that is found again.
    static func lookupID(file: String, source: (any RegisterSource)?, layout: RegisterLayout,
                         partStart: Int, line: Int) throws(InputError) -> [UInt8] {
        guard let source, source.isRereadable else {
            throw InputError(file: file, problem: "cannot be re-read to compare two person_ids",
                             accepted: "a register given as a regular file (not a pipe)")
        }
        var finder = RegisterScanner(file: file, year: 0, priorYears: 0, encoding: layout.encoding,
                                     partStart: partStart, layout: partStart == 0 ? nil : layout,
                                     source: nil)
        defer { finder.release() }
        finder.lookupLine = line
        finder.atStart = partStart == 0
        var offset = partStart
        do throws(RegisterFailure) {
            while finder.foundID == nil {
                let space = finder.writableSpace()
                let n: Int
                do throws(InputError) { n = try source.read(at: offset, into: space) } catch { throw RegisterFailure(error) }
                finder.didFill(n)
                offset += n
                try finder.drain(final: n == 0)
                if n == 0 { break }
            }
        } catch {
            throw error.error
        }
        guard let id = finder.foundID else {
            throw InputError(file: file, line: line, problem: "changed while it was being read",
                             accepted: "a register that is not modified during the run")
        }
        return id
    }

    // MARK: - Errors

    private func columnLabel(_ index: Int) -> String {
        layout?.label(index) ?? String(index + 1)
    }

    private func failure(field index: Int, value: String, problem: String, accepted: String) -> RegisterFailure {
        RegisterFailure(InputError(file: file, line: line, column: columnLabel(index), value: value,
                                   problem: problem, accepted: accepted))
    }

    /// A row with `found` fields, or (nil) one more than the header has, the extra one just read.
    private func raggedRow(found: Int?) -> RegisterFailure {
        let layout = layout!
        let columns = layout.columnCount
        let expected = columns == 1 ? "1 field" : "\(columns) fields"
        let foundText = found.map { $0 == 1 ? "1 field" : "\($0) fields" } ?? "more than \(expected)"
        return RegisterFailure(InputError(
            file: file, line: line, column: columnLabel(min(found ?? columns, columns)),
            value: found == nil ? tokenizer.fieldText(columns) : nil,
            problem: "row has \(foundText), but the header on line \(layout.headerLine) has \(columns)",
            accepted: "\(expected), one per header column; a value containing a comma must be in double quotes"))
    }
}

/// A flag known when a function is compiled: `fastRows` is specialised for each combination.
protocol StaticFlag { static var isOn: Bool { get } }
enum On: StaticFlag { static var isOn: Bool { true } }
enum Off: StaticFlag { static var isOn: Bool { false } }

/// The hashed person_ids of a register that cannot be re-read, with their lines, in one byte
/// arena: the id's bytes plus 12 bytes each (lines arrive in increasing order, so a line is
/// found by binary search). Identity-number-shaped and short ids are exact keys and never kept.
final class KeptPersonIDs: @unchecked Sendable {
    private var bytes: [UInt8] = []
    private var lines: [UInt32] = []
    private var ends: [Int] = []

    func append(_ id: UnsafeRawBufferPointer, line: Int) {
        bytes.append(contentsOf: id)
        lines.append(UInt32(truncatingIfNeeded: line))
        ends.append(bytes.count)
    }

    /// The id kept for `line` (empty when none was).
    func id(onLine line: Int) -> ArraySlice<UInt8> {
        var low = 0, high = lines.count
        while low < high {
            let middle = (low + high) / 2
            if Int(lines[middle]) < line { low = middle + 1 } else { high = middle }
        }
        guard low < lines.count, Int(lines[low]) == line else { return [] }
        return bytes[(low == 0 ? 0 : ends[low - 1])..<ends[low]]
    }
}

/// Random access to the register's bytes, for re-reading an earlier line.
public protocol RegisterSource: Sendable {
    /// Copies up to `buffer.count` bytes starting at `offset`; returns how many (0 at the end).
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
    /// False for a pipe: it can be read once, front to back.
    var isRereadable: Bool { get }
}

extension RegisterSource {
    public var isRereadable: Bool { true }
}
