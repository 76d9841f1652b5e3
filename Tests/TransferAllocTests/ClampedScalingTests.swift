import BigInt
import Testing
@testable import TransferAlloc

/// `ClampedScaling` sorts its breakpoints by a Double approximation first and falls back to the
/// exact order when the Doubles get it wrong. Whatever the sort did, μ* must be the smallest μ
/// with Σ clamp(μ·N_i, L_i, U_i) = total — checked here exactly, on ratios the Doubles cannot
/// tell apart (weights near 2^90 differing in the last bits) and on exact ties.
@Suite struct ClampedScalingTests {
    /// Σ clamp(μ·N_i, L_i, U_i) for μ = p/q, times q (exact).
    static func scaledSum(_ p: BigInt, _ q: BigInt, weights: [BigInt], lower: [BigInt], upper: [BigInt?]) -> BigInt {
        var sum = BigInt(0)
        for i in weights.indices {
            var x = p * weights[i]
            if weights[i].isZero || x < lower[i] * q { x = lower[i] * q }
            if let u = upper[i], x > u * q, !weights[i].isZero { x = u * q }
            sum += x
        }
        return sum
    }

    static func check<I: KernelInteger>(_: I.Type, total: BigInt, weights: [BigInt], lower: [BigInt], upper: [BigInt?],
                                        label: String) {
        let upper = upper.map { $0.map { Swift.min($0, total) } }   // as `Apportionment` passes them
        guard let scale = ClampedScaling<I>.solve(total: I(total), weights: weights.map { I($0) },
                                                  lower: lower.map { I($0) }, upper: upper.map { $0.map { I($0) } }) else {
            Issue.record("\(label): no scale")
            return
        }
        let p = scale.numerator.bigInt, q = scale.denominator.bigInt
        #expect(scaledSum(p, q, weights: weights, lower: lower, upper: upper) == total * q, "\(label): Σ ≠ total")
        // Minimal: at the largest breakpoint below μ* the sum is still short of the total (the sum
        // is linear between breakpoints, so no smaller μ reaches it).
        var below: Rational?
        let mu = Rational(p, q)
        for i in weights.indices where !weights[i].isZero {
            for value in [lower[i], upper[i]].compactMap({ $0 }) {
                let point = Rational(value, weights[i])
                if point < mu, below.map({ $0 < point }) ?? true { below = point }
            }
        }
        if let below {
            #expect(scaledSum(below.numerator, below.denominator, weights: weights, lower: lower, upper: upper)
                    < total * below.denominator, "\(label): a smaller μ reaches the total")
        }
    }

    @Test func smallestScaleOnNearTies() {
        var checked = 0, skipped = 0
        for seed in UInt64(0)..<200 {
            var r = SeededRandom(seed: 77_000 + seed)
            let n = r.int(in: 2...30)
            // Weights 2^54 + 0…3 and bounds 0–2 × 2^53 + 0…3: above 2^53 a Double cannot hold them, so
            // ratios that differ get equal or swapped keys and the exact check must repair the order.
            let weights = (0..<n).map { _ in r.int(in: 0...9) == 0 ? BigInt(0) : (BigInt(1) << 54) + BigInt(r.int(in: 0...3)) }
            let lower = (0..<n).map { _ in BigInt(r.int(in: 0...2)) << 53 + BigInt(r.int(in: 0...3)) }
            let upper: [BigInt?] = lower.map { l in r.int(in: 0...4) == 0 ? nil : l + (BigInt(r.int(in: 0...2)) << 53) + BigInt(r.int(in: 0...3)) }
            let room = upper.enumerated().reduce(BigInt(0)) { sum, pair in
                sum + (weights[pair.offset].isZero ? lower[pair.offset] : (pair.element ?? (lower[pair.offset] + (BigInt(1) << 52))))
            }
            let fixed = lower.reduce(0, +)
            // No total lies strictly between the floors and the room: nothing to solve.
            guard room > fixed else { skipped += 1; continue }
            checked += 1
            let total = fixed + (room - fixed) * BigInt(r.int(in: 1...999)) / 1000
            ClampedScalingTests.check(Int128.self, total: total, weights: weights, lower: lower, upper: upper, label: "seed \(seed) Int128")
            ClampedScalingTests.check(Int256.self, total: total, weights: weights, lower: lower, upper: upper, label: "seed \(seed) Int256")
            ClampedScalingTests.check(BigInt.self, total: total, weights: weights, lower: lower, upper: upper, label: "seed \(seed) BigInt")
        }
        print("smallestScaleOnNearTies: \(checked) checked, \(skipped) without room")
        #expect(skipped * 10 <= checked + skipped, "\(skipped) of 200 cases had no room to solve")
    }

    /// The same near ties beyond Int128: weights 2^150 + 0…3 (products of ~2^215), for Int256.
    @Test(arguments: 0..<100)
    func smallestScaleOnNearTiesBeyondInt128(seed: UInt64) throws {
        var r = SeededRandom(seed: 79_000 + seed)
        let n = r.int(in: 2...30)
        // County 0 has weight and no cap, so there is always room above the floors.
        let weights = (0..<n).map { i in i > 0 && r.int(in: 0...9) == 0 ? BigInt(0) : (BigInt(1) << 150) + BigInt(r.int(in: 0...3)) }
        let lower = (0..<n).map { _ in BigInt(r.int(in: 0...2)) << 60 + BigInt(r.int(in: 0...3)) }
        let upper: [BigInt?] = lower.indices.map { i in
            i == 0 || r.int(in: 0...4) == 0 ? nil : lower[i] + (BigInt(r.int(in: 0...2)) << 60) + BigInt(r.int(in: 0...3))
        }
        let room = upper.enumerated().reduce(BigInt(0)) { sum, pair in
            sum + (weights[pair.offset].isZero ? lower[pair.offset] : (pair.element ?? (lower[pair.offset] + (BigInt(1) << 59))))
        }
        let fixed = lower.reduce(0, +)
        let total = fixed + (room - fixed) * BigInt(r.int(in: 1...999)) / 1000
        ClampedScalingTests.check(Int256.self, total: total, weights: weights, lower: lower, upper: upper, label: "seed \(seed) Int256")
        ClampedScalingTests.check(BigInt.self, total: total, weights: weights, lower: lower, upper: upper, label: "seed \(seed) BigInt")
        let order = Array(0..<n)
        // Feasible: county 0 takes any amount above the floors.
        let split = try Apportionment(total: total, weights: weights, lower: lower, upper: upper, tieOrder: order)
        let wide = try Apportionment(total: total, weights: weights, lower: lower, upper: upper, tieOrder: order, kernel: .bigInt)
        #expect(split.kernel == .int256)
        #expect(split.units == wide.units && split.bound == wide.bound && split.scale == wide.scale, "seed \(seed)")
    }

    /// The order of events (and so which county is `floor` or `cap` at a tie) is the exact one:
    /// the same split from the Int128, Int256 and BigInt kernels, whose Double keys differ.
    @Test(arguments: 0..<100)
    func bothKernelsAgreeOnNearTies(seed: UInt64) throws {
        var r = SeededRandom(seed: 78_000 + seed)
        let n = r.int(in: 2...20)
        // Exact Doubles (below 2^53) whose quotients tie where the exact ratios differ.
        let weights = (0..<n).map { _ in (BigInt(1) << 52) + BigInt(r.int(in: 0...3)) }
        let lower = (0..<n).map { _ in BigInt(r.int(in: 0...2)) << 51 + BigInt(r.int(in: 0...3)) }
        let upper: [BigInt?] = lower.map { l in r.int(in: 0...1) == 0 ? nil : l + (BigInt(r.int(in: 0...2)) << 51) + BigInt(r.int(in: 0...3)) }
        let total = lower.reduce(0, +) + BigInt(r.int(in: 0...3)) << 51 + BigInt(r.int(in: 0...3))
        let order = Array(0..<n)
        // Feasible by construction: the total lies between Σ L and (with no cap on some county) ∞,
        // or Σ U when every county is capped; a refusal must then be the same from every kernel.
        let narrow = Result { () throws(Infeasibility) in
            try Apportionment(total: total, weights: weights, lower: lower, upper: upper, tieOrder: order)
        }
        for kernel in [Apportionment.Kernel.int256, .bigInt] {
            let wide = Result { () throws(Infeasibility) in
                try Apportionment(total: total, weights: weights, lower: lower, upper: upper, tieOrder: order, kernel: kernel)
            }
            switch (narrow, wide) {
            case let (.success(narrow), .success(wide)):
                #expect(narrow.kernel == .int128, "seed \(seed)")
                #expect(narrow.units == wide.units && narrow.bound == wide.bound && narrow.scale == wide.scale, "seed \(seed) \(kernel)")
            case let (.failure(narrow), .failure(wide)):
                #expect(narrow == wide, "seed \(seed) \(kernel)")
                #expect(upper.allSatisfy { $0 != nil }, "seed \(seed): refused although some county has no cap: \(narrow)")
            default:
                Issue.record("seed \(seed): Int128 and \(kernel) disagree on refusing: \(narrow) vs \(wide)")
            }
        }
    }
}
