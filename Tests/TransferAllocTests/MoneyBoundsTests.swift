import BigInt
import Testing
@testable import TransferAlloc

/// `MoneyAllocation.bounds` (the allocation's fast loop) and `boundTerms` (what `explain`
/// prints) give the same L_i and U_i, and the snapped units are ⌈L/g⌉ and ⌊U/g⌋.
@Suite struct MoneyBoundsTests {
    static func decimal(_ random: inout SeededRandom, upTo limit: Int, places: Int) -> Rational {
        Rational(BigInt(random.int(in: 0...limit)), Rational.powerOfTen(places))
    }

    static func row(_ random: inout SeededRandom, line: Int) -> SettlementRow {
        func maybe(_ value: Rational) -> Rational? { random.int(in: 0...3) == 0 ? nil : value }
        let prev = maybe(decimal(&random, upTo: 900_000_000, places: random.int(in: 0...3)))
        let minimum = maybe(decimal(&random, upTo: 2_000_000, places: 2))
        let maximum = maybe(decimal(&random, upTo: 900_000_000, places: 2))
        return SettlementRow(line: line, code: "c\(line)", name: "", parent: "",
                             origins: [.crossProvince: BigInt(random.int(in: 0...5000)), .withinCity: BigInt(random.int(in: 0...5000))],
                             settledCell: nil, priors: [], permitHolders: 0, coefficients: [:],
                             prevAmount: prev, minAmount: minimum, maxAmount: maximum, landPerCapita: nil, landExempt: false)
    }

    @Test(arguments: 1...25)
    func fastBoundsEqualTheTermsExplainPrints(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var money = Policy.builtInDefault.money
        func maybe(_ value: Rational) -> Rational? { random.int(in: 0...2) == 0 ? nil : value }
        money.bounds = MoneyBounds(floorAmount: Self.decimal(&random, upTo: 1_000_000, places: 3),
                                   maxGrowth: maybe(Self.decimal(&random, upTo: 500, places: 3) - Rational(1, 10)),
                                   minRetention: maybe(Self.decimal(&random, upTo: 1000, places: 3)),
                                   capPerSettler: maybe(Self.decimal(&random, upTo: 100_000, places: 2)))
        money.granularity = [Rational(1, 100), Rational(1), Rational(10_000)][random.int(in: 0...2)]
        let rows = (1...40).map { Self.row(&random, line: $0 + 1) }
        let table = SettlementTable(file: "t.csv", encoding: .utf8, rows: rows, originKinds: [.crossProvince, .withinCity],
                                    priorYears: 0, hasPermitHolders: false, hasPrevAmount: true, hasLandPerCapita: false,
                                    hasLandExempt: false, missingCoefficientColumns: [], unknownHeaders: [])
        let (lower, upper) = MoneyAllocation.bounds(table: table, policy: money)
        let (lowerUnits, upperUnits) = MoneyAllocation.boundUnits(table: table, policy: money)
        let g = Rational(money.granularityFen)
        for (i, row) in rows.enumerated() {
            let terms = MoneyAllocation.boundTerms(row: row, policy: money)
            #expect(lower[i] == terms.lower.map(\.fen).max()!)
            #expect(upper[i] == terms.upper.map(\.fen).min())
            #expect(lowerUnits[i] == (lower[i] / g).ceiling)
            #expect(upperUnits[i] == upper[i].map { ($0 / g).floor })
        }
    }

    @Test func quotientRoundingExamples() {
        #expect(Rational(BigInt(2001), BigInt(2)).ceilingOfQuotient(by: 1) == 1001)
        #expect(Rational(BigInt(2001), BigInt(2)).floorOfQuotient(by: 1) == 1000)
        #expect(Rational(BigInt(2000), BigInt(1)).ceilingOfQuotient(by: 100) == 20)
        #expect(Rational(BigInt(2001), BigInt(1)).ceilingOfQuotient(by: 100) == 21)
        // Beyond 64 bits: the BigInt path, same rule.
        let wide = Rational(BigInt(10).power(30) + 1, BigInt(1))
        #expect(wide.ceilingOfQuotient(by: 10) == BigInt(10).power(29) + 1)
        #expect(wide.floorOfQuotient(by: 10) == BigInt(10).power(29))
    }
}
