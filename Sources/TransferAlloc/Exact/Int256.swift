import BigInt

/// A 256-bit two's-complement integer: the apportionment kernel's middle width, for tables whose
/// products outgrow Int128 (share integers near 2^93 times totals near 2^36 units) but stay far
/// below 2^253, where BigInt would allocate on every operation.
///
/// Only what the kernel needs: +, −, ×, comparisons and a division. Every result is exact or the
/// operation traps, as Int128's do on overflow; nothing wraps silently.
///
///     let big = Int256(1) * Int256(BigInt(1) << 200)
///     (big + 1).quotientAndRemainder(dividingBy: Int256(BigInt(1) << 199))   // (2, 1)
struct Int256: Sendable, Equatable {
    /// The four 64-bit limbs, least significant first; the top bit of `w3` is the sign.
    var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        (self.w0, self.w1, self.w2, self.w3) = (w0, w1, w2, w3)
    }

    init(_ value: UInt64) { self.init(w0: value, w1: 0, w2: 0, w3: 0) }

    static let zero = Int256(w0: 0, w1: 0, w2: 0, w3: 0)
    static let max = Int256(w0: .max, w1: .max, w2: .max, w3: UInt64(Int64.max))
    static let min = Int256(w0: 0, w1: 0, w2: 0, w3: UInt64(1) << 63)

    var isNegative: Bool { w3 >> 63 != 0 }

    /// Limb `index` (0...3); variable indices go through here so the loops below stay short.
    subscript(limb index: Int) -> UInt64 {
        switch index {
        case 0: w0
        case 1: w1
        case 2: w2
        default: w3
        }
    }

    /// How many limbs hold the value read as unsigned (0 for zero).
    var significantLimbs: Int { w3 != 0 ? 4 : w2 != 0 ? 3 : w1 != 0 ? 2 : w0 != 0 ? 1 : 0 }

    /// −self modulo 2^256: the magnitude of `min` comes out as 2^255 read unsigned, which the
    /// unsigned product and the BigInt conversion expect.
    var wrappingNegated: Int256 { Int256.wrappingSum(Int256.zero, ~self, carry: 1) }

    /// |self| read as an unsigned 256-bit number.
    var magnitudeLimbs: Int256 { isNegative ? wrappingNegated : self }

    static prefix func ~ (x: Int256) -> Int256 { Int256(w0: ~x.w0, w1: ~x.w1, w2: ~x.w2, w3: ~x.w3) }

    /// a + b + carry modulo 2^256 (carry 0 or 1).
    static func wrappingSum(_ a: Int256, _ b: Int256, carry: UInt64) -> Int256 {
        var carry = carry
        let r0 = addWithCarry(a.w0, b.w0, &carry)
        let r1 = addWithCarry(a.w1, b.w1, &carry)
        let r2 = addWithCarry(a.w2, b.w2, &carry)
        return Int256(w0: r0, w1: r1, w2: r2, w3: a.w3 &+ b.w3 &+ carry)
    }

    @inline(__always)
    private static func addWithCarry(_ a: UInt64, _ b: UInt64, _ carry: inout UInt64) -> UInt64 {
        let (partial, first) = a.addingReportingOverflow(b)
        let (sum, second) = partial.addingReportingOverflow(carry)
        carry = first || second ? 1 : 0
        return sum
    }

    /// The product of two values read as unsigned, and whether it reached 2^256.
    static func unsignedProduct(_ a: Int256, _ b: Int256) -> (product: Int256, overflow: Bool) {
        let na = a.significantLimbs, nb = b.significantLimbs
        if na == 0 || nb == 0 { return (.zero, false) }
        // a ≥ 2^(64(na−1)) and b ≥ 2^(64(nb−1)), so na + nb ≥ 6 means a·b ≥ 2^256; below that the
        // product has at most five limbs and only the fifth can overflow.
        if na + nb > 5 { return (.zero, true) }
        var limbs: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &limbs) { raw in
            let r = raw.bindMemory(to: UInt64.self)
            for j in 0..<nb {
                let y = b[limb: j]
                var carry: UInt64 = 0
                for i in 0..<na {
                    let (high, low) = a[limb: i].multipliedFullWidth(by: y)
                    let (partial, first) = low.addingReportingOverflow(r[i + j])
                    let (sum, second) = partial.addingReportingOverflow(carry)
                    r[i + j] = sum
                    // x·y + r + carry < 2^128, so this high word cannot wrap.
                    carry = high &+ (first ? 1 : 0) &+ (second ? 1 : 0)
                }
                r[j + na] = carry
            }
        }
        return (Int256(w0: limbs.0, w1: limbs.1, w2: limbs.2, w3: limbs.3), limbs.4 != 0)
    }
}

