import BigInt

/// One county-level unit of the settlement table (contract §2.1), with every cell read exactly.
///
/// A large table has a million of these, so a row is compact: its counts are machine words
/// (a count cell is at most 10^12, `Limits.maxCount`), and the cells most tables lack (origins
/// of prior years, factor values, coefficients, amounts, land, components, advance) live in
/// one shared box that a row without them does not have. The properties below read and write
/// that storage as plain values, so the rules see exact integers and rationals as before.
public struct SettlementRow: Sendable, Equatable {
    /// 1-based physical line of the record (at most Int32.max: held in 32 bits).
    public var line: Int {
        get { Int(lineWord) }
        set { lineWord = SettlementRow.lineWord(newValue) }
    }
    public var code: String
    public var name: String
    public var parent: String

    /// The counts of the three origin columns, valid where `Flags.origin(kind)` is set.
    private var originWords: (Int64, Int64, Int64) = (0, 0, 0)
    /// The `settled` cell and the `.settled` origin (the same count when both are set).
    private var settledWord: Int64 = 0
    private var permitWord: Int64 = 0
    private var priorWords: [Int64] = []
    /// The cells a row usually lacks, and every count when one does not fit a word (only a
    /// row built by code can have one: a sum over many counties); nil when all are default.
    private var extras: ExtrasBox?
    /// A line of a file of at most 1 GiB.
    private var lineWord: Int32
    private var flags: Flags = []

    private struct Flags: OptionSet, Sendable, Equatable {
        let rawValue: UInt8
        static let hasSettledCell = Flags(rawValue: 1 << 4)
        static let landExempt = Flags(rawValue: 1 << 5)
        static let direct = Flags(rawValue: 1 << 6)
        /// The counts are in `extras.wide`, not in the words.
        static let wide = Flags(rawValue: 1 << 7)
        static func origin(_ kind: OriginKind) -> Flags { Flags(rawValue: 1 << UInt8(kind.ordinal)) }
    }

    private func originWord(_ kind: OriginKind) -> Int64 {
        switch kind {
        case .crossProvince: originWords.0
        case .withinProvince: originWords.1
        case .withinCity: originWords.2
        case .settled: settledWord
        }
    }

    /// Counts beyond a machine word, exactly.
    private struct WideCounts: Sendable, Equatable {
        var origins: [OriginKind: BigInt]
        var settledCell: BigInt?
        var priors: [BigInt]
        var permitHolders: BigInt
    }

    private struct Extras: Sendable, Equatable {
        var parentName = ""
        var priorOrigins: [[OriginKind: BigInt]] = []
        var factorValues: [String: Rational] = [:]
        var coefficients: [String: Rational] = [:]
        var prevAmount: Rational?
        var minAmount: Rational?
        var maxAmount: Rational?
        var landPerCapita: Rational?
        var componentAmounts: [ComponentAmounts] = []
        var advanceFen = BigInt(word: 0)
        var wide: WideCounts?
        static let empty = Extras()

        /// The cells other than the counts (which `==` compares by value).
        var withoutWide: Extras {
            var copy = self
            copy.wide = nil
            return copy
        }
    }

    /// Immutable, so rows share it freely; a change makes a new one.
    private final class ExtrasBox: Sendable {
        let cells: Extras
        init(_ cells: Extras) { self.cells = cells }
    }

    private var cells: Extras { extras?.cells ?? .empty }

    private mutating func change(_ body: (inout Extras) -> Void) {
        var changed = extras?.cells ?? .empty
        body(&changed)
        extras = changed == .empty ? nil : ExtrasBox(changed)
    }

