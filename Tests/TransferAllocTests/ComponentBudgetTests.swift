import BigInt
import Testing
@testable import TransferAlloc

/// The split of A between components (contract §10.3), by hand.
@Suite struct ComponentBudgetTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var allocatedFen: Int
        var shares: [(Int, Int)]
        var granularityFen: Int
        var expectedFen: [Int]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // 3 units of 1 元 at 1/2 each: ideals 1.5 and 1.5, the tie goes to the earlier component.
        Case(name: "tie between two components", allocatedFen: 300, shares: [(1, 2), (1, 2)], granularityFen: 100,
             expectedFen: [200, 100]),
        // 100 fen at 1/3 each: 33⅓ each; the one fen left goes to the first.
        Case(name: "three-way tie", allocatedFen: 100, shares: [(1, 3), (1, 3), (1, 3)], granularityFen: 1,
             expectedFen: [34, 33, 33]),
        // 10 units: ideals 2.5, 7.5 → whole 2 and 7; the one left goes to the larger remainder? Equal (.5):
        // the earlier component.
        Case(name: "equal remainders, unequal shares", allocatedFen: 10, shares: [(1, 4), (3, 4)], granularityFen: 1,
             expectedFen: [3, 7]),
        // 10 units: ideals 0.7 (7/100·10) and 9.3: whole 0 and 9; the unit left goes to the larger remainder 0.7.
        Case(name: "larger remainder first", allocatedFen: 10, shares: [(7, 100), (93, 100)], granularityFen: 1,
             expectedFen: [1, 9]),
        Case(name: "a share-0 component gets 0", allocatedFen: 5_000, shares: [(0, 1), (1, 1)], granularityFen: 1,
             expectedFen: [0, 5_000]),
        Case(name: "nothing to split", allocatedFen: 0, shares: [(3, 5), (2, 5)], granularityFen: 1, expectedFen: [0, 0]),
    ]

    @Test(arguments: cases) func split(_ c: Case) {
        let shares = c.shares.map { Rational(BigInt($0.0), BigInt($0.1)) }
        let budgets = ComponentBudget.split(allocatedFen: BigInt(c.allocatedFen), shares: shares,
                                            granularityFen: BigInt(c.granularityFen))
        #expect(budgets == c.expectedFen.map { BigInt($0) })
        #expect(budgets.reduce(0, +) == BigInt(c.allocatedFen))
    }
}
