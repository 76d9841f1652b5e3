import Testing
@testable import TransferAlloc

/// The origin rule (contract §6, §10.8) on hand-chosen codes, and against a reference written
/// here with string prefixes on every pair of a pool of awkward codes.
@Suite struct OriginClassificationTests {
    /// (dest, origin, column): 0 cross_province, 1 within_province, 2 within_city.
    static let hand: [(String, String, Int)] = [
        ("320506", "410102", 0),  // 32 ≠ 41
        ("320506", "321002", 1),  // 3205 ≠ 3210
        ("320506", "320583", 2),  // 3205 = 3205
        ("110101", "110228", 2),  // 北京: the whole city is one prefecture (1101 ≠ 1102 before)
        ("120101", "120225", 2),  // 天津
        ("310115", "310230", 2),  // 上海
        ("500101", "500235", 2),  // 重庆
        ("110101", "120101", 0),  // 北京 → 天津: two provinces
        ("429004", "429005", 1),  // 仙桃 and 潜江: each a prefecture of its own
        ("429004", "429004", 2),  // within 仙桃 itself
        ("429004", "420106", 1),  // 仙桃 and 武汉
        ("420106", "429004", 1),
        ("469001", "460105", 1),  // 五指山 (4690) and 海口
        ("1190xx", "110101", 2),  // the municipality rule comes before the 90 rule
        ("11", "1101", 2),        // a short code in a municipality
        ("32", "3205", 1),        // a code shorter than 4: its own prefecture
        ("329", "3290", 1),
        ("32", "32", 2),
        ("3", "32", 0),           // provinces "3" and "32" differ
        ("4290", "429004", 1),    // 4290 is a whole code, 429004 another
        ("32050600", "32050700", 2),
        ("429004001", "429004001", 2),
        ("429004001", "429004002", 1),  // long 90 codes: compared whole
    ]

    @Test func handChosenCodes() {
        for (dest, origin, column) in Self.hand {
            #expect(OriginClassification.column(dest: dest, origin: origin) == column, "\(dest) ← \(origin)")
        }
    }

    /// Written from the contract's words with `String` prefixes.
    static func reference(dest: String, origin: String) -> Int {
        func province(_ code: String) -> String { String(code.prefix(2)) }
        func prefecture(_ code: String) -> String {
            if code.count >= 2, ["11", "12", "31", "50"].contains(String(code.prefix(2))) { return String(code.prefix(2)) }
            let characters = Array(code)
            if characters.count < 4 { return code }
            if String(characters[2...3]) == "90" { return code }
            return String(code.prefix(4))
        }
        if province(dest) != province(origin) { return 0 }
        return prefecture(dest) == prefecture(origin) ? 2 : 1
    }

    static let pool = ["320506", "320583", "321002", "110101", "110228", "120101", "310115", "500235", "429004",
                       "429005", "420106", "4290", "429", "42", "4", "11", "1101", "12", "1290", "129004", "32",
                       "3205", "32050", "3205061", "429004001", "42900400", "5090", "500", "9090", "9190"]

    @Test func everyPairOfAwkwardCodesAgreesWithTheReference() {
        var compared = 0
        for dest in Self.pool {
            for origin in Self.pool {
                #expect(OriginClassification.column(dest: dest, origin: origin)
                        == Self.reference(dest: dest, origin: origin), "\(dest) ← \(origin)")
                compared += 1
            }
        }
        #expect(compared == Self.pool.count * Self.pool.count)
    }

    /// The fast rows' form on six-digit words gives the same column as the bytes' form.
    @Test func sixDigitWordsAgreeWithTheReference() {
        let six = Self.pool.filter { $0.count == 6 && $0.allSatisfy(\.isNumber) }
        #expect(six.count >= 10)
        func word(_ code: String) -> UInt64 {
            Array(code.utf8).enumerated().reduce(0) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
        }
        for dest in six {
            for origin in six {
                #expect(OriginClassification.column(sixCharacterDest: word(dest), origin: word(origin))
                        == Self.reference(dest: dest, origin: origin), "\(dest) ← \(origin)")
            }
        }
    }

    /// The fast rows' prefecture table covers every four-digit start: for each, a destination
    /// `DDDD01` against an origin that differs from it only in the last two digits, only in
    /// digits 3–4, or in the province, agrees with the reference.
    @Test func sixDigitTableAgreesWithTheReferenceForEveryFirstFourDigits() {
        func word(_ code: String) -> UInt64 {
            Array(code.utf8).enumerated().reduce(0) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
        }
        var compared = 0
        for firstFour in 0..<10_000 {
            let head = String(firstFour + 10_000).dropFirst()  // four digits with leading zeros
            let dest = head + "01"
            let province = head.prefix(2)
            let middle = head.dropFirst(2)
            let otherMiddle = middle == "90" ? "01" : "90"
            let otherProvince = province == "11" ? "12" : "11"
            for origin in [head + "02", province + otherMiddle + "01", otherProvince + middle + "01"] {
                let expected = Self.reference(dest: String(dest), origin: String(origin))
                #expect(OriginClassification.column(sixCharacterDest: word(String(dest)), origin: word(String(origin)))
                        == expected, "\(dest) ← \(origin)")
                compared += 1
            }
        }
        #expect(compared == 30_000)
    }
    /// A renaming that `keepsColumns` allows changes no column, with any code on the other
    /// side (as destination or origin), by the reference; and the hand-chosen ones are as stated.
    @Test func renamingsThatKeepColumnsChangeNoColumn() {
        func word(_ code: String) -> UInt64 {
            Array(code.utf8).enumerated().reduce(0) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
        }
        let six = Self.pool.filter { $0.count == 6 && $0.allSatisfy(\.isNumber) }
            + ["320584", "320509", "320510", "320501", "321001", "110118", "110102", "119001", "119002", "129001",
               "429006", "469001", "469002", "460105", "500101", "500102", "509001", "420190", "429101"]
        let others = Self.pool + six
        var kept = 0
        for old in six {
            for new in six where new != old && OriginClassification.keepsColumns(sixDigit: word(old), renamedTo: word(new)) {
                kept += 1
                for other in others {
                    #expect(Self.reference(dest: other, origin: old) == Self.reference(dest: other, origin: new),
                            "\(other) ← \(old) / \(new)")
                    #expect(Self.reference(dest: old, origin: other) == Self.reference(dest: new, origin: other),
                            "\(old) / \(new) ← \(other)")
                }
            }
        }
        #expect(kept >= 20)
        for (old, new, keeps) in [("320584", "320509", true), ("320584", "321002", false), ("429005", "429004", false),
                                  ("110228", "110118", false), ("110101", "110102", true), ("119001", "119002", true),
                                  ("420106", "420190", true), ("469001", "469002", false)] {
            #expect(OriginClassification.keepsColumns(sixDigit: word(old), renamedTo: word(new)) == keeps, "\(old) → \(new)")
        }
    }
}
