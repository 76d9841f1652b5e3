import BigInt

/// Every parameter of a policy document, declared once: its dotted path, type, range, the
/// "accepted" text of its error messages, built-in default, unit and the default's source note.
///
///     let decay = PolicyParameters.parameter(at: "money.prior_decay[2]")!
///     decay.path                                        // "money.prior_decay[]"
///     decay.check(Rational(-1, 2))?.problem             // "is negative"
///     PolicyParameters.check(Rational(3, 2), at: "land.decimals")?.problem
///                                                       // "is not a whole number from 0 to 6"
///
/// Everything else reads this list: the policy loader (which keys exist where, each value's
/// range and message), the paths `--set` may name, the built-in default document
/// (`DefaultPolicy`), the numeric paths a sweep can vary, and the parameter table of
/// docs/inputs.md (`docsTable`, which a test holds equal to the page).
///
/// List items are declared with `[]` after the list's path (`land.tiers[].standard`); a concrete
/// path numbers them from 1 (`land.tiers[2].standard`).
public enum PolicyParameters {
    /// Every parameter in document order: containers before what they hold. The component keys
    /// (`money.components[]…`) follow the money level's and are derived from it.
    public static let all: [PolicyParameter] = {
        let landStart = documentParameters.firstIndex { $0.path == "land" }!
        let sourcesStart = documentParameters.firstIndex { $0.path == "sources" }!
        return Array(documentParameters[..<landStart]) + componentParameters(from: documentParameters)
            + Array(documentParameters[landStart..<sourcesStart]) + levelsParameters(from: documentParameters)
            + Array(documentParameters[sourcesStart...])
    }()

    /// `levels` (contract §10.5): the retention and the upper stage's layer, whose money holds
    /// every money-level parameter but the granularity and the components, with the same type,
    /// range and messages, no default (an omitted key is the money level's) and no note.
    static func levelsParameters(from declared: [PolicyParameter]) -> [PolicyParameter] {
        var parameters = [
            PolicyParameter(
                "levels", .object, null: "no levels",
                accepted: "two levels as {\"retention\": \"0.1\", \"upper\": {\"money\": {…}}} (an empty object for "
                    + "retention 0), or null for none"),
            PolicyParameter(
                "levels.retention", .number, range: .fractionBelowOne, unit: "fraction of the group amount",
                accepted: "a share from 0 up to but not including 1 (0.1 = 10%) that each prefecture keeps",
                remark: "absent `levels` or `null`: one level; `{}`: two levels with retention 0; omitted: 0; each "
                    + "prefecture keeps ⌊G·r/g⌋·g (市本级) and passes the rest to its counties (see Two levels)"),
            PolicyParameter(
                "levels.upper", .object,
                accepted: "the upper stage's layer with the keys name, money and sources, e.g. "
                    + "{\"money\": {\"weights\": {\"settled\": \"1\"}}}"),
            PolicyParameter("levels.upper.name", .text, accepted: "a name for the upper stage as a string",
                            remark: "shown by explain"),
            PolicyParameter(
                "levels.upper.money", .object,
                accepted: "money values of the upper stage (any money key but granularity and components)"),
        ]
        for parameter in declared where parameter.path.hasPrefix("money.") {
            let key = String(parameter.path.dropFirst("money.".count))
            let head = String(key.prefix(while: { $0 != "." && $0 != "[" }))
            guard !moneyLevelOnlyKeys.contains(head) else { continue }
            parameters.append(PolicyParameter(
                "levels.upper.money." + key, parameter.kind, range: parameter.range, null: parameter.null,
                unit: parameter.unit, accepted: parameter.accepted,
                remark: key.contains("[") ? nil
                    : head == "weights" && key != head ? "the upper stage's `weights` replace the money level's whole"
                    : "omitted: `money.\(key)`"))
        }
        parameters.append(PolicyParameter(
            "levels.upper.sources", .sourceNotes,
            accepted: "an object of source notes keyed by a path of the upper layer, e.g. {\"money.weights\": \"…\"}",
            remark: "notes on the upper stage's values, keyed like `money.weights`"))
        return parameters
    }

