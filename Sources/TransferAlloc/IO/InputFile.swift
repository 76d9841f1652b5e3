#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import BigInt

/// Reads whole input files, turning system errors into `InputError`s that name the path.
///
/// Every input the tool reads whole (settlement, budget, policy, published tables) is a short
/// text file, so two documented limits stop a wrong or hostile file before it costs memory: the
/// file's size (`maxBytes`) and the length of one line (`maxLineBytes`), both checked while
/// reading, so a one-gigabyte line is refused after its first mebibyte.
///
///     try InputFile.read("data/budget.csv")   // the file's bytes
///     try InputFile.read("missing.csv")
///     // throws: missing.csv: cannot be read: No such file or directory; expected a readable file
public enum InputFile {
    /// Largest input file read whole (settlement, budget, policy, published tables): 1 GiB.
    public static let maxBytes = 1 << 30

    /// Longest line of an input file read whole: 1 MiB. A settlement or budget row, or a line
    /// of a policy file, is a few hundred bytes; the same limit applies to a CSV row as parsed
    /// (`CSVReader.maxRecordBytes`), quoted line breaks included.
    public static let maxLineBytes = 1 << 20

    /// What a file is read as, for what its messages say is expected.
    public enum Kind: Sendable {
        /// A settlement, budget or published table.
        case table
        /// A JSON policy file (minified, it may be one long line).
        case policy

        var nulAccepted: String {
            self == .policy ? "a JSON policy file (UTF-8 text)" : TextEncoding.nulAcceptedText
        }
    }

    /// Reads the whole file.
    ///
    /// - Parameters:
    ///   - maxLineBytes: the longest line accepted (LF, CRLF and a lone CR end a line).
    ///   - kind: what the file should be, as the messages word it.
    /// - Throws: `InputError` for a missing, unreadable or oversized file, a directory, or a line
    ///   longer than `maxLineBytes` (naming its line number).
    /// - Complexity: O(n) time; memory O(n), at most `maxBytes`.
    public static func read(_ path: String, maxLineBytes: Int = InputFile.maxLineBytes,
                            kind: Kind = .table) throws(InputError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw InputError(file: path, problem: "cannot be read: \(String(cString: strerror(errno)))",
                             accepted: "a readable file")
        }
        defer { close(fd) }
        var info = stat()
        var expected = 0
        if fstat(fd, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                throw InputError(file: path, problem: "is a directory", accepted: "a file")
            }
            if (info.st_mode & S_IFMT) == S_IFREG {
                expected = Int(info.st_size)
                if expected > maxBytes { throw tooLarge(path) }
            }
        }
        try checkMemory(expected + 1, file: path, for: "its bytes")
        var bytes: [UInt8] = []
        // One allocation for a regular file (a growing array would peak at twice the size).
        bytes.reserveCapacity(expected + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var lineLength = 0
        var line = 1
        var afterCR = false
        // A zip package (.xlsx) or an OLE2 file (.xls) is binary: its "lines" and NUL bytes mean
        // nothing, and the workbook reader checks it (and caps what it inflates) instead.
        var checksLines = true
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(file: path, problem: "cannot be read: \(String(cString: strerror(errno)))",
                                 accepted: "a readable file")
            }
            if n == 0 { break }
            if bytes.count + n > maxBytes { throw tooLarge(path) }
            if bytes.isEmpty && (chunk.starts(with: [0x50, 0x4B, 0x03, 0x04])
                || chunk.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])) {
                checksLines = false
            }
            for i in 0..<n where checksLines {
                switch chunk[i] {
                case 0x0A:
                    if !afterCR { line += 1 }
                    lineLength = 0
                    afterCR = false
                case 0x0D:
                    line += 1
                    lineLength = 0
                    afterCR = true
                default:
                    lineLength += 1
                    afterCR = false
                    if lineLength > maxLineBytes {
                        throw InputError(
                            file: path, line: line,
                            problem: "is longer than \(Limits.grouped(.init(maxLineBytes))) bytes, the longest line an input file may have",
                            accepted: kind == .policy
                                ? "a policy file of a few kilobytes, with lines under 1 MiB (is this the right file?)"
                                : "a text file with short lines: a settlement or budget table has one row per county or scenario (is this the right file?)")
                    }
                }
            }
            let before = bytes.count
            bytes.append(contentsOf: chunk[0..<n])
            // The first 64 KiB tell a binary, UTF-16 or UTF-32 file, before the rest is read.
            if checksLines && before < TextEncoding.detectionWindow && (bytes.count >= TextEncoding.detectionWindow) {
                try TextEncoding.checkIsText(bytes[...], file: path, nulAccepted: kind.nulAccepted)
            }
        }
        if checksLines && bytes.count < TextEncoding.detectionWindow {
            try TextEncoding.checkIsText(bytes[...], file: path, nulAccepted: kind.nulAccepted)
        }
        return bytes
    }

    /// Checks that `bytes` of memory can be had before the tool takes them for one input (a
    /// file's bytes, a table's rows): under a memory limit too small for the input (`ulimit -v`)
    /// this is an error naming the file, where the allocation itself would end the process with
    /// a crash report. Below 1 MiB nothing is checked; memory taken later, while computing, is not.
    ///
    /// - Throws: `InputError` naming the file, the amount and what it is for.
    public static func checkMemory(_ bytes: Int, file: String, for what: String) throws(InputError) {
        guard bytes >= 1 << 20 else { return }
        // Mapped and unmapped at once: the mapping costs no pages, and it fails exactly when the
        // address space limit leaves no room for it. (A malloc and free of it the optimizer removes.)
        let probe = mmap(nil, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let probe, probe != MAP_FAILED else {
            throw InputError(file: file, problem: "needs \(Limits.grouped(.init((bytes + (1 << 20) - 1) >> 20))) MiB of memory for \(what), which the system refuses",
                             accepted: "more memory for the tool (is a limit such as ulimit -v too small for this file?)")
        }
        munmap(probe, bytes)
    }

    static func tooLarge(_ path: String) -> InputError {
        InputError(file: path, problem: "is larger than \(maxBytes >> 20) MiB",
                   accepted: "a settlement, budget or policy file under 1 GiB (aggregate streams registers of any size)")
    }
}
