import BigInt

/// Each value's L_i and U_i in units of g (`MoneyAllocation.boundUnits`) for a sweep of a bound
/// or of the granularity, by a few Int128 operations per county instead of rational arithmetic.
///
///     // --vary money.bounds.max_growth, prev_amount 1000 元, g = 1 fen:
///     // the growth term is prev·(1+x)·100 = 100000 + 100000·x fen, so at x = 0.25 the
///     // county's U = ⌊(100000·4 + 100000·1)/4⌋ = 125000 units; its other terms are snapped once.
///
/// Why it is exact: the bound in force is the largest lower term and the smallest upper term,
/// snapped up (L) or down (U) to g, and snapping is monotone, so ⌈max(t, s)/g⌉ =
/// max(⌈t/g⌉, ⌈s/g⌉) and ⌊min(t, s)/g⌋ = min(⌊t/g⌋, ⌊s/g⌋). The terms that do not depend on
/// the varied value are snapped once; the varied term is affine in the value x
/// (floor_amount x·100, min_retention prev·x·100, max_growth prev·(1+x)·100, cap_per_settler
/// x·settlers·100 fen), so it is read off `MoneyAllocation.boundTerms` at x = 0 and x = 1 — the
/// rule itself is not written again here. For the granularity the terms are fixed and g
/// varies. Whenever a product does not fit in Int128 the value goes through
/// `MoneyAllocation.boundUnits` instead.
struct SweepBoundUnits {
    private enum Shape {
        /// A varied term t_i(x) = (A_i + B_i·x) / den units, lower or upper; nil where the rule
        /// does not apply to the county (no prev_amount).
        case term(isLower: Bool, intercept: [Int128?], slope: [Int128?], denominator: Int128)
        /// Fixed terms n_i/d_i fen, divided by each value's g.
        case granularity(lowerNumerator: [Int128], lowerDenominator: [Int128],
                         upperNumerator: [Int128?], upperDenominator: [Int128?])
    }

    private let shape: Shape
    /// The snapped terms that do not vary (term shape only); nil = no such term.
    private let fixedLower: [Int128?]
    private let fixedUpper: [Int128?]
    private let table: SettlementTable

    /// Nil when the leaf is not a bound or the granularity, or the fixed parts do not fit in Int128.
    init?(table: SettlementTable, model: SweepPolicyModel) {
        self.table = table
        func narrow(_ value: BigInt) -> Int128? { value.magnitudeBitWidth <= 126 ? Int128(value) : nil }
        let rule: BoundTerm.Rule
        switch model.leaf {
        case .floorAmount: rule = .floorAmount
        case .maxGrowth: rule = .maxGrowth
        case .minRetention: rule = .minRetention
        case .capPerSettler: rule = .capPerSettler
        case .granularity:
            let (lower, upper) = MoneyAllocation.bounds(table: table, policy: model.base)
            var ln: [Int128] = [], ld: [Int128] = [], un: [Int128?] = [], ud: [Int128?] = []
            for (l, u) in zip(lower, upper) {
                guard let n = narrow(l.numerator), let d = narrow(l.denominator) else { return nil }
                ln.append(n); ld.append(d)
                if let u {
                    guard let n = narrow(u.numerator), let d = narrow(u.denominator) else { return nil }
                    un.append(n); ud.append(d)
                } else {
                    un.append(nil); ud.append(nil)
                }
            }
            shape = .granularity(lowerNumerator: ln, lowerDenominator: ld, upperNumerator: un, upperDenominator: ud)
            fixedLower = []
            fixedUpper = []
            return
        case .originCoefficient, .priorDecay: return nil
        }
        let g = Rational(model.base.granularityFen)
        let atZero = model.money(at: .zero), atOne = model.money(at: .one)
        var fixedLower: [Int128?] = [], fixedUpper: [Int128?] = []
        var intercepts: [Rational?] = [], slopes: [Rational?] = []
        for row in table.rows {
            let zero = MoneyAllocation.boundTerms(row: row, policy: atZero)
            let one = MoneyAllocation.boundTerms(row: row, policy: atOne)
            let lower = zero.lower.filter { $0.rule != rule }.map(\.fen).max()
            let upper = zero.upper.filter { $0.rule != rule }.map(\.fen).min()
            if let lower {
                guard let units = narrow((lower / g).ceiling) else { return nil }
                fixedLower.append(units)
            } else {
                fixedLower.append(nil)
            }
            if let upper {
                guard let units = narrow((upper / g).floor) else { return nil }
                fixedUpper.append(units)
            } else {
                fixedUpper.append(nil)
            }
            let terms0 = rule.isLower ? zero.lower : zero.upper
            let terms1 = rule.isLower ? one.lower : one.upper
            if let t0 = terms0.first(where: { $0.rule == rule }), let t1 = terms1.first(where: { $0.rule == rule }) {
                intercepts.append(t0.fen)
                slopes.append(t1.fen - t0.fen)
            } else {
                intercepts.append(nil)
                slopes.append(nil)
            }
        }
        var common = BigInt(1)
        for term in intercepts + slopes {
            if let term { common = lcm(common, term.denominator) }
        }
        var a: [Int128?] = [], b: [Int128?] = []
        for (intercept, slope) in zip(intercepts, slopes) {
            guard let intercept, let slope else { a.append(nil); b.append(nil); continue }
            guard let ai = narrow(intercept.numerator * (common / intercept.denominator)),
                  let bi = narrow(slope.numerator * (common / slope.denominator)) else { return nil }
            a.append(ai); b.append(bi)
        }
        guard let denominator = narrow(common * model.base.granularityFen) else { return nil }
        shape = .term(isLower: rule.isLower, intercept: a, slope: b, denominator: denominator)
        self.fixedLower = fixedLower
        self.fixedUpper = fixedUpper
    }

