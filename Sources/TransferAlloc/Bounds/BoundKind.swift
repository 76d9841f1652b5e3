/// Which bound decided a county's amount (contract §3.4).
public enum BoundKind: String, Sendable, CaseIterable {
    /// The scaled ideal amount lies within the county's bounds.
    case none
    /// The county was lifted to its lower bound (floor, minimum retention or min_amount).
    case floor
    /// The county was held down to its upper bound (growth cap, cap per settler or max_amount).
    case cap

    /// The label Chinese outputs print.
    public var chineseName: String {
        switch self {
        case .none: "无"
        case .floor: "保底"
        case .cap: "封顶"
        }
    }
}
