import BigInt

/// Reads the numeric cells of CSV inputs exactly, by the contract's number rule (§2.1).
///
/// Digits are ASCII `0`–`9` or full-width `０`–`９` (mixed freely); the integer part may be grouped
/// with `,` in strict groups of three; an optional fraction is `.` and at least one digit, after at
/// least one digit. No exponent, no `+`, no white space inside (the text is already trimmed).
///
///     NumberCell.parse("1,234.50")   // .success(ExactDecimal(significand: 123450, scale: 2))
///     NumberCell.parse("１２")        // .success(ExactDecimal(significand: 12, scale: 0))
///     NumberCell.parse("-5")         // .failure(.negative)
///     NumberCell.parse("12,34")      // .failure(.malformed)
///     NumberCell.parseWhole("12.0")  // .success(12)
///     NumberCell.parseWhole("12.5")  // .failure(.notWhole)
public enum NumberCell {
    /// Why a cell is not an accepted number, so callers can word the message.
    public enum Failure: Error, Equatable {
        /// A well-formed number with a leading minus sign (`-0` included): "is negative".
        case negative
        /// Not a number by the rule, or more than `maxDigits` digits ("out of the supported range"
        /// when the text is all digits).
        case malformed
        /// A number with a non-zero fraction where a whole count is required (`parseWhole`).
        case notWhole
    }

    /// The most digits (integer and fraction together) a cell may have. Real counts and amounts
    /// have at most about 20; the cap keeps a hostile 400-digit cell from costing anything.
    public static let maxDigits = 60

    /// Parses a trimmed, non-empty numeric cell to its exact decimal value.
    ///
    ///     NumberCell.parse("1,234,567")  // .success(ExactDecimal(significand: 1234567, scale: 0))
    ///     NumberCell.parse("0.050")      // .success(ExactDecimal(significand: 50, scale: 3))
    ///     NumberCell.parse("-0")         // .failure(.negative)
    ///     NumberCell.parse(".5")         // .failure(.malformed)
    ///
    /// A minus sign (`-`, or the look-alikes `−` U+2212 and `－` U+FF0D) before an otherwise valid
    /// number gives `.negative`, so the caller can say "negative" rather than "not a number".
    /// Never returns `.notWhole`.
    ///
    /// - Complexity: O(min(n, `maxDigits`)) scalars, then O(`maxDigits`²) at most for the BigInt.
    public static func parse(_ text: String) -> Result<ExactDecimal, Failure> {
        parse(text, digitLimit: true)
    }

    /// True when `text` follows the number rule but has more than `maxDigits` digits: a number
    /// beyond the supported range rather than no number at all (callers word the two apart).
    ///
    ///     NumberCell.isOverlong(String(repeating: "9", count: 400))   // true
    ///     NumberCell.isOverlong("12a")                                // false
    ///
    /// - Complexity: O(n) scalars; no arithmetic.
    public static func isOverlong(_ text: String) -> Bool {
        guard case .failure(.malformed) = parse(text) else { return false }
        switch parse(text, digitLimit: false) {
        case .success, .failure(.negative): return true
        default: return false
        }
    }

