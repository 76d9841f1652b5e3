import BigInt
import Foundation
@testable import TransferAlloc

/// A generated settlement table, policy and budget, kept as numbers so that the property tests
/// can compute the contract's results on their own (`PropertyOracle`) and compare.
///
/// The table reaches the library as CSV text (`SettlementTable.read`), the policy as `--set`
/// overrides (`PolicyLoader.load`), the budget as a `Scenario`. Same seed, same case.
struct PropertyCase {
    struct County {
        var code: String
        /// cross_province, within_province, within_city — or one `settled` count.
        var origins: [Int]
        var priors: [Int]
        var permits: Int
        var coefficient: Decimal?
        var prev: Decimal?
        var minAmount: Decimal?
        var maxAmount: Decimal?
    }

    /// A decimal as written in a cell and as the exact value it stands for.
    struct Decimal {
        var text: String
        var value: Rational

        /// `units / 10^scale`, e.g. (12345, 2) → "123.45".
        init(_ units: Int, scale: Int) {
            var digits = String(units.magnitude)
            if scale > 0 {
                if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
                digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
            }
            text = (units < 0 ? "-" : "") + digits
            value = Rational(BigInt(units), BigInt(10).power(scale))
        }
    }

    var counties: [County]
    var splitsOrigins: Bool
    var priorYears: Int
    var hasMinMax: Bool

    var settledWeight: Decimal
    var permitsWeight: Decimal
    var granularityFen: Int
    /// cross_province, within_province, within_city, settled.
    var originCoefficients: [Decimal]
    var decays: [Decimal]
    var floorAmount: Decimal?
    var maxGrowth: Decimal?
    var minRetention: Decimal?
    var capPerSettler: Decimal?

    var fundFen: BigInt
    var reservePercent: Int?

    var hasBounds: Bool {
        hasMinMax || floorAmount != nil || maxGrowth != nil || minRetention != nil || capPerSettler != nil
    }

    // MARK: Generation

    static func make(seed: UInt64) -> PropertyCase {
        var r = SeededRandom(seed: seed)
        let n = r.int(in: 1...30)
        let splitsOrigins = r.int(in: 0...3) != 0
        let priorYears = r.int(in: 0...4)
        let big = r.int(in: 0...4) == 0   // counts up to 10^9: the BigInt paths
        func count() -> Int {
            switch r.int(in: 0...9) {
            case 0: return 0
            case 1: return r.int(in: 0...9)
            default: return big ? r.int(in: 0...1_000_000_000) : r.int(in: 0...20_000)
            }
        }
        var codes = Set<String>()
        var counties: [County] = []
        while counties.count < n {
            // Codes of different lengths and shared prefixes make the byte-order tie-break matter.
            let code = String(r.int(in: 1...99_999)) + (r.int(in: 0...5) == 0 ? "A" : "")
            guard codes.insert(code).inserted else { continue }
            let prev = r.int(in: 0...4) == 0 ? nil : Decimal(r.int(in: 0...5_000_000_00), scale: 2)
            counties.append(County(
                code: code,
                origins: splitsOrigins ? [count(), count(), count()] : [count()],
                priors: (0..<priorYears).map { _ in count() },
                permits: count(),
                coefficient: r.int(in: 0...4) == 0 ? nil
                    : (r.int(in: 0...30) == 0 ? Decimal(0, scale: 0) : Decimal(r.int(in: 1...30_000), scale: 4)),
                prev: prev))
        }
        // Equal rows produce exact ties, broken by code.
        if n > 3 && r.int(in: 0...2) == 0 {
            for i in 1..<min(n, 4) {
                let code = counties[i].code
                counties[i] = counties[0]
                counties[i].code = code
            }
        }
        let w = r.int(in: 0...20)
        var c = PropertyCase(
            counties: counties, splitsOrigins: splitsOrigins, priorYears: priorYears, hasMinMax: false,
            settledWeight: Decimal(w * 5, scale: 2), permitsWeight: Decimal(100 - w * 5, scale: 2),
            granularityFen: [1, 1, 5, 100, 1_000, 1_000_000][r.int(in: 0...5)],
            originCoefficients: (0..<4).map { _ in Decimal(r.int(in: 0...20), scale: 1) },
            decays: (0..<r.int(in: 0...5)).map { _ in Decimal(r.int(in: 0...10), scale: 1) },
            fundFen: BigInt(big ? r.int(in: 0...1_000_000_000_000_000) : r.int(in: 0...100_000_000)),
            reservePercent: r.int(in: 0...2) == 0 ? r.int(in: 0...99) : nil)
        if r.int(in: 0...1) == 0 {
            // Bounds that are often feasible: around the average amount per county.
            let average = Int(c.fundFen / BigInt(n * 100)) + 1
            if r.int(in: 0...2) == 0 { c.floorAmount = Decimal(r.int(in: 0...average / 2 + 1), scale: 0) }
            if r.int(in: 0...2) == 0 { c.maxGrowth = Decimal(r.int(in: -100...300), scale: 2) }
            if r.int(in: 0...2) == 0 { c.minRetention = Decimal(r.int(in: 0...120), scale: 2) }
            if r.int(in: 0...3) == 0 { c.capPerSettler = Decimal(r.int(in: 0...50_000), scale: 2) }
            if r.int(in: 0...2) == 0 {
                c.hasMinMax = true
                for i in c.counties.indices {
                    if r.int(in: 0...3) == 0 { c.counties[i].minAmount = Decimal(r.int(in: 0...average * 50), scale: 2) }
                    if r.int(in: 0...3) == 0 { c.counties[i].maxAmount = Decimal(r.int(in: 0...average * 400), scale: 2) }
                }
            }
        }
        return c
    }

