/// A named what-if policy: the baseline budget row computed under the run's policy with some
/// more policy overrides (`whatif --variant NAME:KEY=VALUE`).
///
///     try PolicyVariant.parse(["w70:money.weights.settled=0.7", "w70:money.weights.permits=0.3",
///                              "floor:money.bounds.floor_amount=5000000"], name: "--variant")
///     // [w70: [money.weights.settled=0.7, money.weights.permits=0.3],
///     //  floor: [money.bounds.floor_amount=5000000]]
///
/// Repeating a name adds overrides to that variant (weights must still sum to 1, so changing
/// one weight takes two overrides). The overrides are validated exactly like the run's own.
public struct PolicyVariant: Sendable, Equatable {
    public var name: String
    /// `KEY=VALUE` strings, in the order given, applied after the run's own overrides.
    public var overrides: [String]
    /// What messages and reports call the variant: `--variant NAME` when parsed from the
    /// command line, else its name.
    public var label: String

    public init(name: String, overrides: [String], label: String? = nil) {
        self.name = name
        self.overrides = overrides
        self.label = label ?? name
    }

    /// Groups `NAME:KEY=VALUE` arguments by name, in order of first appearance.
    ///
    /// - Parameter name: what messages call each argument (the command line: `--variant`).
    /// - Throws: `MalformedValue` for an argument without a name, a `:`, or a `KEY=VALUE`.
    public static func parse(_ arguments: [String], name flag: String) throws(MalformedValue) -> [PolicyVariant] {
        var variants: [PolicyVariant] = []
        for argument in arguments {
            let given = NamedValue(name: flag, text: argument)
            guard let colon = argument.firstIndex(of: ":") else {
                throw MalformedValue(value: given, problem: " is not NAME:KEY=VALUE, e.g. \(flag) floor:money.bounds.floor_amount=5000000")
            }
            let name = String(argument[..<colon]).trimmedUnicode
            let override = String(argument[argument.index(after: colon)...])
            guard !name.isEmpty else {
                throw MalformedValue(value: given, problem: " has no name before the colon; expected NAME:KEY=VALUE")
            }
            guard let equals = override.firstIndex(of: "="),
                  !override[..<equals].trimmedUnicode.isEmpty else {
                throw MalformedValue(value: given, problem: " has no KEY=VALUE after the colon; expected NAME:KEY=VALUE, e.g. \(name):money.weights.settled=0.7")
            }
            if let index = variants.firstIndex(where: { $0.name == name }) {
                variants[index].overrides.append(override)
            } else {
                variants.append(PolicyVariant(name: name, overrides: [override], label: "\(flag) \(name)"))
            }
        }
        return variants
    }
}

/// A variant named like a budget scenario, so its rows could not be told apart: the caller
/// words it (the command line names its flag and exits with its usage status).
public struct VariantNameTaken: Error, Sendable, Equatable {
    public var variant: PolicyVariant

    public init(variant: PolicyVariant) {
        self.variant = variant
    }
}
