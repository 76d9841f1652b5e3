import BigInt

/// The `--vary PATH=FROM:TO:STEP` argument of `sweep`: a path and an exact list of values.
///
///     let range = try SweepRange(parsing: "money.weights.settled=0.5:0.9:0.05", name: "--vary")
///     range.values.map(\.plainText)   // ["0.5", "0.55", "0.6", …, "0.9"]: 9 values, exact
///
/// FROM, TO and STEP are decimal numbers written as in JSON (`0.05`, `-0.1`, `5e8`), taken
/// exactly. The values are FROM, FROM+STEP, FROM+2·STEP, … up to and including TO when it is
/// reached exactly (never beyond TO). STEP must be > 0 and FROM ≤ TO.
public struct SweepRange: Sendable, Equatable {
    /// What messages call the range (the command line: `--vary`).
    public var name: String
    /// The dotted policy path, or `fund_total`.
    public var path: String
    public var from: Rational
    public var to: Rational
    public var step: Rational
    /// FROM, FROM+STEP, … ≤ TO.
    public var values: [Rational]

    /// The most values one sweep may have.
    public static let maxValues = 100_000

    /// - Parameter name: what messages call the range (the command line: `--vary`).
    /// - Throws: `MalformedValue` when the argument is not `PATH=FROM:TO:STEP` with numbers,
    ///   STEP ≤ 0, FROM > TO, or more than `maxValues` values.
    /// Largest exponent magnitude a FROM, TO or STEP may be written with (`1e-100` is beyond it).
    public static let maxExponent = 30

    public init(parsing argument: String, name: String) throws(MalformedValue) {
        self.name = name
        let given = NamedValue(name: name, text: argument)
        let example = "e.g. \(name) money.weights.settled=0.5:0.9:0.05"
        guard let equals = argument.firstIndex(of: "=") else {
            throw MalformedValue(value: given, problem: " is not PATH=FROM:TO:STEP, \(example)")
        }
        path = String(argument[..<equals]).trimmedUnicode
        guard !path.isEmpty else {
            throw MalformedValue(value: given, problem: " has no path before the =; expected PATH=FROM:TO:STEP, \(example)")
        }
        let parts = argument[argument.index(after: equals)...].split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw MalformedValue(value: given, problem: " does not give FROM:TO:STEP after the =, \(example)")
        }
        var numbers: [Rational] = []
        for (part, role) in zip(parts, ["FROM", "TO", "STEP"]) {
            let text = part.trimmedUnicode
            guard JSONParser.isNumberLiteral(text), text.utf8.count <= 100 else {
                throw MalformedValue(value: given, problem: ": \(role) \"\(text)\" is not a decimal number; expected numbers such as 0.5, -0.1 or 5e8")
            }
            guard let exact = ExactDecimal(jsonNumberLiteral: text, maximumExponent: SweepRange.maxExponent) else {
                throw MalformedValue(value: given, problem: ": \(role) \"\(text)\" has an exponent out of range; expected a number "
                                     + "whose exponent is between -\(SweepRange.maxExponent) and \(SweepRange.maxExponent), such as 0.5, -0.1 or 5e8")
            }
            numbers.append(exact.rational)
        }
        (from, to, step) = (numbers[0], numbers[1], numbers[2])
        guard step > .zero else {
            throw MalformedValue(value: given, problem: ": STEP must be greater than 0")
        }
        guard from <= to else {
            throw MalformedValue(value: given, problem: ": FROM is greater than TO; expected FROM ≤ TO")
        }
        let count = ((to - from) / step).floor + 1
        guard count <= BigInt(SweepRange.maxValues) else {
            throw MalformedValue(value: given, problem: " gives \(count) values; at most \(SweepRange.maxValues) are allowed (use a larger STEP)")
        }
        let (first, increment) = (from, step)
        values = (0..<Int(count)).map { first + increment * Rational($0) }
    }
}

/// A sweep whose values × counties exceed the rows one sweep computes: the caller words it
/// (the command line names its flag and exits with its usage status).
public struct SweepTooLarge: Error, Sendable, Equatable {
    public var range: SweepRange
    public var values: Int
    public var counties: Int
    public var maximumRows: Int

    public init(range: SweepRange, counties: Int, maximumRows: Int) {
        self.range = range
        self.values = range.values.count
        self.counties = counties
        self.maximumRows = maximumRows
    }

    /// values × counties, digits grouped: "20,000,001".
    public var rowsText: String { Limits.grouped(BigInt(values * counties)) }
    public var maximumRowsText: String { Limits.grouped(BigInt(maximumRows)) }
}
