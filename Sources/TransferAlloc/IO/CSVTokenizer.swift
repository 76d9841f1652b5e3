import BigInt
import Foundation

/// The CSV grammar (contract §2.1 and §8) at the byte level, one record at a time: the one
/// tokenizer behind every CSV input, `CSVReader` for whole tables and the register reader for a
/// file streamed through a buffer.
///
/// Comma separator; a field may be quoted with `"` (a quote inside written `""`), and then may
/// hold commas and line breaks; white space (Unicode White_Space) may surround a quoted field;
/// lines end in LF, CRLF or a lone CR; a completely empty line is no record. Fields are kept as
/// byte ranges (into the input, or into a scratch buffer for quoted ones) and trimmed only when
/// read (`fieldText`, `trimmedRange`), so a reader that needs no `String` makes none.
///
/// UTF-8 and GB18030 share the property that no byte of a multi-byte character is `,` `"` LF or
/// CR, so records are split on the raw bytes of either. With `validatesEncoding`, each field
/// holding a byte ≥ 0x80 is checked in the encoding as soon as it is complete, and NUL bytes are
/// refused: the result is what decoding the file first would give, record by record.
///
///     var tokenizer = CSVTokenizer(file: "s.csv", encoding: .utf8, validatesEncoding: false)
///     defer { tokenizer.release() }
///     // bytes "a, \"b,c\" \n":
///     // try tokenizer.next(base, count: 10, at: 0, line: 1, final: true, maxFields: 10)
///     //   == .record(end: 10); tokenizer.fieldText(1) == "b,c"
///
/// - Complexity: O(n) in the record's bytes; no recursion, every loop advances.
struct CSVTokenizer {
    static let quote: UInt8 = 0x22
    static let comma: UInt8 = 0x2C
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    /// A snippet of raw bytes in a message is at most this long (a hostile file's one-megabyte
    /// field must not become a one-megabyte message).
    static let snippetBytes = 120
    /// Bytes readable past a quoted field's end in `scratch`, so a reader may load 8-byte words.
    static let padding = 32

    /// What `next` found at the position it was given.
    enum Step: Equatable {
        /// A whole record; `end` is the offset after its line break (or the input's end).
        case record(end: Int)
        /// The record goes on past the bytes given (only when not `final`).
        case incomplete
        /// The record has a field more than `maxFields` allowed: the fields read so far, that
        /// one included, are kept for the caller's message.
        case tooManyFields
    }

    let file: String
    /// Set by a streaming reader once the encoding is detected (before any record is read).
    var encoding: TextEncoding
    /// The bytes are as read from the file: validate each non-ASCII field, refuse NUL bytes.
    /// False for text already decoded and validated as a whole.
    let validatesEncoding: Bool
    /// Longest record (its first byte to its line break, quoted line breaks included),
    /// checked at the byte that crosses it (`CSVReader`).
    let maxRecordBytes: Int
    /// Most bytes an unfinished record may hold when the input is streamed: what bounds the
    /// buffer when a quote is never closed (the register).
    let maxPendingBytes: Int
    /// Column names for messages; a column without one is named by its 1-based number.
    var columnLabels: [String] = []

    /// Fields of the last record: byte ranges into the input, or into `scratch` when quoted.
    private(set) var fieldCount = 0
    private var fieldStarts: UnsafeMutablePointer<Int>
    private var fieldEnds: UnsafeMutablePointer<Int>
    private var fieldFlags: UnsafeMutablePointer<UInt8>  // bit 0 non-ASCII, bit 1 quoted
    private var fieldCapacity = 64
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity = 4096
    private var scratchUsed = 0
    /// Line breaks inside quoted fields of the last record.
    private(set) var extraLines = 0
    /// The last record (or empty line) ended in CR: an LF right after it belongs to it.
    private var afterCR = false
    /// The input of the last `next` call, for reading its fields.
    private var input: UnsafePointer<UInt8>?

    init(file: String, encoding: TextEncoding, validatesEncoding: Bool,
         maxRecordBytes: Int = .max, maxPendingBytes: Int = .max) {
        self.file = file
        self.encoding = encoding
        self.validatesEncoding = validatesEncoding
        self.maxRecordBytes = maxRecordBytes
        self.maxPendingBytes = maxPendingBytes
        fieldStarts = .allocate(capacity: fieldCapacity)
        fieldEnds = .allocate(capacity: fieldCapacity)
        fieldFlags = .allocate(capacity: fieldCapacity)
        scratch = .allocate(capacity: scratchCapacity + Self.padding)
    }

