/// Renamed or merged county codes (contract §10.8, `aggregate --code-map`): a CSV of
/// `old_code,new_code` rows (headers 原代码, 新代码 too) that `aggregate` applies to both codes of
/// every register row before classifying and counting.
///
/// Chains are followed (A → B and B → C map A to C). Refused, naming the file and the lines:
/// an empty cell, a code that is not printable ASCII, a code mapped to itself, an old code given
/// twice (even with the same new code), a cycle, a map with a header and no rows, a missing
/// column or a column named twice. Other columns are ignored (see `unknownHeaders`).
///
///     // map.csv: old_code,new_code
///     //          320584,320509
///     //          320509,320510
///     let map = try CodeMap.read(path: "map.csv")
///     map.mapped(Array("320584".utf8))   // "320510" as bytes
///     map.mapped(Array("320506".utf8))   // nil: not renamed
public struct CodeMap: Sendable {
    public let file: String
    /// Every old code with the code its chain ends in.
    public let resolved: [[UInt8]: [UInt8]]
    /// Headers that name neither column.
    public let unknownHeaders: [String]

    /// The code `code` is known by now, or nil when the map does not rename it.
    @inline(__always)
    public func mapped(_ code: [UInt8]) -> [UInt8]? { resolved[code] }

    static let accepted = "a CSV of old_code (原代码) and new_code (新代码), one row per renamed or merged county code"

    /// Reads and checks the map file (UTF-8 or GB18030, detected like every CSV input unless forced).
    public static func read(path: String, encoding: TextEncoding? = nil) throws(InputError) -> CodeMap {
        try parse(bytes: InputFile.read(path), file: path, encoding: encoding)
    }

    /// Checks the map and follows its chains.
    public static func parse(bytes: [UInt8], file: String, encoding: TextEncoding? = nil) throws(InputError) -> CodeMap {
        let table = try CSVReader.read(bytes: bytes, file: file, encoding: encoding)
        var oldIndex: Int?
        var newIndex: Int?
        var unknown: [String] = []
        for (i, name) in table.header.enumerated() {
            let text = SettlementColumn.normalizedHeader(name)
            let key: String
            if text == "old_code" || text == "原代码" {
                key = "old_code"
            } else if text == "new_code" || text == "新代码" {
                key = "new_code"
            } else {
                unknown.append(name.isEmpty ? "(empty header in column \(i + 1))" : name)
                continue
            }
            if let first = key == "old_code" ? oldIndex : newIndex {
                throw InputError(file: file, line: table.headerLine,
                                 column: CellReader.columnLabel(index: i, header: name, key: key), value: name,
                                 problem: "names the same column as column \(first + 1) (\(table.header[first]))",
                                 accepted: "each column once")
            }
            if key == "old_code" { oldIndex = i } else { newIndex = i }
        }
        guard let oldIndex, let newIndex else {
            throw InputError(file: file, line: table.headerLine,
                             problem: "has no \(oldIndex == nil ? "old_code" : "new_code") column",
                             accepted: "a header row with old_code (原代码) and new_code (新代码)")
        }
        guard !table.records.isEmpty else {
            throw InputError(file: file, line: table.headerLine, problem: "is an empty table: it has a header but no rows",
                             accepted: "one row per renamed or merged county code")
        }
        func label(_ index: Int) -> String {
            CellReader.columnLabel(index: index, header: table.header[index], key: index == oldIndex ? "old_code" : "new_code")
        }
        // Old code → (new code, line), in file order.
        var next: [[UInt8]: (code: [UInt8], line: Int)] = [:]
        var order: [[UInt8]] = []
        for record in table.records {
            for index in [oldIndex, newIndex] {
                let cell = record.fields[index]
                let problem = Array(cell.utf8).withUnsafeBytes { RegisterScanner.codeProblem($0) }
                if let problem {
                    throw InputError(file: file, line: record.line, column: label(index), value: cell, problem: problem,
                                     accepted: RegisterScanner.codeAccepted)
                }
            }
            let old = Array(record.fields[oldIndex].utf8)
            let new = Array(record.fields[newIndex].utf8)
            if old == new {
                throw InputError(file: file, line: record.line, column: label(newIndex), value: record.fields[newIndex],
                                 problem: "maps code \(record.fields[oldIndex]) to itself",
                                 accepted: "a row only for a code that changed")
            }
            if let earlier = next[old] {
                throw InputError(file: file, line: record.line, column: label(oldIndex), value: record.fields[oldIndex],
                                 problem: "repeats the old_code of line \(earlier.line)",
                                 accepted: "each old code once (a code maps to one new code)")
            }
            next[old] = (new, record.line)
            order.append(old)
        }
        var resolved: [[UInt8]: [UInt8]] = [:]
        resolved.reserveCapacity(order.count)
        for start in order where resolved[start] == nil {
            // Follow the chain; a code met twice on it closes a cycle.
            var path: [[UInt8]] = [start]
            var onPath: [[UInt8]: Int] = [start: 0]
            var code = next[start]!.code
            var end: [UInt8]
            while true {
                if let done = resolved[code] { end = done; break }
                guard let step = next[code] else { end = code; break }
                if let at = onPath[code] {
                    let cycle = Array(path[at...])
                    let lines = cycle.map { next[$0]!.line }
                    let first = lines.indices.min { lines[$0] < lines[$1] }!
                    let ordered = Array(cycle[first...] + cycle[..<first])
                    let text = (ordered + [ordered[0]]).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " → ")
                    let lineList = ordered.map { String(next[$0]!.line) }.joined(separator: ", ")
                    throw InputError(file: file, line: lines[first],
                                     problem: "maps codes in a cycle: \(text) (lines \(lineList))",
                                     accepted: "chains of renamings that end in a code in use")
                }
                onPath[code] = path.count
                path.append(code)
                code = step.code
            }
            for old in path { resolved[old] = end }
        }
        return CodeMap(file: file, resolved: resolved, unknownHeaders: unknown)
    }

    /// Lines for stderr: ignored columns.
    public var notes: [String] {
        unknownHeaders.isEmpty ? [] : ["\(file): ignoring unknown column(s): \(unknownHeaders.joined(separator: ", "))"]
    }
}