    /// True for every path under `levels.upper` (the upper stage's money mirrors the money level's;
    /// the lists in messages name `levels.upper` only).
    static func isUpperPath(_ path: String) -> Bool { path.hasPrefix("levels.upper.") || path.hasPrefix("levels.upper[") }

    /// The keys of `money` a component may not set (contract §10.3: one granularity for all).
    static let moneyLevelOnlyKeys: Set<String> = ["granularity"]

    /// `money.components` and what a component holds: its name and share, then every money-level
    /// parameter but the granularity, with the same type, range and messages, no default (an
    /// omitted key is the money level's) and no note of its own.
    static func componentParameters(from declared: [PolicyParameter]) -> [PolicyParameter] {
        var parameters = [
            PolicyParameter(
                "money.components", .list,
                accepted: "a non-empty list of components, each {\"name\": …, \"share\": …} with optional "
                    + "weights, origin_coefficients, prior_decay, coefficient_columns and bounds, e.g. "
                    + "[{\"name\": \"settlers\", \"share\": \"0.8\"}, {\"name\": \"permits\", \"share\": \"0.2\", "
                    + "\"weights\": {\"permits\": \"1\"}}]",
                remark: "absent: no components; each component is allocated on its share of the allocated amount "
                    + "as a policy of its own (see Components)"),
            PolicyParameter("money.components[]", .object,
                            accepted: "a component object with a name and a share"),
            PolicyParameter("money.components[].name", .text, accepted: ComponentName.accepted,
                            remark: "required; unique ignoring ASCII case; outputs add `amount_<name>`, `bound_<name>`"),
            PolicyParameter("money.components[].share", .number, range: .atLeast(.zero),
                            accepted: "a share ≥ 0 of the allocated amount, e.g. 0.7",
                            remark: "required; the shares add up to exactly 1"),
        ]
        for parameter in declared where parameter.path.hasPrefix("money.") {
            let key = String(parameter.path.dropFirst("money.".count))
            let head = String(key.prefix(while: { $0 != "." && $0 != "[" }))
            guard !moneyLevelOnlyKeys.contains(head) else { continue }
            parameters.append(PolicyParameter(
                "money.components[]." + key, parameter.kind, range: parameter.range, null: parameter.null,
                unit: parameter.unit, accepted: parameter.accepted,
                remark: key.contains("[") ? nil
                    : head == "weights" && key != head ? "a component's `weights` replace the money level's whole"
                    : "omitted: the money level's `money.\(key)`"))
        }
        return parameters
    }

