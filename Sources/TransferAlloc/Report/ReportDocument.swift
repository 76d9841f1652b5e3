/// A text in English and in Chinese; numbers and codes are the same in both.
///
///     Localized("Reserve", "预留").text(.zh)   // "预留"
///     Localized(plain: "0.8").text(.zh)       // "0.8"
public struct Localized: Sendable, Equatable, ExpressibleByStringLiteral {
    public var en: String
    public var zh: String

    public init(_ en: String, _ zh: String) {
        self.en = en
        self.zh = zh
    }

    public init(plain: String) { self.init(plain, plain) }

    public init(stringLiteral value: String) { self.init(plain: value) }

    public func text(_ language: ReportLanguage) -> String { language == .zh ? zh : en }

    public var isEmpty: Bool { en.isEmpty && zh.isEmpty }

    /// Joins two texts language by language.
    public static func + (a: Localized, b: Localized) -> Localized { Localized(a.en + b.en, a.zh + b.zh) }
}

/// One labelled value of a document: `Reserve: 25000000.00 元`, with an optional note (the
/// formula, the exact fraction, the policy source).
public struct DocumentLine: Sendable, Equatable {
    /// Machine key, used by the JSON rendering: `reserve`.
    public var key: String
    public var label: Localized
    public var value: Localized
    public var note: Localized?

    public init(_ key: String, _ label: Localized, _ value: Localized, note: Localized? = nil) {
        self.key = key
        self.label = label
        self.value = value
        self.note = note
    }
}

/// A part of a document section.
public enum DocumentBlock: Sendable, Equatable {
    case lines([DocumentLine])
    /// A table; `key` names it in JSON, rows are keyed by the columns' keys there.
    case table(key: String, columns: [ReportColumn], rows: [[Localized]])
    case paragraph(Localized)
}

public struct DocumentSection: Sendable, Equatable {
    /// The section with every policy path in `paths` (key) written as its value instead, where
    /// it stands as a whole path (`money.weights.settled`, not the start of
    /// `money.weights.settled_x`): how a component's derivation cites the values it sets itself.
    func citing(_ paths: [String: String]) -> DocumentSection {
        guard !paths.isEmpty else { return self }
        func cite(_ text: String) -> String {
            var out = ""
            var rest = Substring(text)
            while let start = rest.range(of: "money.") {
                out += rest[..<start.lowerBound]
                let token = rest[start.lowerBound...].prefix { $0.isLetter || $0.isNumber || "_.[]".contains($0) }
                out += paths[String(token)] ?? String(token)
                rest = rest[token.endIndex...]
            }
            return out + rest
        }
        func cite(_ text: Localized) -> Localized { Localized(cite(text.en), cite(text.zh)) }
        var section = self
        section.blocks = blocks.map { block in
            switch block {
            case .lines(let lines):
                return .lines(lines.map { DocumentLine($0.key, cite($0.label), cite($0.value), note: $0.note.map(cite)) })
            case .table(let key, let columns, let rows):
                return .table(key: key, columns: columns, rows: rows.map { $0.map(cite) })
            case .paragraph(let text):
                return .paragraph(cite(text))
            }
        }
        return section
    }

    /// Machine key, used by the JSON rendering.
    public var key: String
    public var title: Localized
    public var blocks: [DocumentBlock]

    public init(key: String, title: Localized, blocks: [DocumentBlock]) {
        self.key = key
        self.title = title
        self.blocks = blocks
    }
}

/// A report made of titled sections of labelled lines, tables and paragraphs, rendered as plain
/// text, Markdown or JSON in English or Chinese: what `explain` and `audit` print. The builder
/// formats every number once; the renderers only lay the texts out, so the three formats agree.
public struct ReportDocument: Sendable, Equatable {
    public var title: Localized
    public var sections: [DocumentSection]

    public init(title: Localized, sections: [DocumentSection] = []) {
        self.title = title
        self.sections = sections
    }

    /// Plain text for a terminal: underlined titles, `label: value` lines with notes indented
    /// below, tables with columns aligned by display width (a CJK character is two columns).
    public func text(_ language: ReportLanguage) -> String {
        var out = title.text(language) + "\n"
        out += String(repeating: "=", count: ReportDocument.displayWidth(title.text(language))) + "\n"
        for section in sections {
            let heading = section.title.text(language)
            out += "\n" + heading + "\n" + String(repeating: "-", count: ReportDocument.displayWidth(heading)) + "\n"
            for block in section.blocks {
                switch block {
                case .lines(let lines):
                    for line in lines {
                        out += "  " + line.label.text(language) + ": " + line.value.text(language) + "\n"
                        if let note = line.note, !note.isEmpty { out += "      " + note.text(language) + "\n" }
                    }
                case .table(_, let columns, let rows):
                    out += ReportDocument.alignedTable(columns.map { $0.header(language) },
                                                       rows.map { $0.map { $0.text(language) } },
                                                       numeric: columns.map { !$0.isText })
                case .paragraph(let text):
                    out += "  " + text.text(language) + "\n"
                }
            }
        }
        return out
    }

