import BigInt
import Testing
@testable import TransferAlloc

/// Components and advances through the one allocation path (contract §10.3–§10.4): hand-computed
/// cases and properties over seeded tables.
@Suite struct ComponentsTests {
    /// Two counties, default weights 0.8 / 0.2, no fiscal_coef column (every coefficient 1):
    /// settled 100 and 100 → ½ each; permits 10 and 30 → ¼ and ¾.
    static let settlement = """
    code,name,settled,permit_holders,prev_amount_a,advance
    A1,甲县,100,10,100,300
    B2,乙县,100,30,,
    """

    /// a: 0.6 of A at the default weights, growth capped at 10 % over prev_amount_a;
    /// b: 0.4 of A on permits alone.
    static let policy = """
    {"money": {"components": [
      {"name": "a", "share": "0.6", "bounds": {"max_growth": "0.1"}},
      {"name": "b", "share": "0.4", "weights": {"settled": "0", "permits": "1"}}
    ]}}
    """

    /// A = 1000 元: A_a = 600, A_b = 400.
    /// a: s = 0.8·½ + 0.2·¼ = 0.45 and 0.55 → ideals 270 and 330; A1's cap is 100·1.1 = 110, so
    ///    A1 = 110 (cap) and B2 takes the rest, 490 (none).
    /// b: ¼ and ¾ of 400 → 100 and 300.
    /// Amounts 210 and 790; A1 advanced 300 → release −90; B2 none → 790.
    @Test func handComputed() throws {
        let run = try Inputs.allocate(settlement: Self.settlement, fundTotal: "1000", policy: Self.policy)
        let money = run.scenarios[0].money
        #expect(money.components.map(\.name) == ["a", "b"])
        #expect(money.components.map { Rational.yuan($0.money.allocatedFen) } == ["600.00", "400.00"])
        #expect(money.components[0].money.amountsFen.map(Rational.yuan) == ["110.00", "490.00"])
        #expect(money.components[0].money.apportionment.bound == [.cap, .none])
        #expect(money.components[1].money.amountsFen.map(Rational.yuan) == ["100.00", "300.00"])
        #expect(money.amountsFen.map(Rational.yuan) == ["210.00", "790.00"])
        let report = AllocationReport(run)
        let keys = report.columns.map(\.key)
        #expect(keys == ["scenario", "code", "name", "settlers", "settled_factor_a", "permits_factor_a", "permits_factor_b",
                         "coefficient", "share", "amount", "amount_per_settler", "bound", "amount_a", "bound_a",
                         "amount_b", "bound_b", "advance", "release"])
        // share = 0.6·0.45 + 0.4·0.25 = 0.37; 0.6·0.55 + 0.4·0.75 = 0.63.
        #expect(report.cells(scenario: 0, county: 0) == ["baseline", "A1", "甲县", "100", "100", "10", "10", "",
                                                         "0.3700000000", "210.00", "2.10", "", "110.00", "cap",
                                                         "100.00", "none", "300.00", "-90.00"])
        #expect(report.cells(scenario: 0, county: 1) == ["baseline", "B2", "乙县", "100", "100", "30", "30", "",
                                                         "0.6300000000", "790.00", "7.90", "", "490.00", "none",
                                                         "300.00", "none", "0.00", "790.00"])
        let totals = report.totals(scenario: 0)
        #expect(totals.componentAllocated.map(\.allocated) == ["600.00", "400.00"])
        #expect(totals.advanceTotal == "300.00")
        #expect(totals.releaseTotal == "700.00")
    }

    /// 0.03 元 at ½ and ½: 1.5 fen each, the tie to the earlier component: 2 and 1 fen.
    @Test func budgetTieGoesToTheEarlierComponent() throws {
        let policy = #"{"money": {"components": [{"name": "x", "share": "0.5"}, {"name": "y", "share": "0.5"}]}}"#
        let run = try Inputs.allocate(settlement: "code,settled,permit_holders\nA1,1,1\nB2,1,1\n", fundTotal: "0.03",
                                      policy: policy)
        #expect(run.scenarios[0].money.components.map(\.money.allocatedFen) == [2, 1])
    }

    /// A share-0 component is computed and gets 0 everywhere.
    @Test func shareZeroComponent() throws {
        let policy = #"{"money": {"components": [{"name": "x", "share": "1"}, {"name": "y", "share": "0"}]}}"#
        let run = try Inputs.allocate(settlement: "code,settled,permit_holders\nA1,1,1\nB2,3,3\n", fundTotal: "100",
                                      policy: policy)
        let parts = run.scenarios[0].money.components
        #expect(parts[1].money.allocatedFen == 0)
        #expect(parts[1].money.amountsFen == [0, 0])
        #expect(run.scenarios[0].money.amountsFen.map(Rational.yuan) == ["25.00", "75.00"])
    }

    /// Without components nothing of §10.3 appears: no component columns, the plain bound.
    @Test func versionOneColumnsUnchanged() throws {
        let run = try Inputs.allocate(settlement: "code,settled,permit_holders\nA1,1,1\n", fundTotal: "10")
        #expect(AllocationReport(run).columns.map(\.key) == ["scenario", "code", "name", "settlers", "settled_factor",
                                                             "permits_factor", "coefficient", "share", "amount",
                                                             "amount_per_settler", "bound"])
    }

    /// Seeded tables and policies: each component sums exactly to its budget, the budgets to A
    /// (each within one unit of A·share_c), each county's amount is the sum of its component
    /// amounts, and release = amount − advance.
    @Test func properties() throws {
        for seed in UInt64(0)..<200 {
            var random = SeededRandom(seed: seed)
            let n = random.int(in: 1...8)
            var rows = ["code,settled,permit_holders,advance"]
            for i in 0..<n {
                let advance = random.int(in: 0...3) == 0 ? "" : "\(random.int(in: 0...50_000)).\(random.int(in: 10...99))"
                rows.append("C\(i),\(random.int(in: 1...500)),\(random.int(in: 1...500)),\(advance)")
            }
            let k = random.int(in: 1...4)
            var remaining = 100
            var shares: [Int] = []
            for c in 0..<k {
                let share = c == k - 1 ? remaining : random.int(in: 0...remaining)
                shares.append(share)
                remaining -= share
            }
            let components = shares.enumerated().map { c, share in
                let weights = random.int(in: 0...1) == 0 ? "" : #", "weights": {"settled": "0", "permits": "1"}"#
                let text = share == 100 ? "1" : "0." + (share < 10 ? "0" : "") + "\(share)"
                return #"{"name": "c\#(c)", "share": "\#(text)"\#(weights)}"#
            }
            let granularity = ["0.01", "1", "100"][random.int(in: 0...2)]
            let policy = #"{"money": {"granularity": "\#(granularity)", "components": [\#(components.joined(separator: ", "))]}}"#
            let fund = "\(random.int(in: 0...10_000_000)).\(random.int(in: 10...99))"
            let run = try Inputs.allocate(settlement: rows.joined(separator: "\n"), fundTotal: fund, policy: policy)
            let money = run.scenarios[0].money
            let g = money.granularityFen
            #expect(BigInt.sum(money.components.map(\.money.allocatedFen)) == money.allocatedFen, "seed \(seed)")
            for (c, part) in money.components.enumerated() {
                #expect(BigInt.sum(part.money.amountsFen) == part.money.allocatedFen, "seed \(seed)")
                let ideal = Rational(money.allocatedFen) * Rational(BigInt(shares[c]), 100)
                #expect((ideal - Rational(part.money.allocatedFen)).absoluteValue < Rational(g), "seed \(seed)")
            }
            for i in 0..<n {
                #expect(money.amountFen(i) == BigInt.sum(money.components.map { $0.money.amountFen(i) }), "seed \(seed)")
            }
            let report = AllocationReport(run)
            let release = report.columns.firstIndex { $0.key == "release" }!
            for i in 0..<n {
                let expected = Rational.yuan(money.amountFen(i) - run.table.rows[i].advanceFen)
                #expect(report.cells(scenario: 0, county: i)[release] == expected, "seed \(seed)")
            }
        }
    }
}
