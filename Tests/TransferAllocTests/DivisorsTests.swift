import BigInt
import Testing
@testable import TransferAlloc

/// gcd, lcm, the common divisor of a list and the common multiple of denominators
/// (docs/guides/Exact.md), on small and wide values.
@Suite struct DivisorsTests {
    static let wide = BigInt(1) << 70

    @Test func greatestCommonDivisor() {
        #expect(gcd(12, 18) == 6)
        #expect(gcd(0, 5) == 5 && gcd(5, 0) == 5)
        #expect(gcd(7, 13) == 1)
        #expect(gcd(-12, 18) == 6)                                   // always ≥ 0
        #expect(gcd(Self.wide, (BigInt(1) << 65) * 3) == BigInt(1) << 65)
    }

    /// Operands of very unequal size (division steps first, then the binary algorithm): a
    /// 4,000-bit multiple of 3·7·2⁵ against small and middling values, in both orders.
    @Test func greatestCommonDivisorOfUnequalSizes() {
        let huge = (BigInt(1) << 4_000) * 21 * 32 + 21 * 32       // 672·(2⁴⁰⁰⁰ + 1)
        #expect(gcd(huge, 35) == 7 && gcd(35, huge) == 7)
        #expect(gcd(huge, 64) == 32 && gcd(-64, huge) == 32)
        #expect(gcd(huge, Self.wide * 3) == 96)                      // 2⁷⁰·3 and 2⁵·3·7·(2⁴⁰⁰⁰ + 1): 2⁵·3
        #expect(gcd(huge, huge * 5) == huge)
        #expect(gcd(huge, 0) == huge && gcd(0, -huge) == huge)
        #expect(gcd(huge, (BigInt(1) << 4_000) + 1) == (BigInt(1) << 4_000) + 1)
        #expect(gcd(huge, 21) == 21 && gcd(huge << 200, huge) == huge)   // the division steps end at 0
    }

    @Test func leastCommonMultiple() {
        #expect(lcm(4, 6) == 12)
        #expect(lcm(1, 9) == 9)
        #expect(lcm(10, 10) == 10)
        #expect(lcm(Self.wide, 3) == Self.wide * 3)
        #expect(lcm(Self.wide, BigInt(1) << 68) == Self.wide)
    }

    @Test(arguments: [
        ("none", [BigInt](), BigInt(0)),
        ("only zeros", [0, 0], 0),
        ("one value", [14], 14),
        ("12, 18, 30", [12, 18, 30], 6),
        ("zeros are skipped", [4, 0, 6], 2),
        ("coprime", [7, 12, 5], 1),
        ("negative values", [-6, 9], 3),
        ("wide", [BigInt(1) << 70, (BigInt(1) << 66) * 5, BigInt(1) << 80], BigInt(1) << 66),
    ])
    func commonDivisorOfAList(name: String, values: [BigInt], expected: BigInt) {
        #expect(commonDivisor(values) == expected, "\(name)")
    }

    @Test(arguments: [
        ("none", [Rational](), BigInt(1)),
        ("integers", [Rational(3), Rational(7)], 1),
        ("quarters and sixths", [Rational(1, 4), Rational(5, 6)], 12),
        ("primes", [Rational(1, 2), Rational(1, 3), Rational(1, 5), Rational(1, 7)], 210),
        ("the default decays", [Rational(4, 5), Rational(3, 5), Rational(2, 5), Rational(1, 5), Rational(6, 5)], 5),
        ("four-decimal coefficients", [Rational(893, 1000), Rational(1, 8)], 1000),
        ("wide", [Rational(1, BigInt(1) << 70), Rational(1, 3)], (BigInt(1) << 70) * 3),
    ])
    func commonMultipleOfDenominators(name: String, values: [Rational], expected: BigInt) {
        #expect(commonMultiple(ofDenominators: values) == expected, "\(name)")
    }
}
