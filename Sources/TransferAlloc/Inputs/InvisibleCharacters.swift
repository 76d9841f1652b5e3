/// Codes and scenario names may not hold Unicode format characters (category Cf: U+200B zero
/// width space, U+FEFF, U+200E, U+202E…). They are invisible, so `110102` and `110102` followed
/// by U+200B would look like one county and be two.
///
///     // s.csv line 3: "\u{FEFF}110102,西城区,5"
///     // s.csv, line 3, column 1 (code): value "\u{feff}110102" has the invisible character
///     // U+FEFF (ZERO WIDTH NO-BREAK SPACE) at character 1; expected the code without invisible
///     // characters (delete it and retype the value)
enum InvisibleCharacters {
    /// The first format character of `text` and its 1-based character position, or nil.
    /// - Complexity: O(n); an ASCII text is one pass over its bytes.
    static func first(in text: String) -> (scalar: Unicode.Scalar, position: Int)? {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return nil }
        for (offset, scalar) in text.unicodeScalars.enumerated() where scalar.properties.generalCategory == .format {
            return (scalar, offset + 1)
        }
        return nil
    }
}

extension CellReader {
    /// The error for a cell that holds a format character, naming it; nil when it has none.
    func invisibleCharacterError(_ index: Int, key: String, what: String) -> InputError? {
        guard let (scalar, position) = InvisibleCharacters.first(in: fields[index]) else { return nil }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let name = scalar.properties.name.map { " (\($0))" } ?? ""
        return error(index, key: key, problem: "has the invisible character U+\(code)\(name) at character \(position)",
                     accepted: "\(what) without invisible characters (delete it and retype the value)")
    }
}
