import BigInt
import Testing
@testable import TransferAlloc

/// The 128-bit formatting path must print exactly what the BigInt path prints.
@Suite struct FixedPointTextTests {
    /// Digit-count and chunk edges: 10^19 − 1 … 10^19 (the low chunk), 2^64 ± 1, 10^38, 2^128 − 1.
    static let edges: [UInt128] = [
        0, 1, 9, 10, 99, 100, 12345,
        9_999_999_999_999_999_999, 10_000_000_000_000_000_000, 10_000_000_000_000_000_001,
        UInt128(UInt64.max) - 1, UInt128(UInt64.max), UInt128(UInt64.max) + 1,
        UInt128(10_000_000_000_000_000_000) * 10_000_000_000_000_000_000 - 1,
        UInt128(10_000_000_000_000_000_000) * 10_000_000_000_000_000_000,
        UInt128(10_000_000_000_000_000_000) * 10_000_000_000_000_000_000 * 3,
        UInt128.max - 1, UInt128.max,
    ]

    static func reference(_ magnitude: UInt128, negative: Bool, places: Int) -> String {
        let scaled = BigInt(sign: negative ? .minus : .plus, magnitude: BigUInt(magnitude))
        return Rational.wideFixedPoint(scaled, places: places)
    }

    @Test(arguments: [0, 1, 2, 6, 10, 19, 20, 25, 38, 39, 45])
    func edgesMatchTheBigIntPath(places: Int) {
        for magnitude in Self.edges {
            for negative in [false, true] {
                #expect(FixedPointText.format(magnitude: magnitude, negative: negative, places: places)
                        == Self.reference(magnitude, negative: negative, places: places),
                        "\(magnitude) places \(places) negative \(negative)")
            }
        }
    }

    @Test func examples() {
        #expect(FixedPointText.format(magnitude: 12345, negative: false, places: 2) == "123.45")
        #expect(FixedPointText.format(magnitude: 5, negative: true, places: 3) == "-0.005")
        #expect(FixedPointText.format(magnitude: 0, negative: true, places: 2) == "0.00")
        #expect(FixedPointText.format(magnitude: UInt128.max, negative: false, places: 0)
                == "340282366920938463463374607431768211455")
        #expect(FixedPointText.quotient(2, 3, places: 4) == "0.6667")
        #expect(FixedPointText.quotient(-1, 8, places: 2) == "-0.13")
        #expect(FixedPointText.quotient(1, 8, places: 20) == "0.12500000000000000000")
        #expect(FixedPointText.quotient(1, 8, places: 39) == nil)  // 10^39 > 2^128: BigInt path
        #expect(FixedPointText.quotient(BigInt(1) << 127, 3, places: 1) == nil)  // |n|·10 overflows
        #expect(FixedPointText.quotient(BigInt(1) << 128, 3, places: 0) == nil)  // three words
    }

    /// Random magnitudes of every width, random places: both paths agree.
    @Test func randomValuesMatchTheBigIntPath() {
        var random = SeededRandom(seed: 2026_11_22)
        for _ in 0..<20_000 {
            let bits = random.int(in: 0...128)
            let raw = UInt128(random.next()) << 64 | UInt128(random.next())
            let magnitude = bits == 0 ? 0 : raw >> (128 - bits)
            let places = random.int(in: 0...40)
            let negative = random.next() & 1 == 1
            #expect(FixedPointText.format(magnitude: magnitude, negative: negative, places: places)
                    == Self.reference(magnitude, negative: negative, places: places))
        }
    }

    /// n/d rounded half away from zero: the 128-bit quotient agrees with the BigInt rounding,
    /// including exact halves.
    @Test func quotientMatchesTheBigIntRounding() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<20_000 {
            let wide = UInt128(random.next()) << 64 | UInt128(random.next())
            let n = BigInt(sign: random.next() & 1 == 1 ? .minus : .plus,
                           magnitude: BigUInt(wide >> UInt128(random.int(in: 0...127))))
            let d = BigInt(sign: .plus, magnitude: BigUInt(max(1, wide.byteSwapped >> UInt128(random.int(in: 0...127)))))
            let places = random.int(in: 0...38)
            // Where |n|·10^places does not fit, the 128-bit path declines (nil).
            if n.magnitude * BigUInt(10).power(places) >= BigUInt(1) << 128 {
                #expect(FixedPointText.quotient(n, d, places: places) == nil)
                continue
            }
            let expected = Rational.wideFixedPoint(Rational.halfUp(n * Rational.powerOfTen(places), d), places: places)
            #expect(FixedPointText.quotient(n, d, places: places) == expected, "\(n)/\(d) at \(places)")
        }
        // Exact halves round away from zero.
        #expect(FixedPointText.quotient(5, 2, places: 0) == "3")
        #expect(FixedPointText.quotient(-5, 2, places: 0) == "-3")
        #expect(FixedPointText.quotient(1, 200, places: 2) == "0.01")
        #expect(FixedPointText.quotient(BigInt(word: UInt64.max), 2, places: 19)
                == Rational.wideFixedPoint(Rational.halfUp(BigInt(word: UInt64.max) * Rational.powerOfTen(19), 2), places: 19))
    }

    /// The report's per-settler and change cells, hand-computed (half away from zero).
    @Test(arguments: [
        (BigInt(100), BigInt(8), "0.13"),                  // 1.00 元 / 8 = 0.125
        (BigInt(177_833_333), BigInt(150), "11855.56"),    // worked example 丙县: 1,778,333.33 / 150 = 11,855.5555…
        (BigInt(100), BigInt(3), "0.33"),
        (BigInt(0), BigInt(7), "0.00"),
    ])
    func perSettlerCell(amountFen: BigInt, settlers: BigInt, text: String) {
        #expect(AllocationReport.perSettler(amountFen, settlers) == text)
    }

    @Test(arguments: [
        (BigInt(1000), Rational(BigInt(10), BigInt(1)), "0.00"),
        (BigInt(999), Rational(BigInt(10), BigInt(1)), "-0.01"),
        (BigInt(1), Rational(BigInt(1), BigInt(1000)), "0.01"),      // 0.01 − 0.001 = 0.009 → 0.01
        (BigInt(0), Rational(BigInt(1), BigInt(8)), "-0.13"),        // −0.125 → −0.13
        (BigInt(12), Rational(BigInt(1), BigInt(8)), "-0.01"),       // 0.12 − 0.125 = −0.005 → −0.01
    ])
    func changeCell(amountFen: BigInt, prev: Rational, text: String) {
        #expect(AllocationReport.change(amountFen, from: prev) == text)
    }

    /// The byte writer long outputs use: the same text at any offset, nothing written outside it.
    @Test(arguments: [(UInt128(0), false, 2, "0.00"), (5, false, 2, "0.05"), (123_456, false, 2, "1234.56"),
                      (7, false, 0, "7"), (1234, true, 3, "-1.234"), (0, true, 2, "0.00"),
                      (UInt128(Int64.max), false, 2, "92233720368547758.07"),
                      (UInt128(Int64.max) + 1, true, 2, "-92233720368547758.08"),
                      (UInt128.max, false, 4, "34028236692093846346337460743176821.1455")] as [(UInt128, Bool, Int, String)])
    func writesIntoABuffer(magnitude: UInt128, negative: Bool, places: Int, text: String) {
        let bytes = [UInt8](unsafeUninitializedCapacity: 64) { buffer, count in
            buffer.initialize(repeating: UInt8(ascii: "#"))
            let end = FixedPointText.write(magnitude: magnitude, negative: negative, places: places, into: buffer, at: 3)
            count = end + 1
        }
        #expect(String(decoding: bytes, as: UTF8.self) == "###" + text + "#")
    }

    /// The 256-bit quotient of wide operands (a share with ten decimals over a national table)
    /// against the BigInt rounding: operands of every width up to 256 bits, either sign of n,
    /// the places of every output. Where it declines (nil) the operands must be outside its
    /// range: |n|·10^places or d at 2^254 or more, or a quotient of 2^50 or more.
    @Test func wideQuotientMatchesTheBigIntRounding() {
        var random = SeededRandom(seed: 2026_12_03)
        func wide(bits: Int) -> BigUInt {
            var value = BigUInt(0)
            for _ in 0..<4 { value = value << 64 | BigUInt(random.next()) }
            return bits == 0 ? 0 : value >> (256 - bits)
        }
        var taken = 0
        for _ in 0..<20_000 {
            let dBits = random.int(in: 1...256)
            // Numerators near the denominator's width, so most quotients are short.
            let nBits = max(0, min(256, dBits + random.int(in: -40...20)))
            let n = BigInt(sign: random.next() & 1 == 1 ? .minus : .plus, magnitude: wide(bits: nBits))
            let d = BigInt(sign: .plus, magnitude: max(1, wide(bits: dBits)))
            let places = [0, 2, 4, 10, 20, 38][random.int(in: 0...5)]
            let scaled = n.magnitude * BigUInt(10).power(places)
            let expected = Rational.wideFixedPoint(Rational.halfUp(n * Rational.powerOfTen(places), d), places: places)
            guard let text = FixedPointText.wideQuotient(n, d, places: places) else {
                #expect(scaled >= BigUInt(1) << 254 || d.magnitude >= BigUInt(1) << 254 || scaled / d.magnitude >= BigUInt(1) << 49,
                        "declined \(n)/\(d) at \(places)")
                continue
            }
            taken += 1
            #expect(text == expected, "\(n)/\(d) at \(places)")
        }
        #expect(taken > 10_000)
        // Exact halves of wide operands round away from zero; a negative n keeps its sign.
        let big = BigInt(1) << 200
        #expect(FixedPointText.wideQuotient(5 * big, 2 * big, places: 0) == "3")
        #expect(FixedPointText.wideQuotient(-5 * big, 2 * big, places: 0) == "-3")
        #expect(FixedPointText.wideQuotient(2 * big, 3 * big, places: 4) == "0.6667")
        #expect(FixedPointText.wideQuotient(-big, 8 * big, places: 2) == "-0.13")
        #expect(FixedPointText.wideQuotient(0, big, places: 2) == "0.00")
        // Out of range: a dividend of 2^254 or more, a quotient of 2^50 or more, d ≤ 0.
        #expect(FixedPointText.wideQuotient(BigInt(1) << 254, 3, places: 0) == nil)
        #expect(FixedPointText.wideQuotient(BigInt(1) << 150, BigInt(1) << 100, places: 0) == nil)
        #expect(FixedPointText.wideQuotient(big, -big, places: 2) == nil)
        #expect(FixedPointText.wideQuotient(big, 0, places: 2) == nil)
    }
}
