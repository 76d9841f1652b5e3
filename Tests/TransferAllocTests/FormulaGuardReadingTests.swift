import Foundation
import Testing
@testable import TransferAlloc

/// The `'` the tool writes before a formula-looking cell is dropped again when a table is read,
/// so the tool's own CSV reads back as the values it held (docs/inputs.md, "Formula guard").
@Suite struct FormulaGuardReadingTests {
    static let settledOnly = ["--set", "money.weights.settled=1", "--set", "money.weights.permits=0",
                              "--set", "money.coefficient_columns=[]"]

    @Test func aGuardBeforeAGuardedCharacterIsDroppedAndNoOtherQuote() throws {
        let table = try CSVReader.parse(text: "code,name\n'-2,'=A1\n'abc,''+x\n' '@y, '\n",
                                        file: "t.csv", encoding: .utf8)
        #expect(table.records.map(\.fields) == [["-2", "=A1"], ["'abc", "''+x"], ["' '@y", "'"]])
    }

    /// allocate's own CSV, scenario `+10%` and code `-2` written as `'+10%` and `'-2`, is a
    /// published table that audit finds consistent, every county in both.
    @Test func auditReadsAllocatesGuardedCSV() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write("code,name,settled\n-2,neg,3\n110102,b,5\n", to: "s.csv", in: directory)
        try CLI.write("scenario,fund_total\nbase,100\n+10%,110\n", to: "b.csv", in: directory)
        let inputs = ["--settlement", "s.csv", "--budget", "b.csv"] + Self.settledOnly
        let allocated = try CLI.run(["allocate"] + inputs + ["--output", "published.csv"], in: directory)
        #expect(allocated.status == 0, "\(allocated.stderr)")
        let published = try String(contentsOf: directory.appendingPathComponent("published.csv"), encoding: .utf8)
        #expect(published.contains("'+10%,'-2,neg,3,3,1,0.3750000000,41.25,13.75,none\n"))
        let audit = try CLI.run(["audit"] + inputs + ["--published", "published.csv", "--scenario", "+10%"], in: directory)
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
        #expect(audit.stdout.contains("Result: consistent"))
        #expect(audit.stdout.contains("Counties recomputed / published / in both: 2 / 2 / 2"))
    }

    /// aggregate writes code `-5` as `'-5`; allocate reads that table back with code `-5`.
    @Test func aggregateOutputFeedsAllocate() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write("dest_code,origin_code,settle_date\n-5,120101,2023-03-01\n110101,120101,2023-03-02\n'-5,120101,2023-04-01\n",
                      to: "reg.csv", in: directory)
        let aggregated = try CLI.run(["aggregate", "reg.csv", "--year", "2023", "--prior", "0", "--output", "table.csv"],
                                     in: directory)
        #expect(aggregated.status == 0, "\(aggregated.stderr)")
        #expect(try String(contentsOf: directory.appendingPathComponent("table.csv"), encoding: .utf8)
            == "code,cross_province,within_province,within_city\n'-5,2,0,0\n110101,1,0,0\n")
        let allocated = try CLI.run(["allocate", "--settlement", "table.csv", "--fund-total", "90", "--format", "json"]
            + Self.settledOnly, in: directory)
        #expect(allocated.status == 0, "\(allocated.stderr)")
        #expect(allocated.stdout.contains("\"code\": \"-5\""))
        #expect(!allocated.stdout.contains("'-5"))
    }
}
