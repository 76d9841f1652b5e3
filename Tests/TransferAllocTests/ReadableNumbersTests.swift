import Testing
@testable import TransferAlloc

/// How the formats people read show numbers: thousands grouping and 万元, never rounding.
@Suite struct ReadableNumbersTests {
    @Test(arguments: [
        ("0", "0"), ("999", "999"), ("1000", "1,000"), ("6843", "6,843"), ("18942552.54", "18,942,552.54"),
        ("-878908.93", "-878,908.93"), ("-100", "-100"), ("0.0398790580", "0.0398790580"), ("1234567890123", "1,234,567,890,123"),
        // Not plain decimal numbers: unchanged.
        ("none", "none"), ("", ""), ("1,000", "1,000"), ("12.", "12."), (".5", ".5"), ("1e5", "1e5"), ("320505 ", "320505 "),
    ])
    func grouping(cell: String, shown: String) {
        #expect(ReadableNumbers.grouped(cell) == shown)
    }

    @Test(arguments: [
        // 元 → 万元: the point moves four places; every digit stays, at least two decimals.
        ("18942552.54", "1894.255254"), ("500000000.00", "50000.00"), ("475000000.00", "47500.00"),
        ("12345.60", "1.23456"), ("0.01", "0.000001"), ("0.00", "0.00"), ("-878908.93", "-87.890893"),
        ("100", "0.01"), ("7", "0.0007"), ("none", "none"), ("", ""),
    ])
    func wan(yuan: String, shown: String) {
        #expect(ReadableNumbers.money(yuan, in: .wan) == shown)
    }

    @Test func yuanIsUnchangedForTwoDecimalAmounts() {
        for cell in ["18942552.54", "0.00", "-5.10", "1000000.00"] {
            #expect(ReadableNumbers.money(cell, in: .yuan) == cell)
        }
        #expect(ReadableNumbers.money("2768.1", in: .yuan) == "2768.10")
    }

    @Test func moreDecimalsPadWithZerosOnly() {
        #expect(ReadableNumbers.money("500000000.00", in: .wan, decimals: 6) == "50000.000000")
        #expect(ReadableNumbers.money("18942552.54", in: .wan, decimals: 4) == "1894.255254")
        #expect(ReadableNumbers.moneyDecimals("18942552.50", in: .wan) == 5)
        #expect(ReadableNumbers.moneyDecimals("10000.00", in: .wan) == 2)
        #expect(ReadableNumbers.moneyDecimals("n/a", in: .wan) == nil)
    }

    @Test func phrasesRestateOnlyAmountsInYuan() {
        #expect(ReadableNumbers.phrase("47500000.00 元 (10.00%)", in: .wan, grouping: true) == "4,750.00 万元 (10.00%)")
        #expect(ReadableNumbers.phrase("47500000.00 元 (10.00%)", in: .yuan, grouping: false) == "47500000.00 元 (10.00%)")
        #expect(ReadableNumbers.phrase("17255.03 亩", in: .wan, grouping: true) == "17,255.03 亩")
        #expect(ReadableNumbers.phrase("33 / 0 / 0", in: .wan, grouping: true) == "33 / 0 / 0")
    }

    @Test func aMoneyColumnTakesTheDecimalsOfItsMostPreciseValue() {
        let table = ReportTable(columns: [ReportColumn("code", "区划代码", isText: true), ReportColumn("settlers", "当年落户人数"),
                                          ReportColumn("amount", "分配金额(元)"), ReportColumn("change", "增减额(元)")],
                                rows: [["1", "10000", "10000.00", "-0.50"], ["2", "20000", "12345.67", "100.00"]])
        let shown = table.inMoneyUnit(.wan, footer: ["Total", "30000", "22345.67", "99.50"])
        #expect(shown.table.columns.map(\.key) == ["code", "settlers", "amount (万元)", "change (万元)"])
        #expect(shown.table.columns.map(\.chinese) == ["区划代码", "当年落户人数", "分配金额(万元)", "增减额(万元)"])
        // amount needs 6 places (12345.67 元 = 1.234567 万元), change 5 (0.50 元 = 0.00005 万元).
        #expect(shown.table.rows == [["1", "10000", "1.000000", "-0.00005"], ["2", "20000", "1.234567", "0.01000"]])
        #expect(shown.footer == ["Total", "30000", "2.234567", "0.00995"])
        #expect(table.inMoneyUnit(.yuan).table.rows == table.rows)
    }

    @Test func terminalTableAlignsByDisplayWidthAndGroups() {
        let table = ReportTable(columns: [ReportColumn("name", "名称", isText: true), ReportColumn("amount", "分配金额(元)")],
                                rows: [["虎丘区", "18942552.54"], ["A\u{1B}[2J", "5.00"]])
        #expect(table.text(language: .en, footer: ["Total", "18942557.54"]) == """
              name    amount
              ------  -------------
              虎丘区  18,942,552.54
              A\u{FFFD}[2J            5.00
              ------  -------------
              Total   18,942,557.54

            """)
    }
}
