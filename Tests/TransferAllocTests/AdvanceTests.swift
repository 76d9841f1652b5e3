import BigInt
import Testing
@testable import TransferAlloc

/// Advances and release (contract §10.4), by hand.
@Suite struct AdvanceTests {
    @Test func releaseIsAmountLessAdvance() {
        #expect(Advance.releaseFen(amountFen: 21_000, advanceFen: 30_000) == -9_000)
        #expect(Advance.releaseFen(amountFen: 79_000, advanceFen: 0) == 79_000)
        #expect(Rational.yuan(Advance.releaseFen(amountFen: 21_000, advanceFen: 30_000)) == "-90.00")
    }

    @Test func totals() {
        let (advance, release) = Advance.totalsFen(amountsFen: [21_000, 79_000], advancesFen: [30_000, 0])
        #expect(advance == 30_000)
        #expect(release == 70_000)
    }
}
