import Testing
@testable import TransferAlloc

/// GB18030 bytes, checked with python3 `'…'.encode('gb18030')`.
private enum GB {
    static let quHuaDaiMa: [UInt8] = [0xC7, 0xF8, 0xBB, 0xAE, 0xB4, 0xFA, 0xC2, 0xEB]  // 区划代码
    static let yuan: [UInt8] = [0xD4, 0xAA]                                          // 元 (UTF-8: Ԫ)
    static let qu: [UInt8] = [0xC7, 0xF8]                                            // 区
    static let bom: [UInt8] = [0x84, 0x31, 0x95, 0x33]                               // U+FEFF
}

private let accepted = "a UTF-8 or GB18030 text file"

@Suite struct TextEncodingTests {
    // MARK: names

    @Test(arguments: [
        ("utf8", TextEncoding.utf8), ("UTF-8", .utf8), ("Utf8", .utf8), ("utf-8", .utf8),
        ("gb18030", .gb18030), ("GB18030", .gb18030), ("gbk", .gb18030), ("GBK", .gb18030),
    ])
    func acceptedNames(name: String, expected: TextEncoding) {
        #expect(TextEncoding(name: name) == expected)
    }

    @Test(arguments: ["", "utf16", "latin1", "gb2312", "utf 8", " utf8", "big5"])
    func rejectedNames(name: String) {
        #expect(TextEncoding(name: name) == nil)
    }

    @Test func rawValuesAreTheCommandLineWords() {
        #expect(TextEncoding.allCases.map(\.rawValue) == ["utf8", "gb18030"])
    }

    // MARK: detection

    @Test func emptyAndASCIIAreUTF8() {
        #expect(TextEncoding.detect([]) == .utf8)
        #expect(TextEncoding.detect(Array("code,name\n320506,Wuzhong\n".utf8)) == .utf8)
    }

    @Test func invalidUTF8MeansGB18030() {
        // C7 F8: F8 can never occur in UTF-8.
        #expect(TextEncoding.detect(GB.quHuaDaiMa + Array(",name\n".utf8)) == .gb18030)
    }

    @Test func yuanIsReadAsGB18030NotCyrillic() {
        // D4 AA is valid UTF-8 (Ԫ U+052A, not Chinese) and GB18030 元 (Chinese): GB18030 wins.
        #expect(TextEncoding.detect(GB.yuan) == .gb18030)
        #expect(TextEncoding.detect(Array("unit\n".utf8) + GB.yuan + [0x0A]) == .gb18030)
    }

    @Test func latinSupplementKeepsUTF8() {
        // m² = 6D C2 B2 is also GB18030 "m虏" (Chinese), but the UTF-8 reading qualifies first.
        #expect(TextEncoding.detect(Array("land,unit\n120,m²\n".utf8)) == .utf8)
        #expect(TextEncoding.detect(Array("名称·×\n".utf8)) == .utf8)
    }

    @Test func chineseUTF8StaysUTF8() {
        // 区划代码 in UTF-8 is also valid GB18030 (reading partly as private-use characters).
        #expect(TextEncoding.detect(Array("区划代码,名称\n320506,吴中区\n".utf8)) == .utf8)
    }

    @Test func validInBothButNeitherChineseIsUTF8() {
        // "™A" = E2 84 A2 41: UTF-8 ™ (not Chinese); GB18030 鈩 + a private-use character.
        #expect(TextEncoding.detect([0xE2, 0x84, 0xA2, 0x41]) == .utf8)
    }

    @Test func validOnlyAsUTF8IsUTF8() {
        // € = E2 82 AC: not Chinese, and AC at the end is half a GB18030 character.
        #expect(TextEncoding.detect(Array("€".utf8)) == .utf8)
    }

    @Test func bomMeansUTF8EvenBeforeGBBytes() {
        #expect(TextEncoding.detect([0xEF, 0xBB, 0xBF] + GB.quHuaDaiMa) == .utf8)
    }

