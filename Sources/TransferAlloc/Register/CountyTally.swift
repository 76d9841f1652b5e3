/// The register's per-county counters: codes interned by their bytes in an open-addressing
/// table, each with a row of `width` counts (cross_province, within_province, within_city,
/// prior_1 … prior_K).
///
/// The hot loop never builds a `String`: a code of up to 8 bytes is one machine word (with its
/// length), longer ones live in a byte arena. There are about 3,000 county-level units in
/// China, so the table stays in the CPU's cache.
///
///     var tally = CountyTally(width: 4)
///     "320506".utf8CString.withUnsafeBytes { tally.add(code: UnsafeRawBufferPointer(rebasing: $0.dropLast()), column: 0) }
///     tally.sortedRows()   // [("320506", [1, 0, 0, 0])]
///
/// - Complexity: `add` is O(code length) expected; memory O(counties × width).
struct CountyTally {
    let width: Int
    /// Slot → county index + 1 (0 = empty).
    private var slots: [Int32]
    private var mask: Int
    /// Per county: the code's first 8 bytes (little-endian, zero-padded) and its length.
    private var words: [UInt64] = []
    private var lengths: [Int] = []
    /// Per county: where its bytes start in `arena` (codes longer than 8 bytes only).
    private var arenaStarts: [Int] = []
    private var arena: [UInt8] = []
    /// counts[county * width + column]
    private(set) var counts: [Int] = []

    init(width: Int) {
        self.width = width
        slots = Array(repeating: 0, count: 4096)
        mask = 4095
    }

    var countyCount: Int { lengths.count }

    /// The first up-to-8 bytes of `code` as a little-endian word, zero-padded. The register
    /// reader keeps 16 readable bytes after every field, so the unaligned load never faults.
    @inline(__always)
    static func word(_ code: UnsafeRawBufferPointer, padded: Bool) -> UInt64 {
        let n = code.count
        guard n > 0 else { return 0 }
        if padded {
            let raw = code.baseAddress!.loadUnaligned(as: UInt64.self)
            return n >= 8 ? raw : raw & ((1 << UInt64(n * 8)) &- 1)
        }
        var w: UInt64 = 0
        for i in 0..<min(n, 8) { w |= UInt64(code[i]) << UInt64(i * 8) }
        return w
    }

    @inline(__always)
    private static func hash(word: UInt64, length: Int, code: UnsafeRawBufferPointer) -> Int {
        var h = (word ^ UInt64(length)) &* 0x9E37_79B9_7F4A_7C15
        if length > 8 {
            for i in 8..<length { h = (h ^ UInt64(code[i])) &* 0x100_0000_01B3 }
            h &*= 0x9E37_79B9_7F4A_7C15
        }
        return Int(truncatingIfNeeded: h >> 32)
    }

    /// Adds 1 to `column` of the county `code` (a new county starts at zeros).
    /// - Parameter padded: true when 8 bytes from the code's start may be read.
    @inline(__always)
    mutating func add(code: UnsafeRawBufferPointer, column: Int, padded: Bool = false) {
        let county = index(of: code, padded: padded)
        counts[county &* width &+ column] &+= 1
    }

    /// The county's index, interning the code when it is new.
    mutating func index(of code: UnsafeRawBufferPointer, padded: Bool) -> Int {
        let length = code.count
        let word = CountyTally.word(code, padded: padded)
        var slot = CountyTally.hash(word: word, length: length, code: code) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            let county = entry - 1
            if words[county] == word, lengths[county] == length,
               length <= 8 || equalTail(county, code) {
                return county
            }
            slot = (slot + 1) & mask
        }
        let county = lengths.count
        words.append(word)
        lengths.append(length)
        arenaStarts.append(arena.count)
        if length > 8 { arena.append(contentsOf: code) }
        counts.append(contentsOf: repeatElement(0, count: width))
        slots[slot] = Int32(county + 1)
        if (county + 1) * 2 > slots.count { grow() }
        return county
    }

    private func equalTail(_ county: Int, _ code: UnsafeRawBufferPointer) -> Bool {
        let start = arenaStarts[county]
        for i in 0..<code.count where arena[start + i] != code[i] { return false }
        return true
    }

    private mutating func grow() {
        let newCount = slots.count * 2
        slots = Array(repeating: 0, count: newCount)
        mask = newCount - 1
        for county in 0..<lengths.count {
            let bytes = codeBytes(county)
            var slot = bytes.withUnsafeBytes {
                CountyTally.hash(word: words[county], length: lengths[county], code: $0)
            } & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(county + 1)
        }
    }

    /// The code's bytes.
    func codeBytes(_ county: Int) -> [UInt8] {
        let length = lengths[county]
        if length > 8 { return Array(arena[arenaStarts[county]..<arenaStarts[county] + length]) }
        var out: [UInt8] = []
        out.reserveCapacity(length)
        for i in 0..<length { out.append(UInt8(truncatingIfNeeded: words[county] >> UInt64(i * 8))) }
        return out
    }

    /// Adds another tally of the same width (the second half of a split file).
    mutating func merge(_ other: CountyTally) {
        precondition(other.width == width)
        for county in 0..<other.countyCount {
            let bytes = other.codeBytes(county)
            let mine = bytes.withUnsafeBytes { index(of: $0, padded: false) }
            for column in 0..<width { counts[mine * width + column] += other.counts[county * width + column] }
        }
    }

    /// Every county with its counts, sorted by the code's bytes.
    func sortedRows() -> [(code: [UInt8], counts: [Int])] {
        var rows: [(code: [UInt8], counts: [Int])] = []
        rows.reserveCapacity(countyCount)
        for county in 0..<countyCount {
            rows.append((codeBytes(county), Array(counts[county * width..<(county + 1) * width])))
        }
        rows.sort { $0.code.lexicographicallyPrecedes($1.code) }
        return rows
    }
}
