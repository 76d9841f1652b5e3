#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The register's per-county counters: codes interned by their bytes in an open-addressing
/// table, each with a row of `width` counts (cross_province, within_province, within_city,
/// prior_1 … prior_K).
///
/// The hot loop never builds a `String`: a code of up to 8 bytes is one machine word (with its
/// length), longer ones live in a byte arena. A code of six ASCII digits (GB/T 2260) given as
/// its word (`add(sixDigits:column:)`, the register's fast rows) is found through a
/// direct-mapped index on its value, without hashing. There are about 3,000 county-level units in
/// China, so the table stays in the CPU's cache.
///
///     let tally = CountyTally(width: 4)
///     Array("320506".utf8).withUnsafeBytes { tally.add(code: $0, column: 0) }
///     tally.sortedRows()   // [(code: "320506" as bytes, counts: [1, 0, 0, 0])]
///
/// - Complexity: `add` is O(code length) expected, `add(sixDigits:column:)` O(1); memory
///   O(counties × width), plus 2 MB of lazily mapped address space for the six-digit index
///   (one page touched per few counties).
final class CountyTally: @unchecked Sendable {
    let width: Int
    /// Slot → county index + 1 (0 = empty); a power of two, at most half full.
    private var slots: UnsafeMutablePointer<Int32>
    private var slotCount: Int
    /// One record per county, so that a row touches one slot and one record: the code's first
    /// 8 bytes (little-endian, zero-padded) at 0, its length at 8, then `width` 32-bit counts
    /// from 16. A count that wraps past 2^32 − 1 carries into `carries`.
    private var records: UnsafeMutableRawPointer
    private let stride: Int
    private var carries: [Int: Int] = [:]
    private var countyCapacity: Int
    private(set) var countyCount = 0
    /// Codes longer than 8 bytes, whole, by county (rare: GB/T 2260 codes have 6 digits).
    private var longCodes: [Int: [UInt8]] = [:]
    /// Six-digit codes by their value 0…999,999 → county index + 1 (0 = not yet seen; a
    /// county past 65,534 is left to the hash table). Direct-mapped: no hash, no probing, no
    /// mispredicted loop; 2 MB of address space of which a run touches one cache line per
    /// county, mapped lazily (zero pages on first touch).
    private let sixDigitIndex: UnsafeMutablePointer<UInt16>
    static let sixDigitCount = 1_000_000

    init(width: Int) {
        self.width = width
        slotCount = 8192
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        countyCapacity = 4096
        stride = (16 + 4 * width + 15) / 16 * 16
        records = .allocate(byteCount: countyCapacity * stride, alignment: 16)
        sixDigitIndex = CountyTally.mapZeroed(CountyTally.sixDigitBytes)
            .bindMemory(to: UInt16.self, capacity: CountyTally.sixDigitCount)
    }

    deinit {
        slots.deallocate()
        records.deallocate()
        CountyTally.unmap(sixDigitIndex, CountyTally.sixDigitBytes)
    }

    private static let sixDigitBytes = sixDigitCount * MemoryLayout<UInt16>.stride

    /// Zeroed pages mapped on first touch and returned whole by `munmap` (calloc may instead
    /// hand out, and zero, reused heap memory, which would make all 2 MB resident).
    static func unmap(_ pointer: UnsafeMutableRawPointer, _ bytes: Int) {
        munmap(pointer, bytes)
    }

    static func mapZeroed(_ bytes: Int) -> UnsafeMutableRawPointer {
        let pointer = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let pointer, pointer != MAP_FAILED else { fatalError("cannot map \(bytes) bytes: out of memory") }
        return pointer
    }

    /// Adds 1 to `column` of the county whose code is six ASCII digits, given as their
    /// little-endian word (the register's fast rows).
    @inline(__always)
    func add(sixDigits word: UInt64, column: Int) {
        add(sixDigits: word, value: CountyTally.sixDigitValue(word), column: column, amount: 1)
    }

