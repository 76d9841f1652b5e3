import BigInt

/// An exact fraction `numerator / denominator`, always in lowest terms with a positive
/// denominator, so equal values compare and hash equal.
///
///     Rational(1, 3) + Rational(1, 6)   // 1/2
///     try NumberCell.parse("0.1").get().rational   // 1/10: decimal text is read exactly, never via a double
public struct Rational: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let numerator: BigInt
    public let denominator: BigInt

    /// - Precondition: `denominator != 0`.
    public init(_ numerator: BigInt, _ denominator: BigInt) {
        precondition(!denominator.isZero, "Rational with zero denominator")
        // Word-sized fast path: most values in a run (counts, coefficients, amounts) fit in
        // 64 bits, where BigInt's general gcd and division cost far more than the value.
        if let n = numerator.smallMagnitude, let d = denominator.smallMagnitude {
            let negative = (numerator.sign == .minus) != (denominator.sign == .minus) && n != 0
            if n == 0 {
                self.numerator = numerator.sign == .minus ? BigInt(word: 0) : numerator
                self.denominator = BigInt(word: 1)
                return
            }
            let g = binaryGCD(n, d)
            if g == 1 && denominator.sign == .plus {  // already in lowest terms
                self.numerator = numerator
                self.denominator = denominator
                return
            }
            var reduced = BigInt(word: n / g)
            if negative { reduced.negate() }
            self.numerator = reduced
            self.denominator = BigInt(word: d / g)
            return
        }
        if denominator.isOne || numerator.isZero {
            self.numerator = numerator
            self.denominator = numerator.isZero ? BigInt(word: 1) : denominator
            return
        }
        var n = numerator
        var d = denominator
        if d.sign == .minus { n.negate(); d.negate() }
        let g = Rational.gcd(n, d)
        if !g.isOne {
            n /= g
            d /= g
        }
        self.numerator = n
        self.denominator = d
    }

    /// An integer (already in lowest terms).
    public init(_ integer: BigInt) { self.init(integer: integer) }

    public init(_ value: Int) { self.init(integer: BigInt(value)) }

    /// Greatest common divisor of the magnitudes, with a word-sized fast path: most values in
    /// a run (counts, coefficients, amounts) fit in 64 bits, where BigInt's general algorithm
    /// costs far more than the arithmetic it normalises.
    static func gcd(_ a: BigInt, _ b: BigInt) -> BigInt {
        if let x = a.smallMagnitude, let y = b.smallMagnitude { return BigInt(word: binaryGCD(x, y)) }
        return BigInt(a.magnitude.greatestCommonDivisor(with: b.magnitude))
    }

    public static let zero = Rational(0)
    public static let one = Rational(1)

    public var isZero: Bool { numerator.isZero }
    public var isNegative: Bool { numerator.sign == .minus && !numerator.isZero }
    public var isInteger: Bool { denominator.isOne }

    public static func + (a: Rational, b: Rational) -> Rational {
        if a.denominator.isOne && b.denominator.isOne { return Rational(integer: a.numerator + b.numerator) }
        if a.denominator == b.denominator { return Rational(a.numerator + b.numerator, a.denominator) }
        return Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }
    public static func - (a: Rational, b: Rational) -> Rational {
        a + Rational(-b.numerator, b.denominator)
    }
    public static prefix func - (a: Rational) -> Rational { Rational(-a.numerator, a.denominator) }
    public static func * (a: Rational, b: Rational) -> Rational {
        if a.denominator.isOne && b.denominator.isOne { return Rational(integer: a.numerator * b.numerator) }
        return Rational(a.numerator * b.numerator, a.denominator * b.denominator)
    }

    /// An integer, without normalising.
    init(integer: BigInt) {
        numerator = integer
        denominator = BigInt(word: 1)
    }
    /// - Precondition: `b` is not zero.
    public static func / (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.denominator, a.denominator * b.numerator)
    }
    public static func += (a: inout Rational, b: Rational) { a = a + b }
    public static func -= (a: inout Rational, b: Rational) { a = a - b }
    public static func *= (a: inout Rational, b: Rational) { a = a * b }

    public static func < (a: Rational, b: Rational) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    /// The largest integer not above the value (rounds toward −∞).
    public var floor: BigInt {
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        return (r.sign == .minus && !r.isZero) ? q - 1 : q
    }

    /// The smallest integer not below the value (rounds toward +∞).
    public var ceiling: BigInt {
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        return (r.sign == .plus && !r.isZero) ? q + 1 : q
    }

    /// ⌈value / g⌉ for g > 0, in 128 bits when the value is ≥ 0 and its parts and g fit in
    /// 64 bits (bounds in fen over the granularity: always, in practice).
    ///
    ///     Rational(2001, 2).ceilingOfQuotient(by: 1)   // 1001
    func ceilingOfQuotient(by g: BigInt) -> BigInt {
        if let (q, r) = narrowDivision(by: g) { return BigInt(magnitude128: r == 0 ? q : q + 1, negative: false) }
        return (self / Rational(g)).ceiling
    }

    /// ⌊value / g⌋ for g > 0 (see `ceilingOfQuotient(by:)`).
    func floorOfQuotient(by g: BigInt) -> BigInt {
        if let (q, _) = narrowDivision(by: g) { return BigInt(magnitude128: q, negative: false) }
        return (self / Rational(g)).floor
    }

    /// n / (d·g) as quotient and remainder, when n ≥ 0 and n, d, g fit in 64 bits.
    private func narrowDivision(by g: BigInt) -> (UInt128, UInt128)? {
        guard numerator.sign == .plus, g.sign == .plus, let n = numerator.smallMagnitude,
              let d = denominator.smallMagnitude, let gg = g.smallMagnitude, gg > 0 else { return nil }
        return UInt128(n).quotientAndRemainder(dividingBy: UInt128(d) * UInt128(gg))
    }

    /// Rounds half away from zero ("四舍五入", Excel's ROUND) to an integer.
    public var roundedHalfUp: BigInt { Rational.halfUp(numerator, denominator) }

    /// n/d (d > 0) rounded half away from zero, without building a Rational.
    static func halfUp(_ n: BigInt, _ d: BigInt) -> BigInt {
        if let small = halfUpSmall(n, d) { return small }
        let negative = n.sign == .minus && !n.isZero
        let q = (n.magnitude * 2 + d.magnitude) / (d.magnitude * 2)
        return negative ? -BigInt(q) : BigInt(q)
    }

    /// Word-sized fast path of `halfUp`: nil when n or d does not fit in 63 bits.
    private static func halfUpSmall(_ n: BigInt, _ d: BigInt) -> BigInt? {
        guard let m = n.smallMagnitude, let dd = d.smallMagnitude, m < 1 << 62, dd < 1 << 62, dd > 0 else { return nil }
        let q = (2 * m + dd) / (2 * dd)
        return n.sign == .minus && m != 0 ? -BigInt(word: q) : BigInt(word: q)
    }

    /// 10^places for the places outputs use, without recomputing the power each time.
    static func powerOfTen(_ places: Int) -> BigInt {
        places >= 0 && places < powersOfTen.count ? powersOfTen[places] : BigInt(10).power(places)
    }

    private static let powersOfTen: [BigInt] = (0...38).map { BigInt(10).power($0) }

    /// The value scaled by 10^places and rounded half away from zero: the integer that
    /// `decimalString(places:)` prints.
    public func scaledHalfUp(places: Int) -> BigInt {
        Rational.halfUp(numerator * Rational.powerOfTen(places), denominator)
    }

    /// Fixed-point text with exactly `places` decimals, rounded half away from zero.
    ///
    ///     Rational(2, 3).decimalString(places: 4)   // "0.6667"
    ///     Rational(-1, 8).decimalString(places: 2)  // "-0.13"
    public func decimalString(places: Int) -> String {
        if let text = FixedPointText.quotient(numerator, denominator, places: places) { return text }
        return Rational.fixedPoint(scaledHalfUp(places: places), places: places)
    }

    /// `decimalString` of numerator/denominator (denominator > 0) without normalising first.
    public static func decimalString(numerator: BigInt, denominator: BigInt, places: Int) -> String {
        if let text = FixedPointText.quotient(numerator, denominator, places: places) { return text }
        return fixedPoint(halfUp(numerator * powerOfTen(places), denominator), places: places)
    }

    /// Prints an integer that counts units of 10^-places, e.g. (12345, 2) → "123.45".
    public static func fixedPoint(_ scaled: BigInt, places: Int) -> String {
        let negative = scaled.sign == .minus && !scaled.isZero
        if let magnitude = scaled.magnitude128 {
            return FixedPointText.format(magnitude: magnitude, negative: negative, places: places)
        }
        return wideFixedPoint(scaled, places: places)
    }

    /// `fixedPoint` through BigInt's own decimal conversion: values beyond 128 bits (and the
    /// reference the tests hold the fast path to).
    static func wideFixedPoint(_ scaled: BigInt, places: Int) -> String {
        let negative = scaled.sign == .minus && !scaled.isZero
        let digits = Array(String(scaled.magnitude).utf8)
        if places == 0 { return (negative ? "-" : "") + String(decoding: digits, as: UTF8.self) }
        // Built as bytes: String index arithmetic here cost more than the division before it.
        var bytes: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        bytes.reserveCapacity(digits.count + places + 3)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, places + 1 - digits.count)))
        bytes.append(contentsOf: digits)
        bytes.insert(UInt8(ascii: "."), at: bytes.count - places)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The shortest exact decimal text when the value has a finite decimal expansion
    /// (denominator of the form 2^a·5^b), else nil.
    ///
    ///     Rational(1, 8).exactDecimalString   // "0.125"
    ///     Rational(1, 3).exactDecimalString   // nil
    public var exactDecimalString: String? {
        if denominator.isOne { return numerator.decimalText }
        var fives = 0
        let twos = denominator.magnitude.trailingZeroBitCount
        if var small = denominator.smallMagnitude {
            small >>= twos
            while small % 5 == 0 { small /= 5; fives += 1 }
            guard small == 1 else { return nil }
        } else {
            var d = denominator >> twos
            while d % 5 == 0 { d /= 5; fives += 1 }
            guard d == 1 else { return nil }
        }
        let places = max(twos, fives)
        // Exact division: the quotient needs no rounding, so the 128-bit path prints it as is.
        if let text = FixedPointText.quotient(numerator, denominator, places: places) { return text }
        let scaled = numerator * Rational.powerOfTen(places) / denominator
        return Rational.fixedPoint(scaled, places: places)
    }

    /// `"n/d"`, or `"n"` for an integer.
    public var description: String {
        denominator == 1 ? String(numerator) : "\(numerator)/\(denominator)"
    }

    /// Exact decimal text when finite, else the fraction: how policy values are echoed.
    public var plainText: String { exactDecimalString ?? description }
}
