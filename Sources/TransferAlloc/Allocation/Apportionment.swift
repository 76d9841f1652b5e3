import BigInt

/// A whole number of units split between counties in proportion to integer weights, within
/// per-county bounds, rounded by largest remainder: the single kernel behind both money
/// (units of granularity) and land (units of precision).
///
///     let split = try Apportionment(total: 10, weights: [1, 1, 1], tieOrder: [0, 1, 2])
///     split.units          // [4, 3, 3]: each ideal is 3⅓; the one unit left goes to code order 0
///
/// Each county's exact share before rounding is `x_i = clamp(μ·N_i, L_i, U_i)` with the
/// smallest μ that makes Σ x_i = total. Every field is exact; `explain` prints them.
public struct Apportionment: Sendable {
    /// Units to distribute.
    public let total: BigInt
    /// N_i, the integer weights (the ideal of county i is total·N_i / ΣN).
    public let weights: [BigInt]
    /// ΣN_i.
    public let weightSum: BigInt
    /// L_i in units (0 = no lower bound).
    public let lower: [BigInt]
    /// U_i in units (nil = none).
    public let upper: [BigInt?]
    /// μ*: x_i = μ*·N_i for a county within its bounds.
    public let scale: Rational
    /// The bound that decided each county.
    public let bound: [BoundKind]
    /// ⌊x_i⌋.
    public var wholeUnits: [BigInt] { parts.whole }
    /// Numerator of x_i − ⌊x_i⌋ over `remainderDenominator`, common to all counties.
    public var remainders: [BigInt] { parts.remainders }
    public let remainderDenominator: BigInt
    /// ⌊x_i⌋ and the remainders in the kernel's integers, made BigInt only when read: a sweep
    /// reads the units alone, at every value.
    private let parts: Parts
    /// 1-based rank of the fractional part among all counties (nil when it is zero).
    public let remainderRank: [Int?]
    /// Whether the county received one of the units left after the whole parts.
    public let receivedExtra: [Bool]
    /// Final units: ⌊x_i⌋ + (1 if it received an extra unit).
    public let units: [BigInt]
    /// The integer width the run computed in (the narrowest that provably holds every
    /// intermediate; each gives the same result).
    public let kernel: Kernel

    /// The kernel's integer types, narrowest first.
    public enum Kernel: Comparable, Sendable {
        /// Int128: no allocation; the usual case.
        case int128
        /// Int256: no allocation; large share integers (e.g. four-decimal coefficients over a
        /// national table).
        case int256
        /// BigInt: any width.
        case bigInt
    }

    /// The exact pre-rounding amount x_i, in units.
    public func exactUnits(_ county: Int) -> Rational {
        Rational(parts.whole(county) * remainderDenominator + parts.remainder(county), remainderDenominator)
    }

    /// ⌊x_i⌋ and the remainders as the kernel's integer type left them.
    private enum Parts: Sendable {
        case int128(whole: [Int128], remainders: [Int128])
        case int256(whole: [Int256], remainders: [Int256])
        case bigInt(whole: [BigInt], remainders: [BigInt])

        var whole: [BigInt] {
            switch self {
            case .int128(let whole, _): whole.map(\.bigInt)
            case .int256(let whole, _): whole.map(\.bigInt)
            case .bigInt(let whole, _): whole
            }
        }

        var remainders: [BigInt] {
            switch self {
            case .int128(_, let remainders): remainders.map(\.bigInt)
            case .int256(_, let remainders): remainders.map(\.bigInt)
            case .bigInt(_, let remainders): remainders
            }
        }

        func whole(_ i: Int) -> BigInt {
            switch self {
            case .int128(let whole, _): whole[i].bigInt
            case .int256(let whole, _): whole[i].bigInt
            case .bigInt(let whole, _): whole[i]
            }
        }

        func remainder(_ i: Int) -> BigInt {
            switch self {
            case .int128(_, let remainders): remainders[i].bigInt
            case .int256(_, let remainders): remainders[i].bigInt
            case .bigInt(_, let remainders): remainders[i]
            }
        }
    }

    /// The ideal before bounds, total·N_i/ΣN, in units.
    public func idealUnits(_ county: Int) -> Rational {
        weightSum.isZero ? .zero : Rational(total * weights[county], weightSum)
    }

