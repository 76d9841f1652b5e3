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
    var scanner: RegisterScanner
    private var finished = false

    /// - Parameters:
    ///   - file: the name messages show.
    ///   - year: Y; rows of Y fill the origin columns.
    ///   - priorYears: K; rows of Y−k fill prior_k for 1 ≤ k ≤ K.
    ///   - encoding: forced, or nil to detect from the first 64 KiB (§8).
    ///   - source: random access to the same bytes, to compare two person_ids that share a
    ///     hash (needed only when ids are neither identity-number-shaped nor ≤ 7 bytes).
    ///   - priorByOrigin: each prior year as its three origin columns (§10.2) instead of a total.
    ///   - codeMap: renamed codes, applied to both codes of every row (§10.8).
    public convenience init(file: String, year: Int, priorYears: Int = 4, priorByOrigin: Bool = false,
                            codeMap: CodeMap? = nil, encoding: TextEncoding? = nil,
                            source: (any RegisterSource)? = nil) {
        self.init(file: file, year: year, priorYears: priorYears, priorByOrigin: priorByOrigin, codeMap: codeMap,
                  encoding: encoding, source: source, idHashMask: .max)
    }

    /// With `fastRows` false every row goes through the CSV tokenizer, none through
    /// `RegisterFastRow`: the tests and the register fuzz target hold the two paths equal.
    @_spi(Testing)
    public convenience init(file: String, year: Int, priorYears: Int = 4, priorByOrigin: Bool = false,
                            codeMap: CodeMap? = nil, encoding: TextEncoding? = nil,
                            source: (any RegisterSource)? = nil, fastRows: Bool) {
        self.init(file: file, year: year, priorYears: priorYears, priorByOrigin: priorByOrigin, codeMap: codeMap,
                  encoding: encoding, source: source, idHashMask: .max, fastRows: fastRows)
    }

    /// `idHashMask` keeps only some bits of hashed person_id keys, so tests can force collisions.
    init(file: String, year: Int, priorYears: Int, priorByOrigin: Bool = false, codeMap: CodeMap? = nil,
         encoding: TextEncoding?, source: (any RegisterSource)?, idHashMask: UInt64, fastRows: Bool = true) {
        self.codeMap = codeMap
        scanner = RegisterScanner(file: file, year: year, priorYears: priorYears, priorByOrigin: priorByOrigin,
                                  codeMap: codeMap.map(CodeMapIndex.init), encoding: encoding,
                                  source: source, ids: PersonIDSet(hashMask: idHashMask), fastRows: fastRows)
    }

    private let codeMap: CodeMap?

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
        return try RegisterAggregator.result(of: [scanner], codeMap: codeMap)
    }

    /// Puts the parts' tallies together (one part, or the two halves of a split file).
    static func result(of parts: [RegisterScanner], codeMap: CodeMap?) throws(InputError) -> RegisterAggregate {
        let first = parts[0]
        guard let layout = first.layout else {
            throw InputError(file: first.file, problem: "empty file",
                             accepted: "a header row with dest_code, origin_code and settle_date")
        }
        let tally = first.tally
        var ignored = first.ignoredByYear
        var rows = first.rows
        var excluded = first.excluded
        for part in parts.dropFirst() {
            tally.merge(part.tally)
            for year in 0..<ignored.count { ignored[year] += part.ignoredByYear[year] }
            rows += part.rows
            excluded += part.excluded
        }
        guard rows > 0 else {
            throw InputError(file: first.file, line: layout.headerLine,
                             problem: "is an empty table: it has a header but no rows",
                             accepted: "one row per settled person")
        }
        let priorYears = first.priorYears
        let counties = tally.sortedRows(renamedBy: codeMap).map { row in
            var county = RegisterCounty(code: String(decoding: row.code, as: UTF8.self), crossProvince: row.counts[0],
                                        withinProvince: row.counts[1], withinCity: row.counts[2], priors: [])
            if first.priorByOrigin {
                county.priorsByOrigin = (0..<priorYears).map { k in Array(row.counts[(3 + 3 * k)..<(6 + 3 * k)]) }
                county.priors = county.priorsByOrigin.map { $0.reduce(0, +) }
            } else {
                county.priors = Array(row.counts[3..<(3 + priorYears)])
            }
            return county
        }
        let ignoredYears = ignored.indices.filter { ignored[$0] > 0 }.map { (year: $0, rows: ignored[$0]) }
        return RegisterAggregate(
            file: first.file, encoding: layout.encoding, year: first.year, priorYears: priorYears,
            priorByOrigin: first.priorByOrigin, rows: rows, counties: counties, ignoredYears: ignoredYears,
            unknownHeaders: layout.unknownHeaders, checkedPersonIDs: layout.idIndex != nil,
            hasAgriculturalColumn: layout.agriculturalIndex != nil, excludedRows: excluded,
            codeMapNotes: codeMap?.notes ?? [])
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
