import BigInt

/// The output of `whatif` in every format. Like `AllocationReport`, every format takes its
/// numbers from `cells(comparison:county:)` and `summaryItems(_:)`, so CSV, JSON, Markdown and
/// HTML agree digit for digit; amounts are formatted by `AllocationReport.yuan`, as `allocate`
/// prints them.
public struct WhatIfReport: Sendable {
    public let whatIf: WhatIf
    public let language: ReportLanguage
    /// The unit of money in the formats people read (text, Markdown, HTML); CSV and JSON keep 元.
    public let moneyUnit: MoneyUnit

    public init(_ whatIf: WhatIf, language: ReportLanguage = .en, moneyUnit: MoneyUnit = .yuan) {
        self.whatIf = whatIf
        self.language = language
        self.moneyUnit = moneyUnit
    }

    /// What the reports say when the budget has only the baseline and no variant is given.
    var nothingToCompare: String {
        zh ? "没有可比较的方案：预算表只有基准方案；请增加方案或使用 --variant。"
           : "Nothing to compare: the budget has only the baseline scenario; add rows or use --variant."
    }

    /// `summaryItems` as a reader's format shows them: money in `moneyUnit`, grouped or not.
    func shownSummary(_ c: Int, grouping: Bool) -> [(term: String, value: String)] {
        summaryItems(c).map { ($0.term, ReadableNumbers.phrase($0.value, in: moneyUnit, grouping: grouping)) }
    }

    /// Decimals of a percentage change.
    public static let percentDecimals = 2

    var zh: Bool { language == .zh }

    var hasLand: Bool { whatIf.comparisons.contains { $0.run.land != nil } || whatIf.baselineScenario?.land != nil }

    var landUnitName: String { whatIf.main.policy.land.unit.chineseName }

    public var columns: [ReportColumn] {
        var columns = [
            ReportColumn("scenario", "方案", isText: true),
            ReportColumn("code", "区划代码", isText: true),
            ReportColumn("name", "名称", isText: true),
            ReportColumn("baseline_amount", "基准金额(元)"),
            ReportColumn("amount", "分配金额(元)"),
            ReportColumn("change", "增减额(元)"),
            ReportColumn("change_pct", "增减幅度(%)"),
            ReportColumn("bound", "约束", isText: true),
        ]
        if hasLand {
            let unit = landUnitName
            columns += [
                ReportColumn("baseline_land_quota", "基准用地指标(\(unit))"),
                ReportColumn("land_quota", "用地指标(\(unit))"),
                ReportColumn("land_change", "用地增减(\(unit))"),
            ]
        }
        return columns
    }

    /// Fen (possibly fractional, from a prev_amount with more decimals) as 元 with 2 decimals,
    /// rounded half up; whole fen print exactly as `allocate` prints them.
    static func yuan(_ fen: Rational) -> String {
        fen.isInteger ? Rational.yuan(fen.numerator) : (fen / Rational(100)).decimalString(places: 2)
    }

    static func percent(_ value: Rational?) -> String {
        value.map { $0.decimalString(places: percentDecimals) } ?? ""
    }

    func landText(_ value: Rational?, _ comparison: ScenarioComparison) -> String {
        value.map { $0.decimalString(places: comparison.landDecimals) } ?? ""
    }

    func boundLabel(_ bound: BoundKind) -> String { zh ? bound.chineseName : bound.rawValue }

    /// The formatted cells of one county in one comparison, in `columns` order.
    public func cells(comparison c: Int, county i: Int) -> [String] {
        let comparison = whatIf.comparisons[c]
        let row = comparison.allocation.table.rows[i]
        let money = comparison.run.money
        var cells = [
            comparison.name, row.code, row.name,
            comparison.referenceFen[i].map(WhatIfReport.yuan) ?? "",
            Rational.yuan(money.amountFen(i)),
            comparison.changeFen[i].map(WhatIfReport.yuan) ?? "",
            WhatIfReport.percent(comparison.changePercent(i)),
            boundLabel(money.apportionment.bound[i]),
        ]
        if hasLand {
            cells += [landText(comparison.referenceLand[i], comparison), landText(comparison.land[i], comparison),
                      landText(comparison.landChange[i], comparison)]
        }
        return cells
    }

