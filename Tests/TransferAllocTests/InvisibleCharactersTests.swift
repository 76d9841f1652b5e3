import Foundation
import Testing

/// Format characters (Unicode Cf) in codes and scenario names are errors naming line and
/// character, in every table that has them (docs/errors.md, "An invisible character…").
@Suite struct InvisibleCharactersTests {
    static let settledOnly = ["--set", "money.weights.settled=1", "--set", "money.weights.permits=0",
                              "--set", "money.coefficient_columns=[]"]

    @Test(arguments: [("\u{FEFF}110102", "\\u{feff}110102", "U+FEFF (ZERO WIDTH NO-BREAK SPACE) at character 1"),
                      ("110102\u{200B}", "110102\\u{200b}", "U+200B (ZERO WIDTH SPACE) at character 7"),
                      ("11\u{2060}0102", "11\\u{2060}0102", "U+2060 (WORD JOINER) at character 3")])
    func aCodeWithAFormatCharacterIsRefused(code: String, shown: String, character: String) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write("code,name,settled\n110102,a,3\n\(code),b,5\n", to: "s.csv", in: directory)
        let result = try CLI.run(["allocate", "--settlement", "s.csv", "--fund-total", "100"] + Self.settledOnly, in: directory)
        #expect(result.status == 1)
        #expect(result.stderr == "transfercalc: error: s.csv, line 3, column 1 (code): value \"\(shown)\" has the invisible "
            + "character \(character); expected the code without invisible characters (delete it and retype the value)\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func aScenarioNameWithAFormatCharacterIsRefused() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write("code,name,settled\n110102,a,3\n", to: "s.csv", in: directory)
        try CLI.write("scenario,fund_total\nbase,100\nbase\u{202E},100\n", to: "b.csv", in: directory)
        let result = try CLI.run(["allocate", "--settlement", "s.csv", "--budget", "b.csv"] + Self.settledOnly, in: directory)
        #expect(result.status == 1)
        #expect(result.stderr == "transfercalc: error: b.csv, line 3, column 1 (scenario): value \"base\\u{202e}\" has the "
            + "invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) at character 5; expected the scenario name without "
            + "invisible characters (delete it and retype the value)\n")
    }

    @Test func aPublishedCodeWithAFormatCharacterIsRefused() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write("code,name,settled\n110102,a,3\n", to: "s.csv", in: directory)
        try CLI.write("code,amount\n\u{200B}110102,100\n", to: "p.csv", in: directory)
        let result = try CLI.run(["audit", "--settlement", "s.csv", "--fund-total", "100", "--published", "p.csv"]
            + Self.settledOnly, in: directory)
        #expect(result.status == 1)
        #expect(result.stderr == "transfercalc: error: p.csv, line 2, column 1 (code): value \"\\u{200b}110102\" has the "
            + "invisible character U+200B (ZERO WIDTH SPACE) at character 1; expected the code without invisible "
            + "characters (delete it and retype the value)\n")
    }

    /// Chinese names and codes without format characters are untouched.
    @Test func visibleTextIsAccepted() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write("code,name,settled\n110102,东城区\u{200B},3\n", to: "s.csv", in: directory)
        try CLI.write("scenario,fund_total\n方案一,100\n", to: "b.csv", in: directory)
        let result = try CLI.run(["allocate", "--settlement", "s.csv", "--budget", "b.csv"] + Self.settledOnly, in: directory)
        #expect(result.status == 0, "\(result.stderr)")
    }
}
