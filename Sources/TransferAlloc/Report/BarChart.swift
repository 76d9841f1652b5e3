import BigInt

/// A horizontal bar chart as inline SVG: one row per county, its label on the left, the bar,
/// and the value text (as the table prints it) on the right. Negative values (changes in a
/// what-if) grow left from a zero line, positive ones right.
///
/// Bar geometry is exact: each length is `area · |value| / span` as a `Rational`, rounded
/// half up to 0.1 px only when printed, so no binary floating point touches the numbers.
///
///     let chart = BarChart(title: "Amount (元)", bars: [
///         .init(label: "A", value: Rational(300), text: "300.00"),
///         .init(label: "B", value: Rational(100), text: "100.00")])
///     // bar widths 420.0 and 140.0 px (area 420 px, span 300)
public struct BarChart: Sendable {
    public struct Bar: Sendable {
        public var label: String
        public var value: Rational
        /// What the chart prints next to the bar: the same text the table shows.
        public var text: String

        public init(label: String, value: Rational, text: String) {
            self.label = label
            self.value = value
            self.text = text
        }
    }

    public var title: String
    public var bars: [Bar]

    public init(title: String, bars: [Bar]) {
        self.title = title
        self.bars = bars
    }

    /// Layout in px.
    static let labelWidth = 170
    static let barArea = 420
    static let valueWidth = 130
    static let rowHeight = 18
    static let barHeight = 12
    static let titleHeight = 24
    /// Fill of positive and negative bars (the browser test looks for these colours).
    public static let positiveFill = "#2b6cb0"
    public static let negativeFill = "#c53030"
    /// Labels longer than this many characters are cut with "…" (the table has them whole).
    static let maxLabelCharacters = 14

    /// Largest positive and largest negative magnitude; the zero line splits the area between them.
    var extent: (positive: Rational, negative: Rational) {
        var positive = Rational.zero, negative = Rational.zero
        for bar in bars {
            if bar.value > positive { positive = bar.value }
            if -bar.value > negative { negative = -bar.value }
        }
        return (positive, negative)
    }

    /// x of the zero line and width of each bar, exact, in px.
    func geometry() -> (zero: Rational, bars: [(x: Rational, width: Rational)]) {
        let (positive, negative) = extent
        let span = positive + negative
        let area = Rational(BarChart.barArea)
        let left = Rational(BarChart.labelWidth)
        guard span > .zero else { return (left, bars.map { _ in (left, .zero) }) }
        let zero = left + area * negative / span
        return (zero, bars.map { bar in
            let width = area * (bar.value.isNegative ? -bar.value : bar.value) / span
            return (bar.value.isNegative ? zero - width : zero, width)
        })
    }

    /// Prints a px length rounded half up to 0.1.
    static func px(_ value: Rational) -> String { value.decimalString(places: 1) }

    static func shortLabel(_ label: String) -> String {
        label.count > maxLabelCharacters ? String(label.prefix(maxLabelCharacters - 1)) + "…" : label
    }

    /// The chart as an `<svg>` element with a `<title>` (for screen readers) and a visible heading.
    public func svg() -> String {
        let width = BarChart.labelWidth + BarChart.barArea + BarChart.valueWidth
        let height = BarChart.titleHeight + max(bars.count, 1) * BarChart.rowHeight + 6
        let (zero, geometry) = self.geometry()
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">\n"
        out += "<title>\(HTMLPage.escape(title))</title>\n"
        out += "<text x=\"0\" y=\"16\" style=\"font-size:13px;font-weight:600\">\(HTMLPage.escape(title))</text>\n"
        let valueX = BarChart.labelWidth + BarChart.barArea + 6
        for (index, bar) in bars.enumerated() {
            let top = BarChart.titleHeight + index * BarChart.rowHeight
            let baseline = top + BarChart.barHeight
            let (x, barWidth) = geometry[index]
            out += "<text x=\"\(BarChart.labelWidth - 6)\" y=\"\(baseline)\" text-anchor=\"end\">\(HTMLPage.escape(BarChart.shortLabel(bar.label)))</text>"
            out += "<rect x=\"\(BarChart.px(x))\" y=\"\(top + 2)\" width=\"\(BarChart.px(barWidth))\" height=\"\(BarChart.barHeight)\" fill=\"\(bar.value.isNegative ? BarChart.negativeFill : BarChart.positiveFill)\"/>"
            out += "<text x=\"\(valueX)\" y=\"\(baseline)\">\(HTMLPage.escape(bar.text))</text>\n"
        }
        let axisTop = BarChart.titleHeight
        let axisBottom = BarChart.titleHeight + max(bars.count, 1) * BarChart.rowHeight
        out += "<line x1=\"\(BarChart.px(zero))\" y1=\"\(axisTop)\" x2=\"\(BarChart.px(zero))\" y2=\"\(axisBottom)\" stroke=\"#333\" stroke-width=\"1\"/>\n"
        out += "</svg>\n"
        return out
    }
}
