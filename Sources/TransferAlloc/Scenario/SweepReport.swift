import BigInt

/// The output of `sweep`: the long table (one row per value per county) and the per-county
/// summary (first, last, smallest and largest amount, range, elasticity).
///
/// Elasticity is the arc (midpoint) elasticity between the first value v₁ and the last v₂:
///
///     E = ((a₂ − a₁) / (a₂ + a₁)) / ((v₂ − v₁) / (v₂ + v₁))
///
/// computed exactly and printed with 6 decimals (half up); empty when it is undefined: one
/// value only, a₁ + a₂ = 0, or v₁ + v₂ = 0. Example: amounts 100.00 → 120.00 元 while the
/// weight goes 0.5 → 0.7 gives (20/220)/(0.2/1.2) = 0.545455.
public struct SweepReport: Sendable {
    public let sweep: Sweep
    public let language: ReportLanguage
    /// The unit of money in the formats people read (text, Markdown); CSV and JSON keep 元.
    public let moneyUnit: MoneyUnit

    public init(_ sweep: Sweep, language: ReportLanguage = .en, moneyUnit: MoneyUnit = .yuan) {
        self.sweep = sweep
        self.language = language
        self.moneyUnit = moneyUnit
    }

    public static let elasticityDecimals = 6

    var zh: Bool { language == .zh }
    var hasLand: Bool { sweep.landUnits != nil }
    var landUnitName: String { sweep.policy.land.unit.chineseName }

    /// The long table's columns: the varied value (headed by its path), code, name, amount,
    /// bound, and for a land value the land quota.
    public var columns: [ReportColumn] {
        let path = sweep.range.path
        var columns = [
            ReportColumn(path, path == "fund_total" ? "资金总额(元)" : path),
            ReportColumn("code", "区划代码", isText: true),
            ReportColumn("name", "名称", isText: true),
            ReportColumn("amount", "分配金额(元)"),
            ReportColumn("bound", "约束", isText: true),
        ]
        if hasLand { columns.append(ReportColumn("land_quota", "用地指标(\(landUnitName))")) }
        return columns
    }

    public var summaryColumns: [ReportColumn] {
        var columns = [
            ReportColumn("code", "区划代码", isText: true),
            ReportColumn("name", "名称", isText: true),
            ReportColumn("amount_first", "首值金额(元)"),
            ReportColumn("amount_last", "末值金额(元)"),
            ReportColumn("amount_min", "最低金额(元)"),
            ReportColumn("amount_max", "最高金额(元)"),
            ReportColumn("amount_range", "金额极差(元)"),
            ReportColumn("elasticity", "弹性"),
        ]
        if hasLand {
            let unit = landUnitName
            columns += [
                ReportColumn("land_first", "首值用地(\(unit))"),
                ReportColumn("land_last", "末值用地(\(unit))"),
                ReportColumn("land_min", "最低用地(\(unit))"),
                ReportColumn("land_max", "最高用地(\(unit))"),
                ReportColumn("land_elasticity", "用地弹性"),
            ]
        }
        return columns
    }

    func valueText(_ k: Int) -> String { sweep.values[k].plainText }

    func boundText(_ bound: BoundKind) -> String { zh ? bound.chineseName : bound.rawValue }

    /// Land of county i at value k as an exact amount of the policy's unit.
    func land(value k: Int, county i: Int) -> Rational {
        Rational(BigInt(sweep.landUnits![k * sweep.countyCount + i]), BigInt(10).power(sweep.landDecimals![k]))
    }

    /// Decimals the land summary prints: the most any value uses.
    var summaryLandDecimals: Int { sweep.landDecimals?.max() ?? 0 }

    /// The cells of one long-table row (the reference the fast CSV writer is tested against).
    public func rowCells(value k: Int, county i: Int) -> [String] {
        let row = sweep.table.rows[i]
        var cells = [valueText(k), row.code, row.name,
                     Rational.yuan(BigInt(sweep.amountFen(value: k, county: i))),
                     boundText(sweep.bound(value: k, county: i))]
        if hasLand {
            cells.append(Rational.fixedPoint(BigInt(sweep.landUnits![k * sweep.countyCount + i]), places: sweep.landDecimals![k]))
        }
        return cells
    }

    /// Arc elasticity between the first and last value, nil when undefined.
    public static func arcElasticity(first a1: Rational, last a2: Rational, from v1: Rational, to v2: Rational) -> Rational? {
        let valueSum = v1 + v2, amountSum = a1 + a2
        guard v1 != v2, !valueSum.isZero, !amountSum.isZero else { return nil }
        return (a2 - a1) * valueSum / (amountSum * (v2 - v1))
    }

    /// County i's amount elasticity to the varied value.
    public func elasticity(county i: Int) -> Rational? {
        let last = sweep.values.count - 1
        return SweepReport.arcElasticity(first: Rational(BigInt(sweep.amountFen(value: 0, county: i))),
                                         last: Rational(BigInt(sweep.amountFen(value: last, county: i))),
                                         from: sweep.values[0], to: sweep.values[last])
    }

