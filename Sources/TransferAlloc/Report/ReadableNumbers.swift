import BigInt

/// The unit money is shown in by the formats people read (the terminal table, Markdown, HTML).
/// CSV and JSON are for programs and always carry 元.
public enum MoneyUnit: String, Sendable, CaseIterable {
    /// 元, as computed: two decimals.
    case yuan
    /// 万元 (10,000 元), as provincial tables are printed.
    case wan

    /// The unit as headers and labels write it.
    public var symbol: String { self == .yuan ? "元" : "万元" }

    /// How many places the decimal point moves left from 元.
    var shift: Int { self == .yuan ? 0 : 4 }
}

/// How numbers are shown to a reader: the integer part grouped by thousands, money in the chosen
/// unit with exactly the decimals its values need. Only the display changes; every digit is the
/// computed value, never rounded.
///
///     ReadableNumbers.grouped("18942552.54")              // "18,942,552.54"
///     ReadableNumbers.grouped("-878908.93")               // "-878,908.93"
///     ReadableNumbers.money("18942552.54", in: .wan)      // "1894.255254"
///     ReadableNumbers.money("500000000.00", in: .wan)     // "50000.00"
public enum ReadableNumbers {
    /// Money always shows at least two decimals, as tables in 元 and 万元 are printed.
    public static let minimumMoneyDecimals = 2

    /// The cell with its integer part grouped by thousands (`,`); a cell that is not a plain
    /// decimal number (`-`, digits, an optional `.` and digits) is returned unchanged.
    public static func grouped(_ cell: String) -> String {
        guard let (negative, integer, fraction) = parts(cell), integer.count > 3 else { return cell }
        var out = negative ? "-" : ""
        for (index, digit) in integer.enumerated() {
            if index > 0 && (integer.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        if let fraction { out += "." + fraction }
        return out
    }

    /// A money cell written in 元 (as the reports compute it), in `unit` with at least `decimals`
    /// places and as many more as its value needs; a cell that is not a number is unchanged.
    public static func money(_ yuanCell: String, in unit: MoneyUnit, decimals: Int = minimumMoneyDecimals) -> String {
        guard let (negative, digits, places) = shifted(yuanCell, by: unit.shift) else { return yuanCell }
        let padded = digits + String(repeating: "0", count: max(decimals, places) - places)
        let total = max(decimals, places)
        let integer = padded.count > total ? String(padded.dropLast(total)) : "0"
        let fraction = String(padded.suffix(total)).leftPadded(to: total)
        let magnitude = total > 0 ? integer + "." + fraction : integer
        return negative && digits.contains(where: { $0 != "0" }) ? "-" + magnitude : magnitude
    }

    /// A labelled value such as `47500000.00 元 (10.00%)` as a reader sees it: every number
    /// followed by ` 元` restated in `unit` (with its unit), and with `grouping` every number
    /// grouped by thousands.
    ///
    ///     ReadableNumbers.phrase("47500000.00 元 (10.00%)", in: .wan, grouping: true)
    ///     // "4,750.00 万元 (10.00%)"
    public static func phrase(_ text: String, in unit: MoneyUnit, grouping: Bool) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for w in words.indices {
            if unit != .yuan, w + 1 < words.count, words[w + 1] == "元", parts(words[w]) != nil {
                words[w] = money(words[w], in: unit)
                words[w + 1] = unit.symbol
            }
            if grouping { words[w] = grouped(words[w]) }
        }
        return words.joined(separator: " ")
    }

    /// The places a money cell needs in `unit` so that nothing is rounded (trailing zeros dropped),
    /// at least `minimumMoneyDecimals`; nil for a cell that is not a number.
    public static func moneyDecimals(_ yuanCell: String, in unit: MoneyUnit) -> Int? {
        shifted(yuanCell, by: unit.shift).map { max(minimumMoneyDecimals, $0.places) }
    }

    /// Sign, digits without the point (no trailing fraction zeros) and the number of places,
    /// once the point has moved `shift` places left.
    static func shifted(_ cell: String, by shift: Int) -> (negative: Bool, digits: String, places: Int)? {
        guard let (negative, integer, fraction) = parts(cell) else { return nil }
        var digits = String(integer) + String(fraction ?? "")
        var places = (fraction?.count ?? 0) + shift
        while places > 0, digits.last == "0" {
            digits.removeLast()
            places -= 1
        }
        return digits.isEmpty ? (negative, "0", 0) : (negative, digits, places)
    }

    /// A plain decimal number split into sign, integer digits and fraction digits.
    static func parts(_ cell: String) -> (negative: Bool, integer: Substring, fraction: Substring?)? {
        var rest = Substring(cell)
        let negative = rest.first == "-"
        if negative { rest = rest.dropFirst() }
        let pieces = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let integer = pieces.first, !integer.isEmpty, integer.allSatisfy(\.isASCIIDigit) else { return nil }
        if pieces.count == 2 {
            guard !pieces[1].isEmpty, pieces[1].allSatisfy(\.isASCIIDigit) else { return nil }
            return (negative, integer, pieces[1])
        }
        return (negative, integer, nil)
    }
}

extension ReportColumn {
    /// A column of money in 元: its header names the unit (`分配金额(元)`), the one place every
    /// report states it.
    public var isYuan: Bool { !isText && chinese.hasSuffix("(元)") }

    /// The column with its header naming `unit` instead of 元 (English headers gain the unit).
    func inMoneyUnit(_ unit: MoneyUnit) -> ReportColumn {
        guard isYuan, unit != .yuan else { return self }
        return ReportColumn("\(key) (\(unit.symbol))", String(chinese.dropLast(3)) + "(\(unit.symbol))")
    }
}

extension ReportTable {
    /// The table with its money columns in `unit`: each column gets the decimals its most precise
    /// value needs (footer included), so the digits line up and none is rounded.
    public func inMoneyUnit(_ unit: MoneyUnit, footer: [String]? = nil) -> (table: ReportTable, footer: [String]?) {
        guard unit != .yuan else { return (self, footer) }
        var table = ReportTable(columns: columns.map { $0.inMoneyUnit(unit) })
        let allRows = rows + (footer.map { [$0] } ?? [])
        var decimals = [Int?](repeating: nil, count: columns.count)
        for (c, column) in columns.enumerated() where column.isYuan {
            decimals[c] = allRows.compactMap { c < $0.count ? ReadableNumbers.moneyDecimals($0[c], in: unit) : nil }
                .max() ?? ReadableNumbers.minimumMoneyDecimals
        }
        func convert(_ row: [String]) -> [String] {
            row.enumerated().map { c, cell in
                guard c < decimals.count, let places = decimals[c] else { return cell }
                return ReadableNumbers.money(cell, in: unit, decimals: places)
            }
        }
        table.rows = rows.map(convert)
        return (table, footer.map(convert))
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
