// requires: Sources/TransferAllocXLSX/WorkbookReader.swift
// libFuzzer target: the workbook reader, from bytes to a settlement or budget table.
//
// The first byte chooses what the rest is. Even: a whole .xlsx package (damaged zip structure,
// sizes, checksums, parts). Odd: the XML of one worksheet, packed here into an otherwise valid
// workbook with ZIPFoundation, so the fuzzer reaches the XML parser and the cell rules without
// having to forge deflate streams and checksums. Whatever reads is turned into a table and
// parsed as a settlement and a budget table; rows must be as wide as the header.
//
// Rejections (`InputError`) are the expected outcome for most inputs; a trap, a sanitizer
// report, a hang or unbounded memory is a bug.
import Foundation
import TransferAlloc
import TransferAllocXLSX
import ZIPFoundation

private let workbookXML = Data("""
    <workbook xmlns:r="r"><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>
    """.utf8)
private let relsXML = Data("""
    <Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/>\
    <Relationship Id="rId2" Type="x/sharedStrings" Target="sharedStrings.xml"/></Relationships>
    """.utf8)
private let stringsXML = Data("<sst><si><t>code</t></si><si><r><t>sett</t></r><r><t>led</t></r></si></sst>".utf8)

private func packed(_ sheet: Data) -> [UInt8] {
    let archive = try! Archive(data: Data(), accessMode: .create)
    for (path, data) in [("xl/workbook.xml", workbookXML), ("xl/_rels/workbook.xml.rels", relsXML),
                         ("xl/sharedStrings.xml", stringsXML), ("xl/worksheets/sheet1.xml", sheet)] {
        try! archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                              modificationDate: Date(timeIntervalSince1970: 315_532_800),
                              compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
    return [UInt8](archive.data!)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSX(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard size > 0, let data else { return 0 }
    let rest = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let bytes = data[0] % 2 == 0 ? rest : packed(Data(rest))
    guard let source = try? WorkbookReader.source(name: "fuzz.xlsx", bytes: bytes, sheet: nil),
          source.worksheet != nil, let table = try? source.table(encoding: nil) else { return 0 }
    for record in table.records where record.fields.count != table.header.count {
        fatalError("record on row \(record.line) has \(record.fields.count) fields, header \(table.header.count)")
    }
    _ = try? SettlementTable.parse(table, coefficientColumns: ["fiscal_coef"])
    _ = try? BudgetTable.parse(table)
    return 0
}
