import BigInt
import Testing
@testable import TransferAlloc

@Suite struct FactorValuesTests {
    static func table(_ text: String) throws -> SettlementTable {
        try SettlementTable.read(bytes: Array(text.utf8), file: "t.csv", coefficientColumns: ["fiscal_coef"])
    }

    @Test func workedExampleOfTheDocComment() throws {
        let table = try FactorValuesTests.table(TwoCounties.settlement)
        let money = Policy.builtInDefault.money
        let integers = try FactorIntegers(table: table, policy: money, factors: [.settled, .permits])
        #expect(integers.integers[.settled] == [1, 1] && integers.totals[.settled] == 2)
        #expect(integers.integers[.permits] == [1, 3] && integers.totals[.permits] == 4)
        let shares = integers.shares(weights: money.weights)
        #expect(shares.numerators == [9, 11] && shares.denominator == 20)
        let factorTable = try FactorTable(table: table, policy: money)
        #expect(factorTable.share(0) == Rational(9, 20) && factorTable.share(1) == Rational(11, 20))
    }

    @Test func aZeroWeightSkipsTheFactor() throws {
        let table = try FactorValuesTests.table(TwoCounties.settlement)
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
        let table = try FactorValuesTests.table(text)
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

    @Test func errorsNameTheFactor() throws {
        let noPermits = try FactorValuesTests.table("code,settled\nA,1\n")
        #expect(throws: InputError.self) {
            try FactorIntegers(table: noPermits, policy: Policy.builtInDefault.money, factors: [.permits])
        }
        let zero = try FactorValuesTests.table("code,settled,permit_holders\nA,0,5\n")
        do {
            _ = try FactorIntegers(table: zero, policy: Policy.builtInDefault.money, factors: [.settled, .permits])
            Issue.record("a zero settled total was accepted")
        } catch {
            #expect(error.problem.contains("settled factor an adjusted total of 0"))
        }
    }

    /// The integers are a_i·L over L, the least common denominator of the values, computed here
    /// with BigInt's own gcd: small values and values whose denominators or numerators need more
    /// than 64 bits.
    @Test(arguments: 1...30)
    func commonDenominatorIsTheLeastOne(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let wide = seed % 3 == 0  // some runs push L or a numerator past 64 bits
        let values: [Rational] = (0..<random.int(in: 1...40)).map { _ in
            let numerator = BigInt(word: random.next() >> UInt64(random.int(in: wide ? 0...10 : 20...63)))
            let power = random.int(in: 0...(wide ? 30 : 12))
            return Rational(numerator * BigInt(word: UInt64(random.int(in: 1...9))), BigInt(10).power(power) * 3)
        }
        let least = values.reduce(BigInt(1)) { l, value in
            l / l.greatestCommonDivisor(with: value.denominator) * value.denominator
        }
        let result = Rational.overCommonDenominator(values)
        #expect(result.denominator == least, "seed \(seed)")
        #expect(result.integers == values.map { $0.numerator * (least / $0.denominator) }, "seed \(seed)")
    }

    @Test func commonDenominatorExample() {
        let result = Rational.overCommonDenominator([Rational(1, 2), Rational(2, 3), Rational(-5, 4)])
        #expect(result.integers == [6, 8, -15] && result.denominator == 12)
    }

    /// The settled value of a row with counts past 2^39 and a decay too wide for the word path:
    /// 1.2·10^12 + 0.8·7 + d·999,999,999,999, worked out by hand below, and the terms `explain`
    /// prints.
    @Test(arguments: [
        // (decay as written, decay as integer / 10^scale, expected value as integer / 10^scale)
        ("0.8", "8", 1, "20000000000048", 1),                        // 1,200,000,000,000 + 5.6 + 799,999,999,999.2
        ("0.8000000000000000000000001", "8000000000000000000000001", 25,
         "20000000000048000000000000999999999999", 25),              // … + 999,999,999,999·10^-25
        ("123456789012.123456789", "123456789012123456789", 9,
         "123456789013199999999993476543211", 9),                    // see below
    ])
    func settledValueIsTheFormula(decay: String, decayDigits: String, decayScale: Int,
                                  expectedDigits: String, expectedScale: Int) throws {
        // Third case, in units of 10^-9: d·999,999,999,999 = 123,456,789,012,123,456,789·(10^12 − 1)
        //   = 123,456,789,011,999,999,999,987,876,543,211; plus 1.2·10^12 + 5.6 = 1,200,000,000,005,600,000,000 units.
        let table = try FactorValuesTests.table("code,cross_province,within_city,prior_1\nA,1000000000000,7,999999999999\n")
        var money = Policy.builtInDefault.money
        money.priorDecay = [try NumberCell.parse(decay).get().rational]
        let d = Rational(BigInt(decayDigits)!, BigInt(10).power(decayScale))
        #expect(money.priorDecay == [d])
        let expected = Rational(BigInt(expectedDigits)!, BigInt(10).power(expectedScale))
        #expect(FactorValues.settledValue(table.rows[0], policy: money) == expected)
        let terms = FactorValues.settledTerms(table.rows[0], policy: money)
        #expect(terms.map(\.product) == [Rational(BigInt(1_200_000_000_000)), Rational(56, 10), d * Rational(BigInt(999_999_999_999))])
    }
}
