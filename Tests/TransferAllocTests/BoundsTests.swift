import BigInt
import Testing
@testable import TransferAlloc

/// The bounds of the money split (contract §3.4, docs/guides/Bounds.md): each term, L and U,
/// snapping inward to the granularity (L up, U down) and the messages for bounds no split meets.
@Suite struct BoundsTests {
    static let weights = "money.weights={\"settled\": \"1\", \"permits\": \"0\"}"

    @Test func boundsSnapInwardToWholeYuan() throws {
        // g = 1 元: min 100.50 → L = 101 元; max 600.99 → U = 600 元. Fund 701 元: ideals 70.1
        // and 630.9; A is lifted to its floor 101, B held at its cap 600 (101 + 600 = 701).
        let settlement = "code,settled,min_amount,max_amount\nA,1,100.50,\nB,9,,600.99\n"
        let run = try Inputs.allocate(settlement: settlement, fundTotal: "701",
                                      set: [Self.weights, "money.granularity=1"])
        let money = run.scenarios[0].money
        #expect(money.lowerFen == [10_100, 0])
        #expect(money.upperFen == [nil, 60_000])
        #expect(Inputs.amounts(run) == ["A": "101.00", "B": "600.00"])
    }

    @Test func snappingCanMakeBoundsCross() throws {
        // 5.004 snaps up to 5.01 and 5.006 down to 5.00 at g = 0.01 元.
        let settlement = "code,settled,min_amount,max_amount\nA,1,5.004,5.006\nB,1,,\n"
        #expect {
            try Inputs.allocate(settlement: settlement, fundTotal: "100", set: [Self.weights])
        } throws: { error in
            (error as? InputError)?.problem.contains("has a lower bound of 5.01 元 above its upper bound of 5.00 元") == true
        }
    }

    static func table(_ text: String) throws -> SettlementTable {
        try SettlementTable.read(bytes: Array(text.utf8), file: "t.csv", coefficientColumns: [])
    }

    /// floor 1,000 元, min_retention 0.9, max_growth 0.1, cap 500 元 per settler.
    static let allBounds = MoneyBounds(floorAmount: Rational(1000), maxGrowth: Rational(1, 10),
                                       minRetention: Rational(9, 10), capPerSettler: Rational(500))

    struct TermCase: Sendable, CustomTestStringConvertible {
        let name: String
        let row: String
        /// Each term's rule and amount in fen, in order.
        let lower: [(BoundTerm.Rule, Rational)]
        let upper: [(BoundTerm.Rule, Rational)]
        var testDescription: String { name }
    }

    static let termCases: [TermCase] = [
        // prev 2,000 元: retention 2,000·0.9 = 1,800 元, growth 2,000·1.1 = 2,200 元; cap 500·10.
        TermCase(name: "every term", row: "A,10,2000,1500,3000",
                 lower: [(.floorAmount, Rational(100_000)), (.minRetention, Rational(180_000)), (.minAmount, Rational(150_000))],
                 upper: [(.maxGrowth, Rational(220_000)), (.capPerSettler, Rational(500_000)), (.maxAmount, Rational(300_000))]),
        // No prev_amount: neither prev term.
        TermCase(name: "no prev_amount", row: "B,4,,,",
                 lower: [(.floorAmount, Rational(100_000))], upper: [(.capPerSettler, Rational(200_000))]),
        // prev_amount 0 is not > 0: neither prev term either.
        TermCase(name: "prev_amount 0", row: "C,3,0,,",
                 lower: [(.floorAmount, Rational(100_000))], upper: [(.capPerSettler, Rational(150_000))]),
        // prev 1,999.99 元 = 199,999 fen: ·0.9 = 179,999.1 fen and ·1.1 = 219,998.9 fen, kept exact;
        // no settlers: a cap of 0.
        TermCase(name: "prev terms in fractions of a fen", row: "D,0,1999.99,,",
                 lower: [(.floorAmount, Rational(100_000)), (.minRetention, Rational(1_799_991, 10))],
                 upper: [(.maxGrowth, Rational(2_199_989, 10)), (.capPerSettler, .zero)]),
    ]

    @Test(arguments: termCases)
    func boundTerms(_ c: TermCase) throws {
        let table = try BoundsTests.table("code,settled,prev_amount,min_amount,max_amount\n" + c.row + "\n")
        var money = Policy.builtInDefault.money
        money.bounds = BoundsTests.allBounds
        let terms = MoneyAllocation.boundTerms(row: table.rows[0], policy: money)
        #expect(terms.lower.map(\.rule) == c.lower.map(\.0), "\(c.name): lower rules")
        #expect(terms.lower.map(\.fen) == c.lower.map(\.1), "\(c.name): lower amounts")
        #expect(terms.upper.map(\.rule) == c.upper.map(\.0), "\(c.name): upper rules")
        #expect(terms.upper.map(\.fen) == c.upper.map(\.1), "\(c.name): upper amounts")
    }

    /// L is the largest lower term, U the smallest upper one (nil when none applies).
    @Test func lowerAndUpperOfTheTerms() throws {
        let table = try BoundsTests.table("code,settled,prev_amount,min_amount,max_amount\nA,10,2000,1500,3000\nB,4,,,\nC,1,,,\n")
        var money = Policy.builtInDefault.money
        money.bounds = BoundsTests.allBounds
        let (lower, upper) = MoneyAllocation.bounds(table: table, policy: money)
        // A: max(1,000, 1,800, 1,500) = 1,800 元; min(2,200, 5,000, 3,000) = 2,200 元.
        // B: 1,000 and 4·500 = 2,000 元. C: 1,000 and 500 元 (U below L: infeasible later, not here).
        #expect(lower == [Rational(180_000), Rational(100_000), Rational(100_000)])
        #expect(upper == [Rational(220_000), Rational(200_000), Rational(50_000)])
        money.bounds = MoneyBounds()
        #expect(MoneyAllocation.bounds(table: table, policy: money).upper == [Rational(300_000), nil, nil])
    }

    struct SnapCase: Sendable, CustomTestStringConvertible {
        let name: String
        let granularity: String
        let bounds: MoneyBounds
        let row: String
        let lowerUnits: BigInt
        let upperUnits: BigInt?
        var testDescription: String { name }
    }

    static let snapCases: [SnapCase] = [
        // g = 1 元: min 100.50 元 = 100.5 units → 101; max 600.99 元 = 600.99 → 600.
        SnapCase(name: "whole yuan, both snap", granularity: "1", bounds: MoneyBounds(), row: "A,1,,100.50,600.99",
                 lowerUnits: 101, upperUnits: 600),
        // Already whole: unchanged.
        SnapCase(name: "whole yuan, already whole", granularity: "1", bounds: MoneyBounds(), row: "A,1,,100.00,600.00",
                 lowerUnits: 100, upperUnits: 600),
        // g = 0.01 元 (1 fen): floor 10.005 元 = 1,000.5 fen → 1,001.
        SnapCase(name: "fen, floor of half a fen", granularity: "0.01", bounds: MoneyBounds(floorAmount: Rational(10_005, 1000)),
                 row: "A,1,,,", lowerUnits: 1_001, upperUnits: nil),
        // g = 10 元 = 1,000 fen, prev 1,999 元: 0.9 → 1,799.1 元 = 179.91 units → 180;
        // 1.1 → 2,198.9 元 = 219.89 units → 219.
        SnapCase(name: "ten yuan, prev terms", granularity: "10",
                 bounds: MoneyBounds(maxGrowth: Rational(1, 10), minRetention: Rational(9, 10)),
                 row: "A,1,1999,,", lowerUnits: 180, upperUnits: 219),
        // prev 2,000 元 at g = 10 元: 180 and 220 units exactly.
        SnapCase(name: "ten yuan, exact prev terms", granularity: "10",
                 bounds: MoneyBounds(maxGrowth: Rational(1, 10), minRetention: Rational(9, 10)),
                 row: "A,1,2000,,", lowerUnits: 180, upperUnits: 220),
        // g = 1 万元 = 10^6 fen: cap 3,333 元 × 7 settlers = 23,331 元 → 2.3331 → 2 units; floor 5,001 元 → 1 unit.
        SnapCase(name: "wan, cap per settler", granularity: "10000",
                 bounds: MoneyBounds(floorAmount: Rational(5001), capPerSettler: Rational(3333)),
                 row: "A,7,,,", lowerUnits: 1, upperUnits: 2),
    ]

    @Test(arguments: snapCases)
    func snapping(_ c: SnapCase) throws {
        let table = try BoundsTests.table("code,settled,prev_amount,min_amount,max_amount\n" + c.row + "\n")
        var money = Policy.builtInDefault.money
        money.granularity = try NumberCell.parse(c.granularity).get().rational
        money.bounds = c.bounds
        let units = MoneyAllocation.boundUnits(table: table, policy: money)
        #expect(units.lower == [c.lowerUnits], "\(c.name): L")
        #expect(units.upper == [c.upperUnits], "\(c.name): U")
    }

    // MARK: Bounds no split can meet, through the library

    static let budget = "scenario,fund_total\nb,1000\n"

    @Test func lowerAboveUpperNamesTheCounty() throws {
        // floor 300 元 above B's max 200 元 on line 3.
        let error = try #require(throws: InputError.self) {
            try Inputs.allocate(settlement: "code,settled,max_amount\nA,1,\nB,1,200\n",
                                budget: Self.budget, set: [Self.weights, "money.bounds.floor_amount=300"])
        }
        #expect(error.file == "settlement.csv" && error.line == 3 && error.column == "code" && error.value == "B")
        #expect(error.problem == "has a lower bound of 300.00 元 above its upper bound of 200.00 元 (after rounding the bounds to the granularity; scenario b)")
    }

    @Test func lowerBoundsAboveTheFund() throws {
        // Two floors of 600 元 need 1,200 元; the fund is 1,000 元.
        let error = try #require(throws: InputError.self) {
            try Inputs.allocate(settlement: "code,settled\nA,1\nB,1\n", budget: Self.budget,
                                set: [Self.weights, "money.bounds.floor_amount=600"])
        }
        #expect(error.file == "budget.csv" && error.line == 2 && error.column == "fund_total")
        #expect(error.problem == "leaves 1000.00 元 to allocate in scenario b, less than the 1200.00 元 the counties' lower bounds need")
    }

    @Test func upperBoundsBelowTheFund() throws {
        // Caps of 300 元 and 250.50 元 allow 550.50 元 of the 1,000 元.
        let error = try #require(throws: InputError.self) {
            try Inputs.allocate(settlement: "code,settled,max_amount\nA,1,300\nB,1,250.50\n", budget: Self.budget, set: [Self.weights])
        }
        #expect(error.file == "budget.csv" && error.line == 2 && error.column == "fund_total")
        #expect(error.problem == "leaves 1000.00 元 to allocate in scenario b, more than the 550.50 元 the counties' upper bounds allow")
    }

    /// A county without an upper bound can take any amount: no upper-bound error then.
    @Test func oneUnboundedCountyTakesTheRest() throws {
        let run = try Inputs.allocate(settlement: "code,settled,max_amount\nA,1,300\nB,1,\n", budget: Self.budget, set: [Self.weights])
        #expect(Inputs.amounts(run) == ["A": "300.00", "B": "700.00"])
        #expect(run.scenarios[0].money.apportionment.bound == [.cap, .none])
    }
}