    /// The same case with every bound removed.
    var withoutBounds: PropertyCase {
        var copy = self
        copy.hasMinMax = false
        copy.floorAmount = nil
        copy.maxGrowth = nil
        copy.minRetention = nil
        copy.capPerSettler = nil
        return copy
    }

    // MARK: Library inputs

    var header: [String] {
        var header = ["code", "name"]
        header += splitsOrigins ? ["cross_province", "within_province", "within_city"] : ["settled"]
        header += (0..<priorYears).map { "prior_\($0 + 1)" }
        header += ["permit_holders", "fiscal_coef", "prev_amount"]
        if hasMinMax { header += ["min_amount", "max_amount"] }
        return header
    }

    func csv(order: [Int]? = nil) -> String {
        var lines = [header.joined(separator: ",")]
        for i in order ?? Array(counties.indices) {
            let county = counties[i]
            var cells = [county.code, "县\(i)"]
            cells += county.origins.map(String.init)
            cells += county.priors.map(String.init)
            cells.append(String(county.permits))
            cells.append(county.coefficient?.text ?? "")
            cells.append(county.prev?.text ?? "")
            if hasMinMax { cells += [county.minAmount?.text ?? "", county.maxAmount?.text ?? ""] }
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var overrides: [String] {
        func quoted(_ d: Decimal?) -> String { d.map { "\"\($0.text)\"" } ?? "null" }
        let g = Decimal(granularityFen, scale: 2)
        let o = originCoefficients
        return [
            "money.weights={\"settled\": \"\(settledWeight.text)\", \"permits\": \"\(permitsWeight.text)\"}",
            "money.granularity=\(g.text)",
            "money.origin_coefficients={\"cross_province\": \"\(o[0].text)\", \"within_province\": \"\(o[1].text)\", "
                + "\"within_city\": \"\(o[2].text)\", \"settled\": \"\(o[3].text)\"}",
            "money.prior_decay=[\(decays.map { "\"\($0.text)\"" }.joined(separator: ", "))]",
            "money.coefficient_columns=[\"fiscal_coef\"]",
            "money.bounds={\"floor_amount\": \(quoted(floorAmount ?? Decimal(0, scale: 0))), "
                + "\"max_growth\": \(quoted(maxGrowth)), \"min_retention\": \(quoted(minRetention)), "
                + "\"cap_per_settler\": \(quoted(capPerSettler))}",
        ]
    }

    var scenario: Scenario {
        Scenario(name: "p", fundFen: fundFen,
                 reserve: reservePercent.map { .ratio(Rational(BigInt($0), 100)) } ?? .none)
    }

    /// Runs the library on the case: policy from `--set`, table from CSV text.
    func allocate(order: [Int]? = nil) throws(InputError) -> Allocation {
        let policy = try PolicyLoader.load(fileBytes: nil, file: nil, overrides: .set(overrides))
        let table = try SettlementTable.read(bytes: Array(csv(order: order).utf8), file: "s.csv",
                                             coefficientColumns: policy.money.coefficientColumns,
                                             factors: policy.money.columnFactors)
        return try Allocation(table: table, scenarios: [scenario], policy: policy, budgetFile: "budget")
    }
}

