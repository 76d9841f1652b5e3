import BigInt

/// Policy values set after the policy file: `PATH=VALUE` settings applied in order, with the name
/// their errors and the policy's label give them (the command line passes its flag, `--set`).
///
///     let overrides = PolicyOverrides(name: "--set", settings: ["money.weights.settled=0.7"])
///     (overrides + ["money.weights.permits=0.3"]).settings.count   // 2
public struct PolicyOverrides: Sendable, Equatable {
    /// What errors name as the file and the label writes before each setting.
    public var name: String
    /// Raw `PATH=VALUE` strings, in order.
    public var settings: [String]

    public init(name: String, settings: [String]) {
        self.name = name
        self.settings = settings
    }

    /// The same overrides followed by more settings under the same name.
    public static func + (overrides: PolicyOverrides, more: [String]) -> PolicyOverrides {
        PolicyOverrides(name: overrides.name, settings: overrides.settings + more)
    }

    public static func += (overrides: inout PolicyOverrides, more: [String]) {
        overrides.settings += more
    }

    /// `PATH=VALUE`, e.g. `name PATH=VALUE, e.g. name money.weights.settled=0.7`: what a setting
    /// without `=` or a path should look like.
    var syntaxAccepted: String { "\(name) PATH=VALUE, e.g. \(name) money.weights.settled=0.7" }
}

/// Builds a `Policy` from the built-in default, an optional policy file and overrides
/// (contract §2.3, §7, §9).
///
///     let policy = try PolicyLoader.load(fileBytes: nil, file: nil,
///                                        overrides: PolicyOverrides(name: "--set", settings:
///                                            ["money.weights.settled=0.7", "money.weights.permits=0.3"]))
///     policy.money.weights[.settled]   // 7/10
///     policy.label   // "illustrative default + --set money.weights.settled=0.7 --set money.weights.permits=0.3"
///
/// Layering: the file is laid over the default — objects merge key by key, except
/// `money.weights`, which the file replaces whole; lists replace whole. Each override then
/// replaces the value at its dotted path (an object value replaces the object there; list items
/// can be addressed as `land.tiers[2].standard`, numbered from 1; `sources.` takes the rest of
/// the path as one key). The result is validated once, as a whole. Which keys exist, each
/// value's range and the text of its messages come from `PolicyParameters`.
///
/// A source note stops applying as soon as a later layer (built-in < file < overrides) changes a
/// value at or under its path: the note describes the value its own layer set, not the new one.
public enum PolicyLoader {
    /// Loads and validates a policy.
    ///
    /// - Parameters:
    ///   - fileBytes: the policy file's bytes (UTF-8 JSON whose top level is an object), or nil
    ///     when no policy file is given.
    ///   - file: the file name as the user gave it (errors and the label use it).
    ///   - overrides: `PATH=VALUE` settings, applied in order.
    ///   - year: picks the file's dated versions in force (contract §10.6); nil: every version.
    /// - Returns: the validated policy.
    /// - Throws: the first problem found (file problems in file order, then overrides in
    ///   order) as an `InputError` naming the file (or the overrides' name), line, column,
    ///   dotted path and value, and what would be accepted.
    /// - Complexity: O(n) in the size of the file and overrides.
    public static func load(fileBytes: [UInt8]?, file: String?, overrides: PolicyOverrides, year: Int? = nil) throws(InputError) -> Policy {
        var assembly = PolicyAssembly(fileName: file, overridesName: overrides.name)
        let policy = assembly.run(fileBytes: fileBytes, overrides: overrides.settings, year: year)
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
    public static func problems(fileBytes: [UInt8]?, file: String?, overrides: PolicyOverrides, year: Int? = nil) -> [InputError] {
        var assembly = PolicyAssembly(fileName: file, overridesName: overrides.name)
        _ = assembly.run(fileBytes: fileBytes, overrides: overrides.settings, year: year)
        return assembly.sortedProblems
    }

    /// Splits a raw `PATH=VALUE` setting at its first `=`, trimming the path.
    ///
    ///     try PolicyLoader.splitOverride("money.weights.settled=0.7", name: "--set")   // ("money.weights.settled", "0.7")
    ///
    /// - Throws: `InputError` (file `name`) when there is no `=` or the path is empty. The
    ///   command line checks this first, to exit with its usage status.
    public static func splitOverride(_ raw: String, name: String) throws(InputError) -> (path: String, value: String) {
        let syntax = PolicyOverrides(name: name, settings: []).syntaxAccepted
        guard let equals = raw.firstIndex(of: "=") else {
            throw InputError(file: name, value: raw, problem: "has no = between the path and the value",
                             accepted: syntax)
        }
        let path = String(raw[..<equals]).trimmedUnicode
        guard !path.isEmpty else {
            throw InputError(file: name, value: raw, problem: "has nothing before the =", accepted: syntax)
        }
        return (path, String(raw[raw.index(after: equals)...]))
    }

    /// Every dotted path an override can change (list items and `sources.<path>` aside), in
    /// document order.
    public static var validPaths: [String] { PolicySchema.validPaths }
}

// MARK: - Schema

/// The shape of a policy document, from `PolicyParameters`: which keys exist where.
enum PolicySchema {
    static let rootKeys = PolicyParameters.rootKeys
    static let moneyKeys = PolicyParameters.keys(under: "money")
    static let weightKeys = PolicyParameters.keys(under: "money.weights")
    static let originKeys = PolicyParameters.keys(under: "money.origin_coefficients")
    static let boundKeys = PolicyParameters.keys(under: "money.bounds")
    /// The keys a component may hold: name, share and the money level's but the granularity.
    static let componentKeys = PolicyParameters.keys(under: "money.components[]")
    static let landKeys = PolicyParameters.keys(under: "land")
    static let tierKeys = PolicyParameters.keys(under: "land.tiers[]")

