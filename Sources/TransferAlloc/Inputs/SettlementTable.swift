import BigInt

/// One county-level unit of the settlement table (contract §2.1), with every cell read exactly.
public struct SettlementRow: Sendable, Equatable {
    /// 1-based physical line of the record.
    public var line: Int
    public var code: String
    public var name: String
    public var parent: String
    /// The `parent_name` cell (contract §10.5; empty when absent).
    public var parentName: String = ""
    /// The `direct` cell: province-administered (contract §10.5; false when absent).
    public var direct: Bool = false
    /// Current-year settlers per origin column present (or `.settled` when only that is given).
    public var origins: [OriginKind: BigInt] {
        didSet { currentSettlers = SettlementRow.sum(origins) }
    }
    /// The `settled` cell, when that column is present.
    public var settledCell: BigInt?
    /// prior_k at index k−1 (0 where absent); as long as the table's K. For a year given by
    /// origin (contract §10.2) it is the sum of that year's origin columns.
    public var priors: [BigInt]
    /// The settlers of year Y−k per origin column present, at index k−1 (empty for a year with
    /// no origin column); empty when the table has no such column.
    public var priorOrigins: [[OriginKind: BigInt]] = []
    /// Value of each factor column read (contract §10.1), by factor key; empty cell = 0.
    public var factorValues: [String: Rational] = [:]
    public var permitHolders: BigInt
    /// Value of each coefficient column the policy lists (1 when empty or absent).
    public var coefficients: [String: Rational]
    public var prevAmount: Rational?
    public var minAmount: Rational?
    public var maxAmount: Rational?
    public var landPerCapita: Rational?
    public var landExempt: Bool

    /// Per component of the policy, in its order: the component's own bound cells (contract
    /// §10.3); empty without components.
    public var componentAmounts: [ComponentAmounts] = []
    /// What the county already received for the year, in fen (contract §10.4; 0 when the cell
    /// is empty or the table has no `advance` column).
    public var advanceFen: BigInt = 0

    /// Current-year settlers: the sum of the origin columns present, or `settled`. Stored:
    /// every output line and bound reads it.
    public private(set) var currentSettlers: BigInt

    public init(line: Int, code: String, name: String, parent: String, origins: [OriginKind: BigInt],
                settledCell: BigInt?, priors: [BigInt], permitHolders: BigInt, coefficients: [String: Rational],
                prevAmount: Rational?, minAmount: Rational?, maxAmount: Rational?, landPerCapita: Rational?,
                landExempt: Bool, priorOrigins: [[OriginKind: BigInt]] = [], factorValues: [String: Rational] = [:]) {
        self.line = line
        self.code = code
        self.name = name
        self.parent = parent
        self.origins = origins
        self.currentSettlers = SettlementRow.sum(origins)
        self.settledCell = settledCell
        self.priors = priors
        self.permitHolders = permitHolders
        self.coefficients = coefficients
        self.prevAmount = prevAmount
        self.minAmount = minAmount
        self.maxAmount = maxAmount
        self.landPerCapita = landPerCapita
        self.landExempt = landExempt
        self.priorOrigins = priorOrigins
        self.factorValues = factorValues
    }

    private static func sum(_ origins: [OriginKind: BigInt]) -> BigInt { origins.values.reduce(0, +) }
}

/// One component's bound cells of a row: `prev_amount_<name>`, `min_amount_<name>`,
/// `max_amount_<name>` (nil when empty or absent).
public struct ComponentAmounts: Sendable, Equatable {
    public var prevAmount: Rational?
    public var minAmount: Rational?
    public var maxAmount: Rational?

    public init(prevAmount: Rational? = nil, minAmount: Rational? = nil, maxAmount: Rational? = nil) {
        self.prevAmount = prevAmount
        self.minAmount = minAmount
        self.maxAmount = maxAmount
    }
}

