/// Where a settler came from, relative to where they settled (contract §6, §10.8): the
/// register's rule for the three origin columns.
///
/// - Province: the code's first 2 characters (the whole code when it is shorter).
/// - Prefecture: the first 4 characters, except that
///   1. in the four municipalities (codes starting `11` 北京, `12` 天津, `31` 上海, `50` 重庆) the
///      prefecture is the whole city: the first 2 characters;
///   2. otherwise a code whose characters 3–4 are `90` (a province-administered county-level
///      unit, e.g. 429004 仙桃市) is a prefecture of its own: the whole code;
///   3. otherwise a code shorter than 4 characters is a prefecture of its own: the whole code.
/// - Provinces differ → cross_province; else prefectures differ → within_province; else
///   within_city. Codes are compared as text (byte for byte; they are ASCII).
///
///     OriginClassification.column(dest: "320506", origin: "410102")   // 0 cross_province
///     OriginClassification.column(dest: "320506", origin: "321002")   // 1 within_province
///     OriginClassification.column(dest: "110101", origin: "110228")   // 2 within_city (北京)
///     OriginClassification.column(dest: "429004", origin: "429005")   // 1 (each its own prefecture)
///
/// The register's fast rows call the same rule on six-digit codes held as words.
public enum OriginClassification {
    /// The origin columns in output order.
    public static let crossProvince = 0, withinProvince = 1, withinCity = 2

    /// The leading characters of each municipality's codes, as the little-endian 16-bit word of
    /// their two ASCII bytes: `11`, `12`, `31`, `50`.
    static let municipalityWords: (UInt64, UInt64, UInt64, UInt64) = (0x3131, 0x3231, 0x3133, 0x3035)
    /// `90` as the little-endian word of characters 3–4.
    static let provinceAdministeredWord: UInt64 = 0x3039

    /// How many leading characters name the code's prefecture. `head` holds the code's first
    /// (up to) 8 bytes, little-endian, zero-padded.
    @inline(__always)
    static func prefectureLength(head: UInt64, length: Int) -> Int {
        // As flags and selects, not branches: the fast rows meet every kind of code in turn.
        let province = head & 0xFFFF
        let m = municipalityWords
        let municipal = (province == m.0 ? 1 : 0) | (province == m.1 ? 1 : 0) | (province == m.2 ? 1 : 0)
            | (province == m.3 ? 1 : 0)
        let ninety = (head >> 16) & 0xFFFF == provinceAdministeredWord ? 1 : 0
        let own = (length < 4 ? 1 : 0) | ninety  // a 4-byte head only has 90 there when length ≥ 4
        let rest = own != 0 ? length : 4
        return municipal & (length >= 2 ? 1 : 0) != 0 ? 2 : rest
    }

    /// The origin column (0 cross_province, 1 within_province, 2 within_city) of a settler
    /// from `origin` into `dest`, both given by their first 8 bytes (`head`, zero-padded) and
    /// length; `samePrefix(n)` tells whether the first n bytes of the two codes agree (n ≤
    /// both lengths).
    @inline(__always)
    static func column(destHead: UInt64, destLength: Int, originHead: UInt64, originLength: Int,
                       samePrefix: (Int) -> Bool) -> Int {
        let destProvince = min(destLength, 2)
        guard destProvince == min(originLength, 2), (destHead ^ originHead) & 0xFFFF == 0 else { return crossProvince }
        let prefecture = prefectureLength(head: destHead, length: destLength)
        guard prefecture == prefectureLength(head: originHead, length: originLength), samePrefix(prefecture) else {
            return withinProvince
        }
        return withinCity
    }

    /// The origin column of two codes given as bytes.
    @inline(__always)
    public static func column(dest: UnsafeRawBufferPointer, origin: UnsafeRawBufferPointer) -> Int {
        column(destHead: CountyTally.word(dest, padded: false), destLength: dest.count,
               originHead: CountyTally.word(origin, padded: false), originLength: origin.count) { n in
            for i in 0..<n where dest[i] != origin[i] { return false }
            return true
        }
    }

