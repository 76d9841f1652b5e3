import BigInt
import Testing
@testable import TransferAlloc

/// The worked example of docs/worked-example.md, computed by hand there; every number of the
/// guide is asserted here.
@Suite struct WorkedExampleTests {
    let settlement: String
    let budget: String

    init() throws {
        settlement = try Inputs.file("docs/examples/worked/settlement.csv")
        budget = try Inputs.file("docs/examples/worked/budget.csv")
    }

    @Test func factorValuesAndShares() throws {
        let run = try Inputs.allocate(settlement: settlement, budget: budget)
        let f = run.factors
        // Rows are in file order: 丙县 110103, 甲县 110101, 乙县 110102.
        // settled: 1.2·cross + 1.0·within_province + 0.8·within_city + 0.8·prior_1 + 0.6·prior_2 + 0.4·prior_3
        #expect(f.values[.settled]! == [Rational(200), Rational(240), Rational(200)])
        #expect(f.values[.permits]! == [Rational(2500), Rational(1000), Rational(2500)])
        #expect(f.coefficientProducts == [Rational(1, 2), Rational(5, 4), Rational(1)])
        #expect(f.adjustedTotals[.settled] == Rational(600))
        #expect(f.adjustedTotals[.permits] == Rational(5000))
        #expect(f.factorShare(.settled, 1) == Rational(1, 2))
        #expect(f.share(0) == Rational(11, 60))
        #expect(f.share(1) == Rational(9, 20))
        #expect(f.share(2) == Rational(11, 30))
    }

    @Test func moneyWithReserveRatioAndAmount() throws {
        let run = try Inputs.allocate(settlement: settlement, budget: budget)
        for s in 0..<3 {
            let money = run.scenarios[s].money
            #expect(money.budgetFen == 1_000_000_000)
            #expect(money.reserveFen == 30_000_000)     // 3 % of 10,000,000 元 = 300,000 元 (or 30 万元)
            #expect(money.allocatedFen == 970_000_000)
            #expect(Inputs.amounts(run, scenario: s) == ["110101": "4365000.00", "110102": "3556666.67", "110103": "1778333.33"])
        }
        let split = run.scenarios[0].money.apportionment
        // 乙县: 355,666,666⅔ fen → fraction ⅔ ranks first and takes the one fen left.
        #expect(split.remainderRank == [2, nil, 1])
        #expect(split.receivedExtra == [false, false, true])
        #expect(run.scenarios[0].money.idealFen(2) == Rational(1_067_000_000, 3))
    }

    @Test func granularityOfOneYuanAndOneWan() throws {
        let yuan = try Inputs.allocate(settlement: settlement, budget: budget, set: ["money.granularity=1"])
        #expect(Inputs.amounts(yuan) == ["110101": "4365000.00", "110102": "3556667.00", "110103": "1778333.00"])
        // In 万元 units: 436.5, 355.67, 177.83 → whole 968 of 970; the two units left go to
        // .83 (丙县) and .67 (乙县).
        let wan = try Inputs.allocate(settlement: settlement, budget: budget, set: ["money.granularity=10000"])
        #expect(Inputs.amounts(wan) == ["110101": "4360000.00", "110102": "3560000.00", "110103": "1780000.00"])
    }

    @Test func bindingCapRedistributes() throws {
        // 甲县 has 150 current-year settlers: cap 25,000 元 each = 3,750,000 元 < 4,365,000.
        let run = try Inputs.allocate(settlement: settlement, budget: budget, set: ["money.bounds.cap_per_settler=25000"])
        #expect(Inputs.amounts(run) == ["110101": "3750000.00", "110102": "3966666.67", "110103": "1983333.33"])
        #expect(run.scenarios[0].money.apportionment.bound == [.none, .cap, .none])
    }

    @Test func bindingFloorTakesFromOthers() throws {
        // 丙县's ideal 1,778,333.33 is below the 2,000,000 floor; the other 7,700,000 元 split 27:22.
        let run = try Inputs.allocate(settlement: settlement, budget: budget, set: ["money.bounds.floor_amount=2000000"])
        #expect(Inputs.amounts(run) == ["110101": "4242857.14", "110102": "3457142.86", "110103": "2000000.00"])
        #expect(run.scenarios[0].money.apportionment.bound == [.floor, .none, .none])
        // λ·4,365,000 = 7,700,000·27/49  ⇒  λ = 7,700,000·60 / (49·9,700,000) = 4620/4753.
        #expect(run.scenarios[0].money.apportionment.lambda == Rational(4620, 4753))
    }

    @Test func infeasibleFloorIsAnError() throws {
        #expect {
            try Inputs.allocate(settlement: settlement, budget: budget, set: ["money.bounds.floor_amount=4000000"])
        } throws: { error in
            let e = error as? InputError
            return e?.file == "budget.csv" && e?.line == 2 && e?.problem.contains("12000000.00 元") == true
        }
    }

    @Test func landAboveAndBelowDemand() throws {
        let run = try Inputs.allocate(settlement: settlement, budget: budget)
        let demand = run.landDemand!
        // 150·50, 150·100, 170·80 m²; 1 亩 = 2000/3 m², one unit = 0.01 亩 = 20/3 m².
        #expect(demand.demandM2 == [Rational(7500), Rational(15000), Rational(13600)])
        #expect(demand.demandUnits == [Rational(1125), Rational(2250), Rational(2040)])
        #expect(Inputs.land(run, scenario: 0) == ["110101": "22.50", "110102": "20.40", "110103": "11.25"])
        #expect(run.scenarios[0].land!.unallocatedUnits == BigInt(10_000 - 5_415))
        // 30 亩 = 3000 units over demand 5415: 1246.54, 1130.19, 623.27 → the unit left to .54.
        #expect(Inputs.land(run, scenario: 1) == ["110101": "12.47", "110102": "11.30", "110103": "6.23"])
        #expect(run.scenarios[1].land!.unallocatedUnits == BigInt(0))
        // 2 公顷 = 20,000 m² = 30 亩 exactly.
        #expect(Inputs.land(run, scenario: 2) == Inputs.land(run, scenario: 1))
    }
}
