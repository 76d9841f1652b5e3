/// A column of the settlement table (contract §2.1), identified by its English key.
public enum SettlementColumn: Hashable, Sendable, CustomStringConvertible {
    case code, name, parent
    /// The group's name (contract §10.5): `parent_name`.
    case parentName
    /// Province-administered (省直管): the row is a group of its own (contract §10.5).
    case direct
    case crossProvince, withinProvince, withinCity, settled
    /// Settlers of year Y−k (k ≥ 1).
    case prior(Int)
    /// Settlers of year Y−k from one origin (contract §10.2): `prior_k_cross_province` ….
    case priorOrigin(Int, OriginKind)
    case permitHolders
    case prevAmount, minAmount, maxAmount
    case landPerCapita, landExempt
    /// A coefficient column: `fiscal_coef` or any other name the policy lists.
    case coefficient(String)
    /// What the county already received for the year, 元 (contract §10.4).
    case advance
    /// A bound column of one component (contract §10.3): `prev_amount_<name>`,
    /// `min_amount_<name>`, `max_amount_<name>`; the name as the policy writes it.
    case componentAmount(ComponentAmountKind, component: String)
    /// The column of a factor other than settled and permits (contract §10.1), by its key.
    case factor(String)

    /// The English key, as written in outputs and accepted in headers.
    public var key: String {
        switch self {
        case .code: "code"
        case .name: "name"
        case .parent: "parent"
        case .parentName: "parent_name"
        case .direct: "direct"
        case .crossProvince: "cross_province"
        case .withinProvince: "within_province"
        case .withinCity: "within_city"
        case .settled: "settled"
        case .prior(let k): "prior_\(k)"
        case .priorOrigin(let k, let origin): "prior_\(k)_\(origin.rawValue)"
        case .permitHolders: "permit_holders"
        case .prevAmount: "prev_amount"
        case .minAmount: "min_amount"
        case .maxAmount: "max_amount"
        case .landPerCapita: "land_per_capita"
        case .landExempt: "land_exempt"
        case .coefficient(let name): name
        case .advance: "advance"
        case .componentAmount(let kind, let component): kind.rawValue + "_" + component
        case .factor(let key): key
        }
    }

    public var description: String { key }

    /// True for the columns that hold whole counts of people.
    public var isCount: Bool {
        switch self {
        case .crossProvince, .withinProvince, .withinCity, .settled, .prior, .priorOrigin, .permitHolders: true
        default: false
        }
    }

    /// True for the columns that hold amounts in 元.
    public var isAmount: Bool {
        switch self {
        case .prevAmount, .minAmount, .maxAmount, .advance, .componentAmount: true
        default: false
        }
    }

    /// The origin columns, in the order the contract lists them.
    public static let origins: [SettlementColumn] = [.crossProvince, .withinProvince, .withinCity]

    static let fixedAliases: [(SettlementColumn, [String])] = [
        (.code, ["code", "区划代码", "行政区划代码", "代码"]),
        (.name, ["name", "名称", "地区", "县区", "县(市、区)"]),
        (.parent, ["parent", "上级代码", "所属市代码"]),
        (.parentName, ["parent_name", "上级名称", "所属市"]),
        (.direct, ["direct", "省直管", "省直管县"]),
        (.crossProvince, ["cross_province", "跨省落户人数", "跨省落户"]),
        (.withinProvince, ["within_province", "省内跨市落户人数", "省内落户"]),
        (.withinCity, ["within_city", "市内落户人数", "本市落户"]),
        (.settled, ["settled", "落户人数", "进城落户人数"]),
        (.permitHolders, ["permit_holders", "居住证持有人数", "持证人数"]),
        (.coefficient("fiscal_coef"), ["fiscal_coef", "财力系数"]),
        (.prevAmount, ["prev_amount", "上年分配金额", "上年金额"]),
        (.minAmount, ["min_amount", "最低金额"]),
        (.maxAmount, ["max_amount", "最高金额"]),
        (.landPerCapita, ["land_per_capita", "现状人均城镇建设用地"]),
        (.landExempt, ["land_exempt", "中心城区不安排用地"]),
        (.advance, ["advance", "已提前下达金额", "提前下达金额", "已下达金额"]),
    ]

    static let aliasTable: [String: SettlementColumn] = {
        var table: [String: SettlementColumn] = [:]
        for (column, aliases) in fixedAliases {
            for alias in aliases { table[normalizedHeader(alias)] = column }
        }
        return table
    }()

    /// Header text as compared: trimmed, lower-cased, full-width parentheses made ASCII.
    public static func normalizedHeader(_ header: String) -> String {
        var text = header.trimmedUnicode.lowercased()
        text = text.replacingOccurrences(of: "（", with: "(")
        text = text.replacingOccurrences(of: "）", with: ")")
        return text
    }

