import BigInt

/// Where current-year settlers came from; `settled` stands for a table that does not split
/// them (contract §2.1).
public enum OriginKind: String, CaseIterable, Sendable {
    case crossProvince = "cross_province"
    case withinProvince = "within_province"
    case withinCity = "within_city"
    case settled
}

/// One per-capita land standard: applies when the county's current per-capita urban
/// construction land is at most `upTo` m² (the last tier may have no `upTo`).
public struct LandTier: Sendable, Equatable {
    /// Upper limit of current per-capita land, m²; nil on a last, open-ended tier.
    public var upTo: Rational?
    /// New construction land arranged per settled person, m²/person.
    public var standard: Rational

    public init(upTo: Rational?, standard: Rational) {
        self.upTo = upTo
        self.standard = standard
    }
}

/// Floors and caps on each county's amount (contract §3.4). Nil means the bound is not set.
public struct MoneyBounds: Sendable, Equatable {
    /// Lowest amount for every county, 元 (0 = no floor).
    public var floorAmount: Rational
    /// Largest growth over `prev_amount` as a fraction (0.1 = +10%), ≥ −1.
    public var maxGrowth: Rational?
    /// Smallest share of `prev_amount` kept, as a fraction (0.9 = 90%).
    public var minRetention: Rational?
    /// Most 元 per current-year settler.
    public var capPerSettler: Rational?

    public init(floorAmount: Rational = .zero, maxGrowth: Rational? = nil, minRetention: Rational? = nil,
                capPerSettler: Rational? = nil) {
        self.floorAmount = floorAmount
        self.maxGrowth = maxGrowth
        self.minRetention = minRetention
        self.capPerSettler = capPerSettler
    }
}

/// The money (人钱挂钩) part of a policy.
public struct MoneyPolicy: Sendable, Equatable {
    /// The step amounts are allocated in, 元 (0.01 = one fen).
    public var granularity: Rational
    /// Weight of each factor the policy lists; they sum to exactly 1. A listed factor may have
    /// weight 0 (it is then skipped entirely).
    public var weights: [Factor: Rational]
    /// Coefficient per origin of current-year settlers.
    public var originCoefficients: [OriginKind: Rational]
    /// `priorDecay[k-1]` weighs the settlers of year Y−k; prior years beyond the list weigh 0.
    public var priorDecay: [Rational]
    /// Coefficient columns multiplied into every factor, as canonical keys (`财力系数` is
    /// `fiscal_coef`); with `factorCoefficientColumns`, every column some factor lists, in order
    /// of first mention (what the settlement table reads).
    public var coefficientColumns: [String]
    /// The object form of `coefficient_columns` (contract §10.1): each factor's own columns; a
    /// factor it does not name has none. Nil for the list form.
    public var factorCoefficientColumns: [Factor: [String]]?
    public var bounds: MoneyBounds
    /// The components (资金分项, contract §10.3), in list order; empty when the policy has none.
    /// Each component's money holds the money level's values with the component's own laid over
    /// them, and no components of its own.
    public var components: [MoneyComponent] = []
    /// Two levels (contract §10.5): the retention and the upper stage's money; nil without
    /// `levels`. Held here so every command that computes money goes through them.
    public var levels: MoneyLevels?

    /// The coefficient columns multiplied into `factor`'s values.
    public func coefficientColumns(for factor: Factor) -> [String] {
        guard let factorCoefficientColumns else { return coefficientColumns }
        return factorCoefficientColumns[factor] ?? []
    }

    /// The factors weighed > 0, in factor order (settled, permits, then by key).
    public var weightedFactors: [Factor] { Factor.ordered(weights.keys.filter { weights[$0]! > .zero }) }

    /// The factors other than settled and permits weighed > 0: the columns the settlement table
    /// reads for them (a weight-0 factor's column is not read).
    public var columnFactors: [Factor] { weightedFactors.filter { !$0.isBuiltIn } }

    public init(granularity: Rational, weights: [Factor: Rational], originCoefficients: [OriginKind: Rational],
                priorDecay: [Rational], coefficientColumns: [String], bounds: MoneyBounds,
                components: [MoneyComponent] = []) {
        self.granularity = granularity
        self.weights = weights
        self.originCoefficients = originCoefficients
        self.priorDecay = priorDecay
        self.coefficientColumns = coefficientColumns
        self.factorCoefficientColumns = nil
        self.bounds = bounds
        self.components = components
    }

    /// Every coefficient column the settlement table must read: the money level's, then each
    /// component's and the upper stage's that the money level does not list, in order.
    public var tableCoefficientColumns: [String] {
        var columns = coefficientColumns
        for component in components {
            for column in component.money.coefficientColumns where !columns.contains(column) { columns.append(column) }
        }
        // The upper stage of two levels may list its own (contract §10.5).
        for column in levels?.upper.coefficientColumns ?? [] where !columns.contains(column) { columns.append(column) }
        return columns
    }

    /// Every factor column the settlement table must read: the money level's, each component's
    /// and the upper stage's factors weighed > 0 other than settled and permits, in factor order.
    public var tableFactors: [Factor] {
        Factor.ordered(Set(columnFactors + components.flatMap(\.money.columnFactors) + (levels?.upper.columnFactors ?? [])))
    }

    /// The granularity in fen (0.01 元 → 1, 1 元 → 100, 1 万元 → 1 000 000); a whole number
    /// > 0 for every loaded policy.
    public var granularityFen: BigInt { (granularity * Rational(100)).floor }
}