    /// The `parent_name` cell (contract §10.5; empty when absent).
    public var parentName: String {
        get { extras?.cells.parentName ?? "" }
        set { change { $0.parentName = newValue } }
    }
    /// The `direct` cell: province-administered (contract §10.5; false when absent).
    public var direct: Bool {
        get { flags.contains(.direct) }
        set { if newValue { flags.insert(.direct) } else { flags.remove(.direct) } }
    }
    /// Current-year settlers per origin column present (or `.settled` when only that is given).
    public var origins: [OriginKind: BigInt] {
        get {
            if flags.contains(.wide), let wide = extras?.cells.wide { return wide.origins }
            var origins = [OriginKind: BigInt](minimumCapacity: 1)
            for kind in OriginKind.allCases where flags.contains(.origin(kind)) {
                origins[kind] = BigInt(int64: originWord(kind))
            }
            return origins
        }
        set { setCounts(origins: newValue, settledCell: settledCell, priors: priors, permitHolders: permitHolders) }
    }
    /// The `settled` cell, when that column is present.
    public var settledCell: BigInt? {
        get {
            if flags.contains(.wide), let wide = extras?.cells.wide { return wide.settledCell }
            return flags.contains(.hasSettledCell) ? BigInt(int64: settledWord) : nil
        }
        set { setCounts(origins: origins, settledCell: newValue, priors: priors, permitHolders: permitHolders) }
    }
    /// prior_k at index k−1 (0 where absent); as long as the table's K. For a year given by
    /// origin (contract §10.2) it is the sum of that year's origin columns.
    public var priors: [BigInt] {
        get { flags.contains(.wide) ? extras!.cells.wide!.priors : priorWords.map { BigInt(int64: $0) } }
        set { setCounts(origins: origins, settledCell: settledCell, priors: newValue, permitHolders: permitHolders) }
    }
    /// The settlers of year Y−k per origin column present, at index k−1 (empty for a year with
    /// no origin column); empty when the table has no such column.
    public var priorOrigins: [[OriginKind: BigInt]] {
        get { extras?.cells.priorOrigins ?? [] }
        set { change { $0.priorOrigins = newValue } }
    }
    /// Value of each factor column read (contract §10.1), by factor key; empty cell = 0.
    public var factorValues: [String: Rational] {
        get { extras?.cells.factorValues ?? [:] }
        set { change { $0.factorValues = newValue } }
    }
    public var permitHolders: BigInt {
        get { flags.contains(.wide) ? extras!.cells.wide!.permitHolders : BigInt(int64: permitWord) }
        set { setCounts(origins: origins, settledCell: settledCell, priors: priors, permitHolders: newValue) }
    }
    /// Value of each coefficient cell read, by the policy's column name; a name without a value
    /// (its column absent or its cell empty) counts as 1.
    public var coefficients: [String: Rational] {
        get { extras?.cells.coefficients ?? [:] }
        set { change { $0.coefficients = newValue } }
    }
    public var prevAmount: Rational? {
        get { extras?.cells.prevAmount }
        set { change { $0.prevAmount = newValue } }
    }
    public var minAmount: Rational? {
        get { extras?.cells.minAmount }
        set { change { $0.minAmount = newValue } }
    }
    public var maxAmount: Rational? {
        get { extras?.cells.maxAmount }
        set { change { $0.maxAmount = newValue } }
    }
    public var landPerCapita: Rational? {
        get { extras?.cells.landPerCapita }
        set { change { $0.landPerCapita = newValue } }
    }
    public var landExempt: Bool {
        get { flags.contains(.landExempt) }
        set { if newValue { flags.insert(.landExempt) } else { flags.remove(.landExempt) } }
    }

    /// Per component of the policy, in its order: the component's own bound cells (contract
    /// §10.3); empty without components.
    public var componentAmounts: [ComponentAmounts] {
        get { extras?.cells.componentAmounts ?? [] }
        set { change { $0.componentAmounts = newValue } }
    }
    /// What the county already received for the year, in fen (contract §10.4; 0 when the cell
    /// is empty or the table has no `advance` column).
    public var advanceFen: BigInt {
        get { extras?.cells.advanceFen ?? BigInt(word: 0) }
        set { change { $0.advanceFen = newValue } }
    }

