import ArgumentParser
import TransferAlloc

enum DocumentFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown, html
}

/// Where and how a report document (explain, audit, validate) is written.
struct DocumentOptions: ParsableArguments {
    @Option(help: "Output format: text, json, markdown or html (one self-contained page).")
    var format: DocumentFormat = .text

    @Option(help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    @Option(help: "Language of labels: en or zh.")
    var lang: ReportLanguage = .en

    /// - Parameters: request, policy: shown at the top of an HTML page (inputs used, policy
    ///   label and sources).
    func render(_ document: ReportDocument, request: RunRequest? = nil, policy: Policy? = nil) -> String {
        switch format {
        case .text: document.text(lang)
        case .json: document.json(lang)
        case .markdown: document.markdown(lang)
        case .html: document.html(lang, inputs: request.map { ReportInputs(request: $0, scenarioName: FlagName.scenario) },
                                  policy: policy)
        }
    }
}
