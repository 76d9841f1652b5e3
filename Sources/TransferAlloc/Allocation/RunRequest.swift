import BigInt

/// A value given directly rather than in a file, with the name messages and reports give it
/// (the command line passes its flag: `NamedValue(name: "--fund-total", text: "500000000")`).
public struct NamedValue: Sendable, Equatable {
    /// What errors name as the value's file, and reports list it under.
    public var name: String
    /// The value as given.
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// A value given directly whose form is wrong (a range without a step, a variant without a
/// name): the message names the value as given and says what is wrong with it.
///
///     MalformedValue(value: NamedValue(name: "--vary", text: "x=1:0:1"),
///                    problem: ": FROM is greater than TO; expected FROM ≤ TO").description
///     // "--vary x=1:0:1: FROM is greater than TO; expected FROM ≤ TO"
public struct MalformedValue: Error, Sendable, Equatable, CustomStringConvertible {
    public var value: NamedValue
    /// What is wrong, as it follows the value in the message (from its first character, a
    /// space or a colon).
    public var problem: String

    public init(value: NamedValue, problem: String) {
        self.value = value
        self.problem = problem
    }

    public var description: String { value.name + " " + value.text + problem }
}

/// A scenario asked for by name that the budget does not have: the caller decides how to say
/// so (the command line names its flag and exits with its usage status).
public struct UnknownScenario: Error, Sendable, Equatable {
    /// Which choice of the request named it.
    public enum Choice: Sendable, Equatable {
        /// The one scenario to compute (`RunRequest.scenario`).
        case only
        /// The scenario others are compared with (what-if).
        case baseline
    }

    public var choice: Choice
    /// The name asked for.
    public var requested: String
    /// Where the scenarios come from: the budget file, or the fund total's name when the one
    /// scenario `baseline` comes from a fund total given directly.
    public var source: String
    /// True when `source` is a fund total given directly (which makes only `baseline`).
    public var isFundTotal: Bool
    /// The scenario names the budget has, in its order.
    public var available: [String]

    public init(_ choice: Choice = .only, requested: String, source: String, isFundTotal: Bool, available: [String]) {
        self.choice = choice
        self.requested = requested
        self.source = source
        self.isFundTotal = isFundTotal
        self.available = available
    }
}

/// Everything `allocate` and the commands built on it read, as bytes and directly given values;
/// the CLI fills it from files and flags, `load` turns it into checked inputs.
public struct RunRequest: Sendable {
    public struct Source: Sendable {
        public var name: String
        public var bytes: [UInt8]
        /// The sheet a workbook reader read from `bytes` (a table input that is an .xlsx file);
        /// nil for a text file, whose bytes are parsed as CSV.
        public var worksheet: Worksheet?

        public init(name: String, bytes: [UInt8], worksheet: Worksheet? = nil) {
            self.name = name
            self.bytes = bytes
            self.worksheet = worksheet
        }

        /// The input as a table: the worksheet's, or the bytes read as CSV (in `encoding`, or
        /// detected). Every table input (settlement, budget, published table) is read here.
        public func table(encoding: TextEncoding?) throws(InputError) -> CSVTable {
            if let worksheet { return try worksheet.table() }
            return try CSVReader.read(bytes: bytes, file: name, encoding: encoding)
        }
    }

    public var settlement: Source
    public var budget: Source?
    public var policy: Source?
    /// Policy settings applied after the policy file, in order.
    public var overrides: PolicyOverrides
    /// The money (元) and land quota (policy unit) of one scenario `baseline` without reserve,
    /// instead of a budget file.
    public var fundTotal: NamedValue?
    public var landQuota: NamedValue?
    public var encoding: TextEncoding?
    /// Compute only this scenario (every row is still read and checked).
    public var scenario: String?
    /// The year whose dated policy versions apply (nil: every version).
    public var year: Int?

    public init(settlement: Source, budget: Source? = nil, policy: Source? = nil, overrides: PolicyOverrides,
                fundTotal: NamedValue? = nil, landQuota: NamedValue? = nil, encoding: TextEncoding? = nil,
                scenario: String? = nil, year: Int? = nil) {
        self.settlement = settlement
        self.budget = budget
        self.policy = policy
        self.overrides = overrides
        self.fundTotal = fundTotal
        self.landQuota = landQuota
        self.encoding = encoding
        self.scenario = scenario
        self.year = year
    }

    /// Where scenario errors point: the budget file, else the fund total's name.
    public var budgetFile: String { budget?.name ?? fundTotal?.name ?? RunRequest.fundTotalColumn }

    /// What a fund total is called when the request has neither a budget nor a fund total.
    static let fundTotalColumn = "fund_total"