    /// The parameters of the document as written, components aside.
    static let documentParameters: [PolicyParameter] = [
        PolicyParameter(
            "name", .text, default: #""illustrative default""#,
            accepted: "a name for the policy as a non-empty string, e.g. \"江苏省2025年市民化奖励资金\"",
            source: "Built-in illustrative policy for trying the tool; give a policy file with the province's "
                + "own values and their sources for real allocations.",
            remark: "non-empty"),
        PolicyParameter("money", .object, accepted: "a money object"),
        PolicyParameter(
            "money.granularity", .number, range: .positiveWholeFen, default: #""0.01""#, unit: "元",
            accepted: "an amount in 元 that is a positive whole number of fen, e.g. 0.01 (one fen), "
                + "1 (one 元) or 10000 (one 万元)",
            source: "Amounts are allocated in whole fen (0.01 元), the finest unit of payment; "
                + "\(notFromDocument)."),
        PolicyParameter(
            "money.weights", .object,
            accepted: "weights for settled and permits, each ≥ 0, that add up to exactly 1, "
                + "e.g. {\"settled\": \"0.8\", \"permits\": \"0.2\"}"),
        PolicyParameter(
            "money.weights.settled", .number, range: .atLeast(.zero), default: #""0.8""#,
            accepted: "a weight ≥ 0, e.g. 0.8",
            source: "Factor method (因素法) linking the transfer to the number of agricultural migrants who "
                + "actually settle: \(moneyMethod) (建立农业转移人口市民化奖励机制). The weight 0.8 is "
                + "\(notFromDocument).",
            remark: "the weights sum to exactly 1; a file gives them together (see §5.2)"),
        PolicyParameter(
            "money.weights.permits", .number, range: .atLeast(.zero), default: #""0.2""#,
            accepted: "a weight ≥ 0, e.g. 0.8",
            source: "Factor method (因素法) counting residence-permit holders served with basic public services: "
                + "\(moneyMethod). The weight 0.2 is \(notFromDocument).",
            remark: "a factor of weight 0 is skipped"),
        PolicyParameter(
            "money.weights.<factor>", .number, range: .atLeast(.zero),
            accepted: "a weight ≥ 0, e.g. 0.2",
            remark: "any other column of the settlement table as a factor (contract §10.1), e.g. `migrant_pupils` "
                + "(随迁子女人数, 随迁子女在校生数); the key is matched like a header; the factor's value is the "
                + "column's cell, a decimal ≥ 0 (empty = 0)"),
        PolicyParameter(
            "money.origin_coefficients", .object,
            accepted: "a coefficient for each of " + OriginKind.allCases.map(\.rawValue).joined(separator: ", ")),
        PolicyParameter(
            "money.origin_coefficients.cross_province", .number, range: .atLeast(.zero), default: #""1.2""#,
            accepted: "a coefficient ≥ 0, e.g. 1.2",
            source: "Settlers rated by where they came from, cross-province settlers higher: a principle of "
                + "\(rewardRules); the coefficient 1.2 is \(notFromDocument)."),
        PolicyParameter(
            "money.origin_coefficients.within_province", .number, range: .atLeast(.zero), default: #""1.0""#,
            accepted: "a coefficient ≥ 0, e.g. 1.2",
            source: "Settlers from another prefecture of the province, rated by origin as \(rewardRules) provides; "
                + "the coefficient 1.0 is \(notFromDocument)."),
        PolicyParameter(
            "money.origin_coefficients.within_city", .number, range: .atLeast(.zero), default: #""0.8""#,
            accepted: "a coefficient ≥ 0, e.g. 1.2",
            source: "Settlers from the same prefecture, rated by origin as \(rewardRules) provides; the coefficient "
                + "0.8 is \(notFromDocument)."),
        PolicyParameter(
            "money.origin_coefficients.settled", .number, range: .atLeast(.zero), default: #""1.0""#,
            accepted: "a coefficient ≥ 0, e.g. 1.2",
            source: "Settlers whose origin the table does not split; the coefficient 1.0 is \(notFromDocument).",
            remark: "used when the table has only `settled`"),
        PolicyParameter(
            "money.prior_decay", .list, default: #"["0.8", "0.6", "0.4", "0.2"]"#,
            accepted: "a list of decay factors ≥ 0, one per prior year, e.g. [\"0.8\", \"0.6\"]",
            source: "Phase-out (退坡) of earlier years' settlers: a principle of \(rewardRules); 0.8, 0.6, 0.4, 0.2 "
                + "for years Y−1 to Y−4 are illustrative values, not taken from a document.",
            remark: "item k weighs `prior_k`; prior years beyond the list weigh 0"),
        PolicyParameter(
            "money.prior_decay[]", .number, range: .atLeast(.zero), accepted: "a decay factor ≥ 0, e.g. 0.8"),
        PolicyParameter(
            "money.coefficient_columns", .list, default: #"["fiscal_coef"]"#,
            accepted: "a list of " + coefficientColumnAccepted,
            source: "Fiscal-difficulty coefficient (财力系数) multiplied into every factor: the tilt toward "
                + "fiscally weaker areas is a principle of \(rewardRules); which coefficients apply, and their "
                + "values, are illustrative, not taken from a document."),
        PolicyParameter(
            "money.coefficient_columns[]", .text, accepted: coefficientColumnAccepted,
            remark: "a column name, each once; not a count or amount column; matched like headers "
                + "(`财力系数` = `fiscal_coef`)"),
        PolicyParameter(
            "money.coefficient_columns.<factor>", .list,
            accepted: "a list of " + coefficientColumnAccepted,
            remark: "the object form: `{\"settled\": [\"fiscal_coef\"], \"migrant_pupils\": []}` gives each factor "
                + "its own columns; a factor it does not name has none; every key is a key of `money.weights`"),
        PolicyParameter(
            "money.coefficient_columns.<factor>[]", .text, accepted: coefficientColumnAccepted,
            remark: "as `money.coefficient_columns[k]`"),
        PolicyParameter("money.bounds", .object, accepted: "bounds on each county's amount"),
        PolicyParameter(
            "money.bounds.floor_amount", .number, range: .atLeast(.zero), null: "0", default: #""0""#, unit: "元",
            accepted: "an amount in 元 ≥ 0 (0 = no floor)",
            source: "No floor (保底 0 元): \(notFromDocument)."),
        PolicyParameter(
            "money.bounds.max_growth", .number, range: .atLeast(Rational(-1)), null: "no cap", default: "null",
            unit: "fraction of `prev_amount`",
            accepted: "a growth fraction ≥ -1 (0.1 = at most 10% more than last year), or null for no cap",
            source: "No cap on growth over last year's amount: \(notFromDocument).",
            remark: "0.1 = at most +10 % over `prev_amount`"),
        PolicyParameter(
            "money.bounds.min_retention", .number, range: .atLeast(.zero), null: "none", default: "null",
            unit: "fraction of `prev_amount`",
            accepted: "a fraction ≥ 0 of last year's amount (0.9 = at least 90%), or null for none",
            source: "No minimum share of last year's amount: \(notFromDocument).",
            remark: "0.9 = at least 90 % of `prev_amount`"),
        PolicyParameter(
            "money.bounds.cap_per_settler", .number, range: .atLeast(.zero), null: "no cap", default: "null",
            unit: "元 per current-year settler",
            accepted: "an amount in 元 per current-year settler ≥ 0, or null for no cap",
            source: "No cap per current-year settler: \(notFromDocument)."),
        PolicyParameter("land", .object, accepted: "a land object"),
        PolicyParameter(
            "land.unit", .landUnit, default: #""mu""#, accepted: "a land unit: " + LandUnit.acceptedWords,
            source: "Quotas in 亩 (1 亩 = 2000/3 m²), as provincial land plans usually count them; a presentation "
                + "choice, not taken from a document.",
            remark: "`mu`/亩, `hectare`/`ha`/公顷, `m2`/`m²`/平方米 (any case)"),
        PolicyParameter(
            "land.decimals", .number, range: .wholeNumber(0...6), default: "2", unit: "decimal places of `land.unit`",
            accepted: "a whole number of decimal places from 0 to 6",
            source: "Quotas to 0.01 亩: \(notFromDocument)."),
        PolicyParameter(
            "land.tiers", .list,
            default: #"[{"up_to": "100", "standard": "100"}, {"up_to": "150", "standard": "80"}, {"standard": "50"}]"#,
            accepted: "a list of tiers tried in order, each {\"up_to\": m², \"standard\": m² per person}, the last "
                + "one may leave out up_to, e.g. [{\"up_to\": \"100\", \"standard\": \"100\"}, {\"standard\": \"50\"}]",
            source: "\(landMethod): where current per-capita urban construction land is at most 100 m², new urban "
                + "construction land is arranged at 100 m² per settled person; central districts of megacities "
                + "(超大和特大城市中心城区) in principle none (see land_exempt). The lower standards above 100 m² "
                + "(80 m² up to 150 m², 50 m² above) are this tool's reading of that document, to be checked "
                + "against it, not a quotation.",
            remark: "non-empty, tried in order: a county takes the first tier whose `up_to` its `land_per_capita` "
                + "does not exceed"),
        PolicyParameter("land.tiers[]", .object, accepted: "a standard (m² per person) on every tier"),
        PolicyParameter(
            "land.tiers[].up_to", .number, range: .atLeast(.zero), null: "no limit", unit: "m² per person",
            accepted: "current per-capita urban construction land in m², ≥ 0",
            remark: "every tier but the last has one"),
        PolicyParameter(
            "land.tiers[].standard", .number, range: .atLeast(.zero), unit: "m² per settled person",
            accepted: "new land per person in m², ≥ 0, e.g. 100"),
        PolicyParameter(
            "land.adjustment", .number, range: .within(hundredths: 10), default: #""0""#, unit: "fraction",
            accepted: "a fraction from -0.10 to 0.10 (a province may adjust the standards by at most ±10%, "
                + "国土资发〔2016〕123号)",
            source: "A province may adjust the per-capita standards by at most ±10%: this tool's reading of "
                + "\(landMethod), to be checked against it, not a quotation; 0 (no adjustment) is "
                + "\(notFromDocument).",
            remark: "multiplies every standard by 1 + adjustment"),
        PolicyParameter(
            "land.permit_weight", .number, range: .atLeast(.zero), default: #""0""#,
            unit: "settled persons per permit holder",
            accepted: "a weight ≥ 0 for each residence-permit holder (0 = not counted, 1 = counted as one settled "
                + "person)",
            source: "Residence-permit holders do not count for land (0): \(notFromDocument)."),
        PolicyParameter(
            "sources", .sourceNotes,
            accepted: "an object of source notes keyed by policy path, e.g. "
                + "{\"money.weights\": \"国发〔2016〕44号 …\"}",
            remark: "policy path → note; the built-in default has a note for every value"),
    ]

