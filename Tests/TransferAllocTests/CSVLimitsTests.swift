import Testing
@testable import TransferAlloc

/// The CSV reader's documented limits (docs/hardening.md), exercised with small limits so each
/// boundary is checked on both sides, and the real values stated once.
@Suite struct CSVLimitsTests {
    static let small = CSVReader.Limits(recordBytes: 16, columns: 4, cells: 12)

    func parse(_ text: String) throws(InputError) -> CSVTable {
        try CSVReader.parse(text: text, file: "s.csv", encoding: .utf8, limits: Self.small)
    }

    @Test func documentedValues() {
        #expect(CSVReader.maxRecordBytes == 1_048_576)
        #expect(CSVReader.maxColumns == 10_000)
        #expect(CSVReader.maxCells == 50_000_000)
        #expect(InputFile.maxLineBytes == 1_048_576)
        #expect(InputFile.maxBytes == 1_073_741_824)
        #expect(Limits.maxPriorYears == 100)
    }

    @Test func rowLength() throws {
        // 16 bytes is allowed, 17 is not; the line break does not count.
        #expect(try parse("a,b\n123456789012345,\n").records.count == 1)
        #expect(throws: InputError(file: "s.csv", line: 2,
                                   problem: "is a row longer than 16 bytes, the longest row a CSV input may have",
                                   accepted: "short rows: one county or scenario per row (is this the right file?)")) {
            try parse("a,b\n1234567890123456,\n")
        }
        // Spaces before a quote count too.
        #expect(throws: InputError.self) { try parse("a,b\n" + String(repeating: " ", count: 20) + "\"x\",1\n") }
    }

    @Test func quotedFieldLength() throws {
        #expect(try parse("a,b\n\"1\n2\n3\n4\n5\n6\",x\n").records[0].fields == ["1\n2\n3\n4\n5\n6", "x"])
        #expect(throws: InputError(file: "s.csv", line: 2, column: "a", value: "\"1",
                                   problem: "opens a quoted field that runs past 16 bytes, the longest row a CSV input may have",
                                   accepted: "a closing double quote after the field's text (a quote inside a quoted field is written twice: \"\")")) {
            try parse("a,b\n\"1\n2\n3\n4\n5\n6\n7\n8\n9\",x\n")
        }
    }

    @Test func columns() throws {
        #expect(try parse("a,b,c,d\n1,2,3,4\n").header.count == 4)
        #expect(throws: InputError(file: "s.csv", line: 1, problem: "has more than 4 fields, the most a CSV row may have",
                                   accepted: "at most 4 columns")) {
            try parse("a,b,c,d,e\n")
        }
    }

    @Test func cells() throws {
        // 3 columns: the header and 3 rows are 12 cells; a fourth row makes 15.
        #expect(try parse("a,b,c\n1,2,3\n4,5,6\n7,8,9\n").records.count == 3)
        #expect(throws: InputError(file: "s.csv", line: 5,
                                   problem: "takes the table past 12 cells (rows × columns, header included), the most a CSV input may have",
                                   accepted: "a table of at most 12 cells: one row per county or scenario (is this the right file?)")) {
            try parse("a,b,c\n1,2,3\n4,5,6\n7,8,9\n1,1,1\n")
        }
    }
}
