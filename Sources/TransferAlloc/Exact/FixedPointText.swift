import BigInt

/// Decimal text of integers that fit in 128 bits, written straight into the string's bytes
/// (and of quotients of wider integers whose text does: `wideQuotient`).
///
/// Every number a report prints goes through here: a 2,844-county table prints about
/// 50,000 of them, and building each through BigInt division and intermediate strings cost
/// more than the whole allocation. Values too wide for 128 bits take the BigInt path in
/// `Rational`; both paths print the same text (tests compare them).
enum FixedPointText {
    /// `magnitude` counts units of 10^−places; the text has exactly `places` decimals, a
    /// leading `0` before the point, and `-` when `negative` and the magnitude is not 0.
    ///
    ///     FixedPointText.format(magnitude: 12345, negative: false, places: 2)   // "123.45"
    ///     FixedPointText.format(magnitude: 5, negative: true, places: 3)        // "-0.005"
    static func format(magnitude: UInt128, negative: Bool, places: Int) -> String {
        let parts = Digits(magnitude)
        let length = parts.length(negative: negative, places: places)
        return String(unsafeUninitializedCapacity: length) { out in
            write(parts, negative: negative, places: places, into: out, at: 0)
        }
    }

    /// Writes the text of `format` into `out` from index `start` (which must leave room for it:
    /// at most 41 + places bytes); returns the index after it. Long outputs (a sweep's CSV)
    /// write their numbers with it straight into one buffer.
    ///
    /// - Complexity: O(digits), no allocation.
    static func write(magnitude: UInt128, negative: Bool, places: Int,
                      into out: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        write(Digits(magnitude), negative: negative, places: places, into: out, at: start)
    }

    /// The magnitude cut into 19-digit chunks, so the digit loops run on UInt64 (a 128-bit
    /// division is a library call; a 64-bit division by 10 is a multiply). 2^128 < 10^39.
    private struct Digits {
        let low, middle, high: UInt64
        let count: Int
        let isZero: Bool

        init(_ magnitude: UInt128) {
            let chunk: UInt64 = 10_000_000_000_000_000_000
            isZero = magnitude == 0
            if magnitude < UInt128(chunk) {
                (low, middle, high) = (UInt64(magnitude), 0, 0)
                count = FixedPointText.digits(low)
            } else {
                let (q, r) = magnitude.quotientAndRemainder(dividingBy: UInt128(chunk))
                let (q2, r2) = q.quotientAndRemainder(dividingBy: UInt128(chunk))
                (low, middle, high) = (UInt64(r), UInt64(r2), UInt64(q2))
                count = high != 0 ? 38 + FixedPointText.digits(high) : 19 + FixedPointText.digits(middle)
            }
        }

        func length(negative: Bool, places: Int) -> Int {
            (negative && !isZero ? 1 : 0) + max(count - places, 1) + (places > 0 ? 1 + places : 0)
        }
    }

    private static func write(_ parts: Digits, negative: Bool, places: Int,
                              into out: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        let sign = negative && !parts.isZero ? 1 : 0
        let end = start + parts.length(negative: negative, places: places)
        // Written from the right: fraction digits, the point, integer digits, the sign. No
        // nested function or captured `var`: a closure would box them and check exclusive
        // access on every digit, which cost ten times the digits themselves.
        var position = end
        var rest = parts.low
        let pointAt = places > 0 ? end - places - 1 : -1
        let firstDigit = start + sign
        var written = 0
        while position > firstDigit {
            position -= 1
            if position == pointAt {
                out[position] = UInt8(ascii: ".")
                continue
            }
            if written == 19 { rest = parts.middle } else if written == 38 { rest = parts.high }
            written += 1
            let (quotient, digit) = rest.quotientAndRemainder(dividingBy: 10)
            out[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: digit)
            rest = quotient
        }
        if sign == 1 { out[start] = UInt8(ascii: "-") }
        return end
    }