    /// λ* of the contract (x_i = clamp(λ*·ideal_i, L_i, U_i)): μ*·ΣN/total.
    public var lambda: Rational {
        total.isZero ? .zero : scale * Rational(weightSum, total)
    }

    /// The units left over after the whole parts, handed out by largest remainder.
    public var extraUnits: Int { receivedExtra.lazy.filter { $0 }.count }

    /// - Parameters:
    ///   - total: units to distribute, ≥ 0.
    ///   - weights: N_i ≥ 0 (ΣN may be 0 only when the lower bounds take the whole total).
    ///   - lower: L_i ≥ 0 in units (empty = all 0).
    ///   - upper: U_i in units, nil for none (empty = none).
    ///   - tieOrder: each county's position in byte-wise code order (contract §3.5).
    /// - Throws: `Infeasibility` naming the cause.
    /// - Complexity: O(n log n); fixed-width arithmetic whenever the widths allow.
    public init(total: BigInt, weights: [BigInt], lower: [BigInt] = [], upper: [BigInt?] = [],
                tieOrder: [Int]) throws(Infeasibility) {
        try self.init(total: total, weights: weights, lower: lower, upper: upper, tieOrder: tieOrder, kernel: nil)
    }

    /// `kernel` forces a width at least as wide as the narrowest that fits (nil: the narrowest),
    /// so tests can compare the paths.
    init(total: BigInt, weights: [BigInt], lower: [BigInt], upper: [BigInt?],
         tieOrder: [Int], kernel forced: Kernel?) throws(Infeasibility) {
        let n = weights.count
        let lower = lower.isEmpty ? Array(repeating: BigInt(0), count: n) : lower
        let upper = upper.isEmpty ? Array(repeating: nil, count: n) : upper
        precondition(lower.count == n && upper.count == n && tieOrder.count == n)

        try Infeasibility.check(total: total, weights: weights, lower: lower, upper: upper)

        // An upper bound above the total never binds (Σx = total and x ≥ 0), and capping it at
        // the total keeps every product below total·ΣN, which the width test relies on.
        let cappedUpper = upper.map { u in u.map { Swift.min($0, total) } }
        let weightSum = BigInt.sum(weights)
        let unbounded = lower.allSatisfy(\.isZero) && upper.allSatisfy { $0 == nil }
        let narrowest = Apportionment.narrowestKernel(total: total, weightSum: weightSum, count: n, unbounded: unbounded)
        let kernel = forced ?? narrowest
        precondition(kernel >= narrowest, "the kernel cannot hold every intermediate")
        let result: Run
        switch kernel {
        case .int128:
            let run = Apportionment.run(Int128.self, total, weights, lower, cappedUpper, tieOrder)
            (result, parts) = (run.common, .int128(whole: run.whole, remainders: run.remainders))
        case .int256:
            let run = Apportionment.run(Int256.self, total, weights, lower, cappedUpper, tieOrder)
            (result, parts) = (run.common, .int256(whole: run.whole, remainders: run.remainders))
        case .bigInt:
            let run = Apportionment.run(BigInt.self, total, weights, lower, cappedUpper, tieOrder)
            (result, parts) = (run.common, .bigInt(whole: run.whole, remainders: run.remainders))
        }

        self.total = total
        self.weights = weights
        self.weightSum = weightSum
        self.lower = lower
        self.upper = upper
        self.scale = result.scale
        self.bound = result.bound
        self.remainderDenominator = result.denominator
        self.remainderRank = result.outcome.rank
        self.receivedExtra = result.outcome.receivesExtra
        self.units = result.units
        self.kernel = kernel
    }

    /// The units of several splits over the same counties added up (a county's amount is the
    /// sum of its component amounts, contract §10.3). The sum is no split of its own: it has no
    /// weights, bounds, scale or remainders (every county's bound is `.none`, its ideal 0);
    /// each part keeps its derivation.
    ///
    /// - Precondition: the parts cover the same number of counties.
    init(summing parts: [Apportionment]) {
        let n = parts.first?.units.count ?? 0
        var units = Array(repeating: BigInt(0), count: n)
        for part in parts {
            precondition(part.units.count == n)
            for i in 0..<n { units[i] += part.units[i] }
        }
        self.init(assembling: units, bound: Array(repeating: .none, count: n),
                  total: parts.reduce(BigInt(0)) { $0 + $1.total })
    }