extension Int256: ExpressibleByIntegerLiteral {
    init(integerLiteral value: Int64) {
        let signFill: UInt64 = value < 0 ? .max : 0
        self.init(w0: UInt64(bitPattern: value), w1: signFill, w2: signFill, w3: signFill)
    }
}

extension Int256: Comparable {
    static func < (a: Int256, b: Int256) -> Bool {
        if a.w3 != b.w3 { return Int64(bitPattern: a.w3) < Int64(bitPattern: b.w3) }
        if a.w2 != b.w2 { return a.w2 < b.w2 }
        if a.w1 != b.w1 { return a.w1 < b.w1 }
        return a.w0 < b.w0
    }
}

extension Int256: CustomStringConvertible {
    var description: String { bigInt.description }
}

extension Int256: KernelInteger {
    /// Traps on overflow: the sum of two operands of one sign cannot change sign.
    static func + (a: Int256, b: Int256) -> Int256 {
        let sum = wrappingSum(a, b, carry: 0)
        precondition(a.isNegative != b.isNegative || sum.isNegative == a.isNegative, "Int256 overflow")
        return sum
    }

    /// Traps on overflow (a − b = a + ~b + 1).
    static func - (a: Int256, b: Int256) -> Int256 {
        let difference = wrappingSum(a, ~b, carry: 1)
        precondition(a.isNegative == b.isNegative || difference.isNegative == a.isNegative, "Int256 overflow")
        return difference
    }

    /// Traps on overflow. Costs one machine multiply per pair of non-zero limbs, so the kernel's
    /// usual product of a one-limb total and a two-limb weight is two multiplies.
    static func * (a: Int256, b: Int256) -> Int256 {
        let negative = a.isNegative != b.isNegative
        let (product, overflow) = unsignedProduct(a.magnitudeLimbs, b.magnitudeLimbs)
        precondition(!overflow && (!product.isNegative || (negative && product == .min)), "Int256 overflow")
        return negative ? product.wrappingNegated : product
    }

    static func += (a: inout Int256, b: Int256) { a = a + b }
    static func -= (a: inout Int256, b: Int256) { a = a - b }

    /// Truncating division, as for the standard integers (the remainder takes the dividend's sign).
    ///
    /// The kernel divides a non-negative dividend below 2^254 by a positive divisor with a
    /// quotient at most the total: a Double estimate of the quotient, corrected by exact
    /// multiplication, is then exact and allocation-free. Any other case (negative operands, a
    /// quotient of 2^50 or more) is divided exactly by BigInt.
    func quotientAndRemainder(dividingBy divisor: Int256) -> (quotient: Int256, remainder: Int256) {
        precondition(divisor != 0, "Division by zero")
        if let small = Int256.smallQuotient(self, divisor) { return small }
        let (quotient, remainder) = bigInt.quotientAndRemainder(dividingBy: divisor.bigInt)
        return (Int256(quotient), Int256(remainder))
    }

    /// ⌊a / b⌋ and a mod b when a ≥ 0, b > 0, a < 2^254 and the quotient is below 2^50; else nil.
    ///
    /// Each Double is within 3·2^−53 of its value, so the estimate is within 1 or 2 of the
    /// quotient below 2^50; the correction loops make it exact whatever the estimate was. b·q
    /// stays below 2^254·(1 + 2^−50) < 2^255, so nothing overflows.
    static func smallQuotient(_ a: Int256, _ b: Int256) -> (quotient: Int256, remainder: Int256)? {
        guard !a.isNegative, !b.isNegative, a.w3 >> 62 == 0 else { return nil }
        if a < b { return (.zero, a) }
        let estimate = (a.approximateDouble / b.approximateDouble).rounded(.down)
        guard estimate < 0x1p50 else { return nil }
        var quotient = Int256(UInt64(estimate))
        var remainder = a - b * quotient
        while remainder.isNegative { quotient -= 1; remainder += b }
        while remainder >= b { quotient += 1; remainder -= b }
        return (quotient, remainder)
    }

