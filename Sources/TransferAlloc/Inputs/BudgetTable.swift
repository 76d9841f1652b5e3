import BigInt

/// How a scenario withholds money before allocation.
public enum Reserve: Sendable, Equatable {
    case none
    /// A share of the fund, 0 ≤ r < 1.
    case ratio(Rational)
    /// A fixed amount, in fen.
    case amountFen(BigInt)
}

/// One budget row: a scenario to compute (contract §2.2).
public struct Scenario: Sendable, Equatable {
    public var name: String
    /// Line of the budget row (nil for a scenario built from `--fund-total`).
    public var line: Int?
    public var fundUnit: FundUnit
    /// fund_total converted to fen (a whole number by validation).
    public var fundFen: BigInt
    public var reserve: Reserve
    /// land_quota as written and its unit (nil unit = the policy's).
    public var landQuota: Rational?
    public var landUnit: LandUnit?
    /// Where land_quota was written, so a quota that is not whole in precision units can be
    /// reported at its cell.
    public var landQuotaCell: InputError?

    public init(name: String, line: Int? = nil, fundUnit: FundUnit = .yuan, fundFen: BigInt,
                reserve: Reserve = .none, landQuota: Rational? = nil, landUnit: LandUnit? = nil,
                landQuotaCell: InputError? = nil) {
        self.name = name
        self.line = line
        self.fundUnit = fundUnit
        self.fundFen = fundFen
        self.reserve = reserve
        self.landQuota = landQuota
        self.landUnit = landUnit
        self.landQuotaCell = landQuotaCell
    }
}

/// Budget columns and their Chinese aliases.
enum BudgetColumn: String, CaseIterable {
    case scenario, fundTotal = "fund_total", fundUnit = "fund_unit", reserveRatio = "reserve_ratio"
    case reserveAmount = "reserve_amount", landQuota = "land_quota", landUnit = "land_unit"

    var aliases: [String] {
        switch self {
        case .scenario: ["方案"]
        case .fundTotal: ["资金总额"]
        case .fundUnit: ["资金单位"]
        case .reserveRatio: ["预留比例"]
        case .reserveAmount: ["预留金额"]
        case .landQuota: ["用地指标"]
        case .landUnit: ["用地单位"]
        }
    }

    init?(header: String) {
        let text = SettlementColumn.normalizedHeader(header)
        guard let column = BudgetColumn.allCases.first(where: { $0.rawValue == text || $0.aliases.contains(text) }) else { return nil }
        self = column
    }
}

/// The budget table: one scenario per row, in input order.
public struct BudgetTable: Sendable {
    public var file: String
    public var scenarios: [Scenario]
    public var unknownHeaders: [String]

    public var warnings: [String] {
        unknownHeaders.isEmpty ? [] : ["\(file): ignoring unknown column(s): \(Limits.shortList(unknownHeaders))"]
    }

    /// The scenario names in the file, read before any cell is checked, so an unknown
    /// `--scenario` is reported as a usage error first (contract §9).
    public static func scenarioNames(_ csv: CSVTable) -> [String] {
        guard let index = csv.header.firstIndex(where: { BudgetColumn(header: $0) == .scenario }) else {
            return csv.records.map { _ in "baseline" }
        }
        return csv.records.map { $0.fields[index].isEmpty ? "baseline" : $0.fields[index] }
    }

    /// Parses a CSV table already read; throws the first problem (the one `problems` would list first).
    ///
    /// - Throws: `InputError` naming file, line, column and value.
    public static func parse(_ csv: CSVTable) throws(InputError) -> BudgetTable {
        var problems: [InputError] = []
        let table = parse(csv, problems: &problems)
        if let first = problems.first { throw first }
        return table!
    }

