import BigInt

/// Builds a `Policy` from the built-in default, an optional policy file and `--set` overrides
/// (contract §2.3, §7, §9).
///
///     let policy = try PolicyLoader.load(fileBytes: nil, file: nil,
///                                        overrides: ["money.weights.settled=0.7",
///                                                    "money.weights.permits=0.3"])
///     policy.money.weights[.settled]   // 7/10
///     policy.label   // "illustrative default + --set money.weights.settled=0.7 --set money.weights.permits=0.3"
///
/// Layering: the file is laid over the default — objects merge key by key, except
/// `money.weights`, which the file replaces whole; lists replace whole. Each override then
/// replaces the value at its dotted path (an object value replaces the object there; list items
/// can be addressed as `land.tiers[2].standard`, numbered from 1; `sources.` takes the rest of
/// the path as one key). The result is validated once, as a whole.
///
/// A source note stops applying as soon as a later layer (built-in < file < `--set`) changes a
/// value at or under its path: the note describes the value its own layer set, not the new one.
public enum PolicyLoader {
    /// Loads and validates a policy.
    ///
    /// - Parameters:
    ///   - fileBytes: the policy file's bytes (UTF-8 JSON whose top level is an object), or nil
    ///     when no policy file is given.
    ///   - file: the file name as the user gave it (errors and the label use it).
    ///   - overrides: raw `KEY=VALUE` strings from `--set`, applied in order.
    /// - Returns: the validated policy.
    /// - Throws: the first problem found (file problems in file order, then overrides in
    ///   order) as an `InputError` naming the file (or `--set`), line, column, dotted path and
    ///   value, and what would be accepted.
    /// - Complexity: O(n) in the size of the file and overrides.
    public static func load(fileBytes: [UInt8]?, file: String?, overrides: [String]) throws(InputError) -> Policy {
        var assembly = PolicyAssembly(fileName: file)
        let policy = assembly.run(fileBytes: fileBytes, overrides: overrides)
        if let first = assembly.sortedProblems.first { throw first }
        guard let policy else {
            throw InputError(file: file, problem: "could not be read as a policy")
        }
        return policy
    }

    /// Every problem found in the policy file and overrides (empty when the policy is valid),
    /// in the order `load` would meet them: what `validate` reports.
    ///
    /// A JSON syntax error stops the reading of the file, so it is then the only problem.
    public static func problems(fileBytes: [UInt8]?, file: String?, overrides: [String]) -> [InputError] {
        var assembly = PolicyAssembly(fileName: file)
        _ = assembly.run(fileBytes: fileBytes, overrides: overrides)
        return assembly.sortedProblems
    }

    /// Splits a raw `--set` argument at its first `=`, trimming the key.
    ///
    ///     try PolicyLoader.splitOverride("money.weights.settled=0.7")   // ("money.weights.settled", "0.7")
    ///
    /// - Throws: `InputError` (file `--set`) when there is no `=` or the key is empty. The
    ///   command line checks this first, to exit with the usage status 64.
    public static func splitOverride(_ raw: String) throws(InputError) -> (path: String, value: String) {
        guard let equals = raw.firstIndex(of: "=") else {
            throw InputError(file: "--set", value: raw, problem: "has no = between the path and the value",
                             accepted: "--set PATH=VALUE, e.g. --set money.weights.settled=0.7")
        }
        let path = String(raw[..<equals]).trimmedUnicode
        guard !path.isEmpty else {
            throw InputError(file: "--set", value: raw, problem: "has nothing before the =",
                             accepted: "--set PATH=VALUE, e.g. --set money.weights.settled=0.7")
        }
        return (path, String(raw[raw.index(after: equals)...]))
    }

    /// Every dotted path `--set` can change (list items and `sources.<path>` aside), in
    /// document order.
    public static var validPaths: [String] { PolicySchema.validPaths }
}

// MARK: - Schema

/// The shape of a policy document: which keys exist where.
enum PolicySchema {
    static let rootKeys = ["name", "money", "land", "sources"]
    static let moneyKeys = ["granularity", "weights", "origin_coefficients", "prior_decay", "coefficient_columns", "bounds"]
    static let weightKeys = Factor.allCases.map(\.rawValue)
    static let originKeys = OriginKind.allCases.map(\.rawValue)
    static let boundKeys = ["floor_amount", "max_growth", "min_retention", "cap_per_settler"]
    static let landKeys = ["unit", "decimals", "tiers", "adjustment", "permit_weight"]
    static let tierKeys = ["up_to", "standard"]

    static let validPaths: [String] = {
        var paths = ["name", "money"]
        for key in moneyKeys {
            paths.append("money." + key)
            switch key {
            case "weights": paths += weightKeys.map { "money.weights." + $0 }
            case "origin_coefficients": paths += originKeys.map { "money.origin_coefficients." + $0 }
            case "bounds": paths += boundKeys.map { "money.bounds." + $0 }
            default: break
            }
        }
        paths.append("land")
        paths += landKeys.map { "land." + $0 }
        paths.append("sources")
        return paths
    }()

