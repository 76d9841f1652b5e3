import BigInt
import Foundation
import Testing
@testable import TransferAlloc

/// Properties of the money split over generated tables, policies and budgets (contract §3),
/// checked against `PropertyOracle`, an independent reading of the formulas:
///
/// 1. Σ amount = budget − reserve, exactly; the reserve is the contract's.
/// 2. Every amount lies within [L_i, U_i] (snapped to the granularity); the run is refused
///    exactly when the bounds are infeasible.
/// 3. Shuffling the rows changes no county's amount or bound.
///
/// and, without bounds:
///
/// 4. each amount differs from its exact ideal A·s_i by less than one unit of granularity;
/// 5. multiplying every count by the same factor changes no amount;
/// 6. more settlers in one county never lower its amount by more than one unit.
///
/// `TRANSFERALLOC_PROPERTY_CASES` sets the number of cases (default 1,000; CI runs 10,000 once)
/// and `TRANSFERALLOC_PROPERTY_SEED` the first seed; a failure names its seed, so
/// `TRANSFERALLOC_PROPERTY_SEED=<seed> TRANSFERALLOC_PROPERTY_CASES=1` replays it.
@Suite struct AllocationPropertyTests {
    static let shards = 4
    static let environment = ProcessInfo.processInfo.environment
    static let cases = environment["TRANSFERALLOC_PROPERTY_CASES"].flatMap(Int.init) ?? 1_000
    static let firstSeed = environment["TRANSFERALLOC_PROPERTY_SEED"].flatMap(UInt64.init) ?? 0

    /// Seeds of one shard: the shards run in parallel and together cover `cases` seeds.
    static func seeds(shard: Int) -> [UInt64] {
        stride(from: shard, to: cases, by: shards).map { firstSeed + UInt64($0) }
    }