    /// Frees the buffers (a struct has no deinit; the owner calls this once).
    func release() {
        fieldStarts.deallocate()
        fieldEnds.deallocate()
        fieldFlags.deallocate()
        scratch.deallocate()
    }

    // MARK: - Line breaks

    /// Consumes what at `position` is no record: the LF of a CRLF whose CR ended the previous
    /// record, or the line break of a completely empty line (counted in `line`). Returns false,
    /// consuming nothing, when a record starts there.
    @inline(__always)
    mutating func skipLineBreak(_ base: UnsafePointer<UInt8>, at position: inout Int, line: inout Int) -> Bool {
        let byte = base[position]
        if afterCR {
            afterCR = false
            if byte == Self.lf {
                position += 1
                return true
            }
        }
        guard byte == Self.lf || byte == Self.cr else { return false }
        line += 1
        afterCR = byte == Self.cr
        position += 1
        return true
    }

    // MARK: - Records

    /// Reads the record starting at `start` (not a line break) of `base[0..<count]`.
    ///
    /// - Parameters:
    ///   - line: the physical line where the record starts, for messages.
    ///   - final: the input ends at `count`; else a record that reaches `count` is `.incomplete`.
    ///   - maxFields: more fields than this stop the record (`.tooManyFields`).
    /// - Throws: `InputError` for a double quote inside an unquoted field, a quoted field never
    ///   closed, characters after a closing quote, a record past `maxRecordBytes` (or, streamed,
    ///   past `maxPendingBytes` while unfinished), and, with `validatesEncoding`, bytes invalid in
    ///   the encoding and NUL bytes.
    mutating func next(_ base: UnsafePointer<UInt8>, count: Int, at start: Int, line: Int, final: Bool,
                       maxFields: Int) throws(InputError) -> Step {
        input = base
        fieldCount = 0
        scratchUsed = 0
        extraLines = 0
        let limit = maxRecordBytes == .max ? Int.max : start + maxRecordBytes
        var i = start
        while true {
            let fieldStart = i
            let (stop, nonASCII) = scanUnquoted(base, count: count, from: i)
            if stop >= count {
                guard final else { return try incomplete(count: count, start: start, line: line) }
                if stop > limit { throw rowTooLong(line) }
                if try addField(fieldStart, count, nonASCII: nonASCII, quoted: false, line: line, maxFields: maxFields) {
                    return .tooManyFields
                }
                return .record(end: count)
            }
            var delimiter = stop
            switch base[stop] {
            case Self.quote:
                guard isBlank(base, fieldStart, stop) else {
                    if stop >= limit { throw rowTooLong(line) }
                    throw fieldError(base, count: count, line: line, from: fieldStart,
                                     to: fieldEnd(base, count: count, from: stop),
                        problem: "has a double quote inside an unquoted field",
                        accepted: "the whole field in double quotes with each quote inside doubled, "
                            + "e.g. \"ab\"\"c\" for ab\"c")
                }
                if stop > limit { throw rowTooLong(line) }
                guard let after = try quotedField(base, count: count, quoteAt: stop, line: line,
                                                  limit: limit, final: final) else {
                    return try incomplete(count: count, start: start, line: line)
                }
                if try addField(after.contentStart, scratchUsed, nonASCII: after.nonASCII, quoted: true,
                                line: line, maxFields: maxFields) {
                    return .tooManyFields
                }
                delimiter = after.delimiter
            case 0 where validatesEncoding:
                throw nulByte(line: line + extraLines)
            default:
                if stop > limit { throw rowTooLong(line) }
                if try addField(fieldStart, stop, nonASCII: nonASCII, quoted: false, line: line, maxFields: maxFields) {
                    return .tooManyFields
                }
            }
            if delimiter >= count { return .record(end: count) }
            if base[delimiter] == Self.comma {
                if delimiter >= limit { throw rowTooLong(line) }
                i = delimiter + 1
                continue
            }
            afterCR = base[delimiter] == Self.cr
            return .record(end: delimiter + 1)
        }
    }

