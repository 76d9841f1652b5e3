import Testing
@testable import TransferAlloc

/// The date table of docs/aggregate.md, case by case.
@Suite struct RegisterDateTests {
    @Test(arguments: [
        ("2023-05-17", 2023, 5, 17), ("2023/05/17", 2023, 5, 17), ("2023/5/7", 2023, 5, 7),
        ("2023-5-07", 2023, 5, 7), ("2023-12-1", 2023, 12, 1), ("20230517", 2023, 5, 17),
        ("2024-02-29", 2024, 2, 29), ("2000-02-29", 2000, 2, 29), ("0001-01-01", 1, 1, 1),
        ("9999/12/31", 9999, 12, 31),
    ])
    func valid(text: String, year: Int, month: Int, day: Int) {
        let expected = RegisterDate(year: year, month: month, day: day)
        #expect(RegisterDate.parse(Array(text.utf8)) == .valid(expected))
        let packed = Array(text.utf8).withUnsafeBytes { RegisterDate.packed($0) }
        #expect(packed == year * 10_000 + month * 100 + day)
    }

    @Test(arguments: [
        ("2023-02-29", "2023 has no 29 February"), ("1900-02-29", "1900 has no 29 February"),
        ("2023-13-01", "there is no month 13"), ("2023-00-10", "there is no month 0"),
        ("2023-04-31", "month 4 has no day 31"), ("2023/4/0", "month 4 has no day 0"),
        ("20231301", "there is no month 13"), ("0000-01-01", "there is no year 0000"),
    ])
    func impossible(text: String, why: String) {
        #expect(RegisterDate.parse(Array(text.utf8)) == .impossible(why))
        #expect(Array(text.utf8).withUnsafeBytes { RegisterDate.packed($0) } == -1)
    }

    @Test(arguments: ["2023-05/17", "23-5-17", "2023.05.17", "17/05/2023", "2023-05-17 10:00", "2023-5-", "2023--5",
                      "2023-005-1", "2023-5-123", "202305170", "2023051", "２０２３-05-17", "2023-0a-17", "", "2023-05-1７"])
    func malformed(text: String) {
        #expect(RegisterDate.parse(Array(text.utf8)) == .malformed)
        #expect(Array(text.utf8).withUnsafeBytes { RegisterDate.packed($0) } == -1)
    }
}