    /// Every comparison's rows, comparisons in order, counties in input order.
    public var table: ReportTable {
        var table = ReportTable(columns: columns)
        for c in whatIf.comparisons.indices {
            for i in whatIf.main.table.rows.indices { table.rows.append(cells(comparison: c, county: i)) }
        }
        return table
    }

    public func csv(excel: Bool) -> String { table.csv(language: language, excel: excel) }

    /// One comparison's per-county rows without the scenario column (a workbook sheet of its own).
    public func comparisonTable(_ c: Int) -> ReportTable {
        var table = ReportTable(columns: Array(columns.dropFirst()))
        for i in whatIf.comparisons[c].allocation.table.rows.indices { table.rows.append(Array(cells(comparison: c, county: i).dropFirst())) }
        return table
    }

    /// One row per comparison: its variant's overrides, what it is compared with, its totals and
    /// counts, as the JSON output's summary gives them (counts of counties at a floor or cap
    /// instead of lists).
    public var summaryTable: ReportTable {
        var columns = [
            ReportColumn("scenario", "方案", isText: true),
            ReportColumn("variant", "政策变体", isText: true),
            ReportColumn("compared_with", "比较基准", isText: true),
            ReportColumn("baseline_total", "基准合计(元)"),
            ReportColumn("allocated", "本方案合计(元)"),
            ReportColumn("change", "净增减(元)"),
            ReportColumn("change_pct", "净增减幅度(%)"),
            ReportColumn("gained", "增加合计(元)"),
            ReportColumn("lost", "减少合计(元)"),
            ReportColumn("moved", "地区间转移(元)"),
            ReportColumn("counties_up", "增加(个)"),
            ReportColumn("counties_down", "减少(个)"),
            ReportColumn("counties_unchanged", "不变(个)"),
            ReportColumn("counties_without_baseline", "无基准(个)"),
            ReportColumn("counties_at_floor", "触及保底(个)"),
            ReportColumn("counties_at_cap", "触及封顶(个)"),
        ]
        if hasLand {
            let unit = landUnitName
            columns += [
                ReportColumn("baseline_land_total", "基准用地指标(\(unit))"),
                ReportColumn("land_total", "用地指标(\(unit))"),
                ReportColumn("land_change", "用地增减(\(unit))"),
            ]
        }
        var table = ReportTable(columns: columns)
        for comparison in whatIf.comparisons {
            let s = comparison.summary
            var row = [
                comparison.name,
                comparison.variant.map { $0.overrides.joined(separator: " ") } ?? "",
                baselineDescription,
                WhatIfReport.yuan(s.referenceTotalFen), Rational.yuan(s.totalFen), WhatIfReport.yuan(s.netFen),
                WhatIfReport.percent(comparison.netPercent),
                WhatIfReport.yuan(s.gainedFen), WhatIfReport.yuan(s.lostFen), WhatIfReport.yuan(s.movedFen),
                String(s.countUp), String(s.countDown), String(s.countUnchanged), String(s.countWithoutReference),
                String(s.atFloor.count), String(s.atCap.count),
            ]
            if hasLand {
                let landChange = s.landTotal.flatMap { own in s.referenceLandTotal.map { own - $0 } }
                row += [landText(s.referenceLandTotal, comparison), landText(s.landTotal, comparison),
                        landText(landChange, comparison)]
            }
            table.rows.append(row)
        }
        return table
    }

