import BigInt

/// Dated versions of a policy file (contract §10.6): the rules change over the years, so one file
/// can hold every version and `year` picks the ones in force.
///
///     {"name": "市民化奖励资金", "sources": {…},
///      "versions": [{"from": 2016, "label": "财预〔2016〕162号", "money": {…}},
///                   {"from": 2022, "label": "财预〔2022〕60号", "money": {"weights": {…}}}]}
///
/// The layers are the built-in default, the file's top level (`name`, `sources`), then each version
/// with `from` ≤ year in ascending `from`, each laid over the previous by the usual merge rules,
/// then the overrides. Without a year every version applies. A version not applied is checked for
/// its structure (keys, `from`, `label`) only.
struct PolicyVersions {
    /// The file's top level without `versions`.
    var file: PolicyNode
    /// The versions applied, in the order laid, without `from` and `label`.
    var layers: [PolicyNode]
    /// Each applied version's label, or its `from` year where it has none.
    var labels: [String]

    /// Keys a version may have.
    static let versionKeys = ["from", "label", "money", "land", "levels", "sources"]
    /// Top-level keys a file with versions may have besides `versions`.
    static let keysBesideVersions: Set<String> = ["name", "sources", "versions"]
}

extension PolicyAssembly {
    /// Splits a policy file into its top level and the versions in force in `year`; nil when a
    /// problem was reported. A file without `versions` (or with `versions: []`) is its own only layer.
    mutating func versions(of file: PolicyNode, year: Int?) -> PolicyVersions? {
        guard let versionsNode = file.member("versions") else {
            return PolicyVersions(file: file, layers: [], labels: [])
        }
        let accepted = "a list of versions such as [{\"from\": 2022, \"label\": \"财预〔2022〕60号\", \"money\": {…}}]"
        guard let elements = list(versionsNode, path: "versions", accepted: accepted) else { return nil }
        if elements.isEmpty { return PolicyVersions(file: file.without(["versions"]), layers: [], labels: []) }
        let before = problemCount
        if case .object(let members) = file.content {
            for member in members where !PolicyVersions.keysBesideVersions.contains(member.key) {
                report(member.keyOrigin, path: member.key, value: member.key,
                       problem: "is beside versions: with versions, the file's other top-level keys may only be name and sources",
                       accepted: "\(member.key) inside a version, e.g. {\"from\": 2022, \"\(member.key)\": …}")
            }
        }
        var dated: [(from: BigInt, label: String, node: PolicyNode)] = []
        var lineOfFrom: [BigInt: Int] = [:]
        for (index, element) in elements.enumerated() {
            let path = "versions[\(index + 1)]"
            guard let keys = members(element, path: path, allowed: PolicyVersions.versionKeys) else { continue }
            let fromAccepted = "the first year the version applies, a whole number such as 2022"
            guard let fromNode = required(keys, "from", parent: element, path: path, accepted: fromAccepted),
                  let from = decimal(fromNode, path: path + ".from", accepted: fromAccepted) else { continue }
            guard from.isInteger else {
                report(fromNode.origin, path: path + ".from", value: fromNode.text, problem: "is not a whole number",
                       accepted: fromAccepted)
                continue
            }
            if let earlier = lineOfFrom[from.numerator] {
                report(fromNode.origin, path: path + ".from", value: fromNode.text,
                       problem: "repeats the from of the version on line \(earlier)", accepted: "each from once")
                continue
            }
            if case .file(let position) = fromNode.origin { lineOfFrom[from.numerator] = position.line }
            var label = String(from.numerator)
            if let labelNode = keys["label"] {
                guard let text = string(labelNode, path: path + ".label", accepted: "the version's name, e.g. \"财预〔2022〕60号\"") else { continue }
                label = text.trimmedUnicode
            }
            dated.append((from.numerator, label, element.without(["from", "label"])))
        }
        guard problemCount == before else { return nil }
        dated.sort { $0.from < $1.from }
        if let year, let first = dated.first, BigInt(year) < first.from {
            report(versionsNode.origin, path: "versions", value: String(year),
                   problem: "is a year before the policy's first version (from \(first.from))",
                   accepted: "a year from \(first.from) on")
            return nil
        }
        let applied = dated.filter { year == nil || $0.from <= BigInt(year!) }
        let layers = applied.enumerated().map { index, version in
            version.node.withOrigins { origin in
                if case .file(let position) = origin { return .version(index: index, position: position) }
                return origin
            }
        }
        return PolicyVersions(file: file.without(["versions"]), layers: layers, labels: applied.map(\.label))
    }
}
