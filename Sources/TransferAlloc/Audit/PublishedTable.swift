import BigInt

/// One county of a published allocation table.
public struct PublishedRow: Sendable, Equatable {
    /// 1-based physical line of the record.
    public var line: Int
    /// Empty when the table has no code column (it is then matched by name).
    public var code: String
    /// Empty when the table has no name column.
    public var name: String = ""
    /// The amount in fen, exact (a 万元 table with many decimals may hold a fraction of a fen).
    public var amountFen: Rational
    /// The land quota in m², exact (nil when the table has no land_quota column or the cell is empty).
    public var landM2: Rational?
    /// With components: the published `amount_<name>` of each component column the table has,
    /// in fen (empty cells left out).
    public var componentAmountsFen: [String: Rational] = [:]
}

/// A published allocation table to audit (contract §7): code, amount and optionally land_quota,
/// with the same CSV, encoding and number rules as every input.
///
///     code,amount,land_quota            区划代码,分配金额(万元),用地指标(亩)
///     320505,18942552.54,821.16         320505,1894.255254,821.16
///
/// Headers: `code` (区划代码, 行政区划代码, 代码), `amount` (分配金额, 金额), `land_quota`
/// (用地指标), and optionally `scenario` (方案): when that column is there only the rows of the
/// audited scenario are read, so `allocate`'s own output of several scenarios can be audited as
/// it is. A header may carry its unit in parentheses (`分配金额(万元)`, `用地指标(公顷)`); other
/// columns are ignored.
public struct PublishedTable: Sendable {
    public var file: String
    public var rows: [PublishedRow]
    public var hasLandQuota: Bool
    /// The money unit amounts were read in.
    public var amountUnit: FundUnit
    /// The land unit quotas were read in.
    public var landUnit: LandUnit
    /// The components whose `amount_<name>` column the table has, in the policy's order.
    public var components: [String] = []
    /// No code column: rows are matched with the settlement table by name.
    public var matchedByName: Bool = false
    /// The table's own total (a row named 合计 or 总计 without a code), compared with the
    /// scenario's allocated amount.
    public var totalRow: PublishedRow?
    /// Subtotal rows (小计, 市本级, or a total row with a code): listed, not compared.
    public var uncompared: [PublishedRow] = []
    /// The most decimals an amount cell has: the precision the table was printed to.
    public var amountDecimals: Int = 0

    /// Rows a printed table adds besides its counties, known by their name (spaces ignored:
    /// printed tables write 合　计).
    enum SummaryRow {
        case total, uncompared

        init?(name: String) {
            let word = String(name.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
            switch word {
            case "合计", "总计": self = .total
            case "小计", "市本级": self = .uncompared
            default: return nil
            }
        }
    }

    /// The default tolerance (contract §10.7): half a unit of the table's last decimal place in
    /// its unit, at least 0.01 元. 万元 with two decimals: 50 元.
    public var defaultToleranceFen: Rational {
        let half = Rational(amountUnit.yuan * 100, Rational.powerOfTen(amountDecimals) * 2)
        return max(half, Rational(1))
    }

    enum Column: String, CaseIterable {
        case code, name, amount, landQuota = "land_quota", scenario

        var aliases: [String] {
            switch self {
            case .code: ["code", "区划代码", "行政区划代码", "代码"]
            case .name: ["name", "名称", "地区", "地区名称", "单位", "单位名称"]
            case .amount: ["amount", "分配金额", "金额"]
            case .landQuota: ["land_quota", "用地指标"]
            case .scenario: ["scenario", "方案"]
            }
        }
    }

    /// Splits `分配金额(万元)` into the column and its unit text (nil when the header names none).
    static func column(header: String) -> (column: Column, unit: String?)? {
        var text = SettlementColumn.normalizedHeader(header)
        var unit: String?
        if text.hasSuffix(")"), let open = text.lastIndex(of: "("), open != text.startIndex {
            unit = String(text[text.index(after: open)..<text.index(before: text.endIndex)]).trimmedUnicode
            text = String(text[..<open]).trimmedUnicode
        }
        guard let column = Column.allCases.first(where: { $0.aliases.contains(text) }) else { return nil }
        if unit != nil && (column == .code || column == .name || column == .scenario) { return nil }
        return (column, unit)
    }

