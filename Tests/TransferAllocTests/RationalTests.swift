import BigInt
import Testing
@testable import TransferAlloc

@Suite struct RationalTests {
    @Test(arguments: [
        (BigInt(12345), 2, "123.45"), (BigInt(5), 2, "0.05"), (BigInt(0), 2, "0.00"), (BigInt(-5), 3, "-0.005"),
        (BigInt(-12345), 2, "-123.45"), (BigInt(7), 0, "7"), (BigInt(-7), 0, "-7"), (BigInt(100), 2, "1.00"),
        (BigInt(10).power(30) + 1, 4, "100000000000000000000000000.0001"),
    ])
    func fixedPoint(scaled: BigInt, places: Int, text: String) {
        #expect(Rational.fixedPoint(scaled, places: places) == text)
    }

    /// Half away from zero, the rule every displayed decimal uses (not banker's rounding).
    @Test(arguments: [
        (Rational(1, 8), 2, "0.13"), (Rational(-1, 8), 2, "-0.13"), (Rational(2, 3), 4, "0.6667"),
        (Rational(5, 2), 0, "3"), (Rational(-5, 2), 0, "-3"), (Rational(7, 2), 0, "4"), (Rational(1, 3), 0, "0"),
        (Rational(BigInt(10).power(25) * 2 + 1, 2), 0, "10000000000000000000000001"),
    ])
    func decimalStringRoundsHalfAwayFromZero(value: Rational, places: Int, text: String) {
        #expect(value.decimalString(places: places) == text)
    }

    @Test func normalisesAndCompares() {
        #expect(Rational(6, -8) == Rational(-3, 4))
        #expect(Rational(BigInt(10).power(40), BigInt(10).power(39) * 4) == Rational(5, 2))
        #expect(Rational(1, 3) + Rational(1, 6) == Rational(1, 2))
        #expect(Rational(1, 3) < Rational(34, 100))
        #expect(Rational(7, 2).floor == 3 && Rational(-7, 2).floor == -4 && Rational(-7, 2).ceiling == -3)
        #expect(Rational(1, 8).exactDecimalString == "0.125")
        #expect(Rational(1, 3).exactDecimalString == nil)
        #expect(Rational(-3, 40).exactDecimalString == "-0.075")
        #expect(Rational.gcd(BigInt(1) << 70, BigInt(1) << 65) == BigInt(1) << 65)
        #expect(Rational.gcd(0, 12) == 12)
    }

    /// A random rational of the given width: sign, numerator and denominator up to `bits` bits.
    static func random(_ random: inout SeededRandom, bits: Int) -> Rational {
        func word() -> BigInt {
            let raw = UInt128(random.next()) << 64 | UInt128(random.next())
            return BigInt(sign: .plus, magnitude: BigUInt(raw >> UInt128(128 - random.int(in: 0...bits))))
        }
        let numerator = random.int(in: 0...9) == 0 ? BigInt(0) : word()
        var denominator = word()
        if denominator.isZero { denominator = 1 }
        return Rational(random.next() & 1 == 1 ? -numerator : numerator, denominator)
    }

