import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `transfercalc` under a shell prefix (`ulimit -f 8`, `setpriv …`, `unshare -m …`)
/// with `posix_spawn`, so a test can limit it, kill it mid-run, and read its peak memory from
/// `wait4` — things `Foundation.Process` does not offer.
struct ChildProcess {
    struct Result {
        /// Exit status, or nil when a signal ended the process.
        var status: Int32?
        var signal: Int32?
        var stdout: String
        var stderr: String
        /// Peak resident memory of the process, in KiB (`ru_maxrss`).
        var maxResidentKiB: Int
    }

    let pid: pid_t
    let scratch: URL

    /// Starts `WRAPPER… sh -c 'cd DIRECTORY; SHELL' EXECPREFIX… transfercalc ARGUMENTS…`.
    ///
    /// - Parameters:
    ///   - shell: shell text that runs the command, which it gets as `"$@"`; default `exec "$@"`.
    ///     Arguments are passed as positional parameters, never spliced into the text.
    ///   - wrapper: a command the shell runs under, e.g. `["unshare", "-m"]` (looked up in PATH).
    ///   - execPrefix: words put before the binary in `"$@"`, e.g. `["setpriv", "--reuid=65534"]`.
    ///   - stdoutPath: where standard output goes (default: a scratch file read back).
    static func start(_ arguments: [String], in directory: URL, shell: String = "exec \"$@\"",
                      wrapper: [String] = [], execPrefix: [String] = [],
                      stdoutPath: String? = nil) throws -> ChildProcess {
        let scratch = try CLI.temporaryDirectory()
        let script = "cd \"$1\" || exit 125; shift; " + shell
        let argv = wrapper + ["/bin/sh", "-c", script, "sh", directory.path] + execPrefix + [CLI.binary.path] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath ?? scratch.appendingPathComponent("stdout").path,
                                         O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, scratch.appendingPathComponent("stderr").path,
                                         O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        return ChildProcess(pid: pid, scratch: scratch)
    }

    func kill(_ signal: Int32) { _ = Glibc.kill(pid, signal) }

    /// Waits for the end and collects what it wrote.
    func wait() throws -> Result {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw POSIXError(.ECHILD) }
        }
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = (try? Data(contentsOf: scratch.appendingPathComponent("stdout"))) ?? Data()
        let err = try Data(contentsOf: scratch.appendingPathComponent("stderr"))
        let signaled = status & 0x7F != 0 && status & 0x7F != 0x7F
        return Result(status: signaled ? nil : (status >> 8) & 0xFF, signal: signaled ? status & 0x7F : nil,
                      stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
                      maxResidentKiB: Int(usage.ru_maxrss))
    }

    /// Starts and waits.
    static func run(_ arguments: [String], in directory: URL, shell: String = "exec \"$@\"",
                    wrapper: [String] = [], execPrefix: [String] = [], stdoutPath: String? = nil) throws -> Result {
        try start(arguments, in: directory, shell: shell, wrapper: wrapper, execPrefix: execPrefix,
                  stdoutPath: stdoutPath).wait()
    }

    /// True when `sh -c TEXT` succeeds here (probes for setpriv, unshare and mount).
    static func shellSucceeds(_ text: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", text]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
