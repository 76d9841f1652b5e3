extension StringProtocol {
    /// The text without leading and trailing Unicode white space (U+3000 and U+00A0 included),
    /// as every cell and header is read (contract §9).
    public var trimmedUnicode: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