    /// Collecting mode (for `validate`): every problem of the header and of every row is appended
    /// to `problems`, in file order, and reading goes on past each.
    ///
    /// - Returns: the scenarios of the rows without problems, or nil when the header leaves
    ///   nothing to read (no fund_total column, no rows).
    /// - Complexity: O(rows × columns).
    public static func parse(_ csv: CSVTable, problems: inout [InputError]) -> BudgetTable? {
        let file = csv.file
        var columnOf: [BudgetColumn: Int] = [:]
        var unknown: [String] = []
        for (index, header) in csv.header.enumerated() {
            guard let column = BudgetColumn(header: header) else {
                unknown.append(header.isEmpty ? "(empty header in column \(index + 1))" : header)
                continue
            }
            if let first = columnOf[column] {
                problems.append(InputError(file: file, line: csv.headerLine,
                                           column: CellReader.columnLabel(index: index, header: header, key: column.rawValue),
                                           value: header, problem: "names the same column as column \(first + 1) (\(csv.header[first]))",
                                           accepted: "each column once"))
                continue
            }
            columnOf[column] = index
        }
        guard let fundIndex = columnOf[.fundTotal] else {
            problems.append(InputError(file: file, line: csv.headerLine, problem: "has no fund_total column",
                                       accepted: "a header row with fund_total (资金总额)"))
            return nil
        }
        guard !csv.records.isEmpty else {
            problems.append(InputError(file: file, line: csv.headerLine, problem: "is an empty table: it has a header but no rows",
                                       accepted: "one row per budget scenario"))
            return nil
        }
        var scenarios: [Scenario] = []
        var lineOfName: [String: Int] = [:]
        for record in csv.records {
            let cells = CellReader(file: file, header: csv.header, line: record.line, fields: record.fields,
                                   namesCells: csv.sheet != nil)
            if let scenario = scenario(record, cells: cells, columnOf: columnOf, fundIndex: fundIndex,
                                       lineOfName: &lineOfName, problems: &problems) {
                scenarios.append(scenario)
            }
        }
        return BudgetTable(file: file, scenarios: scenarios, unknownHeaders: unknown)
    }

