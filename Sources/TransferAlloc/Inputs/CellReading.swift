import BigInt

/// Reads the cells of one CSV record by column, turning every problem into an `InputError`
/// that names the file, the record's line, the column and the value (contract §8).
struct CellReader {
    let file: String
    let header: [String]
    let line: Int
    let fields: [String]
    /// True for a worksheet's row: errors then name the cell (`C7`) as well.
    var namesCells = false

    /// `4 (跨省落户人数 = cross_province)`, or `4 (code)` when the header is the key itself.
    static func columnLabel(index: Int, header: String, key: String?) -> String {
        if let key, SettlementColumn.normalizedHeader(header) != key {
            return "\(index + 1) (\(header) = \(key))"
        }
        return "\(index + 1) (\(header))"
    }

    func error(_ index: Int, key: String?, problem: String, accepted: String) -> InputError {
        InputError(file: file, line: line, column: CellReader.columnLabel(index: index, header: header[index], key: key),
                   value: fields[index], problem: problem, accepted: accepted,
                   cell: namesCells ? Worksheet.cellName(column: index, row: line) : nil)
    }

    /// A whole, non-negative count; empty → 0.
    func count(_ index: Int, key: String, limit: BigInt = Limits.maxCount) throws(InputError) -> BigInt {
        let text = fields[index]
        if text.isEmpty { return 0 }
        // Built only on the error path: formatting it for every cell costs more than parsing.
        var accepted: String { "a whole number ≥ 0 such as 1234 or 1,234 (full-width digits allowed), at most \(Limits.grouped(limit))" }
        switch NumberCell.parseWhole(text) {
        case .success(let value):
            guard value <= limit else {
                throw error(index, key: key, problem: "is out of the supported range", accepted: accepted)
            }
            return value
        case .failure(.negative): throw error(index, key: key, problem: "is negative", accepted: accepted)
        case .failure(.notWhole): throw error(index, key: key, problem: "is not a whole number of people", accepted: accepted)
        case .failure(.malformed): throw error(index, key: key, problem: CellReader.malformedProblem(text), accepted: accepted)
        }
    }

    /// "is not a number", or, for a long run of digits, that it is beyond the supported range.
    static func malformedProblem(_ text: String) -> String {
        NumberCell.isOverlong(text)
            ? "has more than \(NumberCell.maxDigits) digits, beyond the supported range" : "is not a number"
    }

    /// A non-negative decimal; empty → nil.
    func decimal(_ index: Int, key: String, what: String, limit: Rational, maxDecimals: Int) throws(InputError) -> Rational? {
        let text = fields[index]
        if text.isEmpty { return nil }
        var accepted: String { "\(what): a number ≥ 0 such as 1234.5 or 1,234.5, at most \(Limits.grouped(limit.floor)) with at most \(maxDecimals) decimals" }
        switch NumberCell.parse(text) {
        case .success(let decimal):
            let value = decimal.rational
            guard decimal.scale <= maxDecimals, value <= limit else {
                throw error(index, key: key, problem: "is out of the supported range", accepted: accepted)
            }
            return value
        case .failure(.negative): throw error(index, key: key, problem: "is negative", accepted: accepted)
        case .failure: throw error(index, key: key, problem: CellReader.malformedProblem(text), accepted: accepted)
        }
    }
}

/// The supported input range (README and docs/inputs.md state it). Values beyond it are
/// rejected, never computed approximately.
public enum Limits {
    /// People in one count cell.
    public static let maxCount = BigInt(10).power(12)
    /// 元 in one amount cell or fund_total.
    public static let maxAmountYuan = Rational(BigInt(10).power(15))
    /// A coefficient cell.
    public static let maxCoefficient = Rational(BigInt(10).power(6))
    public static let maxCoefficientDecimals = 12
    /// m² of land per person, and land quota in any unit.
    public static let maxLand = Rational(BigInt(10).power(12))
    public static let maxDecimals = 12
    /// A factor value cell (contract §10.1), like a count.
    public static let maxFactorValue = Rational(BigInt(10).power(12))
    /// The largest k of a `prior_k` column (a row keeps a count for every year up to it).
    public static let maxPriorYears = 100

    /// `a, b, c`, or the first 20 names and how many more: a warning about a file with
    /// thousands of unknown columns stays one readable line.
    ///
    ///     Limits.shortList(["a", "b"])                    // "a, b"
    ///     Limits.shortList((1...25).map { "c\($0)" })     // "c1, c2, …, c20 and 5 more"
    static func shortList(_ names: [String], limit: Int = 20) -> String {
        guard names.count > limit else { return names.joined(separator: ", ") }
        return names.prefix(limit).joined(separator: ", ") + " and \(names.count - limit) more"
    }

    /// `1,000,000,000,000`
    static func grouped(_ value: BigInt) -> String {
        let digits = Array(String(value))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }
}
