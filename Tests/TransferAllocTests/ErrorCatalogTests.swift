import Foundation
import Testing

/// `docs/errors.md` is the single source of truth for the error messages: this suite runs every
/// example on that page through the built binary and compares standard error and the exit status
/// line by line, and checks that every message text written in the sources appears on the page.
@Suite struct ErrorCatalogTests {
    /// One `console` block of the page, with the files its section has defined so far.
    struct Example: CustomTestStringConvertible, Sendable {
        var section: String
        var line: Int
        var command: String
        var files: [String: [UInt8]]
        var sizes: [String: Int]
        var expected: [String]
        var status: Int32
        /// A last line `…` on the page: more lines follow (a usage text).
        var prefixOnly: Bool
        var testDescription: String { "errors.md:\(line) \(section)" }
    }

    static let page = CLI.root.appendingPathComponent("docs/errors.md")
    static let examples: [Example] = (try? parse(String(contentsOf: page, encoding: .utf8))) ?? []

    /// Reads the page: `file NAME [escaped] [no-newline] [size=N]` blocks and `console` blocks,
    /// in sections headed `###`; files before the first `###` belong to every section.
    static func parse(_ text: String) throws -> [Example] {
        let lines = text.components(separatedBy: "\n")
        var shared: [String: ([UInt8], Int?)] = [:]
        var files: [String: ([UInt8], Int?)] = [:]
        var section: String?
        var examples: [Example] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.hasPrefix("### ") {
                section = String(line.dropFirst(4))
                files = [:]
            }
            if line.hasPrefix("```file ") {
                let words = line.dropFirst("```file ".count).split(separator: " ").map(String.init)
                var end = i + 1
                while lines[end] != "```" { end += 1 }
                let body = lines[(i + 1)..<end].joined(separator: "\n")
                var bytes = words.contains("escaped") ? decode(body) : Array(body.utf8)
                if !words.contains("no-newline") { bytes.append(0x0A) }
                let size = words.first { $0.hasPrefix("size=") }.flatMap { Int($0.dropFirst(5)) }
                if section == nil { shared[words[0]] = (bytes, size) } else { files[words[0]] = (bytes, size) }
                i = end + 1
                continue
            }
            if line == "```console" {
                var end = i + 1
                while lines[end] != "```" { end += 1 }
                let block = Array(lines[(i + 1)..<end])
                guard let command = block.first, command.hasPrefix("$ "), let last = block.last,
                      last.hasPrefix("[exit "), let status = Int32(last.dropFirst(6).dropLast()) else {
                    throw CocoaError(.fileReadCorruptFile, userInfo: [NSDebugDescriptionErrorKey: "errors.md:\(i + 1): a console block is $ command, output lines, [exit N]"])
                }
                var expected = Array(block.dropFirst().dropLast())
                let prefixOnly = expected.last == "…"
                if prefixOnly { expected.removeLast() }
                let all = shared.merging(files) { $1 }
                examples.append(Example(section: section ?? "", line: i + 2, command: String(command.dropFirst(2)),
                                        files: all.mapValues(\.0), sizes: all.compactMapValues(\.1),
                                        expected: expected, status: status, prefixOnly: prefixOnly))
                i = end + 1
                continue
            }
            i += 1
        }
        return examples
    }

    /// `\xNN` is a byte, `\\` a backslash, `\n` a line break, `{{N×TEXT}}` TEXT N times.
    static func decode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func starts(_ prefix: String, at index: Int) -> Bool {
            let p = Array(prefix.unicodeScalars)
            return index + p.count <= scalars.count && Array(scalars[index..<index + p.count]) == p
        }
        while i < scalars.count {
            if starts("{{", at: i), let times = scalars[i...].firstIndex(of: "×"),
               let close = (times..<scalars.count).first(where: { starts("}}", at: $0) }) {
                let count = Int(String(String.UnicodeScalarView(scalars[(i + 2)..<times]))) ?? 0
                let inner = decode(String(String.UnicodeScalarView(scalars[(times + 1)..<close])))
                for _ in 0..<count { out += inner }
                i = close + 2
            } else if starts("\\x", at: i), i + 4 <= scalars.count,
                      let byte = UInt8(String(String.UnicodeScalarView(scalars[(i + 2)..<(i + 4)])), radix: 16) {
                out.append(byte)
                i += 4
            } else if starts("\\\\", at: i) {
                out.append(0x5C)
                i += 2
            } else if starts("\\n", at: i) {
                out.append(0x0A)
                i += 2
            } else {
                out += Array(String(scalars[i]).utf8)
                i += 1
            }
        }
        return out
    }

    @Test func thePageHasExamples() {
        #expect(Self.examples.count > 100)
    }

    @Test(arguments: examples) func example(_ example: Example) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, bytes) in example.files {
            let path = directory.appendingPathComponent(name).path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            if let size = example.sizes[name] { #expect(truncate(path, off_t(size)) == 0) }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", example.command]
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = CLI.binary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        let errURL = directory.appendingPathComponent(".stderr")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try err.close()
        var actual = try String(contentsOf: errURL, encoding: .utf8).components(separatedBy: "\n")
        if actual.last == "" { actual.removeLast() }
        if example.prefixOnly { actual = Array(actual.prefix(example.expected.count)) }
        #expect(process.terminationStatus == example.status, "\(example.testDescription): \(actual.joined(separator: "\n"))")
        #expect(actual == example.expected, "\(example.testDescription)")
    }

    // MARK: Every message on the page

    /// Folders whose messages the page covers. A new command's folder joins the list together
    /// with the page's section for its messages.
    static let coveredSources = ["Sources/TransferAlloc/IO", "Sources/TransferAlloc/Inputs", "Sources/TransferAlloc/Policy",
                                 "Sources/TransferAlloc/Money", "Sources/TransferAlloc/Land", "Sources/TransferAlloc/Allocation",
                                 "Sources/TransferAlloc/Bounds", "Sources/TransferAlloc/Explain", "Sources/TransferAlloc/Audit",
                                 "Sources/TransferAlloc/Validate", "Sources/TransferAlloc/Scenario", "Sources/TransferAlloc/Report",
                                 "Sources/TransferAlloc/Register",
                                 "Sources/transfercalc/Options.swift", "Sources/transfercalc/UsageMessages.swift",
                                 "Sources/transfercalc/Commands"]

    /// The literal message texts of the sources: the first string literal after `problem:`,
    /// `ValidationError(` or `UsageError(`, with each interpolation as a wildcard.
    static func messagePatterns() throws -> [(file: String, text: String, pattern: NSRegularExpression)] {
        var found: [(String, String, NSRegularExpression)] = []
        for source in coveredSources {
            let url = CLI.root.appendingPathComponent(source)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            let files = isDirectory.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".swift") }
                    .map { url.appendingPathComponent($0) }
                : [url]
            for file in files {
                let text = try String(contentsOf: file, encoding: .utf8)
                for marker in ["problem: \"", "ValidationError(\"", "UsageError(\""] {
                    var rest = text[...]
                    while let range = rest.range(of: marker) {
                        let literal = Self.literal(in: rest[range.upperBound...])
                        rest = rest[range.upperBound...]
                        guard literal.parts.contains(where: { !$0.isEmpty }) else { continue }
                        let pattern = literal.parts.map(NSRegularExpression.escapedPattern(for:)).joined(separator: ".*?")
                        found.append((file.lastPathComponent, literal.parts.joined(separator: "…"),
                                      try NSRegularExpression(pattern: pattern)))
                    }
                }
            }
        }
        return found
    }

    /// The pieces of a Swift string literal (from just after its opening quote) between its
    /// interpolations, unescaped.
    static func literal(in text: Substring) -> (parts: [String], end: Substring.Index) {
        var parts = [""]
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "\"" { return (parts, i) }
            if c == "\\" {
                let next = text.index(after: i)
                guard next < text.endIndex else { break }
                if text[next] == "(" {
                    // Skip the interpolation, balancing parentheses.
                    var depth = 1
                    var j = text.index(after: next)
                    while j < text.endIndex && depth > 0 {
                        if text[j] == "(" { depth += 1 } else if text[j] == ")" { depth -= 1 }
                        j = text.index(after: j)
                    }
                    parts.append("")
                    i = j
                    continue
                }
                let unescaped: Character = switch text[next] {
                case "n": "\n"
                case "t": "\t"
                default: text[next]
                }
                parts[parts.count - 1].append(unescaped)
                i = text.index(after: next)
                continue
            }
            parts[parts.count - 1].append(c)
            i = text.index(after: i)
        }
        return (parts, i)
    }

    @Test func everyMessageInTheSourcesIsOnThePage() throws {
        let page = try String(contentsOf: Self.page, encoding: .utf8)
        let range = NSRange(page.startIndex..., in: page)
        let patterns = try Self.messagePatterns()
        #expect(patterns.count > 80)
        for (file, text, pattern) in patterns where pattern.firstMatch(in: page, range: range) == nil {
            Issue.record("\(file): the message \"\(text)\" is not in docs/errors.md; add an example for it")
        }
    }
}
