import BigInt
import Testing
@testable import TransferAlloc

/// The word-level Int128 ⇄ BigInt conversions agree with BigInt's own generic ones.
@Suite struct KernelIntegerTests {
    static let edges: [Int128] = [0, 1, -1, 42, -42, Int128(Int64.max), Int128(Int64.min), Int128(Int64.max) + 1,
                                  Int128(Int64.min) - 1, Int128(UInt64.max), -Int128(UInt64.max), Int128(1) << 64,
                                  -(Int128(1) << 64), (Int128(1) << 100) + 12_345, Int128.max, Int128.min, Int128.min + 1]

    /// The approximation is within one rounding of the standard library's conversion, for small
    /// negative values too (−1 came out as 0 when the halves were added with their signs).
    @Test(arguments: edges)
    func approximateDoubleIsNearTheValue(value: Int128) {
        let exact = Double(value)
        #expect(abs(value.approximateDouble - exact) <= abs(exact) * 0x1p-52, "\(value): \(value.approximateDouble) vs \(exact)")
        #expect((value < 0) == (value.approximateDouble < 0), "\(value)")
    }

    @Test(arguments: edges)
    func roundTrips(value: Int128) {
        let big = value.bigInt
        #expect(big == BigInt(value), "\(value)")
        #expect(Int128(big) == value)
        #expect(big.int64 == Int64(exactly: value))
    }

    @Test func seededValues() {
        var random = SeededRandom(seed: 128)
        for _ in 0..<2_000 {
            let value = Int128(truncatingIfNeeded: UInt128(random.next()) << 64 | UInt128(random.next())) >> random.int(in: 0...127)
            #expect(value.bigInt == BigInt(value) && Int128(BigInt(value)) == value, "\(value)")
            #expect(BigInt(value).int64 == Int64(exactly: value))
        }
    }

    /// The inline word constructors give the same values as BigInt's generic conversion, and
    /// those values behave in arithmetic (no stray storage or sign).
    @Test(arguments: [UInt64(0), 1, 2, 10, UInt64(Int64.max), UInt64(Int64.max) + 1, UInt64.max])
    func wordConstructor(word: UInt64) {
        let big = BigInt(word: word)
        #expect(big == BigInt(word))
        #expect(big + 1 == BigInt(word) + 1 && big * big == BigInt(word) * BigInt(word))
        #expect(-big == -BigInt(word) && (big - big).isZero)
        #expect(BigInt(magnitude128: UInt128(word) << 64 | UInt128(word), negative: true)
                == -(BigInt(word) << 64 + BigInt(word)))
        #expect(BigInt(magnitude128: 0, negative: true) == BigInt(0))
    }

    /// A BigInt as an exact Int64, or nil: Int64.min is kept wide (its magnitude is 2^63).
    @Test func exactInt64() {
        #expect(BigInt(0).exactInt64 == 0 && BigInt(-5).exactInt64 == -5)
        #expect(BigInt(Int64.max).exactInt64 == Int64.max && BigInt(-Int64.max).exactInt64 == -Int64.max)
        #expect(BigInt(Int64.min).exactInt64 == nil && (BigInt(Int64.max) + 1).exactInt64 == nil)
        #expect((BigInt(1) << 64).exactInt64 == nil)
    }
}
