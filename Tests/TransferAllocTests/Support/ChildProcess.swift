import Foundation
import Testing
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
        /// Peak resident memory of `transfercalc`, in KiB: measured by `/usr/bin/time` when the
        /// run asked for it (`measureMemory`) and that tool is installed, else the high-water
        /// mark `VmHWM` polled from /proc while it ran, else `wait4`'s `ru_maxrss`.
        ///
        /// `ru_maxrss` of a `posix_spawn`ed child cannot be used for a limit: glibc spawns with
        /// `CLONE_VM`, and the kernel's exec folds the parent's peak into the child's, so it
        /// reports the test runner's own peak (hundreds of MB in a full run) whenever that is larger.
        var maxResidentKiB: Int
    }

    let pid: pid_t
    let scratch: URL
    /// Where `/usr/bin/time -f %M` writes the peak, when it wraps the binary.
    let timeFile: URL?
    /// The highest `VmHWM` seen while polling, when no `/usr/bin/time` wraps the binary.
    let poller: PeakPoller?

    /// `/usr/bin/time` (Debian package `time`, which CI installs), when present.
    static let timeTool: String? = FileManager.default.isExecutableFile(atPath: "/usr/bin/time") ? "/usr/bin/time" : nil

    /// Starts `WRAPPER… sh -c 'cd DIRECTORY; SHELL' EXECPREFIX… transfercalc ARGUMENTS…`.
    ///
    /// - Parameters:
    ///   - shell: shell text that runs the command, which it gets as `"$@"`; default `exec "$@"`.
    ///     Arguments are passed as positional parameters, never spliced into the text.
    ///   - wrapper: a command the shell runs under, e.g. `["unshare", "-m"]` (looked up in PATH).
    ///   - execPrefix: words put before the binary in `"$@"`, e.g. `["setpriv", "--reuid=65534"]`.
    ///   - stdoutPath: where standard output goes (default: a scratch file read back).
    ///   - measureMemory: measure the binary's peak memory (see `Result.maxResidentKiB`); only
    ///     for runs that end by themselves (a signal sent to `pid` would reach the measuring tool).
    ///   - pollMemory: with `measureMemory`, poll /proc even when `/usr/bin/time` is installed
    ///     (so the fallback is tested too).
    static func start(_ arguments: [String], in directory: URL, shell: String = "exec \"$@\"",
                      wrapper: [String] = [], execPrefix: [String] = [],
                      stdoutPath: String? = nil, measureMemory: Bool = false,
                      pollMemory: Bool = false) throws -> ChildProcess {
        let scratch = try CLI.temporaryDirectory()
        let script = "cd \"$1\" || exit 125; shift; " + shell
        let timeFile = measureMemory && !pollMemory && timeTool != nil ? scratch.appendingPathComponent("time") : nil
        let timing = timeFile.map { [timeTool!, "-f", "%M", "-o", $0.path] } ?? []
        let argv = wrapper + ["/bin/sh", "-c", script, "sh", directory.path] + timing + execPrefix + [CLI.binary.path] + arguments
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
        // As a shell starts a command: no signal blocked or ignored because the test runner's
        // thread happened to block or ignore it (SIGTERM and SIGINT must reach the binary).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), handledSignals = sigset_t()
        sigemptyset(&noSignals)
        sigemptyset(&handledSignals)
        sigaddset(&handledSignals, SIGTERM)
        sigaddset(&handledSignals, SIGINT)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &handledSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, argv[0], &actions, &attributes, &cArguments, environ)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        return ChildProcess(pid: pid, scratch: scratch, timeFile: timeFile,
                            poller: measureMemory && timeFile == nil ? PeakPoller(pid: pid) : nil)
    }

    func kill(_ signal: Int32) { _ = Glibc.kill(pid, signal) }

    /// Waits for the end and collects what it wrote.
    func wait() throws -> Result {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw POSIXError(.ECHILD) }
        }
        poller?.stop()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var peak = Int(usage.ru_maxrss)
        if let timeFile {
            // The last line is the number (GNU time puts "Command exited with non-zero status N" first).
            let text = try String(contentsOf: timeFile, encoding: .utf8)
            peak = try #require(text.split(separator: "\n").last.flatMap { Int($0) }, "no peak in \(text)")
        } else if let poller {
            peak = poller.peakKiB
        }
        let out = (try? Data(contentsOf: scratch.appendingPathComponent("stdout"))) ?? Data()
        let err = try Data(contentsOf: scratch.appendingPathComponent("stderr"))
        let signaled = status & 0x7F != 0 && status & 0x7F != 0x7F
        return Result(status: signaled ? nil : (status >> 8) & 0xFF, signal: signaled ? status & 0x7F : nil,
                      stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
                      maxResidentKiB: peak)
    }

    /// Starts and waits.
    static func run(_ arguments: [String], in directory: URL, shell: String = "exec \"$@\"",
                    wrapper: [String] = [], execPrefix: [String] = [], stdoutPath: String? = nil,
                    measureMemory: Bool = false, pollMemory: Bool = false) throws -> Result {
        try start(arguments, in: directory, shell: shell, wrapper: wrapper, execPrefix: execPrefix,
                  stdoutPath: stdoutPath, measureMemory: measureMemory, pollMemory: pollMemory).wait()
    }

    /// Polls `VmHWM` (the peak resident size of the process's current image, which is the
    /// binary's once the shell has exec'd it) every millisecond until `stop()`. A fallback: a
    /// peak reached in the last millisecond before exit can be missed, never overstated.
    final class PeakPoller: @unchecked Sendable {
        private let lock = NSLock()
        private var peak = 0
        private var running = true
        private let path: String

        init(pid: pid_t) {
            path = "/proc/\(pid)/status"
            Thread { [self] in
                while isRunning {
                    if let status = try? String(contentsOfFile: path, encoding: .utf8),
                       let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                       let kib = Int(line.split(separator: " ").dropFirst().first ?? "") {
                        record(kib)
                    }
                    usleep(1_000)
                }
            }.start()
        }

        private var isRunning: Bool { lock.withLock { running } }
        private func record(_ kib: Int) { lock.withLock { peak = max(peak, kib) } }
        var peakKiB: Int { lock.withLock { peak } }
        func stop() { lock.withLock { running = false } }
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
