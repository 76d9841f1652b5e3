extension HTMLPage {
    /// Appends a `ReportDocument` (what `explain` and `audit` build): each section as a heading,
    /// its lines as labelled values with their notes, its tables and paragraphs — the same texts
    /// the plain-text, Markdown and JSON renderings print.
    public mutating func document(_ document: ReportDocument) {
        for section in document.sections {
            heading(section.title.text(language))
            for block in section.blocks {
                switch block {
                case .lines(let lines):
                    notedDefinitions(lines.map { ($0.label.text(language), $0.value.text(language), $0.note?.text(language)) })
                case .table(_, let columns, let rows):
                    table(ReportTable(columns: columns, rows: rows.map { $0.map { $0.text(language) } }))
                case .paragraph(let text):
                    paragraph(text.text(language))
                }
            }
        }
    }
}

extension ReportDocument {
    /// The document as one self-contained HTML page (see `HTMLPage`), optionally with the run's
    /// inputs and policy first.
    ///
    ///     explanation.document.html(.zh, inputs: ReportInputs(request: request, scenarioName: "--scenario"), policy: allocation.policy)
    public func html(_ language: ReportLanguage, inputs: ReportInputs? = nil, policy: Policy? = nil) -> String {
        var page = HTMLPage(title: title.text(language), language: language)
        if let inputs { page.inputs(inputs) }
        if let policy { page.policySummary(policy) }
        page.document(self)
        return page.html
    }
}