    @Test func utf8CharacterCutByTheWindowIsNotInvalid() {
        var bytes = Array("名称\n".utf8)
        bytes += Array(repeating: 0x61, count: 65_535 - bytes.count)
        bytes += Array("区\n".utf8)
        #expect(bytes[65_535] == 0xE5)  // the window ends after the first byte of 区
        #expect(TextEncoding.detect(bytes) == .utf8)
    }

    @Test func gb18030CharacterCutByTheWindowIsNotInvalid() throws {
        // 元 makes the window GB18030; the window then ends on C7, the lead byte of 区.
        var bytes = Array("unit\n".utf8) + GB.yuan + [0x0A]
        bytes += Array(repeating: 0x61, count: 65_535 - bytes.count)
        bytes += GB.qu + [0x0A]
        #expect(bytes[65_535] == 0xC7)
        #expect(TextEncoding.detect(bytes) == .gb18030)
        let text = try TextEncoding.decode(bytes, as: .gb18030, file: "s.csv")
        #expect(text.hasSuffix("a区\n"))
    }

    @Test func fileEndingInHalfACharacterIsInvalidUTF8() {
        // Not cut by the window: the file itself ends there.
        #expect(TextEncoding.detect([0x61, 0xE5, 0x8C]) == .gb18030)
    }