    /// Paths with list items written `[]`.
    static let itemPatterns = ["money.prior_decay[]", "money.coefficient_columns[]", "land.tiers[]",
                               "land.tiers[].up_to", "land.tiers[].standard"]

    static let settablePatterns = Set(validPaths + itemPatterns)

    /// Objects a policy file replaces whole instead of merging key by key.
    static let replacedWhole: Set<String> = ["money.weights"]

    /// Parses `land.tiers[2].standard` into components; nil when it is not path syntax.
    static func components(of path: String) -> [JSONPathComponent]? {
        var result: [JSONPathComponent] = []
        for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(segment)
            let name = rest.prefix(while: { $0 != "[" })
            guard !name.isEmpty else { return nil }
            result.append(.key(String(name)))
            rest = rest.dropFirst(name.count)
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return nil }
                let digits = rest[rest.index(after: rest.startIndex)..<close]
                guard !digits.isEmpty, digits.count <= 6, digits.first != "0",
                      digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else { return nil }
                result.append(.index(n))
                rest = rest[rest.index(after: close)...]
            }
        }
        return result
    }

    static func pattern(_ components: [JSONPathComponent]) -> String {
        var out = ""
        for component in components {
            switch component {
            case .key(let key): out += (out.isEmpty ? "" : ".") + key
            case .index: out += "[]"
            }
        }
        return out
    }

    /// True for a path a source note may be keyed by: any settable path or its ancestor
    /// (ancestors of settable paths are settable themselves).
    static func isSourcePath(_ path: String) -> Bool {
        guard let components = components(of: path) else { return false }
        let text = pattern(components)
        return text != "sources" && settablePatterns.contains(text)
    }

    static let unknownPathAccepted: String =
        "one of " + validPaths.joined(separator: ", ")
        + "; a list item as land.tiers[2].standard (numbered from 1); a source note as sources.<path>"
}

// MARK: - Document tree with origins

/// Where a value of the merged document came from.
enum PolicyOrigin: Sendable, Equatable {
    case builtIn
    case file(JSONPosition)
    /// The `index`-th `--set` (from 0), which set `path` to `raw`.
    case override(index: Int, path: String, raw: String)

    /// The layer: 0 built-in, 1 policy file, 2 `--set`.
    var layer: Int {
        switch self {
        case .builtIn: 0
        case .file: 1
        case .override: 2
        }
    }

    /// Later layers rank higher; a later `--set` ranks above an earlier one.
    var rank: Int {
        switch self {
        case .builtIn: 0
        case .file: 1
        case .override(let index, _, _): 2 + index
        }
    }
}

struct PolicyMember: Sendable {
    var key: String
    var keyOrigin: PolicyOrigin
    var node: PolicyNode
}

/// A JSON value of the layered document, remembering which layer each part came from.
struct PolicyNode: Sendable {
    enum Content: Sendable {
        case object([PolicyMember])
        case array([PolicyNode])
        case scalar(JSONValue)
    }

    var content: Content
    var origin: PolicyOrigin

    init(content: Content, origin: PolicyOrigin) {
        self.content = content
        self.origin = origin
    }

    /// Converts parsed JSON; `origin` maps a position in the text to the layer's origin.
    init(_ element: JSONElement, origin: (JSONPosition) -> PolicyOrigin) {
        self.origin = origin(element.position)
        switch element.value {
        case .object(let members):
            content = .object(members.map {
                PolicyMember(key: $0.key, keyOrigin: origin($0.keyPosition), node: PolicyNode($0.element, origin: origin))
            })
        case .array(let elements):
            content = .array(elements.map { PolicyNode($0, origin: origin) })
        default:
            content = .scalar(element.value)
        }
    }

    var kindDescription: String {
        switch content {
        case .object: "an object"
        case .array: "a list"
        case .scalar(let value): value.kindDescription
        }
    }

    var jsonValue: JSONValue {
        let nowhere = JSONPosition(line: 0, column: 0)
        switch content {
        case .object(let members):
            return .object(members.map {
                JSONMember(key: $0.key, keyPosition: nowhere, value: $0.node.jsonValue, position: nowhere)
            })
        case .array(let elements):
            return .array(elements.map { JSONElement($0.jsonValue, at: nowhere) })
        case .scalar(let value):
            return value
        }
    }

    /// The value as the user wrote it: a number's literal, a string's text, else compact JSON.
    var text: String {
        switch content {
        case .scalar(.string(let text)): text
        case .scalar(.number(let literal)): literal
        default: jsonValue.jsonText
        }
    }

    func member(_ key: String) -> PolicyNode? {
        if case .object(let members) = content { return members.first(where: { $0.key == key })?.node }
        return nil
    }

    /// The node at a path, or nil when the document has nothing there.
    func node(at components: ArraySlice<JSONPathComponent>) -> PolicyNode? {
        guard let first = components.first else { return self }
        switch (first, content) {
        case (.key(let key), .object):
            return member(key)?.node(at: components.dropFirst())
        case (.index(let n), .array(let elements)):
            return n >= 1 && n <= elements.count ? elements[n - 1].node(at: components.dropFirst()) : nil
        default:
            return nil
        }
    }