    /// - Precondition: the value fits (checked by the caller's width test).
    ///
    /// Reads the magnitude's words directly, as `Int128.init(_:)` does, and for the same reason.
    init(_ value: BigInt) {
        guard let magnitude = Int256.magnitude(of: value, maxBits: 256) else { preconditionFailure("BigInt does not fit in Int256") }
        if value.sign == .minus {
            precondition(!magnitude.isNegative || magnitude == .min, "BigInt does not fit in Int256")
            self = magnitude.wrappingNegated
        } else {
            precondition(!magnitude.isNegative, "BigInt does not fit in Int256")
            self = magnitude
        }
    }

    /// |value| as unsigned limbs when it has at most `maxBits` bits' worth of words, else nil.
    /// Counts the words once and indexes them (each `count` of BigUInt's words is a switch
    /// over its storage kinds).
    static func magnitude(of value: BigInt, maxBits: Int) -> Int256? {
        let words = value.magnitude.words
        let count = words.count
        guard count * UInt.bitWidth <= maxBits else { return nil }
        let start = words.startIndex
        if UInt.bitWidth == 64 {
            return Int256(w0: count > 0 ? UInt64(words[start]) : 0, w1: count > 1 ? UInt64(words[start + 1]) : 0,
                          w2: count > 2 ? UInt64(words[start + 2]) : 0, w3: count > 3 ? UInt64(words[start + 3]) : 0)
        }
        // Two words per limb on 32-bit platforms.
        var limbs: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &limbs) { raw in
            let r = raw.bindMemory(to: UInt64.self)
            for index in 0..<count {
                let bit = index * UInt.bitWidth
                r[bit / 64] |= UInt64(words[start + index]) << (bit % 64)
            }
        }
        return Int256(w0: limbs.0, w1: limbs.1, w2: limbs.2, w3: limbs.3)
    }

    /// The same value as a BigInt: inline words when the magnitude fits in two (see
    /// `BigInt.init(magnitude128:negative:)`), else one array, which BigUInt would hold anyway.
    var bigInt: BigInt {
        let negative = isNegative
        let m = magnitudeLimbs
        if UInt.bitWidth == 64 && m.w2 == 0 && m.w3 == 0 {
            return BigInt(magnitude128: UInt128(m.w1) << 64 | UInt128(m.w0), negative: negative)
        }
        var words: [UInt] = []
        words.reserveCapacity(256 / UInt.bitWidth)
        for limb in [m.w0, m.w1, m.w2, m.w3] {
            for shift in stride(from: 0, to: 64, by: UInt.bitWidth) { words.append(UInt(truncatingIfNeeded: limb >> shift)) }
        }
        let magnitude = BigInt(sign: .plus, magnitude: BigUInt(words: words))
        return negative ? -magnitude : magnitude
    }

    /// From the top two non-zero limbs, as `BigInt.approximateDouble`.
    var approximateDouble: Double {
        let m = magnitudeLimbs
        let top = m.significantLimbs - 1
        let value: Double
        if top <= 1 {
            value = Double(m.w1) * 0x1p64 + Double(m.w0)
        } else {
            let leading = Double(m[limb: top]) * 0x1p64 + Double(m[limb: top - 1])
            value = Double(sign: .plus, exponent: 64 * (top - 1), significand: leading)
        }
        return isNegative ? -value : value
    }

    /// - Precondition: the value fits in Int.
    var intValue: Int {
        let signFill: UInt64 = isNegative ? .max : 0
        precondition(w1 == signFill && w2 == signFill && w3 == signFill
                     && (w0 >> 63 != 0) == isNegative, "Int256 does not fit in Int")
        return Int(Int64(bitPattern: w0))
    }
}

extension BigInt {
    /// Σ values, added in Int256 while every term is below 2^192 in magnitude (fewer than 2^62
    /// such terms never reach 2^255), else in BigInt: the kernel's per-run sums of thousands of
    /// weights and bounds then cost no BigInt additions.
    static func sum<C: Collection>(_ values: C) -> BigInt where C.Element == BigInt {
        var sum = Int256.zero
        for value in values {
            guard let magnitude = Int256.magnitude(of: value, maxBits: 192) else { return values.reduce(0, +) }
            sum += value.sign == .minus ? magnitude.wrappingNegated : magnitude
        }
        return sum.bigInt
    }
}
