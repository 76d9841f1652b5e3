/// A self-contained HTML report page (contract §5): no network, no external fonts or scripts,
/// readable on screen and on paper. Every report that offers `--format html` (allocate,
/// whatif, explain) builds its page from these blocks, so they look and escape alike.
///
///     var page = HTMLPage(title: "Allocation", language: .en)
///     page.heading("Scenario <b>")            // <h2>Scenario &lt;b&gt;</h2>
///     page.table(table, footer: totals)       // <table> with a <tfoot> totals row
///     page.chart(chart)                       // inline <svg>
///     let html = page.html                    // the whole document, ending in "\n"
///
/// All text passes through `HTMLPage.escape`, so a county named `<script>` is shown, never run;
/// table text cells are also formula-guarded like every spreadsheet-bound output (a name
/// `=HYPERLINK(…)` shows as `'=HYPERLINK(…)`), since spreadsheets open HTML tables too.
public struct HTMLPage: Sendable {
    public let title: String
    public let language: ReportLanguage
    private var body = ""

    public init(title: String, language: ReportLanguage) {
        self.title = title
        self.language = language
    }

    /// Escapes text for HTML element content and double- or single-quoted attribute values.
    ///
    ///     HTMLPage.escape("<a href=\"x\">&'")   // "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
    ///
    /// Control characters other than tab and line breaks (not allowed in HTML text) become U+FFFD.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    var zh: Bool { language == .zh }

    // MARK: Blocks

    /// A section heading (`level` 2 or 3; the page title is the only `<h1>`).
    public mutating func heading(_ text: String, level: Int = 2) {
        let level = min(max(level, 2), 6)
        body += "<h\(level)>\(HTMLPage.escape(text))</h\(level)>\n"
    }

    public mutating func paragraph(_ text: String) {
        body += "<p>\(HTMLPage.escape(text))</p>\n"
    }

    /// A framed warning, e.g. that the policy's values are illustrative.
    public mutating func notice(_ text: String) {
        body += "<p class=\"notice\">\(HTMLPage.escape(text))</p>\n"
    }

    /// Term–value pairs (inputs, totals).
    public mutating func definitions(_ items: [(term: String, value: String)]) {
        guard !items.isEmpty else { return }
        body += "<dl>\n"
        for (term, value) in items {
            body += "<dt>\(HTMLPage.escape(term))</dt><dd>\(HTMLPage.escape(value))</dd>\n"
        }
        body += "</dl>\n"
    }

    /// Term–value pairs with an optional note under the value (a formula, an exact fraction, a
    /// policy source).
    public mutating func notedDefinitions(_ items: [(term: String, value: String, note: String?)]) {
        guard !items.isEmpty else { return }
        body += "<dl>\n"
        for (term, value, note) in items {
            body += "<dt>\(HTMLPage.escape(term))</dt><dd>\(HTMLPage.escape(value))"
            if let note, !note.isEmpty { body += "<br><small class=\"note\">\(HTMLPage.escape(note))</small>" }
            body += "</dd>\n"
        }
        body += "</dl>\n"
    }

    /// A bulleted list.
    public mutating func list(_ items: [String]) {
        guard !items.isEmpty else { return }
        body += "<ul>\n" + items.map { "<li>\(HTMLPage.escape($0))</li>\n" }.joined() + "</ul>\n"
    }

