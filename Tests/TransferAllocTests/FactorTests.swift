import BigInt
import Testing
@testable import TransferAlloc

/// Which factor a weight key names (contract §10.1, §10.9): keys are matched like headers.
@Suite struct FactorTests {
    static func named(_ key: String, _ columns: [String] = []) -> Result<Factor, Factor.KeyProblem> {
        do { return .success(try Factor.named(key, coefficientColumns: columns)) } catch { return .failure(error) }
    }

    @Test(arguments: [
        ("settled", "settled"), ("落户人数", "settled"), (" Settled ", "settled"), ("进城落户人数", "settled"),
        ("permits", "permits"), ("permit_holders", "permits"), ("居住证持有人数", "permits"), ("持证人数", "permits"),
        ("migrant_pupils", "migrant_pupils"), ("随迁子女人数", "migrant_pupils"), ("随迁子女在校生数", "migrant_pupils"),
        ("Migrant_Pupils", "migrant_pupils"), ("Teachers", "teachers"), ("困难（人数）", "困难(人数)"),
    ])
    func keysNameFactors(_ key: String, _ expected: String) {
        #expect(FactorTests.named(key) == .success(Factor(key: expected)), "\(key)")
    }

    @Test(arguments: [
        ("code", "code"), ("区划代码", "code"), ("name", "name"), ("parent", "parent"), ("cross_province", "cross_province"),
        ("市内落户人数", "within_city"), ("prior_2", "prior_2"), ("上年落户人数", "prior_1"),
        ("prior_1_cross_province", "prior_1_cross_province"), ("前3年市内落户人数", "prior_3_within_city"),
        ("上年省内跨市落户人数", "prior_1_within_province"), ("prev_amount", "prev_amount"), ("上年金额", "prev_amount"),
        ("min_amount", "min_amount"), ("max_amount", "max_amount"), ("land_per_capita", "land_per_capita"),
        ("land_exempt", "land_exempt"), ("parent_name", "parent_name"), ("所属市", "parent_name"), ("advance", "advance"),
        ("已提前下达金额", "advance"), ("direct", "direct"), ("省直管县", "direct"), ("prev_amount_pupils", "prev_amount_…"),
        ("上年分配金额_落户", "上年分配金额_…"), ("max_amount_x", "max_amount_…"),
    ])
    func nonFactorColumnsAreRefused(_ key: String, _ column: String) {
        #expect(FactorTests.named(key) == .failure(.notAFactor(column: column)), "\(key)")
    }

    @Test func coefficientColumnsAndEmptyKeysAreRefused() {
        #expect(FactorTests.named("财力系数") == .failure(.coefficientColumn("fiscal_coef")))
        #expect(FactorTests.named("Stability_Coef", ["stability_coef"]) == .failure(.coefficientColumn("stability_coef")))
        #expect(FactorTests.named("stability_coef") == .success(Factor(key: "stability_coef")))
        #expect(FactorTests.named(" \u{3000}") == .failure(.empty))
    }

    /// settled, permits, then the other keys in byte order of their UTF-8 (`Z` 0x5A < `a` 0x61 <
    /// `随` E9 9A 8F).
    @Test func factorOrder() {
        let keys = ["随迁", "permits", "a", "Z", "settled", "migrant_pupils"].map(Factor.init(key:))
        #expect(Factor.ordered(keys).map(\.key) == ["settled", "permits", "Z", "a", "migrant_pupils", "随迁"])
    }

    @Test func headersNameAFactorsColumn() {
        let pupils = Factor(key: "migrant_pupils")
        #expect(SettlementColumn(header: " 随迁子女人数 ", factors: [pupils]) == .factor("migrant_pupils"))
        #expect(SettlementColumn(header: "MIGRANT_PUPILS", factors: [pupils]) == .factor("migrant_pupils"))
        // Not weighed: not read (an unknown column).
        #expect(SettlementColumn(header: "随迁子女人数") == nil)
        #expect(SettlementColumn(header: "teachers", factors: [pupils]) == nil)
        #expect(SettlementColumn(header: "teachers", factors: [Factor(key: "teachers")]) == .factor("teachers"))
    }
}
