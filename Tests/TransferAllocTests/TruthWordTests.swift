import Testing
@testable import TransferAlloc

/// The yes/no words of `land_exempt` and the register's `agricultural` column.
@Suite struct TruthWordTests {
    @Test(arguments: [
        ("1", true), ("true", true), ("TRUE", true), ("Yes", true), ("是", true),
        ("0", false), ("false", false), ("False", false), ("NO", false), ("否", false), ("", false),
    ])
    func words(text: String, value: Bool) {
        #expect(TruthWord.value(text) == value)
    }

    @Test(arguments: ["2", "y", "n", "t", "f", "真", "是的", "1.0", "yess", "falsee", "ｙｅｓ", "01"])
    func otherTextIsNoTruthWord(text: String) {
        #expect(TruthWord.value(text) == nil)
    }
}