    /// With `digitLimit` false the digits are checked for their shape only (no value is built,
    /// the significand returned is 0), so any length costs O(n).
    static func parse(_ text: String, digitLimit: Bool) -> Result<ExactDecimal, Failure> {
        if digitLimit, let plain = parsePlainASCII(text) { return .success(plain) }
        var scalars = Substring(text).unicodeScalars
        var negative = false
        if let first = scalars.first, first == "-" || first == "\u{2212}" || first == "\u{FF0D}" {
            negative = true
            scalars = scalars.dropFirst()
        }

        // Digits are gathered 18 at a time in a UInt64 (10^18 < 2^63), so the BigInt sees at most
        // four multiply-adds for a 60-digit cell.
        var significand = BigInt(0)
        var chunk: UInt64 = 0
        var chunkDigits = 0
        var totalDigits = 0
        var integerDigits = 0
        var fractionDigits = 0
        var inFraction = false
        var sawComma = false
        /// Digits since the last comma (or since the start) in the integer part.
        var groupDigits = 0

        for scalar in scalars {
            let digit: UInt64
            switch scalar.value {
            case 0x30...0x39:
                digit = UInt64(scalar.value - 0x30)
            case 0xFF10...0xFF19:
                digit = UInt64(scalar.value - 0xFF10)
            case 0x2C:  // ,
                // The first group has 1–3 digits, every later one exactly 3; never in a fraction.
                if inFraction || groupDigits == 0 || groupDigits > 3 || (sawComma && groupDigits != 3) {
                    return .failure(.malformed)
                }
                sawComma = true
                groupDigits = 0
                continue
            case 0x2E:  // .
                if inFraction || integerDigits == 0 || (sawComma && groupDigits != 3) {
                    return .failure(.malformed)
                }
                inFraction = true
                continue
            default:
                return .failure(.malformed)
            }
            totalDigits += 1
            if totalDigits > maxDigits && digitLimit { return .failure(.malformed) }
            if inFraction {
                fractionDigits += 1
            } else {
                integerDigits += 1
                groupDigits += 1
                // A group after a comma may not grow past 3 ("1,2345").
                if sawComma, groupDigits > 3 { return .failure(.malformed) }
            }
            guard digitLimit else { continue }
            chunk = chunk * 10 + digit
            chunkDigits += 1
            if chunkDigits == 18 {
                significand = significand * BigInt(word: 1_000_000_000_000_000_000) + BigInt(word: chunk)
                chunk = 0
                chunkDigits = 0
            }
        }

        if integerDigits == 0 { return .failure(.malformed) }              // "", "-", ".5"
        if inFraction, fractionDigits == 0 { return .failure(.malformed) } // "5."
        if !inFraction, sawComma, groupDigits != 3 { return .failure(.malformed) } // "1,23", "1,"
        if negative { return .failure(.negative) }
        if significand.isZero {
            significand = BigInt(word: chunk)  // the usual case: at most 18 digits, no multiplication
        } else if chunkDigits > 0 {
            var scale: UInt64 = 1
            for _ in 0..<chunkDigits { scale *= 10 }
            significand = significand * BigInt(word: scale) + BigInt(word: chunk)
        }
        return .success(ExactDecimal(significand: significand, scale: fractionDigits))
    }

    /// The common cell, `1234` or `1234.5`: ASCII digits with at most one `.` between digits,
    /// 18 digits at most, no grouping, no sign. Read byte by byte into one word, without the
    /// general path's scalar decoding; nil for anything else (the general path decides it).
    ///
    /// - Complexity: O(n) bytes, n ≤ 19.
    static func parsePlainASCII(_ text: String) -> ExactDecimal? {
        let utf8 = text.utf8
        guard utf8.count <= 19 else { return nil }
        // Native and small strings hand out their bytes directly; the view's iterator checks
        // every byte's position, which cost more than the digits.
        if let result = utf8.withContiguousStorageIfAvailable({ parsePlainASCII(bytes: $0) }) { return result }
        return parsePlainASCII(bytes: utf8)
    }

    private static func parsePlainASCII<Bytes: Sequence<UInt8>>(bytes utf8: Bytes) -> ExactDecimal? {
        var value: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawPoint = false
        for byte in utf8 {
            if byte &- UInt8(ascii: "0") < 10 {
                value = value &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
                digits += 1
                if sawPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !sawPoint, digits > 0 {
                sawPoint = true
            } else {
                return nil
            }
        }
        // "5." and "" go to the general path, which rejects them; 18 digits < 2^63.
        guard digits > 0, digits <= 18, !sawPoint || fractionDigits > 0 else { return nil }
        return ExactDecimal(significand: BigInt(word: value), scale: fractionDigits)
    }

    /// Parses a count: a number by the same rule whose value is whole (`12.0` is 12).
    ///
    ///     NumberCell.parseWhole("1,234")  // .success(1234)
    ///     NumberCell.parseWhole("12.00")  // .success(12)
    ///     NumberCell.parseWhole("12.5")   // .failure(.notWhole)
    ///     NumberCell.parseWhole("-3.5")   // .failure(.negative)
    public static func parseWhole(_ text: String) -> Result<BigInt, Failure> {
        switch parse(text) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let decimal):
            if decimal.scale == 0 { return .success(decimal.significand) }
            let (quotient, remainder) = decimal.significand.quotientAndRemainder(
                dividingBy: Rational.powerOfTen(decimal.scale))
            return remainder.isZero ? .success(quotient) : .failure(.notWhole)
        }
    }
}
