import BigInt
import Testing
@testable import TransferAlloc

/// Library-level what-if: hand-computed changes on the two-county table (s = 0.45 / 0.55 under
/// the default weights, see `TwoCounties`), and invariants on seeded random inputs.
@Suite struct WhatIfTests {
    static func whatIf(_ baseline: WhatIfBaseline = .scenario(nil), variants: [PolicyVariant] = [], top: Int = 5,
                       settlement: String = TwoCounties.settlement, budget: String = TwoCounties.budget,
                       overrides: [String] = [], scenario: String? = nil) throws -> WhatIf {
        try WhatIf(request: .inline(settlement: settlement, budget: budget, overrides: overrides, scenario: scenario),
                   baseline: baseline, variants: variants, top: top)
    }

    static let settledOnly = ["money.weights.settled=1", "money.weights.permits=0"]

    @Test func biggerFundAgainstTheBaseline() throws {
        let result = try WhatIfTests.whatIf()
        #expect(result.comparisons.map(\.name) == ["bigger"])
        let c = result.comparisons[0]
        // 1000 元 → 450.00 / 550.00; 1100 元 → 495.00 / 605.00.
        #expect(c.referenceFen == [Rational(45_000), Rational(55_000)])
        #expect(c.changeFen == [Rational(4_500), Rational(5_500)])
        #expect(c.changePercent(0) == Rational(10) && c.changePercent(1) == Rational(10))
        #expect(c.summary.netFen == Rational(10_000) && c.summary.gainedFen == Rational(10_000))
        #expect(c.summary.lostFen == .zero && c.summary.movedFen == .zero)
        #expect(c.summary.winners == [1, 0] && c.summary.losers.isEmpty)
        #expect(c.changesAddUp)
    }

    @Test func weightVariantMovesMoneyBetweenCounties() throws {
        let variant = PolicyVariant(name: "w50", overrides: ["money.weights.settled=0.5", "money.weights.permits=0.5"])
        let result = try WhatIfTests.whatIf(variants: [variant])
        let c = try #require(result.comparisons.last)
        #expect(c.name == "w50" && c.variant == variant)
        // s = 0.5·½ + 0.5·¼ = 0.375 and 0.625 → 375.00 / 625.00 against 450.00 / 550.00.
        #expect(c.changeFen == [Rational(-7_500), Rational(7_500)])
        #expect(c.changePercent(0)!.decimalString(places: 2) == "-16.67")
        #expect(c.changePercent(1)!.decimalString(places: 2) == "13.64")
        #expect(c.summary.gainedFen == Rational(7_500) && c.summary.lostFen == Rational(7_500))
        #expect(c.summary.movedFen == Rational(7_500) && c.summary.netFen == .zero)
        #expect(c.summary.winners == [1] && c.summary.losers == [0])
        #expect(c.allocation.policy.label.hasSuffix("--set money.weights.settled=0.5 --set money.weights.permits=0.5"))
    }

    @Test func aSetThatChangesNothingGivesZeroEverywhere() throws {
        let same = PolicyVariant(name: "same", overrides: ["money.weights.settled=0.8"])
        let result = try WhatIfTests.whatIf(variants: [same])
        let c = try #require(result.comparisons.last)
        #expect(c.changeFen.allSatisfy { $0 == .zero })
        #expect(c.summary.countUnchanged == 2 && c.summary.countUp == 0 && c.summary.countDown == 0)
        #expect(c.summary.winners.isEmpty && c.summary.losers.isEmpty)
    }

    @Test func againstLastYearsAmount() throws {
        let result = try WhatIfTests.whatIf(.previousAmount(baselineRow: nil))
        #expect(result.comparisons.map(\.name) == ["baseline", "bigger"])
        let c = result.comparisons[0]
        // A: 450.00 against 400 → +50.00 (12.50%); B has no prev_amount.
        #expect(c.referenceFen == [Rational(40_000), nil])
        #expect(c.changeFen == [Rational(5_000), nil])
        #expect(c.changePercent(0) == Rational(25, 2) && c.changePercent(1) == nil)
        #expect(c.summary.countWithoutReference == 1 && c.summary.netFen == Rational(5_000))
        #expect(c.summary.referenceTotalFen == Rational(40_000) && c.summary.totalFen == 100_000)
        #expect(c.changesAddUp)
    }

    @Test func baselineByNameAndScenarioFilter() throws {
        let result = try WhatIfTests.whatIf(.scenario("bigger"))
        #expect(result.comparisons.map(\.name) == ["baseline"])
        #expect(result.comparisons[0].changeFen == [Rational(-4_500), Rational(-5_500)])
        let only = try WhatIfTests.whatIf(.scenario("bigger"), scenario: "bigger")
        #expect(only.comparisons.map(\.name) == ["bigger"])
        #expect(only.comparisons[0].changeFen.allSatisfy { $0 == .zero })
    }

    @Test func equalChangesRankByCode() throws {
        let settlement = "code,settled\nB,10\nA,10\nC,5\n"
        let result = try WhatIfTests.whatIf(settlement: settlement, budget: "scenario,fund_total\nbase,250\ndouble,500\n",
                                            overrides: WhatIfTests.settledOnly)
        let c = result.comparisons[0]
        #expect(c.changeFen == [Rational(10_000), Rational(10_000), Rational(5_000)])
        #expect(c.summary.winners == [1, 0, 2])  // A before B at equal change
    }