    static let moneyMethod = "国发〔2016〕44号《国务院关于实施支持农业转移人口市民化若干财政政策的通知》"
    static let rewardRules = "财预〔2022〕60号《农业转移人口市民化奖励资金管理办法》 (2022-04-13, 第四条; it replaced "
        + "财预〔2016〕162号)"
    static let landMethod = "国土资发〔2016〕123号《关于建立城镇建设用地增加规模同吸纳农业转移人口落户数量挂钩机制的实施意见》"
    static let notFromDocument = "an illustrative value, not taken from a document"
    static let coefficientColumnAccepted = "coefficient column names such as fiscal_coef (财力系数) or a new name like "
        + "stability_coef, each at most once, none of them a count or amount column"

    static let byPath: [String: PolicyParameter] = Dictionary(uniqueKeysWithValues: all.map { ($0.path, $0) })

    /// The parameter declared at `path` exactly (list items as `[]`); nil when none is.
    static func declared(_ path: String) -> PolicyParameter {
        guard let parameter = byPath[path] else { fatalError("no policy parameter \(path) is declared") }
        return parameter
    }

    /// The parameter a concrete path sets (`land.tiers[2].standard` → `land.tiers[].standard`,
    /// `money.weights.migrant_pupils` → `money.weights.<factor>`), or nil when no parameter has
    /// that path (a `sources.` note included).
    public static func parameter(at path: String) -> PolicyParameter? {
        guard let components = PolicySchema.components(of: path) else { return nil }
        return byPath[PolicySchema.pattern(components)]
    }

