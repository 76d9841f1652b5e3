/// The built-in illustrative policy: the document of contract §2.3, written out from the
/// defaults and source notes `PolicyParameters` declares.
///
/// The land standard of 100 m² per person up to 100 m² cites 国土资发〔2016〕123号; the lower
/// standards above 100 m² and the ±10% room for provincial adjustment are labelled as the tool's
/// reading of it, to be checked. The origin rating, phase-out and fiscal-difficulty tilt cite
/// 财预〔2022〕60号 第四条; the weights, coefficients and decays themselves are illustrative values
/// chosen to exercise every factor, and their notes say so. Every output
/// that shows them labels the policy "illustrative default".
enum DefaultPolicy {
    /// Source notes by dotted path, in document order.
    static var notes: [(String, String)] {
        PolicyParameters.all.compactMap { parameter in parameter.source.map { (parameter.path, $0) } }
    }

    /// The default as JSON text: every declared default in document order, then `sources`.
    static let json: String = {
        func value(_ path: String) -> String? {
            let parameter = PolicyParameters.declared(path)
            if let json = parameter.defaultJSON { return json }
            // An object that may be null (`levels`) is absent from the default.
            guard parameter.kind == .object, parameter.null == nil else { return nil }
            let members = PolicyParameters.keys(under: path).compactMap { key in
                value(path + "." + key).map { quoted(key) + ": " + $0 }
            }
            return "{" + members.joined(separator: ", ") + "}"
        }
        func quoted(_ text: String) -> String {
            var out = ""
            JSONValue.writeString(text, to: &out)
            return out
        }
        var members = PolicyParameters.rootKeys.compactMap { key in value(key).map { "  " + quoted(key) + ": " + $0 } }
        members.append("  \"sources\": {\n"
            + notes.map { "    " + quoted($0.0) + ": " + quoted($0.1) }.joined(separator: ",\n") + "\n  }")
        return "{\n" + members.joined(separator: ",\n") + "\n}\n"
    }()

    /// The pseudo-file name errors in the default would carry (they cannot happen: tests load it).
    static let fileName = "policy (built-in)"

    static let policy: Policy = {
        do {
            return try PolicyLoader.load(fileBytes: nil, file: nil, overrides: PolicyOverrides(name: "", settings: []))
        } catch {
            fatalError("built-in default policy is invalid: \(error)")
        }
    }()
}
