import CPrefetch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The set of person_ids seen so far, at 12 bytes a slot (about 16 bytes per distinct id at the
/// table's load), never reporting a repeat that is not one.
///
/// Each id becomes a 64-bit key. Ids shaped like Chinese identity numbers (1–18 ASCII digits,
/// or 17 digits and `X`) and ids of at most 7 bytes are packed into the key *exactly*, so equal
/// keys are equal ids. Any other id is stored as a 63-bit hash; when such a key is found again,
/// the set asks its caller to compare the two ids themselves (the register reader re-reads the
/// earlier line), so a hash collision costs a re-read, never a false "duplicate".
/// A slot holds the key and the 1-based line (relative to the part of the file it was read
/// from), which the duplicate message names.
///
///     let ids = PersonIDSet()
///     ids.insert(PersonIDKey(Array("110101199003071234".utf8)), line: 2) { _ in true }  // nil
///     ids.insert(PersonIDKey(Array("110101199003071234".utf8)), line: 9) { _ in true }  // 2
///
/// - Complexity: expected O(1) per insert (linear probing, load ≤ 0.8); memory 12 bytes per slot.
///   A class so that the two halves of a split file can hand their sets over without copying.
final class PersonIDSet: @unchecked Sendable {
    private static let slotBytes = 12
    private var storage: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var count = 0
    /// Hash bits kept for hashed keys; tests lower it to force collisions.
    let hashMask: UInt64

    init(capacity: Int = 1 << 12, hashMask: UInt64 = .max) {
        self.capacity = max(16, capacity)
        self.hashMask = hashMask
        storage = PersonIDSet.allocate(self.capacity)
    }

    deinit { PersonIDSet.deallocate(storage, capacity) }

    /// Zeroed memory for `capacity` slots. A large table is mapped with transparent huge pages
    /// where the kernel allows it: every insert lands on a random slot, and with 4 KiB pages
    /// nearly every one would also miss the TLB. Pages are mapped lazily, so an oversized table
    /// costs address space until it fills.
    private static func allocate(_ capacity: Int) -> UnsafeMutableRawPointer {
        let bytes = capacity * slotBytes + 16
        if bytes >= 4 << 20 {
            let pointer = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if let pointer, pointer != MAP_FAILED {
                _ = madvise(pointer, bytes, 14)  // MADV_HUGEPAGE
                return pointer
            }
        }
        return calloc(bytes, 1)!
    }

    private static func deallocate(_ pointer: UnsafeMutableRawPointer, _ capacity: Int) {
        let bytes = capacity * slotBytes + 16
        if bytes >= 4 << 20 { munmap(pointer, bytes) } else { free(pointer) }
    }

    /// Makes room for `expected` ids in total without growing later.
    func reserve(_ expected: Int) {
        let wanted = expected + expected / 4 + 16
        if wanted > capacity { rehash(to: wanted) }
    }

    var bytesAllocated: Int { capacity * PersonIDSet.slotBytes }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        let mixed = (key ^ (key >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: mixed.multipliedFullWidth(by: UInt64(capacity)).high)
    }

    @inline(__always)
    private func keyAt(_ slot: Int) -> UInt64 {
        storage.loadUnaligned(fromByteOffset: slot &* PersonIDSet.slotBytes, as: UInt64.self)
    }

    @inline(__always)
    private func lineAt(_ slot: Int) -> UInt32 {
        storage.loadUnaligned(fromByteOffset: slot &* PersonIDSet.slotBytes &+ 8, as: UInt32.self)
    }

    @inline(__always)
    private func store(_ key: UInt64, _ line: UInt32, at slot: Int) {
        storage.storeBytes(of: key, toByteOffset: slot &* PersonIDSet.slotBytes, as: UInt64.self)
        storage.storeBytes(of: line, toByteOffset: slot &* PersonIDSet.slotBytes &+ 8, as: UInt32.self)
    }

    /// Touches the slot a key will probe first, so that its cache miss overlaps the work on
    /// the next rows (the register reader inserts a few rows later).
    @inline(__always)
    func prefetch(_ key: PersonIDKey) {
        transfercalc_prefetch(storage + home(key.masked(hashMask)) &* PersonIDSet.slotBytes)
    }

    /// Inserts the id, or returns the line of an earlier equal id.
    ///
    /// - Parameter sameID: called with the line of an earlier id whose key is the same hash;
    ///   returns whether the ids are really equal. Never called for exact keys.
    /// - Returns: nil when the id is new (and now inserted), else the earlier line.
    @inline(__always)
    func insert(_ key: PersonIDKey, line: UInt32,
                         sameID: (UInt32) throws(InputError) -> Bool) throws(InputError) -> UInt32? {
        let stored = key.masked(hashMask)
        var slot = home(stored)
        while true {
            let existing = keyAt(slot)
            if existing == 0 { break }
            if existing == stored {
                let earlier = lineAt(slot)
                if key.isExact { return earlier }
                if try sameID(earlier) { return earlier }
            }
            slot &+= 1
            if slot == capacity { slot = 0 }
        }
        store(stored, line, at: slot)
        count &+= 1
        if count &* 5 > capacity &* 4 { rehash(to: capacity + capacity / 2) }
        return nil
    }

    /// Calls `body` with every (key, line) stored, in slot order.
    func forEach(_ body: (UInt64, UInt32) throws(InputError) -> Void) throws(InputError) {
        for slot in 0..<capacity {
            let key = keyAt(slot)
            if key != 0 { try body(key, lineAt(slot)) }
        }
    }

    /// Every stored line whose key equals `storedKey` (already masked).
    func lines(forStoredKey storedKey: UInt64) -> [UInt32] {
        var slot = home(storedKey)
        var found: [UInt32] = []
        while true {
            let existing = keyAt(slot)
            if existing == 0 { return found }
            if existing == storedKey { found.append(lineAt(slot)) }
            slot += 1
            if slot == capacity { slot = 0 }
        }
    }

    private func rehash(to newCapacity: Int) {
        let oldStorage = storage
        let oldCapacity = capacity
        capacity = newCapacity
        storage = PersonIDSet.allocate(newCapacity)
        for old in 0..<oldCapacity {
            let key = oldStorage.loadUnaligned(fromByteOffset: old * PersonIDSet.slotBytes, as: UInt64.self)
            if key == 0 { continue }
            let line = oldStorage.loadUnaligned(fromByteOffset: old * PersonIDSet.slotBytes + 8, as: UInt32.self)
            var slot = home(key)
            while keyAt(slot) != 0 {
                slot += 1
                if slot == capacity { slot = 0 }
            }
            store(key, line, at: slot)
        }
        PersonIDSet.deallocate(oldStorage, oldCapacity)
    }
}

/// A person_id as a 64-bit key: exact for identity-number-shaped and short ids, else a hash.
///
///     PersonIDKey(Array("110101199003071234".utf8)).isExact   // true
///     PersonIDKey(Array("a1b2c3d4-e5f6".utf8)).isExact        // false (63-bit hash)
struct PersonIDKey: Equatable {
    /// Never 0 (0 marks an empty slot). Bit 63 set: exact; bits 63–62 = 10 digits (and X),
    /// 11 short bytes; bit 63 clear: hash.
    let value: UInt64

    var isExact: Bool { value >> 63 == 1 }

    /// The id an exact key stands for (nil for a hash).
    var exactText: String? {
        guard isExact else { return nil }
        if value >> 62 == 0b11 {
            let n = Int(value >> 56 & 7)
            return String(decoding: (0..<n).map { UInt8(truncatingIfNeeded: value >> UInt64($0 * 8)) }, as: UTF8.self)
        }
        let code = value & ~(1 << 63)
        if code >= PersonIDKey.digitBase[19] {
            let digits = String(code - PersonIDKey.digitBase[19])
            return String(repeating: "0", count: 17 - digits.count) + digits + "X"
        }
        var n = 1
        while n < 19, code >= PersonIDKey.digitBase[n + 1] { n += 1 }
        let digits = String(code - PersonIDKey.digitBase[n])
        return String(repeating: "0", count: n - digits.count) + digits
    }

    /// Exact keys are kept whole; hashed keys keep the bits of `mask` (tests force collisions).
    @inline(__always)
    func masked(_ mask: UInt64) -> UInt64 {
        isExact || mask == .max ? value : max(1, value & mask)
    }

    init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { PersonIDKey($0) }
    }

    /// Drawn once per run: ids cannot be crafted to collide (a collision costs a re-read of
    /// the file, never a wrong answer, but many would make a run slow). Results never depend on it.
    static let seed = UInt64.random(in: 0...UInt64.max)

    /// Σ 10^m for m < n: the first key of the n-digit strings (bijective numbering, so `012`
    /// and `12` get different keys).
    private static let digitBase: [UInt64] = {
        var bases: [UInt64] = [0]
        var power: UInt64 = 1
        for _ in 0..<19 {
            bases.append(bases.last! + power)
            power = power &* 10
        }
        return bases
    }()

    /// 8 ASCII digits (first at byte 0) → their value, or nil if a byte is not a digit.
    @inline(__always)
    private static func eightDigits(_ word: UInt64) -> UInt64? {
        let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let threes: UInt64 = 0x3030_3030_3030_3030
        // High nibble 3 and low nibble + 6 below 16 (no carry once the high nibbles are right).
        guard word & nibbles == threes, (word &+ 0x0606_0606_0606_0606) & nibbles == threes else { return nil }
        // Pairs, then the four pairs: Lemire's 8-digit parse.
        var v = word & 0x0F0F_0F0F_0F0F_0F0F
        v = v &* 10 &+ (v >> 8)
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        return ((v & mask) &* (100 + (1_000_000 << 32)) &+ ((v >> 16) & mask) &* (1 + (10_000 << 32))) >> 32
    }

    @inline(__always)
    init(_ id: UnsafeRawBufferPointer) {
        let n = id.count
        if n == 18 {
            // Identity numbers, the common id: 16 digits in two words, then the last two bytes.
            if let high = PersonIDKey.eightDigits(id.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
               let low = PersonIDKey.eightDigits(id.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) {
                let d16 = UInt64(id[16]) &- 0x30
                let d17 = UInt64(id[17]) &- 0x30
                if d16 <= 9, d17 <= 9 {
                    value = 1 << 63 | (PersonIDKey.digitBase[18] &+ high &* 10_000_000_000 &+ low &* 100 &+ d16 &* 10 &+ d17)
                    return
                }
                if d16 <= 9, id[17] == 0x58 {
                    value = 1 << 63 | (PersonIDKey.digitBase[19] &+ high &* 1_000_000_000 &+ low &* 10 &+ d16)
                    return
                }
            }
        }
        if n <= 18 {
            var number: UInt64 = 0
            var digits = 0
            while digits < n {
                let d = UInt64(id[digits]) &- 0x30
                if d > 9 { break }
                number = number &* 10 &+ d
                digits += 1
            }
            if digits == n {
                value = 1 << 63 | (PersonIDKey.digitBase[n] &+ number)
                return
            }
            if n == 18, digits == 17, id[17] == 0x58 {  // 17 digits and X
                value = 1 << 63 | (PersonIDKey.digitBase[19] &+ number)
                return
            }
        }
        if n <= 7 {
            var packed = UInt64(n) << 56
            for i in 0..<n { packed |= UInt64(id[i]) << UInt64(i * 8) }
            value = 0b11 << 62 | packed
            return
        }
        var hash: UInt64 = PersonIDKey.seed ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            let word = id.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            hash = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(id[i]) << shift
            shift += 8
            i += 1
        }
        hash = (hash ^ tail) &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 29
        hash = hash &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 32
        value = max(1, hash >> 1)
    }
}