    /// The column a header names, or nil for an unknown column.
    ///
    ///     SettlementColumn(header: " 跨省落户人数 ")            // .crossProvince
    ///     SettlementColumn(header: "前3年落户人数")              // .prior(3)
    ///     SettlementColumn(header: "Stability_Coef", coefficientColumns: ["stability_coef"])
    ///                                                        // .coefficient("stability_coef")
    ///
    /// - Parameters:
    ///   - coefficientColumns: the policy's `coefficient_columns`, so that any name it lists is
    ///     recognised as a coefficient column.
    ///   - components: the policy's component names, so that `prev_amount_<name>` (or
    ///     `上年分配金额_<name>`), `min_amount_<name>` and `max_amount_<name>` are recognised for
    ///     them (for any other name they are unknown columns).
    ///   - factors: the factors the policy weighs > 0 whose values are their columns (contract
    ///     §10.1): a header naming one is that factor's column.
    public init?(header: String, coefficientColumns: [String] = [], components: [String] = [], factors: [Factor] = []) {
        let text = SettlementColumn.normalizedHeader(header)
        if let known = SettlementColumn.aliasTable[text] {
            self = known
            return
        }
        if !components.isEmpty, let column = SettlementColumn.componentAmountColumn(matching: text, components: components) {
            self = column
            return
        }
        if text == "上年落户人数" { self = .prior(1); return }
        if let k = SettlementColumn.priorIndex(text) { self = .prior(k); return }
        if let (k, origin) = SettlementColumn.priorOriginIndex(text) { self = .priorOrigin(k, origin); return }
        for name in coefficientColumns where SettlementColumn.normalizedHeader(name) == text {
            self = .coefficient(SettlementColumn.canonicalCoefficientName(name))
            return
        }
        for factor in factors where factor.isNamed(byHeader: text) {
            self = .factor(factor.key)
            return
        }
        return nil
    }

    /// The key a policy's coefficient column name stands for: `财力系数` is `fiscal_coef`.
    public static func canonicalCoefficientName(_ name: String) -> String {
        if let known = aliasTable[normalizedHeader(name)], case .coefficient(let key) = known { return key }
        return normalizedHeader(name)
    }

    /// `prev_amount_<name>`, `上年分配金额_<name>`, `min_amount_<name>` or `max_amount_<name>` for one of
    /// `components` (header text already normalized; names compared like headers).
    /// The header prefixes of the per-component bound columns (`prev_amount_<name>` …).
    static let componentAmountPrefixes: [(prefix: String, kind: ComponentAmountKind)] = [
        ("prev_amount_", .prevAmount), ("上年分配金额_", .prevAmount),
        ("min_amount_", .minAmount), ("max_amount_", .maxAmount),
    ]

    static func componentAmountColumn(matching text: String, components: [String]) -> SettlementColumn? {
        for (prefix, kind) in componentAmountPrefixes where text.hasPrefix(prefix) {
            let rest = String(text.dropFirst(prefix.count))
            if let name = components.first(where: { normalizedHeader($0) == rest }) {
                return .componentAmount(kind, component: name)
            }
        }
        return nil
    }

    /// Parses `prior_k` or `前k年落户人数` (k ≥ 1, ASCII digits, no leading zero).
    static func priorIndex(_ text: String) -> Int? {
        if text.hasPrefix("prior_") {
            return yearNumber(text.dropFirst("prior_".count))
        } else if text.hasPrefix("前") && text.hasSuffix("年落户人数") {
            return yearNumber(text.dropFirst().dropLast("年落户人数".count))
        }
        return nil
    }

    /// The Chinese words of each origin in a prior-year header: `前k年跨省落户人数` ….
    static let priorOriginWords: [(OriginKind, String)] = [
        (.crossProvince, "跨省落户人数"), (.withinProvince, "省内跨市落户人数"), (.withinCity, "市内落户人数"),
    ]

    /// Parses `prior_k_cross_province`, `前k年跨省落户人数`, `上年跨省落户人数` (k = 1) and the
    /// other two origins alike (contract §10.2).
    static func priorOriginIndex(_ text: String) -> (Int, OriginKind)? {
        if text.hasPrefix("prior_") {
            for origin in [OriginKind.crossProvince, .withinProvince, .withinCity] where text.hasSuffix("_" + origin.rawValue) {
                let digits = text.dropFirst("prior_".count).dropLast(origin.rawValue.count + 1)
                return yearNumber(digits).map { ($0, origin) }
            }
            return nil
        }
        for (origin, words) in priorOriginWords where text.hasSuffix(words) {
            let head = text.dropLast(words.count)
            if head == "上年" { return (1, origin) }
            guard head.hasPrefix("前"), head.hasSuffix("年") else { return nil }
            return yearNumber(head.dropFirst().dropLast()).map { ($0, origin) }
        }
        return nil
    }

    /// k from its digits (k ≥ 1, ASCII digits, no leading zero, at most 4 digits).
    private static func yearNumber(_ digits: Substring) -> Int? {
        guard !digits.isEmpty, digits.count <= 4, digits.first != "0",
              digits.allSatisfy({ $0.isASCII && $0.isNumber }), let k = Int(digits), k >= 1 else { return nil }
        return k
    }
}

/// Which bound column of a component (contract §10.3): the raw value is the key's prefix.
public enum ComponentAmountKind: String, Sendable, Hashable, CaseIterable {
    case prevAmount = "prev_amount"
    case minAmount = "min_amount"
    case maxAmount = "max_amount"
}
