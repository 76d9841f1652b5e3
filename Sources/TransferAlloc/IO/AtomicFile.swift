#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that its path holds either the previous file or the complete new one,
/// never a partial table (contract §8): the bytes go to a temporary file in the same
/// directory, are flushed to disk, and the temporary file is renamed over the target.
///
///     try AtomicFile.write(Array("code,amount\n".utf8), to: "out/allocation.csv")
///     try AtomicFile.write([], to: "no/such/dir/a.csv")
///     // throws: no/such/dir/a.csv: cannot create a temporary file in no/such/dir: No such file
///     //         or directory; expected a writable output path with free space
///
/// - A process killed while writing leaves the target as it was, and at most a stray
///   `.NAME.tmp-XXXXXX` beside it (nothing can remove it after a SIGKILL).
/// - A full disk or a file-size limit (`ulimit -f`) is an error, not a signal: `SIGXFSZ` is
///   ignored so that `write` returns `EFBIG`, and the temporary file is removed.
/// - A symbolic link is followed: the file it names is replaced and the link stays.
/// - A target that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a named pipe)
///   is written in place: renaming over it would replace the device or pipe itself.
public enum AtomicFile {
    /// - Throws: `InputError` naming the path and the system's reason (no space, no permission…);
    ///   the target is untouched and the temporary file removed.
    /// - Complexity: O(n) in the size of `bytes`.
    public static func write(_ bytes: [UInt8], to path: String) throws(InputError) {
        SystemSignals.ignoreFileSizeLimit()
        var target = path
        var info = stat()
        if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK,
           let resolved = realpath(path, nil) {
            target = String(cString: resolved)
            free(resolved)
        }
        if stat(target, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                break
            case S_IFDIR:
                throw InputError(file: path, problem: "is a directory", accepted: "an output file path")
            default:
                return try writeInPlace(bytes, to: target, shownAs: path)
            }
        }
        let directory: String
        let base: String
        if let slash = target.lastIndex(of: "/") {
            directory = slash == target.startIndex ? "/" : String(target[..<slash])
            base = String(target[target.index(after: slash)...])
        } else {
            directory = "."
            base = target
        }
        guard !base.isEmpty else {
            throw InputError(file: path, problem: "is a directory, not a file name", accepted: "an output file path")
        }
        var template = Array((directory + "/." + base + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure(path, "cannot create a temporary file in \(directory)") }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if let error = writeAll(bytes, to: fd, path: path) {
            close(fd)
            unlink(temporary)
            throw error
        }
        if fsync(fd) != 0 {
            let error = failure(path, "cannot flush to disk")
            close(fd)
            unlink(temporary)
            throw error
        }
        // mkstemp creates 0600; an output table is an ordinary file.
        let mask = umask(0)
        umask(mask)
        fchmod(fd, 0o666 & ~mask)
        close(fd)
        if rename(temporary, target) != 0 {
            let error = failure(path, "cannot replace")
            unlink(temporary)
            throw error
        }
        // The rename itself reaches the disk with the directory.
        let directoryFD = open(directory, O_RDONLY)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// Writes a device or pipe directly (there is nothing to rename over).
    static func writeInPlace(_ bytes: [UInt8], to target: String, shownAs path: String) throws(InputError) {
        let fd = open(target, O_WRONLY | O_TRUNC)
        guard fd >= 0 else { throw failure(path, "cannot open for writing") }
        defer { close(fd) }
        if let error = writeAll(bytes, to: fd, path: path) { throw error }
    }

    /// Writes every byte, retrying short writes and interruptions; the error names `path`.
    static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) -> InputError? {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.write(fd, raw.baseAddress! + written, bytes.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return failure(path, "cannot write")
            }
            written += n
        }
        return nil
    }

    static func failure(_ path: String, _ what: String) -> InputError {
        InputError(file: path, problem: "\(what): \(String(cString: strerror(errno)))",
                   accepted: "a writable output path with free space")
    }
}

/// Process-wide signal settings that output code relies on.
enum SystemSignals {
    private static let fileSizeLimitIgnored: Bool = {
        // Past `ulimit -f` the kernel sends SIGXFSZ, which kills the process mid-write; ignored,
        // the write fails with EFBIG and the tool reports it like a full disk.
        signal(SIGXFSZ, SIG_IGN)
        return true
    }()

    static func ignoreFileSizeLimit() {
        _ = fileSizeLimitIgnored
    }
}
