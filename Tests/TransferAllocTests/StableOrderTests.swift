import Testing
@testable import TransferAlloc

/// `StableOrder` (docs/guides/Exact.md): ascending by key, equal keys in the order given, on
/// hand-checked lists and against the standard library's stable sort on generated ones.
@Suite struct StableOrderTests {
    @Test func handChecked() {
        #expect(StableOrder.ascending([3, 1, 3, 2]) == [1, 3, 0, 2])
        #expect(StableOrder.ascending([]) == [])
        #expect(StableOrder.ascending([7]) == [0])
        #expect(StableOrder.ascending([5, 5, 5]) == [0, 1, 2])             // every byte shared: no pass moves anything
        #expect(StableOrder.ascending([1 << 63, 1, 1 << 40, 0]) == [3, 1, 2, 0])
        #expect(StableOrder.ascending([0x0100, 0x00FF]) == [1, 0])          // the higher byte decides
    }

    /// Doubles ≥ 0 by bit pattern sort as the numbers do (what the kernel relies on).
    @Test func nonNegativeDoublesByBitPattern() {
        let values: [Double] = [2.5, 0, 1e-300, 1e300, 0.1, 2.5, 1]
        let order = StableOrder.ascending(values.map(\.bitPattern))
        #expect(order == [1, 2, 4, 6, 0, 5, 3])
        #expect(StableOrder.ascending(values.map { ~$0.bitPattern }) == [3, 0, 5, 6, 4, 2, 1])   // descending, ties in order
    }

    @Test func agreesWithTheStandardStableSort() {
        var generator = SeededRandom(seed: 20261203)
        var checked = 0
        for round in 0..<200 {
            let n = Int.random(in: 0...600, using: &generator)
            // Few distinct keys in some rounds, so equal keys are common.
            let spread: UInt64 = round % 3 == 0 ? 8 : .max
            let keys = (0..<n).map { _ in UInt64.random(in: 0...spread, using: &generator) }
            let expected: [Int] = keys.indices.sorted { (a: Int, b: Int) -> Bool in
                keys[a] != keys[b] ? keys[a] < keys[b] : a < b
            }
            #expect(StableOrder.ascending(keys) == expected, "round \(round)")
            checked += 1
        }
        #expect(checked == 200)
    }
}
