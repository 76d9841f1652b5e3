import Testing
@testable import TransferAlloc

private func parse(_ text: String) throws(InputError) -> CSVTable {
    try CSVReader.parse(text: text, file: "s.csv", encoding: .utf8)
}

private func raggedAccepted(_ count: Int) -> String {
    "\(count) fields, one per header column; a value containing a comma (such as 1,234) "
        + "must be in double quotes"
}

@Suite struct CSVReaderTests {
    // MARK: well-formed files

    @Test func simpleTable() throws {
        let table = try parse("code,name\n320506,吴中区\n320507,相城区\n")
        #expect(table.file == "s.csv")
        #expect(table.encoding == .utf8)
        #expect(table.headerLine == 1)
        #expect(table.header == ["code", "name"])
        #expect(table.records == [
            CSVRecord(line: 2, fields: ["320506", "吴中区"]),
            CSVRecord(line: 3, fields: ["320507", "相城区"]),
        ])
    }

    @Test func gb18030BytesWithChineseHeader() throws {
        // 区划代码,名称\n320506,吴中区\n in GB18030.
        let bytes: [UInt8] = [0xC7, 0xF8, 0xBB, 0xAE, 0xB4, 0xFA, 0xC2, 0xEB, 0x2C, 0xC3, 0xFB, 0xB3, 0xC6,
                              0x0A]
            + Array("320506,".utf8) + [0xCE, 0xE2, 0xD6, 0xD0, 0xC7, 0xF8, 0x0A]
        let table = try CSVReader.read(bytes: bytes, file: "s.csv")
        #expect(table.encoding == .gb18030)
        #expect(table.header == ["区划代码", "名称"])
        #expect(table.records == [CSVRecord(line: 2, fields: ["320506", "吴中区"])])
    }

    @Test func yuanCellIsReadAsGB18030UnlessForced() throws {
        let bytes = Array("code,unit\n1,".utf8) + [0xD4, 0xAA] + [0x0A]
        let detected = try CSVReader.read(bytes: bytes, file: "s.csv")
        #expect(detected.encoding == .gb18030)
        #expect(detected.records == [CSVRecord(line: 2, fields: ["1", "元"])])
        let forced = try CSVReader.read(bytes: bytes, file: "s.csv", encoding: .utf8)
        #expect(forced.encoding == .utf8)
        #expect(forced.records == [CSVRecord(line: 2, fields: ["1", "\u{052A}"])])
    }

    @Test func bomIsNotPartOfTheFirstHeader() throws {
        let table = try CSVReader.read(bytes: [0xEF, 0xBB, 0xBF] + Array("code,name\n1,a\n".utf8),
                                       file: "s.csv")
        #expect(table.encoding == .utf8)
        #expect(table.header == ["code", "name"])
        // parse(text:) drops a BOM left in the text too.
        #expect(try parse("\u{FEFF}code\n1\n").header == ["code"])
    }

    /// The record-by-record reader drops two BOMs at the start, as the table reader does (its
    /// decoder drops one and its parser the next), so both readers accept the same files.
    @Test func bothReadersDropTwoBOMs() throws {
        let bytes = [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("code,name\n1,a\n".utf8)
        #expect(try CSVReader.read(bytes: bytes, file: "s.csv").header == ["code", "name"])
        var names: [String] = []
        var records: [CSVRecord] = []
        _ = try CSVReader.scan(bytes: bytes, file: "s.csv", header: { _, header in names = header }, record: { records.append($0) })
        #expect(names == ["code", "name"])
        #expect(records == [CSVRecord(line: 2, fields: ["1", "a"])])
    }

    @Test func squareMetresStayUTF8() throws {
        let table = try CSVReader.read(bytes: Array("land_per_capita,单位\n120,m²\n".utf8), file: "s.csv")
        #expect(table.encoding == .utf8)
        #expect(table.records == [CSVRecord(line: 2, fields: ["120", "m²"])])
    }

    @Test func quotedFieldsWithLineBreaksKeepPhysicalLineNumbers() throws {
        let text = "code,name,note\n"      // line 1
            + "1,\"a\nb\",\"x\"\n"          // lines 2–3
            + "2,\"c\r\nd\",y\r\n"          // lines 4–5
            + "3,z,\"multi\n\nline\"\n"     // lines 6–8 (the blank line inside quotes is data)
            + "\n"                          // line 9, skipped
            + "4,w,\"v\rv\"\n"              // lines 10–11
            + "5,u,t"                       // line 12
        let table = try parse(text)
        #expect(table.records == [
            CSVRecord(line: 2, fields: ["1", "a\nb", "x"]),
            CSVRecord(line: 4, fields: ["2", "c\r\nd", "y"]),
            CSVRecord(line: 6, fields: ["3", "z", "multi\n\nline"]),
            CSVRecord(line: 10, fields: ["4", "w", "v\rv"]),
            CSVRecord(line: 12, fields: ["5", "u", "t"]),
        ])
    }

    @Test(arguments: [
        ("a,b\r\n1,2\r\n\r\n3,4\r\n", [2, 4]),  // CRLF, a blank CRLF line
        ("a,b\r1,2\r\r3,4", [2, 4]),            // lone CR, no final break
        ("a,b\n1,2\n\n\n3,4\n\n", [2, 5]),      // LF, blank lines, trailing blank line
        ("a,b\n\r\n\r1,2\n", [4]),              // LF, then CRLF and CR blank lines
    ])
    func lineEndings(text: String, lines: [Int]) throws {
        let table = try parse(text)
        #expect(table.header == ["a", "b"])
        #expect(table.records.map(\.line) == lines)
        #expect(table.records.map(\.fields) == (lines.count == 2 ? [["1", "2"], ["3", "4"]] : [["1", "2"]]))
    }

    @Test func blankLinesBeforeTheHeader() throws {
        let table = try parse("\n\r\n code , name \n1,2\n")
        #expect(table.headerLine == 3)
        #expect(table.header == ["code", "name"])
        #expect(table.records == [CSVRecord(line: 4, fields: ["1", "2"])])
    }

    @Test func everyCellIsTrimmedAfterUnquoting() throws {
        let table = try parse("a,b,c,d,e\n 1 ,\u{3000}吴中区\u{3000},\u{00A0}x\u{00A0},\" q \",\t\"\u{3000}\"\n")
        #expect(table.records == [CSVRecord(line: 2, fields: ["1", "吴中区", "x", "q", ""])])
    }

    /// Every non-ASCII White_Space character is trimmed at either end, next to Chinese text or
    /// not; CJK punctuation at the ends (same lead byte as U+3000) is kept.
    @Test(arguments: ["\u{0085}", "\u{00A0}", "\u{1680}", "\u{2000}", "\u{200A}", "\u{2028}", "\u{2029}",
                      "\u{202F}", "\u{205F}", "\u{3000}"])
    func unicodeWhiteSpaceIsTrimmedAtBothEnds(space: String) throws {
        let table = try parse("a,b,c,d\n\(space)县\(space),x\(space)\(space),\(space)、甲。\(space),é\(space)\n")
        #expect(table.records == [CSVRecord(line: 2, fields: ["县", "x", "、甲。", "é"])])
        let kept = try parse("a\n、甲\u{2030}\n")  // U+2030 (per mille) shares U+2000's lead bytes but is not white space
        #expect(kept.records == [CSVRecord(line: 2, fields: ["、甲\u{2030}"])])
    }

    @Test func quotingRules() throws {
        let table = try parse("a,b,c,d,e\n\"1,234\",\"say \"\"hi\"\"\",\"\",  \"x\"  ,\"\"\"\"\n")
        #expect(table.records == [CSVRecord(line: 2, fields: ["1,234", "say \"hi\"", "", "x", "\""])])
    }

    @Test func emptyFieldsAndTrailingComma() throws {
        let table = try parse("a,b,c\n,,\n1,,\n")
        #expect(table.records == [
            CSVRecord(line: 2, fields: ["", "", ""]),
            CSVRecord(line: 3, fields: ["1", "", ""]),
        ])
    }

    @Test func whiteSpaceOnlyLineIsARow() throws {
        // Only a completely empty line is skipped (§2.1).
        let table = try parse("code\n  \n1\n")
        #expect(table.records == [CSVRecord(line: 2, fields: [""]), CSVRecord(line: 3, fields: ["1"])])
    }

    @Test(arguments: ["code,name\n", "code,name", "\n\ncode,name\r\n\r\n"])
    func headerOnlyIsNotAnErrorHere(text: String) throws {
        let table = try parse(text)
        #expect(table.header == ["code", "name"])
        #expect(table.records.isEmpty)
    }

    // MARK: errors

    @Test(arguments: ["", "\n", "\r\n\r\n\r"])
    func emptyFile(text: String) {
        #expect(throws: InputError(file: "s.csv", problem: "empty file", accepted: "a header row")) {
            try parse(text)
        }
    }

    @Test func emptyFileFromBytes() {
        #expect(throws: InputError(file: "s.csv", problem: "empty file", accepted: "a header row")) {
            try CSVReader.read(bytes: [0xEF, 0xBB, 0xBF], file: "s.csv")
        }
    }

    @Test func rowWithTooFewFields() {
        #expect(throws: InputError(
            file: "s.csv", line: 3, column: "name", value: nil,
            problem: "is missing: the row has 1 field, but the header on line 1 has 3",
            accepted: raggedAccepted(3))) {
            try parse("code,name,x\n1,2,3\n4\n")
        }
    }

    @Test func rowWithTooManyFieldsFromAnUnquotedThousandsComma() {
        #expect(throws: InputError(
            file: "s.csv", line: 2, column: "3", value: "234",
            problem: "is an extra field: the row has 3 fields, but the header on line 1 has 2",
            accepted: raggedAccepted(2))) {
            try parse("code,settled\n320506,1,234\n")
        }
    }

    @Test func raggedRowAfterAMultiLineRecordNamesItsPhysicalLine() {
        #expect(throws: InputError(
            file: "s.csv", line: 6, column: "b",
            problem: "is missing: the row has 1 field, but the header on line 2 has 2",
            accepted: raggedAccepted(2))) {
            try parse("\na,b\n\"x\n\ny\",1\nz\n")
        }
    }

    @Test func unterminatedQuoteNamesTheLineWhereItStarts() {
        #expect(throws: InputError(
            file: "s.csv", line: 3, column: "b", value: "\"abc",
            problem: "opens a quoted field that is never closed",
            accepted: "a closing double quote before the end of the file "
                + "(a quote inside a quoted field is written twice: \"\")")) {
            try parse("a,b\n1,2\n3,\"abc\n4,5\n6,7\n")
        }
    }

    @Test func unterminatedQuoteStartingOnALaterLineOfTheRecord() {
        // The record starts on line 2; its second quoted field opens on line 3.
        #expect(throws: InputError(
            file: "s.csv", line: 3, column: "b", value: "\"open",
            problem: "opens a quoted field that is never closed",
            accepted: "a closing double quote before the end of the file "
                + "(a quote inside a quoted field is written twice: \"\")")) {
            try parse("a,b\n\"x\ny\",\"open\nmore")
        }
    }

    @Test func charactersAfterAClosingQuote() {
        #expect(throws: InputError(
            file: "s.csv", line: 4, column: "b", value: "\"ab\"c",
            problem: "has characters after the closing quote of a quoted field",
            accepted: "a comma or the end of the line right after the closing quote "
                + "(a quote inside a quoted field is written twice: \"\")")) {
            try parse("a,b\n1,2\n\n3,\"ab\"c,d\n")
        }
    }

    @Test func quoteInsideAnUnquotedField() {
        #expect(throws: InputError(
            file: "s.csv", line: 2, column: "a", value: "ab\"c",
            problem: "has a double quote inside an unquoted field",
            accepted: "the whole field in double quotes with each quote inside doubled, "
                + "e.g. \"ab\"\"c\" for ab\"c")) {
            try parse("a,b\nab\"c,2\n")
        }
    }

    @Test func quoteErrorInTheHeaderNamesTheColumnNumber() {
        #expect(throws: InputError(
            file: "s.csv", line: 1, column: "2", value: "na\"me",
            problem: "has a double quote inside an unquoted field",
            accepted: "the whole field in double quotes with each quote inside doubled, "
                + "e.g. \"ab\"\"c\" for ab\"c")) {
            try parse("code,na\"me\n")
        }
    }

    @Test func longValuesInMessagesAreCut() throws {
        let long = String(repeating: "区", count: 100)
        do throws(InputError) {
            _ = try parse("a\n\"\(long)")
            Issue.record("expected an error")
        } catch {
            // 120 bytes from the quote: the quote and 39 whole 3-byte characters.
            #expect(error.value == "\"" + String(repeating: "区", count: 39) + "…")
            #expect(error.line == 2)
        }
    }

    @Test func invalidByteErrorsPassThroughRead() {
        var bytes = Array("code\n".utf8)
        for _ in 0..<10_000 { bytes += Array("320506\n".utf8) }
        bytes += [0x31, 0xC3, 0x0A]
        #expect(throws: InputError(
            file: "s.csv", line: 10_002,
            problem: "byte C3 is not valid UTF-8, the encoding the file was read in",
            accepted: "a UTF-8 or GB18030 text file")) {
            try CSVReader.read(bytes: bytes, file: "s.csv")
        }
    }

    // MARK: robustness

    /// Random short files from CSV's special characters: the parser must return or throw an
    /// InputError, never crash or hang, and every returned row is as wide as the header.
    @Test func randomInputsNeverCrash() {
        let alphabet: [String] = [",", "\"", "\n", "\r", "a", " ", "\u{3000}", "é", "\r\n", "\"\""]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var parsed = 0
        for _ in 0..<3_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 59)
            var text = ""
            for _ in 0..<length {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += alphabet[Int(state >> 33) % alphabet.count]
            }
            do throws(InputError) {
                let table = try parse(text)
                parsed += 1
                #expect(table.records.allSatisfy { $0.fields.count == table.header.count })
                #expect(table.records.allSatisfy { $0.line > table.headerLine })
            } catch {
                #expect(error.file == "s.csv")
            }
        }
        #expect(parsed > 100)
    }
}
