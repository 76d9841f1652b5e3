import BigInt
import Testing
@testable import TransferAlloc

/// Land demand (contract §4.1–4.3, docs/guides/LandDemand.md): persons = settlers +
/// permit_weight·permit holders, demand = persons·standard in m², and in precision units of the
/// policy's unit (10^−decimals of it).
@Suite struct LandDemandTests {
    static func table(_ text: String) throws -> SettlementTable {
        try SettlementTable.read(bytes: Array(text.utf8), file: "t.csv", coefficientColumns: [])
    }

    /// A: 96 m² → 100; B: 120 m² → 80; C: 200 m² → 50; D exempt.
    static let fourCounties = """
    code,settled,permit_holders,land_per_capita,land_exempt
    A,120,50,96,0
    B,30,10,120,0
    C,7,0,200,0
    D,40,5,90,1
    """

    @Test func demandInSquareMetresAndMuUnits() throws {
        let demand = try LandDemand(table: try Self.table(Self.fourCounties), policy: Policy.builtInDefault.land)
        #expect(demand.persons == [Rational(120), Rational(30), Rational(7), Rational(40)])
        #expect(demand.tierIndex == [0, 1, 2, nil])
        #expect(demand.standards == [Rational(100), Rational(80), Rational(50), .zero])
        // 120·100, 30·80, 7·50, exempt.
        #expect(demand.demandM2 == [Rational(12_000), Rational(2_400), Rational(350), .zero])
        // One unit = 0.01 亩 = 20/3 m²: 12,000·3/20 = 1,800; 2,400·3/20 = 360; 350·3/20 = 52.5.
        #expect(demand.precisionM2 == Rational(20, 3))
        #expect(demand.demandUnits == [Rational(1_800), Rational(360), Rational(105, 2), .zero])
        #expect(demand.totalUnits == Rational(4_425, 2))   // 2,212.5
    }

    /// permit_weight 0.5: A 120 + 25 = 145 persons → 14,500 m²; B 30 + 5 = 35 → 2,800 m²;
    /// D 40 + 2.5 persons, still exempt.
    @Test func permitHoldersCountWithTheirWeight() throws {
        var land = Policy.builtInDefault.land
        land.permitWeight = Rational(1, 2)
        let demand = try LandDemand(table: try Self.table(Self.fourCounties), policy: land)
        #expect(demand.persons == [Rational(145), Rational(35), Rational(7), Rational(85, 2)])
        #expect(demand.demandM2 == [Rational(14_500), Rational(2_800), Rational(350), .zero])
        #expect(demand.demandUnits == [Rational(2_175), Rational(420), Rational(105, 2), .zero])
    }

    @Test(arguments: [
        // (unit, decimals, one precision unit in m², A's 12,000 m² in units)
        (LandUnit.mu, 0, Rational(2_000, 3), Rational(18)),
        (LandUnit.mu, 2, Rational(20, 3), Rational(1_800)),
        (LandUnit.hectare, 4, Rational(1), Rational(12_000)),
        (LandUnit.hectare, 2, Rational(100), Rational(120)),
        (LandUnit.m2, 0, Rational(1), Rational(12_000)),
        (LandUnit.m2, 1, Rational(1, 10), Rational(120_000)),
    ])
    func precisionUnits(unit: LandUnit, decimals: Int, precision: Rational, unitsOfA: Rational) throws {
        var land = Policy.builtInDefault.land
        land.unit = unit
        land.decimals = decimals
        let demand = try LandDemand(table: try Self.table(Self.fourCounties), policy: land)
        #expect(demand.precisionM2 == precision, "\(unit) \(decimals)")
        #expect(demand.demandUnits[0] == unitsOfA, "\(unit) \(decimals)")
    }

    /// A county without persons needs no land_per_capita: no tier, no standard, no demand.
    @Test func noPersonsNoStandard() throws {
        let demand = try LandDemand(table: try Self.table("code,settled,land_per_capita,land_exempt\nA,10,96,0\nB,0,,0\n"),
                                    policy: Policy.builtInDefault.land)
        #expect(demand.tierIndex == [0, nil] && demand.standards == [Rational(100), nil])
        #expect(demand.demandM2 == [Rational(1_000), .zero])
    }

    @Test func aboveTheLastTierNamesTheCell() throws {
        var land = Policy.builtInDefault.land
        land.tiers = [LandTier(upTo: Rational(100), standard: Rational(100)), LandTier(upTo: Rational(150), standard: Rational(80))]
        let error = try #require(throws: InputError.self) {
            try LandDemand(table: try Self.table(Self.fourCounties), policy: land)
        }
        #expect(error.file == "t.csv" && error.line == 4 && error.column == "4 (land_per_capita)" && error.value == "200")
        #expect(error.problem == "is above the last tier's up_to (150 m²) of land.tiers")
    }

    @Test func emptyPerCapitaWithPersonsNamesTheCounty() throws {
        let error = try #require(throws: InputError.self) {
            try LandDemand(table: try Self.table("code,settled,land_per_capita,land_exempt\nA,10,96,0\nB,3,,0\n"),
                           policy: Policy.builtInDefault.land)
        }
        #expect(error.line == 3 && error.column == "3 (land_per_capita)" && error.value == "")
        #expect(error.problem == "is empty for county B, which has 3 persons for land")
    }

    @Test func missingColumns() throws {
        let noPerCapita = try #require(throws: InputError.self) {
            try LandDemand(table: try Self.table("code,settled,land_exempt\nA,10,0\n"), policy: Policy.builtInDefault.land)
        }
        #expect(noPerCapita.line == 1 && noPerCapita.column == "land_per_capita")
        #expect(noPerCapita.problem.contains("county A on line 2 has 10 persons for land"))
        var land = Policy.builtInDefault.land
        land.permitWeight = Rational(1, 10)
        let noPermits = try #require(throws: InputError.self) {
            try LandDemand(table: try Self.table("code,settled,land_per_capita\nA,10,96\n"), policy: land)
        }
        #expect(noPermits.column == "permit_holders" && noPermits.problem == "is missing, but land.permit_weight is 0.1")
    }

    /// `problems` lists every bad row, in table order (for `validate`).
    @Test func problemsListsEveryRow() throws {
        var land = Policy.builtInDefault.land
        land.tiers = [LandTier(upTo: Rational(150), standard: Rational(80))]
        let problems = LandDemand.problems(table: try Self.table("code,settled,land_per_capita\nA,1,200\nB,1,\nC,1,90\nD,1,151\n"),
                                           policy: land)
        #expect(problems.map(\.line) == [2, 3, 5])
    }
}