    /// True for `money.components` and every path under it.
    static func isComponentPath(_ path: String) -> Bool {
        path == "money.components" || path.hasPrefix("money.components[") || path.hasPrefix("money.components.")
    }

    /// The objects whose keys are factors (contract §10.1): any key stands for `<factor>`.
    static let factorKeyedObjects = ["money.weights", "money.coefficient_columns",
                                     "money.components[].weights", "money.components[].coefficient_columns",
                                     "levels.upper.money.weights", "levels.upper.money.coefficient_columns"]

    /// True for a declared path with a `<factor>` placeholder: it stands for every factor key,
    /// so lists of paths name it only through the declared keys' messages.
    static func isOpenPattern(_ path: String) -> Bool { path.contains("<factor>") }

    /// The keys of the object at `path`, in document order: `money` → `granularity`, `weights`, ….
    static func keys(under path: String) -> [String] {
        all.compactMap { parameter in
            guard parameter.path.hasPrefix(path + "."), !isOpenPattern(parameter.path) else { return nil }
            let key = parameter.path.dropFirst(path.count + 1)
            return key.contains(".") || key.contains("[") ? nil : String(key)
        }
    }

    /// The top-level keys of a policy document.
    static var rootKeys: [String] { all.map(\.path).filter { !$0.contains(".") && !$0.contains("[") } }

    /// Every path a value can be varied at, in document order: the numbers, list items written
    /// `[k]` (`money.prior_decay[k]`, `land.tiers[k].standard`).
    ///
    /// A component's values (`money.components[k].share`, `money.components.<name>.share`) and
    /// those of `levels` (`levels.retention`, `levels.upper.money.…`) are varied too but not
    /// listed: the lists in messages stay those of a policy without components or levels.
    public static let numericPaths: [String] = all.filter {
        $0.kind == .number && !isComponentPath($0.path) && !isOpenPattern($0.path) && !$0.path.hasPrefix("levels")
    }
        .map { $0.path.replacingOccurrences(of: "[]", with: "[k]") }

