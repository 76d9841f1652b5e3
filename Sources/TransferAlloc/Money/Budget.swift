import BigInt

/// The budget of one scenario (contract §3.1): B, the fund in fen; R, what is withheld; A, what
/// is allocated, a whole multiple of the granularity g.
///
/// R is the scenario's reserve_amount, or ⌊B·r / g⌋·g for a reserve ratio r. A = B − R is then
/// cut down to a multiple of g and the cut added to R, so A + R = B exactly.
public enum Budget {
    /// B, R and A of §3.1.
    ///
    ///     Budget.split(fundFen: 100_000, reserve: .ratio(Rational(1, 3)), granularityFen: 100)
    ///     // (reserve: 33_300, allocated: 66_700): ⌊100000/3/100⌋·100 = 33300
    public static func split(fundFen: BigInt, reserve: Reserve, granularityFen g: BigInt) -> (reserve: BigInt, allocated: BigInt) {
        var withheld: BigInt = switch reserve {
        case .none: 0
        case .ratio(let r): (Rational(fundFen) * r / Rational(g)).floor * g
        case .amountFen(let amount): amount
        }
        let available = fundFen - withheld
        let allocated = available / g * g
        withheld += available - allocated
        return (withheld, allocated)
    }
}
