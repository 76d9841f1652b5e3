import Foundation
import Testing
@testable import TransferAlloc

/// A register computed by hand: each origin class, prior years, ignored years, an empty id.
///
/// | row | dest   | origin | date       | year | goes to                               |
/// |-----|--------|--------|------------|------|---------------------------------------|
/// | A1  | 320506 | 410102 | 2023-05-17 | Y    | cross_province (32 ≠ 41)              |
/// | A2  | 320506 | 321002 | 2023/5/1   | Y    | within_province (32 = 32, 3205 ≠ 3210)|
/// | A3  | 320506 | 320583 | 20231231   | Y    | within_city (3205 = 3205)             |
/// | A4  | 320583 | 320506 | 2022-01-01 | Y−1  | prior_1                               |
/// | A5  | 320583 | 110101 | 2021-12-31 | Y−2  | prior_2                               |
/// | A6  | 110101 | 320506 | 2019-02-28 | Y−4  | prior_4                               |
/// | —   | 110101 | 320506 | 2018-06-30 | —    | ignored (2018)                        |
/// | —   | 320506 | 320583 | 2024-01-01 | —    | ignored (2024)                        |
let handRegister = """
    person_id,dest_code,origin_code,settle_date
    A1,320506,410102,2023-05-17
    A2,320506,321002,2023/5/1
    A3,320506,320583,20231231
    A4,320583,320506,2022-01-01
    A5,320583,110101,2021-12-31
    A6,110101,320506,2019-02-28
    ,110101,320506,2018-06-30
    ,320506,320583,2024-01-01

    """

let handExpected = [
    RegisterCounty(code: "110101", crossProvince: 0, withinProvince: 0, withinCity: 0, priors: [0, 0, 0, 1]),
    RegisterCounty(code: "320506", crossProvince: 1, withinProvince: 1, withinCity: 1, priors: [0, 0, 0, 0]),
    RegisterCounty(code: "320583", crossProvince: 0, withinProvince: 0, withinCity: 0, priors: [1, 1, 0, 0]),
]

/// Feeds `bytes` in chunks of `chunk` bytes (the last may be shorter).
func aggregate(_ bytes: [UInt8], year: Int = 2023, prior: Int = 4, chunk: Int? = nil,
               encoding: TextEncoding? = .utf8, idHashMask: UInt64 = .max) throws(InputError) -> RegisterAggregate {
    let aggregator = RegisterAggregator(file: "r.csv", year: year, priorYears: prior, encoding: encoding,
                                        source: RegisterBytes(bytes), idHashMask: idHashMask)
    let size = chunk ?? max(1, bytes.count)
    var start = 0
    while start < bytes.count {
        try aggregator.feed(Array(bytes[start..<min(bytes.count, start + size)]))
        start += size
    }
    return try aggregator.finish()
}

func aggregateError(_ text: String, year: Int = 2023, prior: Int = 4, chunk: Int? = nil,
                    idHashMask: UInt64 = .max) -> InputError? {
    do {
        _ = try aggregate(Array(text.utf8), year: year, prior: prior, chunk: chunk, idHashMask: idHashMask)
        return nil
    } catch {
        return error
    }
}