    /// GitHub-flavoured Markdown: `#` title, `##` sections, bullet lines, tables; text cells are
    /// formula-guarded like every table the tool writes.
    public func markdown(_ language: ReportLanguage) -> String {
        var out = "# " + ReportTable.escapeMarkdown(title.text(language)) + "\n"
        for section in sections {
            out += "\n## " + ReportTable.escapeMarkdown(section.title.text(language)) + "\n\n"
            for (index, block) in section.blocks.enumerated() {
                if index > 0 { out += "\n" }
                switch block {
                case .lines(let lines):
                    for line in lines {
                        out += "- **" + ReportTable.escapeMarkdown(line.label.text(language)) + "**: "
                            + ReportTable.escapeMarkdown(line.value.text(language))
                        if let note = line.note, !note.isEmpty {
                            out += " — " + ReportTable.escapeMarkdown(note.text(language))
                        }
                        out += "\n"
                    }
                case .table(_, let columns, let rows):
                    let table = ReportTable(columns: columns, rows: rows.map { $0.map { $0.text(language) } })
                    out += table.markdown(language: language)
                case .paragraph(let text):
                    out += ReportTable.escapeMarkdown(text.text(language)) + "\n"
                }
            }
        }
        return out
    }

    /// JSON for programs: `{"title": …, "sections": {key: {line key: {"label", "value", "note"},
    /// table key: [{column key: cell}], "notes": [paragraphs]}}}`; every value a string.
    public func json(_ language: ReportLanguage) -> String {
        var sectionMembers: [(String, JSONOutput)] = []
        for section in sections {
            var members: [(String, JSONOutput)] = [("title", .string(section.title.text(language)))]
            var paragraphs: [JSONOutput] = []
            for block in section.blocks {
                switch block {
                case .lines(let lines):
                    for line in lines {
                        members.append((line.key, .object([
                            ("label", .string(line.label.text(language))),
                            ("value", .string(line.value.text(language))),
                            ("note", line.note.map { .string($0.text(language)) } ?? .null),
                        ])))
                    }
                case .table(let key, let columns, let rows):
                    members.append((key, .array(rows.map { row in
                        .object(zip(columns, row).map { ($0.key, .string($1.text(language))) })
                    })))
                case .paragraph(let text):
                    paragraphs.append(.string(text.text(language)))
                }
            }
            if !paragraphs.isEmpty { members.append(("notes", .array(paragraphs))) }
            sectionMembers.append((section.key, .object(members)))
        }
        return JSONOutput.object([("title", .string(title.text(language))), ("sections", .object(sectionMembers))]).rendered()
    }

    /// Columns in a terminal: 2 for East Asian wide characters (CJK, full-width forms), else 1.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
                 0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6:
                width + 2
            default:
                width + 1
            }
        }
    }

    /// Widest table laid out in columns in plain text.
    static let maxTableWidth = 160

    /// Columns padded to a common width; numbers right-aligned, text left-aligned. A table wider
    /// than `maxTableWidth` becomes one block per row unless `keepColumns` (a table of many rows,
    /// where blocks would be unreadable).
    static func alignedTable(_ header: [String], _ rows: [[String]], numeric: [Bool], keepColumns: Bool = false) -> String {
        let clean: ([String]) -> [String] = { $0.map { $0.replacingOccurrences(of: "\n", with: " ") } }
        let all = [clean(header)] + rows.map(clean)
        var widths = Array(repeating: 0, count: header.count)
        for row in all { for (c, cell) in row.enumerated() { widths[c] = max(widths[c], displayWidth(cell)) } }
        var out = ""
        // Too wide for a terminal (long source notes): one block per row instead of columns.
        if !keepColumns && widths.reduce(2 * widths.count, +) > maxTableWidth {
            for row in all.dropFirst() {
                out += "  " + (row.first ?? "") + "\n"
                for (name, cell) in zip(all[0], row).dropFirst() where !cell.isEmpty {
                    out += "      " + name + ": " + cell + "\n"
                }
            }
            return out
        }
        for (r, row) in all.enumerated() {
            var cells: [String] = []
            for (c, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[c] - displayWidth(cell))
                cells.append(numeric[c] && r > 0 ? pad + cell : cell + pad)
            }
            var line = "  " + cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            out += line + "\n"
            if r == 0 {
                out += "  " + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            }
        }
        return out
    }
}
