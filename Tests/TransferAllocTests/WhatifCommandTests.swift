import BigInt
import Foundation
import Testing
@testable import TransferAlloc

/// `transfercalc whatif` through the built binary: the sample data end to end, and every
/// error path with its exit status and message.
@Suite struct WhatifCommandTests {
    static let sample = ["--settlement", "data/settlement.csv", "--budget", "data/budget.csv"]

    /// Parses a CSV the tool wrote (no quoted cells in these outputs) into rows keyed by header.
    static func records(_ csv: String) -> [[String: String]] {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// Fixed-point text in 元 → fen.
    static func fen(_ text: String) -> BigInt {
        let negative = text.hasPrefix("-")
        let digits = text.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ".", with: "")
        return (negative ? -1 : 1) * BigInt(digits)!
    }

    @Test func changesSumToTheDifferenceOfAllocateTotals() throws {
        let whatif = try CLI.run(["whatif"] + WhatifCommandTests.sample)
        #expect(whatif.status == 0, "\(whatif.stderr)")
        let allocate = try CLI.run(["allocate"] + WhatifCommandTests.sample)
        var totals: [String: BigInt] = [:]
        for row in WhatifCommandTests.records(allocate.stdout) { totals[row["scenario"]!, default: 0] += WhatifCommandTests.fen(row["amount"]!) }
        let rows = WhatifCommandTests.records(whatif.stdout)
        #expect(Set(rows.map { $0["scenario"]! }) == ["fund_plus_10pct", "land_tight", "whole_yuan"])
        for scenario in ["fund_plus_10pct", "land_tight", "whole_yuan"] {
            let mine = rows.filter { $0["scenario"] == scenario }
            #expect(mine.count == 33)
            let change = mine.reduce(BigInt(0)) { $0 + WhatifCommandTests.fen($1["change"]!) }
            #expect(change == totals[scenario]! - totals["baseline"]!, "\(scenario)")
            for row in mine {
                #expect(WhatifCommandTests.fen(row["amount"]!) - WhatifCommandTests.fen(row["baseline_amount"]!) == WhatifCommandTests.fen(row["change"]!))
            }
        }
        // Reference values: 昆山市 baseline 50215002.02, land_tight (490,000,000 元 allocated) 51800738.93 (Python fractions).
        #expect(whatif.stdout.contains("land_tight,320583,昆山市,50215002.02,51800738.93,1585736.91,3.16,none,2383.44,1668.41,-715.03\n"))
    }

