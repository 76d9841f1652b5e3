import BigInt
import Testing
@testable import TransferAlloc

@Suite struct FactorIntegersTests {
    static func table(_ text: String) throws -> SettlementTable {
        try SettlementTable.read(bytes: Array(text.utf8), file: "t.csv", coefficientColumns: ["fiscal_coef"])
    }

    @Test func workedExampleOfTheDocComment() throws {
        let table = try FactorIntegersTests.table(TwoCounties.settlement)
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
        let table = try FactorIntegersTests.table(TwoCounties.settlement)
        let integers = try FactorIntegers(table: table, policy: Policy.builtInDefault.money, factors: [.settled, .permits])
        let shares = integers.shares(weights: [.settled: .one, .permits: .zero])
        #expect(Rational(shares.numerators[0], shares.denominator) == Rational(1, 2))
    }

    /// shares(weights:) and FactorTable agree on every share, for seeded random tables and weights.
    @Test(arguments: 1...20)
    func sharesEqualFactorTable(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let n = random.int(in: 1...30)
        var text = "code,cross_province,within_city,prior_1,permit_holders,fiscal_coef\n"
        for i in 0..<n {
            text += "c\(i),\(random.int(in: 0...5000)),\(random.int(in: 0...5000)),\(random.int(in: 0...9000)),"
                + "\(random.int(in: 1...90000)),\(random.int(in: 50...150))\(random.int(in: 0...1) == 0 ? "" : ".\(random.int(in: 1...99))")\n"
        }
        let table = try FactorIntegersTests.table(text)
        let settled = Rational(BigInt(random.int(in: 0...1000)), 1000)
        var money = Policy.builtInDefault.money
        money.weights = [.settled: settled, .permits: .one - settled]
        let factorTable = try FactorTable(table: table, policy: money)
        let integers = try FactorIntegers(table: table, policy: Policy.builtInDefault.money, factors: [.settled, .permits])
        let shares = integers.shares(weights: money.weights)
        for i in 0..<n {
            #expect(Rational(shares.numerators[i], shares.denominator) == factorTable.share(i), "seed \(seed) county \(i)")
        }
    }

    @Test func errorsNameTheFactor() throws {
        let noPermits = try FactorIntegersTests.table("code,settled\nA,1\n")
        #expect(throws: InputError.self) {
            try FactorIntegers(table: noPermits, policy: Policy.builtInDefault.money, factors: [.permits])
        }
        let zero = try FactorIntegersTests.table("code,settled,permit_holders\nA,0,5\n")
        do {
            _ = try FactorIntegers(table: zero, policy: Policy.builtInDefault.money, factors: [.settled, .permits])
            Issue.record("a zero settled total was accepted")
        } catch {
            #expect(error.problem.contains("settled factor an adjusted total of 0"))
        }
    }

    /// The word-sized common denominator gives the BigInt path's integers, for small values and
    /// for values whose denominators or numerators need more than 64 bits.
    @Test(arguments: 1...30)
    func commonDenominatorMatchesTheBigIntPath(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let wide = seed % 3 == 0  // some runs push L or a numerator past 64 bits
        let values: [Rational] = (0..<random.int(in: 1...40)).map { _ in
            let numerator = BigInt(word: random.next() >> UInt64(random.int(in: wide ? 0...10 : 20...63)))
            let power = random.int(in: 0...(wide ? 30 : 12))
            return Rational(numerator * BigInt(word: UInt64(random.int(in: 1...9))), Rational.powerOfTen(power) * 3)
        }
        let fast = Rational.overCommonDenominator(values)
        let reference = Rational.wideOverCommonDenominator(values)
        #expect(fast.integers == reference.integers && fast.denominator == reference.denominator)
        for (value, integer) in zip(values, fast.integers) { #expect(Rational(integer, fast.denominator) == value) }
    }

    /// A settled value with coefficients too wide for the word path (a 25-decimal decay) is
    /// the same exact number the BigInt path gives: Σ of the explained terms.
    @Test(arguments: ["0.8", "0.8000000000000000000000001", "123456789012.123456789"])
    func settledValueEqualsTheSumOfItsTerms(decay: String) throws {
        let table = try FactorIntegersTests.table("code,cross_province,within_city,prior_1\nA,1000000000000,7,999999999999\n")
        var money = Policy.builtInDefault.money
        money.priorDecay = [try NumberCell.parse(decay).get().rational]
        let terms = FactorValues.settledTerms(table.rows[0], policy: money)
        let expected = terms.reduce(Rational.zero) { $0 + $1.product }
        #expect(FactorValues.settledValue(table.rows[0], policy: money) == expected)
    }
}