    @Test(arguments: 0..<shards) func properties(shard: Int) throws {
        var computed = 0, refused = 0
        var unbounded = UnboundedCount()
        for seed in Self.seeds(shard: shard) {
            let generated = PropertyCase.make(seed: seed)
            if try Self.checkBounded(generated, seed: seed) { computed += 1 } else { refused += 1 }
            try Self.checkUnbounded(generated.withoutBounds, seed: seed, count: &unbounded)
        }
        print("properties shard \(shard): bounded \(computed) computed, \(refused) refused; unbounded "
              + "\(unbounded.checked) checked, \(unbounded.refused) refused; property 6 \(unbounded.grownChecked) checked, "
              + "\(unbounded.grownRefused) refused")
        // The generator must exercise both outcomes, or property 2 tests only one side; and the
        // unbounded properties must run on nearly every case, not be skipped as refused.
        if Self.seeds(shard: shard).count >= 200 {
            #expect(computed > 0 && refused > 0, "shard \(shard): \(computed) computed, \(refused) refused")
            #expect(unbounded.refused * 10 <= unbounded.checked + unbounded.refused,
                    "shard \(shard): \(unbounded.refused) of the unbounded cases refused")
            #expect(unbounded.grownRefused * 10 <= unbounded.grownChecked + unbounded.grownRefused,
                    "shard \(shard): \(unbounded.grownRefused) of the grown cases (property 6) refused")
        }
    }

    /// How many unbounded cases (and grown cases of property 6) were checked or rightly refused.
    struct UnboundedCount {
        var checked = 0, refused = 0, grownChecked = 0, grownRefused = 0
    }

    /// Properties 1–3 on the case as generated; false when the case is (rightly) refused.
    static func checkBounded(_ c: PropertyCase, seed: UInt64) throws -> Bool {
        let oracle = PropertyOracle(c)
        let run: Allocation
        do {
            run = try c.allocate()
        } catch {
            #expect(oracle.refusal != nil, "seed \(seed): refused, but the contract computes it: \(error)")
            return false
        }
        if let refusal = oracle.refusal {
            Issue.record("seed \(seed): computed, but the contract refuses it (\(refusal))")
            return false
        }
        let money = run.scenarios[0].money
        let amounts = money.amountsFen
        // 1. Conservation.
        #expect(money.reserveFen == oracle.reserveFen, "seed \(seed)")
        #expect(amounts.reduce(0, +) == oracle.budgetFen - oracle.reserveFen, "seed \(seed)")
        #expect(money.allocatedFen == oracle.allocatedFen, "seed \(seed)")
        // 2. Bounds.
        for i in amounts.indices {
            let code = c.counties[i].code
            #expect(amounts[i] % BigInt(c.granularityFen) == 0, "seed \(seed) county \(code)")
            #expect(amounts[i] >= oracle.lower[i], "seed \(seed) county \(code): \(amounts[i]) < L \(oracle.lower[i])")
            if let upper = oracle.upper[i] {
                #expect(amounts[i] <= upper, "seed \(seed) county \(code): \(amounts[i]) > U \(upper)")
            }
        }
        // 3. Row order.
        var random = SeededRandom(seed: seed ^ 0x5EED)
        let order = Array(c.counties.indices).shuffled(using: &random)
        let shuffled = try c.allocate(order: order)
        let byCode = Dictionary(uniqueKeysWithValues: c.counties.indices.map {
            (c.counties[$0].code, (amounts[$0], money.apportionment.bound[$0]))
        })
        let shuffledMoney = shuffled.scenarios[0].money
        for (position, row) in shuffled.table.rows.enumerated() {
            let before = try #require(byCode[row.code])
            #expect(shuffledMoney.amountFen(position) == before.0, "seed \(seed) county \(row.code): row order changed the amount")
            #expect(shuffledMoney.apportionment.bound[position] == before.1, "seed \(seed) county \(row.code)")
        }
        return true
    }

    /// Properties 4–6 on the case without bounds.
    static func checkUnbounded(_ c: PropertyCase, seed: UInt64, count: inout UnboundedCount) throws {
        let oracle = PropertyOracle(c)
        if let refusal = oracle.refusal {
            if (try? c.allocate()) != nil { Issue.record("seed \(seed): computed, but the contract refuses it (\(refusal))") }
            count.refused += 1
            return
        }
        count.checked += 1
        let run = try c.allocate()
        let amounts = run.scenarios[0].money.amountsFen
        let unit = Rational(BigInt(c.granularityFen))
        // 4. Within one unit of the exact ideal.
        for i in amounts.indices {
            let gap = Rational(amounts[i]) - oracle.ideal[i]
            #expect(gap < unit && -gap < unit, "seed \(seed) county \(c.counties[i].code): \(amounts[i]) vs ideal \(oracle.ideal[i])")
        }
        // 5. Scaling every count by the same factor.
        var random = SeededRandom(seed: seed ^ 0x5CA1E)
        let factor = random.int(in: 2...7)
        var scaled = c
        for i in scaled.counties.indices {
            scaled.counties[i].origins = scaled.counties[i].origins.map { $0 * factor }
            scaled.counties[i].priors = scaled.counties[i].priors.map { $0 * factor }
            scaled.counties[i].permits *= factor
        }
        let scaledAmounts = try scaled.allocate().scenarios[0].money.amountsFen
        #expect(scaledAmounts == amounts, "seed \(seed): counts ×\(factor) changed the amounts")
        // 6. More settlers in one county.
        let county = random.int(in: 0...(c.counties.count - 1))
        let origin = random.int(in: 0...(c.counties[county].origins.count - 1))
        let added = random.int(in: 1...[1, 10, 1_000, 1_000_000][random.int(in: 0...3)])
        var grown = c
        grown.counties[county].origins[origin] += added
        if let refusal = PropertyOracle(grown).refusal {
            if (try? grown.allocate()) != nil { Issue.record("seed \(seed): grown case computed, but the contract refuses it (\(refusal))") }
            count.grownRefused += 1
            return
        }
        count.grownChecked += 1
        let grownAmount = try grown.allocate().scenarios[0].money.amountFen(county)
        #expect(grownAmount >= amounts[county] - BigInt(c.granularityFen),
                "seed \(seed) county \(c.counties[county].code): +\(added) settlers took \(amounts[county]) to \(grownAmount)")
    }
}
