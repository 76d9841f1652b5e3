import Foundation

/// The text encodings a CSV input may use (contract §8): UTF-8, with or without a BOM, and
/// GB18030 (which also reads GBK and GB2312 files, its subsets).
///
///     TextEncoding.detect([0xD4, 0xAA])                       // .gb18030 (元, not Ԫ)
///     try TextEncoding.decode([0xD4, 0xAA], as: .gb18030, file: "a.csv")   // "元"
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8
    case gb18030

    /// The encoding named on the command line (`--encoding`), case-insensitively:
    /// `utf8`, `utf-8`, `gb18030` or `gbk`. GBK is read as GB18030, its superset.
    ///
    ///     TextEncoding(name: "GBK")     // .gb18030
    ///     TextEncoding(name: "latin1")  // nil
    public init?(name: String) {
        switch name.lowercased() {
        case "utf8", "utf-8": self = .utf8
        case "gb18030", "gbk": self = .gb18030
        default: return nil
        }
    }

    /// How messages name the encoding.
    var displayName: String {
        switch self {
        case .utf8: "UTF-8"
        case .gb18030: "GB18030"
        }
    }

    /// How many leading bytes decide the encoding (contract §8).
    static let detectionWindow = 65_536

    /// Foundation's GB18030 (CFStringEncoding `kCFStringEncodingGB_18030_2000`).
    static let foundationGB18030 = String.Encoding(rawValue: 0x8000_0632)

    // MARK: - Detection

    /// Picks the encoding of a CSV file from its first 64 KiB, as contract §8 defines it.
    ///
    /// A UTF-8 BOM means UTF-8; bytes that are not valid UTF-8 mean GB18030; bytes valid in both
    /// mean the one whose non-ASCII characters are all Chinese text, UTF-8 first, and UTF-8 when
    /// neither qualifies. A character cut by the end of the window does not count as invalid.
    ///
    ///     TextEncoding.detect([0xD4, 0xAA])        // .gb18030: 元, not the Cyrillic Ԫ
    ///     TextEncoding.detect([0x6D, 0xC2, 0xB2])  // .utf8: m² (also "m虏" in GB18030)
    ///     TextEncoding.detect(Array("code\n".utf8)) // .utf8
    ///
    /// - Complexity: O(min(n, 64 KiB)).
    public static func detect(_ bytes: [UInt8]) -> TextEncoding {
        if bytes.starts(with: utf8BOM) { return .utf8 }
        // Only a window that stops before the end of the file can cut a character; a file that
        // itself ends in half a character is invalid.
        let windowCutsFile = bytes.count > detectionWindow
        return bytes.prefix(detectionWindow).withUnsafeBufferPointer { window -> TextEncoding in
            guard case .valid(let utf8End) = scanUTF8(window, from: 0, stopAtNUL: false,
                                                      allowCutAtEnd: windowCutsFile) else {
                return .gb18030
            }
            let utf8Reading = String(decoding: UnsafeBufferPointer(rebasing: window[..<utf8End]),
                                     as: UTF8.self)
            if isChineseText(utf8Reading, asUTF8: true) { return .utf8 }
            guard case .valid(let gbEnd) = scanGB18030(window, from: 0, stopAtNUL: false,
                                                       allowCutAtEnd: windowCutsFile),
                  let gbReading = String(data: Data(UnsafeBufferPointer(rebasing: window[..<gbEnd])),
                                             encoding: foundationGB18030)
            else { return .utf8 }
            return isChineseText(gbReading, asUTF8: false) ? .gb18030 : .utf8
        }
    }

    /// True when every non-ASCII character of `text` is "Chinese text" in the sense of §8.
    /// The UTF-8 reading also accepts U+00A0–U+00FF so that `m²`, `°` or `é` keep a file UTF-8.
    static func isChineseText(_ text: String, asUTF8: Bool) -> Bool {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0..<0x80: continue
            case 0xB7, 0xD7: continue                       // ·  ×
            case 0xA0...0xFF where asUTF8: continue
            case 0x2000...0x206F: continue                  // general punctuation
            case 0x3000...0x303F: continue                  // CJK punctuation
            case 0x3400...0x9FFF, 0xF900...0xFAFF: continue // CJK ideographs
            case 0xFF00...0xFFEF: continue                  // full-width forms
            default: return false
            }
        }
        return true
    }

    // MARK: - Decoding

    /// Decodes a whole file, rejecting any byte that is invalid in `encoding` and any NUL byte.
    ///
    /// A leading UTF-8 BOM (and, for GB18030, its BOM `84 31 95 33`) is dropped.
    ///
    ///     try TextEncoding.decode([0xEF, 0xBB, 0xBF, 0x61], as: .utf8, file: "a.csv")  // "a"
    ///     try TextEncoding.decode([0x61, 0x0A, 0xFF], as: .utf8, file: "a.csv")
    ///     // throws: a.csv, line 2: byte FF is not valid UTF-8, the encoding the file was
    ///     //         read in; expected a UTF-8 or GB18030 text file (--encoding utf8|gb18030 forces one)
    ///
    /// - Throws: `InputError` naming the file, the 1-based line holding the first bad byte, the
    ///   byte(s) in hex and the encoding used.
    /// - Complexity: O(n).
    public static func decode(_ bytes: [UInt8], as encoding: TextEncoding,
                              file: String) throws(InputError) -> String {
        let result = bytes.withUnsafeBufferPointer { buffer -> Result<String, InputError> in
            switch encoding {
            case .utf8: decodeUTF8(buffer, file: file)
            case .gb18030: decodeGB18030(buffer, file: file)
            }
        }
        return try result.get()
    }

    /// The error `decode(_:as: .utf8, file:)` would throw for these bytes, or nil when they are
    /// valid UTF-8 without NUL: a reader of UTF-8 then parses the bytes as they are, without
    /// a decoded copy.
    static func utf8Problem(_ buffer: UnsafeBufferPointer<UInt8>, file: String) -> InputError? {
        let start = buffer.starts(with: utf8BOM) ? utf8BOM.count : 0
        switch scanUTF8(buffer, from: start, stopAtNUL: true, allowCutAtEnd: false) {
        case .valid: return nil
        case .invalid(let offset, let length): return invalidBytes(buffer, offset: offset, length: length, as: .utf8, file: file)
        case .nul(let offset): return nulByte(buffer, offset: offset, file: file)
        }
    }

    static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]
    static let gb18030BOM: [UInt8] = [0x84, 0x31, 0x95, 0x33]

    private static func decodeUTF8(_ buffer: UnsafeBufferPointer<UInt8>,
                                   file: String) -> Result<String, InputError> {
        let start = buffer.starts(with: utf8BOM) ? utf8BOM.count : 0
        // Our own pass finds the exact bad byte (String(decoding:) would silently repair it);
        // the String is then built once from bytes known to be valid.
        switch scanUTF8(buffer, from: start, stopAtNUL: true, allowCutAtEnd: false) {
        case .valid:
            return .success(String(decoding: UnsafeBufferPointer(rebasing: buffer[start...]),
                                   as: UTF8.self))
        case .invalid(let offset, let length):
            return .failure(invalidBytes(buffer, offset: offset, length: length, as: .utf8, file: file))
        case .nul(let offset):
            return .failure(nulByte(buffer, offset: offset, file: file))
        }
    }

    private static func decodeGB18030(_ buffer: UnsafeBufferPointer<UInt8>,
                                      file: String) -> Result<String, InputError> {
        let start = buffer.starts(with: gb18030BOM) ? gb18030BOM.count : 0
        // The structural scan below accepts exactly what Foundation's converter maps (checked
        // against all 1.6 million two- and four-byte sequences), except the lone byte 80 that
        // Foundation reads as € (Windows code page 936) and GB18030 does not define. It names
        // the exact bad byte, so Foundation is needed only to map valid bytes to characters.
        switch scanGB18030(buffer, from: start, stopAtNUL: true, allowCutAtEnd: false) {
        case .invalid(let offset, let length):
            return .failure(invalidBytes(buffer, offset: offset, length: length, as: .gb18030, file: file))
        case .nul(let offset):
            return .failure(nulByte(buffer, offset: offset, file: file))
        case .valid:
            break
        }
        let body = UnsafeBufferPointer(rebasing: buffer[start...])
        if let text = String(data: Data(body), encoding: foundationGB18030) {
            return .success(text)
        }
        // Defensive: should Foundation ever refuse bytes the scan accepted, find the first line it
        // refuses. Byte 0A (like 0D) never occurs inside a GB18030 character, so lines decode alone.
        var lineStart = 0
        while lineStart <= body.count {
            var lineEnd = lineStart
            while lineEnd < body.count, body[lineEnd] != 0x0A { lineEnd += 1 }
            let lineBytes = Data(UnsafeBufferPointer(rebasing: body[lineStart..<lineEnd]))
            if String(data: lineBytes, encoding: foundationGB18030) == nil {
                let shown = Array(body[lineStart..<min(lineEnd, lineStart + 8)])
                return .failure(InputError(
                    file: file, line: lineNumber(at: start + lineStart, in: buffer),
                    problem: "has bytes (starting \(hex(shown))) that the GB18030 decoder rejects, "
                        + "the encoding the file was read in",
                    accepted: acceptedText))
            }
            lineStart = lineEnd + 1
        }
        return .failure(InputError(file: file, problem: "could not be decoded as GB18030",
                                   accepted: acceptedText))
    }

    // MARK: - Not text at all

    /// Refuses, from the first bytes of a file (up to `detectionWindow`), what cannot be a text
    /// file in either encoding, before the rest is read: UTF-16 or UTF-32 (by byte order mark, or
    /// by the zero bytes every ASCII character then has) and any other file with a NUL byte (a
    /// binary file: an image, a spreadsheet, /dev/urandom).
    ///
    ///     try TextEncoding.checkIsText([0xFF, 0xFE, 0x63, 0x00], file: "s.csv")
    ///     // throws: s.csv: is UTF-16 text (byte order mark FF FE); UTF-16 is not supported, save as UTF-8;
    ///     //         expected a UTF-8 or GB18030 text file
    ///
    /// - Complexity: O(min(n, 64 KiB)).
    /// - Parameter nulAccepted: what a NUL byte's message says is expected (a policy file is JSON).
    public static func checkIsText(_ bytes: ArraySlice<UInt8>, file: String,
                                   nulAccepted: String = nulAcceptedText) throws(InputError) {
        let window = bytes.prefix(detectionWindow)
        func unsupported(_ name: String, _ how: String) -> InputError {
            InputError(file: file, problem: "is \(name) text (\(how)); \(name) is not supported, save as UTF-8",
                       accepted: unsupportedAccepted)
        }
        for bom in [[0xFF, 0xFE, 0x00, 0x00], [0x00, 0x00, 0xFE, 0xFF]] as [[UInt8]] where window.starts(with: bom) {
            throw unsupported("UTF-32", "byte order mark \(hex(bom))")
        }
        for bom in [[0xFF, 0xFE], [0xFE, 0xFF]] as [[UInt8]] where window.starts(with: bom) {
            throw unsupported("UTF-16", "byte order mark \(hex(bom))")
        }
        var zeros = [0, 0, 0, 0]
        for (offset, byte) in window.enumerated() where byte == 0 { zeros[offset & 3] += 1 }
        let total = zeros.reduce(0, +)
        guard total > 0 else { return }
        // ASCII text in UTF-32 is three zero bytes in four; in UTF-16, one in two, always at the
        // same parity. Anything else with a NUL is no text file either.
        let pairs = (window.count + 1) / 2
        let even = zeros[0] + zeros[2], odd = zeros[1] + zeros[3]
        if total * 2 > window.count && (window.count - total) * 8 >= window.count {
            throw unsupported("UTF-32", "three zero bytes in every four")
        }
        if max(even, odd) * 3 >= pairs && min(even, odd) * 20 <= max(even, odd) {
            throw unsupported("UTF-16", "a zero byte in every other")
        }
        let first = window.firstIndex(of: 0)! - window.startIndex
        throw Array(window).withUnsafeBufferPointer { nulByte($0, offset: first, file: file, accepted: nulAccepted) }
    }

    /// What the UTF-16 and UTF-32 messages expect (no `--encoding` reads them).
    public static let unsupportedAccepted = "a text file in UTF-8 or GB18030"

    // MARK: - Errors

    /// What every decoding error says is expected (the command line adds how to force one).
    public static let acceptedText = "a UTF-8 or GB18030 text file"

    private static func invalidBytes(_ buffer: UnsafeBufferPointer<UInt8>, offset: Int, length: Int,
                                     as encoding: TextEncoding, file: String) -> InputError {
        let end = min(buffer.count, offset + max(1, length))
        let shown = hex(buffer[offset..<end])
        let subject = end - offset == 1 ? "byte \(shown) is" : "bytes \(shown) are"
        return InputError(
            file: file, line: lineNumber(at: offset, in: buffer),
            problem: "\(subject) not valid \(encoding.displayName), the encoding the file was read in",
            accepted: acceptedText)
    }

    private static func nulByte(_ buffer: UnsafeBufferPointer<UInt8>, offset: Int,
                                file: String, accepted: String = nulAcceptedText) -> InputError {
        InputError(file: file, line: lineNumber(at: offset, in: buffer), problem: "NUL byte", accepted: accepted)
    }

    /// What a NUL byte's message expects of a table.
    public static let nulAcceptedText = "a text CSV file (UTF-8 or GB18030)"

    /// Upper-case hex, two digits per byte, separated by spaces: `E4 B8`.
    static func hex<S: Sequence<UInt8>>(_ bytes: S) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            if !out.isEmpty { out.append(0x20) }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The 1-based physical line holding byte `offset`, counting LF, CRLF and lone CR as one line
    /// break each, exactly as the CSV reader counts lines (so both name the same line).
    static func lineNumber(at offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Int {
        var line = 1
        var i = 0
        let end = min(offset, buffer.count)
        while i < end {
            let byte = buffer[i]
            if byte == 0x0A {
                line += 1
            } else if byte == 0x0D, !(i + 1 < buffer.count && buffer[i + 1] == 0x0A) {
                line += 1
            }
            i += 1
        }
        return line
    }

    // MARK: - Scanners

    /// Where a scan stopped.
    enum ScanStop: Equatable {
        /// All bytes before `end` are whole valid characters (`end` < count only when the last
        /// character was cut and that was allowed).
        case valid(end: Int)
        /// The ill-formed sequence at `offset`: its lead byte and the trail bytes that still fit.
        case invalid(offset: Int, length: Int)
        case nul(offset: Int)
    }

    /// True when the 8 bytes at `i` are all ASCII and (when asked) none is NUL, so the scanners
    /// can skip them at once: CSV files are mostly ASCII digits and commas.
    @inline(__always)
    private static func plainASCII8(_ buffer: UnsafeBufferPointer<UInt8>, at i: Int,
                                    rejectNUL: Bool) -> Bool {
        guard let base = buffer.baseAddress, i + 8 <= buffer.count else { return false }
        let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
        let high: UInt64 = 0x8080_8080_8080_8080
        if word & high != 0 { return false }
        // Classic "has a zero byte" test; exact as a yes/no answer.
        return !rejectNUL || (word &- 0x0101_0101_0101_0101) & ~word & high == 0
    }

    /// Validates UTF-8 per Unicode Table 3-7 (no overlongs, surrogates or values past U+10FFFF).
    static func scanUTF8(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int,
                         stopAtNUL: Bool, allowCutAtEnd: Bool) -> ScanStop {
        let count = buffer.count
        var i = start
        while i < count {
            if plainASCII8(buffer, at: i, rejectNUL: stopAtNUL) {
                i += 8
                continue
            }
            let lead = buffer[i]
            if lead < 0x80 {
                if lead == 0, stopAtNUL { return .nul(offset: i) }
                i += 1
                continue
            }
            let trailCount: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: trailCount = 1
            case 0xE0: trailCount = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: trailCount = 2
            case 0xED: trailCount = 2; high = 0x9F
            case 0xF0: trailCount = 3; low = 0x90
            case 0xF1...0xF3: trailCount = 3
            case 0xF4: trailCount = 3; high = 0x8F
            default: return .invalid(offset: i, length: 1)
            }
            var k = 1
            while k <= trailCount {
                if i + k >= count {
                    return allowCutAtEnd ? .valid(end: i) : .invalid(offset: i, length: k)
                }
                let trail = buffer[i + k]
                if trail < low || trail > high { return .invalid(offset: i, length: k) }
                low = 0x80
                high = 0xBF
                k += 1
            }
            i += trailCount + 1
        }
        return .valid(end: count)
    }

    /// Validates GB18030 structure: one byte 00–7F; two bytes 81–FE, 40–7E|80–FE; four bytes
    /// 81–FE, 30–39, 81–FE, 30–39 within the assigned ranges (U+0080–U+FFFF and U+10000–U+10FFFF).
    static func scanGB18030(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int,
                            stopAtNUL: Bool, allowCutAtEnd: Bool) -> ScanStop {
        let count = buffer.count
        var i = start
        // A cut at the end is either tolerated (the detection window) or the bytes so far are bad.
        func cut(_ length: Int) -> ScanStop {
            allowCutAtEnd ? .valid(end: i) : .invalid(offset: i, length: length)
        }
        while i < count {
            if plainASCII8(buffer, at: i, rejectNUL: stopAtNUL) {
                i += 8
                continue
            }
            let lead = buffer[i]
            if lead < 0x80 {
                if lead == 0, stopAtNUL { return .nul(offset: i) }
                i += 1
                continue
            }
            guard lead >= 0x81, lead <= 0xFE else { return .invalid(offset: i, length: 1) }
            guard i + 1 < count else { return cut(1) }
            let second = buffer[i + 1]
            switch second {
            case 0x40...0x7E, 0x80...0xFE:
                i += 2
            case 0x30...0x39:
                guard i + 2 < count else { return cut(2) }
                let third = buffer[i + 2]
                guard third >= 0x81, third <= 0xFE else { return .invalid(offset: i, length: 2) }
                guard i + 3 < count else { return cut(3) }
                let fourth = buffer[i + 3]
                guard fourth >= 0x30, fourth <= 0x39 else { return .invalid(offset: i, length: 3) }
                let linear = (Int(lead) - 0x81) * 12_600 + (Int(second) - 0x30) * 1_260
                    + (Int(third) - 0x81) * 10 + (Int(fourth) - 0x30)
                // 0…39419 map the rest of the BMP, 189000…1237575 map U+10000…U+10FFFF;
                // everything else is unassigned.
                guard linear <= 39_419 || (189_000...1_237_575).contains(linear) else {
                    return .invalid(offset: i, length: 4)
                }
                i += 4
            default:
                return .invalid(offset: i, length: 1)
            }
        }
        return .valid(end: count)
    }
}
