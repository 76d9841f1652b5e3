/// Sorting by a machine-word key, equal keys kept in their given order: what the kernel's two
/// sorts (the breakpoints of `ClampedScaling`, the remainders of `LargestRemainder`) use to
/// order their entries by a Double approximation before one exact pass confirms the order.
enum StableOrder {
    /// The positions of `keys` in ascending order, equal keys in their given order.
    ///
    ///     StableOrder.ascending([3, 1, 3, 2])   // [1, 3, 0, 2]
    ///
    /// A least-significant-byte-first radix sort: on the few thousand entries a sweep sorts at
    /// every value it costs a fraction of a comparison sort. A byte every key shares is skipped,
    /// so small keys (tie positions) take two passes.
    ///
    /// - Complexity: O(n) per byte of the keys.
    static func ascending(_ keys: [UInt64]) -> [Int] {
        let n = keys.count
        // Raw buffers: the passes are the whole cost, and array checks doubled it.
        let keysIn = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
        let keysOut = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
        let orderIn = UnsafeMutableBufferPointer<Int>.allocate(capacity: n)
        let orderOut = UnsafeMutableBufferPointer<Int>.allocate(capacity: n)
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 256)
        defer {
            keysIn.deallocate(); keysOut.deallocate(); orderIn.deallocate(); orderOut.deallocate(); counts.deallocate()
        }
        _ = keysIn.initialize(from: keys)
        for j in 0..<n { orderIn[j] = j }
        var (sourceKeys, targetKeys, sourceOrder, targetOrder) = (keysIn, keysOut, orderIn, orderOut)
        for shift in stride(from: UInt64(0), to: 64, by: 8) {
            counts.update(repeating: 0)
            for j in 0..<n { counts[Int(truncatingIfNeeded: (sourceKeys[j] >> shift) & 0xFF)] += 1 }
            if counts.contains(n) { continue }
            var start = 0
            for digit in 0..<256 {
                let count = counts[digit]
                counts[digit] = start
                start += count
            }
            for j in 0..<n {
                let key = sourceKeys[j]
                let digit = Int(truncatingIfNeeded: (key >> shift) & 0xFF)
                let position = counts[digit]
                counts[digit] = position + 1
                targetKeys[position] = key
                targetOrder[position] = sourceOrder[j]
            }
            swap(&sourceKeys, &targetKeys)
            swap(&sourceOrder, &targetOrder)
        }
        return Array(sourceOrder)
    }
}
