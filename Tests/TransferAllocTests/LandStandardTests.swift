import BigInt
import Testing
@testable import TransferAlloc

/// The per-capita land standard (contract §4.1–4.2, docs/guides/LandStandard.md): the first tier,
/// in the order given, whose up_to is at least the county's per-capita land; its standard times
/// (1 + adjustment); 0 for an exempt county.
@Suite struct LandStandardTests {
    /// The default tiers: ≤ 100 m² → 100, ≤ 150 m² → 80, else 50.
    static let land = Policy.builtInDefault.land

    static func tier(_ upTo: Int?, _ standard: Int) -> LandTier {
        LandTier(upTo: upTo.map { Rational(BigInt($0)) }, standard: Rational(BigInt(standard)))
    }

    @Test(arguments: [
        ("0", 0), ("99.99", 0), ("100", 0),           // up_to is inclusive
        ("100.01", 1), ("120", 1), ("150", 1),
        ("150.0001", 2), ("10000", 2),               // the last tier has no up_to
    ])
    func defaultTiers(perCapita: String, expected: Int) throws {
        let value = try NumberCell.parse(perCapita).get().rational
        #expect(LandStandard.tier(perCapita: value, policy: Self.land) == expected, "\(perCapita) m²")
    }

    /// With an up_to on the last tier, a value above it has no tier; one equal to it has.
    @Test func aboveTheLastTierIsNil() {
        var land = Self.land
        land.tiers = [Self.tier(100, 100), Self.tier(150, 80), Self.tier(200, 50)]
        #expect(LandStandard.tier(perCapita: Rational(200), policy: land) == 2)
        #expect(LandStandard.tier(perCapita: Rational(20_001, 100), policy: land) == nil)
    }

    /// Tiers are tried in the order written, not sorted: with ≤ 150 first, 90 m² takes 80.
    @Test func tiersAreTriedInOrder() {
        var land = Self.land
        land.tiers = [Self.tier(150, 80), Self.tier(100, 100), Self.tier(nil, 50)]
        #expect(LandStandard.tier(perCapita: Rational(90), policy: land) == 0)
        #expect(LandStandard.standard(tier: 0, policy: land) == Rational(80))
        #expect(LandStandard.tier(perCapita: Rational(151), policy: land) == 2)
    }

    @Test(arguments: [
        // (adjustment, standards of the three default tiers)
        (Rational.zero, [Rational(100), Rational(80), Rational(50)]),
        (Rational(1, 10), [Rational(110), Rational(88), Rational(55)]),           // +10 %
        (Rational(-1, 10), [Rational(90), Rational(72), Rational(45)]),           // −10 %
        (Rational(1, 20), [Rational(105), Rational(84), Rational(105, 2)]),       // 50·1.05 = 52.5
    ])
    func adjustment(adjustment: Rational, standards: [Rational]) {
        var land = Self.land
        land.adjustment = adjustment
        #expect((0..<3).map { LandStandard.standard(tier: $0, policy: land) } == standards, "adjustment \(adjustment.plainText)")
    }

    /// An exempt county's standard is 0 whatever its tier and the adjustment.
    @Test func exemptCountyHasStandardZero() throws {
        #expect(LandStandard.exempt == .zero)
        var land = Self.land
        land.adjustment = Rational(1, 10)
        let table = try SettlementTable.read(bytes: Array("code,settled,land_per_capita,land_exempt\nA,10,90,1\nB,10,90,0\n".utf8),
                                             file: "t.csv", coefficientColumns: [])
        let demand = try LandDemand(table: table, policy: land)
        #expect(demand.standards == [.zero, Rational(110)])
        #expect(demand.tierIndex == [nil, 0])
        #expect(demand.demandM2 == [.zero, Rational(1_100)])
    }
}