    /// The latest layer that set this node or anything under it.
    var latestLayer: Int { latestOrigin.layer }

    /// The origin of the latest layer that touched this node or anything under it.
    var latestOrigin: PolicyOrigin {
        var best = origin
        func visit(_ node: PolicyNode) {
            if node.origin.rank > best.rank { best = node.origin }
            switch node.content {
            case .object(let members):
                for member in members {
                    if member.keyOrigin.rank > best.rank { best = member.keyOrigin }
                    visit(member.node)
                }
            case .array(let elements): elements.forEach(visit)
            case .scalar: break
            }
        }
        visit(self)
        return best
    }

    /// Lays `overlay` (a policy file's value at `path`) over this node.
    func merged(with overlay: PolicyNode, path: String) -> PolicyNode {
        guard case .object(var members) = content, case .object(let added) = overlay.content,
              !PolicySchema.replacedWhole.contains(path) else { return overlay }
        var position: [String: Int] = [:]
        for (index, member) in members.enumerated() { position[member.key] = index }
        for member in added {
            if let index = position[member.key] {
                let childPath = path.isEmpty ? member.key : path + "." + member.key
                members[index].node = members[index].node.merged(with: member.node, path: childPath)
                members[index].keyOrigin = member.keyOrigin
            } else {
                position[member.key] = members.count
                members.append(member)
            }
        }
        return PolicyNode(content: .object(members), origin: overlay.origin)
    }

    struct SetFailure: Error {
        var problem: String
    }

    /// Replaces the value at `components` with `value`, creating missing object keys.
    func setting(_ components: ArraySlice<JSONPathComponent>, to value: PolicyNode,
                 walked: [JSONPathComponent] = []) throws(SetFailure) -> PolicyNode {
        guard let first = components.first else { return value }
        let here = walked + [first]
        var node = self
        switch first {
        case .key(let key):
            guard case .object(var members) = content else {
                throw SetFailure(problem: "cannot be set: \(JSONParser.pathText(walked)) is \(kindDescription), "
                    + "not an object")
            }
            let rest = components.dropFirst()
            if let index = members.firstIndex(where: { $0.key == key }) {
                members[index].node = try members[index].node.setting(rest, to: value, walked: here)
                if rest.isEmpty { members[index].keyOrigin = value.origin }
            } else if rest.isEmpty {
                members.append(PolicyMember(key: key, keyOrigin: value.origin, node: value))
            } else if case .index = rest.first {
                throw SetFailure(problem: "cannot be set: there is no list \(JSONParser.pathText(here))")
            } else {
                let empty = PolicyNode(content: .object([]), origin: value.origin)
                members.append(PolicyMember(key: key, keyOrigin: value.origin,
                                            node: try empty.setting(rest, to: value, walked: here)))
            }
            node.content = .object(members)
        case .index(let n):
            guard case .array(var elements) = content else {
                throw SetFailure(problem: "cannot be set: \(JSONParser.pathText(walked)) is \(kindDescription), "
                    + "not a list")
            }
            guard n <= elements.count else {
                throw SetFailure(problem: "cannot be set: \(JSONParser.pathText(walked)) has \(elements.count) "
                    + "item\(elements.count == 1 ? "" : "s"), so there is no item \(n)")
            }
            elements[n - 1] = try elements[n - 1].setting(components.dropFirst(), to: value, walked: here)
            node.content = .array(elements)
        }
        return node
    }
}

// MARK: - Assembly and validation

/// One run of the loader: layers the document, then validates and converts it, collecting
/// every problem with where it came from.
struct PolicyAssembly {
    let fileName: String?
    private var problems: [(rank: [Int], error: InputError)] = []

    init(fileName: String?) {
        self.fileName = fileName
    }

    /// The built-in document, parsed afresh for every load. (Not cached in a global: a cached
    /// tree is cheap to save but shows up as a leak under LeakSanitizer, which cannot follow
    /// Swift's tagged enum pointers, and that would drown real findings when fuzzing.)
    static func defaultTree() -> PolicyNode {
        do {
            let element = try JSONParser.parse(DefaultPolicy.json, file: DefaultPolicy.fileName)
            return PolicyNode(element, origin: { _ in .builtIn })
        } catch {
            fatalError("built-in default policy is not valid JSON: \(error)")
        }
    }

    var sortedProblems: [InputError] {
        problems.enumerated()
            .sorted { a, b in
                a.element.rank != b.element.rank
                    ? a.element.rank.lexicographicallyPrecedes(b.element.rank) : a.offset < b.offset
            }
            .map(\.element.error)
    }

    // MARK: Reporting

    mutating func report(_ origin: PolicyOrigin, path: String, value: String?, problem: String, accepted: String?) {
        switch origin {
        case .builtIn:
            problems.append(([2], InputError(file: DefaultPolicy.fileName, column: path, value: value,
                                             problem: problem, accepted: accepted)))
        case .file(let position):
            let column = path.isEmpty ? "\(position.column)" : "\(position.column) (\(path))"
            problems.append(([0, position.line, position.column],
                             InputError(file: fileName ?? "policy file", line: position.line, column: column,
                                        value: value, problem: problem, accepted: accepted)))
        case .override(let index, let setPath, let raw):
            let column = path == setPath || path.hasPrefix(setPath + ".") || path.hasPrefix(setPath + "[")
                ? path : setPath
            problems.append(([1, index], InputError(file: "--set", column: column, value: raw,
                                                    problem: problem, accepted: accepted)))
        }
    }

