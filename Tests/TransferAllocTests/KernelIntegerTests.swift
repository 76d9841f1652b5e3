import BigInt
import Testing
@testable import TransferAlloc

/// The word-level Int128 ⇄ BigInt conversions agree with BigInt's own generic ones.
@Suite struct KernelIntegerTests {
    static let edges: [Int128] = [0, 1, -1, 42, -42, Int128(Int64.max), Int128(Int64.min), Int128(Int64.max) + 1,
                                  Int128(Int64.min) - 1, Int128(UInt64.max), -Int128(UInt64.max), Int128(1) << 64,
                                  -(Int128(1) << 64), (Int128(1) << 100) + 12_345, Int128.max, Int128.min, Int128.min + 1]

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
}
