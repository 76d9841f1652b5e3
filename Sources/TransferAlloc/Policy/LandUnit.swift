import BigInt

/// The unit land quota is counted in: 亩, 公顷 or 平方米 (contract §2.2, §4.3).
///
///     LandUnit(word: " 公顷 ")          // .hectare
///     LandUnit.mu.squareMetres        // 2000/3, exactly (1 亩 = 10 000/15 m²)
public enum LandUnit: String, CaseIterable, Sendable {
    case mu, hectare, m2

    /// Square metres in one unit, exactly: 亩 2000/3, 公顷 10 000, 平方米 1.
    public var squareMetres: Rational {
        switch self {
        case .mu: Rational(2000, 3)
        case .hectare: Rational(10_000)
        case .m2: Rational(1)
        }
    }

    /// Reads a unit word: `mu`/`亩`, `hectare`/`ha`/`公顷`, `m2`/`m²`/`平方米`, case-insensitively,
    /// after trimming Unicode white space. Nil for anything else.
    public init?(word: String) {
        switch word.trimmedUnicode.lowercased() {
        case "mu", "亩": self = .mu
        case "hectare", "ha", "公顷": self = .hectare
        case "m2", "m²", "平方米": self = .m2
        default: return nil
        }
    }

    /// The Chinese name as printed with `--lang zh`: 亩, 公顷, 平方米.
    public var chineseName: String {
        switch self {
        case .mu: "亩"
        case .hectare: "公顷"
        case .m2: "平方米"
        }
    }

    /// The words `init(word:)` accepts, for error messages.
    public static let acceptedWords = "mu/亩, hectare/ha/公顷 or m2/m²/平方米 (any letter case)"
}
