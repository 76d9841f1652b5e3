import Foundation
import Testing

@Suite struct ValidateCommandTests {
    @Test func sampleDataIsValid() throws {
        let result = try CLI.run(["validate", "--settlement", "data/settlement.csv", "--budget", "data/budget.csv",
                                  "--policy", "data/policy.json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == """
            policy illustrative default (data/policy.json): valid
            data/settlement.csv: 33 counties read
            data/budget.csv: 4 scenario(s) read
            0 problem(s), 0 warning(s)

            """)
    }

    @Test func everyProblemIsListedAndTheExitIs1() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let settlement = try CLI.write("code,settled,permit_holders\n1,-5,3\n2,x,4\n3,2,1.5\n", to: "s.csv", in: dir)
        let budget = try CLI.write("fund_total,fund_unit\n100,dollar\n", to: "b.csv", in: dir)
        let result = try CLI.run(["validate", "--settlement", settlement, "--budget", budget])
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("transfercalc: error: ") }
        #expect(errors.count == 4, "\(result.stderr)")
        #expect(result.stderr.contains("s.csv, line 2, column 2 (settled): value \"-5\" is negative"))
        #expect(result.stderr.contains("s.csv, line 3, column 2 (settled): value \"x\" is not a number"))
        #expect(result.stderr.contains("s.csv, line 4, column 3 (permit_holders): value \"1.5\" is not a whole number of people"))
        #expect(result.stderr.contains("b.csv, line 2, column 2 (fund_unit): value \"dollar\" is not a money unit"))
        // The default policy's fiscal_coef column is absent: the warning allocate would print too.
        #expect(result.stderr.contains("transfercalc: warning: \(settlement): the policy lists coefficient column fiscal_coef"))
        #expect(result.stdout.hasSuffix("s.csv: 0 of 3 rows read without a problem\n\(budget): 0 of 1 rows read without a problem\n4 problem(s), 1 warning(s)\n"), "\(result.stdout)")
    }

    @Test func warningsAloneExit0() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let settlement = try CLI.write("code,settled,prior_1,permit_holders,fiscal_coef,land_per_capita\n1,30,10,3,3,90\n2,10,10,3,1,90\n",
                                       to: "s.csv", in: dir)
        let result = try CLI.run(["validate", "--settlement", settlement, "--fund-total", "1000"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("transfercalc: warning: \(settlement), line 2, column 3 (prior_1): value \"10\" changes to 30 current-year settlers (+200.0%)"))
        #expect(result.stderr.contains("transfercalc: warning: \(settlement), line 2, column 5 (fiscal_coef): value \"3\" is a coefficient outside [0.5, 2]"))
        #expect(result.stdout.hasSuffix("0 problem(s), 2 warning(s)\n"))
    }

    @Test func unreadableFilesAreProblemsToo() throws {
        let result = try CLI.run(["validate", "--settlement", "no/such.csv", "--policy", "no/such.json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no/such.csv: cannot be read"))
        #expect(result.stderr.contains("no/such.json: cannot be read"))
        #expect(result.stdout.contains("policy: not read"))
    }

    @Test func policyProblemsAreListed() throws {
        let result = try CLI.run(["validate", "--settlement", "data/settlement.csv", "--set", "money.weights.settled=0.5",
                                  "--set", "land.adjustment=0.2"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--set, column money.weights.settled"), "\(result.stderr)")
        #expect(result.stderr.contains("land.adjustment"))
    }

    @Test(arguments: [
        (["--set", "nokey"], "--set nokey is not KEY=VALUE"),
        ([String](), "Missing expected argument '--settlement <settlement>'"),
        (["--budget", "data/budget.csv", "--fund-total", "5"], "give --budget or --fund-total, not both"),
        (["--fund-total", "abc"], "--fund-total abc is not a number"),
        (["--encoding", "latin1"], "--encoding latin1 is not known"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) throws {
        let settlement = arguments.isEmpty ? [] : ["--settlement", "data/settlement.csv"]
        let result = try CLI.run(["validate"] + settlement + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
