import BigInt
import Testing
@testable import TransferAlloc

/// Bounds snapped inward to the granularity (contract §3.4): L up to a multiple of g, U down,
/// on hand-computed cases through the whole allocation.
@Suite struct BoundsTests {
    static let weights = "money.weights={\"settled\": \"1\", \"permits\": \"0\"}"

    @Test func boundsSnapInwardToWholeYuan() throws {
        // g = 1 元: min 100.50 → L = 101 元; max 600.99 → U = 600 元. Fund 701 元: ideals 70.1
        // and 630.9; A is lifted to its floor 101, B held at its cap 600 (101 + 600 = 701).
        let settlement = "code,settled,min_amount,max_amount\nA,1,100.50,\nB,9,,600.99\n"
        let run = try Inputs.allocate(settlement: settlement, fundTotal: "701",
                                      set: [Self.weights, "money.granularity=1"])
        let money = run.scenarios[0].money
        #expect(money.lowerFen == [10_100, 0])
        #expect(money.upperFen == [nil, 60_000])
        #expect(Inputs.amounts(run) == ["A": "101.00", "B": "600.00"])
    }

    @Test func snappingCanMakeBoundsCross() throws {
        // 5.004 snaps up to 5.01 and 5.006 down to 5.00 at g = 0.01 元.
        let settlement = "code,settled,min_amount,max_amount\nA,1,5.004,5.006\nB,1,,\n"
        #expect {
            try Inputs.allocate(settlement: settlement, fundTotal: "100", set: [Self.weights])
        } throws: { error in
            (error as? InputError)?.problem.contains("has a lower bound of 5.01 元 above its upper bound of 5.00 元") == true
        }
    }
}