    /// Reads and checks every input; computes nothing.
    /// - Parameter extraFactors: factors whose columns the table reads besides those the policy
    ///   weighs (a sweep of a factor's weight reads its column even where the policy weighs it 0).
    /// - Throws: `UnknownScenario` when `scenario` names none the budget has (checked before
    ///   the data), else `InputError`.
    public func load(readingFactors extraFactors: [Factor] = []) throws
        -> (policy: Policy, table: SettlementTable, scenarios: [Scenario], warnings: [String]) {
        var budgetCSV: CSVTable?
        if let budget {
            let csv = try budget.table(encoding: encoding)
            if let scenario, !BudgetTable.scenarioNames(csv).contains(scenario) {
                throw UnknownScenario(requested: scenario, source: budget.name, isFundTotal: false,
                                      available: BudgetTable.scenarioNames(csv))
            }
            budgetCSV = csv
        } else if let scenario, scenario != "baseline" {
            throw UnknownScenario(requested: scenario, source: budgetFile, isFundTotal: true, available: ["baseline"])
        }
        let policy = try PolicyLoader.load(fileBytes: self.policy?.bytes, file: self.policy?.name, overrides: overrides, year: year)
        let table = try SettlementTable.read(settlement, encoding: encoding,
                                             coefficientColumns: policy.money.tableCoefficientColumns,
                                             components: policy.money.components.map(\.name),
                                             factors: Factor.ordered(Set(policy.money.tableFactors + extraFactors)))
        var scenarios: [Scenario]
        var warnings: [String] = []
        if let budgetCSV {
            let budget = try BudgetTable.parse(budgetCSV)
            scenarios = budget.scenarios
            warnings += budget.warnings
            if let scenario { scenarios = scenarios.filter { $0.name == scenario } }
        } else {
            scenarios = [try RunRequest.directScenario(
                fundTotal: fundTotal ?? NamedValue(name: RunRequest.fundTotalColumn, text: ""), landQuota: landQuota)]
        }
        return (policy, table, scenarios, warnings)
    }

    /// Loads and computes.
    public func allocate() throws -> Allocation {
        let inputs = try load()
        return try Allocation(table: inputs.table, scenarios: inputs.scenarios, policy: inputs.policy,
                              budgetFile: budgetFile, extraWarnings: inputs.warnings)
    }

    /// True when `text` is a number ≥ 0 of at most `NumberCell.maxDigits` digits (the command
    /// line treats a tolerance that is not one as malformed).
    public static func isWellFormedNumber(_ text: String) -> Bool {
        if case .success = NumberCell.parse(text.trimmedUnicode) { return true }
        return false
    }

    /// True when `text` is a well-formed number for a fund total or land quota given directly
    /// (the command line treats anything else as malformed). A negative number, or one with
    /// more digits than supported, is well-formed: it breaks a data rule, which `load` reports
    /// (contract §9).
    ///
    ///     RunRequest.isWellFormedAmount("-5")     // true: load reports "value "-5" is negative"
    ///     RunRequest.isWellFormedAmount("1e6")    // false: not a number
    public static func isWellFormedAmount(_ text: String) -> Bool {
        let trimmed = text.trimmedUnicode
        switch NumberCell.parse(trimmed) {
        case .success, .failure(.negative): return true
        default: return NumberCell.isOverlong(trimmed)
        }
    }

    /// The number of a directly given fund total or land quota, or the data error it breaks.
    static func directNumber(_ value: NamedValue, accepted: String) throws(InputError) -> Rational {
        let trimmed = value.text.trimmedUnicode
        switch NumberCell.parse(trimmed) {
        case .success(let number):
            return number.rational
        case .failure(.negative):
            throw InputError(file: value.name, value: value.text, problem: "is negative", accepted: accepted)
        case .failure:
            throw InputError(file: value.name, value: value.text, problem: CellReader.malformedProblem(trimmed),
                             accepted: accepted)
        }
    }

    /// The `baseline` scenario of a fund total (元) and land quota given directly, without reserve.
    static func directScenario(fundTotal: NamedValue, landQuota: NamedValue?) throws(InputError) -> Scenario {
        let fund = try directNumber(fundTotal, accepted: "money in 元 ≥ 0, e.g. 500000000")
        let fen = fund * Rational(100)
        guard fen.isInteger else {
            throw InputError(file: fundTotal.name, value: fundTotal.text, problem: "is not a whole number of fen",
                             accepted: "money in 元 with at most 2 decimals")
        }
        guard fund <= Limits.maxAmountYuan else {
            throw InputError(file: fundTotal.name, value: fundTotal.text, problem: "is out of the supported range",
                             accepted: "at most \(Limits.grouped(Limits.maxAmountYuan.floor)) 元")
        }
        var scenario = Scenario(name: "baseline", fundFen: fen.numerator)
        if let landQuota {
            let accepted = "land in the policy's unit ≥ 0, at most \(Limits.grouped(Limits.maxLand.floor)), e.g. 1234.56"
            let quota = try directNumber(landQuota, accepted: accepted)
            guard quota <= Limits.maxLand else {
                throw InputError(file: landQuota.name, value: landQuota.text, problem: "is out of the supported range",
                                 accepted: accepted)
            }
            scenario.landQuota = quota
            scenario.landQuotaCell = InputError(file: landQuota.name, value: landQuota.text, problem: "")
        }
        return scenario
    }
}
