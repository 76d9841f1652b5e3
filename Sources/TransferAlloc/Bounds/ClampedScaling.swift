/// The common scale μ* that makes `Σ clamp(μ*·N_i, L_i, U_i) = T` (contract §3.4), as the
/// exact fraction `numerator / denominator`.
///
/// The contract writes the scaled ideal as λ·q_i with q_i = T·N_i/D; with μ = λ·T/D the same
/// clamp reads μ·N_i, which keeps everything in integers. The smallest such μ is found by
/// walking the breakpoints L_i/N_i (a county starts to follow μ) and U_i/N_i (it stops) in
/// increasing order: between two breakpoints the clamped sum is linear in μ.
struct ClampedScaling<I: KernelInteger> {
    let numerator: I
    let denominator: I

    /// Two approximate ratios this far apart (relatively) are in the order of their exact values.
    private static var separated: Double { 1 + 0x1p-40 }

    /// A breakpoint at μ = value / weights[county].
    private struct Event { var county: Int; var value: I; var isEntry: Bool }

    /// - Parameters:
    ///   - total: T, the units to distribute.
    ///   - weights: N_i ≥ 0.
    ///   - lower: L_i ≥ 0, each ≤ total.
    ///   - upper: U_i (nil = none), each already ≤ total and ≥ L_i.
    /// - Returns: nil when no μ reaches the total (the caller checks feasibility first).
    /// - Complexity: O(n log n) comparisons.
    static func solve(total: I, weights: [I], lower: [I], upper: [I?]) -> ClampedScaling? {
        var fixed: I = 0
        for l in lower { fixed += l }
        if fixed == total { return ClampedScaling(numerator: 0, denominator: 1) }
        if fixed > total { return nil }

        // Entries come before exits at the same μ so a county whose L_i = U_i leaves the free set in the same step it joins it.
        // Listed entries first, each group by county: the tie order of `precedes`.
        var events: [Event] = []
        events.reserveCapacity(weights.count * 2)
        for i in weights.indices where weights[i] > 0 {
            events.append(Event(county: i, value: lower[i], isEntry: true))
        }
        for i in weights.indices where weights[i] > 0 {
            if let u = upper[i] { events.append(Event(county: i, value: u, isEntry: false)) }
        }
        let precedes = { (a: Event, b: Event) -> Bool in
            let left = a.value * weights[b.county]
            let right = b.value * weights[a.county]
            if left != right { return left < right }
            if a.isEntry != b.isEntry { return a.isEntry }
            return a.county < b.county
        }
        // The order is total (ties go entry first, then by county), so any sort gives the same
        // one. Sorting by a Double approximation of value/weight first costs one division per
        // event instead of two products per comparison (a sweep sorts thousands of times); one
        // exact pass confirms it, and only an order the Doubles got wrong is sorted exactly.
        // The approximations are ≥ 0, so their bit patterns sort as they do, and a stable radix
        // sort of the events listed in tie order leaves equal keys in tie order. The key drops
        // the pattern's last 16 bits (a relative difference below 2^−36, which the exact pass
        // settles): two radix passes fewer.
        // A weight of 2^1024 or more has no finite Double: its ratios would come out as 0 and look
        // well apart from the others, so such a ratio is left out (NaN) and the order found exactly.
        let approximations = events.map { event -> Double in
            let weight = weights[event.county].approximateDouble
            return weight.isFinite ? event.value.approximateDouble / weight : .nan
        }
        var sorted: [Double]?
        if approximations.allSatisfy({ $0.isFinite && $0.sign == .plus }) {
            let order = StableOrder.ascending(approximations.map { $0.bitPattern >> 16 })
            events = order.map { events[$0] }
            sorted = order.map { approximations[$0] }
        }
        // Neighbours whose approximations are further apart than their error (each ratio is
        // within 2^−49 of its value, relatively) are in exact order without two products.
        let confirmed = events.indices.dropFirst().allSatisfy { k in
            if let sorted, sorted[k] > sorted[k - 1] * ClampedScaling.separated { return true }
            return precedes(events[k - 1], events[k])
        }
        if !confirmed { events.sort(by: precedes) }

        var free: I = 0
        var index = 0
        while index < events.count {
            let head = events[index]
            let headWeight = weights[head.county]
            // S(μ_k) = fixed + μ_k·free ≥ total  ⇔  value·free ≥ (total − fixed)·weight.
            // S is continuous and the previous test failed, so fixed ≤ S(μ_{k−1}) < total here:
            // total − fixed is in (0, total] and every product stays below total·ΣN, which is
            // all `Apportionment.fits` asks of the bounded case. The sign test keeps that
            // true even if the argument were wrong (it multiplies nothing then).
            let remaining = total - fixed
            if free > 0 && (remaining <= 0 || head.value * free >= remaining * headWeight) {
                return ClampedScaling(numerator: remaining, denominator: free)
            }
            // Apply every event at this same μ.
            repeat {
                let event = events[index]
                let w = weights[event.county]
                if event.isEntry {
                    fixed -= lower[event.county]
                    free += w
                } else {
                    fixed += upper[event.county]!
                    free -= w
                }
                index += 1
            } while index < events.count
                && events[index].value * headWeight == head.value * weights[events[index].county]
        }
        guard free > 0 else { return nil }
        return ClampedScaling(numerator: total - fixed, denominator: free)
    }

    /// x_i = clamp(μ*·N_i, L_i, U_i) for every county, as numerators over `denominator` (so
    /// x_i = numerators[i] / denominator exactly), and the bound that decided each (contract
    /// §3.4): `floor` when μ*·N_i < L_i (or N_i = 0 < L_i), `cap` when μ*·N_i > U_i, else `none`.
    ///
    /// - Complexity: O(n) products.
    func clamp(weights: [I], lower: [I], upper: [I?]) -> (numerators: [I], bound: [BoundKind]) {
        let r = numerator, m = denominator
        var bound = Array(repeating: BoundKind.none, count: weights.count)
        var numerators: [I] = []
        numerators.reserveCapacity(weights.count)
        for i in weights.indices {
            let w = weights[i]
            let scaled = r * w                      // μ*·N_i = scaled / m
            let atLower = lower[i] * m
            if w == 0 || scaled <= atLower {
                if atLower > scaled { bound[i] = .floor }
                numerators.append(atLower)
            } else if let u = upper[i], scaled >= u * m {
                let atUpper = u * m
                if scaled > atUpper { bound[i] = .cap }
                numerators.append(atUpper)
            } else {
                numerators.append(scaled)
            }
        }
        return (numerators, bound)
    }
}
