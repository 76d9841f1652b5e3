import BigInt

/// A strict RFC 8259 JSON parser that keeps number literals as text and records where every
/// value starts.
///
///     let root = try JSONParser.parse(Array("{\n  \"granularity\": 0.01\n}".utf8), file: "p.json")
///     root.value["granularity"]   // .number("0.01")
///     root.value.members?[0].position   // 2:18
///
/// Accepted beyond the RFC: one leading UTF-8 byte-order mark (skipped; not counted in
/// columns). Rejected: invalid UTF-8, lone surrogate escapes, control characters in strings,
/// leading zeros, `NaN`/`Infinity`, comments, trailing commas, a key repeated in one object,
/// nesting deeper than `maximumDepth`, and anything after the value.
///
/// Errors are `InputError`s whose `column` is the character column, followed by the dotted path
/// of the place when there is one: `"17 (money.weights.settled)"`. List items are numbered from
/// 1 in paths (`land.tiers[2].standard`), as `prior_1` is the first prior year.
public enum JSONParser {
    /// Deepest allowed nesting of objects and lists (the top-level container is depth 1).
    public static let maximumDepth = 64

    /// Parses one JSON text.
    ///
    /// - Parameters:
    ///   - bytes: the UTF-8 text (a leading byte-order mark is allowed).
    ///   - file: the name errors should carry.
    /// - Returns: the top-level value with its position.
    /// - Throws: `InputError` naming the line, the character column and the dotted path.
    /// - Complexity: O(n) in the length of `bytes`; recursion depth is at most `maximumDepth`.
    public static func parse(_ bytes: [UInt8], file: String?) throws(InputError) -> JSONElement {
        var reader = JSONReader(bytes: bytes, file: file)
        return try reader.parseDocument()
    }

    /// Parses JSON held in a string.
    public static func parse(_ text: String, file: String?) throws(InputError) -> JSONElement {
        try parse(Array(text.utf8), file: file)
    }

    /// True when `text` is exactly a number in JSON grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    ///
    ///     JSONParser.isNumberLiteral("1.5e-3")   // true
    ///     JSONParser.isNumberLiteral("01")       // false
    public static func isNumberLiteral(_ text: some StringProtocol) -> Bool {
        let bytes = Array(text.utf8)
        guard let end = numberLiteralEnd(bytes, from: 0) else { return false }
        return end == bytes.count
    }

    /// The index just past the number literal starting at `start`, or nil if none starts there.
    static func numberLiteralEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        let n = bytes.count
        func isDigit(_ index: Int) -> Bool { index < n && bytes[index] >= 0x30 && bytes[index] <= 0x39 }
        if i < n && bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { return nil }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while isDigit(i) { i += 1 }
        }
        if i < n && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return nil }
            while isDigit(i) { i += 1 }
        }
        if i < n && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < n && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard isDigit(i) else { return nil }
            while isDigit(i) { i += 1 }
        }
        return i
    }

    /// Dotted path text: keys joined by `.`, list items as `[n]` counted from 1.
    ///
    ///     JSONParser.pathText([.key("land"), .key("tiers"), .index(2), .key("standard")])
    ///     // "land.tiers[2].standard"
    static func pathText(_ components: [JSONPathComponent]) -> String {
        var out = ""
        for component in components {
            switch component {
            case .key(let key):
                if !out.isEmpty { out += "." }
                out += key
            case .index(let index):
                out += "[\(index)]"
            }
        }
        return out
    }
}

/// One step of a dotted path: an object key, or a list item numbered from 1.
enum JSONPathComponent: Hashable, Sendable {
    case key(String)
    case index(Int)
}

