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
/// - Several outputs of one run are staged first (`stage`) and renamed only once all were
///   written (`commit`), so a failure leaves every target as it was.
/// - A SIGTERM or SIGINT while a temporary file exists removes it (`TemporaryFiles`); a process
///   killed by SIGKILL leaves at most a stray `.NAME.tmp-XXXXXX` beside the target.
/// - A full disk or a file-size limit (`ulimit -f`) is an error, not a signal: `SIGXFSZ` is
///   ignored so that `write` returns `EFBIG`, and the temporary file is removed.
/// - A symbolic link is followed, also when it dangles: the file it names is replaced (or
///   created) and the link stays.
/// - A replaced file keeps its permission bits (and its owner and group where the system
///   allows); a file with more than one hard link is refused, since renaming over one name
///   would leave the others with the old content.
/// - A target that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a named pipe)
///   is written in place: renaming over it would replace the device or pipe itself.
public enum AtomicFile {
    /// - Throws: `InputError` naming the path and the system's reason (no space, no permission…);
    ///   the target is untouched and the temporary file removed.
    /// - Complexity: O(n) in the size of `bytes`.
    public static func write(_ bytes: [UInt8], to path: String) throws(InputError) {
        let staged = try stage(bytes, to: path)
        try staged.commit()
    }

    /// An output written to its temporary file (or, for a device or pipe, not yet written),
    /// waiting for `commit` or `discard`.
    public struct Staged: Sendable {
        let shownAs: String
        let target: String
        let directory: String
        /// The temporary file, or nil for a target written in place at commit.
        let temporary: String?
        let inPlaceBytes: [UInt8]

        /// Renames the temporary file over the target (or writes a device in place).
        /// - Throws: `InputError`; the temporary file is removed.
        public func commit() throws(InputError) {
            guard let temporary else {
                return try AtomicFile.writeInPlace(inPlaceBytes, to: target, shownAs: shownAs)
            }
            defer { TemporaryFiles.forget(temporary) }
            if rename(temporary, target) != 0 {
                let error = failure(shownAs, "cannot replace")
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

        /// Removes the temporary file; the target stays as it was.
        public func discard() {
            guard let temporary else { return }
            unlink(temporary)
            TemporaryFiles.forget(temporary)
        }
    }

    /// Writes `bytes` to a flushed temporary file beside `path`, ready to be renamed over it.
    /// - Throws: `InputError` as `write` does; nothing is left behind.
    public static func stage(_ bytes: [UInt8], to path: String) throws(InputError) -> Staged {
        try stage(to: path) { (write) throws(InputError) in
            try bytes.withBytes { (raw) throws(InputError) in try write(raw) }
        }
    }

    /// Like `stage(_:to:)`, with the bytes given in pieces by `body` (each call of its `write`
    /// goes straight to the temporary file), so a large output is never held whole.
    public static func stage(
        to path: String,
        writing body: (_ write: (UnsafeRawBufferPointer) throws(InputError) -> Void) throws(InputError) -> Void
    ) throws(InputError) -> Staged {
        SystemSignals.ignoreFileSizeLimit()
        let target = followingLinks(path)
        var info = stat()
        var existing: stat?
        if stat(target, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                if info.st_nlink > 1 {
                    throw InputError(
                        file: path, problem: "has \(info.st_nlink) hard links; replacing it would leave the other names with the old content",
                        accepted: "an output path with a single link (write to a new name, or remove the other links)")
                }
                existing = info
            case S_IFDIR:
                throw InputError(file: path, problem: "is a directory", accepted: "an output file path")
            default:
                // A device or pipe is written at commit; its bytes wait here.
                var bytes: [UInt8] = []
                try body { (piece) throws(InputError) in bytes.append(contentsOf: piece) }
                return Staged(shownAs: path, target: target, directory: "", temporary: nil, inPlaceBytes: bytes)
            }
        }
        let (directory, base) = split(target)
        guard !base.isEmpty else {
            throw InputError(file: path, problem: "is a directory, not a file name", accepted: "an output file path")
        }
        var template = Array((directory + "/" + temporaryName(for: base)).utf8CString)
        let fd = TemporaryFiles.create(&template)
        guard fd >= 0 else { throw failure(path, "cannot create a temporary file in \(directory)") }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        func abandon(_ error: InputError) -> InputError {
            close(fd)
            unlink(temporary)
            TemporaryFiles.forget(temporary)
            return error
        }
        do {
            try body { (piece) throws(InputError) in
                if let error = writeAll(piece, to: fd, path: path) { throw error }
            }
        } catch {
            throw abandon(error)
        }
        if fsync(fd) != 0 { throw abandon(failure(path, "cannot flush to disk")) }
        if let existing {
            // A replaced file keeps its permissions, and its owner where the system lets us.
            if existing.st_uid != geteuid() || existing.st_gid != getegid() {
                _ = fchown(fd, existing.st_uid, existing.st_gid)
            }
            fchmod(fd, existing.st_mode & 0o7777)
        } else {
            // mkstemp creates 0600; a new output table is an ordinary file.
            let mask = umask(0)
            umask(mask)
            fchmod(fd, 0o666 & ~mask)
        }
        close(fd)
        return Staged(shownAs: path, target: target, directory: directory, temporary: temporary, inPlaceBytes: [])
    }

    /// Whether writing `output` would replace the file at `input`: both name one regular file
    /// (same device and inode, links followed; a hard link is the same file).
    public static func wouldReplace(input: String, output: String) -> Bool {
        guard case .inode(let device, let inode)? = identity(ofOutput: output) else { return false }
        var info = stat()
        return stat(input, &info) == 0 && info.st_dev == device && info.st_ino == inode
    }

