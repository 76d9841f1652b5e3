import BigInt
import Testing
@testable import TransferAlloc

/// The land quota split (contract §4.4, docs/guides/LandSplit.md): with a quota Q, T = min(Q, ⌈D⌉)
/// precision units are split by largest remainder in proportion to the demands D_i and Q − T is
/// left unallocated; without a quota each county gets its demand rounded half up.
@Suite struct LandSplitTests {
    /// Demands in 0.01 亩 units (see LandDemandTests): A 1,800, B 360, C 52.5; D = 2,212.5.
    static let threeCounties = "code,settled,land_per_capita\nA,120,96\nB,30,120\nC,7,200\n"

    static func split(_ settlement: String, land: LandPolicy = Policy.builtInDefault.land,
                      quota: Rational?, unit: LandUnit? = nil) throws -> LandAllocation {
        let table = try SettlementTable.read(bytes: Array(settlement.utf8), file: "t.csv", coefficientColumns: [])
        let demand = try LandDemand(table: table, policy: land)
        let scenario = Scenario(name: "s", fundFen: 100, landQuota: quota, landUnit: unit)
        return try LandAllocation(demand: demand, policy: land, scenario: scenario,
                                  tieOrder: LargestRemainder.tieOrder(codes: table.rows.map(\.code)))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let quota: Rational
        let unit: LandUnit?
        let units: [BigInt]
        let allocated: BigInt
        let unallocated: BigInt
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // Q = 30 亩 = 3,000 units > ⌈2,212.5⌉ = 2,213 = T. Quotas 2,213·D_i/2,212.5 = D_i·4,426/4,425:
        // 1,800.407, 360.081, 52.512 → floors 2,212; the unit left goes to C (.512).
        Case(name: "quota above demand", quota: Rational(30), unit: nil, units: [1_800, 360, 53],
             allocated: 2_213, unallocated: 787),
        // Q = 10 亩 = 1,000 units: 1,000·D_i/2,212.5 = 3,600,000/4,425 = 813.559, 720,000/4,425 = 162.712,
        // 105,000/4,425 = 23.729 → floors 998; the two units left go to C (.729) and B (.712).
        Case(name: "quota below demand", quota: Rational(10), unit: nil, units: [813, 163, 24],
             allocated: 1_000, unallocated: 0),
        // 1 公顷 = 10,000 m² = 1,500 units: 5,400,000/4,425 = 1,220.339, 1,080,000/4,425 = 244.068,
        // 157,500/4,425 = 35.593 → floors 1,499; the unit left goes to C.
        Case(name: "quota in hectares", quota: Rational(1), unit: .hectare, units: [1_220, 244, 36],
             allocated: 1_500, unallocated: 0),
        // Q = 22.13 亩 = ⌈D⌉ exactly: T = Q, nothing unallocated.
        Case(name: "quota equal to the rounded-up demand", quota: Rational(2_213, 100), unit: nil, units: [1_800, 360, 53],
             allocated: 2_213, unallocated: 0),
    ]

    @Test(arguments: cases)
    func quotaSplit(_ c: Case) throws {
        let land = try Self.split(Self.threeCounties, quota: c.quota, unit: c.unit)
        #expect(land.units == c.units, "\(c.name): units")
        #expect(land.allocatedUnits == c.allocated && land.unallocatedUnits == c.unallocated, "\(c.name): T and Q − T")
        #expect(land.quotaUnits == c.allocated + c.unallocated, "\(c.name): Q")
        #expect(c.units.reduce(0, +) == c.allocated, "\(c.name): case")
    }

    /// Without a quota, demand rounded half up: 1,800, 360, 52.5 → 53; in whole 亩 (decimals 0):
    /// 18, 3.6 → 4, 0.525 → 1.
    @Test func withoutQuotaDemandRoundsHalfUp() throws {
        let land = try Self.split(Self.threeCounties, quota: nil)
        #expect(land.units == [1_800, 360, 53])
        #expect(land.quotaUnits == nil && land.allocatedUnits == nil && land.unallocatedUnits == nil && land.apportionment == nil)
        #expect(land.units.map(land.text) == ["18.00", "3.60", "0.53"])
        var whole = Policy.builtInDefault.land
        whole.decimals = 0
        #expect(try Self.split(Self.threeCounties, land: whole, quota: nil).units == [18, 4, 1])
    }

    /// Half up at the boundary, in whole 公顷: 100·50 = 5,000 m² = 0.5 → 1; 98·50 = 4,900 m² =
    /// 0.49 → 0; 15,000 m² = 1.5 → 2; 251·100 = 25,100 m² = 2.51 → 3.
    @Test func halfUpAtTheBoundary() throws {
        var hectares = Policy.builtInDefault.land
        hectares.unit = .hectare
        hectares.decimals = 0
        let land = try Self.split("code,settled,land_per_capita\nP,100,200\nQ,98,200\nR,300,200\nS,251,96\n",
                                  land: hectares, quota: nil)
        #expect(land.units == [1, 0, 2, 3])
    }

    /// Nothing demanded: T = 0 and the whole quota stays unallocated.
    @Test func noDemandLeavesTheQuota() throws {
        let land = try Self.split("code,settled,land_per_capita,land_exempt\nA,10,90,1\nB,0,,0\n", quota: Rational(5))
        #expect(land.units == [0, 0])
        #expect(land.allocatedUnits == 0 && land.unallocatedUnits == 500)
    }

    /// A quota finer than the precision unit is an error at its cell.
    @Test func quotaFinerThanThePrecisionIsAnError() throws {
        let error = try #require(throws: InputError.self) {
            try Inputs.allocate(settlement: Self.threeCounties, budget: "scenario,fund_total,land_quota\nb,100,0.001\n",
                                set: ["money.weights.settled=1", "money.weights.permits=0"])
        }
        #expect(error.file == "budget.csv" && error.line == 2 && error.column == "3 (land_quota)")
        #expect(error.problem == "is not a whole number of 0.01 亩 once converted from 亩 (land.decimals = 2)")
    }
}
