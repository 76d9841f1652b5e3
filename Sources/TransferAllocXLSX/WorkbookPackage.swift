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
        // Read through a file, not ZIPFoundation's in-memory archive: that one traps on offsets
        // past the end of the data, which a damaged package has. The file is unlinked at once;
        // the archive keeps it open until it is released.
        var template = Array((NSTemporaryDirectory() + "/transfercalc-xlsx-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else {
            throw InputError(file: file, problem: "cannot be read: \(String(cString: strerror(errno)))",
                             accepted: "a temporary directory the tool can write (TMPDIR)")
        }
        let path = String(cString: template)
        defer { unlink(path) }
        let written = bytes.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        close(fd)
        guard written else {
            throw InputError(file: file, problem: "cannot be read: \(String(cString: strerror(errno)))",
                             accepted: "a temporary directory the tool can write (TMPDIR)")
        }
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw WorkbookPackage.malformed(file, problem: "is not a readable zip package (truncated or damaged)")
        }
    }

    static func malformed(_ file: String, problem: String) -> InputError {
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
            let checksum = try archive.extract(entry, skipCRC32: false) { chunk in
                // A size that lies about the data is stopped at the declared size.
                guard out.count + chunk.count <= limit else { throw PartMismatch() }
                out.append(chunk)
            }
            // The library returns the checksum; comparing it is the caller's part.
            guard checksum == entry.checksum else { throw PartMismatch() }
        } catch {
            throw WorkbookPackage.malformed(file, problem: "has a damaged part \(path) (truncated, or its data do not match its checksum)")
        }
        guard out.count == limit else {
            throw WorkbookPackage.malformed(file, problem: "has a damaged part \(path) (truncated, or its data do not match its checksum)")
        }
        bytesRead += out.count
        return out
    }

    /// The data do not match the entry (longer than declared, or another checksum).
    private struct PartMismatch: Error {}
}