    @Test func aSetThatChangesNothingGivesZeroChange() throws {
        let result = try CLI.run(["whatif"] + WhatifCommandTests.sample + ["--scenario", "baseline",
                                  "--variant", "same:money.weights.settled=0.8", "--variant", "same:money.bounds.floor_amount=0"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = WhatifCommandTests.records(result.stdout).filter { $0["scenario"] == "same" }
        #expect(rows.count == 33)
        #expect(rows.allSatisfy { $0["change"] == "0.00" && $0["change_pct"] == "0.00" && $0["land_change"] == "0.00" })
        // --set on the whole run and no --set at all give the same table.
        let plain = try CLI.run(["whatif"] + WhatifCommandTests.sample)
        let set = try CLI.run(["whatif", "--set", "money.weights.settled=0.8"] + WhatifCommandTests.sample)
        #expect(plain.stdout == set.stdout && plain.status == 0)
    }

    @Test func setChangesEveryScenarioOfTheRun() throws {
        let set = try CLI.run(["whatif", "--against", "previous", "--set", "money.weights.settled=0.6",
                               "--set", "money.weights.permits=0.4"] + WhatifCommandTests.sample)
        let allocate = try CLI.run(["allocate", "--set", "money.weights.settled=0.6", "--set", "money.weights.permits=0.4",
                                    "--scenario", "baseline"] + WhatifCommandTests.sample)
        #expect(set.status == 0 && allocate.status == 0)
        let amounts = WhatifCommandTests.records(allocate.stdout).map { $0["amount"]! }
        let compared = WhatifCommandTests.records(set.stdout).filter { $0["scenario"] == "baseline" }
        #expect(compared.map { $0["amount"]! } == amounts)
        // Against prev_amount: 桂东县 (431027) has none, so its change is empty.
        #expect(compared.first { $0["code"] == "431027" }?["change"] == "")
    }

    @Test func variantEqualsAnAllocateRunWithTheSameSet() throws {
        let whatif = try CLI.run(["whatif", "--variant", "cap:money.bounds.max_growth=0.05", "--scenario", "baseline",
                                  "--baseline", "baseline", "--format", "json"] + WhatifCommandTests.sample)
        let allocate = try CLI.run(["allocate", "--set", "money.bounds.max_growth=0.05", "--scenario", "baseline", "--format", "json"]
                                   + WhatifCommandTests.sample)
        #expect(whatif.status == 0 && allocate.status == 0, "\(whatif.stderr)\(allocate.stderr)")
        let capped = WhatifCommandTests.records(try CLI.run(["allocate", "--set", "money.bounds.max_growth=0.05",
                                                             "--scenario", "baseline"] + WhatifCommandTests.sample).stdout)
        for row in capped { #expect(whatif.stdout.contains("\"amount\": \"\(row["amount"]!)\"")) }
        #expect(whatif.stdout.contains("\"at_cap\": ["))
        #expect(whatif.stdout.contains("\"policy\": \"illustrative default + --set money.bounds.max_growth=0.05\""))
    }

    @Test func markdownAndHTMLShowTheSummary() throws {
        for format in ["markdown", "html"] {
            let result = try CLI.run(["whatif", "--format", format, "--top", "2", "--variant", "w70:money.weights.settled=0.7",
                                      "--variant", "w70:money.weights.permits=0.3", "--scenario", "whole_yuan"] + WhatifCommandTests.sample)
            #expect(result.status == 0, "\(result.stderr)")
            // Σ of the gains from 0.8/0.2 to 0.7/0.3 on 475,000,000 元: 4,577,922.15 (Python fractions).
            // Markdown prints the CSV's digits; HTML groups them by thousands.
            #expect(result.stdout.contains("Moved between counties") && result.stdout.contains(format == "html" ? "4,577,922.15" : "4577922.15"))
            #expect(result.stdout.contains("Biggest losers"))
        }
    }

    @Test func jsonIsEnglishWhateverTheLanguage() throws {
        let english = try CLI.run(["whatif", "--format", "json", "--against", "previous"] + WhatifCommandTests.sample)
        let chinese = try CLI.run(["whatif", "--format", "json", "--against", "previous", "--lang", "zh"] + WhatifCommandTests.sample)
        #expect(english.status == 0 && english.stdout == chinese.stdout)
        #expect(english.stdout.contains("\"bound\": \"none\""))
    }

    // MARK: Errors

    @Test(arguments: [
        (["--baseline", "nope"], "unknown --baseline nope; data/budget.csv has: baseline, fund_plus_10pct, land_tight, whole_yuan"),
        (["--scenario", "nope"], "unknown --scenario nope"),
        (["--variant", "baseline:money.weights.settled=0.8"], "--variant baseline has the name of a budget scenario"),
        (["--variant", "nocolon"], "--variant nocolon is not NAME:KEY=VALUE"),
        (["--variant", "v:money.weights.settled"], "has no KEY=VALUE after the colon"),
        (["--against", "lastyear"], "--against"),
        (["--top=-1"], "--top -1 is negative"),
        (["--set", "money.weights.settled"], "--set money.weights.settled is not KEY=VALUE"),
        (["--baseline", "nope", "--set", "money.weights.settled=5"], "unknown --baseline nope"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) throws {
        let result = try CLI.run(["whatif"] + WhatifCommandTests.sample + arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func unknownPathsExit1ListingTheValidOnes() throws {
        for (flag, file) in [("--variant", "--variant v"), ("--set", "--set")] {
            let value = flag == "--set" ? "money.wieghts.settled=0.7" : "v:money.wieghts.settled=0.7"
            let result = try CLI.run(["whatif", flag, value] + WhatifCommandTests.sample)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("\(file), column money.wieghts.settled"), "\(result.stderr)")
            #expect(result.stderr.contains("is not a policy path --set can change"))
            #expect(result.stderr.contains("money.weights.settled, money.weights.permits"))
        }
    }

    @Test func againstPreviousNeedsPrevAmount() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let settlement = try CLI.write("code,settled,permit_holders\nA,1,2\n", to: "s.csv", in: directory)
        let result = try CLI.run(["whatif", "--settlement", settlement, "--fund-total", "100", "--against", "previous"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("s.csv, line 1, column prev_amount: is missing, but whatif --against previous compares"))
    }

    @Test func nothingWrittenOnError() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.csv").path
        let result = try CLI.run(["whatif", "--variant", "v:money.weights.settled=0.9", "--output", output] + WhatifCommandTests.sample)
        #expect(result.status == 1)
        #expect(result.stderr.contains("--variant v, column money.weights"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
