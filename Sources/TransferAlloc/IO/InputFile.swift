#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole input files, turning system errors into `InputError`s that name the path.
public enum InputFile {
    /// Largest input file read whole (settlement, budget, policy, published tables).
    public static let maxBytes = 1 << 30

    /// - Throws: `InputError` for a missing, unreadable or oversized file, or a directory.
    public static func read(_ path: String) throws(InputError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw InputError(file: path, problem: "cannot be read: \(String(cString: strerror(errno)))",
                             accepted: "a readable file")
        }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw InputError(file: path, problem: "is a directory", accepted: "a file")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(file: path, problem: "cannot be read: \(String(cString: strerror(errno)))",
                                 accepted: "a readable file")
            }
            if n == 0 { break }
            if bytes.count + n > maxBytes {
                throw InputError(file: path, problem: "is larger than \(maxBytes >> 20) MiB",
                                 accepted: "a settlement, budget or policy file under 1 GiB (aggregate streams registers of any size)")
            }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }
}
