import Testing
@testable import TransferAlloc

private func source(_ name: String, _ text: String) -> InputValidation.Input {
    .success(RunRequest.Source(name: name, bytes: Array(text.utf8)))
}

private func validate(_ settlement: String, budget: String? = nil, policy: String? = nil, overrides: [String] = [],
                      fundTotal: String? = nil) -> ValidationReport {
    InputValidation.run(settlement: source("s.csv", settlement), budget: budget.map { source("b.csv", $0) },
                        policy: policy.map { source("p.json", $0) }, overrides: .set(overrides),
                        fundTotal: fundTotal.map(NamedValue.fundTotal))
}

@Suite struct InputValidationTests {
    @Test func severalErrorsFromOneFileAtOnce() {
        let report = validate("""
            code,cross_province,within_city,settled,fiscal_coef
            1,10,-1,9,1
            2,1.5,3,,abc
            2,4,4,9,1
            ,1,1,2,1
            """)
        #expect(report.errors.map { "\($0.file!):\($0.line!):\($0.column!)" } == [
            "s.csv:2:3 (within_city)",
            "s.csv:3:2 (cross_province)", "s.csv:3:5 (fiscal_coef)",
            "s.csv:4:1 (code)", "s.csv:4:4 (settled)",
            "s.csv:5:1 (code)",
        ])
        #expect(report.errors[1].problem == "is not a whole number of people")
        #expect(report.errors[3].problem == "repeats the code on line 3")
        #expect(report.errors[4].problem == "differs from the sum of the origin columns (cross_province + within_city = 8)")
        #expect(!report.isValid)
    }

    @Test func theThrowingReaderThrowsTheFirstCollectedProblem() throws {
        let csv = try CSVReader.parse(text: "code,settled\n1,x\n2,-3\n", file: "s.csv", encoding: .utf8)
        var problems: [InputError] = []
        _ = SettlementTable.parse(csv, coefficientColumns: [], problems: &problems)
        #expect(problems.count == 2)
        #expect(throws: problems[0]) { try SettlementTable.parse(csv, coefficientColumns: []) }
        let budget = try CSVReader.parse(text: "scenario,fund_total\na,x\na,-1\n", file: "b.csv", encoding: .utf8)
        var budgetProblems: [InputError] = []
        _ = BudgetTable.parse(budget, problems: &budgetProblems)
        #expect(budgetProblems.map(\.line) == [2, 3, 3])  // bad number; repeated name, negative
        #expect(throws: budgetProblems[0]) { try BudgetTable.parse(budget) }
    }

    @Test func budgetAndPolicyProblemsJoinTheList() {
        let report = validate("code,settled,permit_holders\n1,5,3\n",
                              budget: "scenario,fund_total,fund_unit,reserve_ratio,reserve_amount\na,100,dollar,,\nb,100,,0.1,5\n",
                              policy: #"{"money": {"granularity": "0.001"}, "land": {"decimals": 9}}"#)
        let places = report.errors.map { "\($0.file!):\($0.line.map(String.init) ?? "-")" }
        #expect(places == ["p.json:1", "p.json:1", "b.csv:2", "b.csv:3"], "\(report.errors)")
        #expect(report.errors[2].problem == "is not a money unit")
        #expect(report.errors[3].problem == "is given together with reserve_ratio 0.1")
    }

    @Test func checksThatNeedAllInputsReportEachProblemOnce() {
        let report = validate("code,settled,land_per_capita\n1,5,\n2,0,\n3,7,\n",
                              budget: "scenario,fund_total\na,100\nb,200\n")
        #expect(report.errors.map(\.column) == ["permit_holders", "3 (land_per_capita)", "3 (land_per_capita)"])
        #expect(report.errors.map(\.line) == [1, 2, 4])
        // A land quota without a land_per_capita column: one problem about the column, not one per county.
        let noColumn = validate("code,settled,permit_holders\n1,5,1\n2,3,1\n", budget: "fund_total,land_quota\n100,5\n")
        #expect(noColumn.errors.count == 1)
        #expect(noColumn.errors.first?.problem.hasPrefix("is missing, but land is computed") == true)
        // Bounds that no split can meet, in each scenario (3 × 50 元 > 100 元 and > 120 元).
        let floors = validate("code,settled\n1,5\n2,3\n3,1\n", budget: "scenario,fund_total\na,100\nb,120\nc,200\n",
                              overrides: ["money.weights={\"settled\": 1}", "money.bounds.floor_amount=50"])
        #expect(floors.errors.map(\.line) == [2, 3])
        #expect(floors.errors.allSatisfy { $0.problem.contains("less than the 150.00 元 the counties' lower bounds need") })
    }

    @Test func suspiciousDataIsAWarningNotAnError() {
        let report = validate("code,settled,prior_1,permit_holders,fiscal_coef\n1,100,60,5,0.4\n2,100,70,5,2\n3,100,210,5,2.01\n",
                              fundTotal: "1000")
        #expect(report.isValid)
        let found = report.warnings.map { "\($0.line.map(String.init) ?? "-") \($0.column ?? "") \($0.value ?? "")" }
        #expect(found == ["2 3 (prior_1) 60", "2 5 (fiscal_coef) 0.4", "4 3 (prior_1) 210", "4 5 (fiscal_coef) 2.01",
                          "2 land_per_capita "], "\(found)")
        // 100 vs 60 is +66.7%; 100 vs 70 is +42.9% (no warning); 100 vs 210 is −52.4%.
        #expect(report.warnings[0].problem.contains("(+66.7%)"))
        #expect(report.warnings[2].problem.contains("(-52.4%)"))
        #expect(report.warnings[4].problem.contains("3 county(ies) with settlers (the first: 1) have no land standard"))
    }

    @Test func sampleDataIsClean() throws {
        let settlement = try String(contentsOfFile: CLI.root.appendingPathComponent("data/settlement.csv").path, encoding: .utf8)
        let budget = try String(contentsOfFile: CLI.root.appendingPathComponent("data/budget.csv").path, encoding: .utf8)
        let report = validate(settlement, budget: budget)
        #expect(report.errors.isEmpty && report.warnings.isEmpty)
        #expect(report.summary == ["policy illustrative default: valid", "s.csv: 33 counties read", "b.csv: 4 scenario(s) read"])
    }
}