    /// `keys` of the object at `path` as messages list them: every key the object accepts. At
    /// the top `versions` is added: a policy file may have it, though it is taken apart
    /// (`PolicyVersions`) before the merged document is checked.
    static func listed(_ keys: [String], under path: String) -> [String] {
        path.isEmpty ? keys + ["versions"] : keys
    }

    /// Every declared path but list items and `<factor>` patterns, in document order. Of the
    /// components only `money.components` itself: a component's values are reached by name
    /// (`money.components.<name>.share`), which `unknownPathAccepted` says.
    static let validPaths: [String] = PolicyParameters.all.map(\.path)
        .filter { !$0.contains("[]") && !PolicyParameters.isOpenPattern($0) && !PolicyParameters.isUpperPath($0)
            && (!PolicyParameters.isComponentPath($0) || $0 == "money.components") }

    /// Paths with list items written `[]`.
    static let itemPatterns = PolicyParameters.all.map(\.path).filter { $0.contains("[]") }

    static let settablePatterns = Set(PolicyParameters.all.map(\.path))

    /// Objects a policy file replaces whole instead of merging key by key.
    static let replacedWhole: Set<String> = ["money.weights", "levels.upper.money.weights"]

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
            case .key(let key):
                // A key of a factor-keyed object that is not declared stands for any factor.
                let here = (out.isEmpty ? "" : out + ".") + key
                if PolicyParameters.factorKeyedObjects.contains(out), PolicyParameters.byPath[here] == nil {
                    out += ".<factor>"
                } else {
                    out = here
                }
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
        + "; a list item as land.tiers[2].standard (numbered from 1); a component's value as money.components.<name>.share;"
        + " a source note as sources.<path>"
}

// MARK: - Document tree with origins

/// Where a value of the merged document came from.
enum PolicyOrigin: Sendable, Equatable {
    case builtIn
    case file(JSONPosition)
    /// A dated version of the policy file (contract §10.6), `index` in the order versions are
    /// laid (ascending `from`, from 0).
    case version(index: Int, position: JSONPosition)
    /// The `index`-th override (from 0), which set `path` to `raw`.
    case override(index: Int, path: String, raw: String)

    /// Overrides come after any number of versions.
    private static let overridesLayer = 1 << 30

    /// The layer: 0 built-in, 1 policy file, 2… its versions in the order laid, then overrides.
    var layer: Int {
        switch self {
        case .builtIn: 0
        case .file: 1
        case .version(let index, _): 2 + index
        case .override: PolicyOrigin.overridesLayer
        }
    }