    @Test func boundsAreReported() throws {
        let result = try WhatIfTests.whatIf(variants: [PolicyVariant(name: "floor", overrides: ["money.bounds.floor_amount=480"])])
        let c = try #require(result.comparisons.last)
        // Floor 480 lifts A (450) to 480.00; B takes the rest, 520.00.
        #expect(c.summary.atFloor == [0] && c.summary.atCap.isEmpty)
        #expect(c.changeFen == [Rational(3_000), Rational(-3_000)])
    }

    @Test func commandLineErrorsComeFirst() throws {
        #expect(throws: UnknownScenario(.baseline, requested: "nope", source: "budget.csv", isFundTotal: false,
                                        available: ["baseline", "bigger"])) { try WhatIfTests.whatIf(.scenario("nope")) }
        #expect(throws: UnknownScenario(requested: "nope", source: "budget.csv", isFundTotal: false,
                                        available: ["baseline", "bigger"])) { try WhatIfTests.whatIf(scenario: "nope") }
        #expect(throws: VariantNameTaken.self) {
            try WhatIfTests.whatIf(variants: [PolicyVariant(name: "bigger", overrides: ["money.weights.settled=0.8"])])
        }
        // A bad name wins over a bad policy value (contract §9: 64 before 1).
        #expect(throws: UnknownScenario.self) {
            try WhatIfTests.whatIf(.scenario("nope"), overrides: ["money.weights.settled=2"])
        }
    }

    @Test func variantErrorsNameTheVariant() throws {
        do {
            _ = try WhatIfTests.whatIf(variants: [PolicyVariant(name: "bad", overrides: ["money.wieghts.settled=0.7"],
                                                                label: "--variant bad")])
            Issue.record("an unknown path was accepted")
        } catch let error as InputError {
            #expect(error.file == "--variant bad")
            #expect(error.accepted?.contains("money.weights.settled") == true)
        }
        do {
            _ = try WhatIfTests.whatIf(.previousAmount(baselineRow: nil), settlement: "code,settled\nA,1\n",
                                       overrides: WhatIfTests.settledOnly)
            Issue.record("--against previous without prev_amount was accepted")
        } catch let error as InputError {
            #expect(error.column == "prev_amount")
        }
    }

    @Test func parsesVariants() throws {
        let variants = try PolicyVariant.parse(["a:money.weights.settled=0.7", "b:money.bounds.floor_amount=1",
                                                "a:money.weights.permits=0.3", "c:sources.money.weights=x:y=z"], name: "--variant")
        #expect(variants == [
            PolicyVariant(name: "a", overrides: ["money.weights.settled=0.7", "money.weights.permits=0.3"],
                          label: "--variant a"),
            PolicyVariant(name: "b", overrides: ["money.bounds.floor_amount=1"], label: "--variant b"),
            PolicyVariant(name: "c", overrides: ["sources.money.weights=x:y=z"], label: "--variant c"),
        ])
        for bad in ["noColon", ":money.weights.settled=1", "a:", "a:money.weights.settled", "a:=1"] {
            #expect(throws: MalformedValue.self, "\(bad)") { try PolicyVariant.parse([bad], name: "--variant") }
        }
    }

    /// Σ change = Σ amount − Σ baseline, exactly, for every scenario of seeded random runs.
    @Test(arguments: 1...15)
    func changesSumToTheDifferenceOfTotals(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let n = random.int(in: 1...25)
        var settlement = "code,name,cross_province,within_city,permit_holders,prev_amount\n"
        for i in 0..<n {
            let prev = random.int(in: 0...3) == 0 ? "" : "\(random.int(in: 0...900_000)).\(random.int(in: 10...99))"
            settlement += "\(random.int(in: 100...999))\(i),县\(i),\(random.int(in: 0...800)),\(random.int(in: 1...800)),\(random.int(in: 1...9000)),\(prev)\n"
        }
        var budget = "scenario,fund_total,reserve_ratio\n"
        for s in 0..<random.int(in: 2...5) {
            budget += "s\(s),\(random.int(in: 0...9_999_999)).\(random.int(in: 10...99)),\(random.int(in: 0...1) == 0 ? "" : "0.0\(random.int(in: 1...9))")\n"
        }
        let variants = [PolicyVariant(name: "v", overrides: ["money.weights.settled=0.7", "money.weights.permits=0.3"])]
        for baseline in [WhatIfBaseline.scenario(nil), .previousAmount(baselineRow: nil)] {
            let result = try WhatIfTests.whatIf(baseline, variants: variants, settlement: settlement, budget: budget)
            for c in result.comparisons {
                #expect(c.changesAddUp, "seed \(seed) scenario \(c.name)")
                if case .scenario = baseline {
                    let base = result.main.scenarios[result.baselineIndex].money.allocatedFen
                    #expect(c.summary.netFen == Rational(c.run.money.allocatedFen - base), "seed \(seed) \(c.name)")
                    #expect(c.summary.gainedFen - c.summary.lostFen == c.summary.netFen)
                }
            }
        }
    }
}