    /// Current-year settlers: the sum of the origin columns present, or `settled`.
    public var currentSettlers: BigInt {
        narrowSettlers.map { BigInt(int64: $0) } ?? origins.values.reduce(BigInt(word: 0), +)
    }

    /// `currentSettlers > 0`, without building the BigInt (checks over a million rows read it).
    public var hasCurrentSettlers: Bool {
        narrowSettlers.map { $0 > 0 } ?? (currentSettlers > BigInt(word: 0))
    }

    /// The current-year settlers summed in words; nil when the counts are held wide or the sum
    /// leaves 64 bits (then the exact sum is taken).
    private var narrowSettlers: Int64? {
        guard !flags.contains(.wide) else { return nil }
        var sum: Int64 = 0
        for kind in OriginKind.allCases where flags.contains(.origin(kind)) {
            let (next, overflow) = sum.addingReportingOverflow(originWord(kind))
            if overflow { return nil }
            sum = next
        }
        return sum
    }

    public init(line: Int, code: String, name: String, parent: String, origins: [OriginKind: BigInt],
                settledCell: BigInt?, priors: [BigInt], permitHolders: BigInt, coefficients: [String: Rational],
                prevAmount: Rational?, minAmount: Rational?, maxAmount: Rational?, landPerCapita: Rational?,
                landExempt: Bool, priorOrigins: [[OriginKind: BigInt]] = [], factorValues: [String: Rational] = [:]) {
        self.init(line: line, code: code, name: name, parent: parent)
        setCounts(origins: origins, settledCell: settledCell, priors: priors, permitHolders: permitHolders)
        self.landExempt = landExempt
        change {
            $0.coefficients = coefficients
            $0.prevAmount = prevAmount
            $0.minAmount = minAmount
            $0.maxAmount = maxAmount
            $0.landPerCapita = landPerCapita
            $0.priorOrigins = priorOrigins
            $0.factorValues = factorValues
        }
    }

    /// A line number as stored: files are at most 1 GiB and sheets 1,048,576 rows, so every line
    /// the readers give fits 32 bits; a caller of the library giving another is told so.
    static func lineWord(_ line: Int) -> Int32 {
        guard let word = Int32(exactly: line) else {
            preconditionFailure("SettlementRow.line \(line) is outside 0…\(Int32.max): a line number of a table the tool can read")
        }
        return word
    }

    /// A row of these cells and no count yet (the table reader fills it in place).
    init(line: Int, code: String, name: String, parent: String) {
        lineWord = SettlementRow.lineWord(line)
        self.code = code
        self.name = name
        self.parent = parent
    }

    /// Stores the counts in words when every one fits, else all of them exactly in `extras`.
    private mutating func setCounts(origins: [OriginKind: BigInt], settledCell: BigInt?, priors: [BigInt],
                                    permitHolders: BigInt) {
        func word(_ value: BigInt) -> Int64? { value.exactInt64 }
        flags = flags.intersection([.landExempt, .direct])
        originWords = (0, 0, 0)
        settledWord = 0
        permitWord = 0
        priorWords = []
        let narrowOrigins = origins.mapValues(word)
        let narrowPriors = priors.map(word)
        // The settled cell and the .settled origin share a word.
        let sharedWord = settledCell == nil || origins[.settled] == nil || settledCell == origins[.settled]
        if sharedWord, narrowOrigins.values.allSatisfy({ $0 != nil }), narrowPriors.allSatisfy({ $0 != nil }),
           let permits = word(permitHolders), settledCell.map(word) != .some(nil) {
            for (kind, count) in narrowOrigins { setOrigin(kind, count!) }
            if let settled = settledCell.flatMap(word) { setSettledCell(settled) }
            priorWords = narrowPriors.map { $0! }
            permitWord = permits
            change { $0.wide = nil }
        } else {
            flags.insert(.wide)
            change { $0.wide = WideCounts(origins: origins, settledCell: settledCell, priors: priors, permitHolders: permitHolders) }
        }
    }

