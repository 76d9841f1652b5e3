/// What a component's name may be (contract §10.3, §10.9): outputs append it to column keys
/// (`amount_<name>`, `bound_<name>`, `allocated_<name>`) and the settlement table's bound
/// columns carry it (`prev_amount_<name>`), so it must be plain, unique and make no key that
/// already means something else.
///
///     ComponentName.problem("落户人口")       // nil: CJK ideographs are allowed
///     ComponentName.problem("per_settler")   // makes amount_per_settler, an existing column
///     ComponentName.problem("a-b")           // "-" is neither a letter, a digit, _ nor a CJK ideograph
public enum ComponentName {
    /// What an error message says a name may be.
    public static let accepted = "a non-empty name of ASCII letters, digits, _ or CJK ideographs (汉字), unique "
        + "ignoring ASCII case, e.g. settlers or 落户人口"

    /// The row and scenario keys of the outputs a component's keys must not coincide with,
    /// compared ignoring ASCII case.
    static let existingKeys: [String] = [
        "scenario", "code", "name", "settlers", "settled_factor", "permits_factor", "coefficient", "share",
        "amount", "amount_per_settler", "bound", "land_standard", "land_demand_m2", "land_quota",
        "prev_amount", "change", "advance", "release",
        "fund_total", "reserve", "allocated", "granularity", "land_unit", "land_demand", "land_allocated",
        "land_unallocated", "advance_total", "release_total", "rows",
    ]

    /// The prefixes outputs and the settlement table put before a component's name.
    static let prefixes = ["amount_", "bound_", "allocated_", "prev_amount_", "min_amount_", "max_amount_"]

    /// True for a character a name may hold: ASCII letter or digit, `_`, or a CJK ideograph
    /// (U+3400–U+9FFF, U+F900–U+FAFF, as the encoding rule counts them).
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F: true
        case 0x3400...0x9FFF, 0xF900...0xFAFF: true
        default: false
        }
    }

    /// Lower-cases ASCII letters only (names are unique ignoring ASCII case).
    public static func folded(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0x20)! : scalar
        }))
    }

    /// What is wrong with `name` on its own, or nil when it is a valid name.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty { return "is an empty name" }
        if let bad = name.unicodeScalars.first(where: { !isAllowed($0) }) {
            return "holds \"\(bad)\" (U+\(String(bad.value, radix: 16, uppercase: true))), which is neither an ASCII "
                + "letter, a digit, _ nor a CJK ideograph"
        }
        let folded = folded(name)
        for prefix in prefixes {
            let key = prefix + folded
            if existingKeys.contains(key) { return "would make the key \(key), which already names something else" }
        }
        // The built-in factors' columns; another factor's key is not known without the policy.
        for factor in [Factor.settled, Factor.permits] where existingKeys.contains(factor.key + "_factor_" + folded) {
            return "would make the key \(factor.key)_factor_\(folded), which already names something else"
        }
        return nil
    }
}
