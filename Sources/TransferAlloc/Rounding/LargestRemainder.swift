/// The largest-remainder rule (contract §3.5): after every county has its whole units, the
/// units left go one each to the largest fractional parts, equal parts to the smaller code.
///
///     // fractions 3/10, 7/10, 7/10 of codes "b", "a", "c"; 1 unit left:
///     LargestRemainder.rank(remainders: [3, 7, 7], tieOrder: [1, 0, 2], extras: 1)
///     // ranks [3, 1, 2], receives [false, true, false]
enum LargestRemainder {
    struct Outcome {
        /// 1-based rank of each county's fractional part (nil when it is zero).
        var rank: [Int?]
        /// Whether the county received one of the remaining units.
        var receivesExtra: [Bool]
    }

    /// Whole units and fractional parts of the exact amounts x_i = numerators[i] / denominator
    /// (units of g), and the units left handed out by `rank`: Σ(whole + extra) = total.
    ///
    ///     // x = 10/3, 10/3, 10/3 (numerators 10, 10, 10 over 3), total 10, codes in order:
    ///     LargestRemainder.split(numerators: [10, 10, 10], denominator: 3, total: 10, tieOrder: [0, 1, 2])
    ///     // whole [3, 3, 3], remainders [1, 1, 1]; the one unit left goes to the first code
    ///
    /// - Precondition: Σ x_i = total (so fewer units are left than fractional parts).
    /// - Complexity: O(n log n).
    static func split<I: KernelInteger>(numerators: [I], denominator: I, total: I,
                                        tieOrder: [Int]) -> (whole: [I], remainders: [I], outcome: Outcome) {
        var whole: [I] = [], remainders: [I] = []
        whole.reserveCapacity(numerators.count)
        remainders.reserveCapacity(numerators.count)
        var wholeSum: I = 0
        for x in numerators {
            let (q, r) = x.quotientAndRemainder(dividingBy: denominator)
            whole.append(q)
            remainders.append(r)
            wholeSum += q
        }
        let outcome = rank(remainders: remainders, tieOrder: tieOrder, extras: (total - wholeSum).intValue)
        return (whole, remainders, outcome)
    }

    /// - Parameters:
    ///   - remainders: each county's fractional part as a numerator over a denominator common to
    ///     all counties (zero for a county with no fractional part).
    ///   - tieOrder: each county's position in byte-wise code order.
    ///   - extras: how many units are left; fewer than the number of non-zero remainders.
    /// - Complexity: O(n log n).
    static func rank<I: KernelInteger>(remainders: [I], tieOrder: [Int], extras: Int) -> Outcome {
        // Sorting the entries themselves, not county indices, keeps each comparison on adjacent
        // values instead of two lookups per side (a sweep sorts thousands of counties per value).
        var candidates: [(remainder: I, tie: Int, county: Int)] = []
        candidates.reserveCapacity(remainders.count)
        for county in remainders.indices where remainders[county] > 0 {
            candidates.append((remainders[county], tieOrder[county], county))
        }
        let precedes = { (a: (remainder: I, tie: Int, county: Int), b: (remainder: I, tie: Int, county: Int)) -> Bool in
            a.remainder > b.remainder || (a.remainder == b.remainder && a.tie < b.tie)
        }
        // Ordered by tie position, then (stably) by a Double approximation of the remainder,
        // largest first (the complement of a non-negative Double's bit pattern sorts that way;
        // its last 16 bits are dropped, two radix passes fewer);
        // one exact pass confirms the order, and only one the Doubles got wrong (two remainders
        // closer than a Double tells apart) is sorted exactly.
        let byTie = StableOrder.ascending(candidates.map { UInt64(truncatingIfNeeded: $0.tie) })
        candidates = byTie.map { candidates[$0] }
        let approximations = candidates.map(\.remainder.approximateDouble)
        if approximations.allSatisfy({ $0.isFinite && $0.sign == .plus }) {
            candidates = StableOrder.ascending(approximations.map { ~$0.bitPattern >> 16 }).map { candidates[$0] }
        }
        if !zip(candidates, candidates.dropFirst()).allSatisfy({ precedes($0, $1) }) { candidates.sort(by: precedes) }
        var outcome = Outcome(rank: Array(repeating: nil, count: remainders.count),
                              receivesExtra: Array(repeating: false, count: remainders.count))
        precondition(extras >= 0 && extras <= candidates.count, "the whole parts exceed the total, or more units are left than fractional parts")
        for (position, county) in candidates.lazy.map(\.county).enumerated() {
            outcome.rank[county] = position + 1
            outcome.receivesExtra[county] = position < extras
        }
        return outcome
    }

    /// Positions of the codes in byte-wise order of their UTF-8 bytes: the tie-break.
    static func tieOrder(codes: [String]) -> [Int] {
        let sorted = codes.indices.sorted { codes[$0].utf8.lexicographicallyPrecedes(codes[$1].utf8) }
        var order = Array(repeating: 0, count: codes.count)
        for (position, county) in sorted.enumerated() { order[county] = position }
        return order
    }
}
