/// What a report says about where its numbers came from: the input files and the values given
/// directly (under the names the caller gave them: the command line's flags), so a printed page
/// can be traced back to the run that made it.
///
///     ReportInputs(request: request).items(.en)
///     // [("Settlement table", "data/settlement.csv"), ("Budget table", "data/budget.csv"),
///     //  ("Policy file", "built-in illustrative default"), ("--set", "money.weights.settled=0.7"), …]
public struct ReportInputs: Sendable {
    public var settlement: String
    public var budget: String?
    public var fundTotal: NamedValue?
    public var landQuota: NamedValue?
    public var policy: String?
    public var overrides: PolicyOverrides?
    public var scenario: NamedValue?
    /// Further lines a command adds (e.g. whatif's baseline), shown after the standard ones.
    public var extra: [(term: String, value: String)]

    public init(settlement: String, budget: String? = nil, fundTotal: NamedValue? = nil, landQuota: NamedValue? = nil,
                policy: String? = nil, overrides: PolicyOverrides? = nil, scenario: NamedValue? = nil,
                extra: [(term: String, value: String)] = []) {
        self.settlement = settlement
        self.budget = budget
        self.fundTotal = fundTotal
        self.landQuota = landQuota
        self.policy = policy
        self.overrides = overrides
        self.scenario = scenario
        self.extra = extra
    }

    /// The request's inputs; `scenarioName` is what the list calls the request's scenario choice.
    public init(request: RunRequest, scenarioName: String) {
        self.init(settlement: request.settlement.name, budget: request.budget?.name, fundTotal: request.fundTotal,
                  landQuota: request.landQuota, policy: request.policy?.name, overrides: request.overrides,
                  scenario: request.scenario.map { NamedValue(name: scenarioName, text: $0) })
    }

    /// Labelled lines in the report's language.
    public func items(_ language: ReportLanguage) -> [(term: String, value: String)] {
        let zh = language == .zh
        var items: [(term: String, value: String)] = [(zh ? "落户情况表" : "Settlement table", settlement)]
        if let budget { items.append((zh ? "预算表" : "Budget table", budget)) }
        if let fundTotal { items.append((fundTotal.name, fundTotal.text + " 元")) }
        if let landQuota { items.append((landQuota.name, landQuota.text)) }
        items.append((zh ? "政策文件" : "Policy file", policy ?? (zh ? "内置示例政策（illustrative default）" : "built-in illustrative default")))
        if let overrides {
            for setting in overrides.settings { items.append((overrides.name, setting)) }
        }
        if let scenario { items.append((scenario.name, scenario.text)) }
        return items + extra
    }
}
