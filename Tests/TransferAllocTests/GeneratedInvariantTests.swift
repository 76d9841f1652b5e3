import BigInt
import Testing
@testable import TransferAlloc

/// Invariants over 1,000 generated inputs (contract §3.5 and §8): the total is conserved to the
/// fen, bounds hold, reruns and row order change nothing.
@Suite struct GeneratedInvariantTests {
    static let seeds = Array(UInt64(0)..<1_000)

    /// Runs a generated case; nil when the generated policy or bounds are rejected (then the
    /// rejection must be an InputError, never a crash).
    static func run(_ generated: GeneratedCase) throws -> Allocation? {
        do {
            return try Inputs.allocate(settlement: generated.settlementText, budget: generated.budget, set: generated.overrides)
        } catch is InputError {
            return nil
        }
    }

    @Test(arguments: seeds) func conservesBoundsAndIsDeterministic(seed: UInt64) throws {
        let generated = GeneratedCase.make(seed: seed)
        guard let run = try Self.run(generated) else { return }
        let money = run.scenarios[0].money
        let amounts = money.amountsFen
        #expect(amounts.reduce(0, +) == money.allocatedFen, "seed \(seed)")
        #expect(money.budgetFen - money.reserveFen == money.allocatedFen)
        #expect(money.allocatedFen % money.granularityFen == 0)
        for i in amounts.indices {
            #expect(amounts[i] >= money.lowerFen[i], "seed \(seed) county \(run.table.rows[i].code)")
            if let upper = money.upperFen[i] { #expect(amounts[i] <= upper, "seed \(seed) county \(run.table.rows[i].code)") }
            #expect(amounts[i] % money.granularityFen == 0)
        }
        if let land = run.scenarios[0].land, let allocated = land.allocatedUnits {
            #expect(land.units.reduce(0, +) == allocated)
            #expect(allocated <= land.quotaUnits!)
        }
        // Byte-identical reruns.
        let again = try #require(try Self.run(generated))
        #expect(AllocationReport(again).csv(excel: false) == AllocationReport(run).csv(excel: false))
    }

    @Test(arguments: seeds.prefix(300)) func rowOrderChangesNoCountysAmount(seed: UInt64) throws {
        let generated = GeneratedCase.make(seed: seed)
        guard let run = try Self.run(generated) else { return }
        var random = SeededRandom(seed: seed ^ 0xABCDEF)
        let shuffled = try #require(try Self.run(generated.shuffled(using: &random)))
        #expect(Inputs.amounts(run) == Inputs.amounts(shuffled), "seed \(seed)")
        if run.scenarios[0].land != nil {
            #expect(Inputs.land(run) == Inputs.land(shuffled), "seed \(seed)")
        }
    }

    @Test(arguments: seeds.prefix(300)) func withoutBoundsEachAmountIsWithinOneUnitOfItsIdeal(seed: UInt64) throws {
        let generated = GeneratedCase.make(seed: seed, withBounds: false)
        guard let run = try Self.run(generated) else { return }
        let money = run.scenarios[0].money
        let unit = Rational(money.granularityFen)
        for i in run.table.rows.indices {
            let gap = Rational(money.amountFen(i)) - money.idealFen(i)
            #expect(gap < unit && -gap < unit, "seed \(seed) county \(run.table.rows[i].code)")
        }
    }
}
