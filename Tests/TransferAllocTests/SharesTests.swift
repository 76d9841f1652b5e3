import BigInt
import Testing
@testable import TransferAlloc

/// Each county's share s_i = Σ_f w_f·a_if / Σ_j a_jf (contract §3.3, docs/guides/Shares.md),
/// from the weights, with zero-weight factors skipped and the result in lowest common terms.
@Suite struct SharesTests {
    static func table(_ text: String) throws -> SettlementTable {
        try SettlementTable.read(bytes: Array(text.utf8), file: "t.csv", coefficientColumns: ["fiscal_coef"])
    }

    /// settled [30, 60, 10] and permits [10, 30, 60], each of total 100, so a factor's shares are
    /// [0.3, 0.6, 0.1] and [0.1, 0.3, 0.6].
    static let threeCounties = "code,settled,permit_holders\nA,30,10\nB,60,30\nC,10,60\n"

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let settled: Rational
        let permits: Rational
        let factors: [Factor]
        let numerators: [BigInt]
        let denominator: BigInt
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // 0.8·[.3, .6, .1] + 0.2·[.1, .3, .6] = [.26, .54, .20] = [13, 27, 10] / 50.
        Case(name: "0.8 / 0.2", settled: Rational(4, 5), permits: Rational(1, 5), factors: [.settled, .permits],
             numerators: [13, 27, 10], denominator: 50),
        // ½·[.3, .6, .1] + ½·[.1, .3, .6] = [.2, .45, .35] = [4, 9, 7] / 20.
        Case(name: "½ / ½", settled: Rational(1, 2), permits: Rational(1, 2), factors: [.settled, .permits],
             numerators: [4, 9, 7], denominator: 20),
        // Settled only: [3, 6, 1] / 10.
        Case(name: "1 / 0", settled: .one, permits: .zero, factors: [.settled], numerators: [3, 6, 1], denominator: 10),
        // Permits only: [1, 3, 6] / 10.
        Case(name: "0 / 1", settled: .zero, permits: .one, factors: [.permits], numerators: [1, 3, 6], denominator: 10),
        // 0.7·[.3, .6, .1] + 0.3·[.1, .3, .6] = [.24, .51, .25] = [24, 51, 25] / 100.
        Case(name: "0.7 / 0.3", settled: Rational(7, 10), permits: Rational(3, 10), factors: [.settled, .permits],
             numerators: [24, 51, 25], denominator: 100),
    ]

    @Test(arguments: cases)
    func sharesFromTheWeights(_ c: Case) throws {
        var money = Policy.builtInDefault.money
        money.weights = [.settled: c.settled, .permits: c.permits]
        let shares = try FactorTable(table: try SharesTests.table(SharesTests.threeCounties), policy: money)
        #expect(shares.factors == c.factors, "\(c.name): factors")
        #expect(shares.shareNumerators == c.numerators && shares.shareDenominator == c.denominator, "\(c.name): shares")
    }

    /// A factor of weight 0 is not computed at all: its column may be missing.
    @Test func zeroWeightFactorNeedsNoColumn() throws {
        var money = Policy.builtInDefault.money
        money.weights = [.settled: .one, .permits: .zero]
        let shares = try FactorTable(table: try SharesTests.table("code,settled\nA,30\nB,60\nC,10\n"), policy: money)
        #expect(shares.factors == [.settled])
        #expect(shares.values[.permits] == nil && shares.adjustedTotals[.permits] == nil)
        #expect(shares.shareNumerators == [3, 6, 1] && shares.shareDenominator == 10)
        // The same table under the default 0.8 / 0.2 needs the column.
        #expect(throws: InputError.self) {
            try FactorTable(table: try SharesTests.table("code,settled\nA,30\nB,60\nC,10\n"), policy: Policy.builtInDefault.money)
        }
    }

    /// The integers' shares under 0.8 / 0.2 by hand: α_settled = [3, 6, 1], α_permits = [1, 3, 6],
    /// T = 10 each; ω = [4, 1] over W = 5; multipliers 4·10 = 40 and 1·10 = 10 over
    /// D = 5·10·10 = 500, divided by their common 10: [4, 1] over 50; N = [4·3 + 1, 4·6 + 3, 4·1 + 6].
    @Test func integerSharesByHand() throws {
        let integers = try FactorIntegers(table: try SharesTests.table(SharesTests.threeCounties),
                                          policy: Policy.builtInDefault.money, factors: [.settled, .permits])
        let shares = integers.shares(weights: [.settled: Rational(4, 5), .permits: Rational(1, 5)])
        #expect(shares.numerators == [13, 27, 10] && shares.denominator == 50)
    }

    /// `FactorIntegers.shares` divides only by the multipliers' common divisor; `FactorTable`
    /// goes on to lowest terms. settled [5, 5] → α [1, 1], T = 2; permits [7, 7] → α [1, 1], T = 2;
    /// ½ / ½: multipliers 1·2 and 1·2 over 2·2·2 = 8, common 2 → [1, 1] over 4, N = [2, 2] / 4;
    /// the table keeps [1, 1] / 2.
    @Test func lowestTerms() throws {
        var money = Policy.builtInDefault.money
        money.weights = [.settled: Rational(1, 2), .permits: Rational(1, 2)]
        let table = try SharesTests.table("code,settled,permit_holders\nA,5,7\nB,5,7\n")
        let integers = try FactorIntegers(table: table, policy: money, factors: [.settled, .permits])
        let raw = integers.shares(weights: money.weights)
        #expect(raw.numerators == [2, 2] && raw.denominator == 4)
        let shares = try FactorTable(table: table, policy: money)
        #expect(shares.shareNumerators == [1, 1] && shares.shareDenominator == 2)
        #expect(shares.share(0) == Rational(1, 2))
    }

    @Test func aZeroWeightSkipsTheFactor() throws {
        let table = try SharesTests.table(TwoCounties.settlement)
        let integers = try FactorIntegers(table: table, policy: Policy.builtInDefault.money, factors: [.settled, .permits])
        let shares = integers.shares(weights: [.settled: .one, .permits: .zero])
        #expect(Rational(shares.numerators[0], shares.denominator) == Rational(1, 2))
    }

    /// s_i = w·a_settled,i/Σa_settled + (1 − w)·a_permits,i/Σa_permits, computed here from the
    /// generated counts with `Rational` only (default origin coefficients 1.2 / 0.8, decay 0.8),
    /// equals both `FactorTable.share` and `FactorIntegers.shares` on seeded tables and weights.
    @Test(arguments: 1...20)
    func sharesFollowTheFormula(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let n = random.int(in: 1...30)
        var text = "code,cross_province,within_city,prior_1,permit_holders,fiscal_coef\n"
        var settled: [Rational] = [], permits: [Rational] = []
        for i in 0..<n {
            let cross = random.int(in: 0...5000), withinCity = random.int(in: 0...5000), prior = random.int(in: 0...9000)
            let holders = random.int(in: 1...90000)
            let hundredths = random.int(in: 5_000...15_000)   // coefficient 50.00 … 150.00
            text += "c\(i),\(cross),\(withinCity),\(prior),\(holders),\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)\n"
            let coefficient = Rational(BigInt(hundredths), 100)
            let value = Rational(12, 10) * Rational(BigInt(cross)) + Rational(8, 10) * Rational(BigInt(withinCity))
                + Rational(8, 10) * Rational(BigInt(prior))
            settled.append(value * coefficient)
            permits.append(Rational(BigInt(holders)) * coefficient)
        }
        let table = try SharesTests.table(text)
        let w = Rational(BigInt(random.int(in: 0...1000)), 1000)
        let settledTotal = settled.reduce(Rational.zero, +), permitsTotal = permits.reduce(Rational.zero, +)
        try #require(w.isZero || !settledTotal.isZero, "seed \(seed): the generated settled total is 0")
        var money = Policy.builtInDefault.money
        money.weights = [.settled: w, .permits: .one - w]
        let factorTable = try FactorTable(table: table, policy: money)
        let integers = try FactorIntegers(table: table, policy: Policy.builtInDefault.money, factors: [.settled, .permits])
        let shares = integers.shares(weights: money.weights)
        for i in 0..<n {
            var expected = Rational.zero
            if !w.isZero { expected += w * settled[i] / settledTotal }
            if w != .one { expected += (.one - w) * permits[i] / permitsTotal }
            #expect(factorTable.share(i) == expected, "seed \(seed) county c\(i)")
            #expect(Rational(shares.numerators[i], shares.denominator) == expected, "seed \(seed) county c\(i)")
        }
    }

}
