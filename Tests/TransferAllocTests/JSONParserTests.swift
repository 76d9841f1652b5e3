import BigInt
import Testing
@testable import TransferAlloc

@Suite struct JSONParserTests {
    func parse(_ text: String) throws(InputError) -> JSONElement {
        try JSONParser.parse(Array(text.utf8), file: "t.json")
    }

    func failure(_ bytes: [UInt8]) -> InputError? {
        do {
            _ = try JSONParser.parse(bytes, file: "t.json")
            return nil
        } catch {
            return error
        }
    }

    func failure(_ text: String) -> InputError? { failure(Array(text.utf8)) }

    static func at(_ line: Int, _ column: Int) -> JSONPosition { JSONPosition(line: line, column: column) }

    @Test func objectKeepsOrderTextAndPositions() throws {
        let root = try parse(#"{"b": [true, null, "x"], "a": -1.50e+3}"#)
        let expected = JSONElement(.object([
            JSONMember(key: "b", keyPosition: Self.at(1, 2),
                       value: .array([JSONElement(.bool(true), at: Self.at(1, 8)),
                                      JSONElement(.null, at: Self.at(1, 14)),
                                      JSONElement(.string("x"), at: Self.at(1, 20))]),
                       position: Self.at(1, 7)),
            JSONMember(key: "a", keyPosition: Self.at(1, 26), value: .number("-1.50e+3"), position: Self.at(1, 31)),
        ]), at: Self.at(1, 1))
        #expect(root == expected)
        #expect(root.value.jsonText == #"{"b":[true,null,"x"],"a":-1.50e+3}"#)
    }

    @Test func columnsCountCharactersNotBytesAcrossLines() throws {
        let root = try parse("{\n  \"名称\": \"亩\",\r\n\t\"n\":\r0.10\n}")
        let members = try #require(root.value.members)
        #expect(members.map(\.key) == ["名称", "n"])
        #expect(members[0].keyPosition == Self.at(2, 3))
        #expect(members[0].position == Self.at(2, 9))
        #expect(members[0].value == .string("亩"))
        #expect(members[1].keyPosition == Self.at(3, 2))
        // A lone CR ends a line too.
        #expect(members[1].position == Self.at(4, 1))
        #expect(members[1].value == .number("0.10"))
    }

    @Test func byteOrderMarkIsSkippedAndNotCounted() throws {
        let root = try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array(#"{"a":1}"#.utf8), file: nil)
        #expect(root.position == Self.at(1, 1))
        #expect(root.value.members?.first?.position == Self.at(1, 6))
    }

    @Test func stringEscapesIncludingSurrogatePairs() throws {
        let root = try parse(#""\"\\\/\b\f\n\r\t\u4EA9\ud83d\ude00\u0000é""#)
        #expect(root.value == .string("\"\\/\u{8}\u{C}\n\r\t亩😀\u{0}é"))
    }

    @Test func numberLiteralsKeepTheirText() throws {
        let root = try parse("[0, -0, 0.10, 1E+2, 12e-0003, -9.000]")
        #expect(root.value.elements?.map(\.value) == [
            .number("0"), .number("-0"), .number("0.10"), .number("1E+2"), .number("12e-0003"), .number("-9.000"),
        ])
    }

    @Test(arguments: [
        ("1", true), ("-0", true), ("0.1", true), ("1.5e-3", true), ("2E+10", true), ("10", true),
        ("01", false), ("+1", false), (".5", false), ("1.", false), ("1e", false), ("-", false), ("", false),
        ("1,000", false), ("0x10", false), ("NaN", false), ("1e+", false), ("１", false), (" 1", false),
    ])
    func numberGrammar(text: String, valid: Bool) {
        #expect(JSONParser.isNumberLiteral(text) == valid)
    }

    @Test(arguments: [
        ("0.1", Rational(1, 10)), ("1.50e2", Rational(150)), ("-2.5E-1", Rational(-1, 4)),
        ("12e-0003", Rational(3, 250)), ("0e999", Rational(0)), ("7", Rational(7)),
    ])
    func exactDecimalFromLiteral(text: String, value: Rational) throws {
        #expect(try #require(ExactDecimal(jsonNumberLiteral: text)).rational == value)
    }

    @Test func hugeExponentIsRefusedNotComputed() {
        #expect(ExactDecimal(jsonNumberLiteral: "1e999999999999") == nil)
        #expect(ExactDecimal(jsonNumberLiteral: "1e1001") == nil)
        #expect(ExactDecimal(jsonNumberLiteral: "1e1000") != nil)
        #expect(ExactDecimal(jsonNumberLiteral: "1e-101", maximumExponent: 100) == nil)
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var line: Int
        var column: String
        var value: String?
        var problem: String
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ line: Int, _ column: String, _ value: String?, _ problem: String) {
            self.init(name, Array(text.utf8), line, column, value, problem)
        }

        init(_ name: String, _ bytes: [UInt8], _ line: Int, _ column: String, _ value: String?, _ problem: String) {
            self.name = name
            self.bytes = bytes
            self.line = line
            self.column = column
            self.value = value
            self.problem = problem
        }
    }