    public func landElasticity(county i: Int) -> Rational? {
        let last = sweep.values.count - 1
        return SweepReport.arcElasticity(first: land(value: 0, county: i), last: land(value: last, county: i),
                                         from: sweep.values[0], to: sweep.values[last])
    }

    /// One county's summary cells, in `summaryColumns` order.
    public func summaryCells(county i: Int) -> [String] {
        let row = sweep.table.rows[i]
        let count = sweep.values.count
        var low = Int64.max, high = Int64.min
        for k in 0..<count {
            let fen = sweep.amountFen(value: k, county: i)
            low = min(low, fen)
            high = max(high, fen)
        }
        let yuan = { (fen: Int64) in Rational.yuan(BigInt(fen)) }
        var cells = [row.code, row.name, yuan(sweep.amountFen(value: 0, county: i)),
                     yuan(sweep.amountFen(value: count - 1, county: i)), yuan(low), yuan(high), yuan(high - low),
                     elasticity(county: i)?.decimalString(places: SweepReport.elasticityDecimals) ?? ""]
        if hasLand {
            let lands = (0..<count).map { land(value: $0, county: i) }
            let places = summaryLandDecimals
            cells += [lands[0], lands[count - 1], lands.min()!, lands.max()!].map { $0.decimalString(places: places) }
            cells.append(landElasticity(county: i)?.decimalString(places: SweepReport.elasticityDecimals) ?? "")
        }
        return cells
    }

    public var summaryTable: ReportTable {
        ReportTable(columns: summaryColumns, rows: sweep.table.rows.indices.map(summaryCells(county:)))
    }

    public func summaryCSV(excel: Bool) -> String { summaryTable.csv(language: language, excel: excel) }

    /// The long table whole, one row per value per county (`rowCells`); for a workbook, whose
    /// sheet is written at once. The CSV output streams it instead (`writeLongCSV`).
    public var longTable: ReportTable {
        var table = ReportTable(columns: columns)
        table.rows.reserveCapacity(sweep.values.count * sweep.countyCount)
        for k in sweep.values.indices {
            for i in 0..<sweep.countyCount { table.rows.append(rowCells(value: k, county: i)) }
        }
        return table
    }

    // MARK: Long CSV, fast

    /// The long table as CSV bytes, byte for byte what `ReportTable.csv` would write for
    /// `rowCells` (the tests check this), without building a string per cell: per-county text
    /// is quoted once and amounts are printed from integers.
    ///
    /// - Complexity: O(values · counties) with a few byte appends per row.
    public func longCSV(excel: Bool) -> [UInt8] {
        var out: [UInt8] = []
        writeLongCSV(excel: excel) { chunk in out.append(contentsOf: chunk) }
        return out
    }

    /// The long table in pieces, one per swept value (plus the header first), so that a table
    /// of a hundred megabytes is written without ever being held whole.
    ///
    /// - Parameter write: receives each piece in order; its error stops the writing.
    /// - Complexity: O(values × counties) time; memory O(counties) for one piece.
    public func writeLongCSV<E: Error>(excel: Bool, to write: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        let newline: [UInt8] = excel ? [13, 10] : [10]
        let countyCount = sweep.countyCount
        var header: [UInt8] = excel ? [0xEF, 0xBB, 0xBF] : []
        header += Array(columns.map { ReportTable.quoteCSV(ReportTable.guardFormula($0.header(language))) }
            .joined(separator: ",").utf8)
        header += newline
        let texts = columns.prefix(3).map(\.isText)
        let counties: [[UInt8]] = sweep.table.rows.map { row in
            [row.code, row.name].enumerated().map { index, text in
                ReportTable.quoteCSV(texts[index + 1] ? ReportTable.guardFormula(text) : text)
            }.joined(separator: ",").utf8.map { $0 }
        }
        let boundBytes: [[UInt8]] = BoundKind.allCases.map { Array(ReportTable.quoteCSV(boundText($0)).utf8) }
        func boundIndex(_ bound: BoundKind) -> Int {
            switch bound {
            case .none: 0
            case .floor: 1
            case .cap: 2
            }
        }
        precondition(BoundKind.allCases == [.none, .floor, .cap])
        let values = sweep.values.indices.map { Array(ReportTable.quoteCSV(valueText($0)).utf8) }
        // An upper bound on one value's piece, so it is written into one allocation: per row the
        // value, the county, 2 numbers of at most 21 bytes, the longest bound label, separators.
        let countyBytes = counties.reduce(0) { $0 + $1.count }
        let longestValue = values.reduce(0) { Swift.max($0, $1.count) }
        let longestBound = boundBytes.reduce(0) { Swift.max($0, $1.count) }
        let perRowFixed = longestValue + 2 * 21 + longestBound + 4 + newline.count
        let capacity = countyBytes + countyCount * perRowFixed
        try header.withBytes { (raw) throws(E) in try write(raw) }
        var piece = [UInt8](repeating: 0, count: capacity)
        for k in sweep.values.indices {
            let length = piece.withUnsafeMutableBufferPointer { buffer -> Int in
                var at = 0
                func put(_ bytes: [UInt8]) {
                    bytes.withUnsafeBufferPointer { source in
                        UnsafeMutableRawPointer(buffer.baseAddress! + at).copyMemory(from: source.baseAddress!, byteCount: source.count)
                    }
                    at += bytes.count
                }
                let base = k * countyCount
                let landPlaces = sweep.landDecimals?[k] ?? 0
                for i in 0..<countyCount {
                    put(values[k])
                    buffer[at] = 44; at += 1
                    put(counties[i])
                    buffer[at] = 44; at += 1
                    at = SweepReport.writeFixedPoint(sweep.amountsFen[base + i], places: 2, into: buffer, at: at)
                    buffer[at] = 44; at += 1
                    put(boundBytes[boundIndex(sweep.bounds[base + i])])
                    if let land = sweep.landUnits {
                        buffer[at] = 44; at += 1
                        at = SweepReport.writeFixedPoint(land[base + i], places: landPlaces, into: buffer, at: at)
                    }
                    put(newline)
                }
                return at
            }
            try piece.withBytes { (raw) throws(E) in try write(UnsafeRawBufferPointer(rebasing: raw[..<length])) }
        }
    }

