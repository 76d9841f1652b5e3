import BigInt

/// The integer types the apportionment kernel runs on: `Int128` when every intermediate
/// provably fits (no allocation, the common case), `BigInt` otherwise.
///
/// The choice is made once per run from the bit widths of the inputs (see
/// `Apportionment.fitsInt128`), so the fast path never overflows and never traps.
public protocol KernelInteger: SignedInteger, Sendable {
    init(_ value: BigInt)
    var bigInt: BigInt { get }
}

extension Int128: KernelInteger {
    /// - Precondition: the value fits (checked by the caller's width test).
    public init(_ value: BigInt) { self = Int128(exactly: value)! }
    public var bigInt: BigInt { BigInt(self) }
}

extension BigInt: KernelInteger {
    public var bigInt: BigInt { self }
}

extension BigInt {
    /// Number of bits needed for the magnitude (0 for zero). `BigUInt.bitWidth` already
    /// excludes the leading zeros of its top word.
    var magnitudeBitWidth: Int { magnitude.bitWidth }
}

extension BigInt {
    /// The magnitude as one machine word when it fits (attaswift's generic conversions are
    /// slow on the hot paths that only ever see small values).
    var smallMagnitude: UInt64? {
        let words = magnitude.words
        switch words.count {
        case 0: return 0
        case 1: return UInt64(words[words.startIndex])
        default: return nil
        }
    }

    /// A non-negative word as a BigInt, without the generic conversion.
    init(word: UInt64) { self.init(sign: .plus, magnitude: BigUInt(words: [UInt(word)])) }

    /// Decimal digits, with a machine-word fast path.
    var decimalText: String {
        if let small = smallMagnitude { return (sign == .minus && small != 0 ? "-" : "") + String(small) }
        return String(self)
    }
}
