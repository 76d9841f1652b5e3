import BigInt
import Testing
@testable import TransferAlloc

/// Three counties computed by hand under the default policy (weights 0.8 / 0.2, origin
/// coefficients 1.2 / 0.8, prior_1 decay 0.8), 1000 元 in fen:
///
///     county  settled factor             coef  adjusted  permits  share
///     A       10×1.2 = 12                1     12        10       0.8·12/44 + 0.2·10/40 = 59/220
///     B       10×0.8 + 5×0.8 = 12        1     12        30       0.8·12/44 + 0.2·30/40 = 81/220
///     C       5×1.2 + 5×0.8 = 10         2     20        0        0.8·20/44            = 80/220
///
/// Ideals in fen: 26818 2/11, 36818 2/11, 36363 7/11; whole parts add to 99999, the one fen
/// left goes to C (7/11); A and B tie at 2/11 and A, the smaller code, ranks before B.
/// Land (default tiers, 亩 to 0.01, one unit = 20/3 m²): A 90 m² → 100 m²/person, B 120 → 80,
/// C 160 → 50; 10 persons each → 1000, 800, 500 m² → D = 150, 120, 75 units (345). A quota of
/// 3 亩 = 300 units: ideals 130 150/345, 104 120/345, 65 75/345 → A gets the one unit left.
private let table = """
    code,name,cross_province,within_city,prior_1,permit_holders,fiscal_coef,land_per_capita
    A,甲,10,0,0,10,1,90
    B,乙,0,10,5,30,1,120
    C,丙,5,5,0,0,2,160
    """

@Suite struct CountyExplanationTests {
    @Test func factorsAndSharesMatchTheHandComputation() throws {
        let run = try Inputs.allocate(settlement: table, fundTotal: "1000", landQuota: "3")
        let b = try CountyExplanation(run, code: "B")
        #expect(b.factors.map(\.factor) == [.settled, .permits])
        let settled = b.factors[0]
        #expect(settled.terms.map(\.input) == ["cross_province", "within_city", "prior_1"])
        #expect(settled.terms.map(\.product) == [Rational(0), Rational(8), Rational(4)])
        #expect(settled.terms[2].policyPath == "money.prior_decay[1]")
        #expect(settled.value == Rational(12))
        #expect(settled.adjustedTotal == Rational(44))
        #expect(settled.share == Rational(3, 11))
        #expect(b.factors[1].share == Rational(3, 4))
        #expect(b.share == Rational(81, 220))
        let c = try CountyExplanation(run, code: "C")
        #expect(c.coefficientProduct == Rational(2))
        #expect(c.factors[0].adjusted == Rational(20))
        #expect(c.share == Rational(4, 11))
    }

    @Test func roundingShowsRanksTiesAndTheExtraUnit() throws {
        let run = try Inputs.allocate(settlement: table, fundTotal: "1000")
        let a = try CountyExplanation(run, code: "A").money[0]
        let b = try CountyExplanation(run, code: "B").money[0]
        let c = try CountyExplanation(run, code: "C").money[0]
        #expect(c.idealFen == Rational(400_000, 11))
        #expect(c.lambda == .one)
        #expect(c.bound == BoundKind.none)
        #expect(c.rounding.fraction == Rational(7, 11))
        #expect(c.rounding.rank == 1 && c.rounding.receivedExtra && c.rounding.leftover == 1)
        #expect(c.amountFen == 36364)
        #expect(a.rounding.fraction == Rational(2, 11))
        #expect(a.rounding.rank == 2 && !a.rounding.receivedExtra && a.rounding.tiedWith == ["B"])
        #expect(b.rounding.rank == 3 && b.rounding.tiedWith == ["A"])
        #expect([a.amountFen, b.amountFen, c.amountFen] == [26818, 36818, 36364])
        #expect(a.rounding.reason.en.contains("ranks 2 of 3"))
        #expect(a.rounding.reason.en.contains("equals that of B"))
    }