    /// The problem the policy loader reports when the value at `path` is set to `value` (as
    /// `PATH=` followed by `value.plainText`), judged by the parameter's own range and the limit
    /// on a number's length; nil when the value is accepted. Rules between values (the weights'
    /// sum, the tiers' `up_to`) are the loader's: this answers for one value.
    ///
    ///     PolicyParameters.check(Rational(-2), at: "money.bounds.max_growth")?.problem   // "is less than -1"
    ///     PolicyParameters.check(Rational(1, 1000), at: "money.granularity")?.problem
    ///     // "is not a positive whole number of fen"
    ///
    /// - Precondition: `path` is a numeric parameter (one of `numericPaths`, items numbered).
    public static func check(_ value: Rational, at path: String) -> PolicyValueProblem? {
        guard let parameter = parameter(at: path), parameter.kind == .number else {
            preconditionFailure("\(path) is not a numeric policy parameter")
        }
        return parameter.check(value)
    }

    /// The parameter table of docs/inputs.md §5.1, rendered from the declaration: every value
    /// (objects aside, their members are rows), its type, default, range, unit and remarks.
    public static var docsTable: String {
        var lines = ["| path | type | default | range | unit | remarks |", "|---|---|---|---|---|---|"]
        for parameter in all where parameter.kind != .object {
            let path = "`" + parameter.path.replacingOccurrences(of: "[]", with: "[k]") + "`"
            let defaultText = parameter.defaultJSON.map { "`\($0)`" } ?? ""
            var range = parameter.range?.docsText ?? ""
            if let null = parameter.null { range += "; `null` = \(null)" }
            let cells = [path, parameter.kind.docsText, defaultText, range, parameter.unit ?? "", parameter.remark ?? ""]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// One parameter of the policy document.
public struct PolicyParameter: Sendable {
    /// What a parameter holds.
    public enum Kind: Sendable, Equatable {
        /// An object whose keys are the parameters declared under its path.
        case object
        /// A list whose items are the parameter declared at its path + `[]`.
        case list
        case text
        /// An exact decimal: a JSON number or a string in JSON number grammar.
        case number
        /// A land unit word (`LandUnit(word:)`).
        case landUnit
        /// Source notes keyed by policy path.
        case sourceNotes

        var docsText: String {
            switch self {
            case .object: "object"
            case .list: "list"
            case .text: "string"
            case .number: "number"
            case .landUnit: "land unit"
            case .sourceNotes: "object of strings"
            }
        }
    }

    /// Dotted path; list items as `[]`: `land.tiers[].standard`.
    public let path: String
    public let kind: Kind
    /// The range a number must lie in (numbers only).
    public let range: PolicyRange?
    /// What JSON `null` means where a number may be null (`no cap`); nil when null is refused.
    public let null: String?
    /// The built-in default as JSON text; nil where the default is held by the enclosing value.
    public let defaultJSON: String?
    /// The unit of a number (`元`, `m² per person`), nil for a plain number.
    public let unit: String?
    /// What the value may be, as error messages end: "…; expected ACCEPTED".
    public let accepted: String
    /// The built-in default's source note (contract §2.3: every default has one).
    public let source: String?
    /// More about the parameter, for the docs table.
    public let remark: String?

    init(_ path: String, _ kind: Kind, range: PolicyRange? = nil, null: String? = nil, default defaultJSON: String? = nil,
         unit: String? = nil, accepted: String, source: String? = nil, remark: String? = nil) {
        self.path = path
        self.kind = kind
        self.range = range
        self.null = null
        self.defaultJSON = defaultJSON
        self.unit = unit
        self.accepted = accepted
        self.source = source
        self.remark = remark
    }

    /// The problem the loader reports for `value` written as `value.plainText`, or nil when the
    /// value is accepted (its length and then its range).
    public func check(_ value: Rational) -> PolicyValueProblem? {
        switch PolicyNumber.parse(value.plainText, accepted: accepted) {
        case .failure(let problem): problem
        case .success(let exact): range?.problem(exact, accepted: accepted)
        }
    }
}

/// The range a numeric policy parameter must lie in.
public enum PolicyRange: Sendable, Equatable {
    /// At least the minimum.
    case atLeast(Rational)
    /// An amount in 元 that is a whole number of fen, more than 0.
    case positiveWholeFen
    /// A whole number within the bounds.
    case wholeNumber(ClosedRange<Int>)
    /// At least 0 and less than 1 (a share kept back).
    case fractionBelowOne
    /// From −limit to limit, the limit given in hundredths (10 = 0.10).
    case within(hundredths: Int)

    /// The problem with `value`, or nil when it lies in the range.
    public func problem(_ value: Rational, accepted: String) -> PolicyValueProblem? {
        switch self {
        case .atLeast(let minimum) where value < minimum:
            return minimum.isZero
                ? PolicyValueProblem(problem: "is negative", accepted: accepted)
                : PolicyValueProblem(problem: "is less than \(minimum.plainText)", accepted: accepted)
        case .positiveWholeFen where !(value * Rational(100)).isInteger || !(Rational.zero < value):
            return PolicyValueProblem(problem: "is not a positive whole number of fen", accepted: accepted)
        case .wholeNumber(let bounds)
            where !value.isInteger || value < Rational(bounds.lowerBound) || Rational(bounds.upperBound) < value:
            return PolicyValueProblem(problem: "is not a whole number from \(bounds.lowerBound) to \(bounds.upperBound)",
                                      accepted: accepted)
        case .fractionBelowOne where value < .zero:
            return PolicyValueProblem(problem: "is negative", accepted: accepted)
        case .fractionBelowOne where !(value < .one):
            return PolicyValueProblem(problem: "is not less than 1", accepted: accepted)
        case .within(let hundredths) where value.absoluteValue > Rational(BigInt(hundredths), BigInt(100)):
            return PolicyValueProblem(problem: "is outside ±\(PolicyRange.hundredthsText(hundredths))", accepted: accepted)
        default:
            return nil
        }
    }

    var docsText: String {
        switch self {
        case .atLeast(let minimum): "≥ " + minimum.plainText.replacingOccurrences(of: "-", with: "−")
        case .positiveWholeFen: "a positive whole number of fen (`0.01`, `1`, `10000`)"
        case .wholeNumber(let bounds): "whole, \(bounds.lowerBound)–\(bounds.upperBound)"
        case .fractionBelowOne: "≥ 0 and < 1"
        case .within(let hundredths): "−\(PolicyRange.hundredthsText(hundredths)) to \(PolicyRange.hundredthsText(hundredths))"
        }
    }

    /// 10 → "0.10".
    static func hundredthsText(_ hundredths: Int) -> String {
        FixedPointText.format(magnitude: UInt128(hundredths), negative: false, places: 2)
    }
}

/// What is wrong with one policy value, in the words of the loader's error message.
public struct PolicyValueProblem: Error, Sendable, Equatable {
    /// "is negative", "is outside ±0.10", …
    public var problem: String
    /// What the value may be.
    public var accepted: String

    public init(problem: String, accepted: String) {
        self.problem = problem
        self.accepted = accepted
    }
}

/// The policy's number grammar: a JSON number literal (or a string holding one), taken exactly,
/// of bounded length and exponent.
enum PolicyNumber {
    static let maximumLength = 100
    static let maximumExponent = 100

    /// The exact value of `text` (already trimmed), or the loader's problem with it.
    static func parse(_ text: String, accepted: String) -> Result<Rational, PolicyValueProblem> {
        guard JSONParser.isNumberLiteral(text) else {
            return .failure(PolicyValueProblem(problem: "is not a number", accepted: accepted))
        }
        guard text.utf8.count <= maximumLength,
              let exact = ExactDecimal(jsonNumberLiteral: text, maximumExponent: maximumExponent) else {
            return .failure(PolicyValueProblem(
                problem: "is too long or too large a number",
                accepted: "a number of at most \(maximumLength) characters whose exponent is between "
                    + "-\(maximumExponent) and \(maximumExponent)"))
        }
        return .success(exact.rational)
    }
}