    static let badCases: [BadCase] = [
        BadCase("empty", "", 1, "1", nil, "holds no JSON value (the text is empty)"),
        BadCase("only white space", " \n ", 2, "2", nil, "holds no JSON value (the text is empty)"),
        BadCase("trailing comma in object", #"{"a":1,}"#, 1, "8", "}", "follows a trailing comma"),
        BadCase("trailing comma in list", "[1,]", 1, "4", "]", "follows a trailing comma"),
        BadCase("leading zero", "[01]", 1, "2 ([1])", "01", "is not a valid number"),
        BadCase("trailing point", "[1.]", 1, "2 ([1])", "1.", "is not a valid number"),
        BadCase("leading point", "[.5]", 1, "2 ([1])", ".5", "is not valid JSON here"),
        BadCase("plus sign", "+1", 1, "1", "+1", "is not valid JSON here"),
        BadCase("NaN", "NaN", 1, "1", "NaN", "is not valid JSON here"),
        BadCase("bad literal", "[tru]", 1, "2 ([1])", "tru", "is not a JSON value"),
        BadCase("literal run-on", "nulls", 1, "1", "nulls", "is not a JSON value"),
        BadCase("garbage after value", "{\"a\":1} x", 1, "9", "x", "follows the end of the JSON value"),
        BadCase("second value", "1 2", 1, "3", "2", "follows the end of the JSON value"),
        BadCase("single quotes", "{'a':1}", 1, "2", "'a'", "is not valid JSON here"),
        BadCase("missing colon", "{\"a\" 1}", 1, "6", "1", "is not valid JSON here"),
        BadCase("missing comma", "[1 2]", 1, "4", "2", "is not valid JSON here"),
        BadCase("unclosed list", "[1", 1, "3", nil, "the text ends too early"),
        BadCase("unclosed object", "{\"a\":", 1, "6 (a)", nil, "the text ends too early"),
        BadCase("unterminated string", "\"abc", 1, "1", nil, "opens a string that is never closed"),
        BadCase("newline in string", "\"ab\ncd\"", 1, "4", nil, "breaks a string across lines"),
        BadCase("tab in string", "\"a\tb\"", 1, "3", "\t", "is a control character inside a string"),
        BadCase("bad escape", #""\x""#, 1, "2", #"\x"#, "is not a valid escape in a string"),
        BadCase("short unicode escape", #""\u12""#, 1, "2", #"\u12"#, "is not a valid \u{5C}u escape"),
        BadCase("lone high surrogate", #""\ud800""#, 1, "2", #"\ud800"#,
                "is a lone high surrogate (not followed by a \u{5C}uDC00–\u{5C}uDFFF low surrogate)"),
        BadCase("high surrogate then letter", #""\ud800\u0041""#, 1, "2", #"\ud800"#,
                "is a lone high surrogate (not followed by a \u{5C}uDC00–\u{5C}uDFFF low surrogate)"),
        BadCase("lone low surrogate", #"["\udc00"]"#, 1, "3 ([1])", #"\udc00"#,
                "is a lone low surrogate (no \u{5C}uD800–\u{5C}uDBFF high surrogate before it)"),
        BadCase("invalid UTF-8 in string", [0x22, 0xC3, 0x28, 0x22], 1, "2", "\\xC3\\x28\\x22", "is not valid UTF-8"),
        BadCase("overlong UTF-8", [0x5B, 0x22, 0xC0, 0xAF, 0x22, 0x5D], 1, "3 ([1])", "\\xC0\\xAF\\x22\\x5D",
                "is not valid UTF-8"),
        BadCase("UTF-8 surrogate", [0x22, 0xED, 0xA0, 0x80, 0x22], 1, "2", "\\xED\\xA0\\x80\\x22", "is not valid UTF-8"),
        BadCase("cut UTF-8 at end", [0x22, 0xE4, 0xBA], 1, "2", "\\xE4\\xBA", "is not valid UTF-8"),
        BadCase("invalid UTF-8 outside strings", [0x5B, 0x31, 0x2C, 0xFF, 0x5D], 1, "4 ([2])", "\\xFF\\x5D", "is not valid UTF-8"),
        BadCase("invalid UTF-8 after value", [0x31, 0x20, 0x80], 1, "3", "\\x80", "is not valid UTF-8"),
        BadCase("error path in nested objects", "{\"money\": {\"weights\": {\"settled\": x}}}", 1,
                "35 (money.weights.settled)", "x", "is not valid JSON here"),
        BadCase("error path in list items", "{\"land\": {\"tiers\": [{}, {\"up_to\": -}]}}", 1,
                "35 (land.tiers[2].up_to)", "-", "is not a valid number"),
        BadCase("comment", "{\n  // note\n  \"a\": 1}", 2, "3", "//", "is not valid JSON here"),
    ]

    @Test(arguments: badCases)
    func rejects(_ bad: BadCase) throws {
        let error = try #require(failure(bad.bytes))
        #expect(error.file == "t.json")
        #expect(error.line == bad.line)
        #expect(error.column == bad.column)
        #expect(error.value == bad.value)
        #expect(error.problem == bad.problem)
        #expect(error.accepted != nil)
    }

    @Test func duplicateKeyNamesBothLines() throws {
        let text = "{\n  \"money\": {\n    \"granularity\": 1,\n    \"weights\": {},\n    \"granularity\": 2\n  }\n}"
        let error = try #require(failure(text))
        #expect(error.line == 5)
        #expect(error.column == "5 (money.granularity)")
        #expect(error.value == "granularity")
        #expect(error.problem == "is a key given twice in one object: on line 3 (column 5) and again on line 5")
        #expect(error.description.hasPrefix("t.json, line 5, column 5 (money.granularity): value \"granularity\""))
    }

    @Test func sameKeyInDifferentObjectsIsFine() throws {
        let root = try parse(#"{"a": {"x": 1}, "b": {"x": 2}}"#)
        #expect(root.value["b"]?["x"] == .number("2"))
    }

    @Test func depthSixtyFourIsAllowedSixtyFiveIsNot() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try parse(ok).value.elements?.count == 1)
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = try #require(failure(deep))
        #expect(error.line == 1)
        #expect(error.column == "65 (" + String(repeating: "[1]", count: 64) + ")")
        #expect(error.problem == "nests objects and lists more than 64 levels deep")
    }

    @Test func tenThousandLevelsGiveAnErrorNotACrash() throws {
        let lists = String(repeating: "[", count: 10_000)
        #expect(try #require(failure(lists)).problem == "nests objects and lists more than 64 levels deep")
        let objects = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        let error = try #require(failure(objects))
        #expect(error.problem == "nests objects and lists more than 64 levels deep")
        #expect(error.column == "321 (" + Array(repeating: "a", count: 64).joined(separator: ".") + ")")
    }

    @Test func jsonTextEscapesControlCharacters() {
        let value = JSONValue.object([JSONMember(key: "k\"", keyPosition: Self.at(1, 1),
                                                 value: .string("a\u{1}\n"), position: Self.at(1, 1))])
        #expect(value.jsonText == #"{"k\"":"a\u0001\n"}"#)
    }

    @Test func kindDescriptions() {
        #expect([JSONValue.object([]), .array([]), .string(""), .number("1"), .bool(true), .bool(false), .null]
            .map(\.kindDescription) == ["an object", "a list", "a string", "a number", "true", "false", "null"])
    }

    /// Seeded mutations of valid documents: the parser must return or throw, never trap or hang.
    @Test func mutatedInputsNeverCrash() {
        let seeds: [[UInt8]] = [
            Array(DefaultPolicy.json.utf8),
            Array(#"{"a": ["\ud83d\ude00", 1.5e-3, {"b": null}], "名": "值"}"#.utf8),
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var accepted = 0
        var rejected = 0
        for round in 0..<3000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<(1 + Int(next() % 4)) {
                let position = Int(next() % UInt64(bytes.count))
                switch next() % 4 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: next())
                case 1: bytes.remove(at: position)
                case 2: bytes.insert(UInt8(truncatingIfNeeded: next()), at: position)
                default: bytes = Array(bytes[..<position])
                }
                if bytes.isEmpty { bytes = [0x7B] }
            }
            do {
                _ = try JSONParser.parse(bytes, file: "fuzz")
                accepted += 1
            } catch {
                #expect(error.line.map { $0 >= 1 } == true)
                rejected += 1
            }
        }
        #expect(accepted + rejected == 3000)
        #expect(rejected > 1000)
    }
}
