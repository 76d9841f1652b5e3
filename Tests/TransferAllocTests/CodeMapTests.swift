import Testing
@testable import TransferAlloc

/// `--code-map` files: chains followed, and every refusal naming the file and its lines.
@Suite struct CodeMapTests {
    static func map(_ text: String) throws(InputError) -> CodeMap {
        try CodeMap.parse(bytes: Array(text.utf8), file: "m.csv")
    }

    static func text(_ map: CodeMap) -> [String: String] {
        Dictionary(uniqueKeysWithValues: map.resolved.map {
            (String(decoding: $0.key, as: UTF8.self), String(decoding: $0.value, as: UTF8.self))
        })
    }

    @Test func chainsAreFollowedInAnyOrder() throws {
        // 320584 → 320509 → 320510; 429005 → 429006 → 429004 given in reverse order.
        let map = try Self.map("old_code,new_code\n320584,320509\n429006,429004\n320509,320510\n429005,429006\n")
        #expect(Self.text(map) == ["320584": "320510", "320509": "320510", "429006": "429004", "429005": "429004"])
        #expect(map.notes.isEmpty)
    }

    @Test func chineseHeadersTrimmedCellsAndIgnoredColumns() throws {
        let map = try Self.map("名称, 新代码 ,原代码\n吴江, 320509 , 320584\n")
        #expect(Self.text(map) == ["320584": "320509"])
        #expect(map.notes == ["m.csv: ignoring unknown column(s): 名称"])
    }

    @Test(arguments: [
        ("old_code,new_code\n1,2\n2,3\n3,1\n",
         "m.csv, line 2: maps codes in a cycle: 1 → 2 → 3 → 1 (lines 2, 3, 4); expected chains of renamings that end in a code in use"),
        ("old_code,new_code\n9,1\n2,3\n3,2\n",
         "m.csv, line 3: maps codes in a cycle: 2 → 3 → 2 (lines 3, 4); expected chains of renamings that end in a code in use"),
        ("old_code,new_code\n320584,320509\n320506,320583\n320584,320509\n",
         "m.csv, line 4, column 1 (old_code): value \"320584\" repeats the old_code of line 2; expected each old code once (a code maps to one new code)"),
        ("old_code,new_code\n320584,320584\n",
         "m.csv, line 2, column 2 (new_code): value \"320584\" maps code 320584 to itself; expected a row only for a code that changed"),
        ("old_code,new_code\n320584,\n",
         "m.csv, line 2, column 2 (new_code): value \"\" is empty; expected a county code of printable ASCII characters, e.g. 320506"),
        ("原代码,新代码\n 吴江 ,320509\n",
         "m.csv, line 2, column 1 (原代码 = old_code): value \"吴江\" is not a code (it has non-ASCII characters); expected a county code of printable ASCII characters, e.g. 320506"),
        ("old_code,code\n1,2\n",
         "m.csv, line 1: has no new_code column; expected a header row with old_code (原代码) and new_code (新代码)"),
        ("old_code,new_code,原代码\n1,2,3\n",
         "m.csv, line 1, column 3 (原代码 = old_code): value \"原代码\" names the same column as column 1 (old_code); expected each column once"),
        ("old_code,new_code\n",
         "m.csv, line 1: is an empty table: it has a header but no rows; expected one row per renamed or merged county code"),
    ])
    func refusals(text: String, message: String) {
        #expect(throws: InputError.self) { try Self.map(text) }
        do throws(InputError) {
            _ = try Self.map(text)
        } catch {
            #expect(error.description == message)
        }
    }
}
