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

    /// Which policy values each factor reads, and what the integers take from earlier ones: a
    /// new decay recomputes the settled factor and keeps the permits factor.
    @Test func factorsReuseWhatTheyDoNotRead() throws {
        let base = Policy.builtInDefault.money
        var decay = base
        decay.priorDecay = [Rational(1, 2)]
        var columns = base
        columns.coefficientColumns = []
        var weights = base
        weights.weights = [.settled: Rational(1, 2), .permits: Rational(1, 2)]
        #expect(!FactorIntegers.readsSameValues(.settled, base, decay))
        #expect(FactorIntegers.readsSameValues(.permits, base, decay))
        #expect(!FactorIntegers.readsSameValues(.permits, base, columns))
        #expect(FactorIntegers.readsSameValues(.settled, base, weights) && FactorIntegers.readsSameValues(.permits, base, weights))

        // TwoCounties: settled 100 / 100 with prior_1 0 (see the worked example); permits 10 / 30.
        let table = try FactorValuesTests.table("code,settled,prior_1,permit_holders\nA,100,0,10\nB,100,40,30\n")
        let before = try FactorIntegers(table: table, policy: base, factors: [.settled, .permits])
        let after = try FactorIntegers(table: table, policy: decay, factors: [.settled, .permits],
                                       previous: (before, base))
        // settled: 100 and 100 + 0.5·40 = 120 → [5, 6]; permits kept: [1, 3].
        #expect(after.integers[.settled] == [5, 6] && after.totals[.settled] == 11)
        #expect(after.integers[.permits] == [1, 3] && after.totals[.permits] == 4)
        #expect(before.integers[.settled] == [25, 33])   // 100 and 100 + 0.8·40 = 132
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

    struct SettledCase: Sendable, CustomTestStringConvertible {
        let name: String
        let csv: String
        /// Overrides of the default policy's origin coefficients and decays (nil: the default's
        /// cross_province 1.2, within_province 1.0, within_city 0.8, settled 1.0; decays 0.8, 0.6, 0.4, 0.2).
        let origins: [OriginKind: Rational]?
        let decay: [Rational]?
        /// (input, count, coefficient, policy path) of each term, in order.
        let terms: [(String, BigInt, Rational, String?)]
        let value: Rational
        var testDescription: String { name }
    }

    static let settledCases: [SettledCase] = [
        // 100·1.2 + 20·1.0 + 50·0.8 = 120 + 20 + 40 = 180.
        SettledCase(name: "origin columns", csv: "code,cross_province,within_province,within_city\nA,100,20,50\n",
                    origins: nil, decay: nil,
                    terms: [("cross_province", 100, Rational(6, 5), "money.origin_coefficients.cross_province"),
                            ("within_province", 20, .one, "money.origin_coefficients.within_province"),
                            ("within_city", 50, Rational(4, 5), "money.origin_coefficients.within_city")],
                    value: Rational(180)),
        // Only `settled`: 37·1.0.
        SettledCase(name: "settled column only", csv: "code,settled\nA,37\n", origins: nil, decay: nil,
                    terms: [("settled", 37, .one, "money.origin_coefficients.settled")], value: Rational(37)),
        // 10 + 80·0.8 + 50·0.6 + 25·0.4 + 5·0.2 = 10 + 64 + 30 + 10 + 1 = 115.
        SettledCase(name: "four prior years", csv: "code,settled,prior_1,prior_2,prior_3,prior_4\nA,10,80,50,25,5\n",
                    origins: nil, decay: nil,
                    terms: [("settled", 10, .one, "money.origin_coefficients.settled"),
                            ("prior_1", 80, Rational(4, 5), "money.prior_decay[1]"),
                            ("prior_2", 50, Rational(3, 5), "money.prior_decay[2]"),
                            ("prior_3", 25, Rational(2, 5), "money.prior_decay[3]"),
                            ("prior_4", 5, Rational(1, 5), "money.prior_decay[4]")],
                    value: Rational(115)),
        // prior_5 lies beyond the four decays: it weighs 0 and no policy value gives it.
        // 10 + 10·(0.8 + 0.6 + 0.4 + 0.2) + 1000·0 = 30.
        SettledCase(name: "prior year beyond the decay list", csv: "code,settled,prior_1,prior_2,prior_3,prior_4,prior_5\nA,10,10,10,10,10,1000\n",
                    origins: nil, decay: nil,
                    terms: [("settled", 10, .one, "money.origin_coefficients.settled"),
                            ("prior_1", 10, Rational(4, 5), "money.prior_decay[1]"),
                            ("prior_2", 10, Rational(3, 5), "money.prior_decay[2]"),
                            ("prior_3", 10, Rational(2, 5), "money.prior_decay[3]"),
                            ("prior_4", 10, Rational(1, 5), "money.prior_decay[4]"),
                            ("prior_5", 1000, .zero, nil)],
                    value: Rational(30)),
        // A one-year decay list: prior_2 weighs 0. 7 + 9·0.5 + 4·0 = 11.5.
        SettledCase(name: "shorter decay list", csv: "code,settled,prior_1,prior_2\nA,7,9,4\n",
                    origins: nil, decay: [Rational(1, 2)],
                    terms: [("settled", 7, .one, "money.origin_coefficients.settled"),
                            ("prior_1", 9, Rational(1, 2), "money.prior_decay[1]"),
                            ("prior_2", 4, .zero, nil)],
                    value: Rational(23, 2)),
        // An origin the policy gives no coefficient weighs 1: 10·1.5 + 10·1 = 25.
        SettledCase(name: "origin without a coefficient", csv: "code,cross_province,within_city\nA,10,10\n",
                    origins: [.crossProvince: Rational(3, 2)], decay: nil,
                    terms: [("cross_province", 10, Rational(3, 2), "money.origin_coefficients.cross_province"),
                            ("within_city", 10, .one, "money.origin_coefficients.within_city")],
                    value: Rational(25)),
        // Thirds: 3·(1/3) + 2·(2/3) + 6·(1/6) = 1 + 4/3 + 1 = 10/3 (one common denominator, 6).
        SettledCase(name: "coefficients with different denominators", csv: "code,cross_province,within_city,prior_1\nA,3,2,6\n",
                    origins: [.crossProvince: Rational(1, 3), .withinCity: Rational(2, 3)], decay: [Rational(1, 6)],
                    terms: [("cross_province", 3, Rational(1, 3), "money.origin_coefficients.cross_province"),
                            ("within_city", 2, Rational(2, 3), "money.origin_coefficients.within_city"),
                            ("prior_1", 6, Rational(1, 6), "money.prior_decay[1]")],
                    value: Rational(10, 3)),
    ]

    @Test(arguments: settledCases)
    func settledValueAndTerms(_ c: SettledCase) throws {
        let table = try FactorValuesTests.table(c.csv)
        var money = Policy.builtInDefault.money
        if let origins = c.origins { money.originCoefficients = origins }
        if let decay = c.decay { money.priorDecay = decay }
        let terms = FactorValues.settledTerms(table.rows[0], policy: money)
        #expect(terms.map(\.input) == c.terms.map(\.0), "\(c.name): inputs")
        #expect(terms.map(\.count) == c.terms.map(\.1), "\(c.name): counts")
        #expect(terms.map(\.coefficient) == c.terms.map(\.2), "\(c.name): coefficients")
        #expect(terms.map(\.policyPath) == c.terms.map(\.3), "\(c.name): policy paths")
        #expect(FactorValues.settledValue(table.rows[0], policy: money) == c.value, "\(c.name): value")
    }

    /// Π of the listed coefficient columns: 0.8930 × 1.25 = 1.11625 = 893/800; an empty cell
    /// counts 1; an unlisted column is ignored. a_settled = [100·893/800, 50·2, 40·1] =
    /// [893/8, 100, 40] = [893, 800, 320] / 8, whose common divisor is 1: T = 2013.
    @Test func coefficientProductsAndAdjustedIntegers() throws {
        let text = "code,settled,fiscal_coef,remote_coef,other_coef\nA,100,0.8930,1.25,7\nB,50,,2,7\nC,40,1,,7\n"
        let table = try SettlementTable.read(bytes: Array(text.utf8), file: "t.csv",
                                             coefficientColumns: ["fiscal_coef", "remote_coef"])
        var money = Policy.builtInDefault.money
        money.coefficientColumns = ["fiscal_coef", "remote_coef"]
        let integers = try FactorIntegers(table: table, policy: money, factors: [.settled])
        #expect(integers.coefficientProducts == [Rational(893, 800), Rational(2), .one])
        #expect(integers.values[.settled]! == [Rational(100), Rational(50), Rational(40)])
        #expect(integers.adjustedTotals[.settled] == Rational(2013, 8))
        #expect(integers.integers[.settled] == [893, 800, 320] && integers.totals[.settled] == 2013)
        #expect(integers.integers[.permits] == nil)

        // Without coefficient columns every product is 1, whatever the table holds.
        money.coefficientColumns = []
        let plain = try FactorIntegers(table: table, policy: money, factors: [.settled])
        #expect(plain.coefficientProducts == [.one, .one, .one])
        // [100, 50, 40] divided by their common 10: [10, 5, 4], T = 19.
        #expect(plain.integers[.settled] == [10, 5, 4] && plain.totals[.settled] == 19)
    }

    /// Permit holders are their own factor value (coefficient 1): [6, 9, 12] → [2, 3, 4], T = 9.
    @Test func permitIntegersInLowestTerms() throws {
        let table = try FactorValuesTests.table("code,settled,permit_holders\nA,1,6\nB,1,9\nC,1,12\n")
        let integers = try FactorIntegers(table: table, policy: Policy.builtInDefault.money, factors: [.permits])
        #expect(integers.values[.permits]! == [Rational(6), Rational(9), Rational(12)])
        #expect(integers.integers[.permits] == [2, 3, 4] && integers.totals[.permits] == 9)
    }

    // MARK: Prior years by origin (contract §10.2)

    /// Default coefficients 1.2 / 1.0 / 0.8 and decays 0.8, 0.6, 0.4, 0.2:
    /// A: 100·1.2 + 0.8·(10·1.2 + 20·0.8) + 0.6·50 = 120 + 22.4 + 30 = 172.4;
    /// B: 100·0.8 + 0.8·(0·1.2 + 40·0.8) = 80 + 25.6 = 105.6. The matching prior_1 is not used.
    static let priorByOrigin = """
        code,cross_province,within_city,prior_1_cross_province,prior_1_within_city,prior_1,prior_2
        A,100,0,10,20,30,50
        B,0,100,0,40,40,0

        """

    @Test func priorYearByOrigin() throws {
        let table = try FactorValuesTests.table(FactorValuesTests.priorByOrigin)
        #expect(table.priorYears == 2)
        let money = Policy.builtInDefault.money
        #expect(FactorValues.values(.settled, table: table, policy: money) == [Rational(862, 5), Rational(528, 5)])
        let terms = FactorValues.settledTerms(table.rows[0], policy: money)
        #expect(terms.map(\.input) == ["cross_province", "within_city", "prior_1_cross_province", "prior_1_within_city", "prior_2"])
        #expect(terms.map(\.coefficient) == [Rational(6, 5), Rational(4, 5), Rational(24, 25), Rational(16, 25), Rational(3, 5)])
        #expect(terms[2].policyPath == "money.prior_decay[1] × money.origin_coefficients.cross_province")
        #expect(terms[2].policyPaths == ["money.prior_decay[1]", "money.origin_coefficients.cross_province"])
        #expect(terms.reduce(Rational.zero) { $0 + $1.product } == Rational(862, 5))
    }

    /// Without prior_k, a year's origin columns alone; a year beyond the decay list weighs 0;
    /// Chinese headers. 10·1.0 + 0.8·(5·1.2 + 5·1.0) + 0·1000 = 18.8.
    @Test func priorYearByOriginAloneAndBeyondTheDecays() throws {
        let table = try FactorValuesTests.table("code,settled,上年跨省落户人数,前1年省内跨市落户人数,prior_5_within_city\nA,10,5,5,1000\n")
        #expect(table.priorYears == 5)
        #expect(table.rows[0].priors == [10, 0, 0, 0, 1000])
        #expect(FactorValues.values(.settled, table: table, policy: Policy.builtInDefault.money) == [Rational(94, 5)])
    }

    @Test func priorTotalMustMatchItsOrigins() throws {
        let text = "code,settled,prior_1_cross_province,prior_1_within_city,prior_1\nA,1,2,3,5\nB,1,2,3,6\n"
        do {
            _ = try FactorValuesTests.table(text)
            Issue.record("a prior_1 that differs from its origins was accepted")
        } catch let error as InputError {
            #expect(error.line == 3)
            #expect(error.column == "5 (prior_1)")
            #expect(error.problem == "differs from the sum of that year's origin columns (prior_1_cross_province + prior_1_within_city = 5)")
        }
    }

    // MARK: Any factor (contract §10.1)

    /// A decimal factor with its own coefficient list: see `AnyFactorCommandTests.handComputed`.
    @Test func columnFactorValuesAndOwnCoefficients() throws {
        let text = "code,settled,permit_holders,migrant_pupils,fiscal_coef,remote_coef\nA,100,50,12.5,1.2,2\nB,300,150,37.5,0.8,\n"
        let pupils = Factor(key: "migrant_pupils")
        let table = try SettlementTable.read(bytes: Array(text.utf8), file: "t.csv",
                                             coefficientColumns: ["fiscal_coef", "remote_coef"], factors: [pupils])
        var money = Policy.builtInDefault.money
        money.weights = [.settled: Rational(1, 2), .permits: Rational(3, 10), pupils: Rational(1, 5)]
        money.coefficientColumns = ["fiscal_coef", "remote_coef"]
        money.factorCoefficientColumns = [.settled: ["fiscal_coef"], pupils: ["remote_coef"]]
        let factors = try FactorTable(table: table, policy: money)
        #expect(factors.factors == [.settled, .permits, pupils])
        #expect(factors.values[pupils] == [Rational(25, 2), Rational(75, 2)])
        #expect(factors.factorProducts[.settled] == [Rational(6, 5), Rational(4, 5)])
        #expect(factors.factorProducts[.permits] == [.one, .one])
        #expect(factors.factorProducts[pupils] == [Rational(2), .one])
        #expect(factors.coefficientProducts == [.one, .one])
        #expect(factors.adjustedTotals == [.settled: Rational(360), .permits: Rational(200), pupils: Rational(125, 2)])
        // 0.5·1/3 + 0.3·1/4 + 0.2·2/5 = 193/600.
        #expect(factors.share(0) == Rational(193, 600) && factors.share(1) == Rational(407, 600))
    }

    /// A factor's integers are reused when only what it does not read changes: the pupils
    /// factor reads its own coefficient columns, not the decays nor the settled factor's.
    @Test func columnFactorReadsOnlyItsCoefficientColumns() {
        let pupils = Factor(key: "migrant_pupils")
        var a = Policy.builtInDefault.money
        a.factorCoefficientColumns = [.settled: ["fiscal_coef"], pupils: []]
        var b = a
        b.priorDecay = [Rational(1, 2)]
        b.factorCoefficientColumns = [.settled: [], pupils: []]
        #expect(FactorIntegers.readsSameValues(pupils, a, b))
        #expect(!FactorIntegers.readsSameValues(.settled, a, b))
        var c = a
        c.factorCoefficientColumns = [.settled: ["fiscal_coef"], pupils: ["fiscal_coef"]]
        #expect(!FactorIntegers.readsSameValues(pupils, a, c))
        #expect(FactorIntegers.readsSameValues(.permits, a, c))
    }
}
