import Testing
@testable import TransferAlloc

@Suite struct WeightInferenceTests {
    @Test func exactFitRecoversTheWeights() {
        // A = 100, p = (1/2, 1/2, 0), r = (0, 1/2, 1/2); y made with w = 0.8: (40, 50, 10).
        // d = (50, 0, −50), e = (40, 0, −40): w* = (2000 + 2000) / (2500 + 2500) = 4/5.
        let fit = WeightInference(published: [Rational(40), Rational(50), Rational(10)], total: Rational(100),
                                  settledShares: [Rational(1, 2), Rational(1, 2), .zero],
                                  permitShares: [.zero, Rational(1, 2), Rational(1, 2)])
        #expect(fit.unconstrained == Rational(4, 5))
        #expect(fit.settledWeight == Rational(4, 5))
        #expect(fit.permitsWeight == Rational(1, 5))
        #expect(fit.residuals == [.zero, .zero, .zero])
        #expect(!fit.wasClamped)
    }

    @Test func leastSquaresSplitsTheMisfit() {
        // p = (1, 0), r = (0, 1), A = 100, y = (70, 20): d = (100, −100), e = (70, −80):
        // w* = (7000 + 8000) / 20000 = 3/4; fitted (75, 25); residuals (−5, −5).
        let fit = WeightInference(published: [Rational(70), Rational(20)], total: Rational(100),
                                  settledShares: [.one, .zero], permitShares: [.zero, .one])
        #expect(fit.settledWeight == Rational(3, 4))
        #expect(fit.fitted == [Rational(75), Rational(25)])
        #expect(fit.residuals == [Rational(-5), Rational(-5)])
        #expect(fit.sumOfSquares == Rational(50))
        #expect(fit.largestResidual == Rational(5))
    }

    @Test func optimumOutsideTheRangeIsClampedToTheNearerEnd() {
        // y = (110, −10): w* = (11000 + 11000) / 20000 = 11/10 → 1.
        let fit = WeightInference(published: [Rational(110), Rational(-10)], total: Rational(100),
                                  settledShares: [.one, .zero], permitShares: [.zero, .one])
        #expect(fit.unconstrained == Rational(11, 10))
        #expect(fit.settledWeight == .one)
        #expect(fit.wasClamped)
        #expect(fit.residuals == [Rational(10), Rational(-10)])
        let low = WeightInference(published: [Rational(-10), Rational(110)], total: Rational(100),
                                  settledShares: [.one, .zero], permitShares: [.zero, .one])
        #expect(low.settledWeight == .zero)
    }

    @Test func identicalSharesCannotTellTheWeightsApart() {
        let fit = WeightInference(published: [Rational(30), Rational(70)], total: Rational(100),
                                  settledShares: [Rational(3, 10), Rational(7, 10)],
                                  permitShares: [Rational(3, 10), Rational(7, 10)], fallback: Rational(4, 5))
        #expect(fit.unconstrained == nil)
        #expect(fit.settledWeight == Rational(4, 5))
        #expect(fit.residuals == [.zero, .zero])
    }

    /// The doc comment's example of `FactorWeightFit`: three factors, the published amounts
    /// exactly 100·(0.8·p_settled + 0.2·p_permits + 0·p_x).
    @Test func threeFactorsExactly() {
        let x = Factor(key: "x")
        let half = Rational(1, 2)
        let fit = FactorWeightFit(published: [Rational(40), Rational(50), Rational(10)], total: Rational(100),
                                  shares: [.settled: [half, half, .zero], .permits: [.zero, half, half], x: [.zero, .zero, .one]],
                                  factors: [.settled, .permits, x])
        #expect(fit.weights == [.settled: Rational(4, 5), .permits: Rational(1, 5), x: .zero])
        #expect(fit.largestResidual == .zero)
        #expect(fit.fittedNumerators.map { Rational($0, fit.denominator) } == [Rational(40), Rational(50), Rational(10)])
    }

    /// The unconstrained optimum lies outside the simplex: y = [100, 0, 0] wants more than all of
    /// the settled factor. On the face {settled}: residuals [50, −50, 0], Σ² = 5000; every other
    /// feasible point is worse (e.g. {settled, permits} gives w_permits < 0, refused), so the fit
    /// is settled 1.
    @Test func optimumOnAVertex() {
        let x = Factor(key: "x")
        let half = Rational(1, 2)
        let fit = FactorWeightFit(published: [Rational(100), .zero, .zero], total: Rational(100),
                                  shares: [.settled: [half, half, .zero], .permits: [.zero, half, half], x: [.zero, .zero, .one]],
                                  factors: [.settled, .permits, x])
        #expect(fit.weights == [.settled: .one, .permits: .zero, x: .zero])
        #expect(fit.largestResidual == Rational(50))
    }
}
