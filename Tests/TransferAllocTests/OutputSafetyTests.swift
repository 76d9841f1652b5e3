import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// An output never destroys an input, the outputs of one run are written all or none, a replaced
/// file keeps what made it that file (mode, links), and a signal leaves no temporary file.
@Suite struct OutputSafetyTests {
    static let settledOnly = OutputFaultTests.settledOnly
    static let register = "dest_code,origin_code,settle_date\n110101,120101,2023-03-01\n"

    static func inputs() throws -> URL {
        let directory = try OutputFaultTests.smallInputs()
        try CLI.write(register, to: "reg.csv", in: directory)
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("link.csv").path,
                                                   withDestinationPath: "s.csv")
        #expect(link(directory.appendingPathComponent("s.csv").path, directory.appendingPathComponent("hard.csv").path) == 0)
        return directory
    }

    static let sweep = ["sweep", "--settlement", "s.csv", "--fund-total", "100", "--vary", "fund_total=100:120:10"]
        + settledOnly

    // MARK: An output that is an input

    @Test(arguments: [
        (["aggregate", "reg.csv", "--year", "2023", "--output", "reg.csv"], "reg.csv", "--output", "reg.csv"),
        (["allocate", "--settlement", "s.csv", "--fund-total", "100", "--output", "s.csv"] + settledOnly, "s.csv", "--output", "s.csv"),
        (sweep + ["--summary", "s.csv"], "s.csv", "--summary", "s.csv"),
        (["allocate", "--settlement", "s.csv", "--fund-total", "100", "--output", "link.csv"] + settledOnly, "link.csv", "--output", "s.csv"),
        (["whatif", "--settlement", "s.csv", "--fund-total", "100", "--output", "hard.csv"] + settledOnly, "hard.csv", "--output", "s.csv"),
        (["explain", "--settlement", "s.csv", "--fund-total", "100", "--code", "110101", "--output", "./s.csv"] + settledOnly, "./s.csv", "--output", "s.csv"),
        (["audit", "--settlement", "s.csv", "--fund-total", "100", "--published", "reg.csv", "--output", "reg.csv"] + settledOnly, "reg.csv", "--output", "reg.csv"),
    ])
    func anOutputThatIsAnInputIsRefusedBeforeReading(arguments: [String], output: String, flag: String, input: String) throws {
        let directory = try Self.inputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = try Data(contentsOf: directory.appendingPathComponent(input))
        let result = try CLI.run(arguments, in: directory)
        #expect(result.status == 1)
        #expect(result.stderr == "transfercalc: error: \(output): is the input \(input) (the same file); writing \(flag) would "
            + "destroy it; expected an output path that is not one of the inputs\n")
        #expect(try Data(contentsOf: directory.appendingPathComponent(input)) == before)
        #expect(result.stdout.isEmpty)
    }

    @Test func summaryAndOutputMayNotBeOneFile() throws {
        let directory = try Self.inputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLI.run(Self.sweep + ["--output", "out.csv", "--summary", "./out.csv"], in: directory)
        #expect(result.status == 1)
        #expect(result.stderr == "transfercalc: error: ./out.csv: is given to both --output and --summary; "
            + "expected a different file for each output\n")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out.csv").path))
    }

    // MARK: All outputs or none

    @Test(arguments: [("/nonexistent/x.csv", "cannot create a temporary file in /nonexistent: No such file or directory"),
                      ("/dev/full", "cannot write: No space left on device")])
    func aFailedOutputLeavesNoSummary(output: String, reason: String) throws {
        let directory = try Self.inputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLI.run(Self.sweep + ["--summary", "sum.csv", "--output", output], in: directory)
        #expect(result.status == 1)
        #expect(result.stderr == "transfercalc: error: \(output): \(reason); expected a writable output path with free space\n")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("sum.csv").path))
        #expect(try OutputFaultTests.leftovers(in: directory, for: "sum.csv").isEmpty)
    }

    @Test func aFailedStandardOutputLeavesNoSummary() throws {
        let directory = try Self.inputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let child = try ChildProcess.start(Self.sweep + ["--summary", "sum.csv"], in: directory,
                                           shell: "exec \"$@\" > /dev/full")
        let result = try child.wait()
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("transfercalc: error: standard output: cannot write: No space left on device"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("sum.csv").path))
    }

    // MARK: Replacing a file

    @Test func aReplacedFileKeepsItsMode() throws {
        let directory = try Self.inputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.csv").path
        try CLI.write("old\n", to: "out.csv", in: directory)
        #expect(chmod(output, 0o600) == 0)
        let result = try CLI.run(["allocate", "--settlement", "s.csv", "--fund-total", "100", "--output", "out.csv"]
            + Self.settledOnly, in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        var info = stat()
        #expect(stat(output, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o600)
        #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("scenario,code,name,"))
    }

    @Test func aFileWithSeveralHardLinksIsRefused() throws {
        let directory = try Self.inputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLI.write("old\n", to: "out.csv", in: directory)
        #expect(link(directory.appendingPathComponent("out.csv").path, directory.appendingPathComponent("copy.csv").path) == 0)
        let result = try CLI.run(["allocate", "--settlement", "s.csv", "--fund-total", "100", "--output", "copy.csv"]
            + Self.settledOnly, in: directory)
        #expect(result.status == 1)
        #expect(result.stderr == "transfercalc: error: copy.csv: has 2 hard links; replacing it would leave the other names "
            + "with the old content; expected an output path with a single link (write to a new name, or remove the other links)\n")
        #expect(try String(contentsOf: directory.appendingPathComponent("out.csv"), encoding: .utf8) == "old\n")
        #expect(try OutputFaultTests.leftovers(in: directory, for: "copy.csv").isEmpty)
    }

    @Test func aDanglingLinkCreatesItsTarget() throws {
        let directory = try Self.inputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("sub/out.csv").path,
                                                   withDestinationPath: "../made.csv")
        let result = try CLI.run(["allocate", "--settlement", "s.csv", "--fund-total", "100", "--output", "sub/out.csv"]
            + Self.settledOnly, in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory.appendingPathComponent("sub/out.csv").path)
            == "../made.csv")
        #expect(try String(contentsOf: directory.appendingPathComponent("made.csv"), encoding: .utf8).hasPrefix("scenario,code,"))
    }

    /// 255 bytes is the longest file name; the temporary name is shortened to fit beside it.
    @Test(arguments: [245, 255]) func aLongNameStillGetsATemporaryFile(length: Int) throws {
        let directory = try Self.inputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let name = String(repeating: "名", count: (length - 4) / 3) + String(repeating: "x", count: (length - 4) % 3) + ".csv"
        #expect(name.utf8.count == length)
        let result = try CLI.run(["allocate", "--settlement", "s.csv", "--fund-total", "100", "--output", name]
            + Self.settledOnly, in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8).hasPrefix("scenario,code,"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".tmp-") }.isEmpty)
    }

    // MARK: Signals

    /// SIGTERM or SIGINT while the 49 MB table is being written: the process ends by that
    /// signal, the previous file is whole and no temporary file is left.
    @Test(arguments: [SIGTERM, SIGINT]) func aSignalDuringTheWriteRemovesTheTemporaryFile(signal: Int32) throws {
        let directory = try OutputFaultTests.largeOutputInputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.csv")
        var interrupted = 0
        for _ in 0..<3 where interrupted == 0 {
            try Data(OutputFaultTests.previous.utf8).write(to: output)
            let child = try ChildProcess.start(["allocate", "--settlement", "s.csv", "--budget", "b.csv",
                                                "--output", "out.csv"] + Self.settledOnly, in: directory)
            var sawTemporary = false
            for _ in 0..<60_000 {
                if let stray = try OutputFaultTests.leftovers(in: directory, for: "out.csv").first,
                   let size = try? FileManager.default.attributesOfItem(
                       atPath: directory.appendingPathComponent(stray).path)[.size] as? Int, size > 0 {
                    sawTemporary = true
                    break
                }
                if (try? String(contentsOf: output, encoding: .utf8)) != OutputFaultTests.previous { break }
                usleep(500)
            }
            child.kill(signal)
            let result = try child.wait()
            if result.signal == signal && sawTemporary {
                interrupted += 1
                #expect(try Data(contentsOf: output) == Data(OutputFaultTests.previous.utf8))
            } else {
                #expect(result.status == 0, "\(result.stderr)")
            }
            #expect(try OutputFaultTests.leftovers(in: directory, for: "out.csv").isEmpty)
        }
        #expect(interrupted > 0)
    }
}
