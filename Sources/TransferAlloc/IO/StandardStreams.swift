#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to standard output and standard error without trapping.
///
/// Foundation's `FileHandle.write(_:)` stops the process when the write fails, so an output
/// redirected to a full disk (`> /dev/full`) or past `ulimit -f` crashed. Here a failed write
/// of the output is an `InputError` (exit 1, message naming standard output), and a failed
/// write of a message is dropped: there is nowhere left to report it.
///
///     try StandardStreams.writeOutput(Array("code,amount\n".utf8))
///     // with stdout on /dev/full, throws: standard output: cannot write: No space left on
///     // device; expected a writable output path with free space
public enum StandardStreams {
    /// What a failed write of the output says is expected (the command line adds where else
    /// the output can go).
    public static let outputAccepted = "standard output on a device or file that takes the whole output"

    /// - Throws: `InputError` naming `standard output` and the system's reason.
    /// - Complexity: O(n).
    public static func writeOutput(_ bytes: [UInt8]) throws(InputError) {
        try bytes.withBytes { (raw) throws(InputError) in try writeOutput(raw) }
    }

    /// Writes one piece of the output (a long table is written piece by piece).
    public static func writeOutput(_ bytes: UnsafeRawBufferPointer) throws(InputError) {
        SystemSignals.ignoreFileSizeLimit()
        if var error = AtomicFile.writeAll(bytes, to: STDOUT_FILENO, path: "standard output") {
            error.accepted = StandardStreams.outputAccepted
            throw error
        }
    }

    /// Whether standard output is a terminal (a person reads it) rather than a file or a pipe.
    public static var outputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Writes a message to standard error; a failure is ignored.
    public static func writeError(_ text: String) {
        SystemSignals.ignoreFileSizeLimit()
        _ = Array(text.utf8).withUnsafeBytes { AtomicFile.writeAll($0, to: STDERR_FILENO, path: "standard error") }
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body with a typed error (the standard one rethrows `any Error`).
    func withBytes<E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        let result: Result<Void, E> = withUnsafeBytes { raw in Result { () throws(E) in try body(raw) } }
        try result.get()
    }
}
