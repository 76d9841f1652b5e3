import Foundation
import Testing
@testable import TransferAlloc

/// A register read from a pipe cannot be re-read, so its hashed person_ids are kept: a repeat is
/// named with both lines and the id, and a shared hash is never a false repeat.
@Suite struct PipedRegisterTests {
    static let header = "person_id,dest_code,origin_code,settle_date\n"

    @Test func aRepeatedIDInAPipeNamesBothLinesAndTheID() throws {
        let text = Self.header + "person-aaaa-1,110101,120101,2023-01-01\nperson-bbbb-2,110101,120101,2023-01-01\n"
            + "person-aaaa-1,110101,120101,2023-02-01\n"
        let result = try CLI.run(["aggregate", "/dev/stdin", "--year", "2023"], stdin: Array(text.utf8))
        #expect(result.status == 1)
        #expect(result.stderr == "transfercalc: error: /dev/stdin, line 4, column 1 (person_id): value \"person-aaaa-1\" "
            + "repeats the person_id of line 2; expected each person once in the register (an empty person_id is not checked)\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func distinctIDsInAPipeAreCounted() throws {
        var text = Self.header
        for i in 0..<2_000 { text += "person-\(i)-abcdefgh,110101,120101,2023-01-01\n" }
        let result = try CLI.run(["aggregate", "/dev/stdin", "--year", "2023", "--prior", "0"], stdin: Array(text.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "code,cross_province,within_province,within_city\n110101,2000,0,0\n")
    }

    /// No source at all (bytes fed in chunks) and 3 bits of hash: collisions all the time, each
    /// settled from the kept ids.
    @Test func collisionsWithoutASourceAreSettledFromTheKeptIDs() throws {
        var text = Self.header
        for i in 0..<300 { text += "person-\(i)-abcdefgh,1,1,2023-01-01\n" }
        func run(_ text: String) -> Result<RegisterAggregate, InputError> {
            Result { () throws(InputError) in
                let aggregator = RegisterAggregator(file: "r.csv", year: 2023, priorYears: 0, encoding: .utf8,
                                                    source: nil, idHashMask: 0b111)
                let bytes = Array(text.utf8)
                for start in stride(from: 0, to: bytes.count, by: 1000) {
                    try aggregator.feed(Array(bytes[start..<min(bytes.count, start + 1000)]))
                }
                return try aggregator.finish()
            }
        }
        #expect(try run(text).get().counties[0].withinCity == 300)
        guard case .failure(let error) = run(text + "person-17-abcdefgh,1,1,2023-01-01\n") else {
            Issue.record("accepted a repeated id")
            return
        }
        #expect(error.line == 302)
        #expect(error.problem == "repeats the person_id of line 19")
        #expect(error.value == "person-17-abcdefgh")
    }
}
