import Foundation
import Testing

/// docs/decisions.md quotes error messages in its table of the CSV reader's choices (§16); each
/// quote must be a message docs/errors.md has, which ErrorCatalogTests checks the tool gives.
@Suite struct DecisionsQuotesTests {
    @Test func everyQuotedMessageIsInTheErrorCatalogue() throws {
        let decisions = try String(contentsOf: CLI.root.appendingPathComponent("docs/decisions.md"), encoding: .utf8)
        let errors = try String(contentsOf: CLI.root.appendingPathComponent("docs/errors.md"), encoding: .utf8)
        let start = try #require(decisions.range(of: "**16. "))
        let end = try #require(decisions.range(of: "**17. "))
        let rows = decisions[start.upperBound..<end.lowerBound].split(separator: "\n").filter { $0.hasPrefix("|") }
        var quotes: [String] = []
        for row in rows {
            let cells = row.split(separator: "|", omittingEmptySubsequences: false)
            guard cells.count > 2 else { continue }
            // The "what happens" column: text between straight double quotes.
            let parts = cells[2].split(separator: "\"", omittingEmptySubsequences: false)
            for index in stride(from: 1, to: parts.count, by: 2) {
                quotes.append(String(parts[index]).replacingOccurrences(of: " (or UTF-32)", with: ""))
            }
        }
        #expect(quotes.count >= 4)
        for quote in quotes {
            #expect(errors.contains(quote), "decisions.md §16 quotes \"\(quote)\", which docs/errors.md does not have")
        }
    }
}
