import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Faults around the output (contract §8: nothing is written unless the whole run succeeds):
/// a process killed mid-write, a directory it may not write, a full disk, a file-size limit, a
/// missing input, and outputs that are links, pipes or directories.
@Suite struct OutputFaultTests {
    static let previous = "previous output, kept whole\n"
    static let settledOnly = ["--set", "money.weights.settled=1", "--set", "money.weights.permits=0",
                              "--set", "money.coefficient_columns=[]"]

    /// A small table whose run succeeds.
    static func smallInputs() throws -> URL {
        let directory = try CLI.temporaryDirectory()
        try CLI.write("code,name,settled\n110101,甲,3\n110102,乙,5\n", to: "s.csv", in: directory)
        return directory
    }

    static func leftovers(in directory: URL, for name: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".\(name).tmp-") }
    }

    // MARK: Killed mid-write

    /// 24 counties with 170,000-character names in 4 scenarios: an output of about 49 MB, so the
    /// write and its flush take long enough to be interrupted.
    static func largeOutputInputs() throws -> URL {
        let directory = try CLI.temporaryDirectory()
        let name = String(repeating: "名", count: 170_000)
        var settlement = "code,name,settled\n"
        for i in 0..<24 { settlement += "\(110_100 + i),\(name),\(i + 1)\n" }
        try CLI.write(settlement, to: "s.csv", in: directory)
        try CLI.write("scenario,fund_total\na,1000000000\nb,1000000007\nc,5\nd,99\n", to: "b.csv", in: directory)
        return directory
    }

    @Test func killedWhileWritingLeavesThePreviousFileWhole() throws {
        let directory = try Self.largeOutputInputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.csv")
        var interrupted = 0
        for _ in 0..<3 {
            try Data(Self.previous.utf8).write(to: output)
            for stray in try Self.leftovers(in: directory, for: "out.csv") {
                try FileManager.default.removeItem(at: directory.appendingPathComponent(stray))
            }
            let child = try ChildProcess.start(["allocate", "--settlement", "s.csv", "--budget", "b.csv",
                                                "--output", "out.csv"] + Self.settledOnly, in: directory)
            // Wait for the temporary file to hold some bytes, then kill: the write has begun.
            var sawTemporary = false
            for _ in 0..<60_000 {
                let strays = try Self.leftovers(in: directory, for: "out.csv")
                if let stray = strays.first,
                   let size = try? FileManager.default.attributesOfItem(
                       atPath: directory.appendingPathComponent(stray).path)[.size] as? Int, size > 0 {
                    sawTemporary = true
                    break
                }
                if (try? String(contentsOf: output, encoding: .utf8)) != Self.previous { break }
                usleep(500)
            }
            child.kill(SIGKILL)
            let result = try child.wait()
            let after = try Data(contentsOf: output)
            if result.signal == SIGKILL && sawTemporary {
                interrupted += 1
                #expect(after == Data(Self.previous.utf8), "a killed run changed the output path")
            } else {
                // The run finished before the kill landed: then the whole new table is there.
                #expect(result.status == 0, "\(result.stderr)")
                #expect(after.count > 40_000_000)
            }
        }
        // At least one run must really have been cut mid-write, or the test proved nothing.
        #expect(interrupted > 0)
    }

    // MARK: Directories, disks and limits

    @Test(.enabled(if: getuid() != 0 || ChildProcess.shellSucceeds("setpriv --reuid=65534 --regid=65534 --clear-groups true")))
    func unwritableDirectoryIsAClearError() throws {
        let directory = try Self.smallInputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let locked = directory.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: false)
        try Data(Self.previous.utf8).write(to: locked.appendingPathComponent("out.csv"))
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked.path) }
        // root writes anywhere, so as root the run drops to the unprivileged user nobody.
        let drop = getuid() == 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        let result = try ChildProcess.run(["allocate", "--settlement", "s.csv", "--fund-total", "100",
                                           "--output", "locked/out.csv"] + Self.settledOnly,
                                          in: directory, execPrefix: drop)
        #expect(result.status == 1)
        #expect(result.stderr == "transfercalc: error: locked/out.csv: cannot create a temporary file in locked: "
            + "Permission denied; expected a writable output path with free space\n")
        #expect(try String(contentsOf: locked.appendingPathComponent("out.csv"), encoding: .utf8) == Self.previous)
    }

    @Test func fileSizeLimitIsAnErrorNotASignal() throws {
        let directory = try Self.smallInputs()
        try CLI.write("code,name,settled\n" + (1...40).map { "\(110_100 + $0),县\($0),\($0)\n" }.joined(),
                      to: "s.csv", in: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(Self.previous.utf8).write(to: directory.appendingPathComponent("out.csv"))
        // ulimit -f counts 512-byte blocks in sh; the limit applies to standard error too (a file
        // here), so 1 block leaves room for the message but not for the output of 40 counties.
        let result = try ChildProcess.run(["allocate", "--settlement", "s.csv", "--fund-total", "100",
                                           "--output", "out.csv"] + Self.settledOnly,
                                          in: directory, shell: "ulimit -f 1; exec \"$@\"")
        #expect(result.signal == nil, "killed by signal \(result.signal ?? 0) (SIGXFSZ is \(SIGXFSZ))")
        #expect(result.status == 1)
        #expect(result.stderr == "transfercalc: error: out.csv: cannot write: File too large; "
            + "expected a writable output path with free space\n")
        #expect(try String(contentsOf: directory.appendingPathComponent("out.csv"), encoding: .utf8) == Self.previous)
        #expect(try Self.leftovers(in: directory, for: "out.csv").isEmpty)

        // The same limit on standard output.
        let stdout = try ChildProcess.run(["allocate", "--settlement", "s.csv", "--fund-total", "100"] + Self.settledOnly,
                                          in: directory, shell: "ulimit -f 1; exec \"$@\"",
                                          stdoutPath: directory.appendingPathComponent("stdout.csv").path)
        #expect(stdout.status == 1)
        #expect(stdout.stderr.hasPrefix("transfercalc: error: standard output: cannot write: File too large;"))
    }

    @Test(.enabled(if: getuid() == 0 && ChildProcess.shellSucceeds("unshare -m true")))
    func fullDiskIsAClearError() throws {
        let directory = try Self.smallInputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let disk = directory.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: false)
        // A 4 KiB tmpfs in a private mount namespace: it vanishes with the process. The previous
        // output is written inside the namespace first, so the disk is full when the run writes.
        let shell = "mount -t tmpfs -o size=4k none disk || exit 126; printf 'previous\\n' > disk/out.csv; "
            + "head -c 4096 /dev/zero > disk/fill 2>/dev/null; "
            + "\"$@\"; status=$?; cat disk/out.csv >&2; ls -a disk >&2; exit $status"
        let result = try ChildProcess.run(["allocate", "--settlement", "s.csv", "--fund-total", "100",
                                           "--output", "disk/out.csv"] + Self.settledOnly,
                                          in: directory, shell: shell, wrapper: ["unshare", "-m"])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first.map(String.init) == "transfercalc: error: disk/out.csv: cannot write: No space left on device; "
            + "expected a writable output path with free space")
        // The previous file, then the directory listing: no temporary file left behind.
        #expect(lines.dropFirst().first == "previous")
        #expect(!result.stderr.contains(".out.csv.tmp-"))
    }

    @Test func standardOutputOnAFullDeviceIsAClearError() throws {
        let directory = try Self.smallInputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ChildProcess.run(["allocate", "--settlement", "s.csv", "--fund-total", "100"] + Self.settledOnly,
                                          in: directory, stdoutPath: "/dev/full")
        #expect(result.signal == nil)
        #expect(result.status == 1)
        #expect(result.stderr == "transfercalc: error: standard output: cannot write: No space left on device; "
            + "expected standard output on a device or file that takes the whole output (or --output FILE)\n")
    }

    // MARK: Missing inputs, odd outputs

    @Test(arguments: [
        (["--settlement", "nope.csv", "--fund-total", "100"], "nope.csv"),
        (["--settlement", "s.csv", "--budget", "no/budget.csv"], "no/budget.csv"),
        (["--settlement", "s.csv", "--fund-total", "100", "--policy", "missing.json"], "missing.json"),
    ])
    func missingInputNamesItsPath(arguments: [String], path: String) throws {
        let directory = try Self.smallInputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLI.run(["allocate"] + arguments, in: directory)
        #expect(result.status == 1)
        #expect(result.stderr == "transfercalc: error: \(path): cannot be read: No such file or directory; "
            + "expected a readable file\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func outputIntoAMissingDirectoryOrOntoADirectory() throws {
        let directory = try Self.smallInputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = try CLI.run(["allocate", "--settlement", "s.csv", "--fund-total", "100",
                                   "--output", "no/such/out.csv"] + Self.settledOnly, in: directory)
        #expect(missing.status == 1)
        #expect(missing.stderr == "transfercalc: error: no/such/out.csv: cannot create a temporary file in no/such: "
            + "No such file or directory; expected a writable output path with free space\n")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("folder"),
                                                withIntermediateDirectories: false)
        let onDirectory = try CLI.run(["allocate", "--settlement", "s.csv", "--fund-total", "100",
                                       "--output", "folder"] + Self.settledOnly, in: directory)
        #expect(onDirectory.status == 1)
        #expect(onDirectory.stderr == "transfercalc: error: folder: is a directory; expected an output file path\n")
    }

    @Test func aSymbolicLinkKeepsPointingAtTheNewOutput() throws {
        let directory = try Self.smallInputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let real = directory.appendingPathComponent("real.csv")
        try Data(Self.previous.utf8).write(to: real)
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("link.csv").path,
                                                   withDestinationPath: "real.csv")
        let result = try CLI.run(["allocate", "--settlement", "s.csv", "--fund-total", "100",
                                  "--output", "link.csv"] + Self.settledOnly, in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let destination = try FileManager.default.destinationOfSymbolicLink(
            atPath: directory.appendingPathComponent("link.csv").path)
        #expect(destination == "real.csv")
        #expect(try String(contentsOf: real, encoding: .utf8).hasPrefix("scenario,code,name,"))
    }

    /// A device node of the test's own (the null device, made with mknod in a temporary
    /// directory): renaming over it would have replaced the device with a regular file, as
    /// `--output /dev/null` did to `/dev/null` when run as root.
    @Test(.enabled(if: getuid() == 0)) func aDeviceIsWrittenInPlace() throws {
        let directory = try Self.smallInputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let device = directory.appendingPathComponent("null")
        // Device 1:3 in glibc's dev_t encoding (major << 8 | minor for small numbers).
        #expect(mknod(device.path, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0)
        let result = try CLI.run(["allocate", "--settlement", "s.csv", "--fund-total", "100",
                                  "--output", "null"] + Self.settledOnly, in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        var info = stat()
        #expect(lstat(device.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR, "the device was replaced")
        #expect(try Self.leftovers(in: directory, for: "null").isEmpty)
    }

    @Test func aNamedPipeIsWrittenInPlace() throws {
        let directory = try Self.smallInputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pipe = directory.appendingPathComponent("pipe")
        #expect(mkfifo(pipe.path, 0o644) == 0)
        // Opened for reading without blocking first, so the tool's open for writing cannot hang.
        let reader = open(pipe.path, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let child = try ChildProcess.start(["allocate", "--settlement", "s.csv", "--fund-total", "100",
                                            "--output", "pipe"] + Self.settledOnly, in: directory)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var finished = false
        var result: ChildProcess.Result?
        for _ in 0..<20_000 where !finished {
            let n = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress!, $0.count) }
            if n > 0 {
                received += buffer[0..<n]
            } else if n == 0, received.count > 0 {
                finished = true
            } else {
                usleep(1_000)
            }
        }
        result = try child.wait()
        #expect(result?.status == 0, "\(result?.stderr ?? "")")
        var info = stat()
        #expect(lstat(pipe.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO, "the pipe was replaced")
        #expect(String(decoding: received, as: UTF8.self).hasPrefix("scenario,code,name,"))
    }
}
