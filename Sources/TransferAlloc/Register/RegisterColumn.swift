/// A column of the settlement register (contract §6), identified by its English key.
///
///     RegisterColumn(header: " 落户日期 ")   // .settleDate
///     RegisterColumn(header: "Dest_Code")   // .destCode
///     RegisterColumn(header: "name")        // nil: ignored, with a warning
public enum RegisterColumn: Int, CaseIterable, Sendable, CustomStringConvertible {
    case destCode, originCode, settleDate, personID
    /// Contract §10.8: whether the row's person is an agricultural migrant (truth words; empty
    /// is false); rows that are not are checked but not counted.
    case agricultural

    /// The English key, as accepted in headers and shown in messages.
    public var key: String {
        switch self {
        case .destCode: "dest_code"
        case .originCode: "origin_code"
        case .settleDate: "settle_date"
        case .personID: "person_id"
        case .agricultural: "agricultural"
        }
    }

    /// The Chinese headers the contract lists for the column.
    public var chinese: [String] {
        switch self {
        case .destCode: ["落户地代码"]
        case .originCode: ["迁出地代码"]
        case .settleDate: ["落户日期"]
        case .personID: ["身份标识"]
        case .agricultural: ["农业转移人口", "是否农业转移人口"]
        }
    }

    public var description: String { key }

    /// Every column but `person_id` and `agricultural` must be present.
    public var isRequired: Bool { self != .personID && self != .agricultural }

    /// The column a header names (trimmed, case-insensitive, like every other input), or nil.
    public init?(header: String) {
        let text = SettlementColumn.normalizedHeader(header)
        guard let column = RegisterColumn.allCases.first(where: { $0.key == text || $0.chinese.contains(text) })
        else { return nil }
        self = column
    }
}