    /// The reader's setters: cells already checked to be at most `Limits.maxCount`.
    mutating func setOrigin(_ kind: OriginKind, _ count: Int64) {
        switch kind {
        case .crossProvince: originWords.0 = count
        case .withinProvince: originWords.1 = count
        case .withinCity: originWords.2 = count
        case .settled: settledWord = count
        }
        flags.insert(.origin(kind))
    }
    mutating func setSettledCell(_ count: Int64) {
        settledWord = count
        flags.insert(.hasSettledCell)
    }
    mutating func setPriorWords(_ counts: [Int64]) { priorWords = counts }
    mutating func setPermitWord(_ count: Int64) { permitWord = count }
    mutating func setExtras(parentName: String, priorOrigins: [[OriginKind: BigInt]], factorValues: [String: Rational],
                            coefficients: [String: Rational], prevAmount: Rational?, minAmount: Rational?,
                            maxAmount: Rational?, landPerCapita: Rational?, componentAmounts: [ComponentAmounts],
                            advanceFen: BigInt) {
        change {
            $0.parentName = parentName
            $0.priorOrigins = priorOrigins
            $0.factorValues = factorValues
            $0.coefficients = coefficients
            $0.prevAmount = prevAmount
            $0.minAmount = minAmount
            $0.maxAmount = maxAmount
            $0.landPerCapita = landPerCapita
            $0.componentAmounts = componentAmounts
            $0.advanceFen = advanceFen
        }
    }