/// The settlement table: rows in input order, and which columns it has.
public struct SettlementTable: Sendable {
    public var file: String
    public var encoding: TextEncoding
    /// Line of the header row (errors about missing columns point at it).
    public var headerLine: Int = 1
    public var rows: [SettlementRow]
    /// Origin kinds that feed the settled factor: the origin columns present, else `.settled`.
    public var originKinds: [OriginKind]
    /// K, the largest prior year present (0 when none), among `prior_k` and the origin columns
    /// of prior years.
    public var priorYears: Int
    public var hasPermitHolders: Bool
    public var hasPrevAmount: Bool
    public var hasLandPerCapita: Bool
    public var hasLandExempt: Bool
    /// Coefficient columns the policy lists that the table lacks (they count as 1).
    public var missingCoefficientColumns: [String]
    /// Headers that name no known column (ignored).
    public var unknownHeaders: [String]
    /// How errors name each present column, by key: `5 (现状人均城镇建设用地 = land_per_capita)`.
    public var columnLabels: [String: String] = [:]
    /// The policy's component names the table was read for (empty without components).
    public var components: [String] = []
    /// Per component: whether the table has its `prev_amount_<name>` column.
    public var componentHasPrevAmount: [Bool] = []
    /// Whether the table has an `advance` column (contract §10.4: `release` is written only then).
    public var hasAdvance = false
    /// Whether the table has a `parent` column (two levels need one, contract §10.5).
    public var hasParent = false

    /// The table as component `c` sees it (contract §10.3): each row's prev_amount, min_amount
    /// and max_amount are the component's own columns; warnings about the table stay with the
    /// table itself.
    public func componentView(_ c: Int) -> SettlementTable {
        var view = self
        view.hasPrevAmount = componentHasPrevAmount[c]
        view.hasAdvance = false  // the advance is the county's, not a component's
        view.unknownHeaders = []
        view.missingCoefficientColumns = []
        for i in view.rows.indices {
            let own = view.rows[i].componentAmounts[c]
            view.rows[i].prevAmount = own.prevAmount
            view.rows[i].minAmount = own.minAmount
            view.rows[i].maxAmount = own.maxAmount
        }
        return view
    }
    /// The factor columns the table has, by factor key (those the policy weighs and asked for).
    public var factorColumns: Set<String> = []

    /// The label of a column for error messages (its key when absent).
    public func label(_ key: String) -> String { columnLabels[key] ?? key }

    /// Warnings a user should see on stderr (unknown columns, missing coefficient columns).
    public var warnings: [String] {
        var list: [String] = []
        if !unknownHeaders.isEmpty {
            list.append("\(file): ignoring unknown column(s): \(Limits.shortList(unknownHeaders))")
        }
        for name in missingCoefficientColumns {
            list.append("\(file): the policy lists coefficient column \(name), which the table does not have; it counts as 1 for every row")
        }
        return list
    }

    /// Reads a settlement table.
    ///
    /// - Parameters:
    ///   - bytes: the file's contents.
    ///   - file: the name errors show.
    ///   - encoding: forced encoding, or nil to detect (contract §8).
    ///   - coefficientColumns: the policy's `coefficient_columns` (canonical names).
    ///   - factors: the factors other than settled and permits whose columns are read (those the
    ///     policy weighs > 0: a weight-0 factor's column is not read).
    /// - Throws: `InputError` naming file, line, column and value.
    ///   - components: the policy's component names (their bound columns are read).
    public static func read(bytes: [UInt8], file: String, encoding: TextEncoding? = nil,
                            coefficientColumns: [String], components: [String] = [],
                            factors: [Factor] = []) throws(InputError) -> SettlementTable {
        let csv = try CSVReader.read(bytes: bytes, file: file, encoding: encoding)
        return try parse(csv, coefficientColumns: coefficientColumns, components: components, factors: factors)
    }

    /// Parses a CSV table already read; throws the first problem (the one `problems` would list first).
    ///
    /// - Throws: `InputError` naming file, line, column and value.
    public static func parse(_ csv: CSVTable, coefficientColumns: [String],
                             components: [String] = [], factors: [Factor] = []) throws(InputError) -> SettlementTable {
        var problems: [InputError] = []
        let table = parse(csv, coefficientColumns: coefficientColumns, components: components, factors: factors,
                          problems: &problems)
        if let first = problems.first { throw first }
        return table!
    }

