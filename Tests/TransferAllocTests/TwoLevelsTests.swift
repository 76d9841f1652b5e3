import BigInt
import Testing
@testable import TransferAlloc

/// Two levels (contract §10.5) through the one allocation path: hand-computed cases, exact
/// conservation, determinism, and one group without retention equal to a flat run.
@Suite struct TwoLevelsTests {
    /// Two prefectures P1 (A1, A2) and P2 (B1, B2, B3) and D1, direct (its `parent` P1 is not
    /// used). No fiscal_coef column: every coefficient is 1.
    static let settlement = """
    code,name,parent,parent_name,direct,settled,permit_holders
    A1,甲一,P1,甲市,,30,10
    A2,甲二,P1,,,70,30
    B1,乙一,P2,乙市,,50,40
    B2,乙二,P2,乙市,否,25,0
    B3,乙三,P2,,,25,10
    D1,直管,P1,,是,100,60
    """

    /// Counties by settlers alone; the upper stage weighs settlers and permits half and half;
    /// prefectures keep 10 %.
    static let policy = """
    {"money": {"weights": {"settled": "1", "permits": "0"}},
     "levels": {"retention": "0.1", "upper": {"money": {"weights": {"settled": "0.5", "permits": "0.5"}}}}}
    """

    static func run(_ extra: [String] = [], fundTotal: String = "1000") throws -> Allocation {
        try Inputs.allocate(settlement: settlement, fundTotal: fundTotal, policy: policy, set: extra)
    }

    static func yuan(_ fen: [BigInt]) -> [String] { fen.map(Rational.yuan) }

    /// Upper stage over P1, P2, D1: settlers 100, 100, 100 (of 300); permits 40, 50, 60 (of 150).
    ///   s_P1 = ½·⅓ + ½·40/150 = 3/10, s_P2 = ½·⅓ + ½·⅓ = 1/3, s_D1 = ½·⅓ + ½·60/150 = 11/30.
    ///   A = 100 000 fen → 30 000, 33 333⅓, 36 666⅔: the one fen left goes to D1 (⅔ > ⅓).
    ///   G = 300.00, 333.33, 366.67.
    /// Retention: R_P1 = ⌊30 000·0.1⌋ = 3 000 fen, R_P2 = ⌊3 333.3⌋ = 3 333 fen → A_P1 = 270.00,
    /// A_P2 = 300.00. Lower stage by settlers: A1 = 270·0.3 = 81, A2 = 189; B1 = 150, B2 = B3 = 75.
    /// D1 receives G_D1 = 366.67.
    @Test func handComputed() throws {
        let allocation = try Self.run()
        let money = allocation.scenarios[0].money
        let levels = try #require(money.levels)
        #expect(levels.groups.groups.map(\.code) == ["P1", "P2", "D1"])
        #expect(levels.groups.groups.map(\.name) == ["甲市", "乙市", "直管"])
        #expect(levels.groups.groups.map(\.isDirect) == [false, false, true])
        #expect(levels.groups.groupOfRow == [0, 0, 1, 1, 1, 2])
        #expect((0..<3).map { levels.upperFactors.share($0) } == [Rational(3, 10), Rational(1, 3), Rational(11, 30)])
        #expect(Self.yuan((0..<3).map(levels.groupFen)) == ["300.00", "333.33", "366.67"])
        #expect(Self.yuan(levels.retainedFen) == ["30.00", "33.33", "0.00"])
        #expect(Self.yuan((0..<3).map(levels.groupAllocatedFen)) == ["270.00", "300.00", "366.67"])
        #expect(Self.yuan(money.amountsFen) == ["81.00", "189.00", "150.00", "75.00", "75.00", "366.67"])
        #expect(Rational.yuan(money.allocatedFen) == "1000.00")
        #expect(levels.share(ofRow: 0) == Rational(3, 10))
        #expect(levels.share(ofRow: 5) == Rational(11, 30))
    }

    /// A floor of 320 元 on every group at the upper stage: P1 (ideal 300) is held at 320; the
    /// other 680 go to P2 and D1 as 10 : 11 → 32 380.95… and 35 619.04… fen, the fen left to P2.
    /// R_P1 = 32.00 → A_P1 = 288.00: A1 86.40, A2 201.60. R_P2 = ⌊3 238.1⌋ = 32.38 → A_P2 = 291.43:
    /// B1 14 571.5, B2 = B3 = 7 285.75 fen → the two fen left go to B2 and B3 (.75 > .5).
    @Test func floorBindingAtTheUpperStage() throws {
        let allocation = try Self.run(["levels.upper.money.bounds.floor_amount=320"])
        let money = allocation.scenarios[0].money
        let levels = try #require(money.levels)
        #expect(Self.yuan((0..<3).map(levels.groupFen)) == ["320.00", "323.81", "356.19"])
        #expect(levels.upper.apportionment.bound == [.floor, .none, .none])
        #expect(Self.yuan(levels.retainedFen) == ["32.00", "32.38", "0.00"])
        #expect(Self.yuan(money.amountsFen) == ["86.40", "201.60", "145.71", "72.86", "72.86", "356.19"])
        // A direct county's bound is its group's upper-stage bound; a county's its lower stage's.
        #expect(money.apportionment.bound == [.none, .none, .none, .none, .none, .none])
    }

