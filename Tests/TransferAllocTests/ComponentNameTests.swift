import Testing
@testable import TransferAlloc

/// Component names (contract §10.9).
@Suite struct ComponentNameTests {
    @Test(arguments: ["settlers", "落户人口", "随迁子女", "part_2", "A", "x9"])
    func accepted(_ name: String) {
        #expect(ComponentName.problem(name) == nil)
    }

    @Test func rejected() {
        #expect(ComponentName.problem("") == "is an empty name")
        #expect(ComponentName.problem("a-b")?.hasPrefix("holds \"-\" (U+2D)") == true)
        #expect(ComponentName.problem("two words")?.hasPrefix("holds \" \" (U+20)") == true)
        #expect(ComponentName.problem("é")?.hasPrefix("holds \"é\" (U+E9)") == true)
        // Full-width digits are not ASCII digits, and 。 is punctuation, not an ideograph.
        #expect(ComponentName.problem("１") != nil)
        #expect(ComponentName.problem("人口。") != nil)
    }

    @Test func makingAnExistingKeyIsRejected() {
        #expect(ComponentName.problem("per_settler") == "would make the key amount_per_settler, which already names something else")
        // Compared ignoring ASCII case.
        #expect(ComponentName.problem("Per_Settler") == "would make the key amount_per_settler, which already names something else")
        #expect(ComponentName.problem("settler") == nil)
    }

    @Test func foldingTouchesAsciiOnly() {
        #expect(ComponentName.folded("Pupils落户") == "pupils落户")
    }
}