    /// Collecting mode (for `validate`): every problem of the header and of every row is appended
    /// to `problems`, in file order, and reading goes on past each.
    ///
    /// - Returns: the table of the rows without problems, or nil when the header leaves nothing
    ///   to read (no code column, no settler column, no rows).
    /// - Complexity: O(rows × columns).
    public static func parse(_ csv: CSVTable, coefficientColumns: [String], components: [String] = [], factors: [Factor] = [],
                             problems: inout [InputError]) -> SettlementTable? {
        let factors = factors.filter { !$0.isBuiltIn }
        let file = csv.file
        var columnOf: [SettlementColumn: Int] = [:]
        var labels: [String: String] = [:]
        var unknown: [String] = []
        for (index, header) in csv.header.enumerated() {
            guard let column = SettlementColumn(header: header, coefficientColumns: coefficientColumns,
                                                components: components, factors: factors) else {
                unknown.append(header.isEmpty ? "(empty header in column \(index + 1))" : header)
                continue
            }
            let label = CellReader.columnLabel(index: index, header: header, key: column.key)
            // Each row keeps one count per prior year up to the largest named, so a lone
            // `prior_9999` must not make every row carry ten thousand of them.
            if let k = column.priorYear, k > Limits.maxPriorYears {
                problems.append(InputError(file: file, line: csv.headerLine, column: label, value: header,
                                           problem: "names prior year \(k), beyond the \(Limits.maxPriorYears) supported",
                                           accepted: "prior_1 … prior_\(Limits.maxPriorYears) (上年落户人数, 前2年落户人数 …)"))
                continue
            }
            if let first = columnOf[column] {
                problems.append(InputError(file: file, line: csv.headerLine, column: label, value: header,
                                           problem: "names the same column as column \(first + 1) (\(csv.header[first]))",
                                           accepted: "each column once"))
                continue
            }
            if !components.isEmpty, column == .minAmount || column == .maxAmount {
                problems.append(InputError(file: file, line: csv.headerLine, column: label, value: header,
                                           problem: "is a plain \(column.key) column, but the policy has components: it is unclear which component it bounds (an error even when the column is empty)",
                                           accepted: "\(column.key)_<name> for each component (\(components.map { column.key + "_" + $0 }.joined(separator: ", "))), or no \(column.key) column"))
                continue
            }
            columnOf[column] = index
            labels[column.key] = label
        }
        guard let codeIndex = columnOf[.code] else {
            problems.append(InputError(file: file, line: csv.headerLine, problem: "has no code column",
                                       accepted: "a header row with code (区划代码, 行政区划代码 or 代码)"))
            return nil
        }
        let originColumns = SettlementColumn.origins.filter { columnOf[$0] != nil }
        guard !originColumns.isEmpty || columnOf[.settled] != nil else {
            problems.append(InputError(file: file, line: csv.headerLine, problem: "has no settler column",
                                       accepted: "at least one of cross_province, within_province, within_city or settled (跨省落户人数, 省内跨市落户人数, 市内落户人数, 落户人数)"))
            return nil
        }
        guard !csv.records.isEmpty else {
            problems.append(InputError(file: file, line: csv.headerLine, problem: "is an empty table: it has a header but no rows",
                                       accepted: "one row per county-level unit"))
            return nil
        }
        let priorYears = columnOf.keys.reduce(0) { k, column in max(k, column.priorYear ?? 0) }
        let originKinds: [OriginKind] = originColumns.isEmpty ? [.settled] : originColumns.map(\.originKind!)
        let factorKeys = factors.map(\.key).filter { columnOf[.factor($0)] != nil }
        let layout = RowLayout(columnOf: columnOf, codeIndex: codeIndex, originColumns: originColumns,
                               priorYears: priorYears, coefficientColumns: coefficientColumns, components: components,
                               factorKeys: factorKeys)

        var rows: [SettlementRow] = []
        rows.reserveCapacity(csv.records.count)
        var lineOfCode: [String: Int] = [:]
        for record in csv.records {
            let cells = CellReader(file: file, header: csv.header, line: record.line, fields: record.fields,
                                   namesCells: csv.sheet != nil)
            if let row = layout.row(record, cells: cells, lineOfCode: &lineOfCode, problems: &problems) {
                rows.append(row)
            }
        }
        var table = SettlementTable(
            file: file, encoding: csv.encoding, headerLine: csv.headerLine, rows: rows, originKinds: originKinds, priorYears: priorYears,
            hasPermitHolders: columnOf[.permitHolders] != nil, hasPrevAmount: columnOf[.prevAmount] != nil,
            hasLandPerCapita: columnOf[.landPerCapita] != nil, hasLandExempt: columnOf[.landExempt] != nil,
            missingCoefficientColumns: coefficientColumns.filter { columnOf[.coefficient($0)] == nil },
            unknownHeaders: unknown, columnLabels: labels, factorColumns: Set(factorKeys))
        table.components = components
        table.componentHasPrevAmount = components.map { columnOf[.componentAmount(.prevAmount, component: $0)] != nil }
        table.hasAdvance = columnOf[.advance] != nil
        table.hasParent = columnOf[.parent] != nil
        return table
    }
}