    /// Later layers rank higher; a later override ranks above an earlier one.
    var rank: Int {
        switch self {
        case .override(let index, _, _): PolicyOrigin.overridesLayer + index
        default: layer
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

    /// The same value with every origin (of keys too) passed through `change`.
    func withOrigins(_ change: (PolicyOrigin) -> PolicyOrigin) -> PolicyNode {
        var node = self
        node.origin = change(origin)
        switch content {
        case .object(let members):
            node.content = .object(members.map {
                PolicyMember(key: $0.key, keyOrigin: change($0.keyOrigin), node: $0.node.withOrigins(change))
            })
        case .array(let elements): node.content = .array(elements.map { $0.withOrigins(change) })
        case .scalar: break
        }
        return node
    }

    /// The object without the members named in `keys`.
    func without(_ keys: Set<String>) -> PolicyNode {
        guard case .object(let members) = content else { return self }
        var node = self
        node.content = .object(members.filter { !keys.contains($0.key) })
        return node
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
    /// What override errors name as their file, and the label writes before each setting.
    let overridesName: String
    private var problems: [(rank: [Int], error: InputError)] = []

    init(fileName: String?, overridesName: String) {
        self.fileName = fileName
        self.overridesName = overridesName
    }

    /// The built-in document, parsed afresh for every load. (Not cached in a global: a cached
    /// tree is cheap to save but shows up as a leak under LeakSanitizer, which cannot follow
    /// Swift's tagged enum pointers, and that would drown real findings when fuzzing.)
    static func defaultTree() -> PolicyNode { builtInTree }

    /// The built-in default read once: a sweep loads a policy at every value.
    private static let builtInTree: PolicyNode = {
        do {
            let element = try JSONParser.parse(DefaultPolicy.json, file: DefaultPolicy.fileName)
            return PolicyNode(element, origin: { _ in .builtIn })
        } catch {
            fatalError("built-in default policy is not valid JSON: \(error)")
        }
    }()

    var problemCount: Int { problems.count }

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
        case .file(let position), .version(_, let position):
            let column = path.isEmpty ? "\(position.column)" : "\(position.column) (\(path))"
            problems.append(([0, position.line, position.column],
                             InputError(file: fileName ?? "policy file", line: position.line, column: column,
                                        value: value, problem: problem, accepted: accepted)))
        case .override(let index, let setPath, let raw):
            let column = path == setPath || path.hasPrefix(setPath + ".") || path.hasPrefix(setPath + "[")
                ? path : setPath
            problems.append(([1, index], InputError(file: overridesName, column: column, value: raw,
                                                    problem: problem, accepted: accepted)))
        }
    }

    // MARK: Layering

    /// Layers default, file and overrides, then validates; nil when a problem was found.
    mutating func run(fileBytes: [UInt8]?, overrides: [String], year: Int? = nil) -> Policy? {
        var root = PolicyAssembly.defaultTree()
        var fileLabel: String?
        var versionLabels: [String] = []
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
            guard let dated = versions(of: overlay, year: year) else { return nil }
            root = root.merged(with: dated.file, path: "")
            for layer in dated.layers { root = root.merged(with: layer, path: "") }
            versionLabels = dated.labels
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
        if !versionLabels.isEmpty { label += " (versions " + versionLabels.joined(separator: " + ") + ")" }
        if let year { label += " (year \(year))" }
        if !overrides.isEmpty {
            label += " + " + overrides.map { overridesName + " " + $0 }.joined(separator: " ")
        }
        guard var policy = build(root, label: label, isIllustrative: fileBytes == nil, versionLabels: versionLabels) else { return nil }
        policy.versions = versionLabels
        policy.year = year
        return policy
    }

    mutating func apply(override raw: String, index: Int, to root: inout PolicyNode) {
        let path: String
        let valueText: String
        do {
            (path, valueText) = try PolicyLoader.splitOverride(raw, name: overridesName)
        } catch {
            problems.append(([1, index], error))
            return
        }
        let origin = PolicyOrigin.override(index: index, path: path, raw: valueText)
        let components: [JSONPathComponent]
        if path.hasPrefix("sources.") && path.count > "sources.".count {
            components = [.key("sources"), .key(String(path.dropFirst("sources.".count)))]
        } else if let parsed = PolicySchema.components(of: PolicyAssembly.componentByIndex(path, in: root)),
                  PolicySchema.settablePatterns.contains(PolicySchema.pattern(parsed)) {
            components = parsed
        } else {
            report(origin, path: path, value: valueText, problem: "is not a policy path \(overridesName) can change",
                   accepted: PolicySchema.unknownPathAccepted)
            return
        }
        let value: PolicyNode
        do {
            value = PolicyNode(try JSONParser.parse(valueText, file: overridesName), origin: { _ in origin })
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
                       accepted: "an object or list in JSON, e.g. \(overridesName) 'money.weights={\"settled\": 0.7, "
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

    /// `money.components.<name>…` written with the component's position instead
    /// (`money.components[2]…`), the name compared ignoring ASCII case; any other path as it is.
    ///
    ///     // components [{"name": "落户人口", …}, {"name": "pupils", …}]
    ///     componentByIndex("money.components.Pupils.share", in: root)   // "money.components[2].share"
    static func componentByIndex(_ path: String, in root: PolicyNode) -> String {
        let prefix = "money.components."
        guard path.hasPrefix(prefix) else { return path }
        let rest = path.dropFirst(prefix.count)
        let name = rest.prefix(while: { $0 != "." && $0 != "[" })
        guard !name.isEmpty, case .array(let items)? = root.member("money")?.member("components")?.content,
              let index = items.firstIndex(where: { item in
                  if case .scalar(.string(let text))? = item.member("name")?.content {
                      return ComponentName.folded(text) == ComponentName.folded(String(name))
                  }
                  return false
              }) else { return path }
        return "money.components[\(index + 1)]" + rest.dropFirst(name.count)
    }

    /// Drops each source note whose value a later layer changed: a note describes the value as
    /// its own layer set it (built-in default < policy file < overrides, all overrides being one
    /// layer, so an override `sources.…` note covers overridden values in any order). A built-in note
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
                   accepted: "an object {…} with the keys " + PolicySchema.listed(allowed, under: path).joined(separator: ", "))
            return nil
        }
        var result: [String: PolicyNode] = [:]
        for member in members {
            if allowed.contains(member.key) {
                result[member.key] = member.node
            } else {
                report(member.keyOrigin, path: PolicyAssembly.join(path, member.key), value: member.key,
                       problem: path.isEmpty ? "is not a policy key" : "is not a key of \(path)",
                       accepted: "one of the keys " + PolicySchema.listed(allowed, under: path).joined(separator: ", "))
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

    /// A number or numeric string, taken exactly from its decimal text (`PolicyNumber`).
    mutating func decimal(_ node: PolicyNode, path: String, accepted: String) -> Rational? {
        let text: String
        switch node.content {
        case .scalar(.number(let literal)): text = literal
        case .scalar(.string(let string)): text = string.trimmedUnicode
        default:
            report(node.origin, path: path, value: node.text, problem: "is \(node.kindDescription), not a number",
                   accepted: accepted)
            return nil
        }
        switch PolicyNumber.parse(text, accepted: accepted) {
        case .success(let value):
            return value
        case .failure(let failure):
            report(node.origin, path: path, value: node.text, problem: failure.problem, accepted: failure.accepted)
            return nil
        }
    }

    /// The number at `path` for `parameter`: read, then held to the parameter's range; nil
    /// (reported) when it is not a number or lies outside the range.
    mutating func number(_ node: PolicyNode, _ parameter: PolicyParameter, path: String) -> Rational? {
        guard let value = decimal(node, path: path, accepted: parameter.accepted) else { return nil }
        if let failure = parameter.range?.problem(value, accepted: parameter.accepted) {
            report(node.origin, path: path, value: node.text, problem: failure.problem, accepted: failure.accepted)
            return nil
        }
        return value
    }

    /// Nil when the number is not given or is JSON `null` (for a parameter that allows null),
    /// else as `number`; `.some(nil)` means "not set".
    mutating func optionalNumber(_ node: PolicyNode?, _ parameter: PolicyParameter, path: String) -> Rational?? {
        guard let node else { return .some(nil) }
        if case .scalar(.null) = node.content, parameter.null != nil { return .some(nil) }
        guard let value = number(node, parameter, path: path) else { return nil }
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

    mutating func build(_ root: PolicyNode, label: String, isIllustrative: Bool, versionLabels: [String] = []) -> Policy? {
        guard let top = members(root, path: "", allowed: PolicySchema.rootKeys) else { return nil }
        let nameAccepted = PolicyParameters.declared("name").accepted
        var name = ""
        if let node = required(top, "name", parent: root, path: "", accepted: nameAccepted),
           let text = string(node, path: "name", accepted: nameAccepted) {
            name = text.trimmedUnicode
            if name.isEmpty {
                report(node.origin, path: "name", value: text, problem: "is empty", accepted: nameAccepted)
            }
        }
        let money = required(top, "money", parent: root, path: "",
                             accepted: PolicyParameters.declared("money").accepted).flatMap { buildMoney($0) }
        let land = required(top, "land", parent: root, path: "",
                            accepted: PolicyParameters.declared("land").accepted).flatMap { buildLand($0) }
        var sources = top["sources"].map { buildSources($0) } ?? [:]
        guard problems.isEmpty, var money, let land else { return nil }
        if let levelsNode = top["levels"] {
            guard let levels = buildLevels(levelsNode, moneyNode: top["money"]!, money: money, notes: &sources) else { return nil }
            money.levels = levels
        }
        var policy = Policy(name: name, label: label, isIllustrative: isIllustrative, money: money, land: land,
                            sources: sources, values: [])
        var values: [PolicyValue] = []
        PolicyAssembly.collectValues(root, path: "", into: &values)
        policy.values = values.map {
            var value = PolicyValue(path: $0.path, text: $0.text, source: policy.source(for: $0.path), isIllustrative: $0.isIllustrative)
            value.version = $0.version.map { versionLabels[Int($0)!] }
            return value
        }
        return policy
    }

    /// Every leaf in document order (`sources` aside); an empty list or object is one leaf.
    static func collectValues(_ node: PolicyNode, path: String, into values: inout [PolicyValue]) {
        switch node.content {
        case .object(let members) where !members.isEmpty:
            // Notes are no values: the file's and the upper layer's (`levels.upper.sources`).
            for member in members where !((path.isEmpty || path == "levels.upper") && member.key == "sources") {
                collectValues(member.node, path: join(path, member.key), into: &values)
            }
        case .array(let elements) where !elements.isEmpty:
            for (index, element) in elements.enumerated() {
                collectValues(element, path: path + "[\(index + 1)]", into: &values)
            }
        default:
            var value = PolicyValue(path: path, text: node.text, source: nil, isIllustrative: node.latestLayer == 0)
            // The index of the version that set it, resolved to its label by `build`.
            if case .version(let index, _) = node.latestOrigin { value.version = String(index) }
            values.append(value)
        }
    }

    /// The money level (`path` = `money`), or a component's money once laid over it (`path` =
    /// `money.components[k]`, its keys those of `PolicySchema.componentKeys` but name and share).
    /// Parameters are declared at the money level; messages name `path`.
    mutating func buildMoney(_ node: PolicyNode, path moneyPath: String = "money") -> MoneyPolicy? {
        let isComponent = moneyPath != "money"
        let allowed = isComponent ? PolicySchema.moneyKeys.filter { $0 != "components" } : PolicySchema.moneyKeys
        guard let money = members(node, path: moneyPath, allowed: allowed) else { return nil }
        let before = problems.count
        let keysAccepted = "money with the keys " + PolicySchema.listed(PolicySchema.moneyKeys, under: "money")
            .joined(separator: ", ")
        func declared(_ suffix: String) -> PolicyParameter { PolicyParameters.declared("money." + suffix) }

        var granularity = Rational(1, 100)
        if let node = required(money, "granularity", parent: node, path: moneyPath, accepted: keysAccepted),
           let value = number(node, declared("granularity"), path: moneyPath + ".granularity") {
            granularity = value
        }

        var weights: [Factor: Rational] = [:]
        var weightKeyOrigins: [Factor: (key: String, origin: PolicyOrigin)] = [:]
        if let weightsNode = required(money, "weights", parent: node, path: moneyPath, accepted: keysAccepted) {
            (weights, weightKeyOrigins) = buildWeights(weightsNode, path: moneyPath + ".weights")
        }

        var coefficients: [OriginKind: Rational] = [:]
        if let originNode = required(money, "origin_coefficients", parent: node, path: moneyPath, accepted: keysAccepted),
           let origins = members(originNode, path: moneyPath + ".origin_coefficients", allowed: PolicySchema.originKeys) {
            for kind in OriginKind.allCases {
                let path = moneyPath + ".origin_coefficients." + kind.rawValue
                guard let child = required(origins, kind.rawValue, parent: originNode,
                                           path: moneyPath + ".origin_coefficients",
                                           accepted: declared("origin_coefficients").accepted)
                else { continue }
                if let value = number(child, declared("origin_coefficients." + kind.rawValue), path: path) {
                    coefficients[kind] = value
                }
            }
        }

        var decays: [Rational] = []
        if let decayNode = required(money, "prior_decay", parent: node, path: moneyPath, accepted: keysAccepted),
           let items = list(decayNode, path: moneyPath + ".prior_decay", accepted: declared("prior_decay").accepted) {
            let item = declared("prior_decay[]")
            for (index, node) in items.enumerated() {
                if let value = number(node, item, path: moneyPath + ".prior_decay[\(index + 1)]") {
                    decays.append(value)
                }
            }
        }

        var columnLists: CoefficientColumnLists?
        if let columnsNode = required(money, "coefficient_columns", parent: node, path: moneyPath, accepted: keysAccepted) {
            let lists = buildCoefficientColumns(columnsNode, path: moneyPath + ".coefficient_columns")
            columnLists = lists
            // A weight key may not name a coefficient column the policy lists.
            for factor in Factor.ordered(weights.keys) where lists.all.contains(factor.key) {
                let written = weightKeyOrigins[factor]!
                report(written.origin, path: moneyPath + ".weights." + written.key, value: written.key,
                       problem: "names the coefficient column \(factor.key), which is not a factor",
                       accepted: PolicyAssembly.factorAccepted)
            }
            columnLists?.byFactor = resolveFactorKeys(lists, node: columnsNode, weights: weights,
                                                      path: moneyPath + ".coefficient_columns")
        }

        var bounds = MoneyBounds()
        if let boundsNode = required(money, "bounds", parent: node, path: moneyPath, accepted: keysAccepted) {
            bounds = buildBounds(boundsNode, path: moneyPath + ".bounds")
        }
        guard problems.count == before else { return nil }
        var policy = MoneyPolicy(granularity: granularity, weights: weights, originCoefficients: coefficients,
                                 priorDecay: decays, coefficientColumns: columnLists?.all ?? [], bounds: bounds)
        policy.factorCoefficientColumns = columnLists?.byFactor
        if let componentsNode = money["components"] {
            guard let components = buildComponents(componentsNode, moneyNode: node) else { return nil }
            policy.components = components
        }
        return policy
    }

    /// `levels` (contract §10.5, §10.9): null is no levels (`.some(nil)`); an object gives the
    /// retention (default 0) and the upper stage's money, `levels.upper.money` laid over the money
    /// level by the merge rules of a policy file (`weights` whole). Nil when a problem was reported.
    /// Only called when the money level is valid, so its problems are not reported twice.
    mutating func buildLevels(_ node: PolicyNode, moneyNode: PolicyNode, money: MoneyPolicy,
                              notes: inout [String: String]) -> MoneyLevels?? {
        if case .scalar(.null) = node.content { return .some(nil) }
        let before = problems.count
        guard let entries = members(node, path: "levels", allowed: PolicyParameters.keys(under: "levels")) else { return nil }
        var retention = Rational.zero
        if let retentionNode = entries["retention"],
           let value = number(retentionNode, PolicyParameters.declared("levels.retention"), path: "levels.retention") {
            retention = value
        }
        if !money.components.isEmpty {
            report(node.latestOrigin, path: "levels", value: nil,
                   problem: "cannot be combined with money.components",
                   accepted: "either levels or money.components, not both")
        }
        guard case .object(let levelMembers) = moneyNode.content else { return nil }
        var merged = PolicyNode(content: .object(levelMembers.filter { $0.key != "components" }), origin: moneyNode.origin)
        var upperName: String?
        if let upperNode = entries["upper"],
           let upper = members(upperNode, path: "levels.upper", allowed: PolicyParameters.keys(under: "levels.upper")) {
            if let nameNode = upper["name"] {
                upperName = string(nameNode, path: "levels.upper.name",
                                   accepted: PolicyParameters.declared("levels.upper.name").accepted)
            }
            if let sourcesNode = upper["sources"] {
                // Kept under the full path, so explain finds them like any other note.
                for (key, note) in buildUpperSources(sourcesNode) { notes["levels.upper." + key] = note }
            }
            if let upperMoney = upper["money"] {
                let allowed = PolicyParameters.keys(under: "levels.upper.money")
                if case .object(let own) = upperMoney.content {
                    for member in own {
                        if PolicyParameters.moneyLevelOnlyKeys.contains(member.key) {
                            report(member.keyOrigin, path: "levels.upper.money." + member.key, value: member.key,
                                   problem: "cannot be set in levels.upper: one \(member.key) for both stages (money.\(member.key))",
                                   accepted: "one of the keys " + allowed.joined(separator: ", "))
                        } else if allowed.contains(member.key) {
                            merged = merged.merged(with: PolicyNode(content: .object([member]), origin: upperMoney.origin),
                                                   path: "money")
                        } else {
                            report(member.keyOrigin, path: "levels.upper.money." + member.key, value: member.key,
                                   problem: "is not a key of levels.upper.money",
                                   accepted: "one of the keys " + allowed.joined(separator: ", "))
                        }
                    }
                } else {
                    _ = members(upperMoney, path: "levels.upper.money", allowed: allowed)
                }
            }
        }
        guard problems.count == before, let upper = buildMoney(merged, path: "levels.upper.money"),
              problems.count == before else { return nil }
        return .some(MoneyLevels(retention: retention, upper: upper, upperName: upperName))
    }

    /// `levels.upper.sources`: notes keyed by a path of the upper layer (`money.weights`), each a string.
    mutating func buildUpperSources(_ node: PolicyNode) -> [String: String] {
        let accepted = PolicyParameters.declared("levels.upper.sources").accepted
        guard case .object(let notes) = node.content else {
            report(node.origin, path: "levels.upper.sources", value: node.text,
                   problem: "is \(node.kindDescription), not an object", accepted: accepted)
            return [:]
        }
        var kept: [String: String] = [:]
        for note in notes {
            let path = "levels.upper.sources." + note.key
            guard note.key.hasPrefix("money"), PolicySchema.isSourcePath("levels.upper." + note.key) else {
                report(note.keyOrigin, path: path, value: note.key,
                       problem: "is not a path of the upper layer a source note can be attached to", accepted: accepted)
                continue
            }
            guard let text = noteText(note, path: path) else { continue }
            kept[note.key] = text
        }
        return kept
    }

    /// `money.components` (contract §10.3): each component's object laid over the money level
    /// (objects key by key, `weights` and lists whole) and built as a money policy of its own;
    /// names by `ComponentName`, unique ignoring ASCII case; shares ≥ 0 adding up to exactly 1.
    /// Only called when the money level itself is valid, so its problems are not reported twice.
    mutating func buildComponents(_ node: PolicyNode, moneyNode: PolicyNode) -> [MoneyComponent]? {
        let path = "money.components"
        let listAccepted = PolicyParameters.declared(path).accepted
        guard let items = list(node, path: path, accepted: listAccepted) else { return nil }
        let before = problems.count
        if items.isEmpty {
            report(node.origin, path: path, value: node.text, problem: "has no components",
                   accepted: listAccepted + " (leave money.components out for none)")
            return nil
        }
        guard case .object(let levelMembers) = moneyNode.content else { return nil }
        let level = levelMembers.filter { $0.key != "components" }
        let nameAccepted = PolicyParameters.declared("money.components[].name").accepted
        var components: [MoneyComponent] = []
        var firstOfName: [String: Int] = [:]
        var terms: [String] = []
        for (index, item) in items.enumerated() {
            let itemPath = path + "[\(index + 1)]"
            guard case .object(let own) = item.content else {
                report(item.origin, path: itemPath, value: item.text, problem: "is \(item.kindDescription), not an object",
                       accepted: PolicyParameters.declared("money.components[]").accepted)
                continue
            }
            var name: String?
            var share: Rational?
            var overlay: [PolicyMember] = []
            var itemProblems = problems.count
            for member in own {
                switch member.key {
                case "name":
                    guard let text = string(member.node, path: itemPath + ".name", accepted: nameAccepted) else { continue }
                    if let problem = ComponentName.problem(text) {
                        report(member.node.origin, path: itemPath + ".name", value: text, problem: problem,
                               accepted: nameAccepted)
                    } else if let first = firstOfName[ComponentName.folded(text)] {
                        report(member.node.origin, path: itemPath + ".name", value: text,
                               problem: "repeats the name of component \(first) (names are compared ignoring ASCII case)",
                               accepted: nameAccepted)
                    } else {
                        firstOfName[ComponentName.folded(text)] = index + 1
                        name = text
                    }
                case "share":
                    share = number(member.node, PolicyParameters.declared("money.components[].share"),
                                   path: itemPath + ".share")
                case let key where PolicyParameters.moneyLevelOnlyKeys.contains(key):
                    report(member.keyOrigin, path: itemPath + "." + key, value: key,
                           problem: "cannot be set inside a component: it is set once, at the money level (money.\(key))",
                           accepted: "the keys " + PolicySchema.componentKeys.joined(separator: ", "))
                case let key where PolicySchema.componentKeys.contains(key):
                    overlay.append(member)
                default:
                    report(member.keyOrigin, path: itemPath + "." + member.key, value: member.key,
                           problem: "is not a key of a component",
                           accepted: "one of the keys " + PolicySchema.componentKeys.joined(separator: ", "))
                }
            }
            for (key, what) in [("name", nameAccepted), ("share", "a share ≥ 0, e.g. 0.7")] where !own.contains(where: { $0.key == key }) {
                report(item.latestOrigin, path: itemPath, value: nil, problem: "has no \(key)", accepted: what)
            }
            guard problems.count == itemProblems else { continue }
            // The component's object over the money level, by the merge rules of a policy file.
            var merged = PolicyNode(content: .object(level), origin: moneyNode.origin)
            for member in overlay {
                merged = merged.merged(with: PolicyNode(content: .object([member]), origin: item.origin), path: "money")
            }
            itemProblems = problems.count
            guard let money = buildMoney(merged, path: itemPath), problems.count == itemProblems,
                  let name, let share else { continue }
            components.append(MoneyComponent(name: name, share: share, money: money))
            terms.append("\(name) \(share.plainText)")
        }
        guard problems.count == before else { return nil }
        let sum = components.reduce(Rational.zero) { $0 + $1.share }
        if sum != .one {
            report(node.latestOrigin, path: path, value: nil,
                   problem: "gives shares adding up to \(sum.plainText) (\(terms.joined(separator: " + "))), not exactly 1",
                   accepted: "component shares ≥ 0 that add up to exactly 1")
            return nil
        }
        return components
    }

    /// The weights by factor (contract §3.3, §10.1, §10.9): each key names a factor as headers
    /// name columns; a key naming a column that is not a factor, or a factor another key names,
    /// is reported.
    mutating func buildWeights(_ node: PolicyNode, path weightsPath: String = "money.weights")
        -> ([Factor: Rational], [Factor: (key: String, origin: PolicyOrigin)]) {
        guard case .object(let ordered) = node.content else {
            _ = members(node, path: weightsPath, allowed: PolicySchema.weightKeys)
            return ([:], [:])
        }
        var keyOrigins: [Factor: (key: String, origin: PolicyOrigin)] = [:]
        let before = problems.count
        var weights: [Factor: Rational] = [:]
        var keyOf: [Factor: String] = [:]
        var terms: [String] = []
        for member in ordered {
            let path = weightsPath + "." + member.key
            guard let factor = factor(named: member.key, origin: member.keyOrigin, path: path,
                                      coefficientColumns: []) else { continue }
            if let first = keyOf[factor] {
                report(member.keyOrigin, path: path, value: member.key,
                       problem: "names the factor \(factor.key), as \(weightsPath).\(first) does",
                       accepted: "each factor once in \(weightsPath)")
                continue
            }
            keyOf[factor] = member.key
            keyOrigins[factor] = (member.key, member.keyOrigin)
            let declared = factor.isBuiltIn ? "money.weights." + factor.key : "money.weights.<factor>"
            if let value = number(member.node, PolicyParameters.declared(declared), path: path) {
                weights[factor] = value
                terms.append("\(member.key) \(value.plainText)")
            }
        }
        guard problems.count == before else { return (weights, keyOrigins) }
        let sum = weights.values.reduce(Rational.zero, +)
        if sum != .one {
            let shown = terms.isEmpty ? "no weights" : terms.joined(separator: " + ")
            // The value shown is the weights as written (an override shows its own text instead).
            report(node.latestOrigin, path: weightsPath, value: node.text,
                   problem: "makes the factor weights add up to \(sum.plainText) (\(shown)), not exactly 1",
                   accepted: PolicyParameters.declared("money.weights").accepted)
        }
        return (weights, keyOrigins)
    }

    /// The factor a key of `money.weights` or of a `coefficient_columns` object names, or nil
    /// (reported) when it names none.
    mutating func factor(named key: String, origin: PolicyOrigin, path: String, coefficientColumns: [String]) -> Factor? {
        let accepted = PolicyAssembly.factorAccepted
        do {
            return try Factor.named(key, coefficientColumns: coefficientColumns)
        } catch {
            switch error {
            case .empty:
                report(origin, path: path, value: key, problem: "is an empty factor name", accepted: accepted)
            case .notAFactor(let column):
                report(origin, path: path, value: key,
                       problem: "names the column \(column) of the settlement table, which is not a factor", accepted: accepted)
            case .coefficientColumn(let name):
                report(origin, path: path, value: key,
                       problem: "names the coefficient column \(name), which is not a factor", accepted: accepted)
            }
        }
        return nil
    }

    static let factorAccepted = "settled, permits or another column of the settlement table as a factor, "
        + "e.g. migrant_pupils (随迁子女人数)"

    /// `money.coefficient_columns` read: every column named (in order of first mention), and,
    /// for the object form, each key's list (keys resolved to factors by `resolveFactorKeys`).
    struct CoefficientColumnLists {
        var all: [String]
        /// The object form's lists by key as written, in document order (nil: the list form).
        var byKey: [(key: String, origin: PolicyOrigin, columns: [String])]?
        var byFactor: [Factor: [String]]?
    }

    mutating func buildCoefficientColumns(_ node: PolicyNode, path listPath: String = "money.coefficient_columns")
        -> CoefficientColumnLists {
        if case .object(let members) = node.content {
            var all: [String] = []
            var byKey: [(key: String, origin: PolicyOrigin, columns: [String])] = []
            for member in members {
                let columns = buildCoefficientColumnList(member.node, path: listPath + "." + member.key)
                byKey.append((member.key, member.keyOrigin, columns))
                for name in columns where !all.contains(name) { all.append(name) }
            }
            return CoefficientColumnLists(all: all, byKey: byKey, byFactor: nil)
        }
        return CoefficientColumnLists(all: buildCoefficientColumnList(node, path: listPath),
                                      byKey: nil, byFactor: nil)
    }

    /// The object form's lists by factor; a key that names no factor of `weights` is reported.
    mutating func resolveFactorKeys(_ lists: CoefficientColumnLists, node: PolicyNode, weights: [Factor: Rational],
                                    path listPath: String = "money.coefficient_columns") -> [Factor: [String]]? {
        guard let byKey = lists.byKey else { return nil }
        var byFactor: [Factor: [String]] = [:]
        var keyOf: [Factor: String] = [:]
        let weightKeys = Factor.ordered(weights.keys).map(\.key).joined(separator: ", ")
        for entry in byKey {
            let path = listPath + "." + entry.key
            guard let factor = factor(named: entry.key, origin: entry.origin, path: path,
                                      coefficientColumns: lists.all) else { continue }
            guard weights[factor] != nil else {
                report(entry.origin, path: path, value: entry.key,
                       problem: "names the factor \(factor.key), which money.weights does not weigh",
                       accepted: "a key of money.weights (weight 0 allowed): \(weightKeys)")
                continue
            }
            if let first = keyOf[factor] {
                report(entry.origin, path: path, value: entry.key,
                       problem: "names the factor \(factor.key), as \(listPath).\(first) does",
                       accepted: "each factor once in \(listPath)")
                continue
            }
            keyOf[factor] = entry.key
            byFactor[factor] = entry.columns
        }
        return byFactor
    }

    mutating func buildCoefficientColumnList(_ node: PolicyNode, path listPath: String) -> [String] {
        let accepted = PolicyParameters.declared("money.coefficient_columns[]").accepted
        guard let items = list(node, path: listPath,
                               accepted: PolicyParameters.declared("money.coefficient_columns").accepted) else {
            return []
        }
        var columns: [String] = []
        var firstIndex: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let path = "\(listPath)[\(index + 1)]"
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
            } else if let column = PolicyAssembly.nonCoefficientColumn(name) {
                report(item.origin, path: path, value: name,
                       problem: "names the column \(column) of the settlement table, which is not a coefficient",
                       accepted: accepted)
                continue
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

    /// The key of a version-2 column (contract §10) that a coefficient column name names — a
    /// known factor column, `advance`, `direct`, … — or nil.
    static func nonCoefficientColumn(_ name: String) -> String? {
        do {
            let factor = try Factor.named(name, coefficientColumns: [])
            return Factor.knownAliases.contains { $0.key == factor.key } ? factor.key : nil
        } catch {
            if case .notAFactor(let column) = error { return column }
            return nil
        }
    }

    mutating func buildBounds(_ node: PolicyNode, path boundsPath: String = "money.bounds") -> MoneyBounds {
        guard let entries = members(node, path: boundsPath, allowed: PolicySchema.boundKeys) else {
            return MoneyBounds()
        }
        func bound(_ key: String) -> Rational?? {
            optionalNumber(entries[key], PolicyParameters.declared("money.bounds." + key), path: boundsPath + "." + key)
        }
        var bounds = MoneyBounds()
        if let value = bound("floor_amount") { bounds.floorAmount = value ?? .zero }
        if let value = bound("max_growth") { bounds.maxGrowth = value }
        if let value = bound("min_retention") { bounds.minRetention = value }
        if let value = bound("cap_per_settler") { bounds.capPerSettler = value }
        return bounds
    }

    mutating func buildLand(_ node: PolicyNode) -> LandPolicy? {
        guard let land = members(node, path: "land", allowed: PolicySchema.landKeys) else { return nil }
        let before = problems.count
        let keysAccepted = "land with the keys " + PolicySchema.landKeys.joined(separator: ", ")
        func leaf(_ key: String) -> (node: PolicyNode, parameter: PolicyParameter, path: String)? {
            required(land, key, parent: node, path: "land", accepted: keysAccepted).map {
                ($0, PolicyParameters.declared("land." + key), "land." + key)
            }
        }

        var unit = LandUnit.mu
        if let (unitNode, parameter, path) = leaf("unit"),
           let word = string(unitNode, path: path, accepted: parameter.accepted) {
            if let parsed = LandUnit(word: word) {
                unit = parsed
            } else {
                report(unitNode.origin, path: path, value: word, problem: "is not a land unit",
                       accepted: parameter.accepted)
            }
        }

        var decimals = 2
        if let (decimalsNode, parameter, path) = leaf("decimals"), let value = number(decimalsNode, parameter, path: path) {
            decimals = Int(value.numerator)
        }

        var tiers: [LandTier] = []
        if let tiersNode = required(land, "tiers", parent: node, path: "land", accepted: keysAccepted) {
            tiers = buildTiers(tiersNode)
        }

        var adjustment = Rational.zero
        if let (adjustmentNode, parameter, path) = leaf("adjustment"),
           let value = number(adjustmentNode, parameter, path: path) {
            adjustment = value
        }

        var permitWeight = Rational.zero
        if let (weightNode, parameter, path) = leaf("permit_weight"), let value = number(weightNode, parameter, path: path) {
            permitWeight = value
        }
        guard problems.count == before else { return nil }
        return LandPolicy(unit: unit, decimals: decimals, tiers: tiers, adjustment: adjustment,
                          permitWeight: permitWeight)
    }

    mutating func buildTiers(_ node: PolicyNode) -> [LandTier] {
        let accepted = PolicyParameters.declared("land.tiers").accepted
        guard let items = list(node, path: "land.tiers", accepted: accepted) else { return [] }
        if items.isEmpty {
            report(node.origin, path: "land.tiers", value: node.text, problem: "has no tiers",
                   accepted: "at least one tier: " + accepted)
            return []
        }
        let upToParameter = PolicyParameters.declared("land.tiers[].up_to")
        let standardParameter = PolicyParameters.declared("land.tiers[].standard")
        var tiers: [LandTier] = []
        for (index, item) in items.enumerated() {
            let path = "land.tiers[\(index + 1)]"
            guard let entries = members(item, path: path, allowed: PolicySchema.tierKeys) else { continue }
            var upTo: Rational?
            var hasUpTo = false
            if let limit = optionalNumber(entries["up_to"], upToParameter, path: path + ".up_to") {
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
                                           accepted: PolicyParameters.declared("land.tiers[]").accepted),
               let value = number(standardNode, standardParameter, path: path + ".standard") {
                standard = value
            }
            tiers.append(LandTier(upTo: upTo, standard: standard))
        }
        return tiers
    }

    /// A source note's text; nil, reported, when the note is not a string.
    mutating func noteText(_ note: PolicyMember, path: String) -> String? {
        guard case .scalar(.string(let text)) = note.node.content else {
            report(note.node.origin, path: path, value: note.node.text,
                   problem: "is \(note.node.kindDescription), but a source note must be a string",
                   accepted: "the note as text, e.g. \"国发〔2016〕44号\"")
            return nil
        }
        return text
    }

    mutating func buildSources(_ node: PolicyNode) -> [String: String] {
        let accepted = PolicyParameters.declared("sources").accepted
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
            guard let text = noteText(note, path: path) else { continue }
            sources[note.key] = text
        }
        return sources
    }
}
