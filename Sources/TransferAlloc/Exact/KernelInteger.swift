import BigInt

/// The integer types the apportionment kernel runs on: `Int128` when every intermediate
/// provably fits (no allocation, the common case), `Int256` when it fits in 256 bits (still no
/// allocation), `BigInt` otherwise.
///
/// The choice is made once per run from the bit widths of the inputs (see
/// `Apportionment.narrowestKernel`), so the fixed-width paths never overflow and never trap.
/// Only the operations the kernel uses are required, so a fixed-width type need not implement
/// all of `SignedInteger`.
public protocol KernelInteger: Comparable, ExpressibleByIntegerLiteral, Sendable {
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static func += (lhs: inout Self, rhs: Self)
    static func -= (lhs: inout Self, rhs: Self)
    /// Truncating division; the kernel only divides a non-negative value by a positive one.
    func quotientAndRemainder(dividingBy divisor: Self) -> (quotient: Self, remainder: Self)
    init(_ value: BigInt)
    var bigInt: BigInt { get }
    /// A Double near the value, for a first approximate ordering that exact comparisons then
    /// confirm (never for a result).
    var approximateDouble: Double { get }
    /// The value as Int (the count of units left over, below the number of counties).
    var intValue: Int { get }
}

extension Int128: KernelInteger {
    /// - Precondition: the value fits (checked by the caller's width test).
    ///
    /// Reads the magnitude's words directly: BigInt's generic `BinaryInteger` conversions are
    /// not specialized across the module boundary, and a sweep makes millions of conversions.
    public init(_ value: BigInt) {
        guard UInt.bitWidth == 64 else { self = Int128(exactly: value)!; return }
        let words = value.magnitude.words
        precondition(words.count <= 2, "BigInt does not fit in Int128")
        let low = words.count > 0 ? words[0] : 0
        let high = words.count > 1 ? words[1] : 0
        let magnitude = UInt128(high) << 64 | UInt128(low)
        if value.sign == .minus {
            precondition(magnitude <= UInt128(1) << 127, "BigInt does not fit in Int128")
            self = Int128(truncatingIfNeeded: 0 &- magnitude)
        } else {
            precondition(magnitude <= UInt128(Int128.max), "BigInt does not fit in Int128")
            self = Int128(magnitude)
        }
    }

    /// From the magnitude's two halves (the generic `Double(_:)` is not specialized for Int128),
    /// then the sign: adding a negative high half to a rounded low half would lose small
    /// negative values entirely (−1 came out as 0).
    public var approximateDouble: Double {
        let m = magnitude
        let value = Double(UInt64(truncatingIfNeeded: m >> 64)) * 18_446_744_073_709_551_616.0
            + Double(UInt64(truncatingIfNeeded: m))
        return self < 0 ? -value : value
    }

    /// The same value as a BigInt, built from words (see `init(_:)` for why).
    public var bigInt: BigInt {
        guard UInt.bitWidth == 64 else { return BigInt(self) }
        return BigInt(magnitude128: magnitude, negative: self < 0)
    }

    public var intValue: Int { Int(self) }
}

extension BigInt: KernelInteger {
    /// The value itself (without this, `I(value)` in the kernel takes BigInt's generic
    /// `BinaryInteger` conversion, word by word).
    public init(_ value: BigInt) { self = value }
    public var bigInt: BigInt { self }
    public var intValue: Int { Int(self) }
    /// From the top two words (the generic `Double(_:)` is several times slower); infinite
    /// beyond Double's range.
    public var approximateDouble: Double {
        let words = magnitude.words
        guard UInt.bitWidth == 64, words.count >= 2 else {
            let low = words.isEmpty ? 0 : Double(words[0])
            return sign == .minus ? -low : low
        }
        let top = Double(words[words.count - 1]) * 18_446_744_073_709_551_616.0 + Double(words[words.count - 2])
        let magnitude = Double(sign: .plus, exponent: 64 * (words.count - 2), significand: top)
        return sign == .minus ? -magnitude : magnitude
    }
}

extension BigInt {
    /// The value as Int64 when it fits, read from the words (fast; see `Int128.init(_:)`).
    var int64: Int64? {
        let words = magnitude.words
        guard UInt.bitWidth == 64, words.count <= 1 else { return words.count <= 1 ? Int64(exactly: self) : nil }
        let word = words.count == 1 ? words[0] : 0
        if sign == .minus {
            return word <= UInt(1) << 63 ? Int64(truncatingIfNeeded: 0 &- word) : nil
        }
        return word <= UInt(Int64.max) ? Int64(word) : nil
    }

