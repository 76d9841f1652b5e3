import Foundation
import Testing
@testable import TransferAlloc
#if canImport(Glibc)
import Glibc
#endif

/// `--output /dev/null` (or /dev/stdout) must write to the device, never rename a temporary file
/// over it — which as root would replace the device node for every process on the machine.
/// A FIFO stands in for the device, so the test cannot harm the machine if it fails.
@Suite struct AtomicFileDeviceTests {
    @Test func writesIntoAFIFOInPlace() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("pipe").path
        #expect(mkfifo(path, 0o600) == 0)
        // The reader opens the FIFO first (open blocks until a writer comes), then reads to EOF.
        nonisolated(unsafe) var received: [UInt8] = []
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let reader = FileHandle(forReadingAtPath: path)!
            received = Array(reader.readDataToEndOfFile())
            done.signal()
        }
        try AtomicFile.write(Array("a,b\n1,2\n".utf8), to: path)
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(received == Array("a,b\n1,2\n".utf8))
        var info = stat()
        #expect(stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO, "the FIFO was replaced")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers == ["pipe"])
    }

    @Test func aDirectoryIsRejected() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: InputError.self) { try AtomicFile.write([1], to: directory.path) }
    }
}
