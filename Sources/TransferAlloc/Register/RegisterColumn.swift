/// A column of the settlement register (contract §6), identified by its English key.
///
///     RegisterColumn(header: " 落户日期 ")   // .settleDate
///     RegisterColumn(header: "Dest_Code")   // .destCode
///     RegisterColumn(header: "name")        // nil: ignored, with a warning
public enum RegisterColumn: Int, CaseIterable, Sendable, CustomStringConvertible {
    case destCode, originCode, settleDate, personID

    /// The English key, as accepted in headers and shown in messages.
    public var key: String {
        switch self {
        case .destCode: "dest_code"
        case .originCode: "origin_code"
        case .settleDate: "settle_date"
        case .personID: "person_id"
        }
    }

    /// The Chinese header the contract lists for the column.
    public var chinese: String {
        switch self {
        case .destCode: "落户地代码"
        case .originCode: "迁出地代码"
        case .settleDate: "落户日期"
        case .personID: "身份标识"
        }
    }

    public var description: String { key }

    /// Every column but `person_id` must be present.
    public var isRequired: Bool { self != .personID }

    /// The column a header names (trimmed, case-insensitive, like every other input), or nil.
    public init?(header: String) {
        let text = SettlementColumn.normalizedHeader(header)
        guard let column = RegisterColumn.allCases.first(where: { $0.key == text || $0.chinese == text })
        else { return nil }
        self = column
    }
}
