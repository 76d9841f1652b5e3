import BigInt

/// The unit a budget's money is written in (contract §2.2).
public enum FundUnit: String, Sendable, CaseIterable {
    case yuan, wan, yi

    /// 元 per unit: 1, 10 000, 100 000 000.
    public var yuan: BigInt {
        switch self {
        case .yuan: 1
        case .wan: 10_000
        case .yi: 100_000_000
        }
    }

    public var chineseName: String {
        switch self {
        case .yuan: "元"
        case .wan: "万元"
        case .yi: "亿元"
        }
    }

    /// Case-insensitive; accepts `yuan`/`元`, `wan`/`万元`, `yi`/`亿元`.
    public init?(word: String) {
        let text = word.trimmedUnicode.lowercased()
        guard let unit = FundUnit.allCases.first(where: { $0.rawValue == text || $0.chineseName == text }) else { return nil }
        self = unit
    }
}
