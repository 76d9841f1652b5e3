import BigInt

/// An exact fraction `numerator / denominator`, always in lowest terms with a positive
/// denominator, so equal values compare and hash equal.
///
///     Rational(1, 3) + Rational(1, 6)   // 1/2
///     try NumberCell.parse("0.1").get().rational   // 1/10: decimal text is read exactly, never via a double
public struct Rational: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Values whose parts fit in 62 bits (nearly all of a run: counts, coefficients, amounts
    /// in fen) are kept in two machine words, so their arithmetic never touches BigInt. The
    /// representation is canonical — `.small` whenever the value fits — so the synthesized
    /// equality and hash are those of the value.
    enum Storage: Hashable, Sendable {
        /// n / d in lowest terms, |n| < 2^62, 0 < d < 2^62.
        case small(Int64, Int64)
        /// n / d in lowest terms, d > 0, too wide for `.small`; boxed, so that a `Rational`
        /// takes 24 bytes in an array instead of 80 (a large table has arrays of a million).
        case big(WideFraction)
    }

    /// The parts of a `.big` value, compared and hashed by value.
    final class WideFraction: Hashable, Sendable {
        let numerator: BigInt
        let denominator: BigInt

        init(_ numerator: BigInt, _ denominator: BigInt) {
            self.numerator = numerator
            self.denominator = denominator
        }

        static func == (a: WideFraction, b: WideFraction) -> Bool {
            a.numerator == b.numerator && a.denominator == b.denominator
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(numerator)
            hasher.combine(denominator)
        }
    }

    let storage: Storage

    /// The numerator in lowest terms (negative for a negative value).
    public var numerator: BigInt {
        switch storage {
        case .small(let n, _): BigInt(int64: n)
        case .big(let wide): wide.numerator
        }
    }

    /// The denominator in lowest terms, > 0.
    public var denominator: BigInt {
        switch storage {
        case .small(_, let d): BigInt(word: UInt64(d))
        case .big(let wide): wide.denominator
        }
    }

    /// The two words of a `.small` value, for the word-sized paths of other files.
    var smallParts: (numerator: Int64, denominator: Int64)? {
        if case .small(let n, let d) = storage { return (n, d) }
        return nil
    }

    static let smallLimit: UInt64 = 1 << 62

    /// - Precondition: n / d in lowest terms, d > 0.
    private init(reducedNumerator n: BigInt, denominator d: BigInt) {
        if let nm = n.smallMagnitude, nm < Rational.smallLimit, let dm = d.smallMagnitude, dm < Rational.smallLimit {
            storage = .small(n.sign == .minus ? -Int64(nm) : Int64(nm), Int64(dm))
        } else {
            storage = .big(WideFraction(n, d))
        }
    }

    /// - Precondition: magnitude / denominator in lowest terms, denominator > 0.
    init(reduced magnitude: UInt128, negative: Bool, denominator: UInt128) {
        if magnitude < UInt128(Rational.smallLimit), denominator < UInt128(Rational.smallLimit) {
            let n = Int64(magnitude)
            storage = .small(negative ? -n : n, Int64(denominator))
        } else {
            storage = .big(WideFraction(BigInt(magnitude128: magnitude, negative: negative),
                                        BigInt(magnitude128: denominator, negative: false)))
        }
    }

    /// - Precondition: `denominator != 0`.
    public init(_ numerator: BigInt, _ denominator: BigInt) {
        precondition(!denominator.isZero, "Rational with zero denominator")
        // Word-sized fast path: most values in a run fit in 64 bits, where BigInt's general
        // gcd and division cost far more than the value.
        if let n = numerator.smallMagnitude, let d = denominator.smallMagnitude {
            let negative = (numerator.sign == .minus) != (denominator.sign == .minus) && n != 0
            let g = binaryGCD(n, d)
            self.init(reduced: UInt128(n / g), negative: negative, denominator: UInt128(d / g))
            return
        }
        if numerator.isZero {
            self.init(storage: .small(0, 1))
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
        self.init(reducedNumerator: n, denominator: d)
    }

    /// An integer (already in lowest terms).
    public init(_ integer: BigInt) { self.init(integer: integer) }

    public init(_ value: Int) {
        if value.magnitude < Rational.smallLimit {
            self.init(storage: .small(Int64(value), 1))
        } else {
            self.init(integer: BigInt(value))
        }
    }

    /// Greatest common divisor of the magnitudes, with a word-sized fast path: most values in
    /// a run (counts, coefficients, amounts) fit in 64 bits, where BigInt's general algorithm
    /// costs far more than the arithmetic it normalises.
    static func gcd(_ a: BigInt, _ b: BigInt) -> BigInt {
        if let x = a.smallMagnitude, let y = b.smallMagnitude { return BigInt(word: binaryGCD(x, y)) }
        var (x, y) = (a.magnitude, b.magnitude)
        if x < y { swap(&x, &y) }
        // BigInt's binary algorithm takes as many steps as the larger operand has bits, however
        // small the other: Euclid's division steps first bring two operands of unequal size level
        // (a least common multiple of many denominators meets exactly that case).
        while !y.isZero && x.bitWidth > y.bitWidth + 64 { (x, y) = (y, x % y) }
        if y.isZero { return BigInt(x) }
        if x.bitWidth <= 64, y.bitWidth <= 64 { return BigInt(word: binaryGCD(UInt64(x), UInt64(y))) }
        return BigInt(x.greatestCommonDivisor(with: y))
    }

    public static let zero = Rational(0)
    public static let one = Rational(1)

    public var isZero: Bool {
        if case .small(let n, _) = storage { return n == 0 }
        return false  // a zero is always `.small`
    }
    public var isNegative: Bool {
        switch storage {
        case .small(let n, _): n < 0
        case .big(let wide): wide.numerator.sign == .minus && !wide.numerator.isZero
        }
    }
    public var isInteger: Bool {
        switch storage {
        case .small(_, let d): d == 1
        case .big(let wide): wide.denominator.isOne
        }
    }

    public static func + (a: Rational, b: Rational) -> Rational {
        narrowSum(a, b) ?? wideSum(a, b)
    }

    /// `+` in BigInt arithmetic (any size; the reference the word path is tested against).
    static func wideSum(_ a: Rational, _ b: Rational) -> Rational {
        if a.denominator.isOne && b.denominator.isOne { return Rational(integer: a.numerator + b.numerator) }
        if a.denominator == b.denominator { return Rational(a.numerator + b.numerator, a.denominator) }
        return Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }
    public static func - (a: Rational, b: Rational) -> Rational { a + -b }
    public static prefix func - (a: Rational) -> Rational {
        switch a.storage {
        case .small(let n, let d): Rational(storage: .small(-n, d))
        case .big(let wide): Rational(storage: .big(WideFraction(-wide.numerator, wide.denominator)))
        }
    }

    private init(storage: Storage) { self.storage = storage }
    public static func * (a: Rational, b: Rational) -> Rational {
        narrowProduct(a, b) ?? wideProduct(a, b)
    }

    /// `*` in BigInt arithmetic (see `wideSum`).
    static func wideProduct(_ a: Rational, _ b: Rational) -> Rational {
        if a.denominator.isOne && b.denominator.isOne { return Rational(integer: a.numerator * b.numerator) }
        return Rational(a.numerator * b.numerator, a.denominator * b.denominator)
    }

    /// An integer, without a gcd.
    init(integer: BigInt) {
        self.init(reducedNumerator: integer, denominator: BigInt(word: 1))
    }

    /// - Precondition: `b` is not zero.
    public static func / (a: Rational, b: Rational) -> Rational {
        narrowQuotient(a, b) ?? wideQuotient(a, b)
    }

    /// `/` in BigInt arithmetic (see `wideSum`).
    static func wideQuotient(_ a: Rational, _ b: Rational) -> Rational {
        Rational(a.numerator * b.denominator, a.denominator * b.numerator)
    }
    public static func += (a: inout Rational, b: Rational) { a = a + b }
    public static func -= (a: inout Rational, b: Rational) { a = a - b }
    public static func *= (a: inout Rational, b: Rational) { a = a * b }

    public static func < (a: Rational, b: Rational) -> Bool {
        narrowLess(a, b) ?? wideLess(a, b)
    }

    /// `<` in BigInt arithmetic (see `wideSum`).
    static func wideLess(_ a: Rational, _ b: Rational) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    /// The largest integer not above the value (rounds toward −∞).
    public var floor: BigInt {
        if case .small(let n, let d) = storage {
            let (q, r) = n.quotientAndRemainder(dividingBy: d)
            return BigInt(int64: r < 0 ? q - 1 : q)
        }
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        return (r.sign == .minus && !r.isZero) ? q - 1 : q
    }

    /// The smallest integer not below the value (rounds toward +∞).
    public var ceiling: BigInt {
        if case .small(let n, let d) = storage {
            let (q, r) = n.quotientAndRemainder(dividingBy: d)
            return BigInt(int64: r > 0 ? q + 1 : q)
        }
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        return (r.sign == .plus && !r.isZero) ? q + 1 : q
    }

    /// ⌊value / divisor⌋ for a whole divisor > 0, without forming the quotient as a rational
    /// (no gcd): how a bound in fen is snapped down to units of the granularity.
    ///
    ///     Rational(29_999, 10).floor(dividedBy: 100)   // 29: 2,999.9 fen is 29.999 units of 100
    public func floor(dividedBy divisor: BigInt) -> BigInt { quotient(dividedBy: divisor, up: false) }

    /// ⌈value / divisor⌉ for a whole divisor > 0, as `floor(dividedBy:)`.
    ///
    ///     Rational(10_005, 10).ceiling(dividedBy: 100)   // 11: 1,000.5 fen is 10.005 units of 100
    public func ceiling(dividedBy divisor: BigInt) -> BigInt { quotient(dividedBy: divisor, up: true) }

    private func quotient(dividedBy divisor: BigInt, up: Bool) -> BigInt {
        precondition(divisor.sign == .plus && !divisor.isZero, "the divisor must be > 0")
        if case .small(let n, let d) = storage, let g = divisor.smallMagnitude, g <= UInt64(Int64.max) {
            // n / (d·g) with d·g in one word when it fits, else in 128 bits; |quotient| ≤ |n|.
            let (m, overflow) = d.multipliedReportingOverflow(by: Int64(g))
            let q: Int64, r: Int64
            if !overflow {
                (q, r) = n.quotientAndRemainder(dividingBy: m)
            } else {
                let (q128, r128) = Int128(n).quotientAndRemainder(dividingBy: Int128(d) * Int128(g))
                (q, r) = (Int64(q128), r128 > 0 ? 1 : r128 < 0 ? -1 : 0)
            }
            // Truncation rounds toward 0: one more up for a positive remainder, down for a negative.
            return BigInt(int64: up ? (r > 0 ? q + 1 : q) : (r < 0 ? q - 1 : q))
        }
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator * divisor)
        if up { return r.sign == .plus && !r.isZero ? q + 1 : q }
        return r.sign == .minus && !r.isZero ? q - 1 : q
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
        if case .small(let n, let d) = storage,
           let text = FixedPointText.quotient(magnitude: UInt128(n.magnitude), negative: n < 0, divisor: UInt128(d), places: places) {
            return text
        }
        if let text = FixedPointText.quotient(numerator, denominator, places: places)
            ?? FixedPointText.wideQuotient(numerator, denominator, places: places) { return text }
        return Rational.fixedPoint(scaledHalfUp(places: places), places: places)
    }

    /// `decimalString` of numerator/denominator (denominator > 0) without normalising first.
    public static func decimalString(numerator: BigInt, denominator: BigInt, places: Int) -> String {
        if let text = FixedPointText.quotient(numerator, denominator, places: places)
            ?? FixedPointText.wideQuotient(numerator, denominator, places: places) { return text }
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
        if case .small(let n, let d) = storage {
            if d == 1 { return FixedPointText.format(magnitude: UInt128(n.magnitude), negative: n < 0, places: 0) }
            var rest = UInt64(d)
            let twos = rest.trailingZeroBitCount
            rest >>= twos
            var fives = 0
            while rest % 5 == 0 { rest /= 5; fives += 1 }
            guard rest == 1 else { return nil }
            // Exact division: the quotient needs no rounding.
            if let text = FixedPointText.quotient(magnitude: UInt128(n.magnitude), negative: n < 0, divisor: UInt128(d),
                                                  places: max(twos, fives)) {
                return text
            }
        }
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
        isInteger ? String(numerator) : "\(numerator)/\(denominator)"
    }

    /// Exact decimal text when finite, else the fraction: how policy values are echoed.
    public var plainText: String { exactDecimalString ?? description }
}
