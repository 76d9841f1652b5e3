import BigInt

/// Land demand for a sweep of `land.tiers[k].up_to`: each county's D_i takes one of two values,
/// so the demand is computed twice and each value only picks one per county.
///
///     // tiers ≤100 → 100 m², ≤150 → 80 m², else 50 m²; --vary land.tiers[1].up_to:
///     // a county at 120 m² gets 100 m²/person when up_to ≥ 120, else 80 m²/person.
///
/// Tiers are tried in order, so a county whose land_per_capita an earlier tier already takes
/// never reaches tier k; any other county takes tier k exactly when land_per_capita ≤ x, and
/// otherwise the first later tier that takes it. `LandDemand` computes both cases (tier k's
/// up_to open, and below every county); nil when either fails (e.g. a county above the last
/// tier once k is skipped), and then every value goes through `LandDemand` as before.
struct SweepTierLimit: Sendable {
    /// D_i = weights / denominator when tier k applies, and when it does not.
    let withTier: [BigInt]
    let withoutTier: [BigInt]
    let denominator: BigInt
    let precisionM2: Rational
    /// land_per_capita as Int128 numerator/denominator for counties that reach tier k (nil for
    /// the others, whose demand is the same either way).
    private let limitNumerators: [Int128?]
    private let limitDenominators: [Int128?]
    private let reachesTier: [Bool]
    private let perCapita: [Rational?]

    init?(table: SettlementTable, policy: LandPolicy, tier k: Int) {
        guard k >= 1, k <= policy.tiers.count else { return nil }
        var open = policy, closed = policy
        open.tiers[k - 1].upTo = nil
        closed.tiers[k - 1].upTo = Rational(-1)   // below every land_per_capita (≥ 0)
        guard let with = try? LandDemand(table: table, policy: open),
              let without = try? LandDemand(table: table, policy: closed) else { return nil }
        let common = (with.demandUnits + without.demandUnits).reduce(BigInt(1)) { lcm($0, $1.denominator) }
        withTier = with.demandUnits.map { $0.numerator * (common / $0.denominator) }
        withoutTier = without.demandUnits.map { $0.numerator * (common / $0.denominator) }
        denominator = common
        precisionM2 = with.precisionM2
        reachesTier = with.tierIndex.map { $0 == k - 1 }
        perCapita = table.rows.map(\.landPerCapita)
        var numerators: [Int128?] = [], denominators: [Int128?] = []
        for (row, reaches) in zip(table.rows, reachesTier) {
            if reaches, let value = row.landPerCapita, value.numerator.magnitudeBitWidth <= 62,
               value.denominator.magnitudeBitWidth <= 62 {
                numerators.append(Int128(value.numerator))
                denominators.append(Int128(value.denominator))
            } else {
                numerators.append(nil)
                denominators.append(nil)
            }
        }
        limitNumerators = numerators
        limitDenominators = denominators
    }

    /// The demand weights at up_to = `value` (over `denominator`).
    func weights(at value: Rational) -> [BigInt] {
        let narrow = value.numerator.magnitudeBitWidth <= 62 && value.denominator.magnitudeBitWidth <= 62
        let p = narrow ? Int128(value.numerator) : 0, q = narrow ? Int128(value.denominator) : 1
        var weights: [BigInt] = []
        weights.reserveCapacity(withTier.count)
        for i in withTier.indices {
            guard reachesTier[i] else { weights.append(withoutTier[i]); continue }
            // land_per_capita ≤ x ⇔ a·q ≤ p·b (both products below 2^124).
            let takes: Bool
            if narrow, let a = limitNumerators[i], let b = limitDenominators[i] {
                takes = a * q <= p * b
            } else {
                takes = !(value < perCapita[i]!)
            }
            weights.append(takes ? withTier[i] : withoutTier[i])
        }
        return weights
    }
}