    /// Number of decimal digits of `value` (1 for 0).
    fileprivate static func digits(_ value: UInt64) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 { rest /= 10; count += 1 }
        return count
    }

    /// n / d rounded half away from zero to `places` decimals, when it can be done in 128
    /// bits: |n|·10^places and d below 2^128 (d > 0); nil otherwise (the BigInt path).
    ///
    ///     FixedPointText.quotient(2, 3, places: 4)    // "0.6667"
    ///     FixedPointText.quotient(-1, 8, places: 2)   // "-0.13"
    static func quotient(_ n: BigInt, _ d: BigInt, places: Int) -> String? {
        guard d.sign == .plus, let m = n.magnitude128, let dd = d.magnitude128 else { return nil }
        return quotient(magnitude: m, negative: n.sign == .minus, divisor: dd, places: places)
    }

    /// ±magnitude / divisor rounded half away from zero to `places` decimals; nil when
    /// magnitude·10^places does not fit in 128 bits.
    ///
    ///     FixedPointText.quotient(magnitude: 1, negative: true, divisor: 8, places: 2)   // "-0.13"
    static func quotient(magnitude m: UInt128, negative: Bool, divisor dd: UInt128, places: Int) -> String? {
        guard places >= 0, places <= 38, dd != 0 else { return nil }
        var power: UInt128 = 1
        for _ in 0..<places { power &*= 10 }  // ≤ 10^38 < 2^128
        let (scaled, overflow) = m.multipliedReportingOverflow(by: power)
        guard !overflow else { return nil }
        var q: UInt128, r: UInt128
        if scaled >> 64 == 0 && dd >> 64 == 0 {
            // Both in one word: a machine division instead of the 128-bit library call.
            let (q64, r64) = UInt64(scaled).quotientAndRemainder(dividingBy: UInt64(dd))
            (q, r) = (UInt128(q64), UInt128(r64))
        } else {
            (q, r) = scaled.quotientAndRemainder(dividingBy: dd)
        }
        if r >= dd - r { q += 1 }  // 2r ≥ d, without overflowing; q < 2^128 − 1 here since d ≥ 2 when r > 0
        return format(magnitude: q, negative: negative, places: places)
    }

    /// n / d rounded half away from zero to `places` decimals, for operands too wide for
    /// `quotient` whose text is short: |n|·10^places and d below 2^254 (d > 0) and the rounded
    /// quotient below 2^50, as a share printed with ten decimals over a national table
    /// (numerator and denominator near 2^190). The division is Int256's exact one
    /// (`Int256.smallQuotient`: a Double estimate corrected by exact products), so no BigInt is
    /// built; nil in every other case (the BigInt path).
    ///
    ///     FixedPointText.wideQuotient(BigInt(2) << 200, BigInt(3) << 200, places: 4)   // "0.6667"
    static func wideQuotient(_ n: BigInt, _ d: BigInt, places: Int) -> String? {
        guard d.sign == .plus, places >= 0, places <= 38,
              let magnitude = Int256.magnitude(of: n, maxBits: 256), !magnitude.isNegative,
              let divisor = Int256.magnitude(of: d, maxBits: 256), !divisor.isNegative, divisor != 0 else { return nil }
        var power: UInt128 = 1
        for _ in 0..<places { power &*= 10 }  // ≤ 10^38 < 2^128
        let (scaled, overflow) = Int256.unsignedProduct(
            magnitude, Int256(w0: UInt64(truncatingIfNeeded: power), w1: UInt64(truncatingIfNeeded: power >> 64), w2: 0, w3: 0))
        // smallQuotient declines a dividend of 2^254 or more and a quotient of 2^50 or more.
        guard !overflow, let (quotient, remainder) = Int256.smallQuotient(scaled, divisor) else { return nil }
        // 2r ≥ d rounds up, compared without doubling; quotient < 2^50 leaves room for the 1.
        let rounded = UInt128(quotient.w0) + (remainder < divisor - remainder ? 0 : 1)
        return format(magnitude: rounded, negative: n.sign == .minus, places: places)
    }
}

extension Rational {
    /// An amount in fen as 元 text with exactly two decimals: 1234567 → "12345.67", −5 → "-0.05".
    public static func yuan(_ fen: BigInt) -> String { fixedPoint(fen, places: 2) }
}