    /// Reads a published table.
    ///
    /// - Parameters:
    ///   - unit: the amounts' unit as the caller gives it (nil: the amount header's unit, else 元).
    ///   - unitName: what messages call that choice (the command line: `--unit`).
    ///   - scenario: the audited scenario; rows of other scenarios are skipped when the table
    ///     has a scenario column.
    ///   - scenarioName: what the message for a missing scenario calls the scenario choice.
    ///   - landUnit: the unit of land_quota when its header names none (the policy's).
    /// - Throws: `InputError` naming file, line, column and value: no code or amount column, a
    ///   header unit that is not a unit or contradicts `--unit`, an empty or bad amount, a
    ///   repeated code, no row for the scenario.
    /// - Complexity: O(rows × columns).
    public static func read(bytes: [UInt8], file: String, encoding: TextEncoding? = nil, unit: FundUnit?, unitName: String,
                            scenario: String, scenarioName: String, landUnit: LandUnit,
                            components: [String] = []) throws(InputError) -> PublishedTable {
        try read(CSVReader.read(bytes: bytes, file: file, encoding: encoding), unit: unit, unitName: unitName,
                 scenario: scenario, scenarioName: scenarioName, landUnit: landUnit, components: components)
    }

    /// Reads a published table already read as rows (from CSV or a worksheet); see
    /// `read(bytes:file:encoding:unit:unitName:scenario:scenarioName:landUnit:components:)`.
    public static func read(_ csv: CSVTable, unit: FundUnit?, unitName: String, scenario: String, scenarioName: String,
                            landUnit: LandUnit, components: [String] = []) throws(InputError) -> PublishedTable {
        let file = csv.file
        var columnOf: [Column: Int] = [:]
        var amountUnit = unit
        var quotaUnit = landUnit
        for (index, header) in csv.header.enumerated() {
            guard let (column, unitText) = PublishedTable.column(header: header) else { continue }
            let label = CellReader.columnLabel(index: index, header: header, key: column.rawValue)
            if let first = columnOf[column] {
                throw InputError(file: file, line: csv.headerLine, column: label, value: header,
                                 problem: "names the same column as column \(first + 1) (\(csv.header[first]))",
                                 accepted: "each column once")
            }
            columnOf[column] = index
            guard let unitText else { continue }
            if column == .amount {
                guard let named = FundUnit(word: unitText) else {
                    throw InputError(file: file, line: csv.headerLine, column: label, value: header,
                                     problem: "names the unit \(unitText), which is not a money unit",
                                     accepted: "no unit, or (元), (万元) or (亿元)")
                }
                if let unit, unit != named {
                    throw InputError(file: file, line: csv.headerLine, column: label, value: header,
                                     problem: "says the amounts are in \(named.chineseName), but \(unitName) is \(unit.rawValue)",
                                     accepted: "\(unitName) \(named.rawValue), or no \(unitName)")
                }
                amountUnit = named
            } else if column == .landQuota {
                guard let named = LandUnit(word: unitText) else {
                    throw InputError(file: file, line: csv.headerLine, column: label, value: header,
                                     problem: "names the unit \(unitText), which is not a land unit",
                                     accepted: "no unit (the policy's), or \(LandUnit.acceptedWords)")
                }
                quotaUnit = named
            }
        }
        let codeIndex = columnOf[.code], nameIndex = columnOf[.name]
        guard codeIndex != nil || nameIndex != nil else {
            throw InputError(file: file, line: csv.headerLine, problem: "has no code column and no name column",
                             accepted: "a header row with code (区划代码) or name (名称, 地区), and amount (分配金额)")
        }
        guard let amountIndex = columnOf[.amount] else {
            throw InputError(file: file, line: csv.headerLine, problem: "has no amount column",
                             accepted: "a header row with code (区划代码) and amount (分配金额, in 元 or with \(unitName) wan)")
        }
        let money = amountUnit ?? .yuan
        // amount_<name> of each component, read in the amount's unit (header match as §2.1).
        let componentIndex: [(name: String, index: Int)] = components.compactMap { name in
            let key = SettlementColumn.normalizedHeader("amount_" + name)
            return csv.header.firstIndex { header in
                var text = SettlementColumn.normalizedHeader(header)
                if text.hasSuffix("(元)") || text.hasSuffix("(yuan)") { text = String(text[..<text.lastIndex(of: "(")!]) }
                return text == key
            }.map { (name, $0) }
        }
        var rows: [PublishedRow] = []
        var totalRows: [PublishedRow] = []
        var uncompared: [PublishedRow] = []
        var amountDecimals = 0
        var lineOfKey: [String: Int] = [:]
        for record in csv.records {
            if let index = columnOf[.scenario] {
                let name = record.fields[index].isEmpty ? "baseline" : record.fields[index]
                if name != scenario { continue }
            }
            let cells = CellReader(file: file, header: csv.header, line: record.line, fields: record.fields,
                                   namesCells: csv.sheet != nil)
            let code = codeIndex.map { record.fields[$0] } ?? ""
            let name = nameIndex.map { record.fields[$0] } ?? ""
            let kind = PublishedTable.SummaryRow(name: name)
            if let codeIndex, code.isEmpty, kind == nil {
                throw cells.error(codeIndex, key: "code", problem: "is empty",
                                  accepted: "a code such as 320506, or a total row named 合计 or 总计")
            }
            if codeIndex == nil, name.isEmpty {
                throw cells.error(nameIndex!, key: "name", problem: "is empty", accepted: "the county's name, as in the settlement table")
            }
            if let codeIndex, let invisible = cells.invisibleCharacterError(codeIndex, key: "code", what: "the code") { throw invisible }
            let key = codeIndex != nil ? code : name
            if kind == nil, let earlier = lineOfKey[key] {
                let what = codeIndex != nil ? "code" : "name"
                throw cells.error(codeIndex ?? nameIndex!, key: what, problem: "repeats the \(what) on line \(earlier)",
                                  accepted: "each \(what) once\(columnOf[.scenario] == nil ? "" : " per scenario")")
            }
            guard let amount = try cells.decimal(amountIndex, key: "amount", what: "money in \(money.chineseName)",
                                                 limit: Limits.maxAmountYuan / Rational(money.yuan), maxDecimals: Limits.maxDecimals) else {
                if kind != nil && kind != .total { continue }
                throw cells.error(amountIndex, key: "amount", problem: "is empty", accepted: "the published amount in \(money.chineseName)")
            }
            if case .success(let decimal) = NumberCell.parse(record.fields[amountIndex]) {
                amountDecimals = max(amountDecimals, decimal.scale)
            }
            var land: Rational?
            if let index = columnOf[.landQuota] {
                land = try cells.decimal(index, key: "land_quota", what: "land in \(quotaUnit.chineseName)",
                                         limit: Limits.maxLand, maxDecimals: Limits.maxDecimals).map { $0 * quotaUnit.squareMetres }
            }
            var row = PublishedRow(line: record.line, code: code, name: name, amountFen: amount * Rational(money.yuan * 100), landM2: land)
            for (component, index) in componentIndex {
                if let value = try cells.decimal(index, key: "amount_" + component, what: "money in \(money.chineseName)",
                                                 limit: Limits.maxAmountYuan / Rational(money.yuan), maxDecimals: Limits.maxDecimals) {
                    row.componentAmountsFen[component] = value * Rational(money.yuan * 100)
                }
            }
            switch kind {
            case .total? where code.isEmpty:
                if let first = totalRows.first {
                    throw cells.error(nameIndex!, key: "name", problem: "is a second total row (the first is line \(first.line))",
                                      accepted: "one 合计 or 总计 row")
                }
                totalRows.append(row)
            case .total?, .uncompared?:
                uncompared.append(row)
            case nil:
                lineOfKey[key] = record.line
                rows.append(row)
            }
        }
        if rows.isEmpty {
            throw InputError(file: file, line: csv.headerLine,
                             problem: columnOf[.scenario] == nil ? "is an empty table: it has a header but no rows"
                                                                 : "has no row for scenario \(scenario)",
                             accepted: columnOf[.scenario] == nil ? "one row per county" : "rows whose scenario is \(scenario), or \(scenarioName) naming one the table has")
        }
        var table = PublishedTable(file: file, rows: rows, hasLandQuota: columnOf[.landQuota] != nil,
                                   amountUnit: money, landUnit: quotaUnit, matchedByName: codeIndex == nil,
                                   totalRow: totalRows.first, uncompared: uncompared, amountDecimals: amountDecimals)
        table.components = componentIndex.map(\.name)
        return table
    }
}