    public static func == (a: SettlementRow, b: SettlementRow) -> Bool {
        a.line == b.line && a.code == b.code && a.name == b.name && a.parent == b.parent
            && a.origins == b.origins && a.settledCell == b.settledCell && a.priors == b.priors
            && a.permitHolders == b.permitHolders && a.landExempt == b.landExempt && a.direct == b.direct
            && a.cells.withoutWide == b.cells.withoutWide
    }
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
        try read(RunRequest.Source(name: file, bytes: bytes), encoding: encoding, coefficientColumns: coefficientColumns,
                 components: components, factors: factors)
    }

    /// Reads a settlement table from an input (see `read(_:encoding:coefficientColumns:components:factors:problems:)`);
    /// throws the first problem.
    public static func read(_ source: RunRequest.Source, encoding: TextEncoding?, coefficientColumns: [String],
                            components: [String] = [], factors: [Factor] = []) throws(InputError) -> SettlementTable {
        var problems: [InputError] = []
        let table = try read(source, encoding: encoding, coefficientColumns: coefficientColumns, components: components,
                             factors: factors, problems: &problems).table
        if let first = problems.first { throw first }
        return table!
    }

    /// Reads a settlement table from an input: a worksheet's rows, or CSV bytes turned into rows
    /// one record at a time (the table of strings is never held, so memory follows the rows).
    /// Collecting mode, like `parse(_:coefficientColumns:components:factors:problems:)`.
    ///
    /// - Returns: the table (nil when the header leaves nothing to read) and how many records
    ///   the input has.
    /// - Throws: the CSV's own errors (encoding, field counts, limits); then nothing is added
    ///   to `problems`.
    public static func read(_ source: RunRequest.Source, encoding: TextEncoding?, coefficientColumns: [String],
                            components: [String] = [], factors: [Factor] = [],
                            problems: inout [InputError]) throws(InputError) -> (table: SettlementTable?, records: Int) {
        if source.worksheet != nil {
            let csv = try source.table(encoding: encoding)
            let table = parse(csv, coefficientColumns: coefficientColumns, components: components, factors: factors,
                              problems: &problems)
            return (table, csv.records.count)
        }
        var builder: Builder?
        var memoryProblem: InputError?
        let chosen = try CSVReader.scan(
            bytes: source.bytes, file: source.name, encoding: encoding,
            header: { line, names in
                var made = Builder(file: source.name, headerLine: line, header: names, namesCells: false,
                                   coefficientColumns: coefficientColumns, components: components, factors: factors)
                if made.layout != nil {
                    // No more rows than the cell limit lets the table have, whatever the count of lines;
                    // checked just before they are taken, so nothing else can take the room between.
                    let expected = max(0, min(nonEmptyLines(source.bytes) - 1, CSVReader.maxCells / max(names.count, 1)))
                    do throws(InputError) {
                        try InputFile.checkMemory(expected * MemoryLayout<SettlementRow>.stride, file: source.name,
                                                  for: "its \(Limits.grouped(.init(expected))) rows")
                    } catch {
                        memoryProblem = error
                        return
                    }
                    made.rows.reserveCapacity(expected)
                }
                builder = made
            },
            record: { builder?.add($0) })
        if let memoryProblem { throw memoryProblem }
        return builder!.finish(encoding: chosen, problems: &problems)
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
        var builder = Builder(file: csv.file, headerLine: csv.headerLine, header: csv.header, namesCells: csv.sheet != nil,
                              coefficientColumns: coefficientColumns, components: components, factors: factors)
        if builder.layout != nil { builder.rows.reserveCapacity(csv.records.count) }
        for record in csv.records { builder.add(record) }
        return builder.finish(encoding: csv.encoding, problems: &problems).table
    }

    /// The number of records in CSV bytes, for a well-formed file: the lines that start outside
    /// quotes with a byte other than a line break (a quote byte 0x22 is never part of a UTF-8 or
    /// GB18030 multi-byte character; `""` flips the state twice). Counted so that the rows are
    /// allocated once (an array grown by doubling holds up to three times the rows while it
    /// grows) and so that notes with line breaks inside quotes do not inflate the memory check.
    static func nonEmptyLines(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var lines = 0
            var atLineStart = true
            var inQuotes = false
            for byte in buffer {
                let isBreak = byte == 0x0A || byte == 0x0D
                if atLineStart && !isBreak && !inQuotes { lines += 1 }
                if byte == 0x22 { inQuotes.toggle() }
                atLineStart = isBreak
            }
            return lines
        }
    }

    /// A table being read: the header is matched to columns once, then each record becomes a
    /// row as it comes, and its strings are dropped.
    private struct Builder {
        let file: String
        let headerLine: Int
        let header: [String]
        let namesCells: Bool
        let coefficientColumns: [String]
        let components: [String]
        /// Problems found so far, in file order (handed over by `finish`).
        var problems: [InputError] = []
        /// Nil when the header has no code or no settler column (nothing more is read).
        var layout: RowLayout?
        var rows: [SettlementRow] = []
        var records = 0
        /// The codes read, to name the first line of a repeated one.
        var codes = CodeIndex()
        /// Code and line of each record with a problem whose code is new (its code still
        /// counts for the records after it).
        var rejected: [(code: String, line: Int)] = []
        var columnOf: [SettlementColumn: Int] = [:]
        var labels: [String: String] = [:]
        var unknown: [String] = []
        var originKinds: [OriginKind] = []
        var priorYears = 0
        var factorKeys: [String] = []

        init(file: String, headerLine: Int, header: [String], namesCells: Bool, coefficientColumns: [String],
             components: [String], factors: [Factor]) {
            self.file = file
            self.headerLine = headerLine
            self.header = header
            self.namesCells = namesCells
            self.coefficientColumns = coefficientColumns
            self.components = components
            readHeader(factors: factors)
        }

        private mutating func readHeader(factors: [Factor]) {
            let factors = factors.filter { !$0.isBuiltIn }
            for (index, name) in header.enumerated() {
                guard let column = SettlementColumn(header: name, coefficientColumns: coefficientColumns,
                                                    components: components, factors: factors) else {
                    unknown.append(name.isEmpty ? "(empty header in column \(index + 1))" : name)
                    continue
                }
                let label = CellReader.columnLabel(index: index, header: name, key: column.key)
                // Each row keeps one count per prior year up to the largest named, so a lone
                // `prior_9999` must not make every row carry ten thousand of them.
                if let k = column.priorYear, k > Limits.maxPriorYears {
                    problems.append(InputError(file: file, line: headerLine, column: label, value: name,
                                               problem: "names prior year \(k), beyond the \(Limits.maxPriorYears) supported",
                                               accepted: "prior_1 … prior_\(Limits.maxPriorYears) (上年落户人数, 前2年落户人数 …)"))
                    continue
                }
                if let first = columnOf[column] {
                    problems.append(InputError(file: file, line: headerLine, column: label, value: name,
                                               problem: "names the same column as column \(first + 1) (\(header[first]))",
                                               accepted: "each column once"))
                    continue
                }
                if !components.isEmpty, column == .minAmount || column == .maxAmount {
                    problems.append(InputError(file: file, line: headerLine, column: label, value: name,
                                               problem: "is a plain \(column.key) column, but the policy has components: it is unclear which component it bounds (an error even when the column is empty)",
                                               accepted: "\(column.key)_<name> for each component (\(components.map { column.key + "_" + $0 }.joined(separator: ", "))), or no \(column.key) column"))
                    continue
                }
                columnOf[column] = index
                labels[column.key] = label
            }
            guard let codeIndex = columnOf[.code] else {
                problems.append(InputError(file: file, line: headerLine, problem: "has no code column",
                                           accepted: "a header row with code (区划代码, 行政区划代码 or 代码)"))
                return
            }
            let originColumns = SettlementColumn.origins.filter { columnOf[$0] != nil }
            guard !originColumns.isEmpty || columnOf[.settled] != nil else {
                problems.append(InputError(file: file, line: headerLine, problem: "has no settler column",
                                           accepted: "at least one of cross_province, within_province, within_city or settled (跨省落户人数, 省内跨市落户人数, 市内落户人数, 落户人数)"))
                return
            }
            priorYears = columnOf.keys.reduce(0) { k, column in max(k, column.priorYear ?? 0) }
            originKinds = originColumns.isEmpty ? [.settled] : originColumns.map(\.originKind!)
            factorKeys = factors.map(\.key).filter { columnOf[.factor($0)] != nil }
            layout = RowLayout(columnOf: columnOf, codeIndex: codeIndex, originColumns: originColumns,
                               priorYears: priorYears, coefficientColumns: coefficientColumns, components: components,
                               factorKeys: factorKeys)
        }

        mutating func add(_ record: CSVRecord) {
            records += 1
            guard let layout else { return }
            let cells = CellReader(file: file, header: header, line: record.line, fields: record.fields, namesCells: namesCells)
            let code = record.fields[layout.codeIndex]
            codes.makeRoomForOne()
            let probe = codes.find(code) { $0 >= 0 ? (rows[$0].code, rows[$0].line) : rejected[-1 - $0] }
            var isNewCode = false
            if let row = layout.row(record, cells: cells, earlierLine: probe.line, isNewCode: &isNewCode,
                                    problems: &problems) {
                if isNewCode { codes.insert(probe, position: rows.count) }
                rows.append(row)
            } else if isNewCode {
                codes.insert(probe, position: -1 - rejected.count)
                rejected.append((code, record.line))
            }
        }

        /// The table, with every problem appended to `problems`.
        mutating func finish(encoding: TextEncoding, problems all: inout [InputError]) -> (table: SettlementTable?, records: Int) {
            defer { all += problems }
            guard layout != nil else { return (nil, records) }
            guard records > 0 else {
                problems.append(InputError(file: file, line: headerLine, problem: "is an empty table: it has a header but no rows",
                                           accepted: "one row per county-level unit"))
                return (nil, records)
            }
            codes = CodeIndex()
            var table = SettlementTable(
                file: file, encoding: encoding, headerLine: headerLine, rows: rows, originKinds: originKinds, priorYears: priorYears,
                hasPermitHolders: columnOf[.permitHolders] != nil, hasPrevAmount: columnOf[.prevAmount] != nil,
                hasLandPerCapita: columnOf[.landPerCapita] != nil, hasLandExempt: columnOf[.landExempt] != nil,
                missingCoefficientColumns: coefficientColumns.filter { columnOf[.coefficient($0)] == nil },
                unknownHeaders: unknown, columnLabels: labels, factorColumns: Set(factorKeys))
            rows = []
            table.components = components
            table.componentHasPrevAmount = components.map { columnOf[.componentAmount(.prevAmount, component: $0)] != nil }
            table.hasAdvance = columnOf[.advance] != nil
            table.hasParent = columnOf[.parent] != nil
            return (table, records)
        }
    }
}

