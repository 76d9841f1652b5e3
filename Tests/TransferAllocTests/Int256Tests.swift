import BigInt
import Testing
@testable import TransferAlloc

private let ones = UInt64.max

private func limbs(_ x: Int256) -> [UInt64] { [x.w0, x.w1, x.w2, x.w3] }

/// 2^exponent, from limbs (independent of the BigInt conversion).
private func power(_ exponent: Int) -> Int256 {
    var x = Int256.zero
    let bit = UInt64(1) << (exponent % 64)
    switch exponent / 64 {
    case 0: x.w0 = bit
    case 1: x.w1 = bit
    case 2: x.w2 = bit
    default: x.w3 = bit
    }
    return x
}

/// Int256's arithmetic on hand-computed values (limbs written out), then on seeded values
/// against BigInt's own arithmetic.
@Suite struct Int256Tests {
    @Test func carriesAndBorrowsCrossLimbs() {
        #expect(limbs(Int256(UInt64.max) + 1) == [0, 1, 0, 0])
        let below192 = Int256(w0: ones, w1: ones, w2: ones, w3: 0)
        #expect(limbs(below192 + 1) == [0, 0, 0, 1])
        #expect(limbs(power(128) - 1) == [ones, ones, 0, 0])
        #expect(limbs(power(192) - power(64)) == [0, ones, ones, 0])
        var x: Int256 = 5
        x += power(200)
        x -= 6
        #expect(limbs(x) == [ones, ones, ones, (1 << 8) - 1])
    }

    @Test func negativeValuesAreTwosComplement() {
        #expect(limbs(-1) == [ones, ones, ones, ones])
        #expect(limbs(Int256(5) - 7) == [ones - 1, ones, ones, ones])
        #expect((-1 as Int256) + 1 == 0)
        #expect(Int256(-3) * 4 == -12 && Int256(-3) * -4 == 12 && Int256(3) * -4 == -12)
        // −2^128 · −2^126 = 2^254; −2^128 · 2^127 = −2^255, the smallest value.
        #expect(Int256.zero - power(128) == Int256(w0: 0, w1: 0, w2: ones, w3: ones))
        #expect((Int256.zero - power(128)) * (Int256.zero - power(126)) == power(254))
        #expect((Int256.zero - power(128)) * power(127) == Int256.min)
        #expect(Int256.min.magnitudeLimbs == power(255))
        #expect(Int256.min.wrappingNegated == Int256.min)
        #expect(Int256.max + Int256.min == -1)
    }

    @Test func comparisonsOrderSignedValues() {
        let ordered: [Int256] = [Int256.min, Int256.min + 1, Int256.zero - power(192), Int256.zero - power(64),
                                 -1, 0, 1, Int256(UInt64.max), power(64), power(64) + 1, power(128),
                                 power(192), Int256.max - 1, Int256.max]
        for (i, a) in ordered.enumerated() {
            for (j, b) in ordered.enumerated() {
                #expect((a < b) == (i < j) && (a == b) == (i == j), "\(a) vs \(b)")
            }
        }
    }

