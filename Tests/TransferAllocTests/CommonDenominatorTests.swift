import BigInt
import Testing
@testable import TransferAlloc

/// `Rational.overCommonDenominator`: values as integers over their least common denominator.
@Suite struct CommonDenominatorTests {
    /// The integers are a_i·L over L, the least common denominator of the values, computed here
    /// with BigInt's own gcd: small values and values whose denominators or numerators need more
    /// than 64 bits.
    @Test(arguments: 1...30)
    func commonDenominatorIsTheLeastOne(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let wide = seed % 3 == 0  // some runs push L or a numerator past 64 bits
        let values: [Rational] = (0..<random.int(in: 1...40)).map { _ in
            let numerator = BigInt(word: random.next() >> UInt64(random.int(in: wide ? 0...10 : 20...63)))
            let power = random.int(in: 0...(wide ? 30 : 12))
            return Rational(numerator * BigInt(word: UInt64(random.int(in: 1...9))), BigInt(10).power(power) * 3)
        }
        let least = values.reduce(BigInt(1)) { l, value in
            l / l.greatestCommonDivisor(with: value.denominator) * value.denominator
        }
        let result = Rational.overCommonDenominator(values)
        #expect(result.denominator == least, "seed \(seed)")
        #expect(result.integers == values.map { $0.numerator * (least / $0.denominator) }, "seed \(seed)")
    }

    @Test func commonDenominatorExample() {
        let result = Rational.overCommonDenominator([Rational(1, 2), Rational(2, 3), Rational(-5, 4)])
        #expect(result.integers == [6, 8, -15] && result.denominator == 12)
    }

}
