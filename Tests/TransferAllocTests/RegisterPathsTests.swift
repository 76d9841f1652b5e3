import Foundation
import Testing
@_spi(Testing) @testable import TransferAlloc

/// The register's two ways of reading a row held equal: `RegisterFastRow`, the recognizer of the
/// common row shape, and the CSV tokenizer that reads every other row (and every row when the
/// fast path is switched off). On the fuzz corpus and on seeded generated registers, the table
/// (or the error, with its line, column and value) must not depend on whether the fast path
/// runs, nor on how the bytes are cut into chunks.
@Suite struct RegisterPathsTests {
    enum Outcome: Equatable {
        case table(csv: String, notes: [String], rows: Int, encoding: TextEncoding)
        case error(InputError)
    }

    static func outcome(_ bytes: [UInt8], fastRows: Bool, chunk: Int? = nil, year: Int = 2023,
                        prior: Int = 2) -> Outcome {
        let aggregator = RegisterAggregator(file: "r.csv", year: year, priorYears: prior,
                                            source: RegisterBytes(bytes), fastRows: fastRows)
        do throws(InputError) {
            var offset = 0
            let step = max(1, chunk ?? bytes.count)
            while offset < bytes.count {
                let end = min(bytes.count, offset + step)
                try aggregator.feed(Array(bytes[offset..<end]))
                offset = end
            }
            let result = try aggregator.finish()
            return .table(csv: result.csv(), notes: result.notes, rows: result.rows, encoding: result.encoding)
        } catch {
            return .error(error)
        }
    }

    /// Fast path on, fed whole and in `chunk`-byte pieces, against the tokenizer alone.
    static func expectPathsEqual(_ bytes: [UInt8], chunk: Int, _ name: String) -> Outcome {
        let general = outcome(bytes, fastRows: false)
        let fast = outcome(bytes, fastRows: true)
        let chunked = outcome(bytes, fastRows: true, chunk: chunk)
        #expect(fast == general, "\(name): fast path against the tokenizer alone")
        #expect(chunked == general, "\(name): fast path fed in \(chunk)-byte chunks")
        return general
    }

    // MARK: The fuzz corpus

