import BigInt

/// Advances (提前下达) and what is left to pay or claw back (清算, contract §10.4): the advance
/// a county already received for the year does not change its allocation; its release is the
/// amount less the advance, negative when the advance was larger (to be clawed back).
///
///     Advance.releaseFen(amountFen: 150_000, advanceFen: 200_000)   // -50_000: 500.00 元 to claw back
public enum Advance {
    /// release = amount − advance, in fen.
    public static func releaseFen(amountFen: BigInt, advanceFen: BigInt) -> BigInt { amountFen - advanceFen }

    /// The scenario's advance_total (Σ advance) and release_total (Σ release = allocated − Σ advance).
    ///
    /// - Precondition: one advance per amount.
    public static func totalsFen(amountsFen: [BigInt], advancesFen: [BigInt]) -> (advance: BigInt, release: BigInt) {
        precondition(amountsFen.count == advancesFen.count)
        let advance = BigInt.sum(advancesFen)
        return (advance, BigInt.sum(amountsFen) - advance)
    }
}
