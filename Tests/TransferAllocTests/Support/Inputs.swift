@testable import TransferAlloc

/// Builds checked inputs from CSV text, as `allocate` would read them from files.
enum Inputs {
    static func request(_ settlement: String, budget: String? = nil, fundTotal: String? = nil,
                        landQuota: String? = nil, overrides: [String] = [], scenario: String? = nil) -> RunRequest {
        RunRequest(settlement: .init(name: "s.csv", bytes: Array(settlement.utf8)),
                   budget: budget.map { .init(name: "b.csv", bytes: Array($0.utf8)) },
                   overrides: overrides, fundTotal: budget == nil ? (fundTotal ?? "1000") : nil,
                   landQuota: landQuota, scenario: scenario)
    }

    static func allocate(_ settlement: String, budget: String? = nil, fundTotal: String? = nil, landQuota: String? = nil,
                         overrides: [String] = [], scenario: String? = nil) throws -> Allocation {
        try request(settlement, budget: budget, fundTotal: fundTotal, landQuota: landQuota, overrides: overrides,
                    scenario: scenario).allocate()
    }
}
