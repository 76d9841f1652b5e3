import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How far a register run has got, for a progress display.
public struct RegisterProgress: Sendable {
    /// Bytes read so far and the file's size (0 when it is not a regular file).
    public var bytes: Int
    public var totalBytes: Int
    /// Data rows read so far (by the half that reports; both halves once it is done).
    public var rows: Int
}

/// Aggregates a settlement register file (contract §6), streaming it through a fixed buffer.
///
/// A large file is read as two halves on two threads: the split is the first line break after
/// the middle, and the second half is read on the guess that this line break is not inside a
/// quoted field. The first half, read from the file's start, knows: if its last record does
/// not end exactly at the split, the guess was wrong, the second half's work is dropped and
/// the first half simply reads on to the end. So the result (and the error reported, the first
/// in file order) is always the single-threaded one.
///
///     let result = try RegisterFile.aggregate(path: "register.csv", year: 2023)
///     print(result.csv(), terminator: "")
public enum RegisterFile {
    /// Files smaller than this are read on one thread.
    static let splitThreshold = 32 << 20

    /// - Parameters:
    ///   - priorByOrigin: each prior year as its three origin columns (§10.2) instead of a total.
    ///   - codeMap: renamed codes, applied to both codes of every row (§10.8).
    ///   - threads: 1 or 2 (more are not used).
    ///   - progress: called now and then with the bytes read (from one thread at a time).
    /// - Throws: `InputError` naming file, line, column and value; for a repeated person_id,
    ///   both lines.
    /// - Complexity: O(file size); memory: the 128 KiB buffers, the counties, and about 16 bytes
    ///   per distinct person_id.
    public static func aggregate(path: String, year: Int, priorYears: Int = 4, priorByOrigin: Bool = false,
                                 codeMap: CodeMap? = nil, encoding: TextEncoding? = nil, threads: Int = 2,
                                 progress: (@Sendable (RegisterProgress) -> Void)? = nil) throws(InputError) -> RegisterAggregate {
        try aggregate(path: path, year: year, priorYears: priorYears, priorByOrigin: priorByOrigin, codeMap: codeMap,
                      encoding: encoding, threads: threads, idHashMask: .max, splitThreshold: splitThreshold,
                      progress: progress)
    }

    static func aggregate(path: String, year: Int, priorYears: Int, priorByOrigin: Bool = false, codeMap: CodeMap? = nil,
                          encoding: TextEncoding?, threads: Int, idHashMask: UInt64, splitThreshold: Int,
                          progress: (@Sendable (RegisterProgress) -> Void)?) throws(InputError) -> RegisterAggregate {
        let input = try RegisterFileSource(path: path)
        let size = input.size
        let counter = ProgressCounter()
        let mapIndex = codeMap.map(CodeMapIndex.init)
        var first = RegisterScanner(file: path, year: year, priorYears: priorYears, priorByOrigin: priorByOrigin,
                                    codeMap: mapIndex, encoding: encoding,
                                    source: input, ids: PersonIDSet(hashMask: idHashMask))
        defer { first.release() }
        var offset = 0
        do throws(RegisterFailure) {
          readAll: do {
            // The first buffer: detection, header, and an estimate of the rows to expect.
            var ended = false
            while !ended, first.writableSpace().count > 0 {
                let n = try input.readPart(at: offset, into: first.writableSpace())
                first.didFill(n)
                offset += n
                ended = n == 0
            }
            try first.drain(final: ended)
            counter.add(offset, rows: first.rows, total: size, report: progress)
            if ended { break readAll }
            if first.ids.count > 0, size > 0 {
                let expected = Double(first.ids.count) * Double(size) / Double(max(1, first.consumedOffset))
                first.ids.reserve(Int(expected * (threads > 1 && size >= splitThreshold ? 0.55 : 1.05)))
            }
            if threads > 1, size >= splitThreshold, let layout = first.layout,
               let split = try splitPoint(input, from: max(offset, size / 2)) {
                return try twoHalves(first: &first, offset: offset, split: split, layout: layout,
                                     input: input, codeMap: codeMap, counter: counter, progress: progress)
            }
            try readOn(&first, from: &offset, to: Int.max, input: input, counter: counter, progress: progress)
          }
        } catch {
            throw error.resolved(lineOffset: 0)
        }
        return try RegisterAggregator.result(of: [first], codeMap: codeMap)
    }

