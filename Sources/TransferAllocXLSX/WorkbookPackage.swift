import Foundation
import TransferAlloc
import ZIPFoundation

/// The zip container of an .xlsx workbook, opened from bytes with every part's size capped
/// before it is inflated, so a truncated file or a zip bomb is an error, not a crash or a
/// gigabyte of memory.
struct WorkbookPackage {
    /// Largest uncompressed part (a worksheet, the shared strings): 64 MiB. A county table is
    /// well under a megabyte; the cap is what a hostile "huge declared size" runs into.
    static let maxPartBytes = 64 << 20
    /// Largest total of the parts read from one workbook: 128 MiB.
    static let maxTotalBytes = 128 << 20

    let file: String
    private let archive: Archive
    private var bytesRead = 0

    /// The first bytes of a zip file (and so of every .xlsx).
    static let zipMagic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    /// The first bytes of an OLE2 compound file: an Excel 97–2003 .xls (or .doc, .et).
    static let oleMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    init(bytes: [UInt8], file: String) throws(InputError) {
        self.file = file
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw WorkbookPackage.malformed(file, "is not a readable zip package (truncated or damaged)")
        }
    }

    static func malformed(_ file: String, _ problem: String) -> InputError {
        InputError(file: file, problem: problem,
                   accepted: "an .xlsx workbook saved by Excel or WPS (or a CSV file); open the file and save it again")
    }

    /// The named part's bytes, or nil when the package has none.
    mutating func part(_ path: String) throws(InputError) -> Data? {
        guard let entry = archive[path] ?? archive.first(where: { $0.path.lowercased() == path.lowercased() }) else {
            return nil
        }
        guard entry.type == .file else { return nil }
        let declared = entry.uncompressedSize
        let left = WorkbookPackage.maxTotalBytes - bytesRead
        guard declared <= UInt64(WorkbookPackage.maxPartBytes), declared <= UInt64(max(left, 0)) else {
            throw InputError(file: file, value: path,
                             problem: "declares \(declared) bytes uncompressed, more than the \(WorkbookPackage.maxPartBytes >> 20) MiB "
                                 + "a workbook part may have (a zip bomb, or not a table)",
                             accepted: "a workbook with one table of at most a few hundred thousand rows")
        }
        var out = Data()
        out.reserveCapacity(Int(declared))
        let limit = Int(declared)
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                // A size that lies about the data is stopped at the declared size.
                guard out.count + chunk.count <= limit else { throw PartTooLarge() }
                out.append(chunk)
            }
        } catch {
            throw WorkbookPackage.malformed(file, "has a damaged part \(path) (truncated, or its data do not match its checksum)")
        }
        guard out.count == limit else {
            throw WorkbookPackage.malformed(file, "has a damaged part \(path) (shorter than it declares)")
        }
        bytesRead += out.count
        return out
    }

    private struct PartTooLarge: Error {}
}
