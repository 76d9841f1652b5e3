import Foundation
import Testing

/// docs/zh/README.md promises that its commands work as written: every `swift run transfercalc …`
/// line of its `sh` blocks runs here, in order, against the repository's data/ (files a command
/// writes stay for the next, as they would for a reader), and every line of a `text` block must
/// appear in what the command before it printed.
@Suite struct ChineseQuickStartTests {
    struct Step {
        var line: Int
        var arguments: [String]
        var shown: [String]
    }

    static func steps() throws -> [Step] {
        let page = try String(contentsOf: CLI.root.appendingPathComponent("docs/zh/README.md"), encoding: .utf8)
        let lines = page.components(separatedBy: "\n")
        var steps: [Step] = []
        var block: String?
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("```") {
                block = block == nil ? String(line.dropFirst(3)) : nil
                continue
            }
            if block == "sh", line.hasPrefix("swift run transfercalc ") {
                let words = line.split(separator: " ").map(String.init)
                steps.append(Step(line: index + 1, arguments: Array(words.dropFirst(3)), shown: []))
            } else if block == "text", !line.trimmingCharacters(in: .whitespaces).isEmpty, !steps.isEmpty {
                steps[steps.count - 1].shown.append(line.trimmingCharacters(in: .whitespaces))
            }
        }
        return steps
    }

    @Test func everyCommandRunsAndPrintsWhatThePageShows() throws {
        let steps = try Self.steps()
        // The page has eleven commands and eight output excerpts; fewer means the page could not be read.
        #expect(steps.count == 11)
        #expect(steps.filter { !$0.shown.isEmpty }.count == 8)
        // The two-level section runs the levels example and shows its group, county and direct rows.
        let levels = steps.first { $0.arguments.contains("data/policy-levels.json") }
        #expect(levels?.arguments.contains("data/settlement-levels.csv") == true)
        #expect(levels?.shown.contains { $0.hasPrefix("| 市级 | 320500 | 苏州市 |") && $0.contains("| 21190457.32 |") } == true)
        #expect(levels?.shown.contains { $0.hasPrefix("| 省直管 | 320583 |") } == true)
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("data"),
                                                   withDestinationURL: CLI.root.appendingPathComponent("data"))
        for step in steps {
            let result = try CLI.run(step.arguments, in: directory)
            #expect(result.status == 0, "docs/zh/README.md:\(step.line): \(result.stderr)")
            for shown in step.shown {
                #expect(result.stdout.contains(shown), "docs/zh/README.md:\(step.line) does not print: \(shown)")
            }
        }
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("分配结果.csv").path))
    }
}