    /// Every comparison's biggest winners, then its biggest losers: scenario, ranking, code,
    /// name, change, change %.
    public var rankingsTable: ReportTable {
        var table = ReportTable(columns: [ReportColumn("scenario", "方案", isText: true), ReportColumn("ranking", "排名", isText: true)]
                                + WhatIfReport.rankingColumns)
        for (c, comparison) in whatIf.comparisons.enumerated() {
            for (label, counties) in [(zh ? "增加最多" : "winner", comparison.summary.winners),
                                      (zh ? "减少最多" : "loser", comparison.summary.losers)] {
                table.rows += rankingTable(c, counties).rows.map { [comparison.name, label] + $0 }
            }
        }
        return table
    }

    /// The totals row under a comparison's table (`columns` without `scenario`).
    func totalsRow(comparison c: Int, columns: [ReportColumn]) -> [String] {
        let comparison = whatIf.comparisons[c]
        let s = comparison.summary
        var footer = Array(repeating: "", count: columns.count)
        for (index, column) in columns.enumerated() {
            switch column.key {
            case "baseline_amount": footer[index] = WhatIfReport.yuan(s.referenceTotalFen)
            case "amount": footer[index] = Rational.yuan(s.totalFen)
            case "change": footer[index] = WhatIfReport.yuan(s.netFen)
            case "change_pct": footer[index] = WhatIfReport.percent(comparison.netPercent)
            case "baseline_land_quota": footer[index] = landText(s.referenceLandTotal, comparison)
            case "land_quota": footer[index] = landText(s.landTotal, comparison)
            case "land_change":
                if let own = s.landTotal, let ref = s.referenceLandTotal { footer[index] = landText(own - ref, comparison) }
            default: break
            }
        }
        if !footer.isEmpty { footer[0] = zh ? "合计" : "Total" }
        return footer
    }

    /// What the comparisons are made against, in words.
    public var baselineDescription: String {
        switch whatIf.baseline {
        case .scenario:
            let name = whatIf.main.scenarios[whatIf.baselineIndex].scenario.name
            return zh ? "方案 \(name)" : "scenario \(name)"
        case .previousAmount:
            return zh ? "上年分配金额（prev_amount）" : "last year's amount (prev_amount)"
        }
    }

    /// A county as `name (code)`.
    func countyLabel(_ comparison: ScenarioComparison, _ county: Int) -> String {
        let row = comparison.allocation.table.rows[county]
        return row.name.isEmpty ? row.code : "\(row.name) (\(row.code))"
    }

    /// The summary of one comparison as labelled, formatted lines.
    public func summaryItems(_ c: Int) -> [(term: String, value: String)] {
        let comparison = whatIf.comparisons[c]
        let s = comparison.summary
        var items: [(term: String, value: String)] = []
        if let variant = comparison.variant {
            items.append((zh ? "政策变体" : "Policy variant",
                          variant.overrides.map { whatIf.overridesName + " " + $0 }.joined(separator: " ")))
        }
        items += [
            (zh ? "基准合计" : "Baseline total", WhatIfReport.yuan(s.referenceTotalFen) + " 元"),
            (zh ? "本方案合计" : "Scenario total", Rational.yuan(s.totalFen) + " 元"),
            (s.countWithoutReference == 0 ? (zh ? "净增减" : "Net change")
                : (zh ? "净增减（有基准的地区）" : "Net change (counties with a baseline)"), WhatIfReport.yuan(s.netFen) + " 元"
                + (comparison.netPercent.map { " (\(WhatIfReport.percent($0))%)" } ?? "")),
            (zh ? "增加合计" : "Gained", WhatIfReport.yuan(s.gainedFen) + " 元"),
            (zh ? "减少合计" : "Lost", WhatIfReport.yuan(s.lostFen) + " 元"),
            (zh ? "地区间转移" : "Moved between counties", WhatIfReport.yuan(s.movedFen) + " 元"),
            (zh ? "增加 / 减少 / 不变（个）" : "Counties up / down / unchanged",
             "\(s.countUp) / \(s.countDown) / \(s.countUnchanged)"),
        ]
        if s.countWithoutReference > 0 {
            items.append((zh ? "无基准（个）" : "Counties without a baseline", "\(s.countWithoutReference)"))
        }
        items.append((zh ? "触及保底（个）" : "Counties at a floor", boundList(comparison, s.atFloor)))
        items.append((zh ? "触及封顶（个）" : "Counties at a cap", boundList(comparison, s.atCap)))
        return items
    }

