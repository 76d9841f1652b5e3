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
        var keys = keys
        var order = Array(0..<n)
        var keysOut = [UInt64](repeating: 0, count: n)
        var orderOut = [Int](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 256)
        for shift in stride(from: UInt64(0), to: 64, by: 8) {
            for digit in 0..<256 { counts[digit] = 0 }
            for key in keys { counts[Int(truncatingIfNeeded: (key >> shift) & 0xFF)] += 1 }
            if counts.contains(n) { continue }
            var start = 0
            for digit in 0..<256 {
                let count = counts[digit]
                counts[digit] = start
                start += count
            }
            for j in 0..<n {
                let digit = Int(truncatingIfNeeded: (keys[j] >> shift) & 0xFF)
                let position = counts[digit]
                counts[digit] = position + 1
                keysOut[position] = keys[j]
                orderOut[position] = order[j]
            }
            swap(&keys, &keysOut)
            swap(&order, &orderOut)
        }
        return order
    }
}
