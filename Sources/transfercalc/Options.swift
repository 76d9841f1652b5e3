import ArgumentParser
import TransferAlloc
import TransferAllocXLSX

/// The input files and policy flags: what `validate` reads, and the core of `InputOptions`.
/// `validate()` checks only their syntax, so a budget stays optional here.
struct InputFileOptions: ParsableArguments {
    @Option(help: "Settlement table (CSV or .xlsx, one row per county-level unit).")
    var settlement: String

    @Option(help: "Budget table (CSV or .xlsx, one row per scenario). Or use --fund-total.")
    var budget: String?

    @Option(help: "Policy file (JSON). Default: the built-in illustrative policy.")
    var policy: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override one policy value by dotted path, e.g. money.weights.settled=0.7 (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    // `.unconditional`: `--fund-total -5` is the value -5 (reported as negative, as `=-5` is),
    // not an unknown option.
    @Option(name: .customLong("fund-total"), parsing: .unconditional, help: "Money to allocate in 元, as one baseline scenario without reserve (instead of --budget).")
    var fundTotal: String?

    @Option(name: .customLong("land-quota"), parsing: .unconditional, help: "Land quota in the policy's unit, with --fund-total.")
    var landQuota: String?

    @Option(help: "Encoding of the CSV inputs: utf8 or gb18030. Default: detected.")
    var encoding: String?

    @Option(help: "The year whose dated policy versions apply (a policy file with versions). Default: every version.")
    var year: String?
    @Option(help: "Worksheet of an .xlsx settlement table. Default: the first.")
    var sheet: String?

    @Option(name: .customLong("budget-sheet"), help: "Worksheet of an .xlsx budget table (it may be the settlement workbook). Default: the first.")
    var budgetSheet: String?

    func validate() throws {
        if budget != nil && fundTotal != nil { throw ValidationError("give --budget or --fund-total, not both") }
        if landQuota != nil && fundTotal == nil { throw ValidationError("--land-quota goes with --fund-total; in a budget file use the land_quota column") }
        if let fundTotal, !RunRequest.isWellFormedAmount(fundTotal) {
            throw ValidationError("--fund-total \(fundTotal) is not a number; expected money in 元, e.g. 500000000")
        }
        if let landQuota, !RunRequest.isWellFormedAmount(landQuota) {
            throw ValidationError("--land-quota \(landQuota) is not a number; expected land in the policy's unit, e.g. 1234.56")
        }
        for override in overrides where !override.contains("=") || override.hasPrefix("=") {
            throw ValidationError("--set \(override) is not KEY=VALUE, e.g. --set money.weights.settled=0.7")
        }
        if let year, policyYear == nil {
            throw ValidationError("--year \(year) is not a year; expected a whole number such as 2024")
        }
        if let encoding, TextEncoding(name: encoding) == nil {
            throw ValidationError("--encoding \(encoding) is not known; expected utf8 or gb18030")
        }
    }

    var textEncoding: TextEncoding? { encoding.flatMap(TextEncoding.init(name:)) }

    /// `--year` as a number: ASCII digits only, 1 to 9999.
    var policyYear: Int? {
        guard let year, !year.isEmpty, year.count <= 4, year.allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = Int(year), value >= 1 else { return nil }
        return value
    }

    /// Reads a table input: a workbook's sheet (`sheet`, else the first) or CSV bytes.
    func table(_ path: String, sheet: String?) throws(InputError) -> RunRequest.Source {
        try WorkbookReader.source(name: path, bytes: InputFile.read(path), sheet: sheet)
    }
}

/// The input flags every computing subcommand shares: the files, a budget (file or
/// `--fund-total`, required), and `--scenario`.
struct InputOptions: ParsableArguments {
    @OptionGroup var files: InputFileOptions

    @Option(help: "Compute only this budget scenario (every row is still checked).")
    var scenario: String?

    func validate() throws {
        if files.budget == nil && files.fundTotal == nil { throw ValidationError("missing --budget (or --fund-total)") }
    }

    /// The input files named, for the check that no output replaces one.
    var paths: [String?] { [files.settlement, files.budget, files.policy] }

    /// Reads the named files into a request for the library.
    func request() throws(InputError) -> RunRequest {
        RunRequest(
            settlement: try files.table(files.settlement, sheet: files.sheet),
            budget: try files.budget.map { path throws(InputError) in try files.table(path, sheet: files.budgetSheet) },
            policy: try files.policy.map { path throws(InputError) in .init(name: path, bytes: try InputFile.read(path, kind: .policy)) },
            overrides: FlagName.overrides(files.overrides),
            fundTotal: files.fundTotal.map { NamedValue(name: FlagName.fundTotal, text: $0) },
            landQuota: files.landQuota.map { NamedValue(name: FlagName.landQuota, text: $0) },
            encoding: files.textEncoding, scenario: scenario, year: files.policyYear)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, json, markdown, html, table, xlsx

    /// The formats programs read: money always in 元, numbers ungrouped.
    var isForPrograms: Bool { self == .csv || self == .json }
}

/// Where and how results are written.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: csv, json, markdown, html (a self-contained page with charts), table (aligned, for reading) or xlsx (a workbook, with --output). Default: table on a terminal, csv otherwise.")
    var format: OutputFormat?

    @Option(help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    @Option(help: "Language of headers and labels: en or zh.")
    var lang: ReportLanguage = .en

    @Flag(help: "CSV for Excel: UTF-8 BOM and CRLF line ends.")
    var excel = false

    @Option(name: .customLong("money-unit"), help: "Money in table, markdown and html: yuan (元) or wan (万元, with every decimal the value needs). csv and json always carry 元.")
    var moneyUnit: MoneyUnit = .yuan

    /// The format asked for; without `--format`, a table when a person reads standard output
    /// (a terminal), CSV when it goes to a file or a pipe, as it always has.
    var resolvedFormat: OutputFormat {
        format ?? (output == nil && StandardStreams.outputIsTerminal ? .table : .csv)
    }

    func validate() throws {
        if format == .xlsx && output == nil {
            throw ValidationError("--format xlsx writes a workbook file; give --output FILE.xlsx (it is never written to standard output)")
        }
        if moneyUnit != .yuan, let format, format.isForPrograms {
            throw ValidationError("--money-unit \(moneyUnit.rawValue) is for the formats people read (table, markdown, html); --format \(format.rawValue) always carries 元")
        }
    }
}

extension MoneyUnit: ExpressibleByArgument {}

extension ReportLanguage: ExpressibleByArgument {}
