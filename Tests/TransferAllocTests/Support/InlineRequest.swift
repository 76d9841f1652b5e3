import TransferAlloc

extension RunRequest {
    /// A request whose files are the given texts (UTF-8), for library-level tests.
    static func inline(settlement: String, budget: String? = nil, policy: String? = nil, overrides: [String] = [],
                       fundTotal: String? = nil, landQuota: String? = nil, scenario: String? = nil) -> RunRequest {
        RunRequest(settlement: .init(name: "settlement.csv", bytes: Array(settlement.utf8)),
                   budget: budget.map { .init(name: "budget.csv", bytes: Array($0.utf8)) },
                   policy: policy.map { .init(name: "policy.json", bytes: Array($0.utf8)) },
                   overrides: .set(overrides), fundTotal: fundTotal.map(NamedValue.fundTotal),
                   landQuota: landQuota.map(NamedValue.landQuota), scenario: scenario)
    }
}

/// The two-county table the what-if and sweep guides work through by hand.
///
/// Default policy (weights 0.8 / 0.2; no fiscal_coef column, so every coefficient is 1):
/// settled factor 100 and 100 → halves; permits 10 and 30 → 1/4 and 3/4;
/// s_A = 0.8·½ + 0.2·¼ = 0.45, s_B = 0.8·½ + 0.2·¾ = 0.55.
enum TwoCounties {
    static let settlement = """
    code,name,settled,permit_holders,prev_amount
    A1,甲县,100,10,400
    B2,乙县,100,30,
    """
    static let budget = """
    scenario,fund_total
    baseline,1000
    bigger,1100
    """
}
