import BigInt

/// The summary tables of an allocation (a workbook's summary and policy sheets): scenario
/// totals, subtotals by prefecture, and every policy value with its source. Cells are formatted
/// like the per-county table (元 with 2 decimals, land with the policy's decimals).
extension AllocationReport {
    /// One row per scenario: fund total, reserve, amount allocated, settlers, and the land totals
    /// when a scenario computes land.
    public var totalsTable: ReportTable {
        let unit = allocation.policy.land.unit.chineseName
        var columns = [
            ReportColumn("scenario", "方案", isText: true),
            ReportColumn("fund_total", "资金总额(元)"),
            ReportColumn("reserve", "预留(元)"),
            ReportColumn("allocated", "分配金额(元)"),
            ReportColumn("settlers", "当年落户人数"),
        ]
        if hasLand {
            columns += [
                ReportColumn("land_demand", "用地需求(\(unit))"),
                ReportColumn("land_quota", "用地指标(\(unit))"),
                ReportColumn("land_allocated", "已安排用地(\(unit))"),
                ReportColumn("land_unallocated", "未安排用地(\(unit))"),
            ]
        }
        var table = ReportTable(columns: columns)
        for (s, run) in allocation.scenarios.enumerated() {
            let t = totals(scenario: s)
            var row = [run.scenario.name, t.fundTotal, t.reserve, t.allocated, t.settlers]
            if hasLand { row += [t.landDemand ?? "", t.landQuota ?? "", t.landAllocated ?? "", t.landUnallocated ?? ""] }
            table.rows.append(row)
        }
        return table
    }

    /// Subtotals by prefecture (the settlement table's `parent` column), per scenario, prefectures
    /// in the order they first appear; nil when the table has no parent column. A county with an
    /// empty parent is counted under an empty prefecture name.
    public var prefectureTable: ReportTable? {
        guard allocation.table.columnLabels["parent"] != nil else { return nil }
        var columns = [
            ReportColumn("scenario", "方案", isText: true),
            ReportColumn("parent", "上级代码", isText: true),
            ReportColumn("counties", "县数"),
            ReportColumn("settlers", "当年落户人数"),
            ReportColumn("amount", "分配金额(元)"),
        ]
        if hasLand { columns.append(ReportColumn("land_quota", "用地指标(\(allocation.policy.land.unit.chineseName))")) }
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for (i, row) in allocation.table.rows.enumerated() {
            if members[row.parent] == nil { order.append(row.parent) }
            members[row.parent, default: []].append(i)
        }
        var table = ReportTable(columns: columns)
        for run in allocation.scenarios {
            for parent in order {
                let counties = members[parent]!
                let fen = counties.reduce(BigInt(0)) { $0 + run.money.amountFen($1) }
                let settlers = counties.reduce(BigInt(0)) { $0 + allocation.table.rows[$1].currentSettlers }
                var row = [run.scenario.name, parent, String(counties.count), String(settlers), Rational.yuan(fen)]
                if hasLand {
                    if let land = run.land {
                        row.append(land.text(counties.reduce(BigInt(0)) { $0 + land.units[$1] }))
                    } else {
                        row.append("")
                    }
                }
                table.rows.append(row)
            }
        }
        return table
    }

    /// Every policy value in document order, with its source note and whether it is the
    /// built-in illustrative value.
    public var policyTable: ReportTable {
        var table = ReportTable(columns: [
            ReportColumn("path", "参数", isText: true),
            ReportColumn("value", "取值", isText: true),
            ReportColumn("source", "来源", isText: true),
            ReportColumn("illustrative", "示例值", isText: true),
        ])
        let zh = language == .zh
        for value in allocation.policy.values {
            table.rows.append([value.path, value.text, value.source ?? "",
                               value.isIllustrative ? (zh ? "是" : "yes") : (zh ? "否" : "no")])
        }
        return table
    }

    /// The per-county table of one scenario, without the scenario column (a sheet of its own).
    public func scenarioTable(_ s: Int) -> ReportTable {
        var table = ReportTable(columns: Array(columns.dropFirst()))
        let formatter = rowCells(scenario: s)
        table.rows.reserveCapacity(allocation.table.rows.count)
        for i in allocation.table.rows.indices { table.rows.append(Array(formatter.cells(i).dropFirst())) }
        return table
    }
}