    /// The first `,` `"` LF or CR (or NUL, when validating) at or after `from`, or `count`; and
    /// whether a byte ≥ 0x80 came before it. Eight bytes at a time while they fit.
    @inline(__always)
    private func scanUnquoted(_ base: UnsafePointer<UInt8>, count: Int, from: Int) -> (stop: Int, nonASCII: Bool) {
        let raw = UnsafeRawPointer(base)
        let high: UInt64 = 0x8080_8080_8080_8080
        let ones: UInt64 = 0x0101_0101_0101_0101
        // "Has a zero byte" per pattern; the lowest flagged byte is exact.
        @inline(__always) func zero(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & high }
        let nul: UInt64 = validatesEncoding ? high : 0
        var e = from
        var seen: UInt64 = 0
        while e &+ 8 <= count {
            let w = raw.loadUnaligned(fromByteOffset: e, as: UInt64.self)
            let m = (zero(w) & nul) | zero(w ^ (ones &* 0x2C)) | zero(w ^ (ones &* 0x0A))
                | zero(w ^ (ones &* 0x0D)) | zero(w ^ (ones &* 0x22))
            if m == 0 {
                seen |= w & high
                e &+= 8
                continue
            }
            let t = m.trailingZeroBitCount >> 3
            if t > 0 { seen |= w & high & ((1 << UInt64(t &* 8)) &- 1) }
            return (e &+ t, seen != 0)
        }
        while e < count {
            let b = base[e]
            if b == Self.comma || b == Self.lf || b == Self.cr || b == Self.quote || (b == 0 && validatesEncoding) {
                break
            }
            if b >= 0x80 { seen = 1 }
            e &+= 1
        }
        return (e, seen != 0)
    }

    /// Reads the quoted field whose opening quote is at `quoteAt` into `scratch`. Returns where
    /// its content starts in `scratch`, whether it has a byte ≥ 0x80, and the offset of the
    /// delimiter after it (or `count`); nil when the input ends first and is not final.
    private mutating func quotedField(_ base: UnsafePointer<UInt8>, count: Int, quoteAt: Int, line: Int, limit: Int,
                                      final: Bool) throws(InputError) -> (contentStart: Int, nonASCII: Bool, delimiter: Int)? {
        let quoteLine = line + extraLines
        let contentStart = scratchUsed
        var nonASCII = false
        var lines = 0
        var j = quoteAt + 1
        while true {
            if j >= count {
                guard final else { return nil }
                throw fieldError(base, count: count, line: quoteLine, from: quoteAt,
                                 to: lineEnd(base, count: count, from: quoteAt),
                    problem: "opens a quoted field that is never closed",
                    accepted: "a closing double quote before the end of the file "
                        + "(a quote inside a quoted field is written twice: \"\")")
            }
            if j >= limit {
                throw fieldError(base, count: count, line: quoteLine, from: quoteAt,
                                 to: lineEnd(base, count: count, from: quoteAt),
                    problem: "opens a quoted field that runs past \(Limits.grouped(.init(maxRecordBytes))) "
                        + "bytes, the longest row a CSV input may have",
                    accepted: "a closing double quote after the field's text "
                        + "(a quote inside a quoted field is written twice: \"\")")
            }
            let b = base[j]
            if b == Self.quote {
                if j + 1 >= count, !final { return nil }  // "" or the closing quote: not known yet
                if j + 1 < count, base[j + 1] == Self.quote {
                    appendScratch(Self.quote)
                    j += 2
                    continue
                }
                j += 1
                break
            }
            if b == 0, validatesEncoding { throw nulByte(line: quoteLine + lines) }
            // Line breaks inside quotes still count as physical lines (a CRLF once).
            if b == Self.lf {
                lines += 1
            } else if b == Self.cr {
                if j + 1 >= count {
                    guard final else { return nil }
                    lines += 1
                } else if base[j + 1] != Self.lf {
                    lines += 1
                }
            }
            if b >= 0x80 { nonASCII = true }
            appendScratch(b)
            j += 1
        }
        // Only white space may follow the closing quote; then the delimiter.
        let delimiter = fieldEnd(base, count: count, from: j)
        if delimiter >= count, !final { return nil }
        guard isBlank(base, j, delimiter) else {
            if limit != .max, whitespaceEnd(base, j, delimiter) > limit { throw rowTooLong(line) }
            throw fieldError(base, count: count, line: line, from: quoteAt, to: delimiter,
                problem: "has characters after the closing quote of a quoted field",
                accepted: "a comma or the end of the line right after the closing quote "
                    + "(a quote inside a quoted field is written twice: \"\")")
        }
        if delimiter > limit { throw rowTooLong(line) }
        if nonASCII, validatesEncoding {
            try validate(UnsafeBufferPointer(start: scratch + contentStart, count: scratchUsed - contentStart),
                         line: quoteLine)
        }
        extraLines += lines
        return (contentStart, nonASCII, delimiter)
    }

