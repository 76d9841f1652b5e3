import BigInt
import Testing
@testable import TransferAlloc

/// The three counties of CountyExplanationTests: 1000 元 → A 268.18, B 368.18, C 363.64.
private let table = """
    code,cross_province,within_city,prior_1,permit_holders,fiscal_coef
    A,10,0,0,10,1
    B,0,10,5,30,1
    C,5,5,0,0,2
    """

private func audit(_ published: String, tolerance: String? = nil, overrides: [String] = [],
                   fund: String = "1000") throws -> AllocationAudit {
    try AllocationAudit.run(request: Inputs.request(settlement: table, fundTotal: fund, set: overrides),
                            scenarioName: "--scenario", published: .init(name: "p.csv", bytes: Array(published.utf8)), unit: nil, unitName: "--unit",
                            tolerance: tolerance.map(NamedValue.tolerance), landTolerance: nil)
}

/// The published table allocate would print for a fund, with optional weight overrides.
private func allocated(fund: String, overrides: [String] = []) throws -> String {
    let run = try Inputs.allocate(settlement: table, fundTotal: fund, set: overrides)
    return "code,amount\n" + zip(run.table.rows, run.scenarios[0].money.amountsFen)
        .map { "\($0.code),\(Rational.yuan($1))\n" }.joined()
}

@Suite struct AllocationAuditTests {
    @Test func recomputedTableIsConsistentAndRecoversTheWeights() throws {
        let small = try audit("code,amount\nA,268.18\nB,368.18\nC,363.64\n")
        #expect(small.isConsistent)
        #expect(small.differences.isEmpty && small.missing.isEmpty && small.extra.isEmpty)
        #expect(small.totalDifferenceFen == .zero)
        // Shares p = (3/11, 3/11, 5/11), r = (1/4, 3/4, 0). Rounding moves each amount by less
        // than one fen, so on 1000 元 the fitted weight is only near 0.8 …
        let rough = try #require(small.inference).settledWeight
        #expect((rough - Rational(4, 5)).absoluteValue < Rational(1, 100_000))
        #expect(rough != Rational(4, 5))
        // … and on 100 million 元 within 1e-6.
        let large = try audit(try allocated(fund: "100000000"), fund: "100000000")
        #expect(large.isConsistent)
        let inference = try #require(large.inference)
        #expect((inference.settledWeight - Rational(4, 5)).absoluteValue < Rational(1, 1_000_000))
    }

    @Test func differencesAreSortedBySizeAndNameTheCounties() throws {
        let result = try audit("code,amount\nA,368.18\nB,268.18\nC,363.66\n")
        #expect(!result.isConsistent)
        #expect(result.differences.map(\.county) == [0, 1, 2])  // |100| = |−100| (code order), then 0.02
        #expect(result.differences.map(\.difference) == [Rational(10_000), Rational(-10_000), Rational(2)])
        #expect(result.totalDifferenceFen == Rational(2))
        #expect(result.totalMismatch)  // two fen is more than the default tolerance of one fen
        // One fen off is within the default tolerance: not a difference.
        #expect(try audit("code,amount\nA,268.18\nB,368.18\nC,363.65\n").isConsistent)
        let text = result.document.text(.en)
        #expect(text.contains("3 county(ies) differ by more than 0.01 元"))
        #expect(text.contains("  A              368.18      268.18      100.00  none   p.csv:2\n  B              268.18      368.18     -100.00  none   p.csv:3\n"))
    }

    @Test func toleranceHidesSmallDifferences() throws {
        let result = try audit("code,amount\nA,268.18\nB,368.18\nC,363.69\n", tolerance: "0.05")
        #expect(result.differences.isEmpty)
        #expect(result.toleranceFen == Rational(5))
        #expect(result.isConsistent)
        let strict = try audit("code,amount\nA,268.18\nB,368.18\nC,363.70\n", tolerance: "0.05")
        #expect(strict.differences.count == 1 && strict.totalMismatch)
    }

    @Test func missingAndExtraCounties() throws {
        let result = try audit("code,amount\nA,268.18\nB,368.18\nD,363.64\n")
        #expect(result.missing == [2])
        #expect(result.extra.map(\.code) == ["D"])
        #expect(result.fittedCounties == [0, 1])
        #expect(!result.isConsistent)
    }

    @Test func weightsOfATableMadeWithOtherWeights() throws {
        // allocate with weights 0.5 / 0.5 instead of the policy's 0.8 / 0.2.
        let published = try allocated(fund: "100000000", overrides: ["money.weights.settled=0.5", "money.weights.permits=0.5"])
        let result = try audit(published, fund: "100000000")
        #expect(!result.isConsistent)
        let inference = try #require(result.inference)
        #expect((inference.settledWeight - Rational(1, 2)).absoluteValue < Rational(1, 1_000_000))
    }

    @Test func bothFactorsAreInferredWhenThePolicyWeighsOne() throws {
        let result = try audit(try allocated(fund: "100000000"), overrides: ["money.weights={\"settled\": 1}"], fund: "100000000")
        let inference = try #require(result.inference)
        #expect((inference.settledWeight - Rational(4, 5)).absoluteValue < Rational(1, 1_000_000))
    }

    @Test func noPermitColumnMeansNothingToInfer() throws {
        let result = try AllocationAudit.run(
            request: Inputs.request(settlement: "code,settled\nA,1\nB,3\n", fundTotal: "100", set: ["money.weights={\"settled\": 1}"]),
            scenarioName: "--scenario", published: .init(name: "p.csv", bytes: Array("code,amount\nA,25\nB,75\n".utf8)), unit: nil, unitName: "--unit",
            tolerance: nil, landTolerance: nil)
        #expect(result.isConsistent)
        #expect(result.inference == nil)
        #expect(result.inferenceGap?.en.contains("no permit_holders column") == true)
    }

    @Test func bindingBoundsAreSaid() throws {
        let result = try audit("code,amount\nA,300.00\nB,352.17\nC,347.83\n", overrides: ["money.bounds.floor_amount=300"])
        #expect(result.boundsBind)
        #expect(result.document.text(.en).contains("Bounds bind in the recomputation"))
    }

    @Test func defaultScenarioIsTheFirstBudgetRow() throws {
        let request = Inputs.request(settlement: table, budget: "scenario,fund_total\nsecond,2000\nfirst,1000\n")
        let result = try AllocationAudit.run(request: request, scenarioName: "--scenario", published: .init(name: "p.csv", bytes: Array("code,amount\nA,1\n".utf8)),
                                             unit: nil, unitName: "--unit", tolerance: nil, landTolerance: nil)
        #expect(result.scenario.scenario.name == "second")
        #expect(result.recomputedTotalFen == 200_000)
    }

    @Test(arguments: [
        (BigInt(1), BigInt(2), "0.01"), (BigInt(-3), BigInt(6), "-0.01"), (BigInt(149), BigInt(100), "0.01"),
        (BigInt(250), BigInt(2), "1.25"), (BigInt(-1234567), BigInt(1), "-12345.67"), (BigInt(0), BigInt(7), "0.00"),
    ])
    func fenFractionsPrintAsYuanRoundedHalfAwayFromZero(numerator: BigInt, denominator: BigInt, text: String) {
        #expect(AllocationAudit.yuan(numerator, denominator) == text)
    }
}
