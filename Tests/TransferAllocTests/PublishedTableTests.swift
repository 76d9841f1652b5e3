import Testing
@testable import TransferAlloc

private func read(_ text: String, unit: FundUnit? = nil, scenario: String = "baseline") throws(InputError) -> PublishedTable {
    try PublishedTable.read(bytes: Array(text.utf8), file: "p.csv", unit: unit, unitName: "--unit", scenario: scenario, scenarioName: "--scenario", landUnit: .mu)
}

private func failure(_ text: String, unit: FundUnit? = nil, scenario: String = "baseline") -> String {
    do {
        _ = try read(text, unit: unit, scenario: scenario)
        return "no error"
    } catch {
        return error.description
    }
}

@Suite struct PublishedTableTests {
    @Test func englishHeadersInYuan() throws {
        let table = try read("code,name,amount,land_quota\n1,a,\"1,234.56\",1.5\n2,b,0.01,\n")
        #expect(table.rows.map(\.code) == ["1", "2"])
        #expect(table.rows.map(\.amountFen) == [Rational(123_456), Rational(1)])
        #expect(table.rows[0].landM2 == Rational(1000))  // 1.5 亩 = 1.5 × 2000/3 m²
        #expect(table.rows[1].landM2 == nil)
        #expect(table.hasLandQuota && table.amountUnit == .yuan)
    }

    @Test func chineseHeadersWithUnits() throws {
        let table = try read("区划代码,分配金额(万元),用地指标（公顷）\n320506,1.234567,2\n")
        #expect(table.amountUnit == .wan)
        #expect(table.rows[0].amountFen == Rational(1_234_567))  // 1.234567 万元 = 12345.67 元
        #expect(table.rows[0].landM2 == Rational(20_000))
        #expect(try read("区划代码,分配金额\n1,2\n", unit: .wan).rows[0].amountFen == Rational(2_000_000))
    }

    @Test func gb18030TableIsDetected() throws {
        // "区划代码,分配金额(万元)\n" in GB18030, then "320506,1.5\n".
        let header: [UInt8] = [199, 248, 187, 174, 180, 250, 194, 235, 44, 183, 214, 197, 228, 189, 240, 182, 238,
                               40, 205, 242, 212, 170, 41, 10]
        let table = try PublishedTable.read(bytes: header + Array("320506,1.5\n".utf8), file: "p.csv", unit: nil,
                                            unitName: "--unit", scenario: "baseline", scenarioName: "--scenario", landUnit: .mu)
        #expect(table.amountUnit == .wan)
        #expect(table.rows.map(\.amountFen) == [Rational(1_500_000)])
    }

    @Test func onlyTheAuditedScenarioIsRead() throws {
        let text = "scenario,code,amount\nbaseline,1,10\nother,1,20\n,2,30\n"
        #expect(try read(text).rows.map(\.amountFen) == [Rational(1000), Rational(3000)])
        #expect(try read(text, scenario: "other").rows.map(\.line) == [3])
    }

    @Test(arguments: [
        ("code,amount\n1,5\n1,6\n", nil, "p.csv, line 3, column 1 (code): value \"1\" repeats the code on line 2"),
        ("code,amount\n1,\n", nil, "p.csv, line 2, column 2 (amount): value \"\" is empty"),
        ("code,amount\n1,-5\n", nil, "p.csv, line 2, column 2 (amount): value \"-5\" is negative"),
        ("code,amount\n1,5元\n", nil, "p.csv, line 2, column 2 (amount): value \"5元\" is not a number"),
        ("code,total\n1,5\n", nil, "p.csv, line 1: has no amount column"),
        ("region,amount\n1,5\n", nil, "p.csv, line 1: has no code column and no name column"),
        ("code,amount(美元)\n1,5\n", nil, "names the unit 美元, which is not a money unit"),
        ("code,分配金额(万元)\n1,5\n", FundUnit.yuan, "says the amounts are in 万元, but --unit is yuan"),
        ("code,amount,land_quota(acre)\n1,5,1\n", nil, "names the unit acre, which is not a land unit"),
        ("code,amount\n", nil, "p.csv, line 1: is an empty table"),
        ("scenario,code,amount\nother,1,5\n", nil, "p.csv, line 1: has no row for scenario baseline"),
        ("code,amount,amount\n1,5,5\n", nil, "p.csv, line 1, column 3 (amount): value \"amount\" names the same column as column 2"),
    ] as [(String, FundUnit?, String)])
    func rejectsBadTables(text: String, unit: FundUnit?, message: String) {
        let error = failure(text, unit: unit)
        #expect(error.contains(message), "\(error)")
    }
}
