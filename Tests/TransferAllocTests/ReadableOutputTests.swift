import Foundation
import Testing

/// The formats people read, through the binary: the aligned table a terminal gets by default,
/// `--money-unit wan`, and HTML numbers and subtotals. CSV and JSON stay as programs read them.
@Suite struct ReadableOutputTests {
    static let worked = ["--settlement", "docs/examples/worked/settlement.csv", "--budget", "docs/examples/worked/budget.csv"]
    static let sample = ["--settlement", "data/settlement.csv", "--budget", "data/budget.csv"]

    /// Runs the binary with a terminal as standard output (util-linux `script`), as a person does.
    static func onTerminal(_ arguments: [String]) throws -> CLI.Result {
        let command = ([CLI.binary.path] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        var result = try CLI.runProgram("/usr/bin/script", ["-qec", command, "/dev/null"])
        // The terminal turns line ends into CR LF.
        result.stdout = result.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        return result
    }

    @Test func theTableGroupsNumbersAndTotalsEachScenario() throws {
        let result = try CLI.run(["allocate"] + Self.worked + ["--format", "table", "--scenario", "below_demand"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.components(separatedBy: "\n")
        #expect(lines.contains("  Allocated         9,700,000.00 元"))
        #expect(lines.contains("  110101  甲县       150             240           1,000         1.25  0.4500000000  4,365,000.00           29,100.00  none             100       15,000.00       12.47"))
        #expect(lines.contains("  Total              470                                                             9,700,000.00                                                                 30.00"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func aTerminalGetsTheTableAPipeGetsCSV() throws {
        let onTerminal = try Self.onTerminal(["allocate"] + Self.worked + ["--scenario", "below_demand"])
        #expect(onTerminal.status == 0)
        #expect(onTerminal.stdout.contains("  Allocated         9,700,000.00 元"))
        #expect(!onTerminal.stdout.contains("below_demand,110103"))
        let piped = try CLI.run(["allocate"] + Self.worked + ["--scenario", "below_demand"])
        let csv = try CLI.run(["allocate"] + Self.worked + ["--scenario", "below_demand", "--format", "csv"])
        #expect(piped.stdout.hasPrefix("scenario,code,name,settlers,"))
        #expect(piped.stdoutBytes == csv.stdoutBytes)
        // An explicit format wins on a terminal too.
        let csvOnTerminal = try Self.onTerminal(["allocate"] + Self.worked + ["--scenario", "below_demand", "--format", "csv"])
        #expect(csvOnTerminal.stdout == csv.stdout)
    }

    @Test func wanShowsEveryDecimalTheAmountNeeds() throws {
        // 1778333.33 元 = 177.833333 万元; 4365000.00 元 = 436.5 万元, padded to the column's 6 places.
        let result = try CLI.run(["allocate"] + Self.worked + ["--format", "markdown", "--scenario", "below_demand", "--money-unit", "wan"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("- Allocated: 970.00 万元\n"))
        #expect(result.stdout.contains("| 110103 | 丙县 | 150 | 200 | 2500 | 0.5 | 0.1833333333 | 177.833333 | 1.185556 | none |"))
        #expect(result.stdout.contains("| 110101 | 甲县 | 150 | 240 | 1000 | 1.25 | 0.4500000000 | 436.500000 | 2.910000 | none |"))
        #expect(result.stdout.contains("| **Total** |  | 470 |  |  |  |  | 970.000000 |"))
        #expect(result.stdout.contains("amount (万元)"))
        let zh = try CLI.run(["allocate"] + Self.worked + ["--format", "table", "--scenario", "below_demand", "--money-unit", "wan", "--lang", "zh"])
        #expect(zh.stdout.contains("分配金额(万元)"))
        #expect(zh.stdout.contains("  分配        970.00 万元"))
    }

    @Test func programsKeepYuan() throws {
        for format in ["csv", "json"] {
            let result = try CLI.run(["allocate"] + Self.worked + ["--format", format, "--money-unit", "wan"])
            #expect(result.status == 64)
            #expect(result.stderr.contains("--money-unit wan is for the formats people read (table, markdown, html); --format \(format) always carries 元"))
        }
        let yuan = try CLI.run(["allocate"] + Self.worked + ["--format", "csv", "--money-unit", "yuan"])
        #expect(yuan.status == 0)
    }

    @Test func whatifAndSweepTables() throws {
        let whatif = try CLI.run(["whatif"] + Self.sample + ["--format", "table", "--money-unit", "wan"])
        #expect(whatif.status == 0, "\(whatif.stderr)")
        // fund_plus_10pct against baseline: 47500000.00 元 more, i.e. 4750 万元.
        #expect(whatif.stdout.contains("  Net change                      4,750.00 万元 (10.00%)"))
        #expect(whatif.stdout.contains("baseline_amount (万元)"))
        let sweep = try CLI.run(["sweep"] + Self.sample + ["--format", "table", "--scenario", "baseline",
                                                           "--vary", "money.weights.settled=0.6:0.9:0.1"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(sweep.stdout.contains("  Varied    money.weights.settled = 0.6 … 0.9, step 0.1 (4 values)"))
        // 虎丘区 from the summary CSV: 20203405.62 at 0.6, 18312126.00 at 0.9.
        #expect(sweep.stdout.contains("  320505  虎丘区    20,203,405.62  18,312,126.00"))
    }

    @Test func htmlGroupsNumbersAndSubtotalsByPrefecture() throws {
        let csv = try CLI.run(["allocate"] + Self.sample + ["--scenario", "baseline"])
        let html = try CLI.run(["allocate"] + Self.sample + ["--scenario", "baseline", "--format", "html"])
        #expect(html.status == 0)
        #expect(html.stdout.contains("<td class=\"num\">18,942,552.54</td>"))
        #expect(html.stdout.contains("<td class=\"name\">虎丘区</td>"))
        // Each prefecture's subtotal is the sum of its counties' amounts in the CSV.
        let parents = try String(contentsOf: CLI.root.appendingPathComponent("data/settlement.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let parentOf = Dictionary(uniqueKeysWithValues: parents.map { (String($0[0]), String($0[2])) })
        var fen: [String: Int] = [:]
        var order: [String] = []
        for row in WhatifCommandTests.records(csv.stdout) {
            let parent = parentOf[row["code"]!]!
            if fen[parent] == nil { order.append(parent) }
            fen[parent, default: 0] += Int(WhatifCommandTests.fen(row["amount"]!))
        }
        #expect(order == ["320500", "330400", "370900", "431000"])
        #expect(fen.values.reduce(0, +) == 47_500_000_000)
        #expect(html.stdout.contains("<h3>Subtotals by prefecture</h3>"))
        for parent in order {
            let yuan = String(fen[parent]! / 100) + "." + String(format: "%02d", fen[parent]! % 100)
            let cell = "<td class=\"num\">\(ReadableNumbersTests.grouped(yuan))</td>"
            #expect(html.stdout.contains("<tr><td class=\"name\">\(parent)</td>"), "\(parent)")
            #expect(html.stdout.contains(cell), "\(parent): \(cell)")
        }
        // A table without parent codes has no subtotals.
        let worked = try CLI.run(["allocate"] + Self.worked + ["--format", "html"])
        #expect(!worked.stdout.contains("Subtotals by prefecture"))
    }
}

extension ReadableNumbersTests {
    /// Thousands grouping written independently of the code under test.
    static func grouped(_ yuan: String) -> String {
        let negative = yuan.hasPrefix("-")
        let parts = yuan.dropFirst(negative ? 1 : 0).split(separator: ".")
        var integer = String(parts[0])
        var groups: [String] = []
        while integer.count > 3 {
            groups.insert(String(integer.suffix(3)), at: 0)
            integer = String(integer.dropLast(3))
        }
        groups.insert(integer, at: 0)
        return (negative ? "-" : "") + groups.joined(separator: ",") + (parts.count > 1 ? "." + parts[1] : "")
    }
}