/// The codes of a table read so far, to find a repeated one: an open-addressing table of 8
/// bytes a code (part of its hash, and a position the reader resolves to the code and its
/// line), where a dictionary of the strings and lines takes about 50.
struct CodeIndex {
    private var hashes: [UInt32] = []
    /// The reader's position of the code in each slot; `empty` for a free slot.
    private var positions: [Int32] = []
    private var count = 0
    private static let empty = Int32.min

    /// Where a code was found, or the free slot it goes to.
    struct Probe {
        /// The line of the code's first record; nil when the code is new.
        let line: Int?
        fileprivate let slot: Int
        fileprivate let hash: UInt32
    }

    /// Grows the table (at three quarters full) so that one more code fits.
    mutating func makeRoomForOne() {
        guard (count + 1) * 4 > positions.count * 3 else { return }
        let capacity = max(16, positions.count * 2)
        var hashes = [UInt32](repeating: 0, count: capacity)
        var positions = [Int32](repeating: CodeIndex.empty, count: capacity)
        for slot in self.positions.indices where self.positions[slot] != CodeIndex.empty {
            var i = Int(self.hashes[slot]) & (capacity - 1)
            while positions[i] != CodeIndex.empty { i = (i + 1) & (capacity - 1) }
            hashes[i] = self.hashes[slot]
            positions[i] = self.positions[slot]
        }
        self.hashes = hashes
        self.positions = positions
    }