    /// Σ G_p = A and Σ amounts + Σ R_p = A, on several budgets and retentions; the same inputs
    /// give the same amounts twice.
    @Test(arguments: ["0", "0.01", "0.1", "0.37", "0.999"])
    func conservation(retention: String) throws {
        for fund in ["0", "0.07", "1000", "123456.78"] {
            let allocation = try Self.run(["levels.retention=" + retention], fundTotal: fund)
            let money = allocation.scenarios[0].money
            let levels = try #require(money.levels)
            let groups = (0..<levels.groups.groups.count).map(levels.groupFen).reduce(BigInt(0), +)
            #expect(groups == money.allocatedFen)
            let counties = money.amountsFen.reduce(BigInt(0), +)
            #expect(counties + levels.retainedFen.reduce(BigInt(0), +) == money.allocatedFen)
            for (p, group) in levels.groups.groups.enumerated() {
                let own = group.rows.map { money.amountFen($0) }.reduce(BigInt(0), +)
                #expect(own + levels.retainedFen[p] == levels.groupFen(p))
            }
            let again = try Self.run(["levels.retention=" + retention], fundTotal: fund)
            #expect(again.scenarios[0].money.amountsFen == money.amountsFen)
            #expect(again.scenarios[0].money.levels!.retainedFen == levels.retainedFen)
        }
    }

    /// One group holding every row, no retention, the same policy at both stages: the group
    /// receives A and its counties exactly what a flat run gives them.
    @Test func oneGroupWithoutRetentionIsAFlatRun() throws {
        let table = """
        code,parent,cross_province,within_city,permit_holders,fiscal_coef,prev_amount
        110101,11,10,3,100,0.9,50
        110102,11,20,0,300,1.1,
        110105,11,7,9,20,1,400
        110106,11,0,1,0,0.95,10
        """
        // A floor binds the same on the group (1 floor) as on the counties; growth caps would
        // not (the group's is on the summed prev_amount).
        for fund in ["1000", "200.05", "98765.43"] {
            let flat = try Inputs.allocate(settlement: table, fundTotal: fund,
                                           set: ["money.bounds.floor_amount=30"])
            let grouped = try Inputs.allocate(settlement: table, fundTotal: fund,
                                              set: ["money.bounds.floor_amount=30", "levels={}"])
            #expect(grouped.scenarios[0].money.amountsFen == flat.scenarios[0].money.amountsFen)
            #expect(grouped.scenarios[0].money.apportionment.bound == flat.scenarios[0].money.apportionment.bound)
        }
    }

    /// `levels` in a dated version applies from its year; a later version's `levels: null` ends
    /// them; `{}` is retention 0; the upper layer's weights replace the money level's whole.
    @Test func levelsInDatedVersions() throws {
        let file = """
        {"versions": [
          {"from": 2016, "money": {"weights": {"settled": "0.6", "permits": "0.4"}}},
          {"from": 2020, "levels": {"retention": "0.15", "upper": {"money": {"weights": {"settled": "1"}}}}},
          {"from": 2022, "levels": {"retention": "0.05"}},
          {"from": 2024, "levels": null}
        ]}
        """
        func levels(_ year: Int) throws -> MoneyLevels? {
            try PolicyLoader.load(fileBytes: Array(file.utf8), file: "p.json", overrides: PolicyOverrides(name: "--set", settings: []),
                                  year: year).money.levels
        }
        #expect(try levels(2019) == nil)
        let in2020 = try #require(try levels(2020))
        #expect(in2020.retention == Rational(15, 100))
        #expect(in2020.upper.weights == [.settled: Rational(1)])
        let in2023 = try #require(try levels(2023))
        #expect(in2023.retention == Rational(5, 100))
        #expect(in2023.upper.weights == [.settled: Rational(1)])
        #expect(try levels(2025) == nil)
        let empty = try PolicyLoader.load(fileBytes: nil, file: nil, overrides: PolicyOverrides(name: "--set", settings: ["levels={}"]))
        #expect(empty.money.levels?.retention == .zero)
        var flat = empty.money
        flat.levels = nil
        #expect(empty.money.levels?.upper == flat)
    }

