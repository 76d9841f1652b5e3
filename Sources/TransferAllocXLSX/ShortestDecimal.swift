/// The numeric-cell rule of workbooks: a spreadsheet stores a number as a binary double, and
/// the value it means is the shortest decimal that reads back as that double (what Excel shows,
/// and what was typed: 18063643.61 is stored as a double near it, and read as exactly
/// 18063643.61). Reading takes that decimal; writing puts a number in a cell only when its
/// shortest decimal is the tool's own decimal exactly, otherwise the cell is text.
///
///     ShortestDecimal.text(18063643.61)       // "18063643.61"
///     ShortestDecimal.text(1e-7)              // "0.0000001"
///     ShortestDecimal.text(1e21)              // "1000000000000000000000"
///     ShortestDecimal.storable("1234.50")     // true: the double 1234.5 reads back as 1234.5
///     ShortestDecimal.storable("0.12345678901234567")  // false: 17 significant digits
enum ShortestDecimal {
    /// The shortest round-trip decimal of a finite double, in plain notation (no exponent), with
    /// no trailing fraction zeros; zero (either sign) is `0`. Swift's `description` gives the
    /// shortest round-trip digits; only their notation is changed here, no arithmetic.
    static func text(_ value: Double) -> String {
        precondition(value.isFinite)
        if value == 0 { return "0" }
        var description = value.description
        var negative = false
        if description.hasPrefix("-") {
            negative = true
            description.removeFirst()
        }
        var mantissa = Substring(description)
        var exponent = 0
        if let e = description.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = description[..<e]
            exponent = Int(description[description.index(after: e)...])!
        }
        let point = mantissa.firstIndex(of: ".")
        let integerDigits = point.map { mantissa[..<$0] } ?? mantissa
        let fractionDigits = point.map { mantissa[mantissa.index(after: $0)...] } ?? ""
        let digits = Array(integerDigits + fractionDigits)
        // The decimal point sits after `position` digits (may be ≤ 0 or beyond the digits).
        let position = integerDigits.count + exponent
        var integer: String
        var fraction: String
        if position <= 0 {
            integer = "0"
            fraction = String(repeating: "0", count: -position) + String(digits)
        } else if position >= digits.count {
            integer = String(digits) + String(repeating: "0", count: position - digits.count)
            fraction = ""
        } else {
            integer = String(digits[..<position])
            fraction = String(digits[position...])
        }
        integer = canonicalInteger(integer)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let body = fraction.isEmpty ? integer : integer + "." + fraction
        return negative ? "-" + body : body
    }

    /// The decimal text without leading integer zeros or trailing fraction zeros (`-0` is `0`):
    /// two texts of the same value have the same canonical form. Nil for text that is not a
    /// plain decimal (`-`? digits, optionally `.` and digits).
    static func canonical(_ text: String) -> String? {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") {
            negative = true
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let integerPart = parts.first, !integerPart.isEmpty,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }), parts.count == 1 || !parts[1].isEmpty else { return nil }
        let integer = canonicalInteger(String(integerPart))
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let result = fraction.isEmpty ? integer : integer + "." + fraction
        return negative && result != "0" ? "-" + result : result
    }

    /// True when the decimal text can be a number cell: the double nearest it reads back as
    /// exactly its value.
    static func storable(_ text: String) -> Bool { numberCell(text) != nil }

    /// The canonical decimal a number cell holds for `text`, or nil when `text` must be a text
    /// cell (not a plain decimal, or no double reads back as it).
    static func numberCell(_ text: String) -> String? {
        guard let canonical = canonical(text), let value = Double(text), value.isFinite,
              ShortestDecimal.text(value) == canonical else { return nil }
        return canonical
    }

    private static func canonicalInteger(_ digits: String) -> String {
        let trimmed = digits.drop { $0 == "0" }
        return trimmed.isEmpty ? "0" : String(trimmed)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) && isASCII }
}