    /// "3: 虎丘区 (320505), …" — at most as many names as winners are ranked.
    func boundList(_ comparison: ScenarioComparison, _ counties: [Int]) -> String {
        let limit = max(whatIf.top, 0)
        guard !counties.isEmpty else { return "0" }
        var text = "\(counties.count): " + counties.prefix(limit).map { countyLabel(comparison, $0) }.joined(separator: ", ")
        if counties.count > limit { text += zh ? " 等" : ", …" }
        if limit == 0 { text = "\(counties.count)" }
        return text
    }

    /// Winners or losers as a small table: code, name, change, change %.
    static let rankingColumns = [
        ReportColumn("code", "区划代码", isText: true), ReportColumn("name", "名称", isText: true),
        ReportColumn("change", "增减额(元)"), ReportColumn("change_pct", "增减幅度(%)"),
    ]

    func rankingTable(_ c: Int, _ counties: [Int]) -> ReportTable {
        var table = ReportTable(columns: WhatIfReport.rankingColumns)
        let comparison = whatIf.comparisons[c]
        for i in counties {
            let row = comparison.allocation.table.rows[i]
            table.rows.append([row.code, row.name, WhatIfReport.yuan(comparison.changeFen[i]!),
                               WhatIfReport.percent(comparison.changePercent(i))])
        }
        return table
    }

    // MARK: JSON

    /// JSON is for programs: always English keys and labels, whatever `--lang` says (as `allocate`).
    public var json: String {
        guard language == .en else { return WhatIfReport(whatIf, language: .en).json }
        let keys = columns.map(\.key)
        var scenarios: [JSONOutput] = []
        for (c, comparison) in whatIf.comparisons.enumerated() {
            let s = comparison.summary
            func county(_ i: Int, extra: [(String, JSONOutput)]) -> JSONOutput {
                let row = comparison.allocation.table.rows[i]
                return .object([("code", .string(row.code)), ("name", .string(row.name))] + extra)
            }
            func ranked(_ i: Int) -> JSONOutput {
                county(i, extra: [("change", .string(WhatIfReport.yuan(comparison.changeFen[i]!))),
                                  ("change_pct", comparison.changePercent(i).map { .string(WhatIfReport.percent($0)) } ?? .null)])
            }
            var rows: [JSONOutput] = []
            for i in comparison.allocation.table.rows.indices {
                var members: [(String, JSONOutput)] = []
                for (key, value) in zip(keys, cells(comparison: c, county: i)) where key != "scenario" {
                    members.append((key, value.isEmpty && !["name", "code"].contains(key) ? .null : .string(value)))
                }
                rows.append(.object(members))
            }
            var members: [(String, JSONOutput)] = [("scenario", .string(comparison.name))]
            if let variant = comparison.variant {
                members.append(("variant", .object([
                    ("overrides", .array(variant.overrides.map(JSONOutput.string))),
                    ("policy", .string(comparison.allocation.policy.label)),
                ])))
            } else {
                members.append(("variant", .null))
            }
            members += [
                ("baseline_total", .string(WhatIfReport.yuan(s.referenceTotalFen))),
                ("allocated", .string(Rational.yuan(s.totalFen))),
                ("change", .string(WhatIfReport.yuan(s.netFen))),
                ("change_pct", comparison.netPercent.map { .string(WhatIfReport.percent($0)) } ?? .null),
                ("gained", .string(WhatIfReport.yuan(s.gainedFen))),
                ("lost", .string(WhatIfReport.yuan(s.lostFen))),
                ("moved", .string(WhatIfReport.yuan(s.movedFen))),
                ("counties_up", .string(String(s.countUp))),
                ("counties_down", .string(String(s.countDown))),
                ("counties_unchanged", .string(String(s.countUnchanged))),
                ("counties_without_baseline", .string(String(s.countWithoutReference))),
                ("land_unit", hasLand ? .string(comparison.landUnit.rawValue) : .null),
                ("baseline_land_total", s.referenceLandTotal.map { .string(landText($0, comparison)) } ?? .null),
                ("land_total", s.landTotal.map { .string(landText($0, comparison)) } ?? .null),
                ("winners", .array(s.winners.map(ranked))),
                ("losers", .array(s.losers.map(ranked))),
                ("at_floor", .array(s.atFloor.map { county($0, extra: []) })),
                ("at_cap", .array(s.atCap.map { county($0, extra: []) })),
                ("rows", .array(rows)),
            ]
            scenarios.append(.object(members))
        }
        let baseline: JSONOutput = switch whatIf.baseline {
        case .scenario: .object([("kind", .string("scenario")),
                                 ("scenario", .string(whatIf.main.scenarios[whatIf.baselineIndex].scenario.name))])
        case .previousAmount: .object([("kind", .string("prev_amount"))])
        }
        let policy = AllocationReport(whatIf.main, language: language).policyJSON
        return JSONOutput.object([("policy", policy), ("baseline", baseline), ("scenarios", .array(scenarios))]).rendered()
    }

