import BigInt

extension AllocationReport {
    /// The policy's label as outputs print it: `illustrative default` reads 内置示例政策 in Chinese
    /// (as `allocate`'s Markdown prints it).
    public static func displayLabel(_ policy: Policy, _ language: ReportLanguage) -> String {
        language == .zh && policy.isIllustrative && policy.label.hasPrefix("illustrative default")
            ? "内置示例政策" + policy.label.dropFirst("illustrative default".count) : policy.label
    }

    /// Values a policy file leaves to the built-in (illustrative) default; empty when no file was
    /// given (then the whole policy is labelled illustrative).
    public static func borrowedPaths(_ policy: Policy) -> [String] {
        policy.isIllustrative ? [] : policy.values.filter(\.isIllustrative).map(\.path)
    }

    /// The policy lines at the top of a Markdown report (whatif, sweep), as `allocate` writes them.
    static func policyMarkdown(_ policy: Policy, _ language: ReportLanguage) -> String {
        let zh = language == .zh
        var out = (zh ? "政策：" : "Policy: ") + ReportTable.escapeMarkdown(displayLabel(policy, language))
        if policy.isIllustrative { out += zh ? "（示例参数，非正式政策）" : " (illustrative values, not an official policy)" }
        out += "\n"
        let borrowed = borrowedPaths(policy)
        if !borrowed.isEmpty {
            out += (zh ? "\n未在政策文件中设定、沿用内置示例值：" : "\nValues the policy file does not set, taken from the illustrative default: ")
                + borrowed.map { "`\($0)`" }.joined(separator: ", ") + "\n"
        }
        return out
    }

    /// The policy line at the top of a terminal report (allocate, whatif, sweep).
    static func policyText(_ policy: Policy, _ language: ReportLanguage) -> String {
        let zh = language == .zh
        var out = (zh ? "政策：" : "Policy: ") + ReportTable.visible(displayLabel(policy, language))
        if policy.isIllustrative { out += zh ? "（示例参数，非正式政策）" : " (illustrative values, not an official policy)" }
        return out + "\n"
    }

    /// Labelled values for a terminal, the values in one column.
    static func alignedItems(_ items: [(term: String, value: String)]) -> String {
        let width = items.map { ReportDocument.displayWidth($0.term) }.max() ?? 0
        return items.map { term, value in
            "  " + term + String(repeating: " ", count: width - ReportDocument.displayWidth(term)) + "  " + ReportTable.visible(value) + "\n"
        }.joined()
    }

    /// The totals row under a scenario's table (`columns` without `scenario`): settlers,
    /// amount and land quota summed, the rest empty.
    func totalsRow(scenario s: Int, columns: [ReportColumn]) -> [String] {
        let t = totals(scenario: s)
        var footer = Array(repeating: "", count: columns.count)
        for (c, column) in columns.enumerated() {
            switch column.key {
            case "settlers": footer[c] = t.settlers
            case "amount": footer[c] = t.allocated
            case "retained": footer[c] = t.retained ?? ""
            case "land_quota": footer[c] = t.landAllocated ?? ""
            case "advance": footer[c] = t.advanceTotal ?? ""
            case "release": footer[c] = t.releaseTotal ?? ""
            case let key where key.hasPrefix("amount_"):
                footer[c] = t.componentAllocated.first { "amount_" + $0.name == key }?.allocated ?? ""
            default: break
            }
        }
        if !footer.isEmpty { footer[0] = language == .zh ? "合计" : "Total" }
        return footer
    }

    /// A county's label in charts: its name, or its code when the name is empty.
    func chartLabel(_ county: Int) -> String {
        let row = allocation.table.rows[county]
        return ReportTable.guardFormula(row.name.isEmpty ? row.code : row.name)
    }

    /// The amount per county of one scenario as bars; `texts` are the amounts as the page's table
    /// shows them.
    func amountChart(scenario s: Int, texts: [String]) -> BarChart {
        let money = allocation.scenarios[s].money
        let bars = allocation.table.rows.indices.map { i in
            BarChart.Bar(label: chartLabel(i), value: Rational(money.amountFen(i), 100), text: texts[i])
        }
        return BarChart(title: language == .zh ? "各地分配金额（\(moneyUnit.symbol)）" : "Amount per county (\(moneyUnit.symbol))",
                        bars: bars)
    }

    /// The amount per prefecture as bars; `texts` are the subtotal table's amounts as shown.
    func prefectureChart(_ subtotals: PrefectureSubtotals, texts: [String]) -> BarChart {
        let bars = zip(subtotals.groups, texts).map { group, text in
            BarChart.Bar(label: group.code.isEmpty ? (language == .zh ? "（无）" : "(none)") : ReportTable.guardFormula(group.code),
                         value: Rational(group.amountFen, 100), text: text)
        }
        return BarChart(title: language == .zh ? "各上级地区分配金额（\(moneyUnit.symbol)）" : "Amount per prefecture (\(moneyUnit.symbol))",
                        bars: bars)
    }

    /// With levels (contract §10.5): each group's amount G_p as bars, retained (市本级) included,
    /// labelled by the group's name; `texts` are the amounts of the group rows (a direct group's:
    /// its county row) as the page's table shows them. Nil without levels.
    func groupChart(scenario s: Int, texts: [String]) -> BarChart? {
        guard let levels = allocation.scenarios[s].money.levels else { return nil }
        let bars = levels.groups.groups.enumerated().map { p, group in
            BarChart.Bar(label: ReportTable.guardFormula(group.name), value: Rational(levels.upper.amountFen(p), 100), text: texts[p])
        }
        return BarChart(title: language == .zh ? "各分组分配金额（含市本级，\(moneyUnit.symbol)）"
                                               : "Amount per group, retained included (\(moneyUnit.symbol))",
                        bars: bars)
    }