    /// The origin column of two codes given as text.
    public static func column(dest: String, origin: String) -> Int {
        Array(dest.utf8).withUnsafeBytes { d in Array(origin.utf8).withUnsafeBytes { o in column(dest: d, origin: o) } }
    }

    /// The origin column of two six-character codes held as little-endian words (the
    /// register's fast rows), without branches. For two codes of one length and one province
    /// the dest's prefecture length decides alone: both are municipal or neither, and a `90`
    /// code differs from any other code of its province in characters 3–4, which every
    /// prefecture length but the municipalities' covers. So the column is (same first 2
    /// characters) + (same first `prefectureLength(dest)` characters).
    @inline(__always)
    static func column(sixCharacterDest dest: UInt64, origin: UInt64) -> Int {
        column(sixDigitDest: dest, destFirstFourDigits: CountyTally.sixDigitParts(dest).firstFour, origin: origin,
               prefectureMasks: sixDigitPrefectureMasks)
    }

    /// `column(sixCharacterDest:origin:)` for six-digit codes whose first four digits' value
    /// (0…9999) the caller has already (the fast rows compute it for the county's index), with
    /// `sixDigitPrefectureMasks` held in a register.
    @inline(__always)
    static func column(sixDigitDest dest: UInt64, destFirstFourDigits: Int, origin: UInt64,
                       prefectureMasks: UnsafePointer<UInt64>) -> Int {
        let differing = dest ^ origin
        return (differing & 0xFFFF == 0 ? 1 : 0) &+ (differing & prefectureMasks[destFirstFourDigits] == 0 ? 1 : 0)
    }

    /// Whether renaming the six-digit code `old` to the six-digit code `new` (both as
    /// little-endian words) leaves the origin column of every pair of codes as it was, on
    /// either side: true when the two share their first four digits and those digits name a
    /// prefecture of at most four characters (no `90` unit). The rule reads a code through its
    /// first two characters and its destination's prefecture mask, which for such a code
    /// covers no more than the first four digits (the same mask for both codes as a
    /// destination); beside a destination whose prefecture is its whole code (a `90` unit), a
    /// code of other first four digits is no match either way. So the register's fast rows
    /// need not map such a code per row (see `CodeMapIndex`).
    ///
    ///     // with the codes' words:
    ///     // 320584 → 320509: true (both in 3205); 320584 → 321002: false (another prefecture);
    ///     // 429005 → 429004: false (each its own prefecture)
    static func keepsColumns(sixDigit old: UInt64, renamedTo new: UInt64) -> Bool {
        (old ^ new) & 0xFFFF_FFFF == 0
            && sixDigitPrefectureMasks[CountyTally.sixDigitParts(old).firstFour] <= 0xFFFF_FFFF
    }

    /// The mask of a six-digit code's word that covers its prefecture (`prefectureLength` bytes),
    /// by the code's first four digits (the rule reads no further): the rule evaluated once per
    /// value, so that a row pays one load from a table of which a register touches a few
    /// hundred entries, instead of the rule's comparisons.
    nonisolated(unsafe) static let sixDigitPrefectureMasks: UnsafePointer<UInt64> = {  // written once, then only read
        let masks = UnsafeMutablePointer<UInt64>.allocate(capacity: 10_000)
        for firstFour in 0..<10_000 {
            // The code `DDDD00`: the last two digits do not change the prefecture length.
            let digits = [firstFour / 1000, firstFour / 100 % 10, firstFour / 10 % 10, firstFour % 10, 0, 0]
            let head = digits.enumerated().reduce(UInt64(0)) { $0 | UInt64(0x30 + $1.element) << UInt64(8 * $1.offset) }
            masks[firstFour] = (1 << UInt64(prefectureLength(head: head, length: 6) * 8)) - 1
        }
        return UnsafePointer(masks)
    }()
}