    /// Adds `amount` (0 or 1) to `column` of the county whose six-digit code is `word`, with
    /// its value (`sixDigitValue(word)`) already known. Adding 0 leaves the tally as it was: a
    /// county not yet seen is not interned (so that a caller can add without branching on
    /// whether the row counts).
    @inline(__always)
    func add(sixDigits word: UInt64, value: Int, column: Int, amount: Int = 1) {
        var county = Int(sixDigitIndex[value]) &- 1
        // Not seen yet (-1), or marked to be mapped first (`mapsFirst`), in one test.
        if UInt(bitPattern: county) >= UInt(CountyTally.mappedFirst &- 1) {
            precondition(county < 0, "a six-digit code marked to be mapped first was counted as it is")
            if amount == 0 { return }
            county = index(word: word, length: 6)
            if county < Int(CountyTally.mappedFirst &- 1) { sixDigitIndex[value] = UInt16(county &+ 1) }
        }
        let offset = county &* stride &+ 16 &+ 4 &* column
        let count = records.load(fromByteOffset: offset, as: UInt32.self) &+ UInt32(truncatingIfNeeded: amount)
        records.storeBytes(of: count, toByteOffset: offset, as: UInt32.self)
        if count == 0, amount != 0 { carries[county * width + column, default: 0] += 1 << 32 }
    }

    /// The index entry of a six-digit code that the fast rows must map before they count it
    /// (a county past 65,533 is left to the hash table, so no county has this entry).
    private static let mappedFirst = UInt16.max

    /// Marks the six-digit code of value `value` (0…999,999) as one the fast rows map before
    /// counting (`mapsFirst`): a renamed code whose new code may classify rows differently.
    func markMappedFirst(sixDigitValue value: Int) {
        sixDigitIndex[value] = CountyTally.mappedFirst
    }

    /// Whether the six-digit code of value `value` is marked by `markMappedFirst`.
    @inline(__always)
    func mapsFirst(sixDigitValue value: Int) -> Bool {
        sixDigitIndex[value] == CountyTally.mappedFirst
    }

    /// The value 0…999,999 of six ASCII digits given as their little-endian word.
    @inline(__always)
    static func sixDigitValue(_ word: UInt64) -> Int { sixDigitParts(word).value }

    /// The value 0…9999 of the first four digits and the value 0…999,999 of all six, of six
    /// ASCII digits given as their little-endian word.
    @inline(__always)
    static func sixDigitParts(_ word: UInt64) -> (firstFour: Int, value: Int) {
        // Digit pairs to 0…99 in bytes 0, 2, 4, then the values.
        let digits = word & 0x0F0F_0F0F_0F0F
        let pairs = (digits &* 10 &+ (digits >> 8)) & 0xFF_00FF_00FF
        let firstFour = Int(truncatingIfNeeded: pairs & 0xFF) &* 100 &+ Int(truncatingIfNeeded: (pairs >> 16) & 0xFF)
        return (firstFour, firstFour &* 100 &+ Int(truncatingIfNeeded: pairs >> 32))
    }

    @inline(__always)
    private func word(of county: Int) -> UInt64 { records.load(fromByteOffset: county &* stride, as: UInt64.self) }

    @inline(__always)
    private func length(of county: Int) -> Int {
        Int(records.load(fromByteOffset: county &* stride &+ 8, as: Int64.self))
    }

    /// The count of one county and column.
    func count(_ county: Int, _ column: Int) -> Int {
        Int(records.load(fromByteOffset: county * stride + 16 + 4 * column, as: UInt32.self))
            + (carries[county * width + column] ?? 0)
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
        let offset = county &* stride &+ 16 &+ 4 &* column
        let value = records.load(fromByteOffset: offset, as: UInt32.self) &+ 1
        records.storeBytes(of: value, toByteOffset: offset, as: UInt32.self)
        if value == 0 { carries[county * width + column, default: 0] += 1 << 32 }
    }

