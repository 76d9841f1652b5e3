import BigInt
import Testing
@testable import TransferAlloc

/// Snapping bounds to the granularity: ⌈L/g⌉ and ⌊U/g⌋, on the word path and beyond it.
@Suite struct MoneyBoundsTests {
    @Test func quotientRoundingExamples() {
        #expect((Rational(BigInt(2001), BigInt(2)) / Rational(1)).ceiling == 1001)
        #expect((Rational(BigInt(2001), BigInt(2)) / Rational(1)).floor == 1000)
        #expect((Rational(BigInt(2000), BigInt(1)) / Rational(100)).ceiling == 20)
        #expect((Rational(BigInt(2001), BigInt(1)) / Rational(100)).ceiling == 21)
        // Beyond 64 bits: the BigInt path, same rule.
        let wide = Rational(BigInt(10).power(30) + 1, BigInt(1))
        #expect((wide / Rational(10)).ceiling == BigInt(10).power(29) + 1)
        #expect((wide / Rational(10)).floor == BigInt(10).power(29))
    }
}
