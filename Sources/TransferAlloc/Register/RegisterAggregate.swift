/// One county of the aggregated register: current-year settlers by origin and earlier years.
public struct RegisterCounty: Sendable, Equatable {
    public var code: String
    public var crossProvince: Int
    public var withinProvince: Int
    public var withinCity: Int
    /// Settlers of year Y−k at index k−1.
    public var priors: [Int]
    /// With `--prior-by-origin`: settlers of year Y−k at index k−1 by origin (cross_province,
    /// within_province, within_city); empty otherwise.
    public var priorsByOrigin: [[Int]]

    public init(code: String, crossProvince: Int, withinProvince: Int, withinCity: Int, priors: [Int],
                priorsByOrigin: [[Int]] = []) {
        self.code = code
        self.crossProvince = crossProvince
        self.withinProvince = withinProvince
        self.withinCity = withinCity
        self.priors = priors
        self.priorsByOrigin = priorsByOrigin
    }
}

/// The settlement register summed up per county (contract §6): what `aggregate` writes.
///
///     // register.csv: dest_code,origin_code,settle_date
///     //               320506,410102,2023-05-17
///     //               320506,320583,2022/1/9
///     let result = try RegisterFile.aggregate(path: "register.csv", year: 2023, priorYears: 1)
///     result.csv()
///     // code,cross_province,within_province,within_city,prior_1
///     // 320506,1,0,0,1
public struct RegisterAggregate: Sendable {
    public var file: String
    public var encoding: TextEncoding
    /// Y and K.
    public var year: Int
    public var priorYears: Int
    /// Each prior year written as its three origin columns (§10.2).
    public var priorByOrigin: Bool
    /// Data rows read (every year, counted or not).
    public var rows: Int
    /// One per county seen as (mapped) dest_code in a counted row of years Y−K…Y, sorted by
    /// the code's bytes; empty when no row counts (the table is then its header alone).
    public var counties: [RegisterCounty]
    /// Counted rows of other years, by year, ascending.
    public var ignoredYears: [(year: Int, rows: Int)]
    /// Headers that name no register column.
    public var unknownHeaders: [String]
    public var checkedPersonIDs: Bool
    /// The register has an agricultural column (§10.8).
    public var hasAgriculturalColumn: Bool
    /// Rows whose agricultural cell is false or empty: checked, not counted in any year.
    public var excludedRows: Int
    /// The code map's own notes (its ignored columns).
    public var codeMapNotes: [String]

    /// Lines for stderr: ignored columns, the rows not agricultural, the rows of other years
    /// (contract §6, §10.8), and a table left without rows.
    public var notes: [String] {
        var lines: [String] = []
        if !unknownHeaders.isEmpty {
            lines.append("\(file): ignoring unknown column(s): \(unknownHeaders.joined(separator: ", "))")
        }
        lines += codeMapNotes
        if excludedRows > 0 {
            lines.append("\(file): excluded \(Limits.grouped(.init(excludedRows))) row(s) whose agricultural cell is false or empty (not agricultural migrants)")
        }
        if !ignoredYears.isEmpty {
            let total = ignoredYears.reduce(0) { $0 + $1.rows }
            let list = ignoredYears.map { "\($0.year): \(Limits.grouped(.init($0.rows)))" }.joined(separator: ", ")
            lines.append("\(file): ignored \(Limits.grouped(.init(total))) row(s) outside \(year - priorYears)–\(year): \(list)")
        }
        if counties.isEmpty {
            lines.append("\(file): no row counts in \(year - priorYears)–\(year): the table is its header alone")
        }
        return lines
    }

    /// The settlement table of §2.1: code, the three origin columns, prior_1 … prior_K.
    public var table: ReportTable {
        var columns = [
            ReportColumn("code", "区划代码", isText: true),
            ReportColumn("cross_province", "跨省落户人数"),
            ReportColumn("within_province", "省内跨市落户人数"),
            ReportColumn("within_city", "市内落户人数"),
        ]
        for k in stride(from: 1, through: priorYears, by: 1) {
            let year = k == 1 ? "上年" : "前\(k)年"
            if priorByOrigin {
                columns.append(ReportColumn("prior_\(k)_cross_province", "\(year)跨省落户人数"))
                columns.append(ReportColumn("prior_\(k)_within_province", "\(year)省内跨市落户人数"))
                columns.append(ReportColumn("prior_\(k)_within_city", "\(year)市内落户人数"))
            } else {
                columns.append(ReportColumn("prior_\(k)", "\(year)落户人数"))
            }
        }
        let rows = counties.map { county in
            [county.code, String(county.crossProvince), String(county.withinProvince), String(county.withinCity)]
                + (priorByOrigin ? county.priorsByOrigin.joined().map(String.init) : county.priors.map(String.init))
        }
        return ReportTable(columns: columns, rows: rows)
    }

    /// The table as CSV, codes formula-guarded (a code starting `=`, `+`, `-`, `@` gets a `'`).
    public func csv(language: ReportLanguage = .en, excel: Bool = false) -> String {
        table.csv(language: language, excel: excel)
    }
}