    /// A coefficient column only the upper stage lists is read and used there alone: groups
    /// 2·10 = 20 and 1·10 = 10 → 600 and 300 of 900; within each one-county group it is not used.
    @Test func upperStageOwnCoefficientColumn() throws {
        let table = "code,parent,settled,stability_coef\nA1,P1,10,2\nB1,P2,10,1\n"
        let policy = """
        {"money": {"weights": {"settled": "1", "permits": "0"}, "coefficient_columns": []},
         "levels": {"upper": {"money": {"coefficient_columns": ["stability_coef"]}}}}
        """
        let run = try Inputs.allocate(settlement: table, fundTotal: "900", policy: policy)
        #expect(TwoLevelsTests.yuan(run.scenarios[0].money.amountsFen) == ["600.00", "300.00"])
        #expect(run.scenarios[0].money.levels!.upperFactors.values[.settled] == [Rational(20), Rational(10)])
    }

    /// R_p = ⌊G_p·r / g⌋·g.
    @Test func retentionRoundsDownToTheGranularity() {
        #expect(LevelGroups.retainedFen(groupFen: 50_001, retention: Rational(1, 10), granularityFen: 1) == 5_000)
        #expect(LevelGroups.retainedFen(groupFen: 33_333, retention: Rational(1, 10), granularityFen: 1) == 3_333)
        #expect(LevelGroups.retainedFen(groupFen: 1_000_000, retention: Rational(37, 100), granularityFen: 100) == 370_000)
        #expect(LevelGroups.retainedFen(groupFen: 1_990, retention: Rational(1, 10), granularityFen: 100) == 100)
        #expect(LevelGroups.retainedFen(groupFen: 0, retention: Rational(1, 2), granularityFen: 1) == 0)
    }

    /// Rows of one group far apart in the table: groups in order of their first row, a group's
    /// name from its non-empty parent_name cells, a row with an empty parent a direct group.
    @Test func groupsInOrderOfTheirFirstRow() throws {
        let table = try SettlementTable.parse(
            CSVReader.read(bytes: Array("code,name,parent,parent_name,settled\nb1,B一,Q,,1\na1,A一,P,,1\nx,独立,,,1\nb2,B二,Q,丙市,1\n".utf8),
                           file: "s.csv"),
            coefficientColumns: [])
        let groups = try LevelGroups(table: table)
        #expect(groups.groups.map(\.code) == ["Q", "P", "x"])
        #expect(groups.groups.map(\.name) == ["丙市", "P", "独立"])
        #expect(groups.groups.map(\.rows) == [[0, 3], [1], [2]])
        #expect(groups.groups.map(\.isDirect) == [false, false, true])
        // Byte-wise code order of the groups: P, Q, x.
        #expect(groups.tieOrder == [1, 0, 2])
    }

    /// The report: a `level` and `group` column, a row per prefecture (G_p, retained R_p) before its
    /// counties, the direct county without one; JSON `groups` with every group.
    @Test func reportRows() throws {
        let report = AllocationReport(try Self.run())
        let keys = report.columns.map(\.key)
        #expect(keys == ["scenario", "level", "code", "name", "group", "settlers", "settled_factor", "coefficient", "share",
                         "amount", "retained", "amount_per_settler", "bound"])
        #expect(report.csv(excel: false) == """
        scenario,level,code,name,group,settlers,settled_factor,coefficient,share,amount,retained,amount_per_settler,bound
        baseline,group,P1,甲市,P1,100,,,0.3000000000,300.00,30.00,3.00,none
        baseline,county,A1,甲一,P1,30,30,1,0.3000000000,81.00,,2.70,none
        baseline,county,A2,甲二,P1,70,70,1,0.7000000000,189.00,,2.70,none
        baseline,group,P2,乙市,P2,100,,,0.3333333333,333.33,33.33,3.33,none
        baseline,county,B1,乙一,P2,50,50,1,0.5000000000,150.00,,3.00,none
        baseline,county,B2,乙二,P2,25,25,1,0.2500000000,75.00,,3.00,none
        baseline,county,B3,乙三,P2,25,25,1,0.2500000000,75.00,,3.00,none
        baseline,direct,D1,直管,D1,100,100,1,0.3666666667,366.67,,3.67,none

        """)
        let json = report.json
        #expect(json.contains(#""retained": "63.33","#))
        #expect(json.contains(#""code": "P2",\#n          "name": "乙市",\#n          "direct": false,\#n          "amount": "333.33",\#n          "retained": "33.33",\#n          "allocated": "300.00",\#n          "bound": "none""#))
        #expect(json.contains(#""code": "D1",\#n          "name": "直管",\#n          "direct": true,\#n          "amount": "366.67",\#n          "retained": "0.00",\#n          "allocated": "366.67""#))
        let zh = AllocationReport(try Self.run(), language: .zh).csv(excel: false)
        #expect(zh.hasPrefix("方案,级次,区划代码,名称,所属分组代码,当年落户人数,落户因素值,系数,分配比例,分配金额(元),市本级(元),人均金额(元),约束\n"
                             + "baseline,市级,P1,甲市,P1,100,,,0.3000000000,300.00,30.00,3.00,无\n"
                             + "baseline,县级,A1,甲一,P1,"))
    }
}
