import BigInt

/// A scenario's counties summed by prefecture (their `parent` code), for the reports people
/// read: how much each prefecture's counties receive together.
///
/// Prefectures are listed in the order of their first county in the table; counties with an
/// empty `parent` form one group with an empty code, listed where its first county is. With
/// levels the groups are those of the two stages (a direct county alone) and the amounts are
/// what the counties receive (the retentions are not in them).
public struct PrefectureSubtotals: Sendable {
    public struct Group: Sendable, Equatable {
        /// The `parent` code ("" for counties without one).
        public var code: String
        public var counties: [Int]
        public var settlers: BigInt
        public var amountFen: BigInt
        /// Land in the policy's precision units; nil when the scenario computes no land.
        public var landUnits: BigInt?
    }

    public let groups: [Group]

    /// Nil when no county names a parent: there is nothing to subtotal.
    public init?(_ allocation: Allocation, scenario s: Int) {
        let table = allocation.table
        guard table.rows.contains(where: { !$0.parent.isEmpty }) else { return nil }
        let run = allocation.scenarios[s]
        var index: [String: Int] = [:]
        var groups: [Group] = []
        // With levels (contract §10.5) the groups are the two-level groups: a direct county is a
        // group of its own even when it names a parent.
        let levels = run.money.levels?.groups
        for (i, row) in table.rows.enumerated() {
            let code = levels.map { $0.groups[$0.groupOfRow[i]].code } ?? row.parent
            let g: Int
            if let known = index[code] {
                g = known
            } else {
                g = groups.count
                index[code] = g
                groups.append(Group(code: code, counties: [], settlers: 0, amountFen: 0,
                                    landUnits: run.land == nil ? nil : 0))
            }
            groups[g].counties.append(i)
            groups[g].settlers += row.currentSettlers
            groups[g].amountFen += run.money.amountFen(i)
            if let land = run.land { groups[g].landUnits! += land.units[i] }
        }
        self.groups = groups
    }
}

extension AllocationReport {
    /// The subtotals by prefecture of one scenario as a table (code, counties, settlers, amount,
    /// land quota), formatted like the county table; nil when the table has no `parent` codes.
    public func prefectureTable(scenario s: Int) -> ReportTable? {
        guard let subtotals = PrefectureSubtotals(allocation, scenario: s) else { return nil }
        let land = allocation.scenarios[s].land
        var columns = [
            ReportColumn("parent", "上级代码", isText: true),
            ReportColumn("counties", "地区数"),
            ReportColumn("settlers", "当年落户人数"),
            ReportColumn("amount", "分配金额(元)"),
        ]
        // A land column whenever some scenario computes land, so every scenario's table has the same columns.
        if hasLand { columns.append(ReportColumn("land_quota", "用地指标(\(allocation.policy.land.unit.chineseName))")) }
        var table = ReportTable(columns: columns)
        for group in subtotals.groups {
            var row = [group.code.isEmpty ? (language == .zh ? "（无）" : "(none)") : group.code,
                       String(group.counties.count), group.settlers.decimalText, Rational.yuan(group.amountFen)]
            if hasLand { row.append(land.flatMap { land in group.landUnits.map { land.text($0) } } ?? "") }
            table.rows.append(row)
        }
        return table
    }
}
