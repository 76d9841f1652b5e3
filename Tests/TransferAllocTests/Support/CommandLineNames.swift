import TransferAlloc

/// The names the command line gives values it passes directly, so library tests see the
/// messages users see.
extension PolicyOverrides {
    static func set(_ settings: [String]) -> PolicyOverrides { PolicyOverrides(name: "--set", settings: settings) }
}

extension NamedValue {
    static func fundTotal(_ text: String) -> NamedValue { NamedValue(name: "--fund-total", text: text) }
    static func landQuota(_ text: String) -> NamedValue { NamedValue(name: "--land-quota", text: text) }
    static func tolerance(_ text: String) -> NamedValue { NamedValue(name: "--tolerance", text: text) }
}
