import BigInt

/// Greatest common divisor and least common multiple of big integers: the one place every exact
/// path takes them from (word-sized fast path in `Rational.gcd`).
func gcd(_ a: BigInt, _ b: BigInt) -> BigInt { Rational.gcd(a, b) }

/// The gcd of all values, stopping as soon as it reaches 1 (the usual case, after a few).
func commonDivisor(_ values: [BigInt]) -> BigInt {
    var common = BigInt(0)
    for value in values where !value.isZero {
        common = gcd(common, value)
        if common == 1 { break }
    }
    return common
}

func lcm(_ a: BigInt, _ b: BigInt) -> BigInt {
    a / gcd(a, b) * b
}

/// The least common multiple of the denominators of `values` (1 for none).
///
///     commonMultiple(ofDenominators: [Rational(1, 4), Rational(5, 6)])   // 12
func commonMultiple(ofDenominators values: [Rational]) -> BigInt {
    values.reduce(BigInt(1)) { lcm($0, $1.denominator) }
}