    /// L_i and U_i in units at `value`, equal to `MoneyAllocation.boundUnits(table:policy:)`
    /// with `money` (the policy at `value`).
    func units(at value: Rational, money: MoneyPolicy) -> (lower: [BigInt], upper: [BigInt?]) {
        narrowUnits(at: value, money: money) ?? MoneyAllocation.boundUnits(table: table, policy: money)
    }

    private func narrowUnits(at value: Rational, money: MoneyPolicy) -> (lower: [BigInt], upper: [BigInt?])? {
        let n = table.rows.count
        var lower: [BigInt] = [], upper: [BigInt?] = []
        lower.reserveCapacity(n)
        upper.reserveCapacity(n)
        switch shape {
        case .term(let isLower, let intercept, let slope, let denominator):
            guard value.numerator.magnitudeBitWidth <= 126, value.denominator.magnitudeBitWidth <= 126 else { return nil }
            let p = Int128(value.numerator), q = Int128(value.denominator)
            let (d, dOverflow) = denominator.multipliedReportingOverflow(by: q)
            guard !dOverflow else { return nil }
            for i in 0..<n {
                var l = fixedLower[i], u = fixedUpper[i]
                if let a = intercept[i], let b = slope[i] {
                    guard let t = SweepBoundUnits.affine(a, q, b, p) else { return nil }
                    if isLower {
                        let units = SweepBoundUnits.ceilingDivision(t, d)
                        l = l.map { max($0, units) } ?? units
                    } else {
                        let units = SweepBoundUnits.floorDivision(t, d)
                        u = u.map { min($0, units) } ?? units
                    }
                }
                // floor_amount is a lower term of every county, so some lower term exists.
                guard let l else { return nil }
                lower.append(l.bigInt)
                upper.append(u?.bigInt)
            }
        case .granularity(let ln, let ld, let un, let ud):
            guard let g64 = money.granularityFen.int64 else { return nil }
            let g = Int128(g64)
            for i in 0..<n {
                let (dl, lowOverflow) = ld[i].multipliedReportingOverflow(by: g)
                guard !lowOverflow else { return nil }
                lower.append(SweepBoundUnits.ceilingDivision(ln[i], dl).bigInt)
                if let num = un[i], let den = ud[i] {
                    let (du, overflow) = den.multipliedReportingOverflow(by: g)
                    guard !overflow else { return nil }
                    upper.append(SweepBoundUnits.floorDivision(num, du).bigInt)
                } else {
                    upper.append(nil)
                }
            }
        }
        return (lower, upper)
    }

    /// a·q + b·p, nil on overflow.
    private static func affine(_ a: Int128, _ q: Int128, _ b: Int128, _ p: Int128) -> Int128? {
        let (aq, o1) = a.multipliedReportingOverflow(by: q)
        let (bp, o2) = b.multipliedReportingOverflow(by: p)
        let (sum, o3) = aq.addingReportingOverflow(bp)
        return o1 || o2 || o3 ? nil : sum
    }

    /// ⌊n/d⌋ for d > 0.
    static func floorDivision(_ n: Int128, _ d: Int128) -> Int128 {
        let (quotient, remainder) = n.quotientAndRemainder(dividingBy: d)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// ⌈n/d⌉ for d > 0.
    static func ceilingDivision(_ n: Int128, _ d: Int128) -> Int128 {
        let (quotient, remainder) = n.quotientAndRemainder(dividingBy: d)
        return remainder > 0 ? quotient + 1 : quotient
    }
}
