import Foundation
import Testing
@_spi(Testing) @testable import TransferAlloc

/// The register as it is really exported (contract §10.8): the agricultural column, a code map,
/// municipalities and 90-codes, prior years by origin, and a window without counted rows. Each
/// generated register is counted by a naive reference written here (its own truth words, chain
/// following and prefix rule, on the rows as generated, not on their bytes), and read with the
/// fast rows and without them, whole and in chunks: all must give the reference's table.
@Suite struct RegisterRealisticTests {
    // MARK: The reference

    struct Row {
        var dest: String
        var origin: String
        var year: Int
        var agricultural: String?
    }

    static let mapRows: [(String, String)] = [
        ("320584", "320509"), ("429006", "429004"), ("429005", "429006"), ("110228", "110118"),
        ("420106", "4201"), ("32", "320506"), ("320509", "320510"),
    ]
    static var mapCSV: String { "old_code,new_code\n" + mapRows.map { "\($0.0),\($0.1)\n" }.joined() }

    static func referenceMapped(_ code: String) -> String {
        var code = code
        var steps = 0
        while let next = mapRows.first(where: { $0.0 == code })?.1, steps < 100 {
            code = next
            steps += 1
        }
        return code
    }

    static func referenceCounted(_ cell: String?) -> Bool {
        guard let cell else { return true }
        switch cell.trimmingCharacters(in: .whitespaces).lowercased() {
        case "1", "true", "yes", "是": return true
        default: return false
        }
    }