    /// Units and bound kinds assembled from other splits (two levels: each county's from its
    /// stage, contract §10.5). Like `init(summing:)` it is no split of its own: each stage keeps
    /// its derivation.
    init(assembling units: [BigInt], bound: [BoundKind], total: BigInt) {
        let n = units.count
        self.total = total
        weights = Array(repeating: 0, count: n)
        weightSum = 0
        lower = Array(repeating: 0, count: n)
        upper = Array(repeating: nil, count: n)
        scale = .zero
        self.bound = bound
        parts = .bigInt(whole: units, remainders: Array(repeating: 0, count: n))
        remainderDenominator = 1
        remainderRank = Array(repeating: nil, count: n)
        receivedExtra = Array(repeating: false, count: n)
        self.units = units
        kernel = .int128
    }

    /// Every product the kernel forms is a bound or the total (each ≤ total, once capped)
    /// times a weight or a sum of weights (≤ ΣN), or the scale's numerator (in (0, total], see
    /// `ClampedScaling`) times a weight: below total·ΣN. Sums of bounds stay below n·total.
    /// Without bounds there is no clamping and the largest intermediate is total·N_i. So for a
    /// signed type of w bits, total·ΣN < 2^(w−3) and n·total < 2^(w−3) are enough for the
    /// bounded case (one bit kept for comparing and adding two such values), and
    /// total·ΣN < 2^(w−2) for the unbounded one.
    static func fits(bitWidth: Int, total: BigInt, weightSum: BigInt, count: Int, unbounded: Bool = false) -> Bool {
        if unbounded { return total.magnitudeBitWidth + weightSum.magnitudeBitWidth <= bitWidth - 2 }
        let countBits = Int.bitWidth - count.leadingZeroBitCount
        return total.magnitudeBitWidth + weightSum.magnitudeBitWidth <= bitWidth - 3
            && total.magnitudeBitWidth + countBits <= bitWidth - 3
    }

    /// The narrowest kernel integer that `fits` every intermediate of this split.
    static func narrowestKernel(total: BigInt, weightSum: BigInt, count: Int, unbounded: Bool = false) -> Kernel {
        if fits(bitWidth: 128, total: total, weightSum: weightSum, count: count, unbounded: unbounded) { return .int128 }
        if fits(bitWidth: 256, total: total, weightSum: weightSum, count: count, unbounded: unbounded) { return .int256 }
        return .bigInt
    }

    /// What a run gives whatever its integer type.
    private struct Run {
        var scale: Rational
        var bound: [BoundKind]
        /// ⌊x_i⌋ + 1 for the counties that received an extra unit.
        var units: [BigInt]
        var denominator: BigInt
        var outcome: LargestRemainder.Outcome
    }

    private static func run<I: KernelInteger>(
        _: I.Type, _ totalBig: BigInt, _ weightsBig: [BigInt], _ lowerBig: [BigInt],
        _ upperBig: [BigInt?], _ tieOrder: [Int]
    ) -> (common: Run, whole: [I], remainders: [I]) {
        let total = I(totalBig)
        let weights = weightsBig.map { I($0) }
        let lower = lowerBig.map { I($0) }
        let upper = upperBig.map { $0.map { I($0) } }
        let unbounded = lowerBig.allSatisfy(\.isZero) && upperBig.allSatisfy { $0 == nil }
        let scale: ClampedScaling<I>
        if unbounded {
            var sum: I = 0
            for w in weights { sum += w }
            scale = ClampedScaling(numerator: total, denominator: sum == 0 ? 1 : sum)
        } else {
            // Feasibility was checked, so a scale exists.
            scale = ClampedScaling.solve(total: total, weights: weights, lower: lower, upper: upper)!
        }
        let (numerators, bound) = scale.clamp(weights: weights, lower: lower, upper: upper)
        let split = LargestRemainder.split(numerators: numerators, denominator: scale.denominator,
                                           total: total, tieOrder: tieOrder)
        // One conversion per county, of the final units (the whole parts and the remainders
        // stay in the kernel's type until read).
        let one: I = 1
        let units = zip(split.whole, split.outcome.receivesExtra).map { ($1 ? $0 + one : $0).bigInt }
        return (Run(scale: Rational(scale.numerator.bigInt, scale.denominator.bigInt), bound: bound, units: units,
                    denominator: scale.denominator.bigInt, outcome: split.outcome),
                split.whole, split.remainders)
    }
}
