import TransferAlloc

/// The workbook of `whatif`: one sheet per compared scenario or variant (the CSV output's rows
/// of that scenario, without the scenario column), a comparison sheet (each comparison's totals
/// and counts, then every comparison's biggest winners and losers), and the policy sheet.
public enum WhatIfWorkbook {
    public static func bytes(_ report: WhatIfReport) -> [UInt8] {
        let zh = report.language == .zh
        // Money in the report's unit (万元 with every decimal a value needs, never rounded).
        func shown(_ table: ReportTable) -> ReportTable { table.inMoneyUnit(report.moneyUnit).table }
        var sheets: [WorkbookSheet] = []
        for (c, comparison) in report.whatIf.comparisons.enumerated() {
            sheets.append(WorkbookSheet(name: comparison.name, tables: [shown(report.comparisonTable(c))]))
        }
        var comparison = [shown(report.summaryTable)]
        let rankings = report.rankingsTable
        if !rankings.rows.isEmpty { comparison.append(shown(rankings)) }
        sheets.append(WorkbookSheet(name: zh ? "比较" : "Comparison", tables: comparison))
        sheets.append(WorkbookSheet(name: zh ? "政策" : "Policy",
                                    tables: [AllocationReport.policyTable(report.whatIf.main.policy, language: report.language)]))
        return WorkbookWriter.bytes(sheets, language: report.language)
    }
}

/// The workbook of `sweep`: the long table (one row per value per county, the CSV output's
/// columns), the per-county summary (the `--summary` CSV's columns) and the policy sheet.
public enum SweepWorkbook {
    /// The most rows below a header one worksheet holds (Excel's limit is 1,048,576 rows).
    public static let maximumRows = 1_048_575

    /// - Precondition: the long table fits one sheet: values × counties ≤ `maximumRows`.
    public static func bytes(_ report: SweepReport) -> [UInt8] {
        let zh = report.language == .zh
        func shown(_ table: ReportTable) -> ReportTable { table.inMoneyUnit(report.moneyUnit).table }
        let sheets = [
            WorkbookSheet(name: zh ? "逐值结果" : "Every value", tables: [shown(report.longTable)]),
            WorkbookSheet(name: zh ? "各地汇总" : "Per county", tables: [shown(report.summaryTable)]),
            WorkbookSheet(name: zh ? "政策" : "Policy", tables: [AllocationReport.policyTable(report.sweep.policy, language: report.language)]),
        ]
        return WorkbookWriter.bytes(sheets, language: report.language)
    }
}