    /// The table as CSV and the number of rows excluded.
    static func reference(_ rows: [Row], year: Int, prior: Int, byOrigin: Bool, map: Bool,
                          mapped: (String) -> String = referenceMapped) -> (csv: String, excluded: Int) {
        var counts: [String: [Int]] = [:]
        var excluded = 0
        let width = 3 + (byOrigin ? 3 : 1) * prior
        for row in rows {
            guard referenceCounted(row.agricultural) else {
                excluded += 1
                continue
            }
            let age = year - row.year
            guard age >= 0, age <= prior else { continue }
            let dest = map ? mapped(row.dest) : row.dest
            let origin = map ? mapped(row.origin) : row.origin
            let column = OriginClassificationTests.reference(dest: dest, origin: origin)
            var line = counts[dest] ?? Array(repeating: 0, count: width)
            line[age == 0 ? column : (byOrigin ? 3 * age + column : 2 + age)] += 1
            counts[dest] = line
        }
        var header = ["code", "cross_province", "within_province", "within_city"]
        for k in stride(from: 1, through: prior, by: 1) {
            header += byOrigin ? ["prior_\(k)_cross_province", "prior_\(k)_within_province", "prior_\(k)_within_city"]
                               : ["prior_\(k)"]
        }
        var csv = header.joined(separator: ",") + "\n"
        for code in counts.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            csv += ([code] + counts[code]!.map(String.init)).joined(separator: ",") + "\n"
        }
        return (csv, excluded)
    }

    // MARK: Generated registers

    static let codes = ["320506", "320583", "320584", "320509", "321002", "110101", "110228", "120101", "310115",
                        "500235", "429004", "429005", "429006", "420106", "410102", "32", "3205", "11", "4290"]
    static let agriculturalCells = ["1", "1", "是", "是", "0", "否", "", "yes", "no", "TRUE", " 是 ", "false"]

    /// A register with an agricultural column (last, so that the fast rows take most rows; or
    /// first, so that none do), sometimes with person_id; a few rows in other shapes (CRLF,
    /// quotes, spaces, other date forms) that the general path reads.
    static func generated(seed: UInt64) -> (bytes: [UInt8], rows: [Row]) {
        var random = SeededRandom(seed: seed)
        let ids = seed % 2 == 0
        let agriculturalFirst = seed % 5 == 4
        let header = (agriculturalFirst ? ["农业转移人口"] : []) + (ids ? ["person_id"] : [])
            + ["dest_code", "origin_code", "settle_date"] + (agriculturalFirst ? [] : ["是否农业转移人口"])
        var out = Array((header.joined(separator: ",") + "\n").utf8)
        var rows: [Row] = []
        for index in 0..<random.int(in: 40...200) {
            let row = Row(dest: codes[random.int(in: 0...(codes.count - 1))],
                          origin: codes[random.int(in: 0...(codes.count - 1))],
                          year: random.int(in: 2017...2024),
                          agricultural: agriculturalCells[random.int(in: 0...(agriculturalCells.count - 1))])
            rows.append(row)
            var date = String(format: "%04d-%02d-%02d", row.year, random.int(in: 1...12), random.int(in: 1...28))
            var cells = [row.dest, row.origin]
            var end = "\n"
            switch random.int(in: 0...19) {
            case 0: end = "\r\n"
            case 1: cells[0] = "\"\(cells[0])\""
            case 2: cells[1] = " \(cells[1])"
            case 3: date = date.replacingOccurrences(of: "-", with: "/")
            default: break
            }
            var fields = (ids ? [String(format: "4290041990%08d", Int(seed) * 1000 + index)] : []) + cells + [date]
            if agriculturalFirst { fields.insert(row.agricultural!, at: 0) } else { fields.append(row.agricultural!) }
            out += Array((fields.joined(separator: ",") + end).utf8)
        }
        return (out, rows)
    }

    static func table(_ bytes: [UInt8], fastRows: Bool, chunk: Int, year: Int, prior: Int, byOrigin: Bool,
                      map: CodeMap?) throws(InputError) -> RegisterAggregate {
        let aggregator = RegisterAggregator(file: "r.csv", year: year, priorYears: prior, priorByOrigin: byOrigin,
                                            codeMap: map, source: RegisterBytes(bytes), fastRows: fastRows)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            try aggregator.feed(Array(bytes[offset..<end]))
            offset = end
        }
        return try aggregator.finish()
    }

    @Test(arguments: 0..<4)
    func generatedRegistersMatchTheReferenceOnBothPaths(batch: Int) throws {
        let map = try CodeMap.parse(bytes: Array(Self.mapCSV.utf8), file: "m.csv")
        for seed in UInt64(batch * 20)..<UInt64(batch * 20 + 20) {
            let (bytes, rows) = Self.generated(seed: seed)
            let prior = Int(seed % 3) * 2  // 0, 2, 4
            let byOrigin = seed % 4 < 2
            let useMap = seed % 3 != 1
            let expected = Self.reference(rows, year: 2023, prior: prior, byOrigin: byOrigin, map: useMap)
            for (fastRows, chunk) in [(true, bytes.count), (false, bytes.count), (true, Int(seed % 29) + 1)] {
                let result = try Self.table(bytes, fastRows: fastRows, chunk: chunk, year: 2023, prior: prior,
                                            byOrigin: byOrigin, map: useMap ? map : nil)
                #expect(result.csv() == expected.csv, "seed \(seed), fast rows \(fastRows), chunk \(chunk)")
                #expect(result.excludedRows == expected.excluded, "seed \(seed)")
                #expect(result.rows == rows.count, "seed \(seed)")
            }
        }
    }

    /// The register of docs/aggregate.md's section on real exports, counted by hand.
    @Test func handCountedRegister() throws {
        let register = """
            person_id,dest_code,origin_code,settle_date,农业转移人口
            A1,110105,110228,2023-03-01,是
            A2,429004,420106,2023-04-02,是
            A3,429004,429005,2023-05-03,1
            A4,320584,320506,2023-06-04,是
            A5,320509,410102,2022-07-05,是
            A6,320506,320584,2022-08-06,否
            A7,320506,321002,2021-09-07,
            A8,320506,321002,2021-09-08,yes
            A9,110105,120101,2015-01-01,是

            """
        let map = try CodeMap.parse(bytes: Array("old_code,new_code\n320584,320509\n".utf8), file: "m.csv")
        for fastRows in [true, false] {
            let result = try Self.table(Array(register.utf8), fastRows: fastRows, chunk: 7, year: 2023, prior: 2,
                                        byOrigin: true, map: map)
            // 110105 ← 110228: 北京, one prefecture → within_city. 429004 ← 420106 and ← 429005:
            // 仙桃 is a prefecture of its own → within_province twice. 320584 is now 320509 (a
            // county of 3205): within_city; A5 from 41 → prior_1 cross_province. A6 and A7 are
            // not agricultural; A8 → prior_2 within_province; A9 (2015) is outside 2021–2023.
            #expect(result.csv() == """
                code,cross_province,within_province,within_city,prior_1_cross_province,prior_1_within_province,prior_1_within_city,prior_2_cross_province,prior_2_within_province,prior_2_within_city
                110105,0,0,1,0,0,0,0,0,0
                320506,0,0,0,0,0,0,0,1,0
                320509,0,0,1,1,0,0,0,0,0
                429004,0,2,0,0,0,0,0,0,0

                """)
            #expect(result.notes == [
                "r.csv: excluded 2 row(s) whose agricultural cell is false or empty (not agricultural migrants)",
                "r.csv: ignored 1 row(s) outside 2021–2023: 2015: 1",
            ])
        }
    }

    /// Every code of 320000–329999 as a destination and an origin, with every 20th code renamed
    /// (one of them to a code that is not six digits): the fast rows' filter on the code's word
    /// lets through codes that are not renamed as well, and both paths must agree with the
    /// counts written out here.
    @Test func codeMapFilterAgreesOnTenThousandCodes() throws {
        var register = "dest_code,origin_code,settle_date\n"
        var mapText = "old_code,new_code\n"
        for value in 320_000..<330_000 {
            register += "\(value),\(value == 320_000 ? 410_102 : value - 1),2023-01-01\n"
            if value % 20 == 0 { mapText += "\(value),\(value == 325_000 ? "3250000" : String(value + 1))\n" }
        }
        let map = try CodeMap.parse(bytes: Array(mapText.utf8), file: "m.csv")
        #expect(!CodeMapIndex(map).hasCollisionFreeTable)  // over 255 codes: the filter
        var tables: [String] = []
        for fastRows in [true, false] {
            let result = try Self.table(Array(register.utf8), fastRows: fastRows, chunk: 1 << 16, year: 2023, prior: 0,
                                        byOrigin: false, map: map)
            tables.append(result.csv())
        }
        #expect(tables[0] == tables[1])
        // A renamed code counts with the code after it: 320020 and 320021 are one county now.
        let lines = tables[0].split(separator: "\n")
        #expect(lines.count == 1 + 10_000 - 500 + 1)  // the header; 500 codes renamed, one to a new code
        #expect(lines.contains("320021,0,0,2"))  // 320020 (from 320019) and 320021 (from 320020 → 320021)
        #expect(lines.contains("320019,0,0,1"))
        #expect(lines.contains("3250000,0,1,0"))  // 325000 ← 324999: 3250000 is a 7-character code of 3250
        #expect(lines.contains("320001,1,0,1"))  // 320000 (now 320001) from 410102: another province
    }

    /// A renamed destination first met on an excluded row, on a row outside the window, as its
    /// new code written out, after a row the general path read (quoted), through a chain, or
    /// renamed to a code that is not six digits: both paths, whole and in chunks, must give the
    /// counts written out here.
    @Test func renamedDestinationsMetInEveryOrder() throws {
        let register = """
            dest_code,origin_code,settle_date,agricultural
            320584,410102,2023-01-01,0
            320584,410102,2010-01-01,1
            320584,320506,2023-01-02,1
            320509,320584,2023-01-03,1
            320584,410102,2023-01-04,1
            "429006",429005,2023-01-05,1
            429006,429004,2023-01-06,1
            429005,420106,2023-01-07,1
            420106,420106,2023-01-08,1
            420106,420106,2023-01-09,0
            110228,110101,2022-01-10,1
            110228,110101,2022-01-11,0

            """
        let map = try CodeMap.parse(bytes: Array("""
            old_code,new_code
            320584,320509
            429006,429004
            429005,429006
            420106,4201
            110228,110118

            """.utf8), file: "m.csv")
        // 320509 (from 320584 and as written): ← 320506 within_city, ← 320509 within_city, ←
        // 410102 cross_province; 429004 (429006 and 429005 → 429006 → 429004): ← 429004 twice,
        // within_city, and ← 4201 (420106), within_province (仙桃 is its own prefecture); 4201 ←
        // 4201: within_city (the general path: not six digits); 110118 ← 110101, 2022: prior_1.
        let expected = """
            code,cross_province,within_province,within_city,prior_1
            110118,0,0,0,1
            320509,1,0,2,0
            4201,0,0,1,0
            429004,0,1,2,0

            """
        for (fastRows, chunk) in [(true, 1 << 16), (false, 1 << 16), (true, 40), (true, 3)] {
            let result = try Self.table(Array(register.utf8), fastRows: fastRows, chunk: chunk, year: 2023, prior: 1,
                                        byOrigin: false, map: map)
            #expect(result.csv() == expected, "fast rows \(fastRows), chunk \(chunk)")
        }
    }

    /// The same with every 50th code renamed (200 codes): the fast rows read the map through
    /// its collision-free table instead of the filter, where the other codes fall on a renamed
    /// code's slot now and then; both paths must agree with the counts written out here.
    @Test func collisionFreeTableAgreesOnTenThousandCodes() throws {
        var register = "dest_code,origin_code,settle_date\n"
        var mapText = "old_code,new_code\n"
        for value in 320_000..<330_000 {
            register += "\(value),\(value == 320_000 ? 410_102 : value - 1),2023-01-01\n"
            if value % 50 == 0 { mapText += "\(value),\(value == 325_000 ? "3250000" : String(value + 1))\n" }
        }
        let map = try CodeMap.parse(bytes: Array(mapText.utf8), file: "m.csv")
        #expect(CodeMapIndex(map).hasCollisionFreeTable)
        var tables: [String] = []
        for fastRows in [true, false] {
            let result = try Self.table(Array(register.utf8), fastRows: fastRows, chunk: 1 << 16, year: 2023, prior: 0,
                                        byOrigin: false, map: map)
            tables.append(result.csv())
        }
        #expect(tables[0] == tables[1])
        let lines = tables[0].split(separator: "\n")
        #expect(lines.count == 1 + 10_000 - 200 + 1)  // the header; 200 codes renamed, one to a new code
        #expect(lines.contains("320051,0,0,2"))  // 320050 (from 320049) and 320051 (from 320050 → 320051)
        #expect(lines.contains("320049,0,0,1"))
        #expect(lines.contains("3250000,0,1,0"))  // 325000 ← 324999: 3250000 is a 7-character code of 3250
        #expect(lines.contains("320001,1,0,1"))  // 320000 (now 320001) from 410102: another province
    }

    /// Excluded rows are checked like every other row, but make no county seen; when no row
    /// counts in the window, the table is the header alone.
    @Test func excludedRowsAreCheckedButNotSeen() throws {
        let bad = "dest_code,origin_code,settle_date,agricultural\n320506,410102,2023-02-30,0\n"
        #expect(throws: InputError.self) {
            _ = try Self.table(Array(bad.utf8), fastRows: true, chunk: 100, year: 2023, prior: 1, byOrigin: false, map: nil)
        }
        let repeated = "person_id,dest_code,origin_code,settle_date,agricultural\nP,1,1,2023-01-01,0\nP,2,2,2023-01-01,1\n"
        do throws(InputError) {
            _ = try Self.table(Array(repeated.utf8), fastRows: true, chunk: 100, year: 2023, prior: 1, byOrigin: false, map: nil)
            Issue.record("a repeated person_id on an excluded row was accepted")
        } catch {
            #expect(error.line == 3 && error.problem == "repeats the person_id of line 2")
        }
        let none = "dest_code,origin_code,settle_date,agricultural\n320506,410102,2023-01-01,否\n320506,410102,2010-01-01,是\n"
        let result = try Self.table(Array(none.utf8), fastRows: true, chunk: 100, year: 2023, prior: 1, byOrigin: false, map: nil)
        #expect(result.csv() == "code,cross_province,within_province,within_city,prior_1\n")
        #expect(result.notes == [
            "r.csv: excluded 1 row(s) whose agricultural cell is false or empty (not agricultural migrants)",
            "r.csv: ignored 1 row(s) outside 2022–2023: 2010: 1",
            "r.csv: no row counts in 2022–2023: the table is its header alone",
        ])
    }

    @Test func agriculturalCellThatIsNoTruthWord() {
        let text = "dest_code,origin_code,settle_date,是否农业转移人口\n320506,410102,2023-01-01,1\n320506,410102,2023-01-01,是的\n"
        for fastRows in [true, false] {
            do throws(InputError) {
                _ = try Self.table(Array(text.utf8), fastRows: fastRows, chunk: 100, year: 2023, prior: 1, byOrigin: false, map: nil)
                Issue.record("accepted")
            } catch {
                #expect(error.description == "r.csv, line 3, column 4 (是否农业转移人口 = agricultural): value \"是的\" is not a yes/no value; expected 1, true, yes or 是 for an agricultural migrant (counted); 0, false, no, 否 or empty otherwise (not counted)")
            }
        }
    }
    /// Which six-digit renamings the fast rows look up per row: those that may change a row's
    /// origin column (another prefecture, a `90` unit, a new code that is not six digits). The
    /// others (320584 → 320509 → 320510, 320509 → 320510: one prefecture) are applied per code.
    @Test func columnChangingRenamingsOfTheTestMap() throws {
        let map = try CodeMap.parse(bytes: Array(Self.mapCSV.utf8), file: "m.csv")
        #expect(CodeMapIndex(map).columnChangingDestinations.sorted() == [110_228, 420_106, 429_005, 429_006])
    }

    /// A register of 320000–329999 (each code a destination, the code before it the origin, on
    /// two years) under maps read through the fast rows' filter (over 255 codes) or their
    /// collision-free table, whose renamings keep the columns (v → v + 1), change them (v → v +
    /// 100, another prefecture) or both: both paths agree with the reference count.
    @Test func renamingsThatKeepOrChangeColumnsOnBothPaths() throws {
        var register = "dest_code,origin_code,settle_date\n"
        var rows: [Row] = []
        for value in 320_000..<330_000 {
            let row = Row(dest: String(value), origin: String(value == 320_000 ? 410_102 : value - 1),
                          year: 2022 + value % 2, agricultural: nil)
            rows.append(row)
            register += "\(row.dest),\(row.origin),\(row.year)-01-01\n"
        }
        for (every, step) in [(20, { (v: Int) in v % 40 == 0 ? 1 : 100 }), (20, { _ in 100 }), (50, { _ in 1 }),
                              (50, { (v: Int) in v % 100 == 0 ? 1 : 100 })] {
            var renamed: [String: String] = [:]
            for value in stride(from: 320_000, to: 330_000, by: every) { renamed[String(value)] = String(value + step(value)) }
            let mapText = "old_code,new_code\n" + renamed.sorted { $0.key < $1.key }.map { "\($0.key),\($0.value)\n" }.joined()
            let map = try CodeMap.parse(bytes: Array(mapText.utf8), file: "m.csv")
            let expected = Self.reference(rows, year: 2023, prior: 1, byOrigin: true, map: true) { code in
                var code = code
                while let next = renamed[code] { code = next }
                return code
            }
            for fastRows in [true, false] {
                let result = try Self.table(Array(register.utf8), fastRows: fastRows, chunk: 1 << 16, year: 2023, prior: 1,
                                            byOrigin: true, map: map)
                #expect(result.csv() == expected.csv, "every \(every), fast rows \(fastRows)")
            }
        }
    }

    /// Read as two halves on two threads, a register with the test map gives the reference's
    /// table: a renamed destination counted under its old code in each half is moved once.
    @Test func twoHalvesWithTheCodeMapGiveTheReference() throws {
        var random = SeededRandom(seed: 13)
        let sixDigit = Self.codes.filter { $0.count == 6 }
        var text = "dest_code,origin_code,settle_date,agricultural\n"
        var rows: [Row] = []
        for _ in 0..<60_000 {
            let row = Row(dest: sixDigit[random.int(in: 0...(sixDigit.count - 1))],
                          origin: Self.codes[random.int(in: 0...(Self.codes.count - 1))],
                          year: random.int(in: 2019...2023), agricultural: random.int(in: 0...6) == 0 ? "否" : "是")
            rows.append(row)
            text += "\(row.dest),\(row.origin),\(row.year)-03-04,\(row.agricultural!)\n"
        }
        let path = try CLI.write(text, to: "register.csv", in: CLI.temporaryDirectory())
        let map = try CodeMap.parse(bytes: Array(Self.mapCSV.utf8), file: "m.csv")
        let expected = Self.reference(rows, year: 2023, prior: 2, byOrigin: false, map: true)
        for threads in [1, 2] {
            let result = try RegisterFile.aggregate(path: path, year: 2023, priorYears: 2, codeMap: map, encoding: nil,
                                                    threads: threads, idHashMask: .max, splitThreshold: 1, progress: nil)
            #expect(result.csv() == expected.csv, "\(threads) thread(s)")
            #expect(result.excludedRows == expected.excluded)
        }
    }

    /// In a GB18030 register the fast rows take the cells `1` and `0` whole; other spellings
    /// (and 是, two bytes in GB18030) go through the general path: both paths give one table.
    @Test func gb18030AgriculturalCellsOnBothPaths() throws {
        // 农业转移人口 in GB18030, so that the file is detected as GB18030.
        var bytes = Array("dest_code,origin_code,settle_date,".utf8) + [0xC5, 0xA9, 0xD2, 0xB5, 0xD7, 0xAA, 0xD2, 0xC6, 0xC8, 0xCB, 0xBF, 0xDA, 0x0A]
        var rows: [Row] = []
        var random = SeededRandom(seed: 5)
        let cells: [(text: String, bytes: [UInt8])] = [("1", [0x31]), ("0", [0x30]), ("是", [0xCA, 0xC7]), ("否", [0xB7, 0xF1]),
                                                      ("yes", Array("yes".utf8)), ("", [])]
        for _ in 0..<3_000 {
            let cell = cells[random.int(in: 0...(cells.count - 1))]
            let row = Row(dest: Self.codes[random.int(in: 0...5)], origin: Self.codes[random.int(in: 0...9)],
                          year: random.int(in: 2021...2023), agricultural: cell.text)
            rows.append(row)
            bytes += Array("\(row.dest),\(row.origin),\(row.year)-05-06,".utf8) + cell.bytes + [0x0A]
        }
        let expected = Self.reference(rows, year: 2023, prior: 2, byOrigin: false, map: false)
        for (fastRows, chunk) in [(true, bytes.count), (false, bytes.count), (true, 37)] {
            let result = try Self.table(bytes, fastRows: fastRows, chunk: chunk, year: 2023, prior: 2, byOrigin: false, map: nil)
            #expect(result.encoding == .gb18030)
            #expect(result.csv() == expected.csv, "fast rows \(fastRows), chunk \(chunk)")
            #expect(result.excludedRows == expected.excluded)
        }
    }
    /// Every single-byte change of an agricultural row (the tail's comma, the cell, its LF, with
    /// and without person_id, UTF-8 and GB18030 spellings) is read by the fast rows as the
    /// tokenizer reads it: the same table, or the same error.
    @Test func everySingleByteChangeOfAnAgriculturalRowReadsLikeTheGeneralPath() {
        let replacements: [UInt8] = [0x2C, 0x0A, 0x0D, 0x20, 0x22, 0x30, 0x31, 0x61, 0xE5, 0xE6, 0x98, 0xA6, 0xAF]
        for (header, row) in [("dest_code,origin_code,settle_date,agricultural\n", "320506,410102,2023-05-17,是\n"),
                              ("dest_code,origin_code,settle_date,agricultural\n", "320506,410102,2023-05-17,否\n"),
                              ("dest_code,origin_code,settle_date,agricultural\n", "320506,410102,2023-05-17,1\n"),
                              ("person_id,dest_code,origin_code,settle_date,agricultural\n",
                               "110101199003071234,320506,410102,2023-05-17,否\n")] {
            let good = Array("320583,320506,2023-01-02,是\n".utf8)
            let goodRow = header.hasPrefix("person_id") ? Array("110101199003071235,".utf8) + good : good
            let lastRow = header.hasPrefix("person_id") ? Array("110101199003071236,".utf8) + good : good
            let bytes = Array(row.utf8)
            // The positions from the tail's comma to the row's end, and a few in the tail.
            let positions = Array(max(0, bytes.count - 8)..<bytes.count) + [0, 6, 13, 23]
            for position in positions {
                for replacement in replacements where replacement != bytes[position] {
                    var changed = bytes
                    changed[position] = replacement
                    let register = Array(header.utf8) + goodRow + changed + lastRow
                    _ = RegisterPathsTests.expectPathsEqual(register, chunk: 7, "\(row) byte \(position) → \(replacement)")
                }
            }
        }
    }
}
