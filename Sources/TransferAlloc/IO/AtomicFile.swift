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
public enum AtomicFile {
    /// - Throws: `InputError` naming the path and the system's reason (no space, no permission…);
    ///   the target is untouched and the temporary file removed.
    public static func write(_ bytes: [UInt8], to path: String) throws(InputError) {
        let directory: String
        let base: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
            base = String(path[path.index(after: slash)...])
        } else {
            directory = "."
            base = path
        }
        guard !base.isEmpty else {
            throw InputError(file: path, problem: "is a directory, not a file name", accepted: "an output file path")
        }
        // A device or FIFO (/dev/null, /dev/stdout) has no contents to replace, and renaming over
        // it would replace the device node itself (as root, for everyone): write to it in place.
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            guard (info.st_mode & S_IFMT) != S_IFDIR else {
                throw InputError(file: path, problem: "is a directory, not a file name", accepted: "an output file path")
            }
            let fd = open(path, O_WRONLY)
            guard fd >= 0 else { throw failure(path, "cannot open") }
            defer { close(fd) }
            try writeAll(bytes, to: fd, path: path, onError: {})
            return
        }
        var template = Array((directory + "/." + base + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure(path, "cannot create a temporary file in \(directory)") }
        let temporary = String(cString: template)
        try writeAll(bytes, to: fd, path: path, onError: { close(fd); unlink(temporary) })
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
        if rename(temporary, path) != 0 {
            let error = failure(path, "cannot replace")
            unlink(temporary)
            throw error
        }
    }

    /// Writes every byte, retrying after signals; on failure runs `onError`, then throws.
    static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String, onError: () -> Void) throws(InputError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.write(fd, raw.baseAddress! + written, bytes.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let error = failure(path, "cannot write")
                onError()
                throw error
            }
            written += n
        }
    }

    static func failure(_ path: String, _ what: String) -> InputError {
        InputError(file: path, problem: "\(what): \(String(cString: strerror(errno)))",
                   accepted: "a writable output path with free space")
    }
}
