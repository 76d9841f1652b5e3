/// What a report says about where its numbers came from: the input files and flags, so a
/// printed page can be traced back to the run that made it.
///
///     ReportInputs(request: request).items(.en)
///     // [("Settlement table", "data/settlement.csv"), ("Budget table", "data/budget.csv"),
///     //  ("Policy file", "built-in illustrative default"), ("--set", "money.weights.settled=0.7"), …]
public struct ReportInputs: Sendable {
    public var settlement: String
    public var budget: String?
    public var fundTotal: String?
    public var landQuota: String?
    public var policy: String?
    public var overrides: [String]
    public var scenario: String?
    /// Further lines a command adds (e.g. whatif's baseline), shown after the standard ones.
    public var extra: [(term: String, value: String)]

    public init(settlement: String, budget: String? = nil, fundTotal: String? = nil, landQuota: String? = nil,
                policy: String? = nil, overrides: [String] = [], scenario: String? = nil,
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

    public init(request: RunRequest) {
        self.init(settlement: request.settlement.name, budget: request.budget?.name, fundTotal: request.fundTotal,
                  landQuota: request.landQuota, policy: request.policy?.name, overrides: request.overrides,
                  scenario: request.scenario)
    }

    /// Labelled lines in the report's language.
    public func items(_ language: ReportLanguage) -> [(term: String, value: String)] {
        let zh = language == .zh
        var items: [(term: String, value: String)] = [(zh ? "落户情况表" : "Settlement table", settlement)]
        if let budget { items.append((zh ? "预算表" : "Budget table", budget)) }
        if let fundTotal { items.append(("--fund-total", fundTotal + " 元")) }
        if let landQuota { items.append(("--land-quota", landQuota)) }
        items.append((zh ? "政策文件" : "Policy file", policy ?? (zh ? "内置示例政策（illustrative default）" : "built-in illustrative default")))
        for override in overrides { items.append(("--set", override)) }
        if let scenario { items.append(("--scenario", scenario)) }
        return items + extra
    }
}