extension ExactDecimal {
    /// The exact value of a JSON number literal, or nil when `text` is not one.
    ///
    ///     ExactDecimal(jsonNumberLiteral: "1.50e2")   // significand 150, scale 0 → 150
    ///     ExactDecimal(jsonNumberLiteral: "0.1")      // significand 1, scale 1 → 1/10
    ///
    /// - Parameter maximumExponent: literals whose exponent exceeds this magnitude are refused
    ///   (nil), so that a hostile `1e999999999` cannot make a ten-to-the-billion integer.
    public init?(jsonNumberLiteral text: some StringProtocol, maximumExponent: Int = 1000) {
        guard JSONParser.isNumberLiteral(text) else { return nil }
        var mantissa = Substring(text)
        var exponent = 0
        if let e = mantissa.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            var digits = mantissa[mantissa.index(after: e)...]
            var negative = false
            if digits.first == "+" || digits.first == "-" {
                negative = digits.first == "-"
                digits = digits.dropFirst()
            }
            let significant = digits.drop(while: { $0 == "0" })
            guard significant.count <= 9, let magnitude = Int(significant.isEmpty ? "0" : significant),
                  magnitude <= maximumExponent else { return nil }
            exponent = negative ? -magnitude : magnitude
            mantissa = mantissa[..<e]
        }
        var negative = false
        if mantissa.first == "-" {
            negative = true
            mantissa = mantissa.dropFirst()
        }
        var digits = String(mantissa)
        var scale = 0
        if let dot = mantissa.firstIndex(of: ".") {
            scale = mantissa.distance(from: mantissa.index(after: dot), to: mantissa.endIndex)
            digits = String(mantissa[..<dot]) + String(mantissa[mantissa.index(after: dot)...])
        }
        guard var significand = BigInt(digits, radix: 10) else { return nil }
        if negative { significand.negate() }
        self.init(significand: significand, scale: scale - exponent)
    }
}

/// The parser's cursor over the bytes. Tracks the line and a column cache so positions cost
/// amortised O(1).
struct JSONReader {
    let bytes: [UInt8]
    let file: String?
    var index = 0
    var line = 1
    var lineStart = 0
    var columnCacheIndex = 0
    var columnCacheValue = 1
    var path: [JSONPathComponent] = []