/// One component (资金分项) of the money (contract §10.3): a share of the allocated amount split
/// among the counties by its own factor weights, coefficients and bounds.
public struct MoneyComponent: Sendable, Equatable {
    /// The name, as written (letters, digits, `_` or CJK ideographs); outputs append it to
    /// column keys (`amount_<name>`).
    public var name: String
    /// The component's share of the allocated amount; the shares of a policy sum to exactly 1.
    public var share: Rational
    /// The money policy the component is allocated under: the money level's values with the
    /// component's own laid over them (§2.3 merge rules), without components.
    public var money: MoneyPolicy

    public init(name: String, share: Rational, money: MoneyPolicy) {
        self.name = name
        self.share = share
        self.money = money
    }
}

/// The policy's `levels` (contract §10.5): the province allocates to groups (prefectures and
/// the counties it administers directly), each prefecture keeps `retention` of its amount
/// (市本级) and passes the rest to its counties.
public struct MoneyLevels: Sendable, Equatable {
    /// r, 0 ≤ r < 1: the share each prefecture keeps.
    public var retention: Rational
    /// `levels.upper.name`, when given.
    public var upperName: String?
    /// Held in a list so that `MoneyPolicy` can hold a `MoneyLevels` (a struct cannot hold itself).
    private var upperStorage: [MoneyPolicy]

    /// The money policy of the upper stage: the policy's money with `levels.upper.money` laid
    /// over it (§2.3 merge rules), without levels or components.
    public var upper: MoneyPolicy {
        get { upperStorage[0] }
        set { upperStorage = [newValue] }
    }

    public init(retention: Rational, upper: MoneyPolicy, upperName: String? = nil) {
        self.retention = retention
        self.upperName = upperName
        upperStorage = [upper]
    }
}

/// The land (人地挂钩) part of a policy.
public struct LandPolicy: Sendable, Equatable {
    /// The unit quotas are counted in.
    public var unit: LandUnit
    /// Decimal places of the unit (0–6): the precision unit is 10^−decimals of `unit`.
    public var decimals: Int
    /// Per-capita standards, tried in order.
    public var tiers: [LandTier]
    /// Provincial adjustment of every standard, a fraction with |adjustment| ≤ 0.10.
    public var adjustment: Rational
    /// How much one residence-permit holder counts as a settled person for land.
    public var permitWeight: Rational

    public init(unit: LandUnit, decimals: Int, tiers: [LandTier], adjustment: Rational, permitWeight: Rational) {
        self.unit = unit
        self.decimals = decimals
        self.tiers = tiers
        self.adjustment = adjustment
        self.permitWeight = permitWeight
    }
}

/// One leaf of the policy document as written, with the source note that applies to it.
///
///     PolicyValue(path: "money.weights.settled", text: "0.8", source: "… illustrative …")
public struct PolicyValue: Sendable, Equatable {
    /// Dotted path; list items are numbered from 1: `land.tiers[2].standard`.
    public var path: String
    /// The value as written: a number's literal text, a string's text, `null`, or `[]` for an
    /// empty list.
    public var text: String
    /// The note from `sources` at this path, else at its nearest ancestor path.
    public var source: String?
    /// True when the value is the built-in default's, which is illustrative (contract §2.3:
    /// every output that shows such a value says so), including under a policy file that
    /// does not set it.
    public var isIllustrative: Bool
    /// The label of the dated version that set the value (nil: not set by a version).
    public var version: String?

    public init(path: String, text: String, source: String?, isIllustrative: Bool = false) {
        self.path = path
        self.text = text
        self.source = source
        self.isIllustrative = isIllustrative
    }
}

/// A complete, validated allocation policy: every number exact, every value with its source.
///
/// Made by `PolicyLoader.load(fileBytes:file:overrides:)`; `Policy.builtInDefault` is the
/// illustrative default of contract §2.3.
public struct Policy: Sendable, Equatable {
    /// The policy's `name` (for a file without one, `policy file <basename>`).
    public var name: String
    /// What outputs print: `illustrative default`, the file's name, or either followed by
    /// ` + NAME PATH=VALUE …` when overrides were applied (NAME: the overrides' name, `--set`).
    public var label: String
    /// True when no policy file was given (the built-in illustrative values are in use).
    public var isIllustrative: Bool
    public var money: MoneyPolicy
    public var land: LandPolicy
    /// Source notes keyed by dotted path (a key may be an ancestor path such as `money.weights`).
    public var sources: [String: String]
    /// Every leaf value in document order, with its source note.
    public var values: [PolicyValue]
    /// The labels (or `from` years) of the file's dated versions applied, in the order laid.
    public var versions: [String] = []
    /// The year the versions were picked for (`--year`), when given.
    public var year: Int?

    public init(name: String, label: String, isIllustrative: Bool, money: MoneyPolicy, land: LandPolicy,
                sources: [String: String], values: [PolicyValue]) {
        self.name = name
        self.label = label
        self.isIllustrative = isIllustrative
        self.money = money
        self.land = land
        self.sources = sources
        self.values = values
    }

    /// The source note for a dotted path: the note at exactly that path, else at the nearest
    /// ancestor path that has one.
    ///
    ///     policy.source(for: "land.tiers[2].standard")   // note at land.tiers[2], else land.tiers, else land
    public func source(for path: String) -> String? {
        var current = path
        while true {
            if let note = sources[current] { return note }
            guard let parent = Policy.parentPath(of: current) else { return nil }
            current = parent
        }
    }

    /// The path one step up: `money.weights.settled` → `money.weights`, `land.tiers[2]` →
    /// `land.tiers`, `money` → nil.
    static func parentPath(of path: String) -> String? {
        guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }), cut != path.startIndex else {
            return nil
        }
        return String(path[..<cut])
    }

    /// The built-in illustrative default (contract §2.3), with a source note for every value.
    public static let builtInDefault: Policy = DefaultPolicy.policy
}