    // MARK: Markdown

    public var markdown: String {
        let policy = whatIf.main.policy
        var out = zh ? "# 方案比较\n\n" : "# What-if comparison\n\n"
        out += AllocationReport.policyMarkdown(policy, language)
        out += "\n" + (zh ? "比较基准：" : "Compared with: ") + ReportTable.escapeMarkdown(baselineDescription) + "\n"
        if whatIf.comparisons.isEmpty {
            out += "\n" + nothingToCompare + "\n"
        }
        let tableColumns = Array(columns.dropFirst())
        for (c, comparison) in whatIf.comparisons.enumerated() {
            out += "\n## " + (zh ? "方案 " : "Scenario ") + ReportTable.escapeMarkdown(ReportTable.guardFormula(comparison.name)) + "\n\n"
            for (term, value) in shownSummary(c, grouping: false) {
                out += "- " + ReportTable.escapeMarkdown(term) + (zh ? "：" : ": ") + ReportTable.escapeMarkdown(value) + "\n"
            }
            let s = comparison.summary
            if !s.winners.isEmpty {
                out += "\n" + (zh ? "### 增加最多\n\n" : "### Biggest winners\n\n") + rankingTable(c, s.winners).inMoneyUnit(moneyUnit).table.markdown(language: language)
            }
            if !s.losers.isEmpty {
                out += "\n" + (zh ? "### 减少最多\n\n" : "### Biggest losers\n\n") + rankingTable(c, s.losers).inMoneyUnit(moneyUnit).table.markdown(language: language)
            }
            out += "\n"
            let table = comparisonTable(c)
            var shown = table.inMoneyUnit(moneyUnit, footer: totalsRow(comparison: c, columns: tableColumns))
            shown.footer![0] = "**\(shown.footer![0])**"
            out += shown.table.markdown(language: language, footer: shown.footer)
        }
        return out
    }

    // MARK: Text

