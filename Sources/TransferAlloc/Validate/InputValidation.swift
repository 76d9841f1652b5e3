import BigInt

/// What `validate` found: every problem (each would stop `allocate`) and every warning about
/// suspicious but valid data, each naming file, line and column.
public struct ValidationReport: Sendable {
    /// Problems, in the order: files that cannot be read, policy, settlement table, budget,
    /// then the checks that need the inputs together (factor totals, land, bounds).
    public var errors: [InputError] = []
    /// Suspicious but valid data, and the warnings `allocate` would print. Warnings use the
    /// same location fields as errors.
    public var warnings: [InputError] = []
    /// One line per input read: `data/settlement.csv: 33 counties`.
    public var summary: [String] = []

    public var isValid: Bool { errors.isEmpty }
}

/// Reads every input and the policy and reports every problem found, not only the first
/// (contract §7 `validate`); computes no allocation to print.
///
///     let report = InputValidation.run(settlement: .success(source), budget: nil, policy: nil)
///     report.errors.map(\.description)
///     // ["s.csv, line 3, column 4 (cross_province): value \"-1\" is negative; …",
///     //  "s.csv, line 5, column 4 (cross_province): value \"1.5\" is not a whole number of people; …"]
///
/// Suspicious data (warnings, exit 0): a coefficient outside [0.5, 2]; current-year settlers
/// more than 50% above or below prior_1; settlers without a land standard when the table has
/// no land_per_capita column.
public enum InputValidation {
    /// Coefficients outside this range are reported as suspicious.
    public static let usualCoefficients = Rational(1, 2)...Rational(2)
    /// A year-on-year change above this share is reported as suspicious.
    public static let usualChange = Rational(1, 2)

    /// A file as the command line gave it: its bytes, or why it could not be read.
    public typealias Input = Result<RunRequest.Source, InputError>

    /// - Parameters:
    ///   - settlement / budget / policy: each file read, or the error reading it; nil when not
    ///     given (no policy: the built-in default).
    ///   - overrides: policy settings applied after the policy file.
    ///   - fundTotal / landQuota: the one scenario's money and land, when no budget file is given.
    ///   - year: the year whose dated policy versions apply (nil: every version).
    /// - Complexity: O(size of the inputs) plus one money split per scenario.
    public static func run(settlement: Input?, budget: Input?, policy policyInput: Input?,
                           overrides: PolicyOverrides, fundTotal: NamedValue? = nil, landQuota: NamedValue? = nil,
                           encoding: TextEncoding? = nil, year: Int? = nil) -> ValidationReport {
        var report = ValidationReport()
        func read(_ input: Input?) -> RunRequest.Source? {
            switch input {
            case .none: return nil
            case .success(let source): return source
            case .failure(let error): report.errors.append(error); return nil
            }
        }
        let settlement = read(settlement), budget = read(budget), policy = read(policyInput)
        if case .failure = policyInput {
            // The policy file could not be read: the inputs are still checked, against the default's columns.
            report.summary.append("policy: not read")
        }

        let policyProblems = PolicyLoader.problems(fileBytes: policy?.bytes, file: policy?.name, overrides: overrides, year: year)
        report.errors += policyProblems
        let policyRead: Bool = if case .failure = policyInput { false } else { true }
        let loaded = policyProblems.isEmpty && policyRead
            ? try? PolicyLoader.load(fileBytes: policy?.bytes, file: policy?.name, overrides: overrides, year: year) : nil
        if let loaded { report.summary.append("policy \(loaded.label): valid") }
        // Without a valid policy the table is still read, with the default's coefficient columns.
        let coefficientColumns = (loaded ?? Policy.builtInDefault).money.tableCoefficientColumns
        let components = (loaded ?? Policy.builtInDefault).money.components.map(\.name)
        let factors = (loaded ?? Policy.builtInDefault).money.tableFactors

        var table: SettlementTable?
        if let settlement {
            do {
                let read = try SettlementTable.read(settlement, encoding: encoding, coefficientColumns: coefficientColumns,
                                                    components: components, factors: factors, problems: &report.errors)
                table = read.table
                if let table {
                    report.summary.append(table.rows.count == read.records
                        ? "\(table.file): \(table.rows.count) counties read"
                        : "\(table.file): \(table.rows.count) of \(read.records) rows read without a problem")
                }
            } catch {
                report.errors.append(error)
            }
        }

        var scenarios: [Scenario]?
        if let budget {
            do {
                let csv = try budget.table(encoding: encoding)
                if let parsed = BudgetTable.parse(csv, problems: &report.errors) {
                    scenarios = parsed.scenarios
                    report.warnings += parsed.warnings.map { InputError(problem: $0) }
                    report.summary.append(parsed.scenarios.count == csv.records.count
                        ? "\(budget.name): \(parsed.scenarios.count) scenario(s) read"
                        : "\(budget.name): \(parsed.scenarios.count) of \(csv.records.count) rows read without a problem")
                }
            } catch {
                report.errors.append(error)
            }
        } else if let fundTotal {
            do {
                scenarios = [try RunRequest.directScenario(fundTotal: fundTotal, landQuota: landQuota)]
            } catch {
                report.errors.append(error)
            }
        }

        if let table {
            report.warnings += table.warnings.map { InputError(problem: $0) }
            report.warnings += suspicious(table, coefficientColumns: coefficientColumns,
                                          landComputed: Allocation.computesLandInEveryScenario(table)
                                              || (scenarios ?? []).contains { Allocation.computesLand(table: table, scenario: $0) })
        }
        // The checks that need every input: only meaningful when each one read cleanly.
        if report.errors.isEmpty, let loaded, let table {
            report.warnings += MoneyAllocation.warnings(table: table, policy: loaded.money).map { InputError(problem: $0) }
            report.errors += combinedProblems(table: table, scenarios: scenarios ?? [], policy: loaded,
                                              budgetFile: budget?.name ?? fundTotal?.name ?? RunRequest.fundTotalColumn)
        }
        return report
    }