    /// Writes `value / 10^places` as `Rational.fixedPoint` prints it at `at`; returns the index
    /// after it (at most 21 bytes for places ≤ 18).
    static func writeFixedPoint(_ value: Int64, places: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        FixedPointText.write(magnitude: UInt128(value.magnitude), negative: value < 0, places: places, into: buffer, at: start)
    }

    // MARK: JSON and Markdown

    /// JSON is for programs: always English keys and labels, whatever `--lang` says (as `allocate`).
    public var json: String {
        guard language == .en else { return SweepReport(sweep, language: .en).json }
        let path = sweep.range.path
        var counties: [JSONOutput] = []
        let summaryKeys = summaryColumns.map(\.key)
        for i in sweep.table.rows.indices {
            counties.append(.object(zip(summaryKeys, summaryCells(county: i)).map { key, value in
                (key, value.isEmpty && key != "name" && key != "code" ? .null : .string(value))
            }))
        }
        let keys = ["value"] + columns.dropFirst().map(\.key)
        var rows: [JSONOutput] = []
        rows.reserveCapacity(sweep.values.count * sweep.countyCount)
        for k in sweep.values.indices {
            for i in 0..<sweep.countyCount {
                rows.append(.object(zip(keys, rowCells(value: k, county: i)).map { ($0, .string($1)) }))
            }
        }
        let policy = AllocationReport.policyJSON(sweep.policy)
        return JSONOutput.object([
            ("policy", policy),
            ("scenario", .string(sweep.scenario.name)),
            ("vary", .object([
                ("path", .string(path)),
                ("from", .string(sweep.range.from.plainText)),
                ("to", .string(sweep.range.to.plainText)),
                ("step", .string(sweep.range.step.plainText)),
                ("count", .string(String(sweep.values.count))),
            ])),
            ("values", .array(sweep.values.map { .string($0.plainText) })),
            ("counties", .array(counties)),
            ("rows", .array(rows)),
        ]).rendered()
    }

    /// The scenario and the varied value, as the reader's formats introduce the tables.
    func headerItems() -> [(term: String, value: String)] {
        let r = sweep.range
        return [
            (zh ? "方案" : "Scenario", ReportTable.guardFormula(sweep.scenario.name)),
            (zh ? "变动参数" : "Varied", "\(r.path) = \(r.from.plainText) … \(r.to.plainText)" + (zh ? "，步长 " : ", step ") + r.step.plainText
                + (zh ? "（\(sweep.values.count) 个取值）" : " (\(sweep.values.count) values)")),
        ]
    }

    public var markdown: String {
        let policy = sweep.policy
        var out = zh ? "# 参数扫描\n\n" : "# Sweep\n\n"
        out += AllocationReport.policyMarkdown(policy, language) + "\n"
        for (term, value) in headerItems() {
            out += "- " + term + (zh ? "：" : ": ") + ReportTable.escapeMarkdown(value) + "\n"
        }
        out += "\n" + (zh ? "## 各地汇总\n\n" : "## Per county\n\n")
        out += summaryTable.inMoneyUnit(moneyUnit).table.markdown(language: language)
        out += zh ? "\n## 逐值结果\n\n" : "\n## Every value\n\n"
        out += longTable.inMoneyUnit(moneyUnit).table.markdown(language: language)
        return out
    }

    /// Plain text for a terminal: the per-county summary (the long table, one row per value per
    /// county, is for files: CSV or Markdown).
    public var text: String {
        let policy = sweep.policy
        var out = (zh ? "参数扫描" : "Sweep") + "\n"
        out += AllocationReport.policyText(policy, language) + AllocationReport.alignedItems(headerItems())
        out += "\n" + (zh ? "各地汇总" : "Per county") + "\n"
        out += summaryTable.inMoneyUnit(moneyUnit).table.text(language: language)
        return out
    }
}
