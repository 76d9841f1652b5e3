import Foundation
@testable import TransferAlloc

/// Builds runs from inline CSV text, for library-level tests.
enum Inputs {
    static func request(settlement: String, budget: String? = nil, fundTotal: String? = nil,
                        landQuota: String? = nil, policy: String? = nil, set overrides: [String] = []) -> RunRequest {
        RunRequest(settlement: .init(name: "settlement.csv", bytes: Array(settlement.utf8)),
                   budget: budget.map { .init(name: "budget.csv", bytes: Array($0.utf8)) },
                   policy: policy.map { .init(name: "policy.json", bytes: Array($0.utf8)) },
                   overrides: .set(overrides), fundTotal: fundTotal.map(NamedValue.fundTotal),
                   landQuota: landQuota.map(NamedValue.landQuota))
    }

    static func allocate(settlement: String, budget: String? = nil, fundTotal: String? = nil,
                         landQuota: String? = nil, policy: String? = nil, set overrides: [String] = []) throws -> Allocation {
        try request(settlement: settlement, budget: budget, fundTotal: fundTotal, landQuota: landQuota,
                    policy: policy, set: overrides).allocate()
    }

    /// Contents of a file under the package root.
    static func file(_ path: String) throws -> String {
        try String(contentsOf: CLI.root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Amounts in 元 text by code, for one scenario.
    static func amounts(_ allocation: Allocation, scenario: Int = 0) -> [String: String] {
        var out: [String: String] = [:]
        for (i, row) in allocation.table.rows.enumerated() {
            out[row.code] = Rational.yuan(allocation.scenarios[scenario].money.amountFen(i))
        }
        return out
    }

    static func land(_ allocation: Allocation, scenario: Int = 0) -> [String: String] {
        var out: [String: String] = [:]
        let land = allocation.scenarios[scenario].land!
        for (i, row) in allocation.table.rows.enumerated() { out[row.code] = land.text(land.units[i]) }
        return out
    }
}