    /// - Parameter entry: the code and line at a position given to `insert`.
    /// - Precondition: `makeRoomForOne()` was called since the last insert.
    func find(_ code: String, entry: (Int) -> (code: String, line: Int)) -> Probe {
        let hash = UInt32(truncatingIfNeeded: code.hashValue)
        let mask = positions.count - 1
        var i = Int(hash) & mask
        while positions[i] != CodeIndex.empty {
            if hashes[i] == hash {
                let known = entry(Int(positions[i]))
                if known.code == code { return Probe(line: known.line, slot: i, hash: hash) }
            }
            i = (i + 1) & mask
        }
        return Probe(line: nil, slot: i, hash: hash)
    }

    /// Records a new code (`probe.line == nil`) at the reader's `position`.
    mutating func insert(_ probe: Probe, position: Int) {
        hashes[probe.slot] = probe.hash
        positions[probe.slot] = Int32(position)
        count += 1
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
    /// - Parameters:
    ///   - earlierLine: the line of an earlier record with this record's code, if any.
    ///   - isNewCode: set to true when the code is one later records must not repeat.
    func row(_ record: CSVRecord, cells: CellReader, earlierLine: Int?, isNewCode: inout Bool,
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
        } else if let earlier = earlierLine {
            problems.append(cells.error(codeIndex, key: "code", problem: "repeats the code on line \(earlier)",
                                        accepted: "each code once"))
        } else {
            isNewCode = true
        }

        // Every count read is 0…Limits.maxCount (10^12), so it and a sum of a few are words.
        func word(_ count: BigInt) -> Int64 { count.exactInt64! }
        var originCounts: [(kind: OriginKind, count: Int64)] = []
        originCounts.reserveCapacity(self.origins.count)
        var originsRead = true
        for origin in self.origins {
            if let count = read({ () throws(InputError) in try cells.count(origin.index, key: origin.column.key) }) {
                originCounts.append((origin.kind, word(count)))
            } else {
                originsRead = false
            }
        }
        var settledCell: Int64?
        if let index = settledIndex, let settled = read({ () throws(InputError) in try cells.count(index, key: "settled") }) {
            settledCell = word(settled)
            if self.origins.isEmpty {
                originCounts.append((.settled, word(settled)))
            } else if originsRead {
                let sum = originCounts.reduce(0) { $0 + $1.count }
                if sum != word(settled) {
                    problems.append(cells.error(index, key: "settled",
                                                problem: "differs from the sum of the origin columns (\(self.origins.map(\.column.key).joined(separator: " + ")) = \(sum))",
                                                accepted: "settled equal to that sum (or leave the settled column out)"))
                }
            }
        }
        var priors = Array(repeating: Int64(0), count: priorIndices.count)
        var priorsRead = true
        for (k, index) in priorIndices.enumerated() {
            if let index {
                if let count = read({ () throws(InputError) in try cells.count(index, key: priorKeys[k]) }) {
                    priors[k] = word(count)
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
                let sum = year.values.reduce(0) { $0 + word($1) }
                // A year given by origin: its total beside them must agree, then is not used.
                if let index = priorIndices[k], yearRead, priorsRead, sum != priors[k] {
                    problems.append(cells.error(index, key: priorKeys[k],
                                                problem: "differs from the sum of that year's origin columns (\(columns.map(\.key).joined(separator: " + ")) = \(sum))",
                                                accepted: "\(priorKeys[k]) equal to that sum (or leave the \(priorKeys[k]) column out)"))
                }
                priors[k] = sum
            }
        }
        var factorValues: [String: Rational] = [:]
        for (key, index) in factors {
            factorValues[key] = read({ () throws(InputError) in
                try cells.decimal(index, key: key, what: "a factor value", limit: Limits.maxFactorValue,
                                  maxDecimals: Limits.maxDecimals)
            }) ?? .zero
        }
        var permits: Int64 = 0
        if let index = permitIndex {
            permits = read({ () throws(InputError) in try cells.count(index, key: "permit_holders") }).map(word) ?? 0
        }
        // Only the cells given: a name without a value counts as 1 wherever it is read.
        var coefficients: [String: Rational] = [:]
        for (name, index) in self.coefficients {
            guard let index else { continue }
            if let value = read({ () throws(InputError) in
                try cells.decimal(index, key: name, what: "a coefficient", limit: Limits.maxCoefficient,
                                  maxDecimals: Limits.maxCoefficientDecimals)
            }) ?? nil {
                coefficients[name] = value
            }
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
        var row = SettlementRow(line: record.line, code: code, name: nameIndex.map { record.fields[$0] } ?? "",
                                parent: parentIndex.map { record.fields[$0] } ?? "")
        for (kind, count) in originCounts { row.setOrigin(kind, count) }
        if let settledCell { row.setSettledCell(settledCell) }
        row.setPriorWords(priors)
        row.setPermitWord(permits)
        row.landExempt = exempt
        row.direct = direct
        let parentName = parentNameIndex.map { record.fields[$0] } ?? ""
        // Set only when there is something to keep: a row without these cells has no box.
        if !priorOrigins.isEmpty || !factorValues.isEmpty || !coefficients.isEmpty || prev != nil || minAmount != nil
            || maxAmount != nil || landPerCapita != nil || !componentAmounts.isEmpty || !advanceFen.isZero || !parentName.isEmpty {
            row.setExtras(parentName: parentName, priorOrigins: priorOrigins, factorValues: factorValues,
                          coefficients: coefficients, prevAmount: prev, minAmount: minAmount, maxAmount: maxAmount,
                          landPerCapita: landPerCapita, componentAmounts: componentAmounts, advanceFen: advanceFen)
        }
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