    @Test func onlyTheFirst64KiBDecide() throws {
        var bytes = Array("code\n".utf8)
        let padding = Array("320506\n".utf8)
        while bytes.count < 70_000 { bytes += padding }
        let lines = bytes.count(where: { $0 == 0x0A })
        bytes += GB.qu + [0x0A]
        #expect(TextEncoding.detect(bytes) == .utf8)
        #expect(throws: InputError(
            file: "s.csv", line: lines + 1,
            problem: "byte C7 is not valid UTF-8, the encoding the file was read in",
            accepted: accepted)) {
            try TextEncoding.decode(bytes, as: .utf8, file: "s.csv")
        }
    }

    // MARK: decoding

    @Test func decodesUTF8AndStripsBOM() throws {
        #expect(try TextEncoding.decode([0xEF, 0xBB, 0xBF] + Array("a,元\n".utf8), as: .utf8,
                                        file: "s.csv") == "a,元\n")
        #expect(try TextEncoding.decode([], as: .utf8, file: "s.csv") == "")
        #expect(try TextEncoding.decode([0xEF, 0xBB, 0xBF], as: .utf8, file: "s.csv") == "")
        // A 4-byte character and a long ASCII run (the 8-byte fast path).
        let text = "0123456789abcdefghij😀,𠀀\r\n"
        #expect(try TextEncoding.decode(Array(text.utf8), as: .utf8, file: "s.csv") == text)
    }

    @Test func decodesGB18030() throws {
        #expect(try TextEncoding.decode(GB.quHuaDaiMa, as: .gb18030, file: "s.csv") == "区划代码")
        #expect(try TextEncoding.decode(GB.yuan, as: .gb18030, file: "s.csv") == "元")
        #expect(try TextEncoding.decode(GB.yuan, as: .utf8, file: "s.csv") == "\u{052A}")
        // Four-byte sequences: m² (BMP) and 𠀀 U+20000 (supplementary).
        #expect(try TextEncoding.decode([0x6D, 0x81, 0x30, 0x85, 0x35], as: .gb18030,
                                        file: "s.csv") == "m²")
        #expect(try TextEncoding.decode([0x95, 0x32, 0x82, 0x36], as: .gb18030,
                                        file: "s.csv") == "\u{20000}")
        #expect(try TextEncoding.decode(GB.bom + GB.yuan, as: .gb18030, file: "s.csv") == "元")
    }

    @Test func invalidUTF8After64KiBNamesItsLine() {
        var bytes = Array("区划代码,落户人数\n".utf8)
        for _ in 0..<6_000 { bytes += Array("320506,1234\n".utf8) }
        #expect(bytes.count > 65_536)
        bytes += Array("320507,12".utf8) + [0xFF] + [0x0A]
        #expect(TextEncoding.detect(bytes) == .utf8)
        #expect(throws: InputError(
            file: "settlement.csv", line: 6_002,
            problem: "byte FF is not valid UTF-8, the encoding the file was read in",
            accepted: accepted)) {
            try TextEncoding.decode(bytes, as: .utf8, file: "settlement.csv")
        }
    }

    /// (bytes, line, hex shown): every line-break style counts as one line.
    @Test(arguments: [
        (Array("a\r\nb\rc\n".utf8) + [0xE4, 0xB8, 0x41], 4, "bytes E4 B8 are"),
        ([0x61, 0x0A, 0xC0, 0x80], 2, "byte C0 is"),                  // overlong
        ([0x0A, 0x0A, 0xED, 0xA0, 0x80], 3, "byte ED is"),            // surrogate U+D800
        ([0xF4, 0x90, 0x80, 0x80], 1, "byte F4 is"),                  // past U+10FFFF
        ([0x0D, 0x0D, 0x0A, 0x80], 3, "byte 80 is"),                  // stray continuation
        ([0x61, 0xE5, 0x8C], 1, "bytes E5 8C are"),                   // cut by the end of file
    ] as [([UInt8], Int, String)])
    func invalidUTF8(bytes: [UInt8], line: Int, shown: String) {
        #expect(throws: InputError(
            file: "s.csv", line: line,
            problem: "\(shown) not valid UTF-8, the encoding the file was read in",
            accepted: accepted)) {
            try TextEncoding.decode(bytes, as: .utf8, file: "s.csv")
        }
    }

    @Test(arguments: [
        (GB.qu + [0x0A, 0x80], 2, "byte 80 is"),                       // lone 80 (CP936 €) is not GB18030
        ([0x0A, 0xFF], 2, "byte FF is"),
        ([0x61, 0x81, 0x0A], 1, "byte 81 is"),                         // lead byte before a line break
        ([0x0D, 0x84, 0x31, 0xA5, 0x30], 2, "bytes 84 31 A5 30 are"),  // unassigned four-byte code
        ([0xE3, 0x32, 0x9A, 0x36], 1, "bytes E3 32 9A 36 are"),        // past U+10FFFF
        ([0x81, 0x30, 0x41], 1, "bytes 81 30 are"),
        (GB.yuan + [0x0A, 0xC7], 2, "byte C7 is"),                     // cut by the end of file
    ] as [([UInt8], Int, String)])
    func invalidGB18030(bytes: [UInt8], line: Int, shown: String) {
        #expect(throws: InputError(
            file: "s.csv", line: line,
            problem: "\(shown) not valid GB18030, the encoding the file was read in",
            accepted: accepted)) {
            try TextEncoding.decode(bytes, as: .gb18030, file: "s.csv")
        }
    }

    @Test(arguments: TextEncoding.allCases)
    func nulByteNamesItsLine(encoding: TextEncoding) {
        let bytes = Array("code\r\n320506\n12345678".utf8) + [0x00, 0x41]
        #expect(throws: InputError(file: "s.csv", line: 3, problem: "NUL byte",
                                   accepted: "a text CSV file (UTF-8 or GB18030)")) {
            try TextEncoding.decode(bytes, as: encoding, file: "s.csv")
        }
    }

    @Test func nulInTheASCIIFastPath() {
        // A NUL inside an 8-byte block of otherwise plain ASCII.
        let bytes = Array("abc".utf8) + [0x00] + Array("defghijklmn".utf8)
        #expect(throws: InputError(file: "s.csv", line: 1, problem: "NUL byte",
                                   accepted: "a text CSV file (UTF-8 or GB18030)")) {
            try TextEncoding.decode(bytes, as: .utf8, file: "s.csv")
        }
    }

    @Test func utf16FileIsRejected() {
        // UTF-16LE with BOM: FF FE is not UTF-8, so GB18030 is tried, and FF is not GB18030 either.
        let bytes: [UInt8] = [0xFF, 0xFE, 0x61, 0x00]
        #expect(TextEncoding.detect(bytes) == .gb18030)
        #expect(throws: InputError(
            file: "s.csv", line: 1,
            problem: "byte FF is not valid GB18030, the encoding the file was read in",
            accepted: accepted)) {
            try TextEncoding.decode(bytes, as: .gb18030, file: "s.csv")
        }
    }
}
