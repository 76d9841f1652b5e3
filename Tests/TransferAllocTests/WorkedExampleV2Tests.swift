import BigInt
import Foundation
import Testing
@testable import TransferAlloc

/// Part 2 of docs/worked-example.md: the version-2 sample (two components, a custom factor,
/// last year by origin, an advance) worked by hand for 虎丘区 and 桂东县. Every number of that
/// part is asserted here from the hand computation; the CSV rows the page prints are the tool's.
@Suite struct WorkedExampleV2Tests {
    static let arguments = ["allocate", "--settlement", "data/settlement-v2.csv", "--budget", "data/budget.csv",
                            "--policy", "data/policy-components.json", "--scenario", "baseline"]

    let run: Allocation
    let huqiu: Int
    let guidong: Int

    init() throws {
        run = try Inputs.allocate(settlement: try Inputs.file("data/settlement-v2.csv"), budget: try Inputs.file("data/budget.csv"),
                                  policy: try Inputs.file("data/policy-components.json"))
        huqiu = try #require(run.table.rows.firstIndex { $0.code == "320505" })
        guidong = try #require(run.table.rows.firstIndex { $0.code == "431027" })
    }

    @Test func budgetAndComponentBudgets() throws {
        let money = run.scenarios[0].money
        #expect(money.budgetFen == 50_000_000_000)
        #expect(money.reserveFen == 2_500_000_000)
        #expect(money.allocatedFen == 47_500_000_000)
        #expect(run.component(0).scenarios[0].money.allocatedFen == 33_250_000_000)
        #expect(run.component(1).scenarios[0].money.allocatedFen == 14_250_000_000)
    }

    @Test func settledFactorWithLastYearByOrigin() throws {
        let settlers = run.componentFactors[0]
        // 7199 + 0.8 · 6583.4 + 0.6 · 5866 + 0.4 · 5661 + 0.2 · 5376; 323.2 + 0.8 · 321.8 + 228 + 157.2 + 82.4
        #expect(settlers.values[.settled]![huqiu] == Rational(BigInt(1_932_492), BigInt(100)))
        #expect(settlers.values[.settled]![guidong] == Rational(BigInt(104_824), BigInt(100)))
        #expect(settlers.coefficientProducts[huqiu] == Rational(17, 20))
        #expect(settlers.coefficientProducts[guidong] == Rational(3, 2))
        #expect(settlers.adjustedTotals[.settled] == Rational(BigInt(4_358_661_044), BigInt(10_000)))
        #expect(settlers.adjustedTotals[.permits] == Rational(BigInt(239_664_843), BigInt(100)))
        #expect(settlers.factorShare(.settled, huqiu) * Rational(4, 5) == Rational(BigInt(32_852_364), BigInt(1_089_665_261)))
        #expect(settlers.factorShare(.permits, huqiu) * Rational(1, 5) == Rational(BigInt(268_940), BigInt(26_629_427)))
        #expect(settlers.share(huqiu) == Rational(BigInt(1_167_894_204_208_768), BigInt(29_017_161_522_235_447)))
        #expect(settlers.share(guidong) == Rational(BigInt(283_011_810_689_690), BigInt(87_051_484_566_706_341)))
    }

    @Test func settlersComponentRounding() throws {
        let money = run.component(0).scenarios[0].money
        #expect(money.idealFen(huqiu) == Rational(BigInt(1_338_259_162)) + Rational(BigInt(27_576_082_331_084_586), BigInt(29_017_161_522_235_447)))
        #expect(money.idealFen(guidong) == Rational(BigInt(108_098_589)) + Rational(BigInt(53_415_960_660_547_151), BigInt(87_051_484_566_706_341)))
        #expect(money.apportionment.extraUnits == 15)
        #expect(money.apportionment.remainderRank[huqiu] == 1)
        #expect(money.apportionment.remainderRank[guidong] == 12)
        #expect(money.amountFen(huqiu) == 1_338_259_163)
        #expect(money.amountFen(guidong) == 108_098_590)
    }

    @Test func pupilsComponentIsACustomFactorWithoutCoefficient() throws {
        let pupils = run.componentFactors[1]
        let factor = Factor(key: "migrant_pupils")
        #expect(pupils.adjustedTotals[factor] == Rational(45_690))
        #expect(pupils.share(huqiu) == Rational(1603, 45_690))
        #expect(pupils.share(guidong) == Rational(125, 45_690))
        let money = run.component(1).scenarios[0].money
        #expect(money.idealFen(huqiu) == Rational(BigInt(761_425_000_000), BigInt(1523)))
        #expect(money.idealFen(guidong) == Rational(BigInt(59_375_000_000), BigInt(1523)))
        #expect(money.apportionment.extraUnits == 14)
        #expect(money.apportionment.remainderRank[huqiu] == 29)
        #expect(money.apportionment.remainderRank[guidong] == 5)
        #expect(money.amountFen(huqiu) == 499_950_755)
        #expect(money.amountFen(guidong) == 38_985_555)
    }

    @Test func amountsAdvanceAndRelease() throws {
        #expect(Inputs.amounts(run)["320505"] == "18382099.18")
        #expect(Inputs.amounts(run)["431027"] == "1470841.45")
        let json = try CLI.run(Self.arguments + ["--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let scenario = try #require((object["scenarios"] as? [[String: Any]])?.first)
        #expect(scenario["advance_total"] as? String == "398183905.83")
        #expect(scenario["release_total"] as? String == "76816094.17")
    }

    /// The CSV block of part 2 is what the command of part 2 prints for those two counties.
    @Test func printedRowsAreTheToolsOutput() throws {
        let page = try Inputs.file("docs/worked-example.md")
        let part = try #require(page.range(of: "# Part 2.")).lowerBound
        let start = try #require(page.range(of: "```csv\n", range: part..<page.endIndex))
        let end = try #require(page.range(of: "```", range: start.upperBound..<page.endIndex))
        let printed = page[start.upperBound..<end.lowerBound].split(separator: "\n").map(String.init)
        #expect(printed.count == 3)
        let result = try CLI.run(Self.arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(printed.first == lines.first)
        for row in printed.dropFirst() {
            #expect(lines.contains(row), "docs/worked-example.md prints a row the tool does not: \(row)")
        }
        // The page's command is the one run here.
        #expect(page.contains("swift run transfercalc allocate --settlement data/settlement-v2.csv --budget data/budget.csv \\\n  --policy data/policy-components.json --scenario baseline"))
    }
}