/// A `CodeMap` laid out for the register's rows: looked up by a code's bytes without
/// allocating, and for six-digit codes (the fast rows) by the code's word. Read-only once built,
/// so the two halves of a split file share it.
///
/// The fast rows apply most renamings once per code rather than once per row: a renaming that
/// gives every row the origin column it had before (`OriginClassification.keepsColumns`, e.g. a
/// county merged into a neighbour of its prefecture) is not looked up for an origin at all, and
/// a destination so renamed is counted under its old code and moved to the new one when the
/// table is made (`CountyTally.sortedRows(renamedBy:)`). Only the other renamings
/// (`columnChangingDestinations`) are looked up per row.
final class CodeMapIndex: @unchecked Sendable {
    private struct ShortCode: Hashable {
        var word: UInt64
        var length: Int
    }
    private var short: [ShortCode: Int] = [:]
    private var long: [[UInt8]: Int] = [:]
    /// The new codes, each followed by 8 readable bytes (`CountyTally` reads whole words).
    private let arena: UnsafeMutablePointer<UInt8>
    private var starts: [Int] = []
    private var lengths: [Int] = []
    /// Six-digit old codes by value → their new code's six-digit word, or `notSixDigits` when
    /// the new code is not six ASCII digits; 0 = not renamed. 8 MB of address space mapped
    /// lazily: a run touches a page or so per renamed code.
    private let sixDigit: UnsafeMutablePointer<UInt64>
    /// Every six-digit renaming, looked up by word.
    private let allRenamings: SixDigitRenamings
    /// The six-digit renamings that may change a row's origin column, looked up by word.
    private let columnChangingRenamings: SixDigitRenamings
    /// The values (0…999,999) of the six-digit old codes whose renaming may change a row's origin
    /// column: a destination with one of them is mapped before it is classified and counted.
    let columnChangingDestinations: [Int]
    static let notSixDigits: UInt64 = .max
    private static let sixDigitBytes = CountyTally.sixDigitCount * MemoryLayout<UInt64>.stride