    /// Whether two output paths name one file: the same existing file, or the same new path
    /// once links and the directory are resolved.
    public static func sameOutput(_ first: String, _ second: String) -> Bool {
        guard let a = identity(ofOutput: first), let b = identity(ofOutput: second) else { return false }
        return a == b
    }

    enum Identity: Equatable {
        case inode(dev_t, ino_t)
        case newPath(String)
    }

    /// An existing regular file by its inode, a file still to create by its resolved path;
    /// nil for a device or pipe (written in place, it replaces nothing).
    static func identity(ofOutput path: String) -> Identity? {
        let target = followingLinks(path)
        var info = stat()
        if stat(target, &info) == 0 {
            return (info.st_mode & S_IFMT) == S_IFREG ? .inode(info.st_dev, info.st_ino) : nil
        }
        let (directory, base) = split(target)
        guard let resolved = realpath(directory, nil) else { return .newPath(target) }
        defer { free(resolved) }
        return .newPath(String(cString: resolved) + "/" + base)
    }

    /// `.NAME.tmp-XXXXXX`, with NAME shortened (at a character boundary) so that the temporary
    /// name fits in 255 bytes whenever NAME does.
    static func temporaryName(for base: String) -> String {
        let suffix = ".tmp-XXXXXX"
        let room = Int(NAME_MAX) - 1 - suffix.utf8.count
        var kept = ""
        var used = 0
        for character in base.unicodeScalars {
            let size = String(character).utf8.count
            if used + size > room { break }
            kept.unicodeScalars.append(character)
            used += size
        }
        return "." + kept + suffix
    }

    /// The path with every symbolic link in its last component followed, also a link whose
    /// target does not exist yet (that target is the file to create).
    static func followingLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { return current }
            let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : split(current).directory + "/" + link
        }
        return current
    }

    static func split(_ path: String) -> (directory: String, base: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = slash == path.startIndex ? "/" : String(path[..<slash])
        return (directory, String(path[path.index(after: slash)...]))
    }

    /// Writes a device or pipe directly (there is nothing to rename over).
    static func writeInPlace(_ bytes: [UInt8], to target: String, shownAs path: String) throws(InputError) {
        let fd = open(target, O_WRONLY | O_TRUNC)
        guard fd >= 0 else { throw failure(path, "cannot open for writing") }
        defer { close(fd) }
        let result = bytes.withUnsafeBytes { raw in writeAll(raw, to: fd, path: path) }
        if let error = result { throw error }
    }

    /// Writes every byte, retrying short writes and interruptions; the error names `path`.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) -> InputError? {
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
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

/// The temporary files that exist right now, so that SIGTERM and SIGINT can remove them before
/// the process ends as the signal says.
///
/// The handler may only call async-signal-safe functions: it reads a fixed table of C strings
/// allocated once, calls `unlink` on each, restores the default action and raises the signal
/// again. Slots are filled and cleared with both signals blocked, so the handler never sees a
/// half-written path.
enum TemporaryFiles {
    static let slotCount = 16
    static let slotBytes = Int(PATH_MAX) + 1

    /// `slotCount` slots of `slotBytes`; an empty string is a free slot.
    nonisolated(unsafe) static var slots: UnsafeMutablePointer<CChar>? = nil

    /// Creates the temporary file from a `mkstemp` template and registers it (signals blocked
    /// from before the file exists until it is registered).
    static func create(_ template: inout [CChar]) -> Int32 {
        installOnce()
        var old = sigset_t()
        var blocked = handledSignals()
        sigprocmask(SIG_BLOCK, &blocked, &old)
        defer { sigprocmask(SIG_SETMASK, &old, nil) }
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0, let slots else { return fd }
        if template.count <= slotBytes {
            for slot in 0..<slotCount where slots[slot * slotBytes] == 0 {
                template.withUnsafeBufferPointer { source in
                    (slots + slot * slotBytes).update(from: source.baseAddress!, count: source.count)
                }
                break
            }
        }
        return fd
    }

    /// Unregisters a temporary file that was renamed or removed.
    static func forget(_ path: String) {
        guard let slots else { return }
        var old = sigset_t()
        var blocked = handledSignals()
        sigprocmask(SIG_BLOCK, &blocked, &old)
        defer { sigprocmask(SIG_SETMASK, &old, nil) }
        for slot in 0..<slotCount where slots[slot * slotBytes] != 0 {
            if String(cString: slots + slot * slotBytes) == path {
                slots[slot * slotBytes] = 0
            }
        }
    }

    static func handledSignals() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        return set
    }

    private static let installed: Bool = {
        let table = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * slotBytes)
        table.initialize(repeating: 0, count: slotCount * slotBytes)
        slots = table
        for signalNumber in [SIGTERM, SIGINT] {
            // A signal the process was started to ignore (a background job's SIGINT) stays ignored.
            var current = sigaction()
            sigaction(signalNumber, nil, &current)
            if unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signalNumber in
                if let slots = TemporaryFiles.slots {
                    for slot in 0..<TemporaryFiles.slotCount where slots[slot * TemporaryFiles.slotBytes] != 0 {
                        unlink(slots + slot * TemporaryFiles.slotBytes)
                    }
                }
                signal(signalNumber, SIG_DFL)
                raise(signalNumber)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
        return true
    }()

    static func installOnce() {
        _ = installed
    }
}