    /// A table of formatted cells; text columns are formula-guarded, numbers right-aligned.
    /// The footer (a totals row) is shown in bold under the rows.
    public mutating func table(_ table: ReportTable, footer: [String]? = nil, caption: String? = nil) {
        var out = "<table>\n"
        if let caption { out += "<caption>\(HTMLPage.escape(caption))</caption>\n" }
        // Numbers right-aligned and grouped by thousands; names and codes never wrap inside.
        func cell(_ tag: String, _ column: ReportColumn, _ text: String) -> String {
            let attributes = !column.isText ? " class=\"num\"" : HTMLPage.unbroken.contains(column.key) ? " class=\"name\"" : ""
            let shown = !column.isText && tag == "td" ? ReadableNumbers.grouped(text) : text
            return "<\(tag)\(attributes)>\(HTMLPage.escape(shown))</\(tag)>"
        }
        out += "<thead><tr>"
        for column in table.columns { out += cell("th", column, column.header(language)) }
        out += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            out += "<tr>"
            for (column, text) in zip(table.columns, row) {
                out += cell("td", column, column.isText ? ReportTable.guardFormula(text) : text)
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n"
        if let footer {
            out += "<tfoot><tr>"
            for (column, text) in zip(table.columns, footer) { out += cell("td", column, text) }
            out += "</tr></tfoot>\n"
        }
        out += "</table>\n"
        body += "<div class=\"table\">\n" + out + "</div>\n"
    }

    /// Columns whose cells are one word each (county names, codes): never broken over lines.
    static let unbroken: Set<String> = ["name", "code", "parent"]

    /// An inline SVG bar chart.
    public mutating func chart(_ chart: BarChart) {
        body += "<figure>\n" + chart.svg() + "</figure>\n"
    }

    /// Where the inputs came from.
    public mutating func inputs(_ inputs: ReportInputs) {
        heading(zh ? "输入" : "Inputs")
        definitions(inputs.items(language))
    }

    /// The policy used: its label (with the illustrative warning for the built-in default),
    /// then every value with its source note.
    public mutating func policySummary(_ policy: Policy) {
        definitions([(zh ? "政策" : "Policy", AllocationReport.displayLabel(policy, language))])
        if policy.isIllustrative { notice(HTMLPage.illustrativeNotice(language)) }
        let borrowed = AllocationReport.borrowedPaths(policy)
        if !borrowed.isEmpty {
            notice((zh ? "未在政策文件中设定、沿用内置示例值：" : "Values the policy file does not set, taken from the illustrative default: ")
                + borrowed.joined(separator: ", "))
        }
    }

    /// The appendix listing every policy value, its source note, and whether it is the built-in
    /// illustrative value.
    public mutating func policyValues(_ policy: Policy) {
        heading(zh ? "政策参数及出处" : "Policy values and sources")
        policySummary(policy)
        var table = ReportTable(columns: [
            ReportColumn("path", "参数路径", isText: true),
            ReportColumn("value", "取值", isText: true),
            ReportColumn("source", "出处", isText: true),
            ReportColumn("illustrative", "示例值", isText: true),
        ])
        for value in policy.values {
            table.rows.append([value.path, value.text, value.source ?? "",
                               value.isIllustrative ? (zh ? "是" : "yes") : ""])
        }
        body += "<div class=\"policy\">\n"
        self.table(table)
        body += "</div>\n"
    }

    public static func illustrativeNotice(_ language: ReportLanguage) -> String {
        language == .zh
            ? "本结果使用内置示例政策（illustrative default）：参数仅作演示，并非正式政策。"
            : "Computed with the built-in illustrative default policy: its values are for trying the tool, not an official policy."
    }

    // MARK: Document

    static let style = """
    body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;margin:24px;color:#111;line-height:1.45;max-width:1200px}
    h1{font-size:22px;margin:0 0 12px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #999}h3{font-size:15px;margin:18px 0 6px}
    dl{display:grid;grid-template-columns:max-content auto;gap:2px 14px;margin:8px 0}dt{font-weight:600}dd{margin:0}
    .notice{border:2px solid #b7791f;background:#fffaf0;padding:6px 10px}
    table{border-collapse:collapse;font-size:12px;font-variant-numeric:tabular-nums;margin:8px 0}
    th,td{border:1px solid #bbb;padding:2px 6px;vertical-align:top}thead th{background:#edf2f7}
    .num{text-align:right;white-space:nowrap}.name{white-space:nowrap;word-break:keep-all}tfoot td{font-weight:700;border-top:2px solid #333}
    caption{text-align:left;font-weight:600;padding:4px 0}
    figure{margin:8px 0}svg{max-width:100%;height:auto}svg text{font-size:11px;fill:#111}
    .policy td{max-width:640px}.note{color:#555}
    @media print{body{margin:0;max-width:none;font-size:10pt}thead{display:table-header-group}tfoot{display:table-row-group}tr{break-inside:avoid}h2,h3{break-after:avoid}.notice{background:none}}
    """

    /// The whole document.
    public var html: String {
        """
        <!DOCTYPE html>
        <html lang="\(zh ? "zh-CN" : "en")">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLPage.escape(title))</title>
        <style>
        \(HTMLPage.style)
        </style>
        </head>
        <body>
        <h1>\(HTMLPage.escape(title))</h1>

        """ + body + "</body>\n</html>\n"
    }
}
