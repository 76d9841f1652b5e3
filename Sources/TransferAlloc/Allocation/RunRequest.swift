import BigInt

/// A problem with the command line itself (exit status 64), found only once the inputs are
/// read, such as a `--scenario` the budget does not have.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Everything `allocate` and the commands built on it read, as bytes and flag values; the
/// CLI fills it from files, `load` turns it into checked inputs.
public struct RunRequest: Sendable {
    public struct Source: Sendable {
        public var name: String
        public var bytes: [UInt8]
        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    public var settlement: Source
    public var budget: Source?
    public var policy: Source?
    /// Raw `--set KEY=VALUE` strings, in order.
    public var overrides: [String]
    /// `--fund-total` (元) and `--land-quota` (policy unit), instead of a budget file.
    public var fundTotal: String?
    public var landQuota: String?
    public var encoding: TextEncoding?
    /// `--scenario`: compute only this one (every row is still read and checked).
    public var scenario: String?

    public init(settlement: Source, budget: Source? = nil, policy: Source? = nil, overrides: [String] = [],
                fundTotal: String? = nil, landQuota: String? = nil, encoding: TextEncoding? = nil,
                scenario: String? = nil) {
        self.settlement = settlement
        self.budget = budget
        self.policy = policy
        self.overrides = overrides
        self.fundTotal = fundTotal
        self.landQuota = landQuota
        self.encoding = encoding
        self.scenario = scenario
    }

    /// Where scenario errors point.
    public var budgetFile: String { budget?.name ?? "--fund-total" }

    /// Reads and checks every input; computes nothing.
    /// - Throws: `UsageError` (exit 64) or `InputError` (exit 1).
    public func load() throws -> (policy: Policy, table: SettlementTable, scenarios: [Scenario], warnings: [String]) {
        var budgetCSV: CSVTable?
        if let budget {
            let csv = try CSVReader.read(bytes: budget.bytes, file: budget.name, encoding: encoding)
            if let scenario, !BudgetTable.scenarioNames(csv).contains(scenario) {
                throw UsageError("unknown --scenario \(scenario); \(budget.name) has: \(BudgetTable.scenarioNames(csv).joined(separator: ", "))")
            }
            budgetCSV = csv
        } else if let scenario, scenario != "baseline" {
            throw UsageError("unknown --scenario \(scenario); --fund-total makes one scenario, baseline")
        }
        let policy = try PolicyLoader.load(fileBytes: self.policy?.bytes, file: self.policy?.name, overrides: overrides)
        let table = try SettlementTable.read(bytes: settlement.bytes, file: settlement.name, encoding: encoding,
                                             coefficientColumns: policy.money.coefficientColumns)
        var scenarios: [Scenario]
        var warnings: [String] = []
        if let budgetCSV {
            let budget = try BudgetTable.parse(budgetCSV)
            scenarios = budget.scenarios
            warnings += budget.warnings
            if let scenario { scenarios = scenarios.filter { $0.name == scenario } }
        } else {
            scenarios = [try RunRequest.commandLineScenario(fundTotal: fundTotal ?? "", landQuota: landQuota)]
        }
        return (policy, table, scenarios, warnings)
    }

    /// Loads and computes.
    public func allocate() throws -> Allocation {
        let inputs = try load()
        return try Allocation(table: inputs.table, scenarios: inputs.scenarios, policy: inputs.policy,
                              budgetFile: budgetFile, extraWarnings: inputs.warnings)
    }

    /// True when `text` is a number ≥ 0 of at most `NumberCell.maxDigits` digits (a flag such
    /// as audit's `--tolerance` that is not one is a malformed command line: exit 64).
    public static func isWellFormedNumber(_ text: String) -> Bool {
        if case .success = NumberCell.parse(text.trimmedUnicode) { return true }
        return false
    }

    /// True when `text` is a well-formed number for `--fund-total` / `--land-quota` (else the
    /// command line is malformed: exit 64). A negative number, or one with more digits than
    /// supported, is well-formed: it breaks a data rule, which `load` reports (exit 1, §9).
    ///
    ///     RunRequest.isWellFormedAmount("-5")     // true: "--fund-total: value "-5" is negative" (1)
    ///     RunRequest.isWellFormedAmount("1e6")    // false: not a number (64)
    public static func isWellFormedAmount(_ text: String) -> Bool {
        let trimmed = text.trimmedUnicode
        switch NumberCell.parse(trimmed) {
        case .success, .failure(.negative): return true
        default: return NumberCell.isOverlong(trimmed)
        }
    }

    /// The number of a `--fund-total` / `--land-quota` flag, or the data error it breaks.
    static func flagNumber(_ text: String, flag: String, accepted: String) throws(InputError) -> Rational {
        let trimmed = text.trimmedUnicode
        switch NumberCell.parse(trimmed) {
        case .success(let value):
            return value.rational
        case .failure(.negative):
            throw InputError(file: flag, value: text, problem: "is negative", accepted: accepted)
        case .failure:
            throw InputError(file: flag, value: text, problem: CellReader.malformedProblem(trimmed), accepted: accepted)
        }
    }

    /// The `baseline` scenario of `--fund-total` (元) and `--land-quota`, without reserve.
    static func commandLineScenario(fundTotal: String, landQuota: String?) throws(InputError) -> Scenario {
        let fund = try flagNumber(fundTotal, flag: "--fund-total", accepted: "money in 元 ≥ 0, e.g. 500000000")
        let fen = fund * Rational(100)
        guard fen.isInteger else {
            throw InputError(file: "--fund-total", value: fundTotal, problem: "is not a whole number of fen",
                             accepted: "money in 元 with at most 2 decimals")
        }
        guard fund <= Limits.maxAmountYuan else {
            throw InputError(file: "--fund-total", value: fundTotal, problem: "is out of the supported range",
                             accepted: "at most \(Limits.grouped(Limits.maxAmountYuan.floor)) 元")
        }
        var scenario = Scenario(name: "baseline", fundFen: fen.numerator)
        if let landQuota {
            let accepted = "land in the policy's unit ≥ 0, at most \(Limits.grouped(Limits.maxLand.floor)), e.g. 1234.56"
            let quota = try flagNumber(landQuota, flag: "--land-quota", accepted: accepted)
            guard quota <= Limits.maxLand else {
                throw InputError(file: "--land-quota", value: landQuota, problem: "is out of the supported range",
                                 accepted: accepted)
            }
            scenario.landQuota = quota
            scenario.landQuotaCell = InputError(file: "--land-quota", value: landQuota, problem: "")
        }
        return scenario
    }
}
