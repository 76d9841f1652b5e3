import BigInt
import Testing
@testable import TransferAlloc

/// Invariants over 1,000 generated inputs (contract §3.5 and §8): the total is conserved to the
/// fen, bounds hold, reruns and row order change nothing.
///
/// A generated policy or set of bounds may be rightly refused (an `InputError`, never a crash).
/// Refused cases are counted, not skipped in silence: each test prints how many it checked and
/// fails when the generator stops producing enough cases that compute.
@Suite struct GeneratedInvariantTests {
    static let shards = 4
    static let seeds = Array(UInt64(0)..<1_000)

    /// Seeds of one shard: the shards run in parallel and together cover `seeds`.
    static func seeds(shard: Int, of seeds: ArraySlice<UInt64>) -> [UInt64] {
        seeds.enumerated().filter { $0.offset % shards == shard }.map(\.element)
    }

    /// Runs a generated case; nil when the generated policy or bounds are rejected (then the
    /// rejection must be an InputError, never a crash).
    static func run(_ generated: GeneratedCase) throws -> Allocation? {
        do {
            return try Inputs.allocate(settlement: generated.settlementText, budget: generated.budget, set: generated.overrides)
        } catch is InputError {
            return nil
        }
    }

    /// Fails when more than `limit` of the cases were refused; prints the count either way.
    static func report(_ test: String, shard: Int, checked: Int, refused: Int, limit: Double) {
        print("\(test) shard \(shard): \(checked) checked, \(refused) refused")
        #expect(Double(refused) <= limit * Double(checked + refused),
                "\(test) shard \(shard): \(refused) of \(checked + refused) generated cases refused; the generator no longer exercises the invariants")
    }

    @Test(arguments: 0..<shards) func conservesBoundsAndIsDeterministic(shard: Int) throws {
        var checked = 0, refused = 0
        for seed in Self.seeds(shard: shard, of: Self.seeds[...]) {
            let generated = GeneratedCase.make(seed: seed)
            guard let run = try Self.run(generated) else { refused += 1; continue }
            checked += 1
            let money = run.scenarios[0].money
            let amounts = money.amountsFen
            #expect(amounts.reduce(0, +) == money.allocatedFen, "seed \(seed)")
            #expect(money.budgetFen - money.reserveFen == money.allocatedFen, "seed \(seed)")
            #expect(money.allocatedFen % money.granularityFen == 0, "seed \(seed)")
            for i in amounts.indices {
                #expect(amounts[i] >= money.lowerFen[i], "seed \(seed) county \(run.table.rows[i].code)")
                if let upper = money.upperFen[i] { #expect(amounts[i] <= upper, "seed \(seed) county \(run.table.rows[i].code)") }
                #expect(amounts[i] % money.granularityFen == 0, "seed \(seed)")
            }
            if let land = run.scenarios[0].land, let allocated = land.allocatedUnits {
                #expect(land.units.reduce(0, +) == allocated, "seed \(seed)")
                #expect(allocated <= land.quotaUnits!, "seed \(seed)")
            }
            // Byte-identical reruns.
            let again = try #require(try Self.run(generated), "seed \(seed): refused on the second run")
            #expect(AllocationReport(again).csv(excel: false) == AllocationReport(run).csv(excel: false), "seed \(seed)")
        }
        Self.report("conservesBoundsAndIsDeterministic", shard: shard, checked: checked, refused: refused, limit: 0.3)
    }

    @Test(arguments: 0..<shards) func rowOrderChangesNoCountysAmount(shard: Int) throws {
        var checked = 0, refused = 0
        for seed in Self.seeds(shard: shard, of: Self.seeds.prefix(300)) {
            let generated = GeneratedCase.make(seed: seed)
            guard let run = try Self.run(generated) else { refused += 1; continue }
            checked += 1
            var random = SeededRandom(seed: seed ^ 0xABCDEF)
            let shuffled = try #require(try Self.run(generated.shuffled(using: &random)), "seed \(seed): refused once shuffled")
            #expect(Inputs.amounts(run) == Inputs.amounts(shuffled), "seed \(seed)")
            if run.scenarios[0].land != nil {
                #expect(Inputs.land(run) == Inputs.land(shuffled), "seed \(seed)")
            }
        }
        Self.report("rowOrderChangesNoCountysAmount", shard: shard, checked: checked, refused: refused, limit: 0.3)
    }

    @Test(arguments: 0..<shards) func withoutBoundsEachAmountIsWithinOneUnitOfItsIdeal(shard: Int) throws {
        var checked = 0, refused = 0
        for seed in Self.seeds(shard: shard, of: Self.seeds.prefix(300)) {
            let generated = GeneratedCase.make(seed: seed, withBounds: false)
            guard let run = try Self.run(generated) else { refused += 1; continue }
            checked += 1
            let money = run.scenarios[0].money
            let unit = Rational(money.granularityFen)
            for i in run.table.rows.indices {
                let gap = Rational(money.amountFen(i)) - money.idealFen(i)
                #expect(gap < unit && -gap < unit, "seed \(seed) county \(run.table.rows[i].code)")
            }
        }
        Self.report("withoutBoundsEachAmountIsWithinOneUnitOfItsIdeal", shard: shard, checked: checked, refused: refused, limit: 0.05)
    }
}
