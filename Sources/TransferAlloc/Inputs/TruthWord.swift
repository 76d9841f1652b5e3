/// The yes/no words of a truth column (`land_exempt`, and the register's `agricultural`):
/// `1`, `true`, `yes`, `是` are true; `0`, `false`, `no`, `否` and the empty cell are false;
/// ASCII letters in any case. Anything else is no truth word (the caller names the error).
///
///     TruthWord.value("YES")   // true
///     TruthWord.value("")      // false
///     TruthWord.value("2")     // nil
public enum TruthWord {
    /// The words read as true, in their canonical spelling.
    public static let trueWords = ["1", "true", "yes", "是"]
    /// The words read as false; the empty cell is one of them.
    public static let falseWords = ["0", "false", "no", "否", ""]

    /// The value of a trimmed cell, or nil when it is no truth word.
    public static func value(_ text: String) -> Bool? {
        Array(text.utf8).withUnsafeBytes { value(utf8: $0) }
    }

    /// The value of a trimmed cell given as UTF-8 bytes, or nil when it is no truth word.
    public static func value(utf8 cell: UnsafeRawBufferPointer) -> Bool? {
        // The longest word has 5 bytes; ASCII letters are compared lowercased (only ASCII
        // letters occur in the words, and no other character lowercases to one of them).
        guard cell.count <= 5 else { return nil }
        let lowered = cell.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        if trueWords.contains(where: { $0.utf8.elementsEqual(lowered) }) { return true }
        if falseWords.contains(where: { $0.utf8.elementsEqual(lowered) }) { return false }
        return nil
    }
}