    /// Reads and scans until `limit` (exclusive) or the end of the file; scans the end as final
    /// only when the file ended.
    private static func readOn(_ scanner: inout RegisterScanner, from offset: inout Int, to limit: Int,
                               input: RegisterFileSource, counter: ProgressCounter,
                               progress: (@Sendable (RegisterProgress) -> Void)?,
                               stop: StopFlag? = nil) throws(RegisterFailure) {
        while offset < limit {
            if let stop, stop.value.load(ordering: .relaxed) { return }
            let space = scanner.writableSpace()
            let wanted = UnsafeMutableRawBufferPointer(rebasing: space[0..<min(space.count, limit - offset)])
            let n: Int
            do throws(InputError) { n = try input.read(at: offset, into: wanted) } catch { throw RegisterFailure(error) }
            scanner.didFill(n)
            offset += n
            let rowsBefore = scanner.rows
            try scanner.drain(final: n == 0)
            counter.add(n, rows: scanner.rows - rowsBefore, total: input.size, report: progress)
            if n == 0 { return }
        }
    }

    /// The offset just after the first LF at or after `from`, if any within 4 MiB.
    private static func splitPoint(_ input: RegisterFileSource, from: Int) throws(RegisterFailure) -> Int? {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var offset = from
        while offset < min(input.size, from + (4 << 20)) {
            let n: Int
            let result = chunk.withUnsafeMutableBytes { raw in Result { () throws(InputError) in try input.read(at: offset, into: raw) } }
            do throws(InputError) { n = try result.get() } catch { throw RegisterFailure(error) }
            if n == 0 { return nil }
            if let i = chunk[0..<n].firstIndex(of: 0x0A) {
                let split = offset + i + 1
                return split < input.size ? split : nil
            }
            offset += n
        }
        return nil
    }

    private final class Half: @unchecked Sendable {
        var scanner: RegisterScanner
        var failure: RegisterFailure?
        init(_ scanner: RegisterScanner) { self.scanner = scanner }
    }

    private static func twoHalves(first: inout RegisterScanner, offset: Int, split: Int, layout: RegisterLayout,
                                  input: RegisterFileSource, codeMap: CodeMap?, counter: ProgressCounter,
                                  progress: (@Sendable (RegisterProgress) -> Void)?) throws(RegisterFailure) -> RegisterAggregate {
        let second = Half(RegisterScanner(file: first.file, year: first.year, priorYears: first.priorYears,
                                          priorByOrigin: first.priorByOrigin, codeMap: first.codeMap,
                                          encoding: layout.encoding, partStart: split, layout: layout,
                                          source: input, ids: PersonIDSet(capacity: first.ids.capacity,
                                                                          hashMask: first.ids.hashMask)))
        defer { second.scanner.release() }
        let firstHalf = Half(first)
        // `first` is now owned by `firstHalf` until the threads are done.
        let stopFlag = StopFlag()
        var firstOffset = offset
        withUnsafeMutablePointer(to: &firstOffset) { firstOffsetPointer in
            nonisolated(unsafe) let pointer = firstOffsetPointer
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                if part == 0 {
                    do throws(RegisterFailure) {
                        try readOn(&firstHalf.scanner, from: &pointer.pointee, to: split, input: input,
                                   counter: counter, progress: progress)
                    } catch {
                        firstHalf.failure = error
                        stopFlag.value.store(true, ordering: .relaxed)
                    }
                } else {
                    var secondOffset = split
                    do throws(RegisterFailure) {
                        try readOn(&second.scanner, from: &secondOffset, to: Int.max, input: input,
                                   counter: counter, progress: nil, stop: stopFlag)
                    } catch {
                        second.failure = error
                    }
                }
            }
        }
        first = firstHalf.scanner
        if let failure = firstHalf.failure { throw failure }
        guard first.filled == 0 else {
            // The split fell inside a quoted field: read on alone, dropping the second half.
            try readOn(&first, from: &firstOffset, to: Int.max, input: input, counter: counter, progress: progress)
            do throws(InputError) { return try RegisterAggregator.result(of: [first], codeMap: codeMap) } catch { throw RegisterFailure(error) }
        }
        let lineOffset = first.line - 1
        var earliest: InputError?
        if let failure = second.failure { earliest = failure.resolved(lineOffset: lineOffset) }
        if let duplicate = try crossDuplicate(first: first, second: second.scanner, before: earliest?.line.map { $0 - lineOffset }) {
            earliest = duplicate.resolved(lineOffset: lineOffset, earlierOffset: 0)
        }
        if let earliest { throw RegisterFailure(earliest) }
        do throws(InputError) { return try RegisterAggregator.result(of: [first, second.scanner], codeMap: codeMap) } catch { throw RegisterFailure(error) }
    }

    /// The first person_id of the second half (in file order, before relative line `before`)
    /// that the first half also has.
    private static func crossDuplicate(first: RegisterScanner, second: RegisterScanner,
                                       before: Int?) throws(RegisterFailure) -> RegisterFailure? {
        guard let layout = first.layout, let idIndex = layout.idIndex, second.ids.count > 0, first.ids.count > 0 else {
            return nil
        }
        var best: (line: Int, earlier: Int)?
        do throws(InputError) {
            try second.ids.forEach { (key, line) throws(InputError) in
                let later = Int(line)
                if let before, later >= before { return }
                if let best, later >= best.line { return }
                for earlier in first.ids.lines(forStoredKey: key) {
                    var same = key >> 63 == 1
                    if !same {
                        let a = try RegisterScanner.lookupID(file: first.file, source: first.source, layout: layout,
                                                             partStart: 0, line: Int(earlier))
                        let b = try RegisterScanner.lookupID(file: first.file, source: first.source, layout: layout,
                                                             partStart: second.partStart, line: later)
                        same = a == b
                    }
                    if same {
                        best = (later, Int(earlier))
                        break
                    }
                }
            }
            guard let best else { return nil }
            let id = try RegisterScanner.lookupID(file: first.file, source: first.source, layout: layout,
                                                  partStart: second.partStart, line: best.line)
            return RegisterFailure(
                InputError(file: first.file, line: best.line, column: layout.label(idIndex),
                           value: String(decoding: id, as: UTF8.self),
                           problem: "repeats the person_id of line \(best.earlier)",
                           accepted: "each person once in the register (an empty person_id is not checked)"),
                earlierLine: best.earlier)
        } catch {
            throw RegisterFailure(error)
        }
    }
}

