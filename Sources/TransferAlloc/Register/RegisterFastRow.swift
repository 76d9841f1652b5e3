/// The register's common row shape, recognised in a few word operations (contract §6 rows as
/// `benchgen` and most exports write them):
///
///     320506,410102,2023-05-17⏎                      (dest_code, origin_code, settle_date)
///     110101199003071234,320506,410102,2023-05-17⏎   (person_id first)
///
/// Two codes of exactly six ASCII digits, a `YYYY-MM-DD` date that exists, LF, and for the
/// second shape a person_id of 1–31 bytes from `-` (0x2D) to `~` (0x7E) whose key is exact
/// (identity-number-shaped, or at most 7 bytes; see `PersonIDKey`): nothing to trim, unquote,
/// decode, re-read or reject. Such a row passes every check of the general path (the CSV
/// tokenizer, then the register's cell checks), so tallying it directly gives the same result.
/// Anything else — quotes, CR, spaces, other code lengths, `YYYY/M/D`, `YYYYMMDD`, an impossible
/// date, a non-ASCII byte, a row cut by the buffer's end — is left to the general path, which
/// accepts it or names its error. `RegisterPathsTests` and the register fuzz target hold the
/// two paths equal.
///
///     RegisterFastRow.tail(pointer to "320506,410102,2023-05-17\n")
///     // (first: "320506" as a little-endian word, second: "410102" likewise, year: 2023)
///
/// - Complexity: O(1) a row: three 8-byte loads and about 60 word operations.
enum RegisterFastRow {
    /// Which fast shape a header allows.
    enum Shape: Equatable {
        case none
        /// Three columns: the two codes (either order), then settle_date.
        case codesDate
        /// Four columns: person_id, the two codes (either order), then settle_date.
        case idCodesDate

        /// With `agriculturalIndex`, that column must come last, after settle_date.
        init(columnCount: Int, destIndex: Int, originIndex: Int, dateIndex: Int, idIndex: Int?,
             agriculturalIndex: Int? = nil) {
            let codes = Set([destIndex, originIndex])
            let columns = columnCount - (agriculturalIndex == nil ? 0 : 1)
            if let agriculturalIndex, agriculturalIndex != columns {
                self = .none
            } else if columns == 3, idIndex == nil, codes == [0, 1], dateIndex == 2 {
                self = .codesDate
            } else if columns == 4, idIndex == 0, codes == [1, 2], dateIndex == 3 {
                self = .idCodesDate
            } else {
                self = .none
            }
        }
    }

    /// `DDDDDD,DDDDDD,YYYY-MM-DD⏎` (or `,` instead of `⏎` when the agricultural cell follows)
    static let tailLength = 25

    // Per 8-byte word of the tail, the bytes expected: "0" where a digit must be, else the
    // exact byte; and per byte the largest allowed difference from it (9 for a digit, 0 else)
    // as 0x7F minus that limit.
    private static let expected0: UInt64 = 0x302C_3030_3030_3030  // DDDDDD,D
    private static let slack0: UInt64 = 0x767F_7676_7676_7676
    private static let expected1: UInt64 = 0x3030_2C30_3030_3030  // DDDDD,YY
    private static let slack1: UInt64 = 0x7676_7F76_7676_7676
    private static let expected2: UInt64 = 0x3030_2D30_302D_3030  // YY-MM-DD
    private static let slack2: UInt64 = 0x7676_7F76_767F_7676

    /// Byte-wise difference from the expected bytes (a digit's value where a digit must be),
    /// with bit 7 of a byte set in `over` when that byte is not as expected.
    @inline(__always)
    private static func difference(_ word: UInt64, _ expected: UInt64, _ slack: UInt64) -> (value: UInt64, over: UInt64) {
        let value = word ^ expected
        // A byte over its limit reaches bit 7 when the slack is added, or has it already. A
        // carry into the next byte comes only from a byte that has bit 7 already.
        return (value, (value &+ slack) | value)
    }

