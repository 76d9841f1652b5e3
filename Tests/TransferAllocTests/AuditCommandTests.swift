import Foundation
import Testing

@Suite struct AuditCommandTests {
    static let sample = ["--settlement", "data/settlement.csv", "--budget", "data/budget.csv"]

    /// Runs allocate with extra arguments and writes its CSV to a file in `dir`.
    static func allocate(_ extra: [String], to name: String, in dir: URL) throws -> String {
        let result = try CLI.run(["allocate"] + sample + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return try CLI.write(result.stdout, to: name, in: dir)
    }

    static func json(_ result: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    static func section(_ json: [String: Any], _ key: String) -> [String: Any] {
        ((json["sections"] as? [String: Any])?[key] as? [String: Any]) ?? [:]
    }

    static func value(_ json: [String: Any], _ section: String, _ line: String) -> String? {
        (self.section(json, section)[line] as? [String: Any])?["value"] as? String
    }

    @Test func allocatesOwnOutputIsConsistentAndGivesBackThePolicyWeights() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // allocate's CSV of all four scenarios: audit reads the rows of the audited one.
        let published = try AuditCommandTests.allocate([], to: "all.csv", in: dir)
        for scenario in ["baseline", "fund_plus_10pct", "land_tight", "whole_yuan"] {
            let result = try CLI.run(["audit"] + AuditCommandTests.sample + ["--published", published, "--scenario", scenario, "--format", "json"])
            #expect(result.status == 0, "\(scenario): \(result.stderr)")
            let json = try AuditCommandTests.json(result)
            #expect(AuditCommandTests.value(json, "summary", "result") == "consistent")
            #expect(AuditCommandTests.section(json, "differences")["counties"] == nil)
            let settled = try #require(Double(AuditCommandTests.value(json, "weights", "settled") ?? ""))
            let permits = try #require(Double(AuditCommandTests.value(json, "weights", "permits") ?? ""))
            #expect(abs(settled - 0.8) < 1e-6 && abs(permits - 0.2) < 1e-6, "\(scenario): \(settled) \(permits)")
        }
    }

    @Test func swappedAmountsAreFlaggedNamingBothCounties() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLI.run(["allocate"] + AuditCommandTests.sample + ["--scenario", "baseline"])
        var lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Rows 2 and 3 are 320505 虎丘区 (18942552.54) and 320506 吴中区 (43505945.13): swap the amounts.
        lines[1] = lines[1].replacingOccurrences(of: ",18942552.54,", with: ",43505945.13,")
        lines[2] = lines[2].replacingOccurrences(of: ",43505945.13,", with: ",18942552.54,")
        let published = try CLI.write(lines.joined(separator: "\n"), to: "swapped.csv", in: dir)
        let audit = try CLI.run(["audit"] + AuditCommandTests.sample + ["--published", published])
        #expect(audit.status == 3)
        #expect(audit.stdout.contains("Result: discrepancies found"))
        #expect(audit.stdout.contains("2 county(ies) differ by more than 0.01 元, largest difference first:"))
        // 43505945.13 − 18942552.54 = 24563392.59 either way; the smaller code comes first.
        #expect(audit.stdout.contains("320505  虎丘区  43505945.13  18942552.54   24563392.59  none   \(published):2"), "\(audit.stdout)")
        #expect(audit.stdout.contains("320506  吴中区  18942552.54  43505945.13  -24563392.59  none   \(published):3"))
        #expect(audit.stdout.contains("Difference (元): 0.00"))  // the total still matches
    }