@Suite struct RegisterAggregatorTests {
    @Test func handComputedRegister() throws {
        let result = try aggregate(Array(handRegister.utf8))
        #expect(result.counties == handExpected)
        #expect(result.rows == 8)
        #expect(result.ignoredYears.map(\.year) == [2018, 2024])
        #expect(result.ignoredYears.map(\.rows) == [1, 1])
        #expect(result.checkedPersonIDs)
        #expect(result.csv() == """
            code,cross_province,within_province,within_city,prior_1,prior_2,prior_3,prior_4
            110101,0,0,0,0,0,0,1
            320506,1,1,1,0,0,0,0
            320583,0,0,0,1,1,0,0

            """)
        #expect(result.notes == ["r.csv: ignored 2 row(s) outside 2019–2023: 2018: 1, 2024: 1"])
    }

    @Test func fewerPriorYearsDropCountiesSeenOnlyEarlier() throws {
        let result = try aggregate(Array(handRegister.utf8), prior: 1)
        #expect(result.counties == [
            RegisterCounty(code: "320506", crossProvince: 1, withinProvince: 1, withinCity: 1, priors: [0]),
            RegisterCounty(code: "320583", crossProvince: 0, withinProvince: 0, withinCity: 0, priors: [1]),
        ])
        #expect(result.ignoredYears.map(\.year) == [2018, 2019, 2021, 2024])
        #expect(result.csv(language: .zh).hasPrefix("区划代码,跨省落户人数,省内跨市落户人数,市内落户人数,上年落户人数\n"))
    }

    @Test func chineseHeadersExtraColumnsAndShortCodes() throws {
        // A code shorter than 4 characters is a prefecture of its own: "32" and "3205" are two
        // prefectures of one province. In a municipality the whole city is one: "11" ← "1101".
        let text = "备注,落户日期,迁出地代码,落户地代码\n甲,2023-01-01,3205,32\n乙,2023-01-02,12,32\n丙,2023-01-03,1101,11\n"
        let result = try aggregate(Array(text.utf8), prior: 0)
        #expect(result.counties == [
            RegisterCounty(code: "11", crossProvince: 0, withinProvince: 0, withinCity: 1, priors: []),
            RegisterCounty(code: "32", crossProvince: 1, withinProvince: 1, withinCity: 0, priors: []),
        ])
        #expect(result.unknownHeaders == ["备注"])
        #expect(!result.checkedPersonIDs)
    }

    @Test func codesAreFormulaGuardedAndSortedByBytes() throws {
        let text = "dest_code,origin_code,settle_date\n=1,=1,2023-01-01\nB,A,2023-01-01\na,A,2023-01-01\n"
        let result = try aggregate(Array(text.utf8), prior: 0)
        #expect(result.counties.map(\.code) == ["=1", "B", "a"])
        #expect(result.csv() == "code,cross_province,within_province,within_city\n'=1,0,0,1\nB,1,0,0\na,1,0,0\n")
    }

    /// CRLF, a quoted field with a line break (in an ignored column and in a code), blank lines,
    /// a BOM, white space around cells: the same result whatever the chunk size.
    static let tricky: [UInt8] = Array(
        ("\u{FEFF}person_id,note,dest_code,origin_code,settle_date\r\n"
            + "A1,\"two\r\nlines\",320506,410102,2023-05-17\r\n"
            + "\r\n"
            + "A2,\"say \"\"hi\"\"\", \"320506\" ,321002,2023/5/1\r\n"
            + "A3,,320506,320583, 20231231 \n"
            + "\n"
            + "A4,x,320583,320506,2022-01-01\r"
            + "A5,\"a,b\",320583,110101,2021-12-31\r\n"
            + "A6,,110101,320506,2019-02-28\r\n"
            + ",,110101,320506,2018-06-30\r\n"
            + ",,320506,320583,2024-01-01").utf8)

    @Test func trickyInputReadWhole() throws {
        let result = try aggregate(Self.tricky)
        #expect(result.counties == handExpected)
        #expect(result.rows == 8)
    }

    @Test(arguments: 1...40)
    func everyChunkSizeGivesTheSameTable(chunk: Int) throws {
        #expect(try aggregate(Self.tricky, chunk: chunk).counties == handExpected)
    }

    @Test func everyTwoChunkSplitGivesTheSameTable() throws {
        for split in 0...Self.tricky.count {
            let aggregator = RegisterAggregator(file: "r.csv", year: 2023, priorYears: 4, encoding: .utf8)
            try aggregator.feed(Array(Self.tricky[..<split]))
            try aggregator.feed(Array(Self.tricky[split...]))
            let result = try aggregator.finish()
            #expect(result.counties == handExpected, "split at byte \(split)")
        }
    }

    @Test(arguments: [1, 2, 3, 5, 8, 13, 1000])
    func lineNumbersSurviveEveryChunkSize(chunk: Int) {
        // tricky's last row is on line 12 (CRLF, a lone CR and a quoted CRLF before it).
        let bytes = Self.tricky + Array("\r\nA9,,1,1,2023-02-30\r\n".utf8)
        do {
            _ = try aggregate(bytes, chunk: chunk)
            Issue.record("accepted 2023-02-30")
        } catch {
            #expect(error.line == 13)
        }
    }

    @Test func errorLinesCountQuotedLineBreaksAndBlankLines() {
        // The bad date is on physical line 6: the quoted field spans lines 2–3, line 4 is blank.
        let text = "note,dest_code,origin_code,settle_date\n\"a\r\nb\",1,1,2023-01-01\n\n\n1,1,1,2023-02-30\n"
        for chunk in [1, 2, 3, 7, 1000] {
            let error = aggregateError(text, chunk: chunk)
            #expect(error?.line == 6, "chunk \(chunk)")
            #expect(error?.problem == "is an impossible date (month 2 has no day 30)")
        }
    }

    /// The text in GB18030.
    private func gb18030(_ text: String) -> [UInt8] {
        Array(text.data(using: String.Encoding(rawValue: 0x8000_0632))!)
    }

    private func errorOf(_ body: () throws(InputError) -> RegisterAggregate) -> InputError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    @Test func gb18030RegisterWithChineseHeader() throws {
        // A full-width space (A1 A1 in GB18030) around an id is trimmed like any white space.
        let rows = gb18030("落户地代码,迁出地代码,落户日期,身份标识\n320506,410102,2023-05-17,1\n320506,320583,2023-05-18,\u{3000}2\u{3000}\n")
        #expect(rows[0] == 0xC2 && rows[1] == 0xE4)  // 落 in GB18030
        let detected = try aggregate(rows, encoding: nil)
        #expect(detected.encoding == .gb18030)
        #expect(detected.counties == [RegisterCounty(code: "320506", crossProvince: 1, withinProvince: 0, withinCity: 1, priors: [0, 0, 0, 0])])
        // A third row repeats id 2, once trimmed.
        let repeated = rows + gb18030("320506,320583,2023-05-19,2\n")
        for chunk in [1, 5, 1000] {
            let error = errorOf { () throws(InputError) in try aggregate(repeated, chunk: chunk, encoding: .gb18030) }
            #expect(error?.line == 4)
            #expect(error?.problem == "repeats the person_id of line 3")
            #expect(error?.column == "4 (身份标识 = person_id)")
        }
    }

    @Test func invalidGB18030ByteNamesItsLine() {
        let bytes = Array("dest_code,origin_code,settle_date,name\n1,1,2023-01-01,".utf8) + [0x81, 0x0A]
        for chunk in [1, 1000] {
            do {
                _ = try aggregate(bytes, chunk: chunk, encoding: .gb18030)
                Issue.record("accepted an invalid byte")
            } catch {
                #expect(error.line == 2)
                #expect(error.problem == "byte 81 is not valid GB18030, the encoding the file was read in")
            }
        }
    }

    @Test func nonASCIICodeIsRejectedButUnicodeSpaceIsTrimmed() throws {
        let ok = try aggregate(Array("dest_code,origin_code,settle_date\n\u{3000}320506\u{3000},1,2023-01-01\n".utf8), prior: 0)
        #expect(ok.counties.map(\.code) == ["320506"])
        let error = aggregateError("dest_code,origin_code,settle_date\n吴中,1,2023-01-01\n")
        #expect(error?.problem == "is not a code (it has non-ASCII characters)")
        #expect(error?.value == "吴中")
    }

    // MARK: person_id

    @Test func repeatedIDNamesBothLinesEvenFarApart() {
        // The id check runs a few rows behind the reader; the message is the same.
        var text = "person_id,dest_code,origin_code,settle_date\n110101199003071234,1,1,2023-01-01\n"
        for i in 0..<40 { text += "\(i),1,1,2023-01-01\n" }
        text += "110101199003071234,1,1,2023-01-01\n"
        let error = aggregateError(text)
        #expect(error?.line == 43)
        #expect(error?.value == "110101199003071234")
        #expect(error?.description == "r.csv, line 43, column 1 (person_id): value \"110101199003071234\" repeats the person_id of line 2; expected each person once in the register (an empty person_id is not checked)")
    }

    @Test func anEarlierRepeatWinsOverALaterBadValue() {
        // Row 4 repeats row 2's id; row 5 has a bad date: the repeat (line 4) is reported.
        let text = "person_id,dest_code,origin_code,settle_date\nX1,1,1,2023-01-01\nX2,1,1,2023-01-01\nX1,1,1,2023-01-01\nX3,1,1,2023-13-01\n"
        #expect(aggregateError(text)?.line == 4)
        let later = "person_id,dest_code,origin_code,settle_date\nX1,1,1,2023-01-01\nX2,1,1,2023-13-01\nX1,1,1,2023-01-01\n"
        #expect(aggregateError(later)?.line == 3)
    }

    @Test func hashedIDsNeverGiveAFalseRepeat() throws {
        // Keep 3 bits of each hash: long ids collide all the time, and each collision is
        // settled by re-reading the earlier line.
        var text = "person_id,dest_code,origin_code,settle_date\n"
        for i in 0..<200 { text += "person-\(i)-abcdefgh,1,1,2023-01-01\n" }
        let result = try aggregate(Array(text.utf8), idHashMask: 0b111)
        #expect(result.counties[0].withinCity == 200)
        let repeated = text + "person-17-abcdefgh,1,1,2023-01-01\n"
        let error = aggregateError(repeated, idHashMask: 0b111)
        #expect(error?.line == 202)
        #expect(error?.problem == "repeats the person_id of line 19")
        #expect(error?.value == "person-17-abcdefgh")
    }

    @Test func idKeysAreExactForIdentityNumbersAndShortIDs() {
        let ids = ["1", "01", "001", "12", "110101199003071234", "11010119900307123X", "000000000000000000",
                   "999999999999999999", "abc", "a", "1234567", "ab\u{0}"]
        let keys = ids.map { PersonIDKey(Array($0.utf8)) }
        #expect(Set(keys.map(\.value)).count == ids.count)
        for (id, key) in zip(ids, keys) {
            #expect(key.isExact, "\(id)")
            #expect(key.exactText == id)
        }
        #expect(!PersonIDKey(Array("1101011990030712345".utf8)).isExact)  // 19 digits
        #expect(!PersonIDKey(Array("11010119900307123x".utf8)).isExact)   // lower-case x
        #expect(!PersonIDKey(Array("abcdefgh".utf8)).isExact)
    }

    @Test func countsCarryPast32Bits() {
        // Counts are kept in 32 bits beside the code; more carries into a side table.
        let tally = CountyTally(width: 2)
        let other = CountyTally(width: 2)
        Array("320506".utf8).withUnsafeBytes { code in
            tally.add(code: code, column: 1)
            tally.add(Int(UInt32.max), to: 0, column: 1)  // now 2^32: wrapped once
            tally.add(code: code, column: 1)               // 2^32 + 1
            other.add(code: code, column: 1)
            other.add(Int(UInt32.max) - 1, to: 0, column: 1)  // 2^32 − 1: one increment from wrapping
            other.add(code: code, column: 1)                  // wraps by increment: 2^32
        }
        #expect(tally.count(0, 1) == (1 << 32) + 1)
        #expect(other.count(0, 1) == 1 << 32)
        tally.merge(other)
        #expect(tally.sortedRows().map(\.counts) == [[0, (1 << 33) + 1]])
    }

    // MARK: structure errors

    @Test func missingColumnEmptyTableAndEmptyFile() {
        #expect(aggregateError("dest_code,settle_date\n1,2023-01-01\n")?.problem == "has no origin_code column")
        #expect(aggregateError("dest_code,origin_code,settle_date\n")?.problem == "is an empty table: it has a header but no rows")
        #expect(aggregateError("")?.problem == "empty file")
        #expect(aggregateError("\n\n")?.problem == "empty file")
        #expect(aggregateError("dest_code,origin_code,settle_date,落户日期\n")?.problem == "names the same column as column 3 (settle_date)")
    }

    @Test func noRowsInTheWindowGiveTheHeaderAlone() throws {
        let result = try aggregate(Array("dest_code,origin_code,settle_date\n1,1,2010-01-01\n".utf8))
        #expect(result.counties.isEmpty)
        #expect(result.csv() == "code,cross_province,within_province,within_city,prior_1,prior_2,prior_3,prior_4\n")
        #expect(result.notes == ["r.csv: ignored 1 row(s) outside 2019–2023: 2010: 1",
                                 "r.csv: no row counts in 2019–2023: the table is its header alone"])
    }

    @Test func raggedRowsAndQuotes() {
        let short = aggregateError("dest_code,origin_code,settle_date\n1,1\n")
        #expect(short?.line == 2)
        #expect(short?.problem == "row has 2 fields, but the header on line 1 has 3")
        #expect(short?.column == "3 (settle_date)")
        let long = aggregateError("dest_code,origin_code,settle_date\n1,1,2023-01-01,extra\n")
        #expect(long?.problem == "row has more than 3 fields, but the header on line 1 has 3")
        #expect(long?.value == "extra")
        let unclosed = aggregateError("dest_code,origin_code,settle_date\n1,1,\"2023-01-01\n")
        #expect(unclosed?.problem == "opens a quoted field that is never closed")
        #expect(unclosed?.line == 2)
        let inside = aggregateError("dest_code,origin_code,settle_date\n1,1,20\"23\n")
        #expect(inside?.problem == "has a double quote inside an unquoted field")
        let after = aggregateError("dest_code,origin_code,settle_date\n1,1,\"2023-01-01\"x\n")
        #expect(after?.problem == "has characters after the closing quote of a quoted field")
        #expect(aggregateError("dest_code,origin_code,settle_date\n1,1,2023\u{0}\n")?.problem == "NUL byte")
        #expect(aggregateError("dest_code,origin_code,settle_date\n,1,2023-01-01\n")?.problem == "is empty")
        #expect(aggregateError("dest_code,origin_code,settle_date\n1\t2,1,2023-01-01\n")?.problem == "is not a code (it has a control character)")
    }

    @Test func badDatesNameTheirColumn() {
        let error = aggregateError("dest_code,origin_code,settle_date\n1,1,2023.05.17\n")
        #expect(error?.description == "r.csv, line 2, column 3 (settle_date): value \"2023.05.17\" is not a date; expected a date YYYY-MM-DD, YYYY/MM/DD (month and day with 1 or 2 digits) or YYYYMMDD, e.g. 2023-05-17")
        #expect(aggregateError("dest_code,origin_code,settle_date\n1,1,2023-02-29\n")?.problem == "is an impossible date (2023 has no 29 February)")
        #expect(aggregateError("dest_code,origin_code,settle_date\n1,1,\n")?.problem == "is empty")
    }
}
