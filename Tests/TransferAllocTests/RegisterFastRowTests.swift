import Foundation
import Testing
@testable import TransferAlloc

/// The register's fast path (`RegisterFastRow`) against the general one: a row of the common
/// shape must be tallied exactly as the general path would, and any other row — however close
/// to the shape — must be left to the general path, which accepts it or names its error.
///
/// | row | dest   | origin | date       | goes to                                   |
/// |-----|--------|--------|------------|-------------------------------------------|
/// | 2   | 320506 | 410102 | 2023-05-17 | 320506 cross_province                     |
/// | 3   | 320506 | 321002 | 2023-12-31 | 320506 within_province                    |
/// | 4   | 320506 | 320583 | 2023-02-28 | 320506 within_city                        |
/// | 5   | 320583 | 320506 | 2022-01-01 | 320583 prior_1                            |
/// | 6   | 320583 | 110101 | 2020-02-29 | 320583 prior_3 (2020 is a leap year)      |
/// | 7   | 110101 | 320506 | 2019-02-28 | 110101 prior_4                            |
/// | 8   | 110101 | 320506 | 2018-06-30 | ignored (2018)                            |
/// | 9   | 320506 | 320583 | 2024-01-01 | ignored (2024)                            |
@Suite struct RegisterFastRowTests {
    static let rows: [(dest: String, origin: String, date: String)] = [
        ("320506", "410102", "2023-05-17"), ("320506", "321002", "2023-12-31"), ("320506", "320583", "2023-02-28"),
        ("320583", "320506", "2022-01-01"), ("320583", "110101", "2020-02-29"), ("110101", "320506", "2019-02-28"),
        ("110101", "320506", "2018-06-30"), ("320506", "320583", "2024-01-01"),
    ]

    static let expected = [
        RegisterCounty(code: "110101", crossProvince: 0, withinProvince: 0, withinCity: 0, priors: [0, 0, 0, 1]),
        RegisterCounty(code: "320506", crossProvince: 1, withinProvince: 1, withinCity: 1, priors: [0, 0, 0, 0]),
        RegisterCounty(code: "320583", crossProvince: 0, withinProvince: 0, withinCity: 0, priors: [1, 0, 1, 0]),
    ]

    /// The hand register, every row in the fast shape (ids: 18-digit identity numbers).
    static func fastText(ids: Bool) -> String {
        var text = ids ? "person_id,dest_code,origin_code,settle_date\n" : "dest_code,origin_code,settle_date\n"
        for (i, row) in rows.enumerated() {
            text += (ids ? "11010119900307\(1000 + i)," : "") + "\(row.dest),\(row.origin),\(row.date)\n"
        }
        return text
    }

    // MARK: The shape, byte by byte

    /// The reference: is this 25-byte tail the fast shape with a date that exists?
    static func referenceTail(_ bytes: [UInt8]) -> Bool {
        let digit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        for i in 0..<25 {
            let ok = switch i {
            case 6, 13: bytes[i] == 0x2C
            case 18, 21: bytes[i] == 0x2D
            case 24: bytes[i] == 0x0A
            default: digit(bytes[i])
            }
            if !ok { return false }
        }
        if case .valid = RegisterDate.parse(Array(bytes[14..<24])) { return true }
        return false
    }

    static func tail(_ bytes: [UInt8]) -> (first: UInt64, second: UInt64, year: Int)? {
        (bytes + [UInt8](repeating: 0, count: 16)).withUnsafeBytes { RegisterFastRow.tail($0.baseAddress!) }
    }

    static func word(_ text: some Collection<UInt8>) -> UInt64 {
        text.enumerated().reduce(0) { $0 | UInt64($1.element) << UInt64($1.offset * 8) }
    }

    @Test func everySingleByteChangeOfATailIsJudgedLikeTheGeneralPath() {
        let base = Array("320506,410102,2023-05-17\n".utf8)
        #expect(Self.tail(base)! == (Self.word("320506".utf8), Self.word("410102".utf8), 2023))
        var fast = 0
        for position in 0..<25 {
            for byte in 0...255 {
                var row = base
                row[position] = UInt8(byte)
                let got = Self.tail(row)
                #expect((got != nil) == Self.referenceTail(row), "byte \(byte) at \(position)")
                if let got {
                    fast += 1
                    #expect(got.first == Self.word(row[0..<6]))
                    #expect(got.second == Self.word(row[7..<13]))
                    #expect(got.year == Int(String(decoding: row[14..<18], as: UTF8.self)))
                }
            }
        }
        // Each code digit 10 ways, each year digit 10, month 0_ 1 and _5 → 01…09 9, day _7 3
        // (07 17 27) and 1_ 10; each comma, dash and the LF only as they are.
        #expect(fast == 12 * 10 + 4 * 10 + 1 + 9 + 3 + 10 + 5)
    }

