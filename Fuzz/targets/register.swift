// requires: Sources/TransferAlloc/Register/RegisterAggregator.swift
//
// libFuzzer target: the settlement-register reader behind `aggregate` (contract §6).
//
// Fuzz/run builds this target only once the register reader has landed (the `requires:` line
// above); until then it reports the target as skipped. It is written against the
// `RegisterAggregator` API of the `aggregate` branch: `init(file:year:priorYears:encoding:source:)`
// (and its `@_spi(Testing)` twin with `fastRows:`),
// `feed(_:)` and `finish()`.
//
// The input is one register file. It is aggregated for year 2023 with K = 2, once fed whole and
// once fed in chunks cut at places derived from the input itself (inside fields, CRLFs and
// multi-byte characters, too). The contract says the result does not depend on how the bytes
// arrive, so both runs must give the same counties or the same error; the counties must come
// sorted by code with non-negative counts. A third run reads every row with the CSV tokenizer
// alone (the fast row recognizer switched off): the two paths must give the same table or the
// same error. The version-2 options are on for part of the inputs (chosen from the input's
// length): each prior year by origin, and a fixed code map with a chain, a six-digit code mapped
// to a short one, and a short code mapped to a six-digit one; the corpus has registers with the
// agricultural column (农业转移人口) in the shape the fast rows take.
@_spi(Testing) import TransferAlloc

private let codeMap = try! CodeMap.parse(
    bytes: Array("old_code,new_code\n320584,320509\n320509,320510\n110228,110118\n420106,4201\n32,320506\n".utf8),
    file: "map.csv")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegister(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    let whole = aggregate(bytes, chunks: [bytes.count])
    let chunked = aggregate(bytes, chunks: cuts(bytes))
    let general = aggregate(bytes, chunks: [bytes.count], fastRows: false)
    switch (whole, general) {
    case (.success(let a), .success(let b)):
        guard a.csv() == b.csv(), a.notes == b.notes, a.rows == b.rows else {
            fatalError("the fast rows changed the result: \(a.counties) vs \(b.counties)")
        }
    case (.failure(let a), .failure(let b)):
        guard a == b else { fatalError("the fast rows changed the error: \(a) vs \(b)") }
    case (.success, .failure(let error)), (.failure(let error), .success):
        fatalError("one path failed and the other did not: \(error)")
    }
    switch (whole, chunked) {
    case (.success(let a), .success(let b)):
        guard a.counties == b.counties, a.rows == b.rows else {
            fatalError("chunked feeding changed the result: \(a.counties) vs \(b.counties)")
        }
        check(a)
    case (.failure(let a), .failure(let b)):
        guard a == b else { fatalError("chunked feeding changed the error: \(a) vs \(b)") }
    case (.success, .failure(let error)), (.failure(let error), .success):
        fatalError("one feeding failed and the other did not: \(error)")
    }
    return 0
}

private func aggregate(_ bytes: [UInt8], chunks: [Int], fastRows: Bool = true) -> Result<RegisterAggregate, InputError> {
    let aggregator = RegisterAggregator(file: "register.csv", year: 2023, priorYears: 2,
                                        priorByOrigin: bytes.count % 3 == 1, codeMap: bytes.count % 2 == 0 ? codeMap : nil,
                                        source: RegisterBytes(bytes), fastRows: fastRows)
    return Result { () throws(InputError) -> RegisterAggregate in
        var offset = 0
        for length in chunks where offset < bytes.count {
            let end = min(bytes.count, offset + length)
            try aggregator.feed(Array(bytes[offset..<end]))
            offset = end
        }
        if offset < bytes.count { try aggregator.feed(Array(bytes[offset...])) }
        return try aggregator.finish()
    }
}

/// Chunk lengths from a small generator seeded by the bytes (the same input cuts the same way).
private func cuts(_ bytes: [UInt8]) -> [Int] {
    var state: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes.prefix(64) { state = (state ^ UInt64(byte)) &* 0x100_0000_01B3 }
    var lengths: [Int] = []
    var covered = 0
    while covered < bytes.count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let length = 1 + Int((state >> 33) % 7)
        lengths.append(length)
        covered += length
    }
    return lengths
}

private func check(_ result: RegisterAggregate) {
    for (a, b) in zip(result.counties, result.counties.dropFirst())
    where !a.code.utf8.lexicographicallyPrecedes(b.code.utf8) {
        fatalError("counties not in byte order: \(a.code), \(b.code)")
    }
    for county in result.counties {
        guard county.crossProvince >= 0, county.withinProvince >= 0, county.withinCity >= 0,
              county.priors.count == result.priorYears, county.priors.allSatisfy({ $0 >= 0 }),
              county.priorsByOrigin.count == (result.priorByOrigin ? result.priorYears : 0),
              zip(county.priors, county.priorsByOrigin).allSatisfy({ $0 == $1.reduce(0, +) }) else {
            fatalError("bad counts for \(county.code)")
        }
    }
    _ = result.csv()
    _ = result.notes
}