    /// Factor totals, land standards and quotas, and bounds, for every scenario: what
    /// `Allocation` would reject, each problem once.
    static func combinedProblems(table: SettlementTable, scenarios: [Scenario], policy: Policy,
                                 budgetFile: String) -> [InputError] {
        var problems: [InputError] = []
        func add(_ error: InputError) { if !problems.contains(error) { problems.append(error) } }
        var engine = AllocationEngine(inputs: PreparedInputs(table: table, scenarios: scenarios, budgetFile: budgetFile))
        // The groups are checked even without a scenario: they are the table's, not the budget's.
        if policy.money.levels != nil {
            do { _ = try LevelGroups(table: table) } catch { add(error) }
        }
        do {
            if policy.money.components.isEmpty {
                _ = try engine.factorTable(policy: policy.money)
            } else {
                _ = try engine.componentFactorTables(policy: policy.money)
            }
            for scenario in scenarios {
                do { _ = try engine.money(policy: policy.money, scenario: scenario) } catch { add(error) }
            }
        } catch { add(error) }
        let landScenarios = scenarios.filter { Allocation.computesLand(table: table, scenario: $0) }
        if !landScenarios.isEmpty || (scenarios.isEmpty && Allocation.computesLandInEveryScenario(table)) {
            let landProblems = LandDemand.problems(table: table, policy: policy.land)
            landProblems.forEach(add)
            if landProblems.isEmpty {
                for scenario in landScenarios {
                    do { _ = try engine.land(policy: policy.land, scenario: scenario) } catch { add(error) }
                }
            }
        }
        return problems
    }

    /// Warnings about valid but unusual values.
    static func suspicious(_ table: SettlementTable, coefficientColumns: [String], landComputed: Bool) -> [InputError] {
        var warnings: [InputError] = []
        for row in table.rows {
            if let label = table.columnLabels[SettlementColumn.prior(1).key], let prior = row.priors.first, !prior.isZero {
                let current = row.currentSettlers
                let change = Rational(current - prior, prior)
                if change.absoluteValue > usualChange {
                    let percent = (change * Rational(100)).decimalString(places: 1)
                    warnings.append(InputError(file: table.file, line: row.line, column: label, value: String(prior),
                                               problem: "changes to \(current) current-year settlers (\(change.isNegative ? "" : "+")\(percent)%) in county \(row.code): more than 50% year on year; valid, but unusual",
                                               accepted: "a change within ±50%, or a check that the counts are right"))
                }
            }
            for name in coefficientColumns {
                guard let label = table.columnLabels[SettlementColumn.coefficient(name).key], let value = row.coefficients[name],
                      !usualCoefficients.contains(value) else { continue }
                warnings.append(InputError(file: table.file, line: row.line, column: label, value: value.plainText,
                                           problem: "is a coefficient outside [0.5, 2] (county \(row.code)); valid, but unusual",
                                           accepted: "a coefficient in [0.5, 2], or a check that this one is meant"))
            }
        }
        if !landComputed && !table.hasLandPerCapita {
            // Counted, not filtered: a copy of the rows would double the memory of a large table.
            if let first = table.rows.first(where: \.hasCurrentSettlers) {
                let settledCount = table.rows.reduce(0) { $0 + ($1.hasCurrentSettlers ? 1 : 0) }
                warnings.append(InputError(file: table.file, line: first.line, column: "land_per_capita",
                                           problem: "is not a column of the table, so \(settledCount) county(ies) with settlers (the first: \(first.code)) have no land standard and no land is computed",
                                           accepted: "a land_per_capita (现状人均城镇建设用地) column to compute land, or nothing if only money is wanted"))
            }
        }
        return warnings
    }
}
