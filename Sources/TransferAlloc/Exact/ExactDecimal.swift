import BigInt

/// A decimal number exactly as written: `significand / 10^scale`.
///
/// Parsers produce it from text without ever passing through a binary floating-point value.
///
///     ExactDecimal(significand: 12345, scale: 2)   // 123.45
public struct ExactDecimal: Hashable, Sendable {
    public var significand: BigInt
    /// Number of decimal places (may be negative after an exponent, e.g. `1e3`).
    public var scale: Int

    public init(significand: BigInt, scale: Int) {
        self.significand = significand
        self.scale = scale
    }

    public var rational: Rational {
        scale >= 0
            ? Rational(significand, Rational.powerOfTen(scale))
            : Rational(significand * Rational.powerOfTen(-scale))
    }
}