    /// One component's amount per county of one scenario as bars (contract §10.3: a chart per
    /// component); `texts` are the table's `amount_<name>` cells as the page shows them.
    func componentChart(scenario s: Int, component c: Int, texts: [String]) -> BarChart {
        let part = allocation.scenarios[s].money.components[c]
        let bars = allocation.table.rows.indices.map { i in
            BarChart.Bar(label: chartLabel(i), value: Rational(part.money.amountFen(i), 100), text: texts[i])
        }
        return BarChart(title: language == .zh ? "分项 \(part.name) 各地金额（\(moneyUnit.symbol)）"
                                               : "Component \(part.name): amount per county (\(moneyUnit.symbol))",
                        bars: bars)
    }

    /// A scenario's totals as labelled lines, numbers grouped by thousands (the HTML page and the
    /// terminal text).
    func totalsItems(scenario s: Int) -> [(term: String, value: String)] {
        let zh = language == .zh
        let t = totals(scenario: s)
        var items: [(term: String, value: String)] = [
            (zh ? "资金总额" : "Fund total", money(t.fundTotal)),
            (zh ? "预留" : "Reserve", money(t.reserve)),
            (zh ? "分配" : "Allocated", money(t.allocated)),
        ]
        for part in t.componentAllocated {
            items.append((zh ? "分项 \(part.name)" : "Component \(part.name)", money(part.allocated)))
        }
        if let advance = t.advanceTotal, let release = t.releaseTotal {
            items.append((zh ? "已提前下达" : "Advances", money(advance)))
            items.append((zh ? "清算金额" : "Release (amount − advance)", money(release)))
        }
        if allocation.scenarios[s].land != nil {
            let unit = allocation.policy.land.unit.chineseName
            if let demand = t.landDemand { items.append((zh ? "用地需求" : "Land demand", "\(demand) \(unit)")) }
            if let quota = t.landQuota { items.append((zh ? "用地指标" : "Land quota", "\(quota) \(unit)")) }
            if let done = t.landAllocated { items.append((zh ? "已安排用地" : "Land allocated", "\(done) \(unit)")) }
            if let rest = t.landUnallocated { items.append((zh ? "未安排用地" : "Land unallocated", "\(rest) \(unit)")) }
        }
        return items.map { ($0.term, ReadableNumbers.phrase($0.value, in: .yuan, grouping: true)) }
    }

    /// The allocation as one self-contained HTML page (contract §5): inputs and policy, then per
    /// scenario its totals, a bar chart of the amount per county and the table with a totals
    /// row, then every policy value with its source. Every number is a cell of
    /// `cells(scenario:county:)` or of `totals(scenario:)`, so the page agrees with the CSV.
    ///
    /// - Complexity: O(scenarios · counties · columns).
    public func html(inputs: ReportInputs) -> String {
        let zh = language == .zh
        var page = HTMLPage(title: zh ? "资金与用地分配结果" : "Allocation", language: language)
        page.inputs(inputs)
        page.policySummary(allocation.policy)
        let tableColumns = Array(columns.dropFirst())
        for (s, run) in allocation.scenarios.enumerated() {
            page.heading((zh ? "方案 " : "Scenario ") + ReportTable.guardFormula(run.scenario.name))
            page.definitions(totalsItems(scenario: s))
            let table = scenarioTable(s)
            let shown = table.inMoneyUnit(moneyUnit, footer: totalsRow(scenario: s, columns: tableColumns))
            let amount = tableColumns.firstIndex { $0.key == "amount" }!
            // The county rows' cells by county (with levels the table also has group rows).
            var countyRows = shown.table.rows
            // With levels: each group's amount cell, from its group row (a direct group's county row).
            var groupAmounts: [String] = []
            if hasLevels, let levels = run.money.levels {
                countyRows = Array(repeating: [], count: allocation.table.rows.count)
                groupAmounts = Array(repeating: "", count: levels.groups.groups.count)
                for (line, cells) in zip(tableLines(scenario: s), shown.table.rows) {
                    switch line {
                    case .county(let i):
                        countyRows[i] = cells
                        let p = levels.groups.groupOfRow[i]
                        if levels.groups.groups[p].isDirect { groupAmounts[p] = cells[amount] }
                    case .group(let p):
                        groupAmounts[p] = cells[amount]
                    }
                }
            }
            page.chart(amountChart(scenario: s, texts: countyRows.map { ReadableNumbers.grouped($0[amount]) }))
            // The chart by group stands before the subtotals, whose prefecture chart it replaces.
            if let groups = groupChart(scenario: s, texts: groupAmounts.map(ReadableNumbers.grouped)) { page.chart(groups) }
            for (c, part) in run.money.components.enumerated() {
                let column = tableColumns.firstIndex { $0.key == "amount_" + part.name }!
                page.chart(componentChart(scenario: s, component: c, texts: shown.table.rows.map { ReadableNumbers.grouped($0[column]) }))
            }
            page.table(shown.table, footer: shown.footer)
            if let subtotals = PrefectureSubtotals(allocation, scenario: s), let byPrefecture = prefectureTable(scenario: s) {
                let shownSubtotals = byPrefecture.inMoneyUnit(moneyUnit).table
                let subtotalAmount = byPrefecture.columns.firstIndex { $0.key == "amount" }!
                page.heading(zh ? "按上级地区小计" : "Subtotals by prefecture", level: 3)
                if !hasLevels {
                    page.chart(prefectureChart(subtotals, texts: shownSubtotals.rows.map { ReadableNumbers.grouped($0[subtotalAmount]) }))
                }
                page.table(shownSubtotals)
            }
        }
        page.policyValues(allocation.policy)
        return page.html
    }
}
