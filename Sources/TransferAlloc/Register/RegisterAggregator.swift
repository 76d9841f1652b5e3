/// Aggregates a settlement register fed in chunks of any size (contract §6).
///
/// The chunks may split the input anywhere — inside a field, a quoted line break, a CRLF or a
/// multi-byte character — and the result is the same. `RegisterFile` drives it from a file.
///
///     let aggregator = RegisterAggregator(file: "r.csv", year: 2023, priorYears: 1)
///     try aggregator.feed(Array("dest_code,origin_code,settle_date\n320506,4".utf8))
///     try aggregator.feed(Array("10102,2023-05-17\n".utf8))
///     try aggregator.finish().counties
///     // [RegisterCounty(code: "320506", crossProvince: 1, withinProvince: 0, withinCity: 0, priors: [0])]
///
/// - Complexity: O(n) in the input; memory O(counties + distinct person_ids), not O(n).
public final class RegisterAggregator {
    /// What a register without rows of the asked years says is expected (the command line
    /// words it with its flags).
    public static let yearsAccepted = "a year (and number of prior years) that the register's settle_date values cover"

    var scanner: RegisterScanner
    private var finished = false

    /// - Parameters:
    ///   - file: the name messages show.
    ///   - year: Y; rows of Y fill the origin columns.
    ///   - priorYears: K; rows of Y−k fill prior_k for 1 ≤ k ≤ K.
    ///   - encoding: forced, or nil to detect from the first 64 KiB (§8).
    ///   - source: random access to the same bytes, to compare two person_ids that share a
    ///     hash (needed only when ids are neither identity-number-shaped nor ≤ 7 bytes).
    public convenience init(file: String, year: Int, priorYears: Int = 4, encoding: TextEncoding? = nil,
                            source: (any RegisterSource)? = nil) {
        self.init(file: file, year: year, priorYears: priorYears, encoding: encoding, source: source,
                  idHashMask: .max)
    }

    /// With `fastRows` false every row goes through the CSV tokenizer, none through
    /// `RegisterFastRow`: the tests and the register fuzz target hold the two paths equal.
    @_spi(Testing)
    public convenience init(file: String, year: Int, priorYears: Int = 4, encoding: TextEncoding? = nil,
                            source: (any RegisterSource)? = nil, fastRows: Bool) {
        self.init(file: file, year: year, priorYears: priorYears, encoding: encoding, source: source,
                  idHashMask: .max, fastRows: fastRows)
    }

    /// `idHashMask` keeps only some bits of hashed person_id keys, so tests can force collisions.
    init(file: String, year: Int, priorYears: Int, encoding: TextEncoding?, source: (any RegisterSource)?,
         idHashMask: UInt64, fastRows: Bool = true) {
        scanner = RegisterScanner(file: file, year: year, priorYears: priorYears, encoding: encoding,
                                  source: source, ids: PersonIDSet(hashMask: idHashMask), fastRows: fastRows)
    }

    deinit { scanner.release() }

    /// - Throws: `InputError` for the first bad record that is complete so far.
    public func feed(_ bytes: [UInt8]) throws(InputError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(InputError) in try feed(raw) } }
        try result.get()
    }

    public func feed(_ bytes: UnsafeRawBufferPointer) throws(InputError) {
        precondition(!finished, "feed after finish")
        do throws(RegisterFailure) { try scanner.feed(bytes) } catch { throw error.resolved(lineOffset: 0) }
    }

    /// Ends the input and returns the table.
    /// - Throws: `InputError` for an empty file, a last record in error, or a register with no
    ///   rows of years Y−K…Y.
    public func finish() throws(InputError) -> RegisterAggregate {
        precondition(!finished, "finish called twice")
        finished = true
        do throws(RegisterFailure) { try scanner.drain(final: true) } catch { throw error.resolved(lineOffset: 0) }
        return try RegisterAggregator.result(of: [scanner])
    }

    /// Puts the parts' tallies together (one part, or the two halves of a split file).
    static func result(of parts: [RegisterScanner]) throws(InputError) -> RegisterAggregate {
        let first = parts[0]
        guard let layout = first.layout else {
            throw InputError(file: first.file, problem: "empty file",
                             accepted: "a header row with dest_code, origin_code and settle_date")
        }
        let tally = first.tally
        var ignored = first.ignoredByYear
        var rows = first.rows
        for part in parts.dropFirst() {
            tally.merge(part.tally)
            for year in 0..<ignored.count { ignored[year] += part.ignoredByYear[year] }
            rows += part.rows
        }
        guard rows > 0 else {
            throw InputError(file: first.file, line: layout.headerLine,
                             problem: "is an empty table: it has a header but no rows",
                             accepted: "one row per settled person")
        }
        let width = 3 + first.priorYears
        let counties = tally.sortedRows().map { row in
            RegisterCounty(code: String(decoding: row.code, as: UTF8.self), crossProvince: row.counts[0],
                           withinProvince: row.counts[1], withinCity: row.counts[2],
                           priors: Array(row.counts[3..<width]))
        }
        let ignoredYears = ignored.indices.filter { ignored[$0] > 0 }.map { (year: $0, rows: ignored[$0]) }
        if counties.isEmpty {
            let list = ignoredYears.map { "\($0.year): \(Limits.grouped(.init($0.rows)))" }.joined(separator: ", ")
            throw InputError(file: first.file,
                             problem: "has no rows of years \(first.year - first.priorYears)–\(first.year) (rows by year: \(list))",
                             accepted: RegisterAggregator.yearsAccepted)
        }
        return RegisterAggregate(
            file: first.file, encoding: layout.encoding, year: first.year, priorYears: first.priorYears,
            rows: rows, counties: counties, ignoredYears: ignoredYears, unknownHeaders: layout.unknownHeaders,
            checkedPersonIDs: layout.idIndex != nil)
    }
}

/// A register held in memory, as a `RegisterSource`.
public struct RegisterBytes: RegisterSource {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard offset < bytes.count else { return 0 }
        let n = min(buffer.count, bytes.count - offset)
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
        return n
    }
}