    /// The two codes (the 6 bytes of each as a little-endian word) and the date's year, if
    /// the 25 bytes at `row` are a fast tail whose date exists and whose last byte is `end`
    /// (LF, or a comma before the agricultural cell; nil: the caller tests it); nil otherwise.
    /// Reads exactly 25 bytes.
    @inline(__always)
    static func tail(_ row: UnsafeRawPointer, end endByte: UInt8? = 0x0A) -> (first: UInt64, second: UInt64, year: Int)? {
        let w0 = row.loadUnaligned(as: UInt64.self)
        let w1 = row.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        let w2 = row.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        let end = row.load(fromByteOffset: 24, as: UInt8.self)
        let d0 = difference(w0, expected0, slack0)
        let d1 = difference(w1, expected1, slack1)
        let d2 = difference(w2, expected2, slack2)
        guard (d0.over | d1.over | d2.over) & 0x8080_8080_8080_8080 == 0, endByte == nil || end == endByte else { return nil }
        let codeMask: UInt64 = 0xFFFF_FFFF_FFFF
        let first = w0 & codeMask
        let second = (w0 >> 56 | w1 << 8) & codeMask
        // Digit values (separators are 0 now), then pairs to 0…99: YY YY (bytes 6–7 of w1,
        // 0–1 of w2), MM (3–4 of w2), DD (6–7 of w2).
        let date = d1.value >> 48 | d2.value << 16  // Y Y Y Y 0 M M 0
        let datePairs = date &* 10 &+ (date >> 8)
        let century = Int(truncatingIfNeeded: datePairs & 0xFF)
        let yearInCentury = Int(truncatingIfNeeded: (datePairs >> 16) & 0xFF)
        let year = century &* 100 &+ yearInCentury
        let month = Int(truncatingIfNeeded: (datePairs >> 40) & 0xFF)
        let dayDigits = d2.value >> 48
        let day = Int(truncatingIfNeeded: (dayDigits &* 10 &+ (dayDigits >> 8)) & 0xFF)
        guard validDate(year: year, century: century, yearInCentury: yearInCentury, month: month, day: day) else {
            return nil
        }
        return (first, second, year)
    }

    /// `RegisterDate.validated` as one branch-free test (the day of a random row is over 28
    /// often enough to mispredict): year ≥ 1, month 1…12, day 1…length of the month.
    @inline(__always)
    static func validDate(year: Int, century: Int, yearInCentury: Int, month: Int, day: Int) -> Bool {
        // Days short of 31, two bits per month from bit 2: Feb 3, Apr/Jun/Sep/Nov 1.
        let short = (0b00_01_00_01_00_00_01_00_01_00_11_00_00 as UInt64) &>> UInt64(truncatingIfNeeded: month &* 2) & 3
        // Leap: divisible by 4, and a century only when it is divisible by 4 as well.
        let leapYear = (yearInCentury == 0 ? century : yearInCentury) & 3 == 0
        let leapDay = month == 2 && leapYear ? 1 : 0
        let length = 31 &- Int(truncatingIfNeeded: short) &+ leapDay
        let ok = (year > 0 ? 1 : 0) & (UInt(bitPattern: month &- 1) < 12 ? 1 : 0)
            & (UInt(bitPattern: day &- 1) < UInt(bitPattern: length) ? 1 : 0)
        return ok != 0
    }

