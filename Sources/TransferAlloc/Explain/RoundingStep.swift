import BigInt

/// How the largest-remainder rule (contract §3.5) treated one county, read from the
/// `Apportionment` that made the split: its exact units, whole part, fractional part, rank, and
/// whether it received one of the units left over.
///
///     // total 10 over weights 1, 1, 1, codes "b", "c", "a": ideals 3⅓ each, 1 unit left
///     RoundingStep(split, county: 2, codes: ["b", "c", "a"])
///     // whole 3, fraction 1/3, rank 1 of 3, leftover 1, tiedWith ["b", "c"], receivedExtra true, units 4
public struct RoundingStep: Sendable, Equatable {
    /// x_i in units, exact, before rounding.
    public let exactUnits: Rational
    /// ⌊x_i⌋.
    public let wholeUnits: BigInt
    /// x_i − ⌊x_i⌋.
    public let fraction: Rational
    /// 1-based rank of the fractional part among all non-zero ones (nil when it is zero).
    public let rank: Int?
    /// How many counties have a non-zero fractional part.
    public let ranked: Int
    /// Units left after every county took its whole part; ranks 1…leftover receive one each.
    public let leftover: Int
    /// Codes of the other counties whose fractional part is exactly the same (the tie is
    /// broken by byte-wise code order).
    public let tiedWith: [String]
    public let receivedExtra: Bool
    /// Final units: wholeUnits + (1 if receivedExtra).
    public let units: BigInt

    /// - Parameters:
    ///   - split: the apportionment that computed the county's units.
    ///   - county: the county's index.
    ///   - codes: every county's code, in the split's order (for naming ties).
    /// - Complexity: O(n) to find ties.
    public init(_ split: Apportionment, county: Int, codes: [String]) {
        // Read once: the split converts its remainders from the kernel's integers when asked.
        let remainders = split.remainders
        exactUnits = split.exactUnits(county)
        wholeUnits = split.wholeUnits[county]
        fraction = Rational(remainders[county], split.remainderDenominator)
        rank = split.remainderRank[county]
        ranked = split.remainderRank.lazy.filter { $0 != nil }.count
        leftover = split.extraUnits
        let remainder = remainders[county]
        tiedWith = remainder.isZero ? [] : remainders.indices.filter {
            $0 != county && remainders[$0] == remainder
        }.map { codes[$0] }
        receivedExtra = split.receivedExtra[county]
        units = split.units[county]
    }

    /// Why the county did or did not receive an extra unit, in plain words.
    public var reason: Localized {
        guard let rank else {
            return Localized("no fractional part, so no extra unit: it keeps its whole units",
                             "没有小数部分，不参与尾差分配，取整数部分")
        }
        let pool = leftover == 0
            ? Localized("no unit was left after the whole parts", "取整数部分后没有剩余单位")
            : Localized("\(leftover) unit(s) were left after the whole parts and go one each to ranks 1–\(leftover)",
                        "取整数部分后剩余 \(leftover) 个单位，按小数部分从大到小分给第 1–\(leftover) 名各一个")
        var text = receivedExtra
            ? Localized("its fractional part ranks \(rank) of \(ranked); ", "小数部分在 \(ranked) 个中排第 \(rank) 名；") + pool
                + Localized(", so it receives one", "，因此多得一个单位")
            : Localized("its fractional part ranks \(rank) of \(ranked); ", "小数部分在 \(ranked) 个中排第 \(rank) 名；") + pool
                + Localized(", so it receives none", "，因此不多得")
        if !tiedWith.isEmpty {
            let codes = tiedWith.joined(separator: ", ")
            text = text + Localized("; its fractional part equals that of \(codes): equal parts go to the smaller code first (byte order)",
                                    "；其小数部分与 \(codes) 相同：相同时代码较小者优先（按字节序）")
        }
        return text
    }
}
