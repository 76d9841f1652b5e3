/// Where a JSON value (or key) starts: 1-based line and 1-based character column.
///
/// The column counts Unicode scalars from the start of the line, so `{"名称": 1}` has the
/// value `1` at column 9 whatever the byte length of `名称`. A byte-order mark is not counted.
public struct JSONPosition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: JSONPosition, b: JSONPosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    /// `"3:17"`.
    public var description: String { "\(line):\(column)" }
}

/// A JSON value as written: objects keep member order, numbers keep their literal text.
///
/// Numbers are never converted to a binary floating-point value; `0.1` stays the text `"0.1"`
/// and `ExactDecimal(jsonNumberLiteral:)` turns it into exactly 1/10 when asked.
///
///     try JSONParser.parse(Array(#"{"a": [1.50, "x"]}"#.utf8), file: "p.json").value
///     // .object([JSONMember(key: "a", keyPosition: 1:2,
///     //          value: .array([JSONElement(.number("1.50"), at 1:8),
///     //                         JSONElement(.string("x"), at 1:14)]), position: 1:7)])
public indirect enum JSONValue: Hashable, Sendable {
    case object([JSONMember])
    case array([JSONElement])
    case string(String)
    /// The number literal exactly as written, e.g. `"-1.50e3"` (valid RFC 8259 grammar).
    case number(String)
    case bool(Bool)
    case null

    /// What the value is, for messages: "an object", "a list", "a string", "a number", …
    public var kindDescription: String {
        switch self {
        case .object: "an object"
        case .array: "a list"
        case .string: "a string"
        case .number: "a number"
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        }
    }

    /// The members of an object (nil for any other value).
    public var members: [JSONMember]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements of a list (nil for any other value).
    public var elements: [JSONElement]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The value of the member named `key` in an object (nil if absent or not an object).
    public subscript(key: String) -> JSONValue? {
        members?.first(where: { $0.key == key })?.value
    }

    /// Compact JSON text (no insignificant white space); numbers print as written.
    ///
    ///     JSONValue.object([...]).jsonText   // {"a":[1.50,"x"]}
    public var jsonText: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                JSONValue.writeString(member.key, to: &out)
                out += ":"
                member.value.write(to: &out)
            }
            out += "}"
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                element.value.write(to: &out)
            }
            out += "]"
        case .string(let text): JSONValue.writeString(text, to: &out)
        case .number(let literal): out += literal
        case .bool(let flag): out += flag ? "true" : "false"
        case .null: out += "null"
        }
    }

    static func writeString(_ text: String, to out: inout String) {
        JSONOutput.quote(text, into: &out)
    }
}

/// A list element with the position where it starts.
public struct JSONElement: Hashable, Sendable {
    public var value: JSONValue
    public var position: JSONPosition

    public init(_ value: JSONValue, at position: JSONPosition) {
        self.value = value
        self.position = position
    }
}

/// An object member: its key (unescaped), where the key starts, its value and where the value
/// starts.
public struct JSONMember: Hashable, Sendable {
    public var key: String
    public var keyPosition: JSONPosition
    public var value: JSONValue
    public var position: JSONPosition

    public init(key: String, keyPosition: JSONPosition, value: JSONValue, position: JSONPosition) {
        self.key = key
        self.keyPosition = keyPosition
        self.value = value
        self.position = position
    }

    /// The member's value with its position.
    public var element: JSONElement { JSONElement(value, at: position) }
}