    /// The length of a person_id at `row` that is 1–31 bytes of 0x2D…0x7E followed by a comma,
    /// else 0. Reads up to 32 bytes: the buffer's LF sentinel and padding make that safe.
    @inline(__always)
    static func plainIDLength(_ row: UnsafeRawPointer) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        var offset = 0
        while offset < 32 {
            let w = row.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            // Bytes below 0x2D, 0x7F, or with the high bit: the lowest flagged byte is exact.
            let del = w ^ (ones &* 0x7F)
            let stop = ((w &- ones &* 0x2D) & ~w & high) | (w & high) | ((del &- ones) & ~del & high)
            if stop != 0 {
                let length = offset &+ stop.trailingZeroBitCount >> 3
                return length > 0 && row.load(fromByteOffset: length, as: UInt8.self) == 0x2C ? length : 0
            }
            offset &+= 8
        }
        return 0
    }

    /// The agricultural cells the fast rows take (contract §10.8): each truth word whose bytes
    /// in the file's encoding, followed by LF, fit in 4 bytes (`1`, `0`, the empty cell, `no`,
    /// `yes`, and in UTF-8 `是`, `否`), with its value from `TruthWord`. Any other spelling
    /// (`TRUE`, a space, GB18030 `是`, CRLF) is left to the general path.
    final class TruthCells: @unchecked Sendable {
        /// By a cell's first byte, the one spelling that starts with it: its bytes through its
        /// LF (zero-padded) in bits 0–31, its length in bits 32–34 and its value in bit 35; 0 =
        /// none. The spellings' first bytes differ; a byte two would share is left to the
        /// general path.
        let entries: UnsafeMutablePointer<UInt64>
        /// The file's likely spellings, compared whole before the table: 是 and 否 in UTF-8, else
        /// 1 and 0.
        let common: CommonPair

        /// A true and a false cell of one length, each after the comma that ends the tail and
        /// with its LF, as the low bytes of a 64-bit word (`mask` keeps the comma and `length`
        /// bytes), so that one load checks the comma and the cell.
        struct CommonPair {
            var trueCell: UInt64
            var falseCell: UInt64
            var mask: UInt64
            var length: Int

            /// Matches nothing (a false cell no masked word equals: the mask keeps no byte).
            static let none = CommonPair(trueCell: 1, falseCell: 1, mask: 0, length: 0)

            init(trueCell: UInt64, falseCell: UInt64, mask: UInt64, length: Int) {
                self.trueCell = trueCell
                self.falseCell = falseCell
                self.mask = mask
                self.length = length
            }

            init(true yes: String, false no: String) {
                let yesBytes = Array(yes.utf8) + [0x0A]
                let noBytes = Array(no.utf8) + [0x0A]
                precondition(yesBytes.count == noBytes.count && yesBytes.count <= 4)
                precondition(TruthWord.value(yes) == true && TruthWord.value(no) == false)
                func word(_ bytes: [UInt8]) -> UInt64 {
                    ([0x2C] + bytes).enumerated().reduce(0) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
                }
                self.init(trueCell: word(yesBytes), falseCell: word(noBytes),
                          mask: (1 << UInt64(8 * (1 + yesBytes.count))) - 1, length: yesBytes.count)
            }
        }

        init(encoding: TextEncoding) {
            common = encoding == .utf8 ? CommonPair(true: "是", false: "否") : CommonPair(true: "1", false: "0")
            entries = .allocate(capacity: 256)
            entries.initialize(repeating: 0, count: 256)
            var shared = Set<UInt8>()
            for (words, value) in [(TruthWord.trueWords, true), (TruthWord.falseWords, false)] {
                for word in words {
                    let bytes = Array(word.utf8) + [0x0A]
                    guard bytes.count <= 4, encoding == .utf8 || word.utf8.allSatisfy({ $0 < 0x80 }) else { continue }
                    precondition(TruthWord.value(word) == value)
                    var key: UInt64 = 0
                    for (i, byte) in bytes.enumerated() { key |= UInt64(byte) << UInt64(8 * i) }
                    if entries[Int(bytes[0])] != 0 { shared.insert(bytes[0]) }
                    entries[Int(bytes[0])] = key | UInt64(bytes.count) << 32 | (value ? 1 << 35 : 0)
                }
            }
            for byte in shared { entries[Int(byte)] = 0 }
        }

        deinit { entries.deallocate() }

        /// The cell at `cell` (4 bytes readable) with its LF: its length and value, or nil.
        @inline(__always)
        static func match(_ cell: UnsafeRawPointer, in entries: UnsafeMutablePointer<UInt64>) -> (length: Int, value: Bool)? {
            let word = cell.loadUnaligned(as: UInt32.self)
            let entry = entries[Int(truncatingIfNeeded: word & 0xFF)]
            let length = Int(truncatingIfNeeded: (entry >> 32) & 7)
            let mask = UInt32(truncatingIfNeeded: (1 &<< UInt64(truncatingIfNeeded: length &* 8)) &- 1)
            guard entry != 0, word & mask == UInt32(truncatingIfNeeded: entry) else { return nil }
            return (length, entry & (1 << 35) != 0)
        }
    }
}
