import BigInt
import Testing
@testable import TransferAlloc

@Suite struct ApportionmentTests {
    @Test func equalWeightsGiveTheLeftOverUnitToTheSmallestCode() throws {
        // Ideals 10/3 each; whole parts 3+3+3 = 9; the one unit left goes to the county whose
        // code sorts first, which is county 2 here.
        let split = try Apportionment(total: 10, weights: [1, 1, 1], tieOrder: [1, 2, 0])
        #expect(split.units == [3, 3, 4])
        #expect(split.remainderRank == [2, 3, 1])
        #expect(split.receivedExtra == [false, false, true])
        #expect(split.exactUnits(0) == Rational(10, 3))
        #expect(split.bound == [.none, .none, .none])
        #expect(split.kernel == .int128)
    }

    @Test func largestFractionalPartWins() throws {
        // Ideals 1.1, 2.2, 3.3, 4.4: whole parts add to 10, the 11th unit goes to 0.4.
        let split = try Apportionment(total: 11, weights: [1, 2, 3, 4], tieOrder: [0, 1, 2, 3])
        #expect(split.units == [1, 2, 3, 5])
        #expect(split.remainderRank == [4, 3, 2, 1])
    }

    @Test func bindingCapRedistributesToTheOthers() throws {
        // Ideals 25, 25, 50; county 2 capped at 40 → the other 60 split 1:1.
        let split = try Apportionment(total: 100, weights: [1, 1, 2], lower: [0, 0, 0], upper: [nil, nil, 40],
                                      tieOrder: [0, 1, 2])
        #expect(split.units == [30, 30, 40])
        #expect(split.bound == [.none, .none, .cap])
        #expect(split.scale == Rational(30))
        #expect(split.lambda == Rational(6, 5))  // 30·4/100
    }

    @Test func weightsBeyondTheDoubleRangeAreOrderedExactly() throws {
        // County 1's weight 2^1030 has no finite Double. Its ideal, (2^20 + 2)·2^1030/ΣN ≈ 1,047,553,
        // is below its floor 2^20, so it gets 2^20 and the 2 units left go 1 : 32 to counties 0
        // and 2: ideals 2/33 and 64/33, whole parts 0 and 1, the last unit to the larger
        // fractional part (31/33, county 2). Ordering the breakpoints by Doubles would treat
        // county 1's breakpoint as 0 and hand out 31 units too many.
        let big = { (bits: Int) in BigInt(1) << bits }
        let split = try Apportionment(total: big(20) + 2, weights: [big(1015), big(1030), big(1020)],
                                      lower: [0, big(20), 1], upper: [nil, nil, nil], tieOrder: [0, 1, 2])
        #expect(split.units == [0, big(20), 2])
        #expect(split.bound == [.none, .floor, .none])
    }

    @Test func bindingFloorTakesFromTheOthers() throws {
        // Ideals 10, 90; a floor of 20 lifts county 0, county 1 keeps the rest.
        let split = try Apportionment(total: 100, weights: [1, 9], lower: [20, 0], upper: [nil, nil], tieOrder: [0, 1])
        #expect(split.units == [20, 80])
        #expect(split.bound == [.floor, .none])
        #expect(split.lambda == Rational(8, 9))
    }

    @Test func capAndFloorTogetherWithRounding() throws {
        // weights 1,2,3,4 of 100: ideals 10,20,30,40. County 3 capped at 35 and county 0
        // floored at 15 leave 50 for counties 1 and 2 in ratio 2:3 → 20 and 30.
        let split = try Apportionment(total: 100, weights: [1, 2, 3, 4], lower: [15, 0, 0, 0], upper: [nil, nil, nil, 35],
                                      tieOrder: [0, 1, 2, 3])
        #expect(split.units == [15, 20, 30, 35])
        #expect(split.bound == [.floor, .none, .none, .cap])
        // 101 units: the free pair shares 51 in ratio 2:3 = 20.4 and 30.6; the unit left goes to 0.6.
        let odd = try Apportionment(total: 101, weights: [1, 2, 3, 4], lower: [15, 0, 0, 0], upper: [nil, nil, nil, 35],
                                    tieOrder: [0, 1, 2, 3])
        #expect(odd.units == [15, 20, 31, 35])
        #expect(odd.exactUnits(1) == Rational(102, 5))
    }

    @Test func boundThatIsExactlyMetIsNotReportedAsBinding() throws {
        // Ideal of county 1 is exactly its cap of 50.
        let split = try Apportionment(total: 100, weights: [1, 1], lower: [0, 0], upper: [nil, 50], tieOrder: [0, 1])
        #expect(split.units == [50, 50])
        #expect(split.bound == [.none, .none])
    }