    init(_ map: CodeMap) {
        // The six-digit renamings as words, sorted (so that the tables do not depend on the
        // dictionary's order).
        let sixDigitRenamings = map.resolved.filter { CodeMapIndex.sixDigitValue($0.key) != nil }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
            .map { old, new in
                (old: old.withUnsafeBytes { CountyTally.word($0, padded: false) },
                 new: CodeMapIndex.sixDigitValue(new) != nil ? new.withUnsafeBytes { CountyTally.word($0, padded: false) }
                                                             : CodeMapIndex.notSixDigits)
            }
        let changing = sixDigitRenamings.filter {
            $0.new == CodeMapIndex.notSixDigits || !OriginClassification.keepsColumns(sixDigit: $0.old, renamedTo: $0.new)
        }
        allRenamings = SixDigitRenamings(sixDigitRenamings)
        columnChangingRenamings = SixDigitRenamings(changing)
        columnChangingDestinations = changing.map { CountyTally.sixDigitValue($0.old) }
        let total = map.resolved.values.reduce(0) { $0 + $1.count + 8 }
        arena = .allocate(capacity: max(total, 8))
        arena.initialize(repeating: 0, count: max(total, 8))
        sixDigit = CountyTally.mapZeroed(CodeMapIndex.sixDigitBytes).bindMemory(to: UInt64.self, capacity: CountyTally.sixDigitCount)
        for renaming in sixDigitRenamings { sixDigit[CountyTally.sixDigitValue(renaming.old)] = renaming.new }
        var offset = 0
        // Sorted, so that the arena's layout does not depend on the dictionary's order.
        for (old, new) in map.resolved.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let target = starts.count
            arena.advanced(by: offset).update(from: new, count: new.count)
            starts.append(offset)
            lengths.append(new.count)
            offset += new.count + 8
            if old.count <= 8 {
                short[ShortCode(word: old.withUnsafeBytes { CountyTally.word($0, padded: false) }, length: old.count)] = target
            } else {
                long[old] = target
            }
        }
    }

    deinit {
        arena.deallocate()
        CountyTally.unmap(UnsafeMutableRawPointer(sixDigit), CodeMapIndex.sixDigitBytes)
    }

    private static func sixDigitValue(_ code: [UInt8]) -> Int? {
        guard code.count == 6, code.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return code.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// The new code of `code` (readable 8 bytes past its end), or nil when it is not renamed.
    @inline(__always)
    func target(of code: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        let index: Int?
        if code.count <= 8 {
            index = short[ShortCode(word: CountyTally.word(code, padded: true), length: code.count)]
        } else {
            index = long[Array(code)]
        }
        guard let index else { return nil }
        return UnsafeRawBufferPointer(start: arena + starts[index], count: lengths[index])
    }

    /// Whether the fast rows look codes up in the collision-free table (else in the filter).
    var hasCollisionFreeTable: Bool { allRenamings.slots != nil }

    /// The tables the fast rows read, as plain pointers (no reference counting in their loop).
    var sixDigitTables: SixDigitTables {
        SixDigitTables(all: allRenamings.lookup(targets: sixDigit),
                       changingColumns: columnChangingRenamings.lookup(targets: sixDigit))
    }

    struct SixDigitTables {
        /// Every renaming: for a destination the tally marks (`columnChangingDestinations`).
        let all: SixDigitLookup
        /// The renamings that may change a row's origin column: for every origin.
        let changingColumns: SixDigitLookup
    }

    /// One set of six-digit renamings as plain pointers (see `SixDigitRenamings`).
    struct SixDigitLookup {
        let renamedFilter: UnsafeMutablePointer<UInt64>
        let filterShift: UInt64
        let targets: UnsafeMutablePointer<UInt64>
        let renamedSlots: UnsafeMutablePointer<UInt8>?
        let renamedEntries: UnsafeMutablePointer<UInt64>
        let renamedMultiplier: UInt64
        let renamedShift: UInt64

        /// The filter's bit for a code's word: the top bits of a multiplicative hash.
        @inline(__always)
        static func filterBit(_ word: UInt64, bits: Int) -> Int {
            Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) &>> UInt64(64 - bits))
        }

        /// The new code of a six-digit code given as its word: the word itself when the set
        /// does not rename it, nil when the new code is not six digits (the row is left to the
        /// general path).
        @inline(__always)
        func target(_ word: UInt64) -> UInt64? {
            // The same table for every row of a run: this branch is always predicted.
            if let renamedSlots {
                let slot = Int(truncatingIfNeeded: renamedSlots[Int(truncatingIfNeeded: (word &* renamedMultiplier) &>> renamedShift)])
                if slot == 0 { return word }
                // The slot of a renamed code, or of another code whose hash shares it.
                guard renamedEntries[2 &* slot] == word else { return word }
                let mapped = renamedEntries[2 &* slot &+ 1]
                return mapped == CodeMapIndex.notSixDigits ? nil : mapped
            }
            let bit = Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) &>> filterShift)
            if renamedFilter[bit &>> 6] & (1 &<< UInt64(truncatingIfNeeded: bit & 63)) == 0 { return word }
            // A filter hit: in the set, or another code whose hash shares the bit. The targets
            // table holds every renaming, so a code outside the set must not read it.
            let entry = targets[CountyTally.sixDigitValue(word)]
            if entry == 0 || !isInSet(word) { return word }
            return entry == CodeMapIndex.notSixDigits ? nil : entry
        }

        /// Whether `word` is an old code of this set (the filter's exact check: its entries are
        /// sorted by word; entry 0 is unused).
        private func isInSet(_ word: UInt64) -> Bool {
            var low = 1, high = Int(renamedEntries[0]) + 1
            while low < high {
                let middle = (low + high) / 2
                let old = renamedEntries[2 * middle]
                if old == word { return true }
                if old < word { low = middle + 1 } else { high = middle }
            }
            return false
        }
    }
}