/// Where each column of a settlement table is, and how one record becomes a `SettlementRow`.
/// Column positions are looked up once here, not once per row.
private struct RowLayout {
    let codeIndex: Int
    let nameIndex: Int?
    let parentIndex: Int?
    /// The origin columns present, with their positions.
    let origins: [(column: SettlementColumn, kind: OriginKind, index: Int)]
    let settledIndex: Int?
    /// prior_k's position at k − 1 (nil where absent), up to the table's K.
    let priorIndices: [Int?]
    /// `prior_k` at k − 1: the keys errors name, built once.
    let priorKeys: [String]
    /// For each prior year k (at k − 1), its origin columns present with their positions.
    let priorOrigins: [[(kind: OriginKind, key: String, index: Int)]]
    /// The factor columns read: key and position.
    let factors: [(key: String, index: Int)]
    let permitIndex: Int?
    /// The policy's coefficient columns, each with its position (nil when absent: it counts as 1).
    let coefficients: [(name: String, index: Int?)]
    let prevIndex, minIndex, maxIndex, landIndex, exemptIndex, advanceIndex, parentNameIndex, directIndex: Int?
    /// Per component: its bound columns (kind, key, position), the ones present.
    let componentColumns: [[(kind: ComponentAmountKind, key: String, index: Int)]]

    init(columnOf: [SettlementColumn: Int], codeIndex: Int, originColumns: [SettlementColumn], priorYears: Int,
         coefficientColumns: [String], components: [String], factorKeys: [String]) {
        self.codeIndex = codeIndex
        nameIndex = columnOf[.name]
        parentIndex = columnOf[.parent]
        origins = originColumns.map { ($0, $0.originKind!, columnOf[$0]!) }
        settledIndex = columnOf[.settled]
        priorIndices = (0..<priorYears).map { columnOf[.prior($0 + 1)] }
        priorKeys = (0..<priorYears).map { SettlementColumn.prior($0 + 1).key }
        let priorOrigins = (0..<priorYears).map { k in
            [OriginKind.crossProvince, .withinProvince, .withinCity].compactMap { kind in
                columnOf[.priorOrigin(k + 1, kind)].map { (kind, SettlementColumn.priorOrigin(k + 1, kind).key, $0) }
            }
        }
        self.priorOrigins = priorOrigins.contains { !$0.isEmpty } ? priorOrigins : []
        factors = factorKeys.map { ($0, columnOf[.factor($0)]!) }
        permitIndex = columnOf[.permitHolders]
        coefficients = coefficientColumns.map { ($0, columnOf[.coefficient($0)]) }
        prevIndex = columnOf[.prevAmount]
        minIndex = columnOf[.minAmount]
        maxIndex = columnOf[.maxAmount]
        landIndex = columnOf[.landPerCapita]
        exemptIndex = columnOf[.landExempt]
        advanceIndex = columnOf[.advance]
        parentNameIndex = columnOf[.parentName]
        directIndex = columnOf[.direct]
        componentColumns = components.map { name in
            ComponentAmountKind.allCases.compactMap { kind in
                let column = SettlementColumn.componentAmount(kind, component: name)
                return columnOf[column].map { (kind, column.key, $0) }
            }
        }
    }