    @Test func fuzzCorpusReadsTheSameOnBothPaths() throws {
        var files: [URL] = []
        for directory in ["Fuzz/corpus/register", "Tests/TransferAllocTests/Fixtures/fuzz/register"] {
            let url = CLI.root.appendingPathComponent(directory)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            files += try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
        }
        #expect(files.count >= 5)
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: file))
            for chunk in [1, 7, 25, 64] {
                _ = Self.expectPathsEqual(bytes, chunk: chunk, file.lastPathComponent)
            }
        }
    }

    // MARK: Generated registers

    static let codes = ["320506", "320583", "321002", "110101", "410102", "440305", "320507", "32050", "3205061"]

    /// A register of mostly fast rows with near misses and (rarely) damage drawn per row:
    /// with or without person_id, UTF-8 or GB18030, quoted fields, CRLF, lone CR, blank lines,
    /// white space, other date forms, and errors (impossible dates, ragged rows, NUL and
    /// invalid bytes, a quote never closed, a repeated id).
    static func generated(seed: UInt64) -> [UInt8] {
        var random = SeededRandom(seed: seed)
        let ids = seed % 2 == 0
        let gb18030 = seed % 3 == 0
        let encode: (String) -> [UInt8] = { text in
            gb18030 ? Array(text.data(using: TextEncoding.foundationGB18030)!) : Array(text.utf8)
        }
        var out = encode((ids ? (gb18030 ? "身份标识," : "person_id,") : "")
            + (gb18030 ? "落户地代码,迁出地代码,落户日期\n" : "dest_code,origin_code,settle_date\n"))
        let ideographicSpace = encode("\u{3000}")
        let rows = random.int(in: 50...250)
        var usedIDs: [String] = []
        for row in 0..<rows {
            let dest = codes[random.int(in: 0...(codes.count - 1))]
            let origin = codes[random.int(in: 0...(codes.count - 1))]
            let year = random.int(in: 2017...2024)
            let month = random.int(in: 1...12)
            let day = random.int(in: 1...28)
            var date = String(format: "%04d-%02d-%02d", year, month, day)
            var id = String(format: "1101011990%08d", Int(seed % 1000) * 100_000 + row)
            var line: [UInt8] = []
            var end: [UInt8] = [0x0A]
            var fields = [dest, origin, date]
            // Near misses in 26 % of rows; damage in about one row in 300, so that about half
            // the registers are read to the end.
            var roll = random.int(in: 0...959)
            if random.int(in: 0...299) == 0 { roll = random.int(in: 960...999) }
            switch roll {
            case 0..<700: break
            case 700..<740: end = [0x0D, 0x0A]
            case 740..<750: end = [0x0D]
            case 750..<790: let k = random.int(in: 0...2); fields[k] = "\"\(fields[k])\""
            case 790..<820: let k = random.int(in: 0...2); fields[k] = " \(fields[k]) "
            case 820..<840: date = date.replacingOccurrences(of: "-", with: "/"); fields[2] = date
            case 840..<860: fields[2] = date.replacingOccurrences(of: "-", with: "")
            case 860..<880: end = [0x0A, 0x0A]
            case 880..<900: id = "p-\(seed)-\(row)-with-a-hashed-id"
            case 900..<920: id = "\"\(id)\""
            case 920..<940: line = ideographicSpace
            case 940..<950: id = "\"p-\(row)\r\n,\(seed)\""  // a comma and a line break inside quotes
            case 950..<960: fields[2] = "\"\(date)\" "
            case 960..<964: fields[2] = String(format: "%04d-02-30", year)
            case 964..<967: fields.append("x")
            case 967..<970: fields.removeLast()
            case 970..<972: fields[1] = "41\u{0}102"
            case 972..<974: fields[1] = "\"410102"
            case 974..<976: fields[0] = "32\"0506"
            case 976..<978: fields[2] = "\"\(date)\"x"
            case 978..<980: if let earlier = usedIDs.randomElement(using: &random) { id = earlier }
            case 980..<982: line = [0xFF]
            default: fields[random.int(in: 0...2)] = ""
            }
            if ids {
                usedIDs.append(id)
                line += Array(id.utf8) + [0x2C]
            }
            line += Array(fields.joined(separator: ",").utf8)
            out += line + end
        }
        if random.int(in: 0...3) == 0, out.last == 0x0A { out.removeLast() }
        return out
    }

    @Test(arguments: 0..<8)
    func generatedRegistersReadTheSameOnBothPaths(batch: Int) {
        var tables = 0
        var errors = 0
        for seed in UInt64(batch * 25)..<UInt64(batch * 25 + 25) {
            let bytes = Self.generated(seed: seed)
            switch Self.expectPathsEqual(bytes, chunk: Int(seed % 61) + 1, "seed \(seed)") {
            case .table: tables += 1
            case .error: errors += 1
            }
        }
        // Both kinds of outcome occur in every batch, so neither side is left untested.
        #expect(tables >= 3, "batch \(batch): \(tables) tables, \(errors) errors")
        #expect(errors >= 3, "batch \(batch): \(tables) tables, \(errors) errors")
    }

    /// The same tokenizer reads a register and a settlement table: the generated registers
    /// that `CSVReader` accepts have the records the register counted.
    @Test func csvReaderSeesTheRowsTheRegisterCounts() throws {
        var compared = 0
        for seed in UInt64(0)..<60 {
            let bytes = Self.generated(seed: seed)
            guard case .table(_, _, let rows, _) = Self.outcome(bytes, fastRows: true) else { continue }
            let table = try CSVReader.read(bytes: bytes, file: "r.csv")
            #expect(table.records.count == rows, "seed \(seed)")
            compared += 1
        }
        #expect(compared >= 10)
    }

    /// A grammar error reads the same in a register and in a settlement table: same line,
    /// problem, value and expectation (only the column label differs: the register names the
    /// key too).
    @Test func grammarErrorsReadTheSameInBothReaders() throws {
        let header = "dest_code,origin_code,settle_date\n320506,410102,2023-05-17\n"
        let rows = [
            "320506,41\"0102,2023-05-17\n",
            "320506,\"410102\"x,2023-05-17\n",
            "320506,410102,\"2023-05-17\n320506,410102,2023-05-17\n",
            "320506,\"41\r\n0102\" z,2023-05-17\n",
        ]
        for row in rows {
            let bytes = Array((header + row).utf8)
            var csvError: InputError?
            do throws(InputError) { _ = try CSVReader.read(bytes: bytes, file: "r.csv") } catch { csvError = error }
            guard case .error(let registerError) = Self.outcome(bytes, fastRows: true) else {
                Issue.record("the register read \(row.debugDescription) without an error")
                continue
            }
            #expect(csvError?.line == registerError.line, "\(row.debugDescription)")
            #expect(csvError?.problem == registerError.problem, "\(row.debugDescription)")
            #expect(csvError?.value == registerError.value, "\(row.debugDescription)")
            #expect(csvError?.accepted == registerError.accepted, "\(row.debugDescription)")
        }
    }
}