    @Test func landShowsTierDemandAndQuotaRounding() throws {
        let run = try Inputs.allocate(settlement: table, fundTotal: "1000", landQuota: "3")
        let a = try CountyExplanation(run, code: "A")
        let b = try CountyExplanation(run, code: "B")
        #expect(a.landDemand?.tierIndex == 0 && a.landDemand?.standard == Rational(100))
        #expect(b.landDemand?.tierIndex == 1 && b.landDemand?.standard == Rational(80))
        #expect(b.landDemand?.demandM2 == Rational(800))
        #expect(b.landDemand?.demandUnits == Rational(120))
        #expect(b.landDemand?.totalDemandUnits == Rational(345))
        let split = try #require(a.land[0])
        #expect(split.quotaUnits == 300 && split.allocatedUnits == 300)
        #expect(split.idealUnits == Rational(300 * 150, 345))
        #expect(a.document.text(.en).contains("Scale T / D: 0.8695652174\n      exactly 20/23\n"))  // 300/345
        #expect(split.rounding?.receivedExtra == true)
        #expect(split.units == 131)
        #expect(b.land[0]?.units == 104)
    }

    @Test func boundsShowTheTermsInForceAndLambda() throws {
        // A floor of 300 元 lifts A (ideal 268.18…) and scales the others down.
        let run = try Inputs.allocate(settlement: table, fundTotal: "1000", set: ["money.bounds.floor_amount=300"])
        let a = try CountyExplanation(run, code: "A").money[0]
        let b = try CountyExplanation(run, code: "B").money[0]
        #expect(a.bound == .floor)
        #expect(a.lowerTerms == [BoundTerm(rule: .floorAmount, fen: Rational(30_000))])
        #expect(a.amountFen == 30_000)
        #expect(b.bound == BoundKind.none)
        // B and C share the other 700 元 in proportion 81 : 80, so λ = 700/(1000·161/220).
        #expect(b.lambda == Rational(700 * 220, 1000 * 161))
        #expect(b.anyBoundBinds)
    }

    @Test func unknownCodeNamesCodesThatExist() throws {
        let run = try Inputs.allocate(settlement: table, fundTotal: "1000")
        #expect(throws: UnknownCounty(code: "Z", file: "settlement.csv", count: 3, examples: ["A", "B", "C"])) {
            _ = try CountyExplanation(run, code: "Z")
        }
    }

    /// The derivation's parts always add up to what allocate prints, whatever the inputs.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func derivationIsConsistentOnGeneratedInputs(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var lines = ["code,cross_province,within_city,prior_1,prior_2,permit_holders,fiscal_coef,prev_amount,land_per_capita"]
        let n = random.int(in: 2...12)
        var prevTotal = 0
        for i in 0..<n {
            let counts = (0..<5).map { k in String(random.int(in: k == 4 ? 1...3000 : 0...500)) }
            let coefficient = "\(random.int(in: 0...1)).\(random.int(in: 1...9))"
            let prev = random.int(in: 100...5000)
            prevTotal += prev
            lines.append("\(100 + i),\(counts.joined(separator: ",")),\(coefficient),\(prev),\(random.int(in: 60...200))")
        }
        // Bounds on even seeds, with a fund near last year's total so that they can be met and bind.
        let overrides = seed % 2 == 0 ? ["money.bounds.max_growth=0.2", "money.bounds.min_retention=0.9"] : []
        let fund = String(prevTotal * random.int(in: 95...110) / 100)
        let run = try Inputs.allocate(settlement: lines.joined(separator: "\n"), fundTotal: fund, landQuota: "12.34", set: overrides)
        for i in run.table.rows.indices {
            let why = CountyExplanation(run, county: i)
            for factor in why.factors where factor.factor == .settled {
                #expect(factor.terms.reduce(Rational.zero) { $0 + $1.product } == factor.value)
            }
            #expect(why.factors.reduce(Rational.zero) { $0 + $1.weightedShare } == why.share)
            let money = why.money[0]
            #expect(money.amountFen == run.scenarios[0].money.amountFen(i))
            #expect(money.rounding.units * money.granularityFen == money.amountFen)
            #expect(money.rounding.exactUnits * Rational(money.granularityFen) == money.boundedFen)
            #expect(Rational(money.lowerFen) <= money.boundedFen)
            if let upper = money.upperFen { #expect(money.boundedFen <= Rational(upper)) }
            if money.bound == BoundKind.none { #expect(money.boundedFen == money.lambda * money.idealFen) }
            #expect(why.land[0]?.units == run.scenarios[0].land?.units[i])
        }
    }
}