    /// Reads one record; every problem goes to `problems` (reading goes on past each, so one
    /// row can report several). Nil when the row had a problem.
    func row(_ record: CSVRecord, cells: CellReader, lineOfCode: inout [String: Int],
             problems: inout [InputError]) -> SettlementRow? {
        let before = problems.count
        func read<T>(_ body: () throws(InputError) -> T) -> T? {
            do { return try body() } catch { problems.append(error); return nil }
        }
        let code = record.fields[codeIndex]
        if code.isEmpty {
            problems.append(cells.error(codeIndex, key: "code", problem: "is empty", accepted: "a code such as 320506"))
        } else if let invisible = cells.invisibleCharacterError(codeIndex, key: "code", what: "the code") {
            problems.append(invisible)
        } else if let earlier = lineOfCode.updateValue(record.line, forKey: code) {
            lineOfCode[code] = earlier  // keep the first line, which later repeats name
            problems.append(cells.error(codeIndex, key: "code", problem: "repeats the code on line \(earlier)",
                                        accepted: "each code once"))
        }

        var origins = [OriginKind: BigInt](minimumCapacity: max(origins.count, 1))
        var originsRead = true
        for origin in self.origins {
            if let count = read({ () throws(InputError) in try cells.count(origin.index, key: origin.column.key) }) {
                origins[origin.kind] = count
            } else {
                originsRead = false
            }
        }
        var settledCell: BigInt?
        if let index = settledIndex, let settled = read({ () throws(InputError) in try cells.count(index, key: "settled") }) {
            settledCell = settled
            if self.origins.isEmpty {
                origins[.settled] = settled
            } else if originsRead {
                let sum = origins.values.reduce(0, +)
                if sum != settled {
                    problems.append(cells.error(index, key: "settled",
                                                problem: "differs from the sum of the origin columns (\(self.origins.map(\.column.key).joined(separator: " + ")) = \(sum))",
                                                accepted: "settled equal to that sum (or leave the settled column out)"))
                }
            }
        }
        var priors = Array(repeating: BigInt(word: 0), count: priorIndices.count)
        var priorsRead = true
        for (k, index) in priorIndices.enumerated() {
            if let index {
                if let count = read({ () throws(InputError) in try cells.count(index, key: priorKeys[k]) }) {
                    priors[k] = count
                } else {
                    priorsRead = false
                }
            }
        }
        var priorOrigins: [[OriginKind: BigInt]] = []
        if !self.priorOrigins.isEmpty {
            priorOrigins = Array(repeating: [:], count: priorIndices.count)
            for (k, columns) in self.priorOrigins.enumerated() where !columns.isEmpty {
                var year: [OriginKind: BigInt] = [:]
                var yearRead = true
                for column in columns {
                    if let count = read({ () throws(InputError) in try cells.count(column.index, key: column.key) }) {
                        year[column.kind] = count
                    } else {
                        yearRead = false
                    }
                }
                priorOrigins[k] = year
                let sum = year.values.reduce(0, +)
                // A year given by origin: its total beside them must agree, then is not used.
                if let index = priorIndices[k], yearRead, priorsRead, sum != priors[k] {
                    problems.append(cells.error(index, key: priorKeys[k],
                                                problem: "differs from the sum of that year's origin columns (\(columns.map(\.key).joined(separator: " + ")) = \(sum))",
                                                accepted: "\(priorKeys[k]) equal to that sum (or leave the \(priorKeys[k]) column out)"))
                }
                priors[k] = sum
            }
        }
        var factorValues = [String: Rational](minimumCapacity: factors.count)
        for (key, index) in factors {
            factorValues[key] = read({ () throws(InputError) in
                try cells.decimal(index, key: key, what: "a factor value", limit: Limits.maxFactorValue,
                                  maxDecimals: Limits.maxDecimals)
            }) ?? .zero
        }
        var permits = BigInt(0)
        if let index = permitIndex {
            permits = read({ () throws(InputError) in try cells.count(index, key: "permit_holders") }) ?? 0
        }
        var coefficients = [String: Rational](minimumCapacity: coefficients.count)
        for (name, index) in self.coefficients {
            guard let index else { coefficients[name] = .one; continue }
            coefficients[name] = read({ () throws(InputError) in
                try cells.decimal(index, key: name, what: "a coefficient", limit: Limits.maxCoefficient,
                                  maxDecimals: Limits.maxCoefficientDecimals)
            }) ?? .one
        }
        func decimal(_ index: Int?, _ column: SettlementColumn, what: String, limit: Rational) -> Rational? {
            guard let index else { return nil }
            return read({ () throws(InputError) in
                try cells.decimal(index, key: column.key, what: what, limit: limit, maxDecimals: Limits.maxDecimals)
            }) ?? nil
        }
        let prev = decimal(prevIndex, .prevAmount, what: "an amount in 元", limit: Limits.maxAmountYuan)
        let minAmount = decimal(minIndex, .minAmount, what: "an amount in 元", limit: Limits.maxAmountYuan)
        let maxAmount = decimal(maxIndex, .maxAmount, what: "an amount in 元", limit: Limits.maxAmountYuan)
        let landPerCapita = decimal(landIndex, .landPerCapita, what: "m² per person", limit: Limits.maxLand)
        var componentAmounts: [ComponentAmounts] = []
        for columns in componentColumns {
            var amounts = ComponentAmounts()
            for column in columns {
                let value = read({ () throws(InputError) in
                    try cells.decimal(column.index, key: column.key, what: "an amount in 元", limit: Limits.maxAmountYuan,
                                      maxDecimals: Limits.maxDecimals)
                }) ?? nil
                switch column.kind {
                case .prevAmount: amounts.prevAmount = value
                case .minAmount: amounts.minAmount = value
                case .maxAmount: amounts.maxAmount = value
                }
            }
            componentAmounts.append(amounts)
        }
        var advanceFen = BigInt(0)
        if let index = advanceIndex, let advance = read({ () throws(InputError) in
            try cells.decimal(index, key: "advance", what: "an amount in 元", limit: Limits.maxAmountYuan,
                              maxDecimals: Limits.maxDecimals)
        }) ?? nil {
            let fen = advance * Rational(100)
            if fen.isInteger {
                advanceFen = fen.numerator
            } else {
                problems.append(cells.error(index, key: "advance", problem: "is not a whole number of fen",
                                            accepted: "an amount in 元 ≥ 0 with at most 2 decimals, e.g. 1234.56 (empty = 0)"))
            }
        }
        var exempt = false
        if let index = exemptIndex {
            switch TruthWord.value(record.fields[index]) {
            case true?: exempt = true
            case false?: exempt = false
            case nil:
                problems.append(cells.error(index, key: "land_exempt", problem: "is not a yes/no value",
                                            accepted: "1, true, yes or 是 for an exempt central district; 0, false, no, 否 or empty otherwise"))
            }
        }
        var direct = false
        if let index = directIndex {
            // Checked even without levels, where it has no effect (contract §10.9).
            switch TruthWord.value(record.fields[index]) {
            case let value?: direct = value
            case nil:
                problems.append(cells.error(index, key: "direct", problem: "is not a yes/no value",
                                            accepted: "1, true, yes or 是 for a province-administered county (省直管); 0, false, no, 否 or empty otherwise"))
            }
        }
        guard problems.count == before else { return nil }
        var row = SettlementRow(
            line: record.line, code: code,
            name: nameIndex.map { record.fields[$0] } ?? "",
            parent: parentIndex.map { record.fields[$0] } ?? "",
            origins: origins, settledCell: settledCell, priors: priors, permitHolders: permits,
            coefficients: coefficients, prevAmount: prev, minAmount: minAmount, maxAmount: maxAmount,
            landPerCapita: landPerCapita, landExempt: exempt, priorOrigins: priorOrigins, factorValues: factorValues)
        row.componentAmounts = componentAmounts
        row.advanceFen = advanceFen
        row.parentName = parentNameIndex.map { record.fields[$0] } ?? ""
        row.direct = direct
        return row
    }
}

extension SettlementColumn {
    /// k of a prior-year column (`prior_k` or one of its origin columns), else nil.
    var priorYear: Int? {
        switch self {
        case .prior(let k), .priorOrigin(let k, _): k
        default: nil
        }
    }

    /// The origin kind an origin column feeds.
    var originKind: OriginKind? {
        switch self {
        case .crossProvince: .crossProvince
        case .withinProvince: .withinProvince
        case .withinCity: .withinCity
        case .settled: .settled
        default: nil
        }
    }
}
