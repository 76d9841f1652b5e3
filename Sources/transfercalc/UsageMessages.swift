import TransferAlloc

/// The flags whose values the library names in its messages and reports.
enum FlagName {
    static let set = "--set"
    static let fundTotal = "--fund-total"
    static let landQuota = "--land-quota"
    static let scenario = "--scenario"
    static let baseline = "--baseline"
    static let code = "--code"
    static let vary = "--vary"
    static let variant = "--variant"
    static let tolerance = "--tolerance"
    static let landTolerance = "--land-tolerance"
    static let unit = "--unit"
    static let encoding = "--encoding"
    static let output = "--output"
    static let summary = "--summary"
    static let year = "--year"
    static let prior = "--prior"
    static let against = "--against"

    static func overrides(_ settings: [String]) -> PolicyOverrides { PolicyOverrides(name: set, settings: settings) }
}

/// A problem with the command line found only once the inputs are read (exit status 64).
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension UsageError {
    /// A `--scenario` (or whatif's `--baseline`) the budget does not have.
    init(_ error: UnknownScenario) {
        let flag = error.choice == .baseline ? FlagName.baseline : FlagName.scenario
        if error.isFundTotal {
            self.init("unknown \(flag) \(error.requested); \(error.source) makes one scenario, baseline")
        } else {
            self.init("unknown \(flag) \(error.requested); \(error.source) has: \(error.available.joined(separator: ", "))")
        }
    }

    /// A `--variant` named like a budget scenario.
    init(_ error: VariantNameTaken) {
        self.init("\(FlagName.variant) \(error.variant.name) has the name of a budget scenario; give the variant another name")
    }

    /// A `--vary` range too large for one sweep.
    init(_ error: SweepTooLarge) {
        self.init("\(FlagName.vary) gives \(error.values) values × \(error.counties) counties = \(error.rowsText) rows; at most \(error.maximumRowsText) are supported (use a larger STEP)")
    }

    /// An explain `--code` the settlement table does not have.
    init(_ error: UnknownCounty) {
        let more = error.count > error.examples.count ? ", …" : ""
        self.init("unknown \(FlagName.code) \(error.code); \(error.file) has \(error.count) codes, e.g. \(error.examples.joined(separator: ", "))\(more)")
    }
}