/// One set of six-digit renamings (old word → new word, or `notSixDigits`), for the fast rows:
/// for at most 255 old codes a collision-free byte table, else a bit filter in front of the
/// value-indexed targets.
final class SixDigitRenamings: @unchecked Sendable {
    /// A filter on a six-digit code's word: one bit per hash of the word, set for every renamed
    /// code, at least 64 bits per renamed code (4 KB for up to 512 of them). A clear bit (nearly
    /// every row) settles "not renamed" with a multiply and a load that stays in the L1 cache,
    /// without the code's value; a set bit is checked in the targets.
    let renamedFilter: UnsafeMutablePointer<UInt64>
    /// log2 of the filter's bits.
    let filterBits: Int
    /// For at most 255 old codes: a hash of the code's word (its top `renamedSlotBits` bits
    /// after a multiply by `renamedMultiplier`, chosen so that no two old codes share a value)
    /// → a byte, the old code's entry in `renamedEntries` (0 = none). Nearly every code reads 0
    /// and is done (a multiply, a load and a test, cheaper than the filter); a code on a used
    /// slot takes the entry's new code only when the entry's old code is the code itself. nil
    /// when the set is larger or no such hash was found within 64 KB (the filter serves instead).
    let slots: UnsafeMutablePointer<UInt8>?
    /// Per entry the old code's word and the new code's (or `notSixDigits`), sorted by the old
    /// word; entry 0 holds the number of entries.
    let renamedEntries: UnsafeMutablePointer<UInt64>
    let renamedMultiplier: UInt64
    let renamedSlotBits: Int

    /// - Parameter renamings: sorted by the old code's bytes, which for six-digit words is
    ///   not their numeric order; they are sorted by word here.
    init(_ renamings: [(old: UInt64, new: UInt64)]) {
        let sorted = renamings.sorted { $0.old < $1.old }
        renamedEntries = .allocate(capacity: 2 * (sorted.count + 1))
        renamedEntries.initialize(repeating: 0, count: 2 * (sorted.count + 1))
        renamedEntries[0] = UInt64(sorted.count)
        for (i, renaming) in sorted.enumerated() {
            renamedEntries[2 * (i + 1)] = renaming.old
            renamedEntries[2 * (i + 1) + 1] = renaming.new
        }
        if let (multiplier, bits) = SixDigitRenamings.collisionFreeHash(sorted.map(\.old)) {
            renamedMultiplier = multiplier
            renamedSlotBits = bits
            let slots = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << bits)
            slots.initialize(repeating: 0, count: 1 << bits)
            for (i, renaming) in sorted.enumerated() {
                slots[Int(truncatingIfNeeded: (renaming.old &* multiplier) >> UInt64(64 - bits))] = UInt8(i + 1)
            }
            self.slots = slots
        } else {
            renamedMultiplier = 0
            renamedSlotBits = 1
            slots = nil
        }
        var bits = 15
        while 1 << bits < 64 * sorted.count { bits += 1 }
        filterBits = bits
        renamedFilter = .allocate(capacity: 1 << (bits - 6))
        renamedFilter.initialize(repeating: 0, count: 1 << (bits - 6))
        for renaming in sorted {
            let bit = CodeMapIndex.SixDigitLookup.filterBit(renaming.old, bits: bits)
            renamedFilter[bit >> 6] |= 1 << UInt64(bit & 63)
        }
    }

    deinit {
        slots?.deallocate()
        renamedEntries.deallocate()
        renamedFilter.deallocate()
    }

    func lookup(targets: UnsafeMutablePointer<UInt64>) -> CodeMapIndex.SixDigitLookup {
        CodeMapIndex.SixDigitLookup(renamedFilter: renamedFilter, filterShift: UInt64(64 - filterBits), targets: targets,
                                    renamedSlots: slots, renamedEntries: renamedEntries,
                                    renamedMultiplier: renamedMultiplier, renamedShift: UInt64(64 - renamedSlotBits))
    }

    /// A multiplier and a table size (log2, 8…16) under which the words' hashes all differ, or
    /// nil (more than 255 words, or none found among 64 multipliers per size).
    private static func collisionFreeHash(_ words: [UInt64]) -> (multiplier: UInt64, bits: Int)? {
        guard words.count <= 255 else { return nil }
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        // At least 64 slots a code: the rows' other codes fall on a used slot rarely.
        for bits in 8...16 where 1 << bits >= 64 * words.count {
            for _ in 0..<64 {
                // splitmix64: fixed, so that a map always gets the same tables.
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                let multiplier = (z ^ (z >> 31)) | 1
                var seen = Set<UInt64>()
                if words.allSatisfy({ seen.insert(($0 &* multiplier) >> UInt64(64 - bits)).inserted }) {
                    return (multiplier, bits)
                }
            }
        }
        return nil
    }
}