    @Test func weightsOfATableMadeWithOtherWeightsAreRecovered() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let published = try AuditCommandTests.allocate(["--scenario", "baseline", "--set", "money.weights.settled=0.6",
                                                        "--set", "money.weights.permits=0.4"], to: "w.csv", in: dir)
        let result = try CLI.run(["audit"] + AuditCommandTests.sample + ["--published", published, "--format", "json"])
        #expect(result.status == 3)
        let json = try AuditCommandTests.json(result)
        let settled = try #require(Double(AuditCommandTests.value(json, "weights", "settled") ?? ""))
        #expect(abs(settled - 0.6) < 1e-6, "\(settled)")
        #expect((AuditCommandTests.section(json, "differences")["counties"] as? [Any])?.count == 33)
        #expect(AuditCommandTests.value(json, "summary", "result") == "discrepancies found")
    }

    @Test func chineseTableInWanWithATolerance() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The baseline in 万元 with 2 decimals, as bulletins print it: each amount is off by up to 50 元.
        let result = try CLI.run(["allocate"] + AuditCommandTests.sample + ["--scenario", "baseline", "--lang", "zh"])
        let rows = result.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        var text = "区划代码,分配金额\n"
        for row in rows {
            let fen = Int(row[8].replacingOccurrences(of: ".", with: ""))!
            let wanHundredths = (fen + 5000) / 10_000  // 0.01 万元 = 100 元 = 10 000 fen, rounded half up
            text += "\(row[1]),\(wanHundredths / 100).\(String(format: "%02d", wanHundredths % 100))\n"
        }
        let published = try CLI.write(text, to: "wan.csv", in: dir)
        let loose = try CLI.run(["audit"] + AuditCommandTests.sample + ["--published", published, "--unit", "wan",
                                                                        "--tolerance", "50", "--lang", "zh"])
        #expect(loose.stdout.contains("没有地区的差额超过容差。"), "\(loose.stdout)")
        // Without --tolerance: half of the table's last place, 0.005 万元 = 50 元 (contract §10.7).
        let printed = try CLI.run(["audit"] + AuditCommandTests.sample + ["--published", published, "--unit", "wan"])
        #expect(printed.status == 0)
        #expect(printed.stdout.contains("  Tolerance (元): 50.00\n"))
        #expect(printed.stdout.contains("Reproduces the table with settled 0.8, permits 0.2"))
        let strict = try CLI.run(["audit"] + AuditCommandTests.sample + ["--published", published, "--unit", "wan", "--tolerance", "0.01"])
        #expect(strict.status == 3)
        #expect(strict.stdout.contains("Published amounts read in: wan"))
        #expect(strict.stdout.contains("No weights with at most 4 decimals reproduce the table within the tolerance."))
    }

    @Test func landDifferencesAreReported() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let published = try CLI.write("code,amount,用地指标(亩)\n320505,18942552.54,821.17\n", to: "land.csv", in: dir)
        let result = try CLI.run(["audit"] + AuditCommandTests.sample + ["--published", published, "--format", "markdown"])
        #expect(result.status == 3)
        #expect(result.stdout.contains("| 320505 | 虎丘区 | 821.17 | 821.16 | 0.01 | \(published):2 |"), "\(result.stdout)")
        #expect(result.stdout.contains("Missing from the published table (32):"))
    }

    @Test(arguments: [
        (["--published", "p.csv", "--unit", "dollar"], "--unit dollar is not known"),
        (["--published", "p.csv", "--tolerance", "abc"], "--tolerance abc is not a number"),
        (["--published", "p.csv", "--land-tolerance=-1"], "--land-tolerance -1 is not a number ≥ 0"),
        ([], "Missing expected argument '--published <published>'"),
        (["--published", "p.csv", "--scenario", "nope"], "unknown --scenario nope"),
        (["--published", "p.csv", "--format", "csv"], "The value 'csv' is invalid for '--format <format>'"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try CLI.write("code,amount\n320505,1\n", to: "p.csv", in: dir)
        let root = CLI.root.path
        let result = try CLI.run(["audit", "--settlement", "\(root)/data/settlement.csv", "--budget", "\(root)/data/budget.csv"] + arguments,
                                 in: dir)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: [
        ("code,amount\n320505,x\n", "p.csv, line 2, column 2 (amount): value \"x\" is not a number"),
        ("code,分配金额(万元)\n320505,1\n", "p.csv, line 1, column 2 (分配金额(万元) = amount): value \"分配金额(万元)\" says the amounts are in 万元, but --unit is yuan"),
        ("code,amount\n320505,1\n320505,2\n", "p.csv, line 3, column 1 (code): value \"320505\" repeats the code on line 2"),
        ("code\n320505\n", "p.csv, line 1: has no amount column"),
    ])
    func badPublishedTableExits1(text: String, message: String) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try CLI.write(text, to: "p.csv", in: dir)
        let root = CLI.root.path
        let result = try CLI.run(["audit", "--settlement", "\(root)/data/settlement.csv", "--budget", "\(root)/data/budget.csv",
                                  "--published", "p.csv", "--unit", "yuan"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func unreadablePublishedFileExits1() throws {
        let result = try CLI.run(["audit"] + AuditCommandTests.sample + ["--published", "no/such.csv"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no/such.csv: cannot be read"), "\(result.stderr)")
    }
}
