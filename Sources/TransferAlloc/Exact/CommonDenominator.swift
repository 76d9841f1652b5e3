import BigInt

extension Rational {
    /// The integers a_i·L and L, the least common denominator of `values`: integers in the same
    /// ratios as the values (factor shares, land demand). A word-sized
    /// path when every denominator, L and numerator fit in 64 bits (products in 128), BigInt
    /// otherwise; both give the same integers.
    ///
    ///     Rational.overCommonDenominator([Rational(1, 2), Rational(2, 3)])   // ([3, 4], 6)
    ///
    /// - Complexity: O(n) word gcds on the fast path.
    static func overCommonDenominator(_ values: [Rational]) -> (integers: [BigInt], denominator: BigInt) {
        var l: UInt64 = 1
        var fits = true
        for value in values {
            guard let (_, d) = value.smallParts else { fits = false; break }
            let (product, overflow) = (l / binaryGCD(l, UInt64(d))).multipliedReportingOverflow(by: UInt64(d))
            if overflow { fits = false; break }
            l = product
        }
        if fits {
            let integers = values.map { value in
                let (n, d) = value.smallParts!
                return BigInt(magnitude128: UInt128(n.magnitude) * UInt128(l / UInt64(d)), negative: n < 0)
            }
            return (integers, BigInt(word: l))
        }
        return wideOverCommonDenominator(values)
    }

    /// `overCommonDenominator` in BigInt arithmetic throughout (any size; the tests' reference).
    static func wideOverCommonDenominator(_ values: [Rational]) -> (integers: [BigInt], denominator: BigInt) {
        let denominator = commonMultiple(ofDenominators: values)
        return (values.map { $0.numerator * (denominator / $0.denominator) }, denominator)
    }
}