    /// The word-sized +, ·, < give exactly what BigInt arithmetic gives, in lowest terms, at
    /// every width around the 62-bit cut-over.
    @Test(arguments: [8, 40, 61, 62, 63, 64, 70, 120])
    func wordArithmeticMatchesBigInt(bits: Int) throws {
        var random = SeededRandom(seed: UInt64(bits))
        for _ in 0..<3_000 {
            let a = Self.random(&random, bits: bits), b = Self.random(&random, bits: bits)
            let sum = a + b, product = a * b
            #expect(sum == Rational.wideSum(a, b) && product == Rational.wideProduct(a, b), "\(a), \(b)")
            // Lowest terms with a positive denominator, as the BigInt normalisation leaves them.
            #expect(sum == Rational(sum.numerator, sum.denominator) && sum.denominator.sign == .plus)
            #expect(product == Rational(product.numerator, product.denominator) && product.denominator.sign == .plus)
            #expect((a < b) == Rational.wideLess(a, b) && (b < a) == Rational.wideLess(b, a))
            #expect((a - a).isZero && (a - a) == Rational.zero)
            if !b.isZero {
                let quotient = a / b
                #expect(quotient == Rational.wideQuotient(a, b) && quotient.denominator.sign == .plus, "\(a) / \(b)")
            }
            // Rounding and printing of the stored value against BigInt arithmetic on its parts.
            let (n, d) = (a.numerator, a.denominator)
            let (q, r) = n.quotientAndRemainder(dividingBy: d)
            #expect(a.floor == (r.sign == .minus && !r.isZero ? q - 1 : q))
            #expect(a.ceiling == (r.sign == .plus && !r.isZero ? q + 1 : q))
            let places = Int(random.next() % 20)
            #expect(a.decimalString(places: places)
                    == Rational.wideFixedPoint(Rational.halfUp(n * Rational.powerOfTen(places), d), places: places))
            #expect(a.hashValue == Rational(n, d).hashValue && a == Rational(n, d))
            // A terminating decimal: 2^i·5^j in the denominator.
            let decimal = Rational(n, BigInt(2).power(Int(random.next() % 12)) * BigInt(5).power(Int(random.next() % 12)))
            if let text = decimal.exactDecimalString {
                let places = text.split(separator: ".").dropFirst().first?.count ?? 0
                #expect(text == Rational.wideFixedPoint(decimal.numerator * Rational.powerOfTen(places) / decimal.denominator,
                                                        places: places))
                // It reads back as the same value, and is the shortest such text.
                let negative = text.hasPrefix("-")
                let magnitude = try #require(try? NumberCell.parse(String(text.drop(while: { $0 == "-" }))).get()).rational
                #expect((negative ? -magnitude : magnitude) == decimal, "\(text)")
                #expect(!(text.contains(".") && text.hasSuffix("0")), "\(text)")
            } else {
                Issue.record("\(decimal) has a terminating expansion")
            }
        }
    }

    /// ⌊x / g⌋ and ⌈x / g⌉ for a whole g > 0 (the snapping of bounds), by hand: positive and
    /// negative values, exact multiples, a divisor whose product with the denominator leaves
    /// one word, and values beyond one word.
    @Test func floorAndCeilingDividedByAWholeNumber() {
        #expect(Rational(10_005, 10).ceiling(dividedBy: 100) == 11)       // 10.005 → 11
        #expect(Rational(10_005, 10).floor(dividedBy: 100) == 10)
        #expect(Rational(29_999, 10).floor(dividedBy: 100) == 29)         // 29.999 → 29
        #expect(Rational(3_000).floor(dividedBy: 100) == 30)              // exact: both 30
        #expect(Rational(3_000).ceiling(dividedBy: 100) == 30)
        #expect(Rational(-7, 2).floor(dividedBy: 1) == -4)                // −3.5 → −4
        #expect(Rational(-7, 2).ceiling(dividedBy: 1) == -3)              // −3.5 → −3
        #expect(Rational(-1, 3).floor(dividedBy: 5) == -1)                // −1/15 → −1
        #expect(Rational(-1, 3).ceiling(dividedBy: 5) == 0)
        #expect(Rational.zero.floor(dividedBy: 7) == 0 && Rational.zero.ceiling(dividedBy: 7) == 0)
        // d·g overflows a word: 2^61 / (3·2^62) = 1/6 → 0 and 1; negative: −1/6 → −1 and 0.
        let d = BigInt(1) << 62
        #expect(Rational(BigInt(1) << 61, BigInt(3)).floor(dividedBy: d) == 0)
        #expect(Rational(BigInt(1) << 61, BigInt(3)).ceiling(dividedBy: d) == 1)
        #expect(Rational(-(BigInt(1) << 61), BigInt(3)).floor(dividedBy: d) == -1)
        #expect(Rational(-(BigInt(1) << 61), BigInt(3)).ceiling(dividedBy: d) == 0)
        // Beyond one word: (10^30 + 1) / 10 over 10^2 = 10^27 + 0.001.
        let wide = Rational(BigInt(10).power(30) + 1, 10)
        #expect(wide.floor(dividedBy: 100) == BigInt(10).power(27))
        #expect(wide.ceiling(dividedBy: 100) == BigInt(10).power(27) + 1)
        #expect((-wide).floor(dividedBy: 100) == -BigInt(10).power(27) - 1)
        #expect((-wide).ceiling(dividedBy: 100) == -BigInt(10).power(27))
    }

    /// The same against dividing the rationals and rounding, on random values of both signs
    /// and widths around one word, and divisors from 1 to beyond one word.
    @Test func floorAndCeilingDividedAgreeWithRationalDivision() {
        var random = SeededRandom(seed: 2026_12_03)
        for _ in 0..<20_000 {
            let n = BigInt(sign: random.next() & 1 == 1 ? .minus : .plus,
                           magnitude: BigUInt(random.next() >> UInt64(random.int(in: 0...63))) << random.int(in: 0...4))
            let d = BigInt(max(1, random.next() >> UInt64(random.int(in: 1...63))))
            let g = BigInt(max(1, random.next() >> UInt64(random.int(in: 0...63)))) << random.int(in: 0...2)
            let value = Rational(n, d)
            #expect(value.floor(dividedBy: g) == (value / Rational(g)).floor, "\(value) / \(g)")
            #expect(value.ceiling(dividedBy: g) == (value / Rational(g)).ceiling, "\(value) / \(g)")
        }
    }
}
