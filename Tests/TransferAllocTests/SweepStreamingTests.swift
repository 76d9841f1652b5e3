import Foundation
import Testing
@testable import TransferAlloc

/// The long sweep table is written one swept value at a time, never held whole, so its size
/// (100 MB for a national table) is not an allocation of its own.
@Suite struct SweepStreamingTests {
    @Test func theLongTableComesInOnePiecePerValue() throws {
        let sweep = try SweepTests.sweep("money.weights.settled=0.2:1:0.1", fundTotal: "1234.56")
        let report = SweepReport(sweep, language: .en)
        var pieces: [[UInt8]] = []
        report.writeLongCSV(excel: false) { (piece: UnsafeRawBufferPointer) in pieces.append(Array(piece)) }
        #expect(sweep.values.count == 9)
        #expect(pieces.count == 1 + 9)
        #expect(pieces.flatMap { $0 } == report.longCSV(excel: false))
        let header = String(decoding: pieces[0], as: UTF8.self)
        #expect(header.contains(",code,name,") && header.hasSuffix("\n") && !header.dropLast().contains("\n"), "\(header)")
        for (k, piece) in pieces.dropFirst().enumerated() {
            let lines = String(decoding: piece, as: UTF8.self).split(separator: "\n")
            #expect(lines.count == sweep.countyCount)
            #expect(lines.allSatisfy { $0.hasPrefix(sweep.values[k].plainText + ",") }, "\(lines)")
        }
    }

    /// A failing write stops the table at that piece (the command then removes the temporary file).
    @Test func aFailedPieceStopsTheWriting() {
        struct Full: Error {}
        var written = 0
        #expect(throws: Full.self) {
            let sweep = try SweepTests.sweep("money.weights.settled=0.2:1:0.1", fundTotal: "1234.56")
            try SweepReport(sweep, language: .en).writeLongCSV(excel: true) { (_: UnsafeRawBufferPointer) throws(Full) in
                written += 1
                if written == 3 { throw Full() }
            }
        }
        #expect(written == 3)
    }
}