    /// Number of bits needed for the magnitude (0 for zero). `BigUInt.bitWidth` already
    /// excludes the leading zeros of its top word.
    var magnitudeBitWidth: Int { magnitude.bitWidth }
}

/// Stein's binary gcd on a machine integer: the word-sized fast path of every gcd the exact
/// paths take (`Rational.gcd`, the sweep's common divisors).
func binaryGCD<T: FixedWidthInteger & UnsignedInteger>(_ x: T, _ y: T) -> T {
    if x == 0 { return y }
    if y == 0 { return x }
    var a = x, b = y
    let shift = (a | b).trailingZeroBitCount
    a >>= a.trailingZeroBitCount
    repeat {
        b >>= b.trailingZeroBitCount
        if a > b { swap(&a, &b) }
        b -= a
    } while b != 0
    return a << shift
}

extension BigInt {
    /// The magnitude as one machine word when it fits (attaswift's generic conversions are
    /// slow on the hot paths that only ever see small values).
    var smallMagnitude: UInt64? {
        let words = magnitude.words
        switch words.count {
        case 0: return 0
        case 1: return UInt64(words[words.startIndex])
        default: return nil
        }
    }

    /// The value as an Int64 when it fits exactly (Int64.min does not: its magnitude is held
    /// as 2^63, and a caller keeps such a value wide).
    var exactInt64: Int64? {
        guard let magnitude = smallMagnitude, magnitude <= UInt64(Int64.max) else { return nil }
        return sign == .minus ? -Int64(magnitude) : Int64(magnitude)
    }

    /// True for +1, read from the words (comparing with the literal `1` builds a BigInt
    /// through the generic conversion first).
    var isOne: Bool {
        let words = magnitude.words
        return sign == .plus && words.count == 1 && words[words.startIndex] == 1
    }

    /// The magnitude as a UInt128 when it fits in two words.
    var magnitude128: UInt128? {
        let words = magnitude.words
        switch words.count {
        case 0: return 0
        case 1: return UInt128(words[words.startIndex])
        case 2: return UInt128(words[words.startIndex + 1]) << 64 | UInt128(words[words.startIndex])
        default: return nil
        }
    }

    /// A non-negative word as a BigInt, stored inline: BigUInt's generic integer conversion
    /// is not specialized across the module boundary, and `BigUInt(words: [w])` allocates an
    /// array; multiplying the inline 1 by the word does neither.
    init(word: UInt64) {
        guard word > 1 else {
            self = word == 0 ? BigInt.zeroConstant : BigInt.oneConstant
            return
        }
        var magnitude = BigInt.oneConstant.magnitude
        magnitude.multiply(byWord: UInt(word))
        self.init(sign: .plus, magnitude: magnitude)
    }

    /// A signed word as a BigInt, stored inline like `init(word:)`.
    init(int64 value: Int64) {
        self.init(word: value.magnitude)
        if value < 0 { negate() }
    }

    /// ±magnitude, stored inline like `init(word:)`.
    init(magnitude128 m: UInt128, negative: Bool) {
        let low = UInt64(truncatingIfNeeded: m)
        let high = UInt64(truncatingIfNeeded: m >> 64)
        if high == 0 {
            self.init(word: low)
        } else {
            var magnitude = BigUInt()
            magnitude.multiplyAndAdd(BigInt.oneConstant.magnitude, UInt(high), shiftedBy: 1)
            magnitude.multiplyAndAdd(BigInt.oneConstant.magnitude, UInt(low), shiftedBy: 0)
            self.init(sign: .plus, magnitude: magnitude)
        }
        if negative { negate() }
    }

    private static let zeroConstant = BigInt(sign: .plus, magnitude: BigUInt())
    /// Inline (two-word) storage: the generic conversion from a fixed-width integer makes it so.
    private static let oneConstant = BigInt(sign: .plus, magnitude: BigUInt(UInt(1)))

    /// Decimal digits, with a machine-word fast path.
    var decimalText: String {
        if let small = magnitude128 { return FixedPointText.format(magnitude: small, negative: sign == .minus, places: 0) }
        return String(self)
    }
}