    init(bytes: [UInt8], file: String?) {
        self.bytes = bytes
        self.file = file
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            index = 3
            lineStart = 3
            columnCacheIndex = 3
        }
    }

    // MARK: Positions and errors

    /// The position of byte `target`, which lies on the current line.
    mutating func position(at target: Int) -> JSONPosition {
        if columnCacheIndex < lineStart || columnCacheIndex > target {
            columnCacheIndex = lineStart
            columnCacheValue = 1
        }
        var i = columnCacheIndex
        var column = columnCacheValue
        while i < target {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        columnCacheIndex = target
        columnCacheValue = column
        return JSONPosition(line: line, column: column)
    }

    mutating func currentPosition() -> JSONPosition { position(at: index) }

    func error(at position: JSONPosition, value: String?, problem: String, accepted: String?,
               path extra: JSONPathComponent? = nil) -> InputError {
        var components = path
        if let extra { components.append(extra) }
        let pathText = JSONParser.pathText(components)
        let column = pathText.isEmpty ? "\(position.column)" : "\(position.column) (\(pathText))"
        return InputError(file: file, line: position.line, column: column, value: value,
                          problem: problem, accepted: accepted)
    }

    /// The text from `start` up to the next white space or JSON punctuation, at most 40
    /// characters: what the user sees as the offending token.
    func token(from start: Int) -> String {
        var end = start
        var count = 0
        while end < bytes.count && count < 40 {
            let byte = bytes[end]
            if count > 0 && (byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x2C
                || byte == 0x3A || byte == 0x5B || byte == 0x5D || byte == 0x7B || byte == 0x7D || byte == 0x22) {
                break
            }
            end += 1
            while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
            count += 1
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The error for the byte at `index`, which is not what the grammar allows there.
    mutating func unexpected(expected accepted: String) -> InputError {
        let here = currentPosition()
        if index >= bytes.count {
            return error(at: here, value: nil, problem: "the text ends too early", accepted: accepted)
        }
        if bytes[index] >= 0x80 && JSONReader.decodeScalar(bytes, at: index) == nil {
            return invalidUTF8(at: index)
        }
        return error(at: here, value: token(from: index), problem: "is not valid JSON here", accepted: accepted)
    }

    mutating func invalidUTF8(at offset: Int) -> InputError {
        let here = position(at: offset)
        let shown = bytes[offset..<min(offset + 4, bytes.count)]
            .map { "\\x" + ($0 < 0x10 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined()
        return error(at: here, value: shown, problem: "is not valid UTF-8",
                     accepted: "a policy file saved as UTF-8 (JSON is always UTF-8)")
    }

    static let valueAccepted = "a JSON value: an object {…}, a list […], a string \"…\", a number, true, false or null"

    // MARK: Grammar

    mutating func parseDocument() throws(InputError) -> JSONElement {
        skipWhitespace()
        if index >= bytes.count {
            throw error(at: currentPosition(), value: nil, problem: "holds no JSON value (the text is empty)",
                        accepted: JSONReader.valueAccepted)
        }
        let root = try parseValue(depth: 0)
        skipWhitespace()
        if index < bytes.count {
            let here = currentPosition()
            if bytes[index] >= 0x80 && JSONReader.decodeScalar(bytes, at: index) == nil {
                throw invalidUTF8(at: index)
            }
            throw error(at: here, value: token(from: index), problem: "follows the end of the JSON value",
                        accepted: "nothing after the top-level value but white space")
        }
        return root
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09:
                index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            case 0x0D:
                index += 1
                if index < bytes.count && bytes[index] == 0x0A { continue }
                line += 1
                lineStart = index
            default:
                return
            }
        }
    }

    /// Parses the value at `index` (white space already skipped). `depth` counts the
    /// containers around it.
    mutating func parseValue(depth: Int) throws(InputError) -> JSONElement {
        let start = currentPosition()
        guard index < bytes.count else {
            throw unexpected(expected: JSONReader.valueAccepted)
        }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            return JSONElement(try parseObject(depth: depth + 1, start: start), at: start)
        case UInt8(ascii: "["):
            return JSONElement(try parseArray(depth: depth + 1, start: start), at: start)
        case UInt8(ascii: "\""):
            return JSONElement(.string(try parseString()), at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONElement(.number(try parseNumber(start: start)), at: start)
        case UInt8(ascii: "t"):
            try parseLiteral("true", start: start)
            return JSONElement(.bool(true), at: start)
        case UInt8(ascii: "f"):
            try parseLiteral("false", start: start)
            return JSONElement(.bool(false), at: start)
        case UInt8(ascii: "n"):
            try parseLiteral("null", start: start)
            return JSONElement(.null, at: start)
        default:
            throw unexpected(expected: JSONReader.valueAccepted)
        }
    }

    mutating func checkDepth(_ depth: Int, start: JSONPosition) throws(InputError) {
        if depth > JSONParser.maximumDepth {
            throw error(at: start, value: nil,
                        problem: "nests objects and lists more than \(JSONParser.maximumDepth) levels deep",
                        accepted: "at most \(JSONParser.maximumDepth) levels of nesting")
        }
    }

    mutating func parseObject(depth: Int, start: JSONPosition) throws(InputError) -> JSONValue {
        try checkDepth(depth, start: start)
        index += 1
        var members: [JSONMember] = []
        var seen: [String: JSONPosition] = [:]
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object([])
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                if index < bytes.count && bytes[index] == UInt8(ascii: "}") && !members.isEmpty {
                    throw error(at: currentPosition(), value: "}", problem: "follows a trailing comma",
                                accepted: "another \"key\": value after the comma, or no comma before }")
                }
                throw unexpected(expected: "a key in double quotes, e.g. \"money\"")
            }
            let keyPosition = currentPosition()
            let key = try parseString()
            if let first = seen[key] {
                throw error(at: keyPosition, value: key,
                            problem: "is a key given twice in one object: on line \(first.line) "
                                + "(column \(first.column)) and again on line \(keyPosition.line)",
                            accepted: "each key at most once in an object", path: .key(key))
            }
            seen[key] = keyPosition
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw unexpected(expected: "a colon : after the key \"\(key)\"")
            }
            index += 1
            skipWhitespace()
            path.append(.key(key))
            let value = try parseValue(depth: depth)
            path.removeLast()
            members.append(JSONMember(key: key, keyPosition: keyPosition, value: value.value,
                                      position: value.position))
            skipWhitespace()
            guard index < bytes.count else {
                throw unexpected(expected: "a comma , or the closing } of the object")
            }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            throw unexpected(expected: "a comma , or the closing } of the object")
        }
    }

    mutating func parseArray(depth: Int, start: JSONPosition) throws(InputError) -> JSONValue {
        try checkDepth(depth, start: start)
        index += 1
        var elements: [JSONElement] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        while true {
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
                throw error(at: currentPosition(), value: "]", problem: "follows a trailing comma",
                            accepted: "another value after the comma, or no comma before ]")
            }
            path.append(.index(elements.count + 1))
            let element = try parseValue(depth: depth)
            path.removeLast()
            elements.append(element)
            skipWhitespace()
            guard index < bytes.count else {
                throw unexpected(expected: "a comma , or the closing ] of the list")
            }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            throw unexpected(expected: "a comma , or the closing ] of the list")
        }
    }

    mutating func parseLiteral(_ word: StaticString, start: JSONPosition) throws(InputError) {
        let length = word.utf8CodeUnitCount
        var matches = index + length <= bytes.count
        if matches {
            let expected = UnsafeBufferPointer(start: word.utf8Start, count: length)
            for offset in 0..<length where bytes[index + offset] != expected[offset] {
                matches = false
                break
            }
        }
        let end = index + length
        if matches && (end == bytes.count || !JSONReader.isWordByte(bytes[end])) {
            index = end
            return
        }
        throw error(at: start, value: token(from: index), problem: "is not a JSON value",
                    accepted: JSONReader.valueAccepted + " (text must be in double quotes)")
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: "-") || byte >= 0x80
    }

    mutating func parseNumber(start: JSONPosition) throws(InputError) -> String {
        let first = index
        let accepted = "a JSON number such as 0, -12, 0.8 or 1.5e-3 (no leading zeros, + sign, "
            + "leading or trailing point, NaN or Infinity)"
        guard let end = JSONParser.numberLiteralEnd(bytes, from: first),
              end == bytes.count || !JSONReader.isWordByte(bytes[end]) else {
            throw error(at: start, value: token(from: first), problem: "is not a valid number", accepted: accepted)
        }
        index = end
        return String(decoding: bytes[first..<end], as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x41...0x46: UInt32(byte - 0x41 + 10)
        case 0x61...0x66: UInt32(byte - 0x61 + 10)
        default: nil
        }
    }

    /// Reads `\uXXXX` at `index` (pointing at the backslash); nil when the four hex digits are
    /// not there.
    mutating func readUnicodeEscape() -> UInt32? {
        guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
              bytes[index + 1] == UInt8(ascii: "u") else { return nil }
        var value: UInt32 = 0
        for offset in 2..<6 {
            guard let digit = JSONReader.hexValue(bytes[index + offset]) else { return nil }
            value = value << 4 | digit
        }
        index += 6
        return value
    }

    mutating func parseString() throws(InputError) -> String {
        let start = currentPosition()
        index += 1
        var buffer: [UInt8] = []
        while true {
            guard index < bytes.count else {
                throw error(at: start, value: nil, problem: "opens a string that is never closed",
                            accepted: "a closing double quote \" on the same line")
            }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &buffer)
            case 0x00..<0x20:
                let here = currentPosition()
                if byte == 0x0A || byte == 0x0D {
                    throw error(at: here, value: nil, problem: "breaks a string across lines",
                                accepted: "a closing double quote \" before the end of the line, or \\n inside the string")
                }
                throw error(at: here, value: String(UnicodeScalar(byte)),
                            problem: "is a control character inside a string",
                            accepted: "control characters written as escapes such as \\t or \\u0001")
            case 0x80...:
                guard let (_, length) = JSONReader.decodeScalar(bytes, at: index) else {
                    throw invalidUTF8(at: index)
                }
                buffer.append(contentsOf: bytes[index..<index + length])
                index += length
            default:
                buffer.append(byte)
                index += 1
            }
        }
    }

    mutating func parseEscape(into buffer: inout [UInt8]) throws(InputError) {
        let here = currentPosition()
        guard index + 1 < bytes.count else {
            throw error(at: here, value: "\\", problem: "ends the text inside a string",
                        accepted: "an escape such as \\n, \\\" or \\u00e9, then a closing quote")
        }
        let escaped = bytes[index + 1]
        let simple: UInt8? = switch escaped {
        case UInt8(ascii: "\""): 0x22
        case UInt8(ascii: "\\"): 0x5C
        case UInt8(ascii: "/"): 0x2F
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let simple {
            buffer.append(simple)
            index += 2
            return
        }
        let escapeAccepted = "one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u followed by four hex digits"
        guard escaped == UInt8(ascii: "u") else {
            throw error(at: here, value: token(from: index), problem: "is not a valid escape in a string",
                        accepted: escapeAccepted)
        }
        let escapeStart = index
        guard let unit = readUnicodeEscape() else {
            throw error(at: here, value: token(from: escapeStart), problem: "is not a valid \\u escape",
                        accepted: "\\u followed by exactly four hex digits, e.g. \\u4ea9")
        }
        var scalarValue = unit
        if unit >= 0xD800 && unit <= 0xDBFF {
            let lowStart = index
            guard let low = readUnicodeEscape(), low >= 0xDC00 && low <= 0xDFFF else {
                index = lowStart
                throw error(at: here, value: String(decoding: bytes[escapeStart..<lowStart], as: UTF8.self),
                            problem: "is a lone high surrogate (not followed by a \\uDC00–\\uDFFF low surrogate)",
                            accepted: "a complete surrogate pair such as \\ud83d\\ude00, or the character itself")
            }
            scalarValue = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        } else if unit >= 0xDC00 && unit <= 0xDFFF {
            throw error(at: here, value: String(decoding: bytes[escapeStart..<index], as: UTF8.self),
                        problem: "is a lone low surrogate (no \\uD800–\\uDBFF high surrogate before it)",
                        accepted: "a complete surrogate pair such as \\ud83d\\ude00, or the character itself")
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            throw error(at: here, value: nil, problem: "is not a Unicode character", accepted: escapeAccepted)
        }
        UTF8.encode(scalar) { buffer.append($0) }
    }

    /// Strictly decodes one UTF-8 sequence starting at `offset`: no overlong forms, no encoded
    /// surrogates, nothing above U+10FFFF, no sequence cut by the end.
    static func decodeScalar(_ bytes: [UInt8], at offset: Int) -> (UInt32, Int)? {
        let b0 = bytes[offset]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let length: Int
        var lowest: UInt8 = 0x80
        var highest: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowest = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; highest = 0x9F
        case 0xF0: length = 4; lowest = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; highest = 0x8F
        default: return nil
        }
        guard offset + length <= bytes.count else { return nil }
        let b1 = bytes[offset + 1]
        guard b1 >= lowest && b1 <= highest else { return nil }
        var value = UInt32(b0) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        value = value << 6 | UInt32(b1 & 0x3F)
        for k in 2..<length {
            let b = bytes[offset + k]
            guard b & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(b & 0x3F)
        }
        return (value, length)
    }
}
