import Foundation
@testable import TransferAlloc

/// Random but reproducible settlement tables, budgets and policy overrides for invariant tests.
struct GeneratedCase {
    var header: [String]
    var rows: [[String]]
    var budget: String
    var overrides: [String]

    var settlementText: String {
        ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// The same table with its rows in another order.
    func shuffled(using random: inout SeededRandom) -> GeneratedCase {
        var copy = self
        copy.rows.shuffle(using: &random)
        return copy
    }

    static func make(seed: UInt64, withBounds: Bool = true) -> GeneratedCase {
        var r = SeededRandom(seed: seed)
        let n = r.int(in: 1...40)
        let useOrigins = r.int(in: 0...3) != 0
        var header = ["code", "name"]
        header += useOrigins ? ["cross_province", "within_province", "within_city"] : ["settled"]
        let priors = r.int(in: 0...5)
        header += (0..<priors).map { "prior_\($0 + 1)" }
        header += ["permit_holders", "fiscal_coef", "prev_amount", "land_per_capita"]
        var codes = Set<String>()
        var rows: [[String]] = []
        func count() -> String {
            switch r.int(in: 0...9) {
            case 0: return "0"
            case 1: return String(r.int(in: 0...1_000_000_000))
            default: return String(r.int(in: 0...20_000))
            }
        }
        while rows.count < n {
            // Codes of different lengths and shared prefixes make the byte-order tie-break matter.
            let code = String(r.int(in: 1...999_999)) + (r.int(in: 0...4) == 0 ? "A" : "")
            guard codes.insert(code).inserted else { continue }
            var row = [code, "县\(rows.count)"]
            row += useOrigins ? [count(), count(), count()] : [count()]
            row += (0..<priors).map { _ in count() }
            row.append(count())
            let coefficient = r.int(in: 0...20) == 0 ? "0" : "\(r.int(in: 0...3)).\(r.int(in: 0...999_999))"
            row.append(r.int(in: 0...5) == 0 ? "" : coefficient)
            row.append(r.int(in: 0...4) == 0 ? "" : "\(r.int(in: 0...50_000_000)).\(r.int(in: 10...99))")
            row.append("\(r.int(in: 50...180))")
            rows.append(row)
        }
        // Several equal rows produce exact ties.
        if n > 3 && r.int(in: 0...2) == 0 {
            for i in 1..<min(n, 4) {
                let code = rows[i][0]
                rows[i] = rows[0]
                rows[i][0] = code
            }
        }
        let unit = ["yuan", "wan", "yi"][r.int(in: 0...2)]
        let fund = unit == "yuan" ? "\(r.int(in: 0...1_000_000_000_000)).\(r.int(in: 10...99))" : String(r.int(in: 0...100_000))
        let reserve = r.int(in: 0...2) == 0 ? "0.\(r.int(in: 0...99))" : ""
        let quota = r.int(in: 0...1) == 0 ? "\(r.int(in: 0...100_000)).\(r.int(in: 10...99))" : ""
        let budget = "scenario,fund_total,fund_unit,reserve_ratio,land_quota\ns,\(fund),\(unit),\(reserve),\(quota)\n"
        var overrides: [String] = []
        let w = r.int(in: 0...20)
        overrides.append("money.weights={\"settled\": \"\(Double(w) / 20)\", \"permits\": \"\(Double(20 - w) / 20)\"}")
        overrides.append("money.granularity=\(["0.01", "1", "10000", "0.05"][r.int(in: 0...3)])")
        overrides.append("money.prior_decay=[\(((0..<r.int(in: 0...4)).map { _ in "\"0.\(r.int(in: 0...9))\"" }).joined(separator: ","))]")
        if withBounds {
            if r.int(in: 0...2) == 0 { overrides.append("money.bounds.floor_amount=\(r.int(in: 0...100_000))") }
            if r.int(in: 0...2) == 0 { overrides.append("money.bounds.max_growth=0.\(r.int(in: 0...9))") }
            if r.int(in: 0...2) == 0 { overrides.append("money.bounds.min_retention=0.\(r.int(in: 0...9))") }
            if r.int(in: 0...3) == 0 { overrides.append("money.bounds.cap_per_settler=\(r.int(in: 0...10_000))") }
        }
        return GeneratedCase(header: header, rows: rows, budget: budget, overrides: overrides)
    }
}
