/// The money policy at one value of a swept money path, without running the policy loader for
/// every value (loading and validating the whole document costs about as much as the split).
///
///     // --vary money.bounds.floor_amount=0:999000:1000: the loader runs at 0 and at 999000;
///     // for 1000 … 998000 the policy is the run's policy with floorAmount = value.
///
/// It is exact by construction, never by assumption:
/// - the loader still runs at the first and the last value (the first value's error, e.g. a
///   list index beyond the list, is the one the per-value loop gives), and the model must equal
///   what it returned there, else `SweepPolicyModel` is not used at all;
/// - `accepts(_:)` is the loader's own rule for the path (`PolicyParameters.check`): a value it
///   does not accept goes through the loader, which gives the same error `--set PATH=V` gives.
///   It is evaluated at every value, whichever way the range runs.
struct SweepPolicyModel {
    /// Which leaf of `MoneyPolicy` the path sets.
    enum Leaf: Equatable {
        case granularity
        case floorAmount, maxGrowth, minRetention, capPerSettler
        case originCoefficient(OriginKind)
        /// 0-based index into `priorDecay`.
        case priorDecay(Int)
    }

    let leaf: Leaf
    let base: MoneyPolicy
    /// The varied path, whose declared range `accepts` applies.
    let path: String

    /// Nil for a path that is not one of the money leaves above, or a list index beyond the list.
    init?(path: String, base: MoneyPolicy) {
        guard let components = PolicySchema.components(of: path), components.count == 3 else { return nil }
        switch (PolicySchema.pattern(components), components[2]) {
        case ("money.bounds.floor_amount", _): leaf = .floorAmount
        case ("money.bounds.max_growth", _): leaf = .maxGrowth
        case ("money.bounds.min_retention", _): leaf = .minRetention
        case ("money.bounds.cap_per_settler", _): leaf = .capPerSettler
        case ("money.prior_decay[]", .index(let k)):
            guard k >= 1, k <= base.priorDecay.count else { return nil }
            leaf = .priorDecay(k - 1)
        case (let pattern, .key(let name)) where pattern.hasPrefix("money.origin_coefficients."):
            guard let kind = OriginKind(rawValue: name), base.originCoefficients[kind] != nil else { return nil }
            leaf = .originCoefficient(kind)
        default: return nil
        }
        self.base = base
        self.path = path
    }

    init?(granularityPath path: String, base: MoneyPolicy) {
        guard let components = PolicySchema.components(of: path),
              PolicySchema.pattern(components) == "money.granularity" else { return nil }
        leaf = .granularity
        self.base = base
        self.path = path
    }

    /// The model for `path`, or nil when the path is not a modelled money leaf.
    static func make(path: String, base: MoneyPolicy) -> SweepPolicyModel? {
        SweepPolicyModel(path: path, base: base) ?? SweepPolicyModel(granularityPath: path, base: base)
    }

    /// The run's money policy with the leaf set to `value` (as `--set PATH=value` sets it).
    func money(at value: Rational) -> MoneyPolicy {
        var money = base
        switch leaf {
        case .granularity: money.granularity = value
        case .floorAmount: money.bounds.floorAmount = value
        case .maxGrowth: money.bounds.maxGrowth = value
        case .minRetention: money.bounds.minRetention = value
        case .capPerSettler: money.bounds.capPerSettler = value
        case .originCoefficient(let kind): money.originCoefficients[kind] = value
        case .priorDecay(let k): money.priorDecay[k] = value
        }
        return money
    }

    /// True when the loader accepts `value` at this leaf: its declared range and its limit on
    /// the length of a number's text.
    func accepts(_ value: Rational) -> Bool {
        PolicyParameters.check(value, at: path) == nil
    }
}
