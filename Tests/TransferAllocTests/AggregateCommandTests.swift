import Foundation
import Testing

/// `transfercalc aggregate` through the built binary: output, notes, and every error path.
@Suite struct AggregateCommandTests {
    private func register(_ text: String) throws -> (directory: URL, path: String) {
        let directory = try CLI.temporaryDirectory()
        return (directory, try CLI.write(text, to: "register.csv", in: directory))
    }

    @Test func writesTheSettlementTableAndNotesIgnoredYears() throws {
        let (_, path) = try register(handRegister)
        let result = try CLI.run(["aggregate", path, "--year", "2023"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            code,cross_province,within_province,within_city,prior_1,prior_2,prior_3,prior_4
            110101,0,0,0,0,0,0,1
            320506,1,1,1,0,0,0,0
            320583,0,0,0,1,1,0,0

            """)
        #expect(result.stderr == "transfercalc: \(path): ignored 2 row(s) outside 2019–2023: 2018: 1, 2024: 1\n")
    }

    @Test func outputFileFeedsAllocate() throws {
        let (directory, path) = try register(handRegister)
        let output = directory.appendingPathComponent("settlement.csv").path
        let result = try CLI.run(["aggregate", path, "--year", "2023", "--prior", "2", "--output", output, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let written = try String(contentsOfFile: output, encoding: .utf8)
        #expect(written == "code,cross_province,within_province,within_city,prior_1,prior_2\n320506,1,1,1,0,0\n320583,0,0,0,1,1\n")
        let allocation = try CLI.run(["allocate", "--settlement", output, "--fund-total", "1000", "--set", "money.weights.settled=1",
                                      "--set", "money.weights.permits=0", "--set", "money.coefficient_columns=[]"])
        #expect(allocation.status == 0, "\(allocation.stderr)")
        #expect(allocation.stdout.contains("320506"))
    }

    @Test func repeatedIDNamesBothLinesAndWritesNothing() throws {
        let (directory, path) = try register("person_id,dest_code,origin_code,settle_date\nP1,1,1,2023-01-01\nP2,1,1,2023-01-01\nP1,1,1,2023-01-01\n")
        let output = directory.appendingPathComponent("out.csv").path
        let result = try CLI.run(["aggregate", path, "--year", "2023", "--output", output])
        #expect(result.status == 1)
        #expect(result.stderr == "transfercalc: error: \(path), line 4, column 1 (person_id): value \"P1\" repeats the person_id of line 2; expected each person once in the register (an empty person_id is not checked)\n")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test(arguments: [
        ("dest_code,origin_code,settle_date\n1,1,2023/13/01\n",
         "line 2, column 3 (settle_date): value \"2023/13/01\" is an impossible date (there is no month 13); expected a date YYYY-MM-DD"),
        ("dest_code,origin_code,settle_date\n1,1,17/05/2023\n",
         "line 2, column 3 (settle_date): value \"17/05/2023\" is not a date; expected a date YYYY-MM-DD"),
        ("落户地代码,落户日期\n1,2023-01-01\n",
         "line 1: has no origin_code column; expected a header row with dest_code (落户地代码), origin_code (迁出地代码) and settle_date (落户日期)"),
        ("dest_code,origin_code,settle_date\n1,1,2023-01-01,9\n",
         "line 2, column 4: value \"9\" row has more than 3 fields, but the header on line 1 has 3"),
        ("dest_code,origin_code,settle_date,agricultural\n1,1,2023-01-01,2\n",
         "line 2, column 4 (agricultural): value \"2\" is not a yes/no value"),
        ("", "empty file; expected a header row"),
    ])
    func badDataExitsWithStatus1(text: String, message: String) throws {
        let (_, path) = try register(text)
        let result = try CLI.run(["aggregate", path, "--year", "2023"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("transfercalc: error: \(path)"), "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func noCountedRowGivesTheHeaderAloneAndExit0() throws {
        let (_, path) = try register("dest_code,origin_code,settle_date,agricultural\n1,1,2010-01-01,1\n1,1,2023-01-01,0\n")
        let result = try CLI.run(["aggregate", path, "--year", "2023", "--prior", "1", "--prior-by-origin"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "code,cross_province,within_province,within_city,prior_1_cross_province,prior_1_within_province,prior_1_within_city\n")
        #expect(result.stderr == """
            transfercalc: \(path): excluded 1 row(s) whose agricultural cell is false or empty (not agricultural migrants)
            transfercalc: \(path): ignored 1 row(s) outside 2022–2023: 2010: 1
            transfercalc: \(path): no row counts in 2022–2023: the table is its header alone

            """)
    }

    /// The illustrative register of data/ with its code map, as data/README.md runs it, then
    /// the table it writes through `allocate`.
    @Test func sampleRegisterInDataFeedsAllocate() throws {
        let directory = try CLI.temporaryDirectory()
        let output = directory.appendingPathComponent("settlement.csv").path
        let data = CLI.root.appendingPathComponent("data")
        let result = try CLI.run(["aggregate", data.appendingPathComponent("register-sample.csv").path, "--year", "2023",
                                  "--prior", "2", "--prior-by-origin",
                                  "--code-map", data.appendingPathComponent("code-map-sample.csv").path,
                                  "--output", output, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let written = try String(contentsOfFile: output, encoding: .utf8)
        #expect(written == Self.sampleTable, "\(written)")
        let allocation = try CLI.run(["allocate", "--settlement", output, "--fund-total", "1000", "--set", "money.weights.settled=1",
                                      "--set", "money.weights.permits=0", "--set", "money.coefficient_columns=[]"])
        #expect(allocation.status == 0, "\(allocation.stderr)")
        #expect(allocation.stdout.contains("429004"))
    }

    /// Counted by hand in data/README.md.
    static let sampleTable = """
        code,cross_province,within_province,within_city,prior_1_cross_province,prior_1_within_province,prior_1_within_city,prior_2_cross_province,prior_2_within_province,prior_2_within_city
        110105,1,0,2,0,0,0,0,0,0
        320506,1,1,1,0,0,1,0,1,0
        320509,0,0,1,1,0,0,0,0,0
        429004,0,2,1,0,0,0,0,0,0

        """

    @Test func missingFileExitsWithStatus1() throws {
        let result = try CLI.run(["aggregate", "/nonexistent/register.csv", "--year", "2023"])
        #expect(result.status == 1)
        #expect(result.stderr == "transfercalc: error: /nonexistent/register.csv: cannot be read: No such file or directory; expected a readable file\n")
    }

    @Test(arguments: [
        (["--year", "abc"], "abc"),
        (["--year", "0"], "--year 0 is not a year"),
        (["--year", "20231"], "--year 20231 is not a year"),
        (["--year", "2023", "--prior=-1"], "--prior -1 is out of range"),
        (["--year", "3", "--prior", "4"], "reaches before year 1"),
        (["--year", "2023", "--encoding", "latin1"], "--encoding latin1 is not known"),
        ([], "--year"),
    ])
    func badCommandLineExitsWith64(arguments: [String], message: String) throws {
        let (_, path) = try register(handRegister)
        let result = try CLI.run(["aggregate", path] + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func forcedEncodingReadsGB18030() throws {
        let directory = try CLI.temporaryDirectory()
        let url = directory.appendingPathComponent("register.csv")
        // 落户地代码,迁出地代码,落户日期 then one row, in GB18030.
        try "落户地代码,迁出地代码,落户日期\n320506,410102,2023-05-17\n"
            .data(using: String.Encoding(rawValue: 0x8000_0632))!.write(to: url)
        for arguments in [["--encoding", "gb18030"], []] {
            let result = try CLI.run(["aggregate", url.path, "--year", "2023", "--prior", "0"] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "code,cross_province,within_province,within_city\n320506,1,0,0\n")
        }
        let wrong = try CLI.run(["aggregate", url.path, "--year", "2023", "--encoding", "utf8"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("line 1: byte") && wrong.stderr.contains("not valid UTF-8"), "\(wrong.stderr)")
    }
}