    /// Reads one budget row; every problem goes to `problems` (reading goes on past each, as far
    /// as the cells do not depend on a bad one). Nil when the row had a problem.
    private static func scenario(_ record: CSVRecord, cells: CellReader, columnOf: [BudgetColumn: Int], fundIndex: Int,
                                 lineOfName: inout [String: Int], problems: inout [InputError]) -> Scenario? {
        let before = problems.count
        func read<T>(_ body: () throws(InputError) -> T) -> T? {
            do { return try body() } catch { problems.append(error); return nil }
        }
        func text(_ column: BudgetColumn) -> String { columnOf[column].map { record.fields[$0] } ?? "" }

        let name = text(.scenario).isEmpty ? "baseline" : text(.scenario)
        if let index = columnOf[.scenario], let invisible = cells.invisibleCharacterError(index, key: "scenario", what: "the scenario name") {
            problems.append(invisible)
        }
        if let earlier = lineOfName[name] {
            if let index = columnOf[.scenario] {
                problems.append(cells.error(index, key: "scenario", problem: "repeats the scenario name of line \(earlier)",
                                            accepted: "a unique scenario name per row"))
            } else {
                problems.append(InputError(file: cells.file, line: record.line,
                                           problem: "is a second budget row, but without a scenario column every row is named baseline (as line \(earlier) is)",
                                           accepted: "a scenario (方案) column with a unique name per row"))
            }
        } else {
            lineOfName[name] = record.line
        }

        // A bad unit leaves the amounts of the row unreadable: they are in that unit.
        var unit: FundUnit? = .yuan
        if let index = columnOf[.fundUnit], !record.fields[index].isEmpty {
            unit = FundUnit(word: record.fields[index])
            if unit == nil {
                problems.append(cells.error(index, key: "fund_unit", problem: "is not a money unit",
                                            accepted: "yuan (元), wan (万元) or yi (亿元)"))
            }
        }
        var fundFen: BigInt?
        if record.fields[fundIndex].isEmpty {
            problems.append(cells.error(fundIndex, key: "fund_total", problem: "is empty", accepted: "the money to allocate, a number ≥ 0"))
        } else if let unit {
            fundFen = read { () throws(InputError) in
                let fund = try cells.decimal(fundIndex, key: "fund_total", what: "money in \(unit.chineseName)",
                                             limit: Limits.maxAmountYuan / Rational(unit.yuan), maxDecimals: Limits.maxDecimals)!
                return try wholeFen(fund, unit: unit, cells: cells, index: fundIndex, key: "fund_total")
            }
        }

        let ratioText = text(.reserveRatio), amountText = text(.reserveAmount)
        var reserve = Reserve.none
        if !ratioText.isEmpty && !amountText.isEmpty {
            problems.append(cells.error(columnOf[.reserveAmount]!, key: "reserve_amount",
                                        problem: "is given together with reserve_ratio \(ratioText)",
                                        accepted: "either reserve_ratio or reserve_amount, not both"))
        } else if let index = columnOf[.reserveRatio], !ratioText.isEmpty {
            if let ratio = read({ () throws(InputError) in
                try cells.decimal(index, key: "reserve_ratio", what: "a share", limit: .one, maxDecimals: Limits.maxDecimals)!
            }) {
                if ratio == .one {
                    problems.append(cells.error(index, key: "reserve_ratio", problem: "withholds the whole fund",
                                                accepted: "a share 0 ≤ r < 1, e.g. 0.05"))
                }
                reserve = .ratio(ratio)
            }
        } else if let index = columnOf[.reserveAmount], !amountText.isEmpty, let unit {
            if let fen = read({ () throws(InputError) in
                let amount = try cells.decimal(index, key: "reserve_amount", what: "money in \(unit.chineseName)",
                                               limit: Limits.maxAmountYuan / Rational(unit.yuan), maxDecimals: Limits.maxDecimals)!
                return try wholeFen(amount, unit: unit, cells: cells, index: index, key: "reserve_amount")
            }) {
                if let fundFen, fen > fundFen {
                    problems.append(cells.error(index, key: "reserve_amount", problem: "is more than fund_total",
                                                accepted: "a reserve ≤ fund_total, in the row's fund_unit"))
                }
                reserve = .amountFen(fen)
            }
        }

        var landUnit: LandUnit?
        if let index = columnOf[.landUnit], !record.fields[index].isEmpty {
            landUnit = LandUnit(word: record.fields[index])
            if landUnit == nil {
                problems.append(cells.error(index, key: "land_unit", problem: "is not a land unit",
                                            accepted: "mu (亩), hectare (公顷) or m2 (平方米)"))
            }
        }
        var quota: Rational?
        var quotaCell: InputError?
        if let index = columnOf[.landQuota], !record.fields[index].isEmpty {
            quota = read({ () throws(InputError) in
                try cells.decimal(index, key: "land_quota", what: "land in the row's land_unit",
                                  limit: Limits.maxLand, maxDecimals: Limits.maxDecimals)
            }) ?? nil
            quotaCell = cells.error(index, key: "land_quota", problem: "", accepted: "")
        }
        guard problems.count == before, let unit, let fundFen else { return nil }
        return Scenario(name: name, line: record.line, fundUnit: unit, fundFen: fundFen,
                        reserve: reserve, landQuota: quota, landUnit: landUnit, landQuotaCell: quotaCell)
    }

    static func wholeFen(_ value: Rational, unit: FundUnit, cells: CellReader, index: Int, key: String) throws(InputError) -> BigInt {
        let fen = value * Rational(unit.yuan * 100)
        guard fen.isInteger else {
            throw cells.error(index, key: key, problem: "is not a whole number of fen once converted from \(unit.chineseName)",
                              accepted: "an amount with at most \(2 + (unit.yuan.description.count - 1)) decimals in \(unit.chineseName)")
        }
        return fen.numerator
    }
}
