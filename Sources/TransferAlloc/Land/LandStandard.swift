/// The per-capita land standard of a county (contract §4.1), m² per settled person.
///
///     // default tiers ≤100 → 100, ≤150 → 80, else 50; adjustment +5%:
///     // land_per_capita 96 m² → tier 1 → 100 × 1.05 = 105 m²/person
///     // land_per_capita 120 m² → tier 2 → 80 × 1.05 = 84 m²/person; exempt → 0
///
/// The tiers are tried in the order given: the first whose `up_to` is at least the county's
/// current per-capita urban construction land applies (a last tier without `up_to` takes every
/// value). A megacity central district (land_exempt) has standard 0 whatever its tier.
public enum LandStandard {
    /// The standard of an exempt county.
    public static let exempt = Rational.zero

    /// Index of the tier that applies to `perCapita` m², or nil when it is above the last
    /// tier's `up_to`.
    ///
    /// - Complexity: O(tiers).
    public static func tier(perCapita: Rational, policy: LandPolicy) -> Int? {
        policy.tiers.firstIndex { $0.upTo.map { perCapita <= $0 } ?? true }
    }

    /// Tier `tier`'s standard after the provincial adjustment: standard × (1 + adjustment).
    public static func standard(tier: Int, policy: LandPolicy) -> Rational {
        policy.tiers[tier].standard * (Rational.one + policy.adjustment)
    }

    /// Every tier's standard after the adjustment, in tier order.
    public static func standards(policy: LandPolicy) -> [Rational] {
        policy.tiers.indices.map { standard(tier: $0, policy: policy) }
    }
}