    /// `index(of:padded:)` for a code of at most 8 bytes given as its word.
    @inline(__always)
    private func index(word: UInt64, length: Int) -> Int {
        let mask = slotCount &- 1
        var slot = CountyTally.hash(word: word, length: length, code: UnsafeRawBufferPointer(start: nil, count: 0)) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            let county = entry &- 1
            if self.word(of: county) == word, self.length(of: county) == length { return county }
            slot = (slot &+ 1) & mask
        }
        return withUnsafeBytes(of: word) { insert(UnsafeRawBufferPointer(rebasing: $0[0..<length]), word: word, slot: slot) }
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
            if self.word(of: county) == word, self.length(of: county) == length,
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
        (records + county * stride).initializeMemory(as: UInt8.self, repeating: 0, count: stride)
        records.storeBytes(of: word, toByteOffset: county * stride, as: UInt64.self)
        records.storeBytes(of: Int64(code.count), toByteOffset: county * stride + 8, as: Int64.self)
        if code.count > 8 { longCodes[county] = Array(code) }
        slots[slot] = Int32(county + 1)
        countyCount += 1
        if countyCount * 2 > slotCount { growSlots() }
        return county
    }

    private func growCounties() {
        let newCapacity = countyCapacity * 2
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity * stride, alignment: 16)
        grown.copyMemory(from: records, byteCount: countyCount * stride)
        records.deallocate()
        records = grown
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
                CountyTally.hash(word: word(of: county), length: length(of: county), code: $0)
            } & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(county + 1)
        }
    }

    /// The code's bytes.
    func codeBytes(_ county: Int) -> [UInt8] {
        let length = length(of: county)
        if length > 8 { return longCodes[county]! }
        let word = word(of: county)
        return (0..<length).map { UInt8(truncatingIfNeeded: word >> UInt64($0 * 8)) }
    }

    /// Adds another tally of the same width (the second half of a split file).
    func merge(_ other: CountyTally) {
        precondition(other.width == width)
        for county in 0..<other.countyCount {
            let bytes = other.codeBytes(county)
            let mine = bytes.withUnsafeBytes { index(of: $0, padded: false) }
            for column in 0..<width { add(other.count(county, column), to: mine, column: column) }
        }
    }

    func add(_ amount: Int, to county: Int, column: Int) {
        let offset = county * stride + 16 + 4 * column
        let sum = Int(records.load(fromByteOffset: offset, as: UInt32.self)) + amount
        records.storeBytes(of: UInt32(truncatingIfNeeded: sum), toByteOffset: offset, as: UInt32.self)
        let carried = sum - Int(UInt32(truncatingIfNeeded: sum))
        if carried != 0 { carries[county * width + column, default: 0] += carried }
    }

    /// Every county with its counts, sorted by the code's bytes. With `map`, the counts of an
    /// old code are added to its new code's (the fast rows count a destination whose renaming
    /// changes no row's origin column under its old code: one step per code, not per row).
    func sortedRows(renamedBy map: CodeMap? = nil) -> [(code: [UInt8], counts: [Int])] {
        var rows: [(code: [UInt8], counts: [Int])] = []
        rows.reserveCapacity(countyCount)
        var renamed: [[UInt8]: [Int]] = [:]
        for county in 0..<countyCount {
            let code = codeBytes(county)
            let counts = (0..<width).map { count(county, $0) }
            if let new = map?.mapped(code) {
                renamed[new, default: Array(repeating: 0, count: width)].add(counts)
            } else {
                rows.append((code, counts))
            }
        }
        if !renamed.isEmpty {
            for index in rows.indices {
                if let counts = renamed.removeValue(forKey: rows[index].code) { rows[index].counts.add(counts) }
            }
            rows += renamed.map { (code: $0.key, counts: $0.value) }
        }
        rows.sort { $0.code.lexicographicallyPrecedes($1.code) }
        return rows
    }
}

extension [Int] {
    /// Adds `other` element by element (the same count).
    fileprivate mutating func add(_ other: [Int]) {
        for i in indices { self[i] += other[i] }
    }
}
