import BigInt
import Testing
@testable import TransferAlloc

/// The worked examples of docs/guides/, computed by hand there: every amount, bound, λ and land
/// quota a guide shows is asserted here, from the same files under docs/examples/guides/.
@Suite struct GuideExamplesTests {
    static let settledOnly = ["money.weights.settled=1", "money.weights.permits=0", "money.coefficient_columns=[]"]

    static func file(_ name: String) throws -> String { try Inputs.file("docs/examples/guides/\(name)") }

    @Test func budget() throws {
        let run = try Inputs.allocate(settlement: try Self.file("two-counties.csv"), budget: try Self.file("budget-reserve.csv"),
                                      set: ["money.granularity=1"])
        let money = run.scenarios.map(\.money)
        #expect(money.map(\.budgetFen) == [1_000_000_000, 1_000_000_000, 100_000, 123_456])
        #expect(money.map(\.reserveFen) == [30_000_000, 30_000_000, 33_300, 56])
        #expect(money.map(\.allocatedFen) == [970_000_000, 970_000_000, 66_700, 123_400])
        #expect(Inputs.amounts(run, scenario: 0) == ["110101": "6305000.00", "110102": "3395000.00"])
        #expect(Inputs.amounts(run, scenario: 2) == ["110101": "434.00", "110102": "233.00"])
        #expect(Inputs.amounts(run, scenario: 3) == ["110101": "802.00", "110102": "432.00"])
        #expect(run.factors.share(0) == Rational(13, 20) && run.factors.share(1) == Rational(7, 20))
    }

    @Test func factorValues() throws {
        let run = try Inputs.allocate(settlement: try Self.file("factor-values.csv"), fundTotal: "100000",
                                      set: ["money.coefficient_columns=[\"fiscal_coef\",\"remote_coef\"]"])
        let f = run.factors
        #expect(f.values[.settled]! == [Rational(63), Rational(52)])
        #expect(f.coefficientProducts == [Rational(9, 8), Rational(1)])
        #expect(f.adjusted(.settled, 0) == Rational(567, 8))      // 70.875
        #expect(f.adjustedTotals[.settled] == Rational(983, 8))   // 122.875
        #expect(f.adjusted(.permits, 0) == Rational(450) && f.adjustedTotals[.permits] == Rational(1050))
        #expect(f.share(0) == Rational(3765, 6881))
    }

    @Test func shares() throws {
        let worked = try Inputs.file("docs/examples/worked/settlement.csv")
        let run = try Inputs.allocate(settlement: worked, fundTotal: "9700000", set: ["money.weights.settled=1", "money.weights.permits=0"])
        #expect((0..<3).map { run.factors.share($0) } == [Rational(1, 6), Rational(1, 2), Rational(1, 3)])
        #expect(!AllocationReport(run).csv(excel: false).contains("permits_factor"))
    }

    static let boundsPolicy = settledOnly + [
        "money.granularity=100", "money.bounds.floor_amount=100000", "money.bounds.min_retention=0.9",
        "money.bounds.max_growth=0.1", "money.bounds.cap_per_settler=15000",
    ]

