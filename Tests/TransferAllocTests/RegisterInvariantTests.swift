import Testing
@testable import TransferAlloc

/// Seeded random registers in every accepted spelling (three date shapes, CRLF, lone CR,
/// quotes, white space, blank lines), read in random chunk sizes, against a naive count made
/// here from the rows as generated.
@Suite struct RegisterInvariantTests {
    static let codes = ["110101", "110102", "120101", "320506", "320583", "321002", "41", "4101", "4", "650102"]

    @Test(arguments: 0..<40)
    func matchesANaiveCount(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let year = 2023
        let prior = random.int(in: 0...4)
        var expected: [String: [Int]] = [:]
        var ignored: [Int: Int] = [:]
        var text = random.int(in: 0...1) == 0 ? "person_id,note,dest_code,origin_code,settle_date" : "身份标识,备注,落户地代码,迁出地代码,落户日期"
        let rows = random.int(in: 1...300)
        for row in 0..<rows {
            text += ["\n", "\r\n", "\r"][random.int(in: 0...2)]
            if random.int(in: 0...9) == 0 { text += "\n" }  // a blank line
            let dest = Self.codes[random.int(in: 0...9)]
            let origin = Self.codes[random.int(in: 0...9)]
            let y = year - random.int(in: -1...6)
            let m = random.int(in: 1...12)
            let d = random.int(in: 1...28)
            let date: String
            switch random.int(in: 0...3) {
            case 0: date = "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
            case 1: date = "\(y)/\(m)/\(d)"
            case 2: date = "\(y)\(m < 10 ? "0" : "")\(m)\(d < 10 ? "0" : "")\(d)"
            default: date = " \"\(y)-\(m)-\(d)\" "
            }
            let note = ["", "x", "\"a,b\"", "\"two\nlines\"", "\"say \"\"hi\"\"\"", "说明"][random.int(in: 0...5)]
            let id = random.int(in: 0...4) == 0 ? "" : (random.int(in: 0...1) == 0 ? "\(row)" : "id-\(row)-long-enough")
            let quotedDest = random.int(in: 0...3) == 0 ? "\"\(dest)\"" : dest
            text += "\(id),\(note),\(quotedDest), \(origin) ,\(date)"
            let age = year - y
            if age == 0 {
                let column = OriginClassificationTests.reference(dest: dest, origin: origin)
                expected[dest, default: Array(repeating: 0, count: 3 + prior)][column] += 1
            } else if age >= 1, age <= prior {
                expected[dest, default: Array(repeating: 0, count: 3 + prior)][2 + age] += 1
            } else {
                ignored[y, default: 0] += 1
            }
        }
        if random.int(in: 0...1) == 0 { text += "\n" }
        let bytes = Array(text.utf8)
        guard !expected.isEmpty else {
            #expect(aggregateError(text, year: year, prior: prior)?.problem.hasPrefix("has no rows of years") == true)
            return
        }
        let chunk = random.int(in: 1...64)
        let result = try aggregate(bytes, year: year, prior: prior, chunk: chunk, idHashMask: 0xF)
        let want = expected.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map { code in
            let c = expected[code]!
            return RegisterCounty(code: code, crossProvince: c[0], withinProvince: c[1], withinCity: c[2],
                                  priors: Array(c[3...]))
        }
        #expect(result.counties == want, "seed \(seed), chunk \(chunk)")
        #expect(result.rows == rows)
        #expect(result.ignoredYears.map(\.year) == ignored.keys.sorted())
        #expect(result.ignoredYears.map(\.rows) == ignored.keys.sorted().map { ignored[$0]! })
    }
}