    /// Products near 2^255 fit; one bit more overflows; a product of three and two limbs that
    /// fits uses the fifth-limb check, not the limb count.
    @Test func productsNearTheLimit() {
        // (2^128 − 1)(2^127 − 1) = 2^255 − 2^128 − 2^127 + 1.
        #expect((power(128) - 1) * (power(127) - 1)
                == Int256(w0: 1, w1: UInt64(1) << 63, w2: ones - 1, w3: UInt64(Int64.max)))
        #expect(power(190) * power(64) == power(254))
        #expect(Int256.unsignedProduct(power(128), power(127)) == (power(255), false))
        #expect(Int256.unsignedProduct(power(128), power(128)).overflow)
        #expect(Int256.unsignedProduct(power(191), power(65)).overflow)
        #expect(!Int256.unsignedProduct(power(191), power(64)).overflow)
        #expect(Int256.unsignedProduct(Int256.max, 2) == (Int256(w0: ones - 1, w1: ones, w2: ones, w3: ones), false))
        // (2^64 − 1)^3 = 2^192 − 3·2^128 + 3·2^64 − 1 and (2^64 − 1)^4 (unsigned, just below 2^256)
        // need every carry of the schoolbook loop.
        let allOnes = Int256(UInt64.max)
        #expect(allOnes * allOnes * allOnes == Int256(w0: ones, w1: 2, w2: ones - 2, w3: 0))
        #expect(Int256.unsignedProduct(allOnes * allOnes * allOnes, allOnes)
                == (Int256(w0: 1, w1: ones - 3, w2: 5, w3: ones - 3), false))
        #expect(Int256.zero * Int256.max == 0 && Int256.max * 1 == Int256.max)
    }

    /// The quotient's Double estimate is corrected by exact multiplication, both ways.
    @Test func divisionCorrectsTheEstimate() {
        // (3·2^128 + 2) / (2^128 + 1): both Doubles round down to 3·2^128 and 2^128, estimate 3,
        // quotient 2, remainder 2^128.
        let a = power(128) * 3 + 2, b = power(128) + 1
        #expect((a.approximateDouble / b.approximateDouble).rounded(.down) == 3)
        #expect(a.quotientAndRemainder(dividingBy: b) == (2, power(128)))
        // 7·(2^128 + 3·2^74) / (2^128 + 3·2^74): the divisor's Double rounds up, the dividend's
        // down, estimate 6, quotient 7.
        let divisor = power(128) + power(74) * 3
        #expect(((divisor * 7).approximateDouble / divisor.approximateDouble).rounded(.down) == 6)
        #expect((divisor * 7).quotientAndRemainder(dividingBy: divisor) == (7, 0))
        #expect((divisor * 7 + divisor - 1).quotientAndRemainder(dividingBy: divisor) == (7, divisor - 1))
        // Dividend below the divisor; one-word values.
        #expect(b.quotientAndRemainder(dividingBy: a) == (0, b))
        #expect(Int256(1_000_003).quotientAndRemainder(dividingBy: 1_000) == (1_000, 3))
    }

    /// Quotients of 2^50 or more, dividends of 2^254 or more and negative operands go through
    /// BigInt and truncate toward zero as the standard integers do.
    @Test func divisionOutsideTheEstimateRange() {
        let a = power(200) + 5
        #expect(Int256.smallQuotient(a, 3) == nil)
        // 2^200 ≡ 1 (mod 3), so 3 divides 2^200 + 5.
        let third = BigInt("535646014752996758513987364113720867507400997927597611767127", radix: 10)!
        #expect(a.quotientAndRemainder(dividingBy: 3) == (Int256(third), 0))
        #expect(Int256.smallQuotient(power(254), power(253)) == nil)
        #expect(power(254).quotientAndRemainder(dividingBy: power(253) + 1) == (1, power(253) - 1))
        #expect(Int256(-7).quotientAndRemainder(dividingBy: 2) == (-3, -1))
        #expect(Int256(7).quotientAndRemainder(dividingBy: -2) == (-3, 1))
        #expect(Int256(-7).quotientAndRemainder(dividingBy: -2) == (3, -1))
        #expect(Int256.min.quotientAndRemainder(dividingBy: power(254)) == (-2, 0))
    }

    @Test func conversionsRoundTripAtTheEdges() {
        let edges: [BigInt] = [0, 1, -1, BigInt(UInt64.max), -BigInt(UInt64.max), BigInt(1) << 64, -(BigInt(1) << 64),
                               BigInt(1) << 128, -(BigInt(1) << 128) + 1, BigInt(1) << 192, (BigInt(1) << 255) - 1,
                               -(BigInt(1) << 255), -(BigInt(1) << 255) + 1, (BigInt(1) << 200) + 12_345]
        for big in edges {
            #expect(Int256(big).bigInt == big, "\(big)")
        }
        #expect(Int256(BigInt(1) << 192) == power(192))
        #expect(Int256(-(BigInt(1) << 255)) == Int256.min && Int256(BigInt(-1)) == -1)
        #expect(Int256.max.bigInt == (BigInt(1) << 255) - 1)
        #expect(Int256(-42).intValue == -42 && Int256(integerLiteral: Int64.max).intValue == Int.max
                && Int256(integerLiteral: Int64.min).intValue == Int.min)
        #expect(power(200).approximateDouble == 0x1p200)
        #expect((Int256.zero - power(130) - power(80)).approximateDouble == -(0x1p130 + 0x1p80))
        #expect(Int256(12_345).approximateDouble == 12_345)
    }

    /// Σ of BigInts: in Int256 words, and in BigInt once a term reaches 2^192.
    @Test func sumsOfBigInts() {
        #expect(BigInt.sum([BigInt]()) == 0)
        // 3 · (2^192 − 1) carries into a fourth word; −5 + 2 on the way.
        let wide = (BigInt(1) << 192) - 1
        #expect(BigInt.sum([wide, wide, -5, wide, 2]) == (BigInt(3) << 192) - 6)
        // A term of 2^192 (four words) takes the BigInt path, exactly: 2^250 · 40 = 5 · 2^253.
        #expect(BigInt.sum(Array(repeating: BigInt(1) << 250, count: 40)) == BigInt(5) << 253)
        #expect(BigInt.sum([BigInt(7), BigInt(1) << 192, BigInt(-8)]) == (BigInt(1) << 192) - 1)
    }

    /// Random values of every width and sign: each operation equals BigInt's whenever the
    /// exact result fits.
    @Test(arguments: 0..<8) func seededOperationsMatchBigInt(seed: UInt64) {
        var random = SeededRandom(seed: 256_000 + seed)
        func value(bits: Int) -> BigInt {
            var magnitude = BigInt(0)
            for _ in 0..<4 { magnitude = magnitude << 64 + BigInt(word: random.next()) }
            magnitude >>= 256 - bits
            return random.int(in: 0...3) == 0 ? -magnitude : magnitude
        }
        let limit = BigInt(1) << 255
        func fits(_ x: BigInt) -> Bool { x < limit && x >= -limit }
        for _ in 0..<500 {
            let a = value(bits: random.int(in: 0...255)), b = value(bits: random.int(in: 0...255))
            let x = Int256(a), y = Int256(b)
            #expect(x.bigInt == a && (x < y) == (a < b) && (x == y) == (a == b), "\(a) \(b)")
            if fits(a + b) { #expect((x + y).bigInt == a + b, "\(a) + \(b)") }
            if fits(a - b) { #expect((x - y).bigInt == a - b, "\(a) - \(b)") }
            if fits(a * b) { #expect((x * y).bigInt == a * b, "\(a) · \(b)") }
            #expect(Int256.unsignedProduct(x.magnitudeLimbs, y.magnitudeLimbs).overflow == (a.magnitude * b.magnitude >= BigUInt(1) << 256))
            if !b.isZero, fits(a / b) {
                let (q, r) = x.quotientAndRemainder(dividingBy: y)
                #expect(q.bigInt == a / b && r.bigInt == a % b, "\(a) / \(b)")
            }
            // The kernel's case: a quotient below 2^50 from the estimate.
            let small = b.magnitude.isZero ? BigInt(1) : BigInt(b.magnitude)
            let dividend = small * BigInt(random.int(in: 0...(1 << 50 - 1))) + BigInt(random.int(in: 0...Int.max)) % small
            if dividend < BigInt(1) << 254 {
                let (q, r) = Int256(dividend).quotientAndRemainder(dividingBy: Int256(small))
                #expect(q.bigInt == dividend / small && r.bigInt == dividend % small, "\(dividend) / \(small)")
            }
        }
    }
}
