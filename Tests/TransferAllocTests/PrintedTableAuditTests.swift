import Foundation
import Testing

/// `audit` of a table as provinces print it (contract §10.7): names instead of codes, 万元, a
/// 合计 row, 小计 / 市本级 rows, the tolerance the table's precision implies, and the simplest
/// weights that reproduce it. The worked example's `below_demand` scenario allocates
/// 9,700,000.00 元: 丙县 1,778,333.33, 甲县 4,365,000.00, 乙县 3,556,666.67 (docs/worked-example.md).
@Suite struct PrintedTableAuditTests {
    static let worked = ["--settlement", "docs/examples/worked/settlement.csv", "--budget", "docs/examples/worked/budget.csv",
                         "--scenario", "below_demand"]

    static func audit(_ table: String, _ extra: [String] = []) throws -> CLI.Result {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try CLI.write(table, to: "printed.csv", in: dir)
        return try CLI.run(["audit"] + Self.worked + ["--published", path] + extra)
    }

    /// The scenario printed in 万元 with two decimals: 177.83, 436.50, 355.67 (each within 50 元).
    static let printed = """
        地区,金额（万元）
        甲县,436.50
        乙县,355.67
        丙县,177.83
        小计,970.00
        市本级,0
        合　计,970.00

        """

    @Test func aPrintedTableIsMatchedByNameInWanWithItsTotal() throws {
        let result = try Self.audit(Self.printed)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("  Counties matched by: name (the published table has no code column)\n"))
        #expect(out.contains("  Published amounts read in: wan\n"))
        // Half of 0.01 万元.
        #expect(out.contains("  Tolerance (元): 50.00\n"))
        #expect(out.contains("  Counties recomputed / published / in both: 3 / 3 / 3\n"))
        #expect(out.contains("  Published total row (元): 9700000.00\n"))
        #expect(out.contains("printed.csv:7 合　计\n"))
        #expect(out.contains("  Σ of the published county rows (元): 9700000.00\n"))
        #expect(out.contains("  Subtotal rows, not compared (2):\n"))
        #expect(out.contains("小计    9700000.00") && out.contains("市本级        0.00"))
        #expect(out.contains("No county differs by more than the tolerance."))
        #expect(out.contains("Reproduces the table with settled 0.8, permits 0.2"))
    }

    @Test func theTotalRowIsComparedWithTheAllocatedAmount() throws {
        // 970.10 万元 = 9,701,000 元: 1,000 元 more than allocated, above the 50 元 tolerance.
        let result = try Self.audit(Self.printed.replacingOccurrences(of: "合　计,970.00", with: "总计,970.10"))
        #expect(result.status == 3)
        #expect(result.stdout.contains("  Published total row (元): 9701000.00\n"))
        #expect(result.stdout.contains("  Difference (元): 1000.00\n      above the tolerance: total mismatch\n"))
        // No weights can fix a total.
        #expect(result.stdout.contains("No weights with at most 4 decimals reproduce the table within the tolerance."))
    }

    @Test(arguments: [
        // Amount header, cells, the default tolerance in 元.
        ("金额(元)", ["4365000", "3556667", "1778333"], "0.50"),           // whole 元: half a yuan
        ("amount", ["4365000.00", "3556666.67", "1778333.33"], "0.01"),     // fen: half a fen, at least 0.01
        ("amount (万元)", ["436.5", "355.6667", "177.8333"], "0.50"),       // 4 places of 万元: 0.5 元
        ("金额（亿元）", ["0.04", "0.04", "0.02"], "500000.00"),            // 0.005 亿元
    ])
    func theDefaultToleranceIsHalfTheLastPrintedPlace(header: String, cells: [String], tolerance: String) throws {
        let table = "区划代码,\(header)\n110101,\(cells[0])\n110102,\(cells[1])\n110103,\(cells[2])\n"
        let result = try Self.audit(table)
        #expect(result.stdout.contains("  Tolerance (元): \(tolerance)\n"), "\(result.stdout)")
        let overridden = try Self.audit(table, ["--tolerance", "1234"])
        #expect(overridden.stdout.contains("  Tolerance (元): 1234.00\n"))
    }

    @Test func aCodeTableKeepsItsTotalRowWithoutACode() throws {
        let table = "区划代码,名称,分配金额\n110101,甲县,4365000.00\n110102,乙县,3556666.67\n110103,丙县,1778333.33\n,合计,9700000.00\n"
        let result = try Self.audit(table)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("  Published total row (元): 9700000.00\n"))
        #expect(!result.stdout.contains("matched by"))
        // An empty code on a row that is not a total is still an error.
        let bad = try Self.audit(table.replacingOccurrences(of: ",合计,", with: ",其他,"))
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("line 5, column 1 (区划代码 = code): value \"\" is empty; expected a code such as 320506, or a total row named 合计 or 总计"))
    }
}
