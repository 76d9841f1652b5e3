import BigInt
import Testing
@testable import TransferAlloc

/// The compact settlement row (counts in 64-bit words with an exact fallback, rare cells in a
/// shared box): every value reads back as given, sums that leave 64 bits stay exact, a changed
/// copy never changes the original, and equal values compare equal however they are held.
@Suite struct SettlementRowTests {
    static func row(_ origins: [OriginKind: BigInt], settled: BigInt? = nil, permits: BigInt = 7,
                    coefficients: [String: Rational] = [:]) -> SettlementRow {
        SettlementRow(line: 5, code: "A1", name: "甲", parent: "P1", origins: origins, settledCell: settled, priors: [3, 2],
                      permitHolders: permits, coefficients: coefficients, prevAmount: nil, minAmount: nil, maxAmount: nil,
                      landPerCapita: nil, landExempt: false)
    }

    @Test func countsReadBackAsGiven() {
        let row = Self.row([.crossProvince: 10, .withinProvince: 20, .withinCity: 30])
        #expect(row.origins == [.crossProvince: 10, .withinProvince: 20, .withinCity: 30])
        #expect(row.currentSettlers == 60 && row.hasCurrentSettlers)
        #expect(row.priors == [3, 2] && row.permitHolders == 7 && row.line == 5 && row.parent == "P1")
        #expect(row.settledCell == nil)
    }

    /// Int64.max + Int64.max overflows the word sum: the total is taken exactly.
    @Test func sumsBeyondSixtyFourBitsStayExact() {
        let max = BigInt(Int64.max)
        let row = Self.row([.crossProvince: max, .withinProvince: max, .withinCity: 1])
        #expect(row.currentSettlers == max * 2 + 1)
        #expect(row.hasCurrentSettlers)
        let wide = Self.row([.crossProvince: max + 1, .withinProvince: 4])
        #expect(wide.origins[.crossProvince] == max + 1)
        #expect(wide.currentSettlers == max + 5)
        let lowest = Self.row([.crossProvince: BigInt(Int64.min), .withinProvince: 1])
        #expect(lowest.origins[.crossProvince] == BigInt(Int64.min))
        #expect(lowest.currentSettlers == BigInt(Int64.min) + 1 && !lowest.hasCurrentSettlers)
        let negative = Self.row([.crossProvince: -5, .withinProvince: 2])
        #expect(negative.currentSettlers == -3 && !negative.hasCurrentSettlers)
    }

    /// A `settled` cell beside origin columns keeps its own value (validate compares the two).
    @Test func aSettledCellThatDiffersFromTheOrigins() {
        let row = Self.row([.crossProvince: 10, .withinProvince: 20], settled: 31)
        #expect(row.settledCell == 31)
        #expect(row.currentSettlers == 30)
    }

    /// The box of rare cells is shared by copies; a setter makes a new one for the copy only.
    @Test func aChangedCopyLeavesTheOriginal() {
        let original = Self.row([.settled: 9], coefficients: ["fiscal_coef": Rational(17, 20)])
        var copy = original
        copy.coefficients["fiscal_coef"] = Rational(1, 2)
        copy.origins[.settled] = 11
        copy.parentName = "乙市"
        copy.advanceFen = 500
        #expect(original.coefficients == ["fiscal_coef": Rational(17, 20)])
        #expect(original.origins == [.settled: 9] && original.currentSettlers == 9)
        #expect(original.parentName == "" && original.advanceFen == 0)
        #expect(copy.coefficients == ["fiscal_coef": Rational(1, 2)] && copy.currentSettlers == 11)
        #expect(copy.parentName == "乙市" && copy.advanceFen == 500)
        #expect(copy != original)
    }

    /// The same values held in words or exactly compare equal.
    @Test func equalValuesCompareEqualHoweverHeld() {
        var narrow = Self.row([.crossProvince: 10])
        var wide = Self.row([.crossProvince: BigInt(Int64.max) + 1])
        #expect(narrow != wide)
        wide.origins[.crossProvince] = 10
        #expect(narrow == wide)
        narrow.landPerCapita = Rational(1284, 10)
        #expect(narrow != wide)
        narrow.landPerCapita = nil
        #expect(narrow == wide)
    }

    /// The rows are reserved (and their memory checked) from the count of records: a line break
    /// inside quotes starts no record, so notes over several lines do not inflate it.
    @Test func recordsAreCountedOutsideQuotes() {
        let csv = "code,note\nA,\"x\ny\"\n\nB,\"\"\"q\"\"\"\r\n\"C\",1\n"
        #expect(SettlementTable.nonEmptyLines(Array(csv.utf8)) == 4)   // header, A, B, C
    }
}
