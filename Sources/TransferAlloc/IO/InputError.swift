/// A rejected input: which file, where in it, what was found and what would be accepted.
///
/// Every data, policy or feasibility problem the library reports is an `InputError`, so the
/// command line can print it the same way and exit with status 1.
///
///     InputError(file: "settlement.csv", line: 5, column: "cross_province", value: "12.5",
///                problem: "is not a whole number", accepted: "a whole number ≥ 0, e.g. 1,234")
///     // settlement.csv:5: column cross_province: "12.5" is not a whole number;
///     // expected a whole number ≥ 0, e.g. 1,234
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file as the user named it, or a pseudo-name such as `--set` or `policy (built-in)`.
    public var file: String?
    /// 1-based physical line where the record starts (the header is line 1).
    public var line: Int?
    /// The column: its header as written in the file (with the English key when it differs).
    public var column: String?
    /// The offending value, as read.
    public var value: String?
    /// What is wrong, as a clause: "is not a whole number".
    public var problem: String
    /// What would be accepted instead.
    public var accepted: String?
    /// The worksheet cell (`C7`) when the input is a workbook; named instead of the line.
    public var cell: String?

    public init(file: String? = nil, line: Int? = nil, column: String? = nil, value: String? = nil,
                problem: String, accepted: String? = nil, cell: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.value = value
        self.problem = problem
        self.accepted = accepted
        self.cell = cell
    }

    public var description: String {
        var location: [String] = []
        if let file { location.append(file) }
        if let cell {
            location.append("cell \(cell)")
        } else if let line {
            location.append("line \(line)")
        }
        if let column { location.append("column \(column)") }
        var text = location.isEmpty ? "" : location.joined(separator: ", ") + ": "
        if let value { text += "value \"\(InputError.visible(value))\" " }
        text += problem
        if let accepted { text += "; expected \(accepted)" }
        return text
    }

    /// Shows control characters and very long values safely in one line of a terminal.
    static func visible(_ value: String) -> String {
        var out = ""
        var count = 0
        for scalar in value.unicodeScalars {
            if count == 80 { out += "…"; break }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            default:
                // Control and invisible format characters (U+200B, U+FEFF…) are shown as escapes.
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.properties.generalCategory == .format {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            count += 1
        }
        return out
    }
}

/// Several problems found in one pass (used by `validate`, which reports them all).
public struct InputErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [InputError]
    public init(_ errors: [InputError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