    @Test func boundsAndTheirScale() throws {
        let run = try Inputs.allocate(settlement: try Self.file("bounds.csv"), fundTotal: "5000000", set: Self.boundsPolicy)
        let money = run.scenarios[0].money
        #expect(money.lowerFen == [90_010_000, 25_010_000, 10_000_000])
        #expect(money.upperFen == [110_000_000, 200_000_000, 450_000_000])
        #expect(Inputs.amounts(run) == ["110101": "900100.00", "110102": "1640000.00", "110103": "2459900.00"])
        #expect(money.apportionment.bound == [.floor, .none, .none])
        #expect(money.apportionment.lambda == Rational(122_997, 125_000))
        #expect {
            try Inputs.allocate(settlement: try Self.file("bounds.csv"), fundTotal: "1000000", set: Self.boundsPolicy)
        } throws: { error in
            (error as? InputError)?.problem.contains("less than the 1250200.00 元 the counties' lower bounds need") == true
        }
    }

    @Test func smallestScaleWhenEveryCountyIsCapped() throws {
        let run = try Inputs.allocate(settlement: try Self.file("all-capped.csv"), fundTotal: "100",
                                      set: Self.settledOnly + ["money.granularity=1"])
        #expect(Inputs.amounts(run) == ["110101": "50.00", "110102": "50.00"])
        #expect(run.scenarios[0].money.apportionment.bound == [.cap, .none])
        #expect(run.scenarios[0].money.apportionment.lambda == Rational(5, 4))
    }

    @Test func largestRemainderTies() throws {
        let codes = try Self.file("tie-codes.csv")
        #expect(Inputs.amounts(try Inputs.allocate(settlement: codes, fundTotal: "1.00", set: Self.settledOnly))
                == ["9": "0.33", "100": "0.33", "10": "0.34"])
        #expect(Inputs.amounts(try Inputs.allocate(settlement: codes, fundTotal: "0.02", set: Self.settledOnly))
                == ["9": "0.00", "100": "0.01", "10": "0.01"])
        let seven = try Inputs.allocate(settlement: try Self.file("seven-counties.csv"), fundTotal: "1000000", set: Self.settledOnly)
        let amounts = Inputs.amounts(seven)
        #expect(amounts.filter { $0.value == "142857.15" }.keys.sorted() == ["110101", "110102"])
        #expect(amounts.filter { $0.value == "142857.14" }.count == 5)
    }

    @Test func landStandardAndDemand() throws {
        let land = try Self.file("land.csv")
        let run = try Inputs.allocate(settlement: land, fundTotal: "100000", set: Self.settledOnly)
        let demand = try #require(run.landDemand)
        #expect(demand.standards == [100, 100, 80, 80, 50, 0].map { Rational(BigInt($0)) })
        #expect(demand.demandM2 == [12_000, 15_000, 7_200, 4_800, 1_500, 0].map { Rational(BigInt($0)) })
        #expect(demand.precisionM2 == Rational(20, 3))
        #expect(demand.demandUnits == [1_800, 2_250, 1_080, 720, 225, 0].map { Rational(BigInt($0)) })
        #expect(Inputs.land(run) == ["320501": "18.00", "320502": "22.50", "320503": "10.80", "320504": "7.20",
                                     "320505": "2.25", "320506": "0.00"])
        let adjusted = try Inputs.allocate(settlement: land, fundTotal: "100000", set: Self.settledOnly + ["land.adjustment=0.1"])
        #expect(adjusted.landDemand!.standards == [110, 110, 88, 88, 55, 0].map { Rational(BigInt($0)) })
        #expect(adjusted.landDemand!.totalUnits == Rational(13_365, 2))   // 6,682.5
        #expect(Inputs.land(adjusted)["320505"] == "2.48")                // 247.5 units, half up
        let permits = try Inputs.allocate(settlement: land, fundTotal: "100000", set: Self.settledOnly + ["land.permit_weight=0.1"])
        #expect(permits.landDemand!.demandM2 == [18_000, 15_000, 9_600, 4_800, 6_000, 0].map { Rational(BigInt($0)) })
    }

    @Test func landSplit() throws {
        let land = try Self.file("land.csv"), budget = try Self.file("land-budget.csv")
        let run = try Inputs.allocate(settlement: land, budget: budget, set: Self.settledOnly)
        #expect(Inputs.land(run, scenario: 0) == ["320501": "11.85", "320502": "14.82", "320503": "7.11", "320504": "4.74",
                                                  "320505": "1.48", "320506": "0.00"])
        #expect(run.scenarios[0].land!.unallocatedUnits == 0)
        #expect(Inputs.land(run, scenario: 1) == ["320501": "18.00", "320502": "22.50", "320503": "10.80", "320504": "7.20",
                                                  "320505": "2.25", "320506": "0.00"])
        #expect(run.scenarios[1].land!.unallocatedUnits == 3_925)
        #expect(Inputs.land(run, scenario: 2) == ["320501": "8.89", "320502": "11.11", "320503": "5.33", "320504": "3.56",
                                                  "320505": "1.11", "320506": "0.00"])
        let adjusted = try Inputs.allocate(settlement: land, budget: budget, set: Self.settledOnly + ["land.adjustment=0.1"])
        #expect(Inputs.land(adjusted, scenario: 1) == ["320501": "19.80", "320502": "24.75", "320503": "11.88", "320504": "7.92",
                                                       "320505": "2.48", "320506": "0.00"])
        #expect(adjusted.scenarios[1].land!.allocatedUnits == 6_683 && adjusted.scenarios[1].land!.unallocatedUnits == 3_317)
    }
}
