import ArgumentParser
import TransferAlloc

enum DocumentFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}

/// Where and how a report document (explain, audit, validate) is written.
struct DocumentOptions: ParsableArguments {
    @Option(help: "Output format: text, json or markdown.")
    var format: DocumentFormat = .text

    @Option(help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    @Option(help: "Language of labels: en or zh.")
    var lang: ReportLanguage = .en

    func render(_ document: ReportDocument) -> String {
        switch format {
        case .text: document.text(lang)
        case .json: document.json(lang)
        case .markdown: document.markdown(lang)
        }
    }
}
