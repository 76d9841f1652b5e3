/// A settlement date of the register (contract §6), read straight from the field's bytes.
///
/// Accepted: `YYYY-MM-DD` and `YYYY/MM/DD` (one separator throughout; month and day with one or
/// two digits, as spreadsheets write them) and `YYYYMMDD`. The year has four digits and is at
/// least 0001; the date must exist in the Gregorian calendar (29 February only in leap years).
///
///     RegisterDate.parse(Array("2024-2-29".utf8))   // .valid(RegisterDate(year: 2024, month: 2, day: 29))
///     RegisterDate.parse(Array("20230229".utf8))    // .impossible("2023 has no 29 February")
///     RegisterDate.parse(Array("2023.05.17".utf8))  // .malformed
public struct RegisterDate: Equatable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// What a date field holds.
    public enum Parsed: Equatable, Sendable {
        case valid(RegisterDate)
        /// Shaped like a date, but no such day exists; the text says why.
        case impossible(String)
        /// Not in any accepted shape.
        case malformed
    }

    /// What the messages say is accepted.
    public static let acceptedText =
        "a date YYYY-MM-DD, YYYY/MM/DD (month and day with 1 or 2 digits) or YYYYMMDD, e.g. 2023-05-17"

    /// Parses an already trimmed field.
    ///
    /// - Complexity: O(1): at most 10 bytes are looked at.
    public static func parse(_ bytes: [UInt8]) -> Parsed {
        bytes.withUnsafeBytes { parse($0) }
    }

    /// Parses an already trimmed field from raw bytes (the register reader's hot path).
    @inlinable
    public static func parse(_ field: UnsafeRawBufferPointer) -> Parsed {
        let count = field.count
        guard count >= 8, count <= 10 else { return .malformed }
        @inline(__always) func digit(_ i: Int) -> Int {
            let value = Int(field[i]) &- 0x30
            return value >= 0 && value <= 9 ? value : -1_000_000
        }
        let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
        guard year >= 0 else { return .malformed }
        let month: Int
        let day: Int
        let separator = field[4]
        if separator == 0x2D || separator == 0x2F {  // - or /
            // Month: 1 or 2 digits, then the same separator.
            var i = 5
            var m = digit(i)
            guard m >= 0 else { return .malformed }
            i += 1
            if i < count, field[i] != separator {
                let second = digit(i)
                guard second >= 0 else { return .malformed }
                m = m * 10 + second
                i += 1
            }
            guard i < count, field[i] == separator else { return .malformed }
            i += 1
            let dayDigits = count - i
            guard dayDigits == 1 || dayDigits == 2 else { return .malformed }
            var d = digit(i)
            if dayDigits == 2 { d = d * 10 + digit(i + 1) }
            guard d >= 0 else { return .malformed }
            month = m
            day = d
        } else {
            guard count == 8 else { return .malformed }
            month = digit(4) * 10 + digit(5)
            day = digit(6) * 10 + digit(7)
            guard month >= 0, day >= 0 else { return .malformed }
        }
        return validated(year: year, month: month, day: day)
    }

    /// The hot path: `year * 10_000 + month * 100 + day` for a valid date, else -1 (call
    /// `parse` for the reason).
    @inline(__always)
    static func packed(_ field: UnsafeRawBufferPointer) -> Int {
        // YYYY-MM-DD with two-digit month and day, the common case, without the general parse.
        if field.count == 10 {
            let separator = field[4]
            if (separator == 0x2D || separator == 0x2F), field[7] == separator {
                // Eight digits at once: subtract "0" from every byte, then check each is 0…9.
                let raw = field.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
                let tail = UInt64(field.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
                // Bytes 0–3 year, 5–6 month, 8–9 day (bytes 4 and 7 are the separators).
                let compact = (raw & 0xFFFF_FFFF) | ((raw >> 8) & 0xFFFF_0000_0000) | (tail << 48)
                // Every byte is a digit: high nibble 3, and low nibble + 6 stays below 16.
                let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
                let threes: UInt64 = 0x3030_3030_3030_3030
                guard compact & nibbles == threes,
                      (compact &+ 0x0606_0606_0606_0606) & nibbles == threes else { return -1 }
                let d = compact &- threes
                @inline(__always) func digit(_ i: Int) -> Int { Int(truncatingIfNeeded: (d >> UInt64(i * 8)) & 0xFF) }
                let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
                let month = digit(4) * 10 + digit(5)
                let day = digit(6) * 10 + digit(7)
                let value = year * 10_000 + month * 100 + day
                guard year > 0, month >= 1, month <= 12, day >= 1,
                      day <= 28 || day <= daysIn(month: month, year: year) else { return -1 }
                return value
            }
        }
        if case .valid(let date) = parse(field) { return date.year * 10_000 + date.month * 100 + date.day }
        return -1
    }

    @usableFromInline
    static func validated(year: Int, month: Int, day: Int) -> Parsed {
        if year == 0 { return .impossible("there is no year 0000") }
        guard month >= 1, month <= 12 else { return .impossible("there is no month \(month)") }
        let length = daysIn(month: month, year: year)
        guard day >= 1, day <= length else {
            if month == 2, day == 29 { return .impossible("\(year) has no 29 February") }
            return .impossible("month \(month) has no day \(day)")
        }
        return .valid(RegisterDate(year: year, month: month, day: day))
    }

    /// Days in the month of the proleptic Gregorian calendar.
    @usableFromInline
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    @usableFromInline
    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }
}
