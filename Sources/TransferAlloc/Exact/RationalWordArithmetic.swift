import BigInt

/// The word-sized fast path of `Rational`'s arithmetic: when both operands are `.small`
/// (parts below 2^62: counts, coefficients, amounts in fen — nearly every value of a run),
/// sums, products, quotients and comparisons run on Int64/Int128 and the result comes out in
/// lowest terms without a BigInt gcd. Each returns nil when an operand is `.big`; the caller
/// then takes the BigInt path, which gives the same value (tests compare the two).
extension Rational {
    /// a + b (Knuth's gcd-reduced addition), or nil.
    static func narrowSum(_ a: Rational, _ b: Rational) -> Rational? {
        guard case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage else { return nil }
        if ad == 1 && bd == 1 {
            let sum = Int128(an) + Int128(bn)
            return Rational(reduced: sum.magnitude, negative: sum < 0, denominator: 1)
        }
        let g = binaryGCD(UInt64(ad), UInt64(bd))
        let aScale = UInt64(ad) / g, bScale = UInt64(bd) / g
        // |t| < 2·2^62·2^62 = 2^125.
        let t = Int128(an) * Int128(bScale) + Int128(bn) * Int128(aScale)
        if t == 0 { return .zero }
        let magnitude = t.magnitude
        // gcd(t, g) divides the result; gcd(t, a.d/g · b.d) = gcd(t, g) (Knuth 4.5.1). A
        // 128-bit division is a library call: skipped when it is by 1 or fits in 64 bits.
        let fitsWord = magnitude >> 64 == 0
        let g2 = g == 1 ? 1 : binaryGCD(fitsWord ? UInt64(magnitude) % g : UInt64(magnitude % UInt128(g)), g)
        let reduced = g2 == 1 ? magnitude : fitsWord ? UInt128(UInt64(magnitude) / g2) : magnitude / UInt128(g2)
        return Rational(reduced: reduced, negative: t < 0, denominator: UInt128(aScale) * UInt128(UInt64(bd) / g2))
    }

    /// a · b with cross-cancelled factors (so already in lowest terms), or nil.
    static func narrowProduct(_ a: Rational, _ b: Rational) -> Rational? {
        guard case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage else { return nil }
        if an == 0 || bn == 0 { return .zero }
        let g1 = binaryGCD(an.magnitude, UInt64(bd))
        let g2 = binaryGCD(bn.magnitude, UInt64(ad))
        return Rational(reduced: UInt128(an.magnitude / g1) * UInt128(bn.magnitude / g2), negative: (an < 0) != (bn < 0),
                        denominator: UInt128(UInt64(ad) / g2) * UInt128(UInt64(bd) / g1))
    }

    /// a / b (b ≠ 0): a times the reciprocal of b, or nil.
    static func narrowQuotient(_ a: Rational, _ b: Rational) -> Rational? {
        guard case .small(let bn, let bd) = b.storage, bn != 0 else { return nil }
        // 1/b is in lowest terms too; its parts stay below 2^62.
        let reciprocal = Rational(reduced: UInt128(UInt64(bd)), negative: bn < 0, denominator: UInt128(bn.magnitude))
        return narrowProduct(a, reciprocal)
    }

    /// a < b by cross-multiplication in 128 bits, or nil.
    static func narrowLess(_ a: Rational, _ b: Rational) -> Bool? {
        guard case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage else { return nil }
        return Int128(an) * Int128(bd) < Int128(bn) * Int128(ad)
    }
}