    @Test func infeasibleBoundsNameTheirCause() {
        #expect(throws: Infeasibility.lowerBoundsExceedTotal(sumOfLower: 120, total: 100)) {
            try Apportionment(total: 100, weights: [1, 1], lower: [60, 60], upper: [nil, nil], tieOrder: [0, 1])
        }
        #expect(throws: Infeasibility.upperBoundsBelowTotal(sumOfUpper: 20, total: 100)) {
            try Apportionment(total: 100, weights: [1, 1], lower: [0, 0], upper: [10, 10], tieOrder: [0, 1])
        }
        #expect(throws: Infeasibility.lowerAboveUpper(county: 1, lower: 30, upper: 20)) {
            try Apportionment(total: 100, weights: [1, 1], lower: [0, 30], upper: [nil, 20], tieOrder: [0, 1])
        }
        // A county without weight holds its lower bound, so its cap cannot absorb money.
        #expect(throws: Infeasibility.upperBoundsBelowTotal(sumOfUpper: 60, total: 100)) {
            try Apportionment(total: 100, weights: [1, 0], lower: [0, 10], upper: [50, 90], tieOrder: [0, 1])
        }
    }

    @Test func zeroWeightCountyStaysAtItsFloor() throws {
        let split = try Apportionment(total: 100, weights: [0, 3, 1], lower: [10, 0, 0], upper: [nil, nil, nil], tieOrder: [0, 1, 2])
        #expect(split.units == [10, 68, 22])  // 90·3/4 = 67.5, 90/4 = 22.5: tie → code order 1
        #expect(split.bound == [.floor, .none, .none])
    }

    @Test(arguments: [(40, Apportionment.Kernel.int256), (80, .bigInt)])
    func widerIntegersAreUsedWhenInt128WouldOverflow(exponent: Int, kernel: Apportionment.Kernel) throws {
        // 10^14 · 6·10^40 ≈ 2^183 needs Int256; 10^14 · 6·10^80 ≈ 2^316 needs BigInt.
        let huge = BigInt(10).power(exponent)
        let split = try Apportionment(total: BigInt(10).power(14), weights: [huge, huge * 2, huge * 3 + 1],
                                      tieOrder: [0, 1, 2])
        // Ideals ≈ T/6 (fraction ⅔), T/3 (⅓), T/2 (+ a tiny fraction): the unit left goes to ⅔.
        #expect(split.kernel == kernel)
        #expect(split.units.reduce(0, +) == BigInt(10).power(14))
        #expect(split.units == [16_666_666_666_667, 33_333_333_333_333, 50_000_000_000_000])
        #expect(split.remainderRank == [1, 2, 3])
    }

    @Test func widthTestIsExact() {
        #expect(BigInt(0).magnitudeBitWidth == 0)
        #expect(BigInt(1).magnitudeBitWidth == 1)
        #expect(BigInt(-255).magnitudeBitWidth == 8)
        #expect((BigInt(1) << 64).magnitudeBitWidth == 65)
        #expect((BigInt(1) << 100 - 1).magnitudeBitWidth == 100)
        // Bounded: 61 + 61 bits ≤ 125 → fast; 63 + 63 does not fit; 63 + 62 is the edge.
        #expect(Apportionment.fits(bitWidth: 128, total: BigInt(1) << 60, weightSum: BigInt(1) << 60, count: 2))
        #expect(!Apportionment.fits(bitWidth: 128, total: BigInt(1) << 62, weightSum: BigInt(1) << 62, count: 2))
        #expect(Apportionment.fits(bitWidth: 128, total: BigInt(1) << 62, weightSum: BigInt(1) << 61, count: 4000))
        #expect(!Apportionment.fits(bitWidth: 128, total: BigInt(1) << 62, weightSum: BigInt(1) << 62, count: 4000))
        // Int256: 127 + 126 = 253 bits is the bounded edge, 254 the unbounded one; n·total too.
        #expect(Apportionment.fits(bitWidth: 256, total: BigInt(1) << 126, weightSum: BigInt(1) << 125, count: 4000))
        #expect(!Apportionment.fits(bitWidth: 256, total: BigInt(1) << 126, weightSum: BigInt(1) << 126, count: 4000))
        #expect(Apportionment.fits(bitWidth: 256, total: BigInt(1) << 126, weightSum: BigInt(1) << 126, count: 4000, unbounded: true))
        #expect(!Apportionment.fits(bitWidth: 256, total: BigInt(1) << 127, weightSum: BigInt(1) << 126, count: 1, unbounded: true))
        #expect(Apportionment.fits(bitWidth: 256, total: BigInt(1) << 249, weightSum: 1, count: 7))
        #expect(!Apportionment.fits(bitWidth: 256, total: BigInt(1) << 249, weightSum: 1, count: 8))
        // The national table's shape: total ≈ 2^36 units, ΣN ≈ 2^93, 2,844 counties.
        #expect(Apportionment.narrowestKernel(total: BigInt(1) << 35, weightSum: BigInt(1) << 92, count: 2_844) == .int256)
        #expect(Apportionment.narrowestKernel(total: BigInt(1) << 35, weightSum: BigInt(1) << 80, count: 2_844) == .int128)
        #expect(Apportionment.narrowestKernel(total: BigInt(1) << 35, weightSum: BigInt(1) << 220, count: 2_844) == .bigInt)
    }

    @Test func unboundedSplitsNeedOnlyTotalTimesWeightSum() throws {
        // 61 + 65 = 126 bits: fits without bounds; with bounds one bit is kept back.
        #expect(Apportionment.fits(bitWidth: 128, total: BigInt(1) << 60, weightSum: BigInt(1) << 64, count: 4000, unbounded: true))
        #expect(!Apportionment.fits(bitWidth: 128, total: BigInt(1) << 60, weightSum: BigInt(1) << 64, count: 4000))
        #expect(Apportionment.fits(bitWidth: 128, total: BigInt(1) << 60, weightSum: BigInt(1) << 63, count: 4000))
        #expect(!Apportionment.fits(bitWidth: 128, total: BigInt(1) << 61, weightSum: BigInt(1) << 64, count: 1, unbounded: true))
        // Large-table shape: ΣN of ~85 bits, total of 40 bits, 500 counties.
        var random = SeededRandom(seed: 85)
        let weights = (0..<500).map { _ in (BigInt(random.int(in: 1...Int.max)) << 13) + BigInt(random.int(in: 0...8191)) }
        let total = (BigInt(1) << 40) - 12_345
        let order = Array((0..<500).shuffled(using: &random))
        let fast = try Apportionment(total: total, weights: weights, tieOrder: order)
        let wide = try Apportionment(total: total, weights: weights, lower: [], upper: [], tieOrder: order, kernel: .bigInt)
        #expect(fast.kernel == .int128 && wide.kernel == .bigInt)
        #expect(fast.units == wide.units && fast.remainders == wide.remainders && fast.remainderRank == wide.remainderRank)
    }

    /// The Int128, Int256 and BigInt kernels give the same split, or refuse with the same cause, on
    /// 300 seeded small cases. Refused cases are counted; most cases must compute.
    @Test func fastAndWidePathsAgree() throws {
        var computed = 0, refused = 0
        for seed in 0..<300 {
            var random = SeededRandom(seed: UInt64(seed))
            let n = random.int(in: 1...12)
            var weights = (0..<n).map { _ in BigInt(random.int(in: 0...1_000)) }
            if !weights.contains(where: { $0 > 0 }) { weights[0] = 1 }   // the kernel needs one county with weight
            let total = BigInt(random.int(in: 0...100_000))
            let lower = (0..<n).map { _ in random.int(in: 0...3) == 0 ? BigInt(random.int(in: 0...(Int(total) / n + 1))) : 0 }
            let upper: [BigInt?] = (0..<n).map { i in
                random.int(in: 0...3) == 0 ? lower[i] + BigInt(random.int(in: 0...Int(total))) : nil
            }
            let order = Array((0..<n).shuffled(using: &random))
            let fast = Result { () throws(Infeasibility) in
                try Apportionment(total: total, weights: weights, lower: lower, upper: upper, tieOrder: order, kernel: nil)
            }
            if case let .success(fast) = fast {
                computed += 1
                #expect(fast.kernel == .int128, "seed \(seed)")
                #expect(fast.units.reduce(0, +) == total, "seed \(seed)")
                for i in 0..<n {
                    #expect(fast.units[i] >= lower[i], "seed \(seed) county \(i)")
                    if let u = upper[i] { #expect(fast.units[i] <= u, "seed \(seed) county \(i)") }
                }
            } else {
                refused += 1
            }
            for kernel in [Apportionment.Kernel.int256, .bigInt] {
                let wide = Result { () throws(Infeasibility) in
                    try Apportionment(total: total, weights: weights, lower: lower, upper: upper, tieOrder: order, kernel: kernel)
                }
                switch (fast, wide) {
                case let (.success(fast), .success(wide)):
                    #expect(fast.units == wide.units && fast.bound == wide.bound && fast.scale == wide.scale, "seed \(seed) \(kernel)")
                    #expect(fast.remainders == wide.remainders && fast.remainderRank == wide.remainderRank, "seed \(seed) \(kernel)")
                case let (.failure(fast), .failure(wide)):
                    #expect(fast == wide, "seed \(seed) \(kernel)")
                default:
                    Issue.record("seed \(seed): Int128 and \(kernel) disagree on refusing: \(fast) vs \(wide)")
                }
            }
        }
        print("fastAndWidePathsAgree: \(computed) computed, \(refused) refused")
        #expect(refused * 4 <= computed + refused, "\(refused) of 300 cases refused")
    }

    /// Bounded splits whose total·ΣN fills almost all 125 bits (n·total·ΣN far beyond 128) take
    /// the Int128 path and agree with BigInt, floors and caps binding: the kernel's products
    /// stay below total·ΣN (`fits`' bounded rule).
    @Test(arguments: 0..<40) func boundedSplitsAtTheWidthEdgeAgree(seed: Int) throws {
        var random = SeededRandom(seed: UInt64(1_000 + seed))
        let n = random.int(in: 200...1_500)
        let total = (BigInt(1) << 40) - BigInt(random.int(in: 0...1_000_000))
        // ΣN of 83–84 bits: 41 + 84 = 125 bits at most, while n·total·ΣN is far beyond 128.
        var weights = (0..<n).map { _ in BigInt(word: random.next()) << 20 + BigInt(random.int(in: 0...9)) }
        let excess = weights.reduce(0, +).magnitudeBitWidth - 84
        if excess > 0 { weights = weights.map { $0 >> excess } }
        let share = total / BigInt(n)
        let lower = (0..<n).map { _ in random.int(in: 0...2) == 0 ? share * BigInt(random.int(in: 0...90)) / 100 : BigInt(0) }
        let upper: [BigInt?] = (0..<n).map { i in
            random.int(in: 0...2) == 0 ? lower[i] + share * BigInt(random.int(in: 0...150)) / 100 : nil
        }
        let order = Array((0..<n).shuffled(using: &random))
        let weightSum = weights.reduce(0, +)
        #expect((124...125).contains(total.magnitudeBitWidth + weightSum.magnitudeBitWidth))
        #expect(Apportionment.fits(bitWidth: 128, total: total, weightSum: weightSum, count: n))
        // Feasible by construction: Σ lower ≤ 0.9·total, and most counties have no upper bound.
        let fast = try Apportionment(total: total, weights: weights, lower: lower, upper: upper, tieOrder: order, kernel: nil)
        let wide = try Apportionment(total: total, weights: weights, lower: lower, upper: upper, tieOrder: order, kernel: .bigInt)
        #expect(fast.kernel == .int128 && wide.kernel == .bigInt)
        #expect(fast.units == wide.units && fast.bound == wide.bound && fast.scale == wide.scale)
        #expect(fast.bound.contains(.cap) && fast.bound.contains(.floor))
    }

    /// Seeded splits whose bits(total) + bits(ΣN) sit one below, at and one above each width's
    /// limit (125/126 bits for Int128, 253/254 for Int256; bounded and unbounded; totals up to
    /// 2^80 and 2^110, so quotients also pass 2^50, where Int256 divides through BigInt): the narrowest
    /// kernel is the one the width test names, and every wider kernel gives exactly the same split.
    @Test(arguments: 0..<48) func kernelsAgreeAroundEachCutOver(seed: Int) throws {
        var random = SeededRandom(seed: UInt64(5_000 + seed))
        let bounded = seed % 2 == 0
        let limit = [128, 256][seed / 2 % 2] - (bounded ? 3 : 2)
        let bitSum = limit + [-1, 0, 1][seed / 4 % 3]
        let totalBits = [30, 45, 62, limit > 200 ? 110 : 80][seed / 12 % 4]
        let n = random.int(in: 50...600)
        let total = (BigInt(1) << (totalBits - 1)) + BigInt(word: random.next()) % (BigInt(1) << (totalBits - 2))
        // Weights of random bits, shifted left until ΣN has exactly the bits wanted.
        let weightBits = bitSum - totalBits
        let countBits = Int.bitWidth - n.leadingZeroBitCount
        var weights = (0..<n).map { _ in
            var w = BigInt(0)
            for _ in 0..<4 { w = w << 64 + BigInt(word: random.next()) }
            return w >> (256 - (weightBits - countBits - 4))
        }
        let shift = weightBits - weights.reduce(0, +).magnitudeBitWidth
        weights = weights.map { $0 << shift }
        let weightSum = weights.reduce(0, +)
        #expect(total.magnitudeBitWidth + weightSum.magnitudeBitWidth == bitSum)
        let share = total / BigInt(n)
        let lower = (0..<n).map { _ in bounded && random.int(in: 0...2) == 0 ? share * BigInt(random.int(in: 0...90)) / 100 : BigInt(0) }
        let upper: [BigInt?] = (0..<n).map { i in
            bounded && random.int(in: 0...2) == 0 ? lower[i] + share * BigInt(random.int(in: 0...150)) / 100 : nil
        }
        let order = Array((0..<n).shuffled(using: &random))
        let narrowest: Apportionment.Kernel = bitSum <= 125 + (bounded ? 0 : 1) ? .int128 : bitSum <= 253 + (bounded ? 0 : 1) ? .int256 : .bigInt
        let split = try Apportionment(total: total, weights: weights, lower: lower, upper: upper, tieOrder: order, kernel: nil)
        #expect(split.kernel == narrowest, "bits \(bitSum), bounded \(bounded)")
        #expect(split.units.reduce(0, +) == total)
        for kernel in [Apportionment.Kernel.int128, .int256, .bigInt] where kernel > split.kernel {
            let wide = try Apportionment(total: total, weights: weights, lower: lower, upper: upper, tieOrder: order, kernel: kernel)
            #expect(wide.kernel == kernel)
            #expect(split.units == wide.units && split.bound == wide.bound && split.scale == wide.scale, "\(kernel)")
            #expect(split.wholeUnits == wide.wholeUnits && split.remainders == wide.remainders
                    && split.remainderDenominator == wide.remainderDenominator && split.remainderRank == wide.remainderRank, "\(kernel)")
        }
    }

    // MARK: Ties by the codes' UTF-8 bytes, through the whole allocation

    static let settledOnly = "money.weights={\"settled\": \"1\", \"permits\": \"0\"}"

    /// Codes compare as text, byte by byte: `100` sorts before `9` (0x31 < 0x39), although 9 < 100
    /// as numbers, and the row order (9 first) does not matter.
    @Test func tieGoesToTheCodeWhoseBytesSortFirst() throws {
        // 0.01 元 between two equal counties: ideals ½ fen each, one fen to hand out.
        let two = try Inputs.allocate(settlement: "code,settled\n9,1\n100,1\n", fundTotal: "0.01", set: [Self.settledOnly])
        #expect(Inputs.amounts(two) == ["9": "0.00", "100": "0.01"])
        // 1.00 元 between three: 33⅓ fen each, 99 whole, one fen left; `10` < `100` < `9`.
        let three = try Inputs.allocate(settlement: "code,settled\n9,1\n100,1\n10,1\n", fundTotal: "1.00",
                                        set: [Self.settledOnly])
        #expect(Inputs.amounts(three) == ["9": "0.33", "10": "0.34", "100": "0.33"])
        // Two fen left among three: `10` and `100` get them, `9` does not.
        let twoLeft = try Inputs.allocate(settlement: "code,settled\n9,1\n100,1\n10,1\n", fundTotal: "0.02",
                                          set: [Self.settledOnly])
        #expect(Inputs.amounts(twoLeft) == ["9": "0.00", "10": "0.01", "100": "0.01"])
    }

    /// docs/formulas.md: seven equal counties share 1,000,000 元. Each ideal is 14,285,714 2/7 fen;
    /// the whole fen add up to 99,999,998, so two fen are left, and the tie goes to the two
    /// smallest codes, 110101 and 110102 (142,857.15 元), whatever the row order; the other five
    /// get 142,857.14 元.
    @Test func sevenCountyTie() throws {
        let codes = ["110107", "110103", "110101", "110105", "110102", "110106", "110104"]
        let settlement = "code,settled\n" + codes.map { "\($0),10\n" }.joined()
        let run = try Inputs.allocate(settlement: settlement, fundTotal: "1000000", set: [Self.settledOnly])
        #expect(Inputs.amounts(run) == [
            "110101": "142857.15", "110102": "142857.15", "110103": "142857.14", "110104": "142857.14",
            "110105": "142857.14", "110106": "142857.14", "110107": "142857.14",
        ])
        #expect(run.scenarios[0].money.allocatedFen == 100_000_000)
    }
}
