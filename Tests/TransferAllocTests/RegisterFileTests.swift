import Foundation
import Testing
@testable import TransferAlloc

/// A seeded register: `rows` rows over a few dozen counties, ids unique unless asked.
func generatedRegister(rows: Int, seed: UInt64, withIDs: Bool = true) -> String {
    var random = SeededRandom(seed: seed)
    let codes = ["110101", "110102", "120101", "320506", "320507", "320583", "321002", "410102", "440305", "650102"]
    var text = withIDs ? "person_id,dest_code,origin_code,settle_date\n" : "dest_code,origin_code,settle_date\n"
    for row in 0..<rows {
        let date = "\(2017 + random.int(in: 0...7))-\(random.int(in: 1...12))-\(random.int(in: 1...28))"
        if withIDs { text += "\(100_000_000 + row * 7)," }
        text += "\(codes[random.int(in: 0...9)]),\(codes[random.int(in: 0...9)]),\(date)\n"
    }
    return text
}

@Suite struct RegisterFileTests {
    private func file(_ text: String) throws -> String {
        try CLI.write(text, to: "register.csv", in: CLI.temporaryDirectory())
    }

    private func run(_ path: String, threads: Int, idHashMask: UInt64 = .max) -> Result<RegisterAggregate, InputError> {
        // A tiny split threshold: every test file is read as two halves when threads == 2.
        Result { () throws(InputError) in
            try RegisterFile.aggregate(path: path, year: 2023, priorYears: 4, encoding: nil, threads: threads,
                                       idHashMask: idHashMask, splitThreshold: 1, progress: nil)
        }
    }

    @Test func twoHalvesGiveTheSingleThreadedTable() throws {
        let path = try file(generatedRegister(rows: 60_000, seed: 7))
        let one = try run(path, threads: 1).get()
        let two = try run(path, threads: 2).get()
        #expect(one.counties == two.counties)
        #expect(one.rows == 60_000 && two.rows == 60_000)
        #expect(one.ignoredYears.map(\.rows) == two.ignoredYears.map(\.rows))
        #expect(one.counties.count == 10)
    }

    @Test func aRepeatAcrossTheHalvesNamesBothAbsoluteLines() throws {
        var text = generatedRegister(rows: 60_000, seed: 8)
        // Line 3 holds id 100000007; repeat it on the last line (in the second half).
        text += "100000007,110101,110101,2023-01-01\n"
        let path = try file(text)
        for threads in [1, 2] {
            guard case .failure(let error) = run(path, threads: threads) else {
                Issue.record("accepted a repeated id with \(threads) thread(s)")
                continue
            }
            #expect(error.line == 60_002)
            #expect(error.problem == "repeats the person_id of line 3")
            #expect(error.value == "100000007")
        }
    }

    @Test func hashedRepeatAcrossTheHalvesIsConfirmed() throws {
        var text = "person_id,dest_code,origin_code,settle_date\n"
        for i in 0..<4_000 { text += "id-\(i)-xxxxxxxx,110101,110101,2023-01-01\n" }
        let clean = try file(text)
        // 14 bits of hash: hundreds of collisions, within and across the halves, each settled
        // by re-reading; none is a repeat.
        for threads in [1, 2] {
            #expect(try run(clean, threads: threads, idHashMask: 0x3FFF).get().counties[0].withinCity == 4_000)
        }
        let repeated = try file(text + "id-12-xxxxxxxx,110101,110101,2023-01-01\n")
        for threads in [1, 2] {
            guard case .failure(let error) = run(repeated, threads: threads, idHashMask: 0x3FFF) else {
                Issue.record("accepted a repeated id")
                continue
            }
            #expect(error.line == 4_002)
            #expect(error.problem == "repeats the person_id of line 14")
        }
    }

    @Test func anErrorInTheSecondHalfHasItsAbsoluteLine() throws {
        var lines = generatedRegister(rows: 40_000, seed: 9, withIDs: false).split(separator: "\n").map(String.init)
        lines[35_000] = "110101,110101,2023-04-31"
        let path = try file(lines.joined(separator: "\n") + "\n")
        for threads in [1, 2] {
            guard case .failure(let error) = run(path, threads: threads) else {
                Issue.record("accepted 2023-04-31")
                continue
            }
            #expect(error.line == 35_001)
            #expect(error.problem == "is an impossible date (month 4 has no day 31)")
        }
    }

    @Test func aSplitInsideAQuotedFieldFallsBackToOneThread() throws {
        // One quoted field spans the whole middle of the file, so the split (the first line
        // break after the middle) is inside it; the first half reads on alone.
        var text = "note,dest_code,origin_code,settle_date\n"
        for _ in 0..<2_000 { text += "x,110101,110101,2023-01-01\n" }
        text += "\"" + String(repeating: "a\n", count: 30_000) + "\",110101,320506,2022-01-01\n"
        for _ in 0..<2_000 { text += "x,110101,110101,2023-01-01\n" }
        text += "x,110101,110101,2023-02-30\n"
        let path = try file(text)
        for threads in [1, 2] {
            guard case .failure(let error) = run(path, threads: threads) else {
                Issue.record("accepted 2023-02-30")
                continue
            }
            #expect(error.line == 1 + 2_000 + 30_001 + 2_000 + 1)
        }
        let good = try file(String(text.dropLast("x,110101,110101,2023-02-30\n".count)))
        for threads in [1, 2] {
            let result = try run(good, threads: threads).get()
            #expect(result.counties == [RegisterCounty(code: "110101", crossProvince: 0, withinProvince: 0,
                                                       withinCity: 4_000, priors: [1, 0, 0, 0])])
        }
    }

    @Test func progressReachesTheFileSize() throws {
        let text = generatedRegister(rows: 20_000, seed: 10)
        let path = try file(text)
        let last = ProgressBox()
        _ = try RegisterFile.aggregate(path: path, year: 2023, threads: 1) { last.value = $0 }
        #expect(last.value?.bytes == text.utf8.count)
        #expect(last.value?.totalBytes == text.utf8.count)
        #expect(last.value?.rows == 20_000)
    }
}

private final class ProgressBox: @unchecked Sendable {
    var value: RegisterProgress?
}
