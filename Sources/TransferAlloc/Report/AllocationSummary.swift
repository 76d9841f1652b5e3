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

    /// Subtotals by prefecture of every scenario in one table: `prefectureTable(scenario:)` with
    /// the scenario's name in front; nil when no county names a parent.
    public var prefectureTable: ReportTable? {
        var combined: ReportTable?
        for (s, run) in allocation.scenarios.enumerated() {
            guard let part = prefectureTable(scenario: s) else { return nil }
            if combined == nil { combined = ReportTable(columns: [ReportColumn("scenario", "方案", isText: true)] + part.columns) }
            combined!.rows += part.rows.map { [run.scenario.name] + $0 }
        }
        return combined
    }

    /// Every policy value in document order, with its source note and whether it is the
    /// built-in illustrative value.
    public var policyTable: ReportTable { AllocationReport.policyTable(allocation.policy, language: language) }

    /// `policyTable` of any policy (a sweep's or a comparison's).
    public static func policyTable(_ policy: Policy, language: ReportLanguage) -> ReportTable {
        var table = ReportTable(columns: [
            ReportColumn("path", "参数", isText: true),
            ReportColumn("value", "取值", isText: true),
            ReportColumn("source", "来源", isText: true),
            ReportColumn("illustrative", "示例值", isText: true),
        ])
        let zh = language == .zh
        for value in policy.values {
            table.rows.append([value.path, value.text, value.source ?? "",
                               value.isIllustrative ? (zh ? "是" : "yes") : (zh ? "否" : "no")])
        }
        return table
    }

    /// The per-county table of one scenario, without the scenario column (a sheet of its own).
    public func scenarioTable(_ s: Int) -> ReportTable {
        var table = ReportTable(columns: Array(columns.dropFirst()))
        if hasLevels {
            table.rows = tableRows(scenario: s).map { Array($0.dropFirst()) }
            return table
        }
        let formatter = rowCells(scenario: s)
        table.rows.reserveCapacity(allocation.table.rows.count)
        for i in allocation.table.rows.indices { table.rows.append(Array(formatter.cells(i).dropFirst())) }
        return table
    }
}