    /// Plain text for a terminal: per scenario its summary, winners and losers, and the county
    /// table with its totals row (numbers grouped by thousands, money in `moneyUnit`).
    public var text: String {
        let policy = whatIf.main.policy
        var out = (zh ? "方案比较" : "What-if comparison") + "\n"
        out += AllocationReport.policyText(policy, language)
        out += (zh ? "比较基准：" : "Compared with: ") + ReportTable.visible(baselineDescription) + "\n"
        if whatIf.comparisons.isEmpty {
            out += "\n" + nothingToCompare + "\n"
        }
        let tableColumns = Array(columns.dropFirst())
        for (c, comparison) in whatIf.comparisons.enumerated() {
            out += "\n" + (zh ? "方案 " : "Scenario ") + ReportTable.visible(ReportTable.guardFormula(comparison.name)) + "\n"
            out += AllocationReport.alignedItems(shownSummary(c, grouping: true))
            let s = comparison.summary
            if !s.winners.isEmpty {
                out += "\n" + (zh ? "增加最多" : "Biggest winners") + "\n" + rankingTable(c, s.winners).inMoneyUnit(moneyUnit).table.text(language: language)
            }
            if !s.losers.isEmpty {
                out += "\n" + (zh ? "减少最多" : "Biggest losers") + "\n" + rankingTable(c, s.losers).inMoneyUnit(moneyUnit).table.text(language: language)
            }
            out += "\n"
            let table = comparisonTable(c)
            let shown = table.inMoneyUnit(moneyUnit, footer: totalsRow(comparison: c, columns: tableColumns))
            out += shown.table.text(language: language, footer: shown.footer)
        }
        return out
    }

    // MARK: HTML

    /// One self-contained page: inputs, policy, baseline; per scenario the summary, winners and
    /// losers, a chart of the amount and a chart of the change per county, and the table with
    /// its totals row; then the policy values with their sources.
    public func html(inputs: ReportInputs) -> String {
        var inputs = inputs
        inputs.extra.append((zh ? "比较基准" : "Compared with", baselineDescription))
        for variant in whatIf.variants {
            inputs.extra.append((variant.label, variant.overrides.joined(separator: " ")))
        }
        var page = HTMLPage(title: zh ? "方案比较" : "What-if comparison", language: language)
        page.inputs(inputs)
        page.policySummary(whatIf.main.policy)
        if whatIf.comparisons.isEmpty {
            page.paragraph(nothingToCompare)
        }
        let tableColumns = Array(columns.dropFirst())
        let amountColumn = columns.firstIndex { $0.key == "amount" }!
        let changeColumn = columns.firstIndex { $0.key == "change" }!
        for (c, comparison) in whatIf.comparisons.enumerated() {
            page.heading((zh ? "方案 " : "Scenario ") + ReportTable.guardFormula(comparison.name))
            if comparison.variant != nil { page.policySummary(comparison.allocation.policy) }
            page.definitions(shownSummary(c, grouping: true))
            let s = comparison.summary
            if !s.winners.isEmpty { page.table(rankingTable(c, s.winners).inMoneyUnit(moneyUnit).table, caption: zh ? "增加最多" : "Biggest winners") }
            if !s.losers.isEmpty { page.table(rankingTable(c, s.losers).inMoneyUnit(moneyUnit).table, caption: zh ? "减少最多" : "Biggest losers") }
            let countyTable = comparisonTable(c)
            let shown = countyTable.inMoneyUnit(moneyUnit, footer: totalsRow(comparison: c, columns: tableColumns))
            // Chart texts as the table shows them (without the scenario column).
            let rows = shown.table.rows.map { [""] + $0.map(ReadableNumbers.grouped) }
            let labels = comparison.allocation.table.rows.map { ReportTable.guardFormula($0.name.isEmpty ? $0.code : $0.name) }
            let money = comparison.run.money
            page.chart(BarChart(title: zh ? "各地分配金额（\(moneyUnit.symbol)）" : "Amount per county (\(moneyUnit.symbol))",
                                bars: labels.indices.map { i in
                                    .init(label: labels[i], value: Rational(money.amountFen(i), 100), text: rows[i][amountColumn])
                                }))
            page.chart(BarChart(title: zh ? "与基准相比的增减额（\(moneyUnit.symbol)）" : "Change against the baseline (\(moneyUnit.symbol))",
                                bars: labels.indices.map { i in
                                    .init(label: labels[i], value: (comparison.changeFen[i] ?? .zero) / Rational(100),
                                          text: rows[i][changeColumn])
                                }))
            page.table(shown.table, footer: shown.footer)
        }
        page.policyValues(whatIf.main.policy)
        return page.html
    }
}