    @Test func datesAreCheckedLikeTheGeneralParser() {
        let years = [0, 1, 4, 100, 400, 1600, 1700, 1800, 1900, 1996, 2000, 2023, 2024, 2100, 2400, 9996, 9999]
        for year in years {
            for month in 0...19 {
                for day in 0...39 {
                    let date = String(format: "%04d-%02d-%02d", year, month, day)
                    let row = Array("110101,320506,\(date)\n".utf8)
                    let valid = if case .valid = RegisterDate.parse(Array(date.utf8)) { true } else { false }
                    let got = Self.tail(row)
                    #expect((got != nil) == valid, "\(date)")
                    if let got { #expect(got.year == year) }
                }
            }
        }
    }

    @Test func idLengthStopsWhereTheGeneralPathMustTakeOver() {
        func length(_ bytes: [UInt8]) -> Int {
            (bytes + [UInt8](repeating: 0x0A, count: 40)).withUnsafeBytes { RegisterFastRow.plainIDLength($0.baseAddress!) }
        }
        let base = Array("110101199003071234,".utf8)
        #expect(length(base) == 18)
        for position in 0...18 {
            for byte in 0...255 {
                var id = base
                id[position] = UInt8(byte)
                let padded = id + [0x0A]  // what follows in the helper's buffer
                let stop = padded.firstIndex { $0 < 0x2D || $0 > 0x7E }!
                let expected = stop > 0 && padded[stop] == 0x2C ? stop : 0
                #expect(length(id) == expected, "byte \(byte) at \(position)")
            }
        }
        for n in 0...40 {
            #expect(length(Array(repeating: 0x41, count: n) + [0x2C]) == (1...31 ~= n ? n : 0), "\(n) bytes")
        }
        #expect(length(Array("ab\"c,".utf8)) == 0)
        #expect(length(Array(" 1,".utf8)) == 0)
    }

    @Test func shapeNeedsTheUsualColumnOrder() {
        typealias Shape = RegisterFastRow.Shape
        #expect(Shape(columnCount: 3, destIndex: 0, originIndex: 1, dateIndex: 2, idIndex: nil) == .codesDate)
        #expect(Shape(columnCount: 3, destIndex: 1, originIndex: 0, dateIndex: 2, idIndex: nil) == .codesDate)
        #expect(Shape(columnCount: 4, destIndex: 1, originIndex: 2, dateIndex: 3, idIndex: 0) == .idCodesDate)
        #expect(Shape(columnCount: 3, destIndex: 0, originIndex: 2, dateIndex: 1, idIndex: nil) == .none)
        #expect(Shape(columnCount: 4, destIndex: 0, originIndex: 1, dateIndex: 2, idIndex: 3) == .none)
        #expect(Shape(columnCount: 4, destIndex: 0, originIndex: 1, dateIndex: 2, idIndex: nil) == .none)
    }

    // MARK: Whole registers

    @Test(arguments: [false, true])
    func fastRowsGiveTheHandTable(ids: Bool) throws {
        let result = try aggregate(Array(Self.fastText(ids: ids).utf8))
        #expect(result.counties == Self.expected)
        #expect(result.rows == 8)
        #expect(result.ignoredYears.map(\.year) == [2018, 2024])
        #expect(result.checkedPersonIDs == ids)
    }

    /// Each variant writes the same rows in a way the fast path does not take (all rows, or
    /// only some, so that both paths meet the same counties in one file).
    static let nearMisses: [(name: String, row: @Sendable (Int, String, String, String) -> String)] = [
        ("CRLF", { _, d, o, t in "\(d),\(o),\(t)\r\n" }),
        ("CRLF on odd rows", { i, d, o, t in "\(d),\(o),\(t)\(i % 2 == 1 ? "\r\n" : "\n")" }),
        ("space before a code", { _, d, o, t in " \(d),\(o),\(t)\n" }),
        ("space after the date", { i, d, o, t in "\(d),\(o),\(t)\(i % 3 == 0 ? " " : "")\n" }),
        ("tab in the origin", { _, d, o, t in "\(d),\t\(o),\(t)\n" }),
        ("quoted dest", { i, d, o, t in i % 2 == 0 ? "\"\(d)\",\(o),\(t)\n" : "\(d),\(o),\(t)\n" }),
        ("quoted date", { _, d, o, t in "\(d),\(o),\"\(t)\"\n" }),
        ("YYYY/MM/DD", { _, d, o, t in "\(d),\(o),\(t.replacingOccurrences(of: "-", with: "/"))\n" }),
        ("YYYYMMDD", { i, d, o, t in "\(d),\(o),\(i % 2 == 0 ? t.replacingOccurrences(of: "-", with: "") : t)\n" }),
        ("YYYY-M-D", { _, d, o, t in
            let parts = t.split(separator: "-")
            return "\(d),\(o),\(parts[0])-\(Int(parts[1])!)-\(Int(parts[2])!)\n"
        }),
        ("blank line between rows", { _, d, o, t in "\(d),\(o),\(t)\n\n" }),
        ("full-width space", { i, d, o, t in "\(d),\(i == 1 ? "\u{3000}" : "")\(o),\(t)\n" }),
    ]

    @Test func nearMissRowsGiveTheSameTableAsFastRows() throws {
        for variant in Self.nearMisses {
            var text = "dest_code,origin_code,settle_date\n"
            for (i, row) in Self.rows.enumerated() { text += variant.row(i, row.dest, row.origin, row.date) }
            for chunk in [nil, 1, 24, 25, 26] {
                let result = try aggregate(Array(text.utf8), chunk: chunk)
                #expect(result.counties == Self.expected, "\(variant.name), chunk \(chunk ?? 0)")
                #expect(result.rows == 8, "\(variant.name)")
            }
        }
    }

    @Test func otherColumnOrdersAndExtraColumnsTakeTheGeneralPath() throws {
        var reordered = "settle_date,dest_code,origin_code\n"
        var extra = "dest_code,origin_code,settle_date,note\n"
        var originFirst = "origin_code,dest_code,settle_date\n"
        for row in Self.rows {
            reordered += "\(row.date),\(row.dest),\(row.origin)\n"
            extra += "\(row.dest),\(row.origin),\(row.date),x\n"
            originFirst += "\(row.origin),\(row.dest),\(row.date)\n"
        }
        for text in [reordered, extra, originFirst] {
            #expect(try aggregate(Array(text.utf8)).counties == Self.expected)
        }
    }

    @Test func lastRowWithoutLineBreak() throws {
        var text = Self.fastText(ids: false)
        text.removeLast()
        for chunk in [nil, 1, 25] {
            #expect(try aggregate(Array(text.utf8), chunk: chunk).counties == Self.expected)
        }
    }

    @Test func codesOfOtherLengthsAreTheirOwnCounties() throws {
        let text = "dest_code,origin_code,settle_date\n320506,410102,2023-05-17\n32050,410102,2023-05-17\n"
            + "3205061,410102,2023-05-17\n320506,41010,2023-05-17\n32O506,410102,2023-05-17\n"
        let result = try aggregate(Array(text.utf8), prior: 0)
        #expect(result.counties.map(\.code) == ["32050", "320506", "3205061", "32O506"])
        #expect(result.counties.map(\.crossProvince) == [1, 2, 1, 1])
    }

    @Test func gb18030RegisterWithFastRows() throws {
        var text = "落户地代码,迁出地代码,落户日期\n"
        for row in Self.rows { text += "\(row.dest),\(row.origin),\(row.date)\n" }
        let bytes = Array(text.data(using: String.Encoding(rawValue: 0x8000_0632))!)
        for chunk in [nil, 3, 25] {
            let result = try aggregate(bytes, chunk: chunk, encoding: nil)
            #expect(result.encoding == .gb18030)
            #expect(result.counties == Self.expected)
        }
    }

    /// Fast rows with near misses in between, cut at every place a read can end.
    static let mixed: [UInt8] = {
        var text = "person_id,dest_code,origin_code,settle_date\n"
        for (i, row) in rows.enumerated() {
            let id = "11010119900307\(1000 + i)"
            let line: String = switch i % 4 {
            case 0: "\(id),\(row.dest),\(row.origin),\(row.date)\n"
            case 1: "\"\(id)\",\(row.dest),\(row.origin),\(row.date)\r\n"
            case 2: "\(id),\(row.dest),\(row.origin),\(row.date)\n"
            default: "person-\(id)-with-a-long-hashed-id,\(row.dest),\(row.origin),\(row.date.replacingOccurrences(of: "-", with: "/"))\n"
            }
            text += line
        }
        return Array(text.utf8)
    }()

    @Test(arguments: 1...60)
    func everyChunkSizeGivesTheSameTable(chunk: Int) throws {
        #expect(try aggregate(Self.mixed, chunk: chunk).counties == Self.expected)
    }

    @Test func everyTwoChunkSplitGivesTheSameTable() throws {
        for text in [Self.mixed, Array(Self.fastText(ids: false).utf8), Array(Self.fastText(ids: true).utf8)] {
            for split in 0...text.count {
                let aggregator = RegisterAggregator(file: "r.csv", year: 2023, priorYears: 4, encoding: .utf8)
                try aggregator.feed(Array(text[..<split]))
                try aggregator.feed(Array(text[split...]))
                #expect(try aggregator.finish().counties == Self.expected, "split at \(split)")
            }
        }
    }

    // MARK: Errors among fast rows

    /// Row 4 of the fast register replaced by `row`: the error must name line 4.
    static func errorAtLine4(_ row: String, ids: Bool = false, chunk: Int? = nil) -> InputError? {
        var lines = fastText(ids: ids).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[3] = row
        return aggregateError(lines.joined(separator: "\n"), chunk: chunk)
    }

    @Test(arguments: [nil, 1, 25, 26, 1000] as [Int?])
    func shapedRowsWithBadDatesNameLineAndColumn(chunk: Int?) {
        let cases: [(row: String, problem: String)] = [
            ("320506,410102,2023-02-29", "is an impossible date (2023 has no 29 February)"),
            ("320506,410102,1900-02-29", "is an impossible date (1900 has no 29 February)"),
            ("320506,410102,2023-13-01", "is an impossible date (there is no month 13)"),
            ("320506,410102,2023-00-10", "is an impossible date (there is no month 0)"),
            ("320506,410102,2023-04-31", "is an impossible date (month 4 has no day 31)"),
            ("320506,410102,2023-04-00", "is an impossible date (month 4 has no day 0)"),
            ("320506,410102,0000-01-01", "is an impossible date (there is no year 0000)"),
            ("320506,410102,2023-05-1x", "is not a date"),
            ("320506,410102,2023.05.17", "is not a date"),
        ]
        for (row, problem) in cases {
            let error = Self.errorAtLine4(row, chunk: chunk)
            #expect(error?.line == 4, "\(row)")
            #expect(error?.column == "3 (settle_date)", "\(row)")
            #expect(error?.problem == problem, "\(row)")
            #expect(error?.value == String(row.suffix(10)), "\(row)")
        }
        let full = Self.errorAtLine4("320506,410102,2023-02-29", chunk: chunk)
        #expect(full?.description == "r.csv, line 4, column 3 (settle_date): value \"2023-02-29\" is an impossible date (2023 has no 29 February); expected \(RegisterDate.acceptedText)")
    }

    @Test func shapedRowsWithOtherErrors() {
        let ragged = Self.errorAtLine4("320506,410102,2023-05-17,1")
        #expect(ragged?.line == 4)
        #expect(ragged?.problem == "row has more than 3 fields, but the header on line 1 has 3")
        let short = Self.errorAtLine4("320506,2023-05-17")
        #expect(short?.problem == "row has 2 fields, but the header on line 1 has 3")
        let control = Self.errorAtLine4("320506,4101\u{1}2,2023-05-17")
        #expect(control?.line == 4)
        #expect(control?.column == "2 (origin_code)")
        #expect(control?.problem == "is not a code (it has a control character)")
        let empty = Self.errorAtLine4(",410102,2023-05-17")
        #expect(empty?.column == "1 (dest_code)")
        #expect(empty?.problem == "is empty")
        let nonASCII = Self.errorAtLine4("32０506,410102,2023-05-17")
        #expect(nonASCII?.problem == "is not a code (it has non-ASCII characters)")
        let nul = aggregateError(Self.fastText(ids: false) + "320506,41\u{0}102,2023-05-17\n")
        #expect(nul?.line == 10)
        #expect(nul?.problem == "NUL byte")
    }

    @Test(arguments: [nil, 1, 44, 45, 1000] as [Int?])
    func repeatedIDsAmongFastRows(chunk: Int?) {
        // Line 9 repeats line 3's id; both rows are fast.
        var text = Self.fastText(ids: true)
        text += "110101199003071001,320506,410102,2023-05-17\n"
        var error = aggregateError(text, chunk: chunk)
        #expect(error?.description == "r.csv, line 10, column 1 (person_id): value \"110101199003071001\" repeats the person_id of line 3; expected each person once in the register (an empty person_id is not checked)")
        // The earlier one quoted (general path), the later fast; and the other way round.
        text = Self.fastText(ids: true).replacingOccurrences(of: "110101199003071001,", with: "\"110101199003071001\",")
        text += "110101199003071001,320506,410102,2023-05-17\n"
        error = aggregateError(text, chunk: chunk)
        #expect(error?.line == 10)
        #expect(error?.problem == "repeats the person_id of line 3")
        text = Self.fastText(ids: true) + " 110101199003071001 ,320506,410102,2023-05-17\n"
        error = aggregateError(text, chunk: chunk)
        #expect(error?.line == 10)
        #expect(error?.problem == "repeats the person_id of line 3")
        // An earlier repeat wins over a later bad date, even when both rows look fast.
        text = Self.fastText(ids: true) + "110101199003071001,320506,410102,2023-05-17\n"
            + "110101199003079999,320506,410102,2023-02-29\n"
        #expect(aggregateError(text, chunk: chunk)?.line == 10)
        text = Self.fastText(ids: true) + "110101199003079999,320506,410102,2023-02-29\n"
            + "110101199003071001,320506,410102,2023-05-17\n"
        #expect(aggregateError(text, chunk: chunk)?.line == 10)
    }

    @Test func sixDigitAndGeneralLookupsShareTheCounty() {
        let tally = CountyTally(width: 2)
        tally.add(sixDigits: Self.word("320506".utf8), column: 0)
        Array("320506".utf8).withUnsafeBytes { tally.add(code: $0, column: 1) }
        Array("110101".utf8).withUnsafeBytes { tally.add(code: $0, column: 0) }
        tally.add(sixDigits: Self.word("110101".utf8), column: 0)
        tally.add(sixDigits: Self.word("000000".utf8), column: 1)
        tally.add(sixDigits: Self.word("999999".utf8), column: 1)
        #expect(tally.countyCount == 4)
        #expect(tally.sortedRows().map { String(decoding: $0.code, as: UTF8.self) } == ["000000", "110101", "320506", "999999"])
        #expect(tally.sortedRows().map(\.counts) == [[0, 1], [2, 0], [1, 1], [0, 1]])
    }
}

@Suite struct PersonIDKeyWordTests {
    /// The 18-byte shortcut (two 8-digit words) must give the keys of the byte loop: the key
    /// decodes back to the id, and ids differing anywhere get different keys.
    @Test func identityNumbersKeyLikeTheByteLoop() {
        var random = SeededRandom(seed: 18)
        var ids = ["000000000000000000", "999999999999999999", "00000000000000000X", "99999999999999999X",
                   "110101199003071234", "11010119900307123X"]
        for _ in 0..<2000 {
            let digits = (0..<17).map { _ in Character(String(random.int(in: 0...9))) }
            ids.append(String(digits) + (random.int(in: 0...3) == 0 ? "X" : String(random.int(in: 0...9))))
        }
        var seen: [UInt64: String] = [:]
        for id in ids {
            let key = PersonIDKey(Array(id.utf8))
            #expect(key.isExact)
            #expect(key.exactText == id)
            if let other = seen[key.value] { #expect(other == id) }
            seen[key.value] = id
        }
        // Near misses of the 18-digit shape fall back to the loop or to a hash.
        for id in ["11010119900307123x", "1101011990030712/4", "110101199003071:34", "11010119900307X234"] {
            let key = PersonIDKey(Array(id.utf8))
            #expect(!key.isExact, "\(id)")
        }
        #expect(PersonIDKey(Array("12345678901234567".utf8)).exactText == "12345678901234567")
    }
}