/// The contract's money results computed directly from the formulas of §3, with no code shared
/// with the library beyond `Rational`: what the property tests compare against.
struct PropertyOracle {
    let budgetFen: BigInt
    let reserveFen: BigInt
    let allocatedFen: BigInt
    /// q_i in fen.
    let ideal: [Rational]
    /// L_i and U_i in fen, snapped inward to g (nil: no upper bound).
    let lower: [BigInt]
    let upper: [BigInt?]
    /// Why the library must refuse the case, or nil when it must compute it.
    let refusal: String?

    init(_ c: PropertyCase) {
        let g = BigInt(c.granularityFen)
        budgetFen = c.fundFen
        var reserve = BigInt(0)
        if let percent = c.reservePercent {
            reserve = (c.fundFen * BigInt(percent)) / (BigInt(100) * g) * g   // ⌊B·r/g⌋·g, all ≥ 0
        }
        let available = c.fundFen - reserve
        allocatedFen = available / g * g
        reserveFen = reserve + (available - allocatedFen)

        var settled: [Rational] = []
        var permits: [Rational] = []
        for county in c.counties {
            let coefficient = county.coefficient?.value ?? .one
            var value = Rational.zero
            for (o, n) in county.origins.enumerated() {
                let c_o = c.splitsOrigins ? c.originCoefficients[o].value : c.originCoefficients[3].value
                value += c_o * Rational(BigInt(n))
            }
            for (k, n) in county.priors.enumerated() where k < c.decays.count {
                value += c.decays[k].value * Rational(BigInt(n))
            }
            settled.append(value * coefficient)
            permits.append(Rational(BigInt(county.permits)) * coefficient)
        }
        let settledTotal = settled.reduce(.zero, +)
        let permitsTotal = permits.reduce(.zero, +)
        var refusal: String?
        if c.settledWeight.value > .zero && settledTotal.isZero { refusal = "settled factor total 0" }
        if c.permitsWeight.value > .zero && permitsTotal.isZero { refusal = "permits factor total 0" }
        var ideal: [Rational] = []
        for i in c.counties.indices {
            var share = Rational.zero
            if c.settledWeight.value > .zero && !settledTotal.isZero { share += c.settledWeight.value * settled[i] / settledTotal }
            if c.permitsWeight.value > .zero && !permitsTotal.isZero { share += c.permitsWeight.value * permits[i] / permitsTotal }
            ideal.append(Rational(allocatedFen) * share)
        }
        self.ideal = ideal

        let fen = Rational(100)
        var lower: [BigInt] = []
        var upper: [BigInt?] = []
        for county in c.counties {
            var low = (c.floorAmount?.value ?? .zero) * fen
            var high: Rational?
            let settlers = Rational(BigInt(county.origins.reduce(0, +)))
            if let prev = county.prev?.value, prev > .zero {
                if let keep = c.minRetention?.value { low = max(low, prev * keep * fen) }
                if let growth = c.maxGrowth?.value {
                    let cap = prev * (.one + growth) * fen
                    high = high.map { min($0, cap) } ?? cap
                }
            }
            if c.hasMinMax, let minimum = county.minAmount?.value { low = max(low, minimum * fen) }
            if let perSettler = c.capPerSettler?.value {
                let cap = perSettler * settlers * fen
                high = high.map { min($0, cap) } ?? cap
            }
            if c.hasMinMax, let maximum = county.maxAmount?.value {
                let cap = maximum * fen
                high = high.map { min($0, cap) } ?? cap
            }
            lower.append((low / Rational(g)).ceiling * g)
            upper.append(high.map { ($0 / Rational(g)).floor * g })
        }
        self.lower = lower
        self.upper = upper
        if refusal == nil {
            if zip(lower, upper).contains(where: { l, u in u.map { l > $0 } ?? false }) {
                refusal = "a lower bound above its upper bound"
            } else if lower.reduce(0, +) > allocatedFen {
                refusal = "lower bounds above the total"
            } else {
                var sumOfUpper: BigInt? = 0
                for i in ideal.indices {
                    if ideal[i].isZero { sumOfUpper? += lower[i] } else if let u = upper[i] { sumOfUpper? += u } else { sumOfUpper = nil }
                }
                if let sumOfUpper, sumOfUpper < allocatedFen { refusal = "upper bounds below the total" }
            }
        }
        self.refusal = refusal
    }
}