/// Tells the second half to stop when the first has failed.
final class StopFlag: Sendable {
    let value = Atomic<Bool>(false)
}

/// Bytes read so far, shared by the two halves.
final class ProgressCounter: Sendable {
    private let bytes = Atomic<Int>(0)
    private let rows = Atomic<Int>(0)
    private let lastReport = Atomic<Int>(0)

    func add(_ count: Int, rows newRows: Int = 0, total: Int, report: (@Sendable (RegisterProgress) -> Void)?) {
        let now = bytes.add(count, ordering: .relaxed).newValue
        let rowsNow = rows.add(newRows, ordering: .relaxed).newValue
        guard let report else { return }
        // Report every 4 MiB, and at the end.
        let last = lastReport.load(ordering: .relaxed)
        if now - last >= 4 << 20 || (total > 0 && now >= total) {
            lastReport.store(now, ordering: .relaxed)
            report(RegisterProgress(bytes: now, totalBytes: total, rows: rowsNow))
        }
    }
}

/// The register file, read by offset (pread), so the halves and re-reads need no shared position.
final class RegisterFileSource: RegisterSource, @unchecked Sendable {
    let path: String
    let fd: Int32
    /// Size of a regular file; 0 otherwise.
    let size: Int

    init(path: String) throws(InputError) {
        self.path = path
        fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw InputError(file: path, problem: "cannot be read: \(String(cString: strerror(errno)))",
                             accepted: "a readable file")
        }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw InputError(file: path, problem: "is a directory", accepted: "a file")
        }
        size = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
    }

    deinit { close(fd) }

    var isRereadable: Bool { size > 0 }

    func readPart(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(RegisterFailure) -> Int {
        do throws(InputError) { return try read(at: offset, into: buffer) } catch { throw RegisterFailure(error) }
    }

    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            let n = size > 0 ? pread(fd, buffer.baseAddress!, buffer.count, off_t(offset))
                             : Glibc.read(fd, buffer.baseAddress!, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw InputError(file: path, problem: "cannot be read: \(String(cString: strerror(errno)))",
                             accepted: "a readable file")
        }
    }
}