    // MARK: Layering

    /// Layers default, file and overrides, then validates; nil when a problem was found.
    mutating func run(fileBytes: [UInt8]?, overrides: [String]) -> Policy? {
        var root = PolicyAssembly.defaultTree()
        var fileLabel: String?
        if let fileBytes {
            let element: JSONElement
            do {
                element = try JSONParser.parse(fileBytes, file: fileName ?? "policy file")
            } catch {
                problems.append(([0], error))
                return nil
            }
            let overlay = PolicyNode(element, origin: { .file($0) })
            guard case .object = overlay.content else {
                report(overlay.origin, path: "", value: overlay.text,
                       problem: "is \(overlay.kindDescription), but a policy file must be a JSON object",
                       accepted: "an object such as {\"name\": \"…\", \"money\": {…}, \"land\": {…}}")
                return nil
            }
            root = root.merged(with: overlay, path: "")
            if case .scalar(.string(let name))? = overlay.member("name")?.content {
                fileLabel = name.trimmedUnicode
            }
            if overlay.member("name") == nil {
                let baseName = String((fileName ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "")
                let name = PolicyNode(content: .scalar(.string("policy file \(baseName)")), origin: overlay.origin)
                root = (try? root.setting([.key("name")], to: name)) ?? root
                fileLabel = "policy file \(baseName)"
            }
        }
        for (index, raw) in overrides.enumerated() {
            apply(override: raw, index: index, to: &root)
        }
        root = PolicyAssembly.withoutStaleNotes(root)

        var label = fileBytes == nil ? "illustrative default" : (fileLabel ?? "policy file")
        if !overrides.isEmpty {
            label += " + " + overrides.map { "--set " + $0 }.joined(separator: " ")
        }
        return build(root, label: label, isIllustrative: fileBytes == nil)
    }

    mutating func apply(override raw: String, index: Int, to root: inout PolicyNode) {
        let path: String
        let valueText: String
        do {
            (path, valueText) = try PolicyLoader.splitOverride(raw)
        } catch {
            problems.append(([1, index], error))
            return
        }
        let origin = PolicyOrigin.override(index: index, path: path, raw: valueText)
        let components: [JSONPathComponent]
        if path.hasPrefix("sources.") && path.count > "sources.".count {
            components = [.key("sources"), .key(String(path.dropFirst("sources.".count)))]
        } else if let parsed = PolicySchema.components(of: path),
                  PolicySchema.settablePatterns.contains(PolicySchema.pattern(parsed)) {
            components = parsed
        } else {
            report(origin, path: path, value: valueText, problem: "is not a policy path --set can change",
                   accepted: PolicySchema.unknownPathAccepted)
            return
        }
        let value: PolicyNode
        do {
            value = PolicyNode(try JSONParser.parse(valueText, file: "--set"), origin: { _ in origin })
        } catch {
            // Not a JSON literal, so a plain string; but text that opens an object or a list was
            // meant as one (often the shell ate its quotes), and only names and notes are text.
            let first = valueText.trimmedUnicode.first
            if (first == "{" || first == "["), path != "name", !path.hasPrefix("sources.") {
                let character = error.column.map { "character \($0.prefix(while: { $0 != " " })): " } ?? ""
                let found = error.value.map { "\"\(InputError.visible($0))\" " } ?? ""
                let expected = error.accepted.map { "; expected \($0)" } ?? ""
                report(origin, path: path, value: valueText,
                       problem: "is not valid JSON (\(character)\(found)\(error.problem)\(expected))",
                       accepted: "an object or list in JSON, e.g. --set 'money.weights={\"settled\": 0.7, "
                           + "\"permits\": 0.3}' (quote the whole argument so the shell keeps the double quotes)")
                return
            }
            value = PolicyNode(content: .scalar(.string(valueText)), origin: origin)
        }
        do {
            root = try root.setting(components[...], to: value)
        } catch {
            report(origin, path: path, value: valueText, problem: error.problem,
                   accepted: "a path that exists in the policy; list items are numbered from 1")
        }
    }

    /// Drops each source note whose value a later layer changed: a note describes the value as
    /// its own layer set it (built-in default < policy file < `--set`, all `--set`s being one
    /// layer, so a `--set sources.…` note covers `--set` values in any order). A built-in note
    /// whose path no longer holds a value goes too; a user's note is otherwise kept as written.
    static func withoutStaleNotes(_ root: PolicyNode) -> PolicyNode {
        guard case .object(var members) = root.content,
              let sourcesIndex = members.firstIndex(where: { $0.key == "sources" }),
              case .object(let notes) = members[sourcesIndex].node.content else { return root }
        let kept = notes.filter { note in
            let noteLayer = max(note.keyOrigin.layer, note.node.origin.layer)
            guard let components = PolicySchema.components(of: note.key),
                  let target = root.node(at: components[...]) else { return noteLayer > 0 }
            return target.latestLayer <= noteLayer
        }
        members[sourcesIndex].node.content = .object(kept)
        var result = root
        result.content = .object(members)
        return result
    }

    // MARK: Validation

    /// The members of an object node, reporting unknown keys; nil (reported) when it is not an
    /// object.
    mutating func members(_ node: PolicyNode, path: String, allowed: [String]) -> [String: PolicyNode]? {
        guard case .object(let members) = node.content else {
            report(node.origin, path: path, value: node.text,
                   problem: "is \(node.kindDescription), not an object",
                   accepted: "an object {…} with the keys " + allowed.joined(separator: ", "))
            return nil
        }
        var result: [String: PolicyNode] = [:]
        for member in members {
            if allowed.contains(member.key) {
                result[member.key] = member.node
            } else {
                report(member.keyOrigin, path: PolicyAssembly.join(path, member.key), value: member.key,
                       problem: path.isEmpty ? "is not a policy key" : "is not a key of \(path)",
                       accepted: "one of the keys " + allowed.joined(separator: ", "))
            }
        }
        return result
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The member `key`, reporting it missing at the parent.
    mutating func required(_ members: [String: PolicyNode], _ key: String, parent: PolicyNode, path: String,
                           accepted: String) -> PolicyNode? {
        if let node = members[key] { return node }
        report(parent.latestOrigin, path: path, value: nil, problem: "has no \(key)", accepted: accepted)
        return nil
    }

    static let numberAccepted = "a decimal number such as 0.8, written as a JSON number or as a string "
        + "(\"0.8\"; an exponent is allowed: \"8e-1\")"
    static let maximumNumberLength = 100
    static let maximumExponent = 100

    /// A number or numeric string, taken exactly from its decimal text.
    mutating func decimal(_ node: PolicyNode, path: String, accepted: String = numberAccepted) -> Rational? {
        let text: String
        switch node.content {
        case .scalar(.number(let literal)): text = literal
        case .scalar(.string(let string)): text = string.trimmedUnicode
        default:
            report(node.origin, path: path, value: node.text, problem: "is \(node.kindDescription), not a number",
                   accepted: accepted)
            return nil
        }
        guard JSONParser.isNumberLiteral(text) else {
            report(node.origin, path: path, value: node.text, problem: "is not a number", accepted: accepted)
            return nil
        }
        guard text.utf8.count <= PolicyAssembly.maximumNumberLength,
              let exact = ExactDecimal(jsonNumberLiteral: text, maximumExponent: PolicyAssembly.maximumExponent)
        else {
            report(node.origin, path: path, value: node.text, problem: "is too long or too large a number",
                   accepted: "a number of at most \(PolicyAssembly.maximumNumberLength) characters whose "
                       + "exponent is between -\(PolicyAssembly.maximumExponent) and \(PolicyAssembly.maximumExponent)")
            return nil
        }
        return exact.rational
    }

    /// A number ≥ `minimum`.
    mutating func decimal(_ node: PolicyNode, path: String, atLeast minimum: Rational, accepted: String) -> Rational? {
        guard let value = decimal(node, path: path, accepted: accepted) else { return nil }
        if value < minimum {
            report(node.origin, path: path, value: node.text,
                   problem: minimum.isZero ? "is negative" : "is less than \(minimum.plainText)", accepted: accepted)
            return nil
        }
        return value
    }

    /// Nil for JSON `null`, else a number ≥ `minimum`; `.some(nil)` means "not set".
    mutating func optionalDecimal(_ node: PolicyNode?, path: String, atLeast minimum: Rational,
                                  accepted: String) -> Rational?? {
        guard let node else { return .some(nil) }
        if case .scalar(.null) = node.content { return .some(nil) }
        guard let value = decimal(node, path: path, atLeast: minimum, accepted: accepted) else { return nil }
        return .some(value)
    }

    mutating func string(_ node: PolicyNode, path: String, accepted: String) -> String? {
        guard case .scalar(.string(let text)) = node.content else {
            report(node.origin, path: path, value: node.text, problem: "is \(node.kindDescription), not a string",
                   accepted: accepted)
            return nil
        }
        return text
    }

    mutating func list(_ node: PolicyNode, path: String, accepted: String) -> [PolicyNode]? {
        guard case .array(let elements) = node.content else {
            report(node.origin, path: path, value: node.text, problem: "is \(node.kindDescription), not a list",
                   accepted: accepted)
            return nil
        }
        return elements
    }

    // MARK: Conversion

    mutating func build(_ root: PolicyNode, label: String, isIllustrative: Bool) -> Policy? {
        guard let top = members(root, path: "", allowed: PolicySchema.rootKeys) else { return nil }
        let nameAccepted = "a name for the policy as a non-empty string, e.g. \"江苏省2025年市民化奖励资金\""
        var name = ""
        if let node = required(top, "name", parent: root, path: "", accepted: nameAccepted),
           let text = string(node, path: "name", accepted: nameAccepted) {
            name = text.trimmedUnicode
            if name.isEmpty {
                report(node.origin, path: "name", value: text, problem: "is empty", accepted: nameAccepted)
            }
        }
        let money = required(top, "money", parent: root, path: "", accepted: "a money object").flatMap {
            buildMoney($0)
        }
        let land = required(top, "land", parent: root, path: "", accepted: "a land object").flatMap {
            buildLand($0)
        }
        let sources = top["sources"].map { buildSources($0) } ?? [:]
        guard problems.isEmpty, let money, let land else { return nil }
        var policy = Policy(name: name, label: label, isIllustrative: isIllustrative, money: money, land: land,
                            sources: sources, values: [])
        var values: [PolicyValue] = []
        PolicyAssembly.collectValues(root, path: "", into: &values)
        policy.values = values.map {
            PolicyValue(path: $0.path, text: $0.text, source: policy.source(for: $0.path), isIllustrative: $0.isIllustrative)
        }
        return policy
    }

    /// Every leaf in document order (`sources` aside); an empty list or object is one leaf.
    static func collectValues(_ node: PolicyNode, path: String, into values: inout [PolicyValue]) {
        switch node.content {
        case .object(let members) where !members.isEmpty:
            for member in members where !(path.isEmpty && member.key == "sources") {
                collectValues(member.node, path: join(path, member.key), into: &values)
            }
        case .array(let elements) where !elements.isEmpty:
            for (index, element) in elements.enumerated() {
                collectValues(element, path: path + "[\(index + 1)]", into: &values)
            }
        default:
            values.append(PolicyValue(path: path, text: node.text, source: nil, isIllustrative: node.latestLayer == 0))
        }
    }

    mutating func buildMoney(_ node: PolicyNode) -> MoneyPolicy? {
        guard let money = members(node, path: "money", allowed: PolicySchema.moneyKeys) else { return nil }
        let before = problems.count
        let keysAccepted = "money with the keys " + PolicySchema.moneyKeys.joined(separator: ", ")

        var granularity = Rational(1, 100)
        let granularityAccepted = "an amount in 元 that is a positive whole number of fen, e.g. 0.01 (one fen), "
            + "1 (one 元) or 10000 (one 万元)"
        if let node = required(money, "granularity", parent: node, path: "money", accepted: keysAccepted),
           let value = decimal(node, path: "money.granularity", accepted: granularityAccepted) {
            if !(value * Rational(100)).isInteger || !(Rational.zero < value) {
                report(node.origin, path: "money.granularity", value: node.text,
                       problem: "is not a positive whole number of fen", accepted: granularityAccepted)
            }
            granularity = value
        }

        var weights: [Factor: Rational] = [:]
        if let weightsNode = required(money, "weights", parent: node, path: "money", accepted: keysAccepted) {
            weights = buildWeights(weightsNode)
        }

        var coefficients: [OriginKind: Rational] = [:]
        let coefficientAccepted = "a coefficient ≥ 0, e.g. 1.2"
        if let originNode = required(money, "origin_coefficients", parent: node, path: "money", accepted: keysAccepted),
           let origins = members(originNode, path: "money.origin_coefficients", allowed: PolicySchema.originKeys) {
            for kind in OriginKind.allCases {
                let path = "money.origin_coefficients." + kind.rawValue
                guard let child = required(origins, kind.rawValue, parent: originNode,
                                           path: "money.origin_coefficients",
                                           accepted: "a coefficient for each of "
                                               + PolicySchema.originKeys.joined(separator: ", ")) else { continue }
                if let value = decimal(child, path: path, atLeast: .zero, accepted: coefficientAccepted) {
                    coefficients[kind] = value
                }
            }
        }

        var decays: [Rational] = []
        let decayAccepted = "a list of decay factors ≥ 0, one per prior year, e.g. [\"0.8\", \"0.6\"]"
        if let decayNode = required(money, "prior_decay", parent: node, path: "money", accepted: keysAccepted),
           let items = list(decayNode, path: "money.prior_decay", accepted: decayAccepted) {
            for (index, item) in items.enumerated() {
                if let value = decimal(item, path: "money.prior_decay[\(index + 1)]", atLeast: .zero,
                                       accepted: "a decay factor ≥ 0, e.g. 0.8") {
                    decays.append(value)
                }
            }
        }

        var columns: [String] = []
        if let columnsNode = required(money, "coefficient_columns", parent: node, path: "money", accepted: keysAccepted) {
            columns = buildCoefficientColumns(columnsNode)
        }

        var bounds = MoneyBounds()
        if let boundsNode = required(money, "bounds", parent: node, path: "money", accepted: keysAccepted) {
            bounds = buildBounds(boundsNode)
        }
        guard problems.count == before else { return nil }
        return MoneyPolicy(granularity: granularity, weights: weights, originCoefficients: coefficients,
                           priorDecay: decays, coefficientColumns: columns, bounds: bounds)
    }

    mutating func buildWeights(_ node: PolicyNode) -> [Factor: Rational] {
        let accepted = "weights for settled and permits, each ≥ 0, that add up to exactly 1, "
            + "e.g. {\"settled\": \"0.8\", \"permits\": \"0.2\"}"
        guard let entries = members(node, path: "money.weights", allowed: PolicySchema.weightKeys) else { return [:] }
        let before = problems.count
        var weights: [Factor: Rational] = [:]
        var terms: [String] = []
        guard case .object(let ordered) = node.content else { return [:] }
        for member in ordered {
            guard let factor = Factor(rawValue: member.key), entries[member.key] != nil else { continue }
            if let value = decimal(member.node, path: "money.weights." + member.key, atLeast: .zero,
                                   accepted: "a weight ≥ 0, e.g. 0.8") {
                weights[factor] = value
                terms.append("\(member.key) \(value.plainText)")
            }
        }
        guard problems.count == before else { return weights }
        let sum = weights.values.reduce(Rational.zero, +)
        if sum != .one {
            let shown = terms.isEmpty ? "no weights" : terms.joined(separator: " + ")
            report(node.latestOrigin, path: "money.weights", value: sum.plainText,
                   problem: "the factor weights add up to \(sum.plainText) (\(shown)), not exactly 1",
                   accepted: accepted)
        }
        return weights
    }

    mutating func buildCoefficientColumns(_ node: PolicyNode) -> [String] {
        let accepted = "coefficient column names such as fiscal_coef (财力系数) or a new name like stability_coef, "
            + "each at most once, none of them a count or amount column"
        guard let items = list(node, path: "money.coefficient_columns", accepted: "a list of " + accepted) else {
            return []
        }
        var columns: [String] = []
        var firstIndex: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let path = "money.coefficient_columns[\(index + 1)]"
            guard let name = string(item, path: path, accepted: accepted) else { continue }
            let canonical = SettlementColumn.canonicalCoefficientName(name)
            if canonical.isEmpty {
                report(item.origin, path: path, value: name, problem: "is an empty column name", accepted: accepted)
                continue
            }
            if let column = SettlementColumn(header: name) {
                if case .coefficient = column {} else {
                    let kind = column.isCount ? "the count column" : column.isAmount ? "the amount column" : "the column"
                    report(item.origin, path: path, value: name,
                           problem: "names \(kind) \(column.key) of the settlement table, which is not a coefficient",
                           accepted: accepted)
                    continue
                }
            }
            if let first = firstIndex[canonical] {
                report(item.origin, path: path, value: name,
                       problem: "repeats the coefficient column \(canonical) (already item \(first))",
                       accepted: accepted)
                continue
            }
            firstIndex[canonical] = index + 1
            columns.append(canonical)
        }
        return columns
    }

    mutating func buildBounds(_ node: PolicyNode) -> MoneyBounds {
        guard let entries = members(node, path: "money.bounds", allowed: PolicySchema.boundKeys) else {
            return MoneyBounds()
        }
        var bounds = MoneyBounds()
        let floorAccepted = "an amount in 元 ≥ 0 (0 = no floor)"
        if let floor = entries["floor_amount"] {
            if case .scalar(.null) = floor.content {
                bounds.floorAmount = .zero
            } else if let value = decimal(floor, path: "money.bounds.floor_amount", atLeast: .zero,
                                          accepted: floorAccepted) {
                bounds.floorAmount = value
            }
        }
        if let value = optionalDecimal(entries["max_growth"], path: "money.bounds.max_growth", atLeast: Rational(-1),
                                       accepted: "a growth fraction ≥ -1 (0.1 = at most 10% more than last year), "
                                           + "or null for no cap") {
            bounds.maxGrowth = value
        }
        if let value = optionalDecimal(entries["min_retention"], path: "money.bounds.min_retention", atLeast: .zero,
                                       accepted: "a fraction ≥ 0 of last year's amount (0.9 = at least 90%), "
                                           + "or null for none") {
            bounds.minRetention = value
        }
        if let value = optionalDecimal(entries["cap_per_settler"], path: "money.bounds.cap_per_settler",
                                       atLeast: .zero,
                                       accepted: "an amount in 元 per current-year settler ≥ 0, or null for no cap") {
            bounds.capPerSettler = value
        }
        return bounds
    }

    mutating func buildLand(_ node: PolicyNode) -> LandPolicy? {
        guard let land = members(node, path: "land", allowed: PolicySchema.landKeys) else { return nil }
        let before = problems.count
        let keysAccepted = "land with the keys " + PolicySchema.landKeys.joined(separator: ", ")

        var unit = LandUnit.mu
        let unitAccepted = "a land unit: " + LandUnit.acceptedWords
        if let unitNode = required(land, "unit", parent: node, path: "land", accepted: keysAccepted),
           let word = string(unitNode, path: "land.unit", accepted: unitAccepted) {
            if let parsed = LandUnit(word: word) {
                unit = parsed
            } else {
                report(unitNode.origin, path: "land.unit", value: word, problem: "is not a land unit",
                       accepted: unitAccepted)
            }
        }

        var decimals = 2
        let decimalsAccepted = "a whole number of decimal places from 0 to 6"
        if let decimalsNode = required(land, "decimals", parent: node, path: "land", accepted: keysAccepted),
           let value = decimal(decimalsNode, path: "land.decimals", accepted: decimalsAccepted) {
            if value.isInteger, !value.isNegative, value <= Rational(6) {
                decimals = Int(value.numerator)
            } else {
                report(decimalsNode.origin, path: "land.decimals", value: decimalsNode.text,
                       problem: "is not a whole number from 0 to 6", accepted: decimalsAccepted)
            }
        }

        var tiers: [LandTier] = []
        if let tiersNode = required(land, "tiers", parent: node, path: "land", accepted: keysAccepted) {
            tiers = buildTiers(tiersNode)
        }

        var adjustment = Rational.zero
        let adjustmentAccepted = "a fraction from -0.10 to 0.10 (a province may adjust the standards by at most "
            + "±10%, 国土资发〔2016〕123号)"
        if let adjustmentNode = required(land, "adjustment", parent: node, path: "land", accepted: keysAccepted),
           let value = decimal(adjustmentNode, path: "land.adjustment", accepted: adjustmentAccepted) {
            let limit = Rational(1, 10)
            if value < -limit || limit < value {
                report(adjustmentNode.origin, path: "land.adjustment", value: adjustmentNode.text,
                       problem: "is outside ±0.10", accepted: adjustmentAccepted)
            }
            adjustment = value
        }

        var permitWeight = Rational.zero
        if let weightNode = required(land, "permit_weight", parent: node, path: "land", accepted: keysAccepted),
           let value = decimal(weightNode, path: "land.permit_weight", atLeast: .zero,
                               accepted: "a weight ≥ 0 for each residence-permit holder (0 = not counted, 1 = "
                                   + "counted as one settled person)") {
            permitWeight = value
        }
        guard problems.count == before else { return nil }
        return LandPolicy(unit: unit, decimals: decimals, tiers: tiers, adjustment: adjustment,
                          permitWeight: permitWeight)
    }

    mutating func buildTiers(_ node: PolicyNode) -> [LandTier] {
        let accepted = "a list of tiers tried in order, each {\"up_to\": m², \"standard\": m² per person}, the last "
            + "one may leave out up_to, e.g. [{\"up_to\": \"100\", \"standard\": \"100\"}, {\"standard\": \"50\"}]"
        guard let items = list(node, path: "land.tiers", accepted: accepted) else { return [] }
        if items.isEmpty {
            report(node.origin, path: "land.tiers", value: node.text, problem: "has no tiers",
                   accepted: "at least one tier: " + accepted)
            return []
        }
        var tiers: [LandTier] = []
        for (index, item) in items.enumerated() {
            let path = "land.tiers[\(index + 1)]"
            guard let entries = members(item, path: path, allowed: PolicySchema.tierKeys) else { continue }
            var upTo: Rational?
            var hasUpTo = false
            if let limit = optionalDecimal(entries["up_to"], path: path + ".up_to", atLeast: .zero,
                                           accepted: "current per-capita urban construction land in m², ≥ 0") {
                upTo = limit
                hasUpTo = limit != nil
            } else {
                hasUpTo = true
            }
            if !hasUpTo && index < items.count - 1 {
                report(item.latestOrigin, path: path, value: item.text,
                       problem: "has no up_to, but only the last tier may leave it out",
                       accepted: "an up_to (m²) on tier \(index + 1) of \(items.count): " + accepted)
            }
            var standard = Rational.zero
            if let standardNode = required(entries, "standard", parent: item, path: path,
                                           accepted: "a standard (m² per person) on every tier"),
               let value = decimal(standardNode, path: path + ".standard", atLeast: .zero,
                                   accepted: "new land per person in m², ≥ 0, e.g. 100") {
                standard = value
            }
            tiers.append(LandTier(upTo: upTo, standard: standard))
        }
        return tiers
    }

    mutating func buildSources(_ node: PolicyNode) -> [String: String] {
        let accepted = "an object of source notes keyed by policy path, e.g. "
            + "{\"money.weights\": \"国发〔2016〕44号 …\"}"
        guard case .object(let notes) = node.content else {
            report(node.origin, path: "sources", value: node.text,
                   problem: "is \(node.kindDescription), not an object", accepted: accepted)
            return [:]
        }
        var sources: [String: String] = [:]
        for note in notes {
            let path = "sources." + note.key
            guard PolicySchema.isSourcePath(note.key) else {
                report(note.keyOrigin, path: path, value: note.key,
                       problem: "is not a policy path a source note can be attached to",
                       accepted: PolicySchema.validPaths.filter { $0 != "sources" }.joined(separator: ", ")
                           + ", or a list item such as land.tiers[2]")
                continue
            }
            guard case .scalar(.string(let text)) = note.node.content else {
                report(note.node.origin, path: path, value: note.node.text,
                       problem: "is \(note.node.kindDescription), but a source note must be a string",
                       accepted: "the note as text, e.g. \"国发〔2016〕44号\"")
                continue
            }
            sources[note.key] = text
        }
        return sources
    }
}
