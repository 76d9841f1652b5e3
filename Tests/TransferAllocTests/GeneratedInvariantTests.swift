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

    /// Σ amounts = allocated, exactly, with a decimal column factor (contract §10.1), a prior year
    /// by origin (§10.2) and random weights over three factors; the shares add up to exactly 1.
    @Test func conservesWithAColumnFactorAndPriorsByOrigin() throws {
        var checked = 0
        for seed in UInt64(0)..<60 {
            var random = SeededRandom(seed: seed)
            let rows = random.int(in: 1...12)
            var text = "code,cross_province,within_city,prior_1_cross_province,prior_1_within_city,permit_holders,随迁子女人数,fiscal_coef\n"
            for i in 0..<rows {
                let cells = [random.int(in: 0...500), random.int(in: 0...500), random.int(in: 0...90), random.int(in: 0...90),
                             random.int(in: 1...900)].map(String.init)
                let pupils = "\(random.int(in: 0...300)).\(random.int(in: 0...99))"
                let coef = random.int(in: 0...3) == 0 ? "" : "0.\(random.int(in: 5...99))"
                text += "\(110100 + i),\(cells.joined(separator: ",")),\(pupils),\(coef)\n"
            }
            let a = random.int(in: 0...10), b = random.int(in: 0...(10 - a))
            let weights = [a, b, 10 - a - b].map { Rational(BigInt($0), BigInt(10)).plainText }
            let fund = "\(random.int(in: 0...99_999_999)).\(random.int(in: 10...99))"
            let run: Allocation
            do {
                run = try Inputs.allocate(settlement: text, fundTotal: fund, set: [
                    #"money.weights={"settled": "\#(weights[0])", "permits": "\#(weights[1])", "migrant_pupils": "\#(weights[2])"}"#,
                ])
            } catch let error as InputError {
                // Only a weighted factor that is 0 everywhere may be refused.
                #expect(error.problem.contains("adjusted total of 0"), "seed \(seed): \(error)")
                continue
            }
            checked += 1
            let money = run.scenarios[0].money
            #expect(money.amountsFen.reduce(0, +) == money.allocatedFen, "seed \(seed)")
            let shares = run.factors.shareNumerators.reduce(BigInt(0), +)
            #expect(shares == run.factors.shareDenominator, "seed \(seed)")
        }
        #expect(checked >= 50, "only \(checked) of 60 generated cases computed")
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
