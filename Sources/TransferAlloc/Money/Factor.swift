/// A factor of the money split (contract §3.2, §10.1): the built-in `settled` and `permits`,
/// or any other column of the settlement table that the policy weighs (`migrant_pupils`).
///
///     Factor.settled.key                                     // "settled"
///     try Factor.named("随迁子女人数", coefficientColumns: []).key   // "migrant_pupils"
///     try Factor.named("居住证持有人数", coefficientColumns: [])      // .permits
///     [Factor(key: "x"), .permits, .settled].sorted()        // [.settled, .permits, x]
///
/// Factors are ordered settled, permits, then every other factor in byte-wise order of its key
/// (UTF-8 bytes): the order of the `<factor>_factor` output columns and of every list of factors.
public struct Factor: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The canonical key: what outputs, policy paths (`money.weights.<key>`) and errors use.
    public let key: String

    /// A factor by its canonical key (`Factor.named` resolves a key as written).
    public init(key: String) {
        self.key = key
    }

    /// Current-year settlers weighted by origin, plus decayed prior years.
    public static let settled = Factor(key: "settled")
    /// Residence-permit holders served.
    public static let permits = Factor(key: "permits")

    /// True for `settled` and `permits`, whose values follow §3.2; any other factor's value is
    /// its column's cell.
    public var isBuiltIn: Bool { self == .settled || self == .permits }

    public var description: String { key }

    public static func < (a: Factor, b: Factor) -> Bool {
        let (ra, rb) = (a.rank, b.rank)
        if ra != rb { return ra < rb }
        return a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
    }

    private var rank: Int { self == .settled ? 0 : self == .permits ? 1 : 2 }

    /// The factors of `keys` in factor order.
    public static func ordered<S: Sequence>(_ keys: S) -> [Factor] where S.Element == Factor { keys.sorted() }

    /// Known keys of factors other than the built-in ones, with the headers that name them
    /// (matched like every header: trimmed, case-insensitive).
    static let knownAliases: [(key: String, aliases: [String])] = [
        ("migrant_pupils", ["migrant_pupils", "随迁子女人数", "随迁子女在校生数"]),
    ]

    /// Weight keys that name the built-in factors (besides every header of their columns).
    static let builtInKeys: [String: Factor] = ["settled": .settled, "permits": .permits]



    /// Why a key cannot name a factor.
    public enum KeyProblem: Error, Sendable, Equatable {
        case empty
        /// It names a column of the settlement table that is not a factor (its key).
        case notAFactor(column: String)
        /// It names a coefficient column the policy lists.
        case coefficientColumn(String)
    }

    /// The factor a weight key (or a header) names, matched like headers (§2.1: trimmed,
    /// case-insensitive, full-width parentheses as ASCII): `settled` and the headers of the
    /// settled column name `settled`; `permits` and the headers of `permit_holders` name
    /// `permits`; a known alias names its key; any other text is a factor of its own, keyed by
    /// its normalized text.
    ///
    /// - Parameter coefficientColumns: the coefficient columns the policy lists (canonical),
    ///   which are not factors.
    /// - Throws: `KeyProblem` for an empty key or one naming a column that is not a factor.
    public static func named(_ written: String, coefficientColumns: [String]) throws(KeyProblem) -> Factor {
        let text = SettlementColumn.normalizedHeader(written)
        guard !text.isEmpty else { throw .empty }
        if let factor = builtInKeys[text] { return factor }
        if let column = SettlementColumn(header: text) {
            switch column {
            case .settled: return .settled
            case .permitHolders: return .permits
            case .coefficient(let name): throw .coefficientColumn(name)
            default: throw .notAFactor(column: column.key)
            }
        }
        for name in coefficientColumns where SettlementColumn.normalizedHeader(name) == text {
            throw .coefficientColumn(name)
        }
        // The per-component bound columns (`prev_amount_<name>` …) are never factors.
        if let prefix = SettlementColumn.componentAmountPrefixes.map(\.prefix).first(where: { text.hasPrefix($0) }) {
            throw .notAFactor(column: prefix + "…")
        }
        for (key, aliases) in knownAliases where aliases.contains(where: { SettlementColumn.normalizedHeader($0) == text }) {
            return Factor(key: key)
        }
        return Factor(key: text)
    }

    /// True when `header` names this factor (a factor other than the built-in ones).
    func isNamed(byHeader header: String) -> Bool {
        guard !isBuiltIn else { return false }
        let text = SettlementColumn.normalizedHeader(header)
        if text == key { return true }
        return Factor.knownAliases.contains { $0.key == key && $0.aliases.contains { SettlementColumn.normalizedHeader($0) == text } }
    }
}