    /// The streamed record is unfinished: fine unless it already holds too many bytes.
    private func incomplete(count: Int, start: Int, line: Int) throws(InputError) -> Step {
        if count - start > maxPendingBytes {
            throw InputError(file: file, line: line,
                             problem: "starts a record longer than \(maxPendingBytes >> 20) MiB",
                             accepted: "one settled person per line (is a double quote never closed?)")
        }
        return .incomplete
    }

    @inline(__always)
    private mutating func appendScratch(_ byte: UInt8) {
        if scratchUsed == scratchCapacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity * 2 + Self.padding)
            grown.update(from: scratch, count: scratchUsed)
            scratch.deallocate()
            scratch = grown
            scratchCapacity *= 2
        }
        scratch[scratchUsed] = byte
        scratchUsed += 1
    }

    /// Validates an unquoted field, then keeps it; true when it is one field too many.
    @inline(__always)
    private mutating func addField(_ start: Int, _ end: Int, nonASCII: Bool, quoted: Bool, line: Int,
                                   maxFields: Int) throws(InputError) -> Bool {
        if nonASCII, !quoted, validatesEncoding, let input {
            try validate(UnsafeBufferPointer(start: input + start, count: end - start), line: line + extraLines)
        }
        if fieldCount == fieldCapacity { growFields() }
        fieldStarts[fieldCount] = start
        fieldEnds[fieldCount] = end
        fieldFlags[fieldCount] = (nonASCII ? 1 : 0) | (quoted ? 2 : 0)
        fieldCount += 1
        return fieldCount > maxFields
    }

    private mutating func growFields() {
        let newCapacity = fieldCapacity * 2
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
        let flags = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        starts.update(from: fieldStarts, count: fieldCount)
        ends.update(from: fieldEnds, count: fieldCount)
        flags.update(from: fieldFlags, count: fieldCount)
        fieldStarts.deallocate()
        fieldEnds.deallocate()
        fieldFlags.deallocate()
        fieldStarts = starts
        fieldEnds = ends
        fieldFlags = flags
        fieldCapacity = newCapacity
    }

    // MARK: - Field values

    /// Field `index` of the last record, trimmed of ASCII white space and of a formula guard:
    /// its bytes, valid until the next call of `next` or a change of the input, and whether it
    /// has a byte ≥ 0x80 (then Unicode white space may remain: read it with `fieldText`).
    ///
    /// The tool's own CSV writes `'` before a cell starting `=`, `+`, `-`, `@`, tab or CR so that a
    /// spreadsheet shows it as text (`'-5`, `'+10%`); that `'` is dropped here, so every table
    /// the tool writes reads back as the values it held.
    @inline(__always)
    func trimmedASCII(_ index: Int) -> (bytes: UnsafeBufferPointer<UInt8>, nonASCII: Bool) {
        let flags = fieldFlags[index]
        let base = flags & 2 != 0 ? UnsafePointer(scratch) : input!
        var s = fieldStarts[index]
        var e = fieldEnds[index]
        while s < e, Self.isASCIIWhitespace(base[s]) { s += 1 }
        while e > s, Self.isASCIIWhitespace(base[e - 1]) { e -= 1 }
        if e - s >= 2, base[s] == UInt8(ascii: "'"), Self.isFormulaGuarded(base[s + 1]) {
            s += 1
            while s < e, Self.isASCIIWhitespace(base[s]) { s += 1 }
        }
        return (UnsafeBufferPointer(start: base + s, count: e - s), flags & 1 != 0)
    }

    /// The first characters a written cell is guarded against (`ReportTable.guardFormula`).
    @inline(__always)
    static func isFormulaGuarded(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "@") || byte == 0x09 || byte == 0x0D
    }

    /// Field `index` of the last record as text, trimmed of Unicode white space (U+3000, U+00A0…).
    func fieldText(_ index: Int) -> String {
        let (field, nonASCII) = trimmedASCII(index)
        guard !field.isEmpty else { return "" }
        guard nonASCII else { return String(decoding: field, as: UTF8.self) }
        guard encoding == .utf8 else { return TextEncoding.decodeValidGB18030(UnsafeRawBufferPointer(field)).trimmedUnicode }
        let text = String(decoding: field, as: UTF8.self)
        // Non-ASCII white space (U+0085 … U+3000) starts with one of four lead bytes; only a
        // field whose first or last character starts so needs the Unicode-aware trim.
        var lastLead = field.count - 1
        while lastLead > 0, field[lastLead] & 0xC0 == 0x80 { lastLead -= 1 }
        if Self.mayStartUnicodeWhitespace(field[0]) || Self.mayStartUnicodeWhitespace(field[lastLead]) {
            return text.trimmedUnicode
        }
        return text
    }

    // MARK: - White space

    /// The ASCII members of Unicode White_Space: tab, LF, VT, FF, CR, space.
    @inline(__always)
    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// Lead bytes of the UTF-8 encodings of the non-ASCII White_Space characters.
    private static func mayStartUnicodeWhitespace(_ byte: UInt8) -> Bool {
        byte == 0xC2 || byte == 0xE1 || byte == 0xE2 || byte == 0xE3
    }

    /// True when `base[start..<end]` is white space only, as `trimmedUnicode` sees it.
    private func isBlank(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var allASCII = true
        for i in start..<end {
            let b = base[i]
            if b >= 0x80 { allASCII = false; continue }
            if !Self.isASCIIWhitespace(b) { return false }
        }
        if allASCII { return true }
        switch encoding {
        case .utf8:
            return whitespaceEnd(base, start, end) == end
        case .gb18030:
            let bytes = UnsafeBufferPointer(start: base + start, count: end - start)
            guard validates(bytes) else { return false }
            return TextEncoding.decodeValidGB18030(UnsafeRawBufferPointer(bytes)).trimmedUnicode.isEmpty
        }
    }

    /// The end of the UTF-8 white space that starts at `start` (at most `end`).
    private func whitespaceEnd(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var i = start
        while i < end {
            let width = Self.whitespaceWidth(base, at: i, end: end)
            if width == 0 { break }
            i += width
        }
        return i
    }

    /// Width in bytes of the UTF-8 white-space character at `i` that is not a line break, else 0.
    /// Covers every Unicode White_Space character (the same set `trimmedUnicode` removes).
    private static func whitespaceWidth(_ bytes: UnsafePointer<UInt8>, at i: Int, end: Int) -> Int {
        switch bytes[i] {
        case 0x20, 0x09, 0x0B, 0x0C:
            return 1
        case 0xC2:  // U+0085, U+00A0
            guard i + 1 < end else { return 0 }
            return bytes[i + 1] == 0x85 || bytes[i + 1] == 0xA0 ? 2 : 0
        case 0xE1:  // U+1680
            guard i + 2 < end else { return 0 }
            return bytes[i + 1] == 0x9A && bytes[i + 2] == 0x80 ? 3 : 0
        case 0xE2:  // U+2000–200A, U+2028, U+2029, U+202F, U+205F
            guard i + 2 < end else { return 0 }
            let b1 = bytes[i + 1]
            let b2 = bytes[i + 2]
            if b1 == 0x80, (0x80...0x8A).contains(b2) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF {
                return 3
            }
            return b1 == 0x81 && b2 == 0x9F ? 3 : 0
        case 0xE3:  // U+3000
            guard i + 2 < end else { return 0 }
            return bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80 ? 3 : 0
        default:
            return 0
        }
    }

    // MARK: - Encoding

    private func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> TextEncoding.ScanStop {
        switch encoding {
        case .utf8: TextEncoding.scanUTF8(bytes, from: 0, stopAtNUL: true, allowCutAtEnd: false)
        case .gb18030: TextEncoding.scanGB18030(bytes, from: 0, stopAtNUL: true, allowCutAtEnd: false)
        }
    }

    private func validates(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if case .valid = scan(bytes) { return true }
        return false
    }

    /// Rejects bytes invalid in the encoding, naming the line of the first bad byte.
    private func validate(_ bytes: UnsafeBufferPointer<UInt8>, line firstLine: Int) throws(InputError) {
        switch scan(bytes) {
        case .valid:
            return
        case .invalid(let offset, let length):
            let end = min(bytes.count, offset + max(1, length))
            let shown = TextEncoding.hex(bytes[offset..<end])
            let subject = end - offset == 1 ? "byte \(shown) is" : "bytes \(shown) are"
            throw InputError(
                file: file, line: firstLine + TextEncoding.lineNumber(at: offset, in: bytes) - 1,
                problem: "\(subject) not valid \(encoding.displayName), the encoding the file was read in",
                accepted: TextEncoding.acceptedText)
        case .nul(let offset):
            throw nulByte(line: firstLine + TextEncoding.lineNumber(at: offset, in: bytes) - 1)
        }
    }

    // MARK: - Messages

    private func columnLabel(_ index: Int) -> String {
        index < columnLabels.count ? columnLabels[index] : String(index + 1)
    }

    /// End of the raw field holding `from`: the next comma or line break (quotes ignored).
    private func fieldEnd(_ base: UnsafePointer<UInt8>, count: Int, from: Int) -> Int {
        var i = from
        while i < count, base[i] != Self.comma, base[i] != Self.lf, base[i] != Self.cr { i += 1 }
        return i
    }

    /// End of the physical line holding `from`.
    private func lineEnd(_ base: UnsafePointer<UInt8>, count: Int, from: Int) -> Int {
        var i = from
        while i < count, base[i] != Self.lf, base[i] != Self.cr { i += 1 }
        return i
    }

    /// The raw bytes `from..<to` for a message, at most `snippetBytes` of them ("…" when cut).
    /// Decoded text is cut on a character boundary; raw bytes that are not valid text in the
    /// encoding show as hex (their first 16).
    private func snippet(_ base: UnsafePointer<UInt8>, count: Int, from: Int, to: Int) -> String {
        var end = min(to, from + Self.snippetBytes, count)
        guard validatesEncoding else {
            if end < to {
                while end > from, base[end] & 0xC0 == 0x80 { end -= 1 }
            }
            guard from < end else { return "" }
            let text = String(decoding: UnsafeBufferPointer(start: base + from, count: end - from), as: UTF8.self)
            return end < to ? text + "…" : text
        }
        let bytes = UnsafeBufferPointer(start: base + from, count: end - from)
        if validates(bytes) {
            let text = switch encoding {
            case .utf8: String(decoding: bytes, as: UTF8.self)
            case .gb18030: TextEncoding.decodeValidGB18030(UnsafeRawBufferPointer(bytes))
            }
            return text + (end < to ? "…" : "")
        }
        end = min(to, from + 16)
        return TextEncoding.hex(UnsafeBufferPointer(start: base + from, count: end - from))
    }

    /// An error in the field being read, showing its raw bytes `from..<to`.
    private func fieldError(_ base: UnsafePointer<UInt8>, count: Int, line: Int, from: Int, to: Int,
                            problem: String, accepted: String) -> InputError {
        InputError(file: file, line: line, column: columnLabel(fieldCount),
                   value: snippet(base, count: count, from: from, to: to), problem: problem, accepted: accepted)
    }

    private func rowTooLong(_ line: Int) -> InputError {
        InputError(
            file: file, line: line,
            problem: "is a row longer than \(Limits.grouped(.init(maxRecordBytes))) bytes, "
                + "the longest row a CSV input may have",
            accepted: "short rows: one county or scenario per row (is this the right file?)")
    }

    private func nulByte(line: Int) -> InputError {
        InputError(file: file, line: line, problem: "NUL byte", accepted: "a text CSV file (UTF-8 or GB18030)")
    }
}

extension TextEncoding {
    /// Text of bytes already validated as GB18030 (streamed input decodes only non-ASCII fields).
    static func decodeValidGB18030(_ bytes: UnsafeRawBufferPointer) -> String {
        String(data: Data(bytes), encoding: foundationGB18030)
            ?? String(decoding: bytes.bindMemory(to: UInt8.self), as: UTF8.self)
    }
}
