import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Foundation's XML parser over one workbook part, turning parse failures into one error.
/// Each part has its own small delegate below; none resolves external entities.
enum WorkbookXML {
    struct Malformed: Error {
        var line: Int
    }

    static func parse(_ data: Data, _ delegate: XMLParserDelegate) throws(Malformed) {
        // Foundation's parser hands libxml2's text to String initialisers that trap on invalid
        // UTF-8; workbook parts are UTF-8, so anything else is refused before parsing.
        guard String(validating: data, as: UTF8.self) != nil, !declaresOtherEncoding(data) else {
            throw Malformed(line: 1)
        }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.delegate = delegate
        // On Linux parse() can return true after a fatal error; the error is what tells.
        if !parser.parse() || parser.parserError != nil {
            throw Malformed(line: parser.lineNumber)
        }
    }

    /// True when the XML declaration names an encoding other than UTF-8 (libxml2 would then
    /// decode the bytes as that encoding).
    static func declaresOtherEncoding(_ data: Data) -> Bool {
        let head = String(decoding: data.prefix(200), as: UTF8.self)
        guard head.hasPrefix("<?xml"), let end = head.range(of: "?>") else { return false }
        let declaration = head[..<end.lowerBound].lowercased()
        guard let at = declaration.range(of: "encoding") else { return false }
        let rest = declaration[at.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
        return !(rest.hasPrefix("utf-8") || rest.hasPrefix("utf8"))
    }

    /// The local part of a qualified name: `x:c` → `c`.
    static func local(_ name: String) -> Substring {
        if let colon = name.lastIndex(of: ":") { return name[name.index(after: colon)...] }
        return Substring(name)
    }
}

/// `_rels/*.rels`: relationship id → (type, target).
final class RelationshipsDelegate: NSObject, XMLParserDelegate {
    var targets: [(id: String, type: String, target: String)] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        guard WorkbookXML.local(name) == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        targets.append((id, attributes["Type"] ?? "", target))
    }
}

/// `xl/workbook.xml`: the sheets in order, with their relationship ids.
final class WorkbookDelegate: NSObject, XMLParserDelegate {
    var sheets: [(name: String, relationship: String)] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        guard WorkbookXML.local(name) == "sheet", let sheetName = attributes["name"] else { return }
        // The id attribute is in the relationships namespace, under whatever prefix the writer chose.
        let id = attributes.first { WorkbookXML.local($0.key) == "id" && $0.key.contains(":") }?.value ?? ""
        sheets.append((sheetName, id))
    }
}

/// `xl/sharedStrings.xml`: every string item's text (rich-text runs joined, phonetic runs left out).
final class SharedStringsDelegate: NSObject, XMLParserDelegate {
    var strings: [String] = []
    private var current = ""
    private var inItem = false
    private var inText = false
    private var phoneticDepth = 0
    /// Items allowed before the part counts as hostile (the part size caps it already; this
    /// keeps an item-per-byte part from costing an array slot per byte).
    let maxItems: Int

    init(maxItems: Int) { self.maxItems = maxItems }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch WorkbookXML.local(name) {
        case "si": inItem = true; current = ""
        case "rPh": phoneticDepth += 1
        case "t": inText = inItem && phoneticDepth == 0
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch WorkbookXML.local(name) {
        case "si":
            inItem = false
            strings.append(current)
            if strings.count > maxItems { parser.abortParsing() }
        case "rPh": phoneticDepth -= 1
        case "t": inText = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }
}

/// A worksheet part: every cell with a value, in document order.
final class SheetDelegate: NSObject, XMLParserDelegate {
    struct Cell {
        var row: Int
        var column: Int
        /// `t`: n (or absent), s, inlineStr, str, b, e, d.
        var type: String
        /// `<v>`, or the inline string's text.
        var value: String
        var hasValue: Bool
        var hasFormula: Bool
        /// The formula's text (`<f>`), for messages.
        var formula = ""
    }

    var cells: [Cell] = []
    /// A reference (`r`) that is not a cell or row name, or out of order: the sheet is damaged.
    var badReference: String?
    let maxCells: Int

    private var row = 0
    private var column = -1
    private var current: Cell?
    private var inValue = false
    private var inFormula = false
    private var inInline = false
    private var inText = false
    private var phoneticDepth = 0

    init(maxCells: Int) { self.maxCells = maxCells }

    /// Column index and row of `C7` (0-based column), nil when it is not a cell name.
    static func reference(_ text: String) -> (column: Int, row: Int)? {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where digits == 0:
                column = column * 26 + Int(byte - 64)
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9") where letters > 0:
                row = row * 10 + Int(byte - 48)
                digits += 1
            default:
                return nil
            }
            if letters > 3 || digits > 7 { return nil }
        }
        guard letters > 0, digits > 0, row > 0, column <= 16_384 else { return nil }
        return (column - 1, row)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch WorkbookXML.local(name) {
        case "row":
            if let r = attributes["r"] {
                guard let number = Int(r), number > row, number <= 1_048_576 else {
                    badReference = "row \(r)"
                    parser.abortParsing()
                    return
                }
                row = number
            } else {
                row += 1
            }
            column = -1
        case "c":
            if let r = attributes["r"] {
                guard let (c, cellRow) = SheetDelegate.reference(r), cellRow == row, c > column else {
                    badReference = r
                    parser.abortParsing()
                    return
                }
                column = c
            } else {
                column += 1
            }
            current = Cell(row: row, column: column, type: attributes["t"] ?? "n", value: "", hasValue: false,
                           hasFormula: false)
        case "v":
            inValue = current != nil
            current?.hasValue = true
        case "f":
            current?.hasFormula = true
            inFormula = current != nil
        case "is":
            inInline = current != nil
            current?.hasValue = true
        case "rPh":
            phoneticDepth += 1
        case "t":
            inText = inInline && phoneticDepth == 0
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch WorkbookXML.local(name) {
        case "c":
            if let cell = current, cell.hasValue || cell.hasFormula {
                cells.append(cell)
                if cells.count > maxCells { parser.abortParsing() }
            }
            current = nil
        case "v": inValue = false
        case "f": inFormula = false
        case "is": inInline = false
        case "rPh": phoneticDepth -= 1
        case "t": inText = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue || inText { current?.value += string }
        if inFormula, let count = current?.formula.utf8.count, count < 1_000 { current?.formula += string }
    }
}
