import BigInt
import Testing
@testable import TransferAlloc

/// B, R and A of one scenario (contract §3.1, docs/guides/Budget.md): R is the reserve amount, or
/// ⌊B·r / g⌋·g for a ratio r; A = B − R cut down to a multiple of g, the cut added to R.
@Suite struct BudgetTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let fundFen: BigInt
        let reserve: Reserve
        let granularityFen: BigInt
        let reserveFen: BigInt
        let allocatedFen: BigInt
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // No reserve: A = B when B is already a multiple of g.
        Case(name: "no reserve, g = 1 fen", fundFen: 123_456, reserve: .none, granularityFen: 1,
             reserveFen: 0, allocatedFen: 123_456),
        // 123,456 fen at g = 100 fen: A = ⌊1234.56⌋·100 = 123,400; the 56 fen cut go to R.
        Case(name: "no reserve, A cut to whole yuan", fundFen: 123_456, reserve: .none, granularityFen: 100,
             reserveFen: 56, allocatedFen: 123_400),
        // 3 % of 10,000,000 元 = 300,000 元 exactly.
        Case(name: "ratio 3 %", fundFen: 1_000_000_000, reserve: .ratio(Rational(3, 100)), granularityFen: 1,
             reserveFen: 30_000_000, allocatedFen: 970_000_000),
        // B·r = 100,000/3 = 33,333.33 fen → ⌊33,333.33⌋ = 33,333; A = 66,667.
        Case(name: "ratio floors to the fen", fundFen: 100_000, reserve: .ratio(Rational(1, 3)), granularityFen: 1,
             reserveFen: 33_333, allocatedFen: 66_667),
        // ⌊33,333.33 / 100⌋·100 = 33,300; A = 66,700 is already a multiple of 100.
        Case(name: "ratio floors to g", fundFen: 100_000, reserve: .ratio(Rational(1, 3)), granularityFen: 100,
             reserveFen: 33_300, allocatedFen: 66_700),
        // B·r = 12,345.6 → ⌊123.456⌋·100 = 12,300; B − R = 111,156 → A = 111,100, R = 12,300 + 56.
        Case(name: "ratio, then A cut to g", fundFen: 123_456, reserve: .ratio(Rational(1, 10)), granularityFen: 100,
             reserveFen: 12_356, allocatedFen: 111_100),
        // r = 0 withholds nothing, but A is still cut: 100,050 → 100,000, R = 50.
        Case(name: "ratio 0, A cut to g", fundFen: 100_050, reserve: .ratio(.zero), granularityFen: 100,
             reserveFen: 50, allocatedFen: 100_000),
        // reserve_amount is taken as given.
        Case(name: "reserve amount", fundFen: 100_000, reserve: .amountFen(2_500), granularityFen: 1,
             reserveFen: 2_500, allocatedFen: 97_500),
        // B − R = 97,450 → A = 97,400 at g = 100; R = 2,550 + 50 = 2,600.
        Case(name: "reserve amount, cut added to R", fundFen: 100_000, reserve: .amountFen(2_550), granularityFen: 100,
             reserveFen: 2_600, allocatedFen: 97_400),
        // g = 1 万元 = 1,000,000 fen: B − R = 9,700,000 元 → 970 units exactly.
        Case(name: "ratio at g = 1 万元", fundFen: 1_000_000_000, reserve: .ratio(Rational(3, 100)), granularityFen: 1_000_000,
             reserveFen: 30_000_000, allocatedFen: 970_000_000),
        // B·r = 35,500,000 fen = 35.5 units of 10^6 fen → 35 units; A = 965 units.
        Case(name: "ratio floors to 万元", fundFen: 1_000_000_000, reserve: .ratio(Rational(355, 10_000)), granularityFen: 1_000_000,
             reserveFen: 35_000_000, allocatedFen: 965_000_000),
    ]

    @Test(arguments: cases)
    func split(_ c: Case) {
        let result = Budget.split(fundFen: c.fundFen, reserve: c.reserve, granularityFen: c.granularityFen)
        #expect(result.reserve == c.reserveFen, "\(c.name): R")
        #expect(result.allocated == c.allocatedFen, "\(c.name): A")
        // The case's own numbers: B = A + R and A a multiple of g.
        #expect(c.reserveFen + c.allocatedFen == c.fundFen && c.allocatedFen % c.granularityFen == 0, "\(c.name): case")
    }

    /// The same rule through a budget file: 1,234.56 元 with a ratio of 0.1 at g = 1 元 gives the
    /// "ratio, then A cut to g" case, and the amounts add up to A.
    @Test func throughTheBudgetFile() throws {
        let run = try Inputs.allocate(settlement: "code,settled\nA,1\nB,3\n",
                                      budget: "scenario,fund_total,reserve_ratio\nb,1234.56,0.1\n",
                                      set: ["money.weights.settled=1", "money.weights.permits=0", "money.granularity=1"])
        let money = run.scenarios[0].money
        #expect(money.budgetFen == 123_456 && money.reserveFen == 12_356 && money.allocatedFen == 111_100)
        // 1,111 元 split 1:3 → 277.75 and 833.25 → 277 + 833 = 1,110; the one left goes to the
        // larger remainder (.75 of A against .25 of B).
        #expect(Inputs.amounts(run) == ["A": "278.00", "B": "833.00"])
    }
}
