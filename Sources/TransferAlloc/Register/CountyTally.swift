/// The register's per-county counters: codes interned by their bytes in an open-addressing
/// table, each with a row of `width` counts (cross_province, within_province, within_city,
/// prior_1 … prior_K).
///
/// The hot loop never builds a `String`: a code of up to 8 bytes is one machine word (with its
/// length), longer ones live in a byte arena. There are about 3,000 county-level units in
/// China, so the table stays in the CPU's cache.
///
///     let tally = CountyTally(width: 4)
///     Array("320506".utf8).withUnsafeBytes { tally.add(code: $0, column: 0) }
///     tally.sortedRows()   // [(code: "320506" as bytes, counts: [1, 0, 0, 0])]
///
/// - Complexity: `add` is O(code length) expected; memory O(counties × width).
final class CountyTally: @unchecked Sendable {
    let width: Int
    /// Slot → county index + 1 (0 = empty); a power of two, at most half full.
    private var slots: UnsafeMutablePointer<Int32>
    private var slotCount: Int
    /// Per county: the code's first 8 bytes (little-endian, zero-padded) and its length.
    private var words: UnsafeMutablePointer<UInt64>
    private var lengths: UnsafeMutablePointer<Int>
    /// counts[county * width + column]
    private var counts: UnsafeMutablePointer<Int>
    private var countyCapacity: Int
    private(set) var countyCount = 0
    /// Codes longer than 8 bytes, whole, by county (rare: GB/T 2260 codes have 6 digits).
    private var longCodes: [Int: [UInt8]] = [:]

    init(width: Int) {
        self.width = width
        slotCount = 8192
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        countyCapacity = 4096
        words = .allocate(capacity: countyCapacity)
        lengths = .allocate(capacity: countyCapacity)
        counts = .allocate(capacity: countyCapacity * width)
    }

    deinit {
        slots.deallocate()
        words.deallocate()
        lengths.deallocate()
        counts.deallocate()
    }

    /// The first up-to-8 bytes of `code` as a little-endian word, zero-padded. With `padded`,
    /// 8 bytes from the code's start may be read (the register reader guarantees it).
    @inline(__always)
    static func word(_ code: UnsafeRawBufferPointer, padded: Bool) -> UInt64 {
        let n = code.count
        guard n > 0 else { return 0 }
        if padded {
            let raw = code.baseAddress!.loadUnaligned(as: UInt64.self)
            return n >= 8 ? raw : raw & ((1 << UInt64(n &* 8)) &- 1)
        }
        var w: UInt64 = 0
        for i in 0..<min(n, 8) { w |= UInt64(code[i]) << UInt64(i * 8) }
        return w
    }

    @inline(__always)
    private static func hash(word: UInt64, length: Int, code: UnsafeRawBufferPointer) -> Int {
        var h = word ^ UInt64(truncatingIfNeeded: length) << 59
        if length > 8 {
            for i in 8..<length { h = (h ^ UInt64(code[i])) &* 0x100_0000_01B3 }
        }
        // Every input bit must reach the low bits the mask keeps: codes differ in their last
        // digits, which sit in the word's high bytes.
        h = (h ^ (h >> 31)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// Adds 1 to `column` of the county `code` (a new county starts at zeros).
    @inline(__always)
    func add(code: UnsafeRawBufferPointer, column: Int, padded: Bool = false) {
        let county = index(of: code, padded: padded)
        counts[county &* width &+ column] &+= 1
    }

    /// The county's index, interning the code when it is new.
    @inline(__always)
    func index(of code: UnsafeRawBufferPointer, padded: Bool) -> Int {
        let length = code.count
        let word = CountyTally.word(code, padded: padded)
        let mask = slotCount &- 1
        var slot = CountyTally.hash(word: word, length: length, code: code) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            let county = entry &- 1
            if words[county] == word, lengths[county] == length,
               length <= 8 || longCodes[county]!.elementsEqual(code) {
                return county
            }
            slot = (slot &+ 1) & mask
        }
        return insert(code, word: word, slot: slot)
    }

    private func insert(_ code: UnsafeRawBufferPointer, word: UInt64, slot: Int) -> Int {
        let county = countyCount
        if county == countyCapacity { growCounties() }
        words[county] = word
        lengths[county] = code.count
        if code.count > 8 { longCodes[county] = Array(code) }
        (counts + county * width).initialize(repeating: 0, count: width)
        slots[slot] = Int32(county + 1)
        countyCount += 1
        if countyCount * 2 > slotCount { growSlots() }
        return county
    }

    private func growCounties() {
        let newCapacity = countyCapacity * 2
        let newWords = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
        let newLengths = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
        let newCounts = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity * width)
        newWords.update(from: words, count: countyCount)
        newLengths.update(from: lengths, count: countyCount)
        newCounts.update(from: counts, count: countyCount * width)
        words.deallocate()
        lengths.deallocate()
        counts.deallocate()
        words = newWords
        lengths = newLengths
        counts = newCounts
        countyCapacity = newCapacity
    }

    private func growSlots() {
        slots.deallocate()
        slotCount *= 2
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        let mask = slotCount - 1
        for county in 0..<countyCount {
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
        if length > 8 { return longCodes[county]! }
        return (0..<length).map { UInt8(truncatingIfNeeded: words[county] >> UInt64($0 * 8)) }
    }

    /// Adds another tally of the same width (the second half of a split file).
    func merge(_ other: CountyTally) {
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
            rows.append((codeBytes(county), Array(UnsafeBufferPointer(start: counts + county * width, count: width))))
        }
        rows.sort { $0.code.lexicographicallyPrecedes($1.code) }
        return rows
    }
}
