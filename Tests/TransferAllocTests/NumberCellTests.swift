import BigInt
import Testing
@testable import TransferAlloc

@Suite struct NumberCellTests {
    @Test(arguments: [
        ("0", "0", 0),
        ("12", "12", 0),
        ("007", "7", 0),
        ("1,234", "1234", 0),
        ("1,234,567", "1234567", 0),
        ("0,123", "123", 0),
        ("123,456", "123456", 0),
        ("1,234.50", "123450", 2),
        ("0.050", "50", 3),
        ("12.0", "120", 1),
        ("１２", "12", 0),
        ("１,２３４.５", "12345", 1),
        ("1２,３45.０5", "1234505", 2),
        ("999,999,999,999,999,999,999.99", "99999999999999999999999", 2),
        // 60 digits, the most accepted: 18-digit chunks and a tail.
        (String(repeating: "9", count: 60), String(repeating: "9", count: 60), 0),
        (String(repeating: "1", count: 30) + "." + String(repeating: "2", count: 30),
         String(repeating: "1", count: 30) + String(repeating: "2", count: 30), 30),
    ])
    func accepted(text: String, significand: String, scale: Int) throws {
        let expected = ExactDecimal(significand: try #require(BigInt(significand)), scale: scale)
        #expect(NumberCell.parse(text) == .success(expected))
    }

    @Test(arguments: [
        "", "-", "+1", ".", ".5", "5.", "-.5", "1.2.3", "1e5", "1E5", "0x10", "abc", "1 234", " 1",
        "1,23", "12,34,567", ",123", "1,,234", "1234,567", "1,234,", "1,2345", "1,234.5,6",
        "1.234,5", "1,", "1_000", "１，２３４", "1．5", "١٢", "--1", "-+1", "- 1", "-1,23", "12-",
        "∞", "NaN",
        String(repeating: "1", count: 61),
        "0." + String(repeating: "0", count: 60),
        String(repeating: "9", count: 400),
    ])
    func malformed(text: String) {
        #expect(NumberCell.parse(text) == .failure(.malformed))
    }

    @Test(arguments: ["-5", "-0", "-0.0", "-1,234.5", "－３", "\u{2212}2", "-１２"])
    func negative(text: String) {
        #expect(NumberCell.parse(text) == .failure(.negative))
    }

    @Test(arguments: [
        ("12", 12), ("12.0", 12), ("1,234.000", 1234), ("０", 0), ("0.00", 0), ("１２.０", 12),
    ])
    func whole(text: String, value: Int) {
        #expect(NumberCell.parseWhole(text) == .success(BigInt(value)))
    }

    @Test(arguments: [
        ("12.5", NumberCell.Failure.notWhole),
        ("0.01", .notWhole),
        ("12.50", .notWhole),
        ("1,234.001", .notWhole),
        ("-12.5", .negative),
        ("-12", .negative),
        ("12.", .malformed),
        ("1,23", .malformed),
        ("", .malformed),
    ])
    func notWhole(text: String, failure: NumberCell.Failure) {
        #expect(NumberCell.parseWhole(text) == .failure(failure))
    }

    @Test func largeWholeNumbersStayExact() {
        let text = "123,456,789,012,345,678,901,234,567,890"
        let expected: BigInt = "123456789012345678901234567890"
        #expect(NumberCell.parseWhole(text) == .success(expected))
    }
}
