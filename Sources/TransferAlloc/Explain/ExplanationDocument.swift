import BigInt

extension CountyExplanation {
    /// Decimals printed for a share or λ next to its exact fraction.
    public static let shareDecimals = 10

    /// The derivation as a document (text, Markdown or JSON; English or Chinese): inputs,
    /// factors, shares, then per scenario the money (ideal, bounds, λ, rounding) and land, then
    /// every policy value read with its source note.
    public var document: ReportDocument {
        let policy = allocation.policy
        var doc = ReportDocument(title: Localized("Derivation for \(row.code) \(row.name)", "\(row.name)（\(row.code)）分配推导"))
        doc.sections.append(overview(policy))
        doc.sections.append(inputs)
        if let step = levelSteps.first {
            doc.sections += CountyExplanation.levelSections(step, allocation: allocation, county: county)
        } else if components.isEmpty {
            if !policy.money.coefficientColumns.isEmpty { doc.sections.append(coefficients) }
            for factor in factors { doc.sections.append(section(for: factor)) }
            doc.sections.append(shareSection)
            for step in money { doc.sections.append(section(for: step)) }
        } else {
            // Each component's own derivation (its factors, share and money on its budget), then
            // how the components add up per scenario.
            let own: Set<String> = ["county", "inputs", "policy"]
            for (c, component) in components.enumerated() {
                // A value the component sets is cited at its own path; the rest are the money level's.
                let prefix = "money.components[\(c + 1)]."
                var cited: [String: String] = [:]
                for value in policy.values where value.path.hasPrefix(prefix) {
                    cited["money." + value.path.dropFirst(prefix.count)] = value.path
                }
                for section in component.explanation.document.sections where !own.contains(section.key) {
                    doc.sections.append(DocumentSection(
                        key: "component:\(component.name):\(section.key)",
                        title: Localized("Component \(component.name): ", "分项 \(component.name)：") + section.title,
                        blocks: section.blocks).citing(cited))
                }
            }
            for s in allocation.scenarios.indices { doc.sections.append(componentTotals(scenario: s)) }
        }
        if allocation.table.hasAdvance {
            for run in allocation.scenarios { doc.sections.append(advanceSection(run)) }
        }
        if let landDemand { doc.sections.append(section(for: landDemand)) }
        for step in land.compactMap({ $0 }) { doc.sections.append(section(for: step)) }
        doc.sections.append(policySection)
        return doc
    }

    // MARK: Sections

    /// With levels (contract §10.5): the group's upper-stage derivation (values the upper layer
    /// sets cited at `levels.upper.money.…`), its retention per scenario, then the county's own
    /// derivation within the group (a direct county: none, it receives G_p).
    static func levelSections(_ step: LevelStep, allocation: Allocation, county: Int?) -> [DocumentSection] {
        let own: Set<String> = ["county", "inputs", "policy"]
        let group = step.group
        let named = group.name == group.code ? group.code : "\(group.code) \(group.name)"
        var cited: [String: String] = [:]
        for value in allocation.policy.values where value.path.hasPrefix("levels.upper.money.") {
            cited[String(value.path.dropFirst("levels.upper.".count))] = value.path
        }
        var sections: [DocumentSection] = []
        // A group has no coefficient of its own: each county's is inside its adjusted value.
        for section in step.upper.document.sections where !own.contains(section.key) && section.key != "coefficients" {
            sections.append(DocumentSection(
                key: "upper:\(section.key)",
                title: Localized("Upper stage, group \(named): ", "第一级（省对市县），分组 \(named)：") + section.title,
                blocks: section.blocks).citing(cited))
        }
        for run in allocation.scenarios {
            let levels = run.money.levels!
            let p = step.index
            var lines = [
                DocumentLine("group_amount", Localized("Group amount G (元)", "分组金额 G（元）"),
                             Localized(plain: Rational.yuan(levels.groupFen(p)))),
            ]
            if group.isDirect {
                lines.append(DocumentLine("amount", Localized("Amount = G (元)", "分配金额 = G（元）"),
                                          Localized(plain: Rational.yuan(levels.groupFen(p))),
                                          note: Localized("a direct county (省直管): it receives its group's amount, nothing is retained",
                                                          "省直管县：直接获得本组金额，不留市本级")))
            } else {
                lines += [
                    DocumentLine("retention", Localized("Retention r", "市本级比例 r"), Localized(plain: levels.retention.plainText),
                                 note: Localized(plain: "levels.retention")),
                    DocumentLine("retained", Localized("Retained R = ⌊G × r / g⌋ × g (元)", "市本级 R = ⌊G × r / g⌋ × g（元）"),
                                 Localized(plain: Rational.yuan(levels.retainedFen[p]))),
                    DocumentLine("group_allocated", Localized("Passed to the counties A_p = G − R (元)", "下达县区 A_p = G − R（元）"),
                                 Localized(plain: Rational.yuan(levels.groupAllocatedFen(p)))),
                ]
                if let county {
                    lines.append(DocumentLine("amount", Localized("County amount (元)", "本县金额（元）"),
                                              Localized(plain: Rational.yuan(run.money.amountFen(county))),
                                              note: Localized("its split of A_p, below", "A_p 在组内的分配，见下")))
                }
            }
            sections.append(DocumentSection(key: "levels:\(run.scenario.name)",
                                            title: Localized("Group \(named), scenario \(run.scenario.name)", "分组 \(named)，方案 \(run.scenario.name)"),
                                            blocks: [.lines(lines)]))
        }
        if let lower = step.lower, county != nil {
            for section in lower.document.sections where !own.contains(section.key) {
                sections.append(DocumentSection(
                    key: "lower:\(section.key)",
                    title: Localized("Within group \(named): ", "第二级（组内），分组 \(named)：") + section.title,
                    blocks: section.blocks))
            }
        }
        return sections
    }

    /// `explain --code` of a group code (contract §10.5): the group's upper-stage derivation and
    /// its retention, then the policy values read. Nil when the run has no levels or no group other
    /// than a direct county's has the code.
    public static func groupDocument(_ allocation: Allocation, code: String) -> ReportDocument? {
        guard allocation.policy.money.levels != nil, let levels = allocation.scenarios.first?.money.levels,
              let p = levels.groups.groups.firstIndex(where: { $0.code == code && !$0.isDirect }) else { return nil }
        let group = levels.groups.groups[p]
        let first = CountyExplanation(allocation, county: group.rows[0])
        let step = first.levelSteps[0]
        var doc = ReportDocument(title: Localized("Derivation for group \(group.code) \(group.name)", "分组 \(group.name)（\(group.code)）分配推导"))
        let counties = group.rows.map { allocation.table.rows[$0].code }.joined(separator: ", ")
        doc.sections.append(DocumentSection(key: "group", title: Localized("Group", "分组"), blocks: [.lines([
            DocumentLine("code", Localized("Code", "代码"), Localized(plain: group.code)),
            DocumentLine("name", Localized("Name", "名称"), Localized(plain: group.name)),
            DocumentLine("counties", Localized("Counties", "所辖县区"), Localized(plain: counties)),
            DocumentLine("policy", Localized("Policy", "政策"), Localized(plain: allocation.policy.label)),
        ])]))
        doc.sections += levelSections(step, allocation: allocation, county: nil)
        doc.sections += first.document.sections.filter { $0.key == "policy" }
        return doc
    }

    /// With components: B, R and A, each component's budget A_c (largest remainder of A·share_c
    /// over g) and amount, and the county's amount as their sum.
    private func componentTotals(scenario s: Int) -> DocumentSection {
        let run = allocation.scenarios[s]
        let m = run.money
        var lines = [
            DocumentLine("fund_total", Localized("Fund total B (元)", "资金总额 B（元）"), Localized(plain: Rational.yuan(m.budgetFen))),
            DocumentLine("reserve", Localized("Reserve R (元)", "预留 R（元）"), Localized(plain: Rational.yuan(m.reserveFen))),
            DocumentLine("allocated", Localized("Allocated A = B − R (元)", "可分配 A = B − R（元）"), Localized(plain: Rational.yuan(m.allocatedFen))),
        ]
        for (c, part) in m.components.enumerated() {
            lines.append(DocumentLine("allocated_\(part.name)",
                                      Localized("Budget of component \(part.name) A_c (元)", "分项 \(part.name) 预算 A_c（元）"),
                                      Localized(plain: Rational.yuan(part.money.allocatedFen)),
                                      note: Localized("largest remainder of A × \(part.share.plainText) / g over the components (money.components[\(c + 1)].share)",
                                                      "A × \(part.share.plainText) / g 在各分项间按最大余数法取整（money.components[\(c + 1)].share）")))
        }
        for part in m.components {
            lines.append(DocumentLine("amount_\(part.name)", Localized("Amount of component \(part.name) (元)", "分项 \(part.name) 金额（元）"),
                                      Localized(plain: Rational.yuan(part.money.amountFen(county)))))
        }
        let terms = m.components.map { Rational.yuan($0.money.amountFen(county)) }.joined(separator: " + ")
        lines.append(DocumentLine("amount", Localized("Amount = Σ components (元)", "分配金额 = 各分项之和（元）"),
                                  Localized(plain: Rational.yuan(m.amountFen(county))), note: Localized(plain: terms)))
        return DocumentSection(key: "components:\(run.scenario.name)",
                               title: Localized("Components, scenario \(run.scenario.name)", "资金分项合计，方案 \(run.scenario.name)"),
                               blocks: [.lines(lines)])
    }

    /// With an `advance` column: release = amount − advance (contract §10.4).
    private func advanceSection(_ run: ScenarioAllocation) -> DocumentSection {
        let amount = run.money.amountFen(county)
        let release = Advance.releaseFen(amountFen: amount, advanceFen: row.advanceFen)
        let lines = [
            DocumentLine("amount", Localized("Amount (元)", "分配金额（元）"), Localized(plain: Rational.yuan(amount))),
            DocumentLine("advance", Localized("Advance already paid (元)", "已提前下达金额（元）"), Localized(plain: Rational.yuan(row.advanceFen))),
            DocumentLine("release", Localized("Release = amount − advance (元)", "清算金额 = 分配金额 − 已提前下达（元）"),
                         Localized(plain: Rational.yuan(release)),
                         note: release.sign == .minus ? Localized("negative: to be clawed back", "负数：应收回") : nil),
        ]
        return DocumentSection(key: "advance:\(run.scenario.name)",
                               title: Localized("Advance and release, scenario \(run.scenario.name)", "提前下达与清算，方案 \(run.scenario.name)"),
                               blocks: [.lines(lines)])
    }

    private func overview(_ policy: Policy) -> DocumentSection {
        var lines = [
            DocumentLine("code", Localized("Code", "区划代码"), Localized(plain: row.code)),
            DocumentLine("name", Localized("Name", "名称"), Localized(plain: row.name)),
            DocumentLine("row", Localized("Row", "所在行"),
                         Localized("\(allocation.table.file), line \(row.line)", "\(allocation.table.file) 第 \(row.line) 行")),
        ]
        if !row.parent.isEmpty { lines.insert(DocumentLine("parent", Localized("Parent", "上级代码"), Localized(plain: row.parent)), at: 2) }
        lines.append(DocumentLine("policy", Localized("Policy", "政策"), Localized(plain: policy.label),
                                  note: policy.isIllustrative ? Localized("illustrative values, not an official policy", "示例参数，非正式政策") : nil))
        return DocumentSection(key: "county", title: Localized("County", "地区"), blocks: [.lines(lines)])
    }

    private var inputs: DocumentSection {
        let table = allocation.table
        var rows: [[Localized]] = []
        func add(_ column: SettlementColumn, _ value: String) {
            let label = table.columnLabels[column.key].map { Localized(plain: $0) }
                ?? Localized("\(column.key) (no such column: 0)", "\(column.key)（无此列：按 0）")
            rows.append([label, Localized(plain: value)])
        }
        add(.code, row.code)
        if table.columnLabels[SettlementColumn.name.key] != nil { add(.name, row.name) }
        if table.columnLabels[SettlementColumn.parent.key] != nil { add(.parent, row.parent) }
        if table.columnLabels[SettlementColumn.parentName.key] != nil { add(.parentName, row.parentName) }
        // The truth word as read: what makes the county a group of its own.
        if table.columnLabels[SettlementColumn.direct.key] != nil { add(.direct, row.direct ? "1" : "0") }
        for kind in table.originKinds where kind != .settled {
            add(SettlementColumn.origins.first { $0.originKind == kind }!, String(row.origins[kind] ?? 0))
        }
        if let settled = row.settledCell { add(.settled, String(settled)) }
        for (k, count) in row.priors.enumerated() where table.columnLabels[SettlementColumn.prior(k + 1).key] != nil {
            add(.prior(k + 1), String(count))
        }
        for k in row.priorOrigins.indices {
            for kind in OriginKind.allCases {
                if let count = row.priorOrigins[k][kind] { add(.priorOrigin(k + 1, kind), String(count)) }
            }
        }
        if table.hasPermitHolders { add(.permitHolders, String(row.permitHolders)) }
        for factor in Factor.ordered(table.factorColumns.map(Factor.init(key:))) {
            add(.factor(factor.key), (row.factorValues[factor.key] ?? .zero).plainText)
        }
        for name in allocation.policy.money.coefficientColumns {
            let value = (row.coefficients[name] ?? .one).plainText
            if let label = table.columnLabels[SettlementColumn.coefficient(name).key] {
                rows.append([Localized(plain: label), Localized(plain: value)])
            } else {
                rows.append([Localized("\(name) (no such column: counts as 1)", "\(name)（无此列：按 1）"), Localized(plain: value)])
            }
        }
        let optional: [(SettlementColumn, Rational?)] = [(.prevAmount, row.prevAmount), (.minAmount, row.minAmount),
                                                          (.maxAmount, row.maxAmount), (.landPerCapita, row.landPerCapita)]
        for (column, value) in optional where table.columnLabels[column.key] != nil {
            rows.append([Localized(plain: table.columnLabels[column.key]!),
                         value.map { Localized(plain: $0.plainText) } ?? Localized("(empty: not given)", "（空：未提供）")])
        }
        if table.hasLandExempt {
            rows.append([Localized(plain: table.columnLabels[SettlementColumn.landExempt.key]!), row.landExempt ? Localized("yes", "是") : Localized("no", "否")])
        }
        for (c, name) in table.components.enumerated() {
            let own = row.componentAmounts[c]
            let cells: [(ComponentAmountKind, Rational?)] = [(.prevAmount, own.prevAmount), (.minAmount, own.minAmount),
                                                             (.maxAmount, own.maxAmount)]
            for (kind, value) in cells {
                guard let label = table.columnLabels[SettlementColumn.componentAmount(kind, component: name).key] else { continue }
                rows.append([Localized(plain: label),
                             value.map { Localized(plain: $0.plainText) } ?? Localized("(empty: not given)", "（空：未提供）")])
            }
        }
        if table.hasAdvance, let label = table.columnLabels[SettlementColumn.advance.key] {
            rows.append([Localized(plain: label), Localized(plain: Rational.yuan(row.advanceFen))])
        }
        let columns = [ReportColumn("column", "列", isText: true), ReportColumn("value", "值", isText: true)]
        return DocumentSection(key: "inputs", title: Localized("Inputs read", "读取的输入"),
                               blocks: [.table(key: "cells", columns: columns, rows: rows)])
    }

    private var coefficients: DocumentSection {
        var lines: [DocumentLine] = []
        for name in allocation.policy.money.coefficientColumns {
            lines.append(DocumentLine(name, Localized(plain: name), Localized(plain: (row.coefficients[name] ?? .one).plainText),
                                      note: allocation.table.columnLabels[SettlementColumn.coefficient(name).key] == nil
                                          ? Localized("the table has no such column: it counts as 1", "表中无此列：按 1 计") : nil))
        }
        if allocation.policy.money.factorCoefficientColumns == nil {
            let names = allocation.policy.money.coefficientColumns.joined(separator: " × ")
            lines.append(DocumentLine("coefficient_product", Localized("Coefficient product", "系数乘积"),
                                      Localized(plain: CountyExplanation.exact(coefficientProduct)),
                                      note: Localized("Π = \(names) (money.coefficient_columns)", "Π = \(names)（money.coefficient_columns）")))
        } else {
            // The object form: each factor multiplies its own columns.
            for step in factors {
                let names = step.coefficientColumns.joined(separator: " × ")
                let named = allocation.policy.money.factorCoefficientColumns?[step.factor] != nil
                let note = !named
                    ? Localized("money.coefficient_columns does not name \(step.factor.key): no coefficient",
                                "money.coefficient_columns 未列 \(step.factor.key)：无系数")
                    : step.coefficientColumns.isEmpty
                    ? Localized("money.coefficient_columns.\(step.factor.key) is empty: no coefficient",
                                "money.coefficient_columns.\(step.factor.key) 为空：无系数")
                    : Localized("Π = \(names) (money.coefficient_columns.\(step.factor.key))",
                                "Π = \(names)（money.coefficient_columns.\(step.factor.key)）")
                lines.append(DocumentLine("coefficient_product_\(step.factor.key)",
                                          Localized("Coefficient product, \(step.factor.key)", "系数乘积（\(step.factor.key)）"),
                                          Localized(plain: CountyExplanation.exact(step.coefficientProduct)), note: note))
            }
        }
        return DocumentSection(key: "coefficients", title: Localized("Coefficients", "系数"), blocks: [.lines(lines)])
    }

    private func section(for step: FactorStep) -> DocumentSection {
        let settled = step.factor == .settled
        let permits = step.factor == .permits
        let columns = [
            ReportColumn("input", "输入", isText: true), ReportColumn("count", "人数"),
            ReportColumn("coefficient", "系数"), ReportColumn("product", "乘积"),
            ReportColumn("policy", "政策参数", isText: true),
        ]
        let rows: [[Localized]] = step.terms.map { term in
            [Localized(plain: term.input), Localized(plain: CountyExplanation.exact(term.quantity)),
             Localized(plain: CountyExplanation.exact(term.coefficient)), Localized(plain: CountyExplanation.exact(term.product)),
             term.policyPath.map { Localized(plain: $0) }
                 ?? (term.input.hasPrefix("prior_") ? Localized("beyond money.prior_decay: 0", "超出 money.prior_decay：0") : "")]
        }
        let name = settled ? Localized("settled", "落户") : permits ? Localized("permits", "持证")
            : Localized(plain: step.factor.key)
        let lines = [
            DocumentLine("value", Localized("Factor value v", "因素值 v"), Localized(plain: CountyExplanation.exact(step.value)),
                         note: settled ? Localized("Σ origin counts × origin coefficients + Σ prior years × decay",
                                                   "Σ 各来源落户人数 × 来源系数 + Σ 往年落户人数 × 退坡系数")
                                       : permits ? Localized("permit_holders", "居住证持有人数")
                                       : Localized("the \(step.factor.key) cell", "\(step.factor.key) 列的值")),
            DocumentLine("adjusted", Localized("Adjusted value a = v × coefficient product", "调整后因素值 a = v × 系数乘积"),
                         Localized(plain: CountyExplanation.exact(step.adjusted)),
                         note: Localized(plain: "\(CountyExplanation.exact(step.value)) × \(CountyExplanation.exact(step.coefficientProduct))")),
            DocumentLine("adjusted_total", Localized("Total over all counties Σa", "全部地区合计 Σa"),
                         Localized(plain: CountyExplanation.exact(step.adjustedTotal))),
            DocumentLine("share", Localized("Share of the factor total a / Σa", "占因素合计比例 a / Σa"),
                         Localized(plain: step.share.decimalText),
                         note: Localized("exactly \(step.share)", "精确值 \(step.share)")),
            DocumentLine("weight", Localized("Weight w", "权重 w"), Localized(plain: step.weight.plainText),
                         note: Localized(plain: "money.weights.\(step.factor.key)")),
        ]
        return DocumentSection(key: "factor_\(step.factor.key)",
                               title: Localized("Factor \(name.en)", settled || permits ? "\(name.zh)因素" : "因素 \(name.zh)"),
                               blocks: [.table(key: "terms", columns: columns, rows: rows), .lines(lines)])
    }

    private var shareSection: DocumentSection {
        var lines = factors.map { step in
            DocumentLine("weighted_\(step.factor.key)", Localized("w × share, \(step.factor.key)", "w × 比例（\(step.factor.key)）"),
                         Localized(plain: step.weightedShare.decimalText),
                         note: Localized(plain: "\(step.weight.plainText) × \(step.share.decimalText)"))
        }
        for factor in skippedFactors {
            lines.append(DocumentLine("skipped_\(factor.key)", Localized("\(factor.key)", "\(factor.key)"),
                                      Localized("weight 0: skipped", "权重为 0：不计")))
        }
        lines.append(DocumentLine("share", Localized("Weighted share s = Σ w × share", "加权比例 s = Σ w × 比例"),
                                  Localized(plain: share.decimalText),
                                  note: Localized("exactly \(share)", "精确值 \(share)")))
        return DocumentSection(key: "share", title: Localized("Weighted share", "加权比例"), blocks: [.lines(lines)])
    }

    private func section(for step: MoneyStep) -> DocumentSection {
        let scenario = step.scenario
        let g = step.granularityFen
        var lines: [DocumentLine] = []
        let written = Rational(step.budgetFen, scenario.fundUnit.yuan * 100)
        lines.append(DocumentLine("fund_total", Localized("Fund total B (元)", "资金总额 B（元）"), Localized(plain: Rational.yuan(step.budgetFen)),
                                  note: scenario.fundUnit == .yuan ? nil
                                      : Localized("\(written.plainText) \(scenario.fundUnit.chineseName) as written",
                                                  "原文 \(written.plainText) \(scenario.fundUnit.chineseName)")))
        let reserveNote: Localized = switch scenario.reserve {
        case .none: Localized("no reserve; A cut down to a multiple of g", "无预留；A 向下取到 g 的整数倍")
        case .ratio(let r): Localized("⌊B × \(r.plainText) / g⌋ × g, plus what makes A a multiple of g",
                                      "⌊B × \(r.plainText) / g⌋ × g，加上使 A 为 g 整数倍的零头")
        case .amountFen: Localized("reserve_amount, plus what makes A a multiple of g", "reserve_amount，加上使 A 为 g 整数倍的零头")
        }
        lines.append(DocumentLine("reserve", Localized("Reserve R (元)", "预留 R（元）"), Localized(plain: Rational.yuan(step.reserveFen)), note: reserveNote))
        lines.append(DocumentLine("allocated", Localized("Allocated A = B − R (元)", "可分配 A = B − R（元）"), Localized(plain: Rational.yuan(step.allocatedFen))))
        lines.append(DocumentLine("granularity", Localized("Granularity g (元)", "分配单位 g（元）"), Localized(plain: Rational.yuan(g)),
                                  note: Localized(plain: "money.granularity")))
        lines.append(DocumentLine("ideal", Localized("Ideal amount q = A × s (元)", "理想金额 q = A × s（元）"),
                                  Localized(plain: CountyExplanation.yuanText(step.idealFen)),
                                  note: CountyExplanation.exactYuanNote(step.idealFen)))
        for term in step.lowerTerms + step.upperTerms {
            lines.append(DocumentLine("bound_term_\(term.rule.rawValue)", CountyExplanation.label(term.rule),
                                      Localized(plain: CountyExplanation.yuanText(term.fen)), note: CountyExplanation.formula(term.rule)))
        }
        lines.append(DocumentLine("lower", Localized("Lower bound L = max of the lower terms, snapped up to g (元)", "下限 L = 各下限项最大值，向上取到 g（元）"),
                                  Localized(plain: Rational.yuan(step.lowerFen))))
        lines.append(DocumentLine("upper", Localized("Upper bound U = min of the upper terms, snapped down to g (元)", "上限 U = 各上限项最小值，向下取到 g（元）"),
                                  step.upperFen.map { Localized(plain: Rational.yuan($0)) } ?? Localized("none", "无")))
        lines.append(DocumentLine("lambda", Localized("λ (common scale making Σx = A)", "λ（使 Σx = A 的统一比例）"),
                                  Localized(plain: step.lambda.decimalText),
                                  note: step.anyBoundBinds ? Localized("exactly \(step.lambda)", "精确值 \(step.lambda)")
                                                           : Localized("no bound binds in this scenario, so λ = 1", "本方案无约束生效，λ = 1")))
        lines.append(DocumentLine("bound", Localized("Bound in force", "生效约束"),
                                  Localized(step.bound.rawValue, step.bound.chineseName),
                                  note: CountyExplanation.boundNote(step.bound)))
        lines.append(DocumentLine("bounded", Localized("Bounded amount x = clamp(λ × q, L, U) (元)", "约束后金额 x = clamp(λ × q, L, U)（元）"),
                                  Localized(plain: CountyExplanation.yuanText(step.boundedFen)),
                                  note: CountyExplanation.exactYuanNote(step.boundedFen)))
        lines += roundingLines(step.rounding, unit: Localized("units of g", "个 g 单位"))
        lines.append(DocumentLine("amount", Localized("Amount = units × g (元)", "分配金额 = 单位数 × g（元）"),
                                  Localized(plain: Rational.yuan(step.amountFen)),
                                  note: Localized(plain: "\(step.rounding.units) × \(Rational.yuan(g))")))
        return DocumentSection(key: "money:\(scenario.name)",
                               title: Localized("Money, scenario \(scenario.name)", "资金，方案 \(scenario.name)"),
                               blocks: [.lines(lines)])
    }

    private func roundingLines(_ r: RoundingStep, unit: Localized) -> [DocumentLine] {
        [
            DocumentLine("exact_units", Localized("Exact units", "精确单位数") + Localized(" (\(unit.en))", "（\(unit.zh)）"),
                         Localized(plain: r.exactUnits.decimalText),
                         note: r.exactUnits.isInteger ? nil : Localized("exactly \(r.exactUnits)", "精确值 \(r.exactUnits)")),
            DocumentLine("whole_units", Localized("Whole part", "整数部分"), Localized(plain: String(r.wholeUnits))),
            DocumentLine("fraction", Localized("Fractional part", "小数部分"),
                         Localized(plain: r.fraction.decimalText),
                         note: r.fraction.isZero ? nil : Localized("exactly \(r.fraction)", "精确值 \(r.fraction)")),
            DocumentLine("rank", Localized("Rank of the fractional part", "小数部分排名"),
                         r.rank.map { Localized("\($0) of \(r.ranked)", "\(r.ranked) 个中第 \($0)") } ?? Localized("none (zero)", "无（为零）")),
            DocumentLine("leftover", Localized("Units left after the whole parts", "取整后剩余单位"), Localized(plain: String(r.leftover))),
            DocumentLine("extra_unit", Localized("Extra unit", "尾差单位"), r.receivedExtra ? Localized("yes", "是") : Localized("no", "否"),
                         note: r.reason),
            DocumentLine("units", Localized("Final units", "最终单位数"), Localized(plain: String(r.units))),
        ]
    }

    private func section(for step: LandDemandStep) -> DocumentSection {
        let land = allocation.policy.land
        var lines: [DocumentLine] = []
        if step.exempt {
            lines.append(DocumentLine("standard", Localized("Standard (m²/person)", "人均用地标准（平方米/人）"), "0",
                                      note: Localized("land_exempt: megacity central district", "land_exempt：超大特大城市中心城区")))
        } else if let index = step.tierIndex, let tier = step.tier, let perCapita = step.landPerCapita {
            lines.append(DocumentLine("land_per_capita", Localized("Current per-capita land (m²)", "现状人均城镇建设用地（平方米）"),
                                      Localized(plain: perCapita.plainText)))
            let limit = tier.upTo.map { Localized("up_to \($0.plainText) m²", "不超过 \($0.plainText) 平方米") } ?? Localized("no up_to (last tier)", "无上限（最后一档）")
            lines.append(DocumentLine("tier", Localized("Tier chosen (first whose up_to ≥ the value)", "所用档次（第一个 up_to ≥ 现状值的档）"),
                                      Localized(plain: "land.tiers[\(index + 1)]"), note: limit + Localized(", standard \(tier.standard.plainText) m²/person", "，标准 \(tier.standard.plainText) 平方米/人")))
            lines.append(DocumentLine("adjustment", Localized("Adjustment", "省级调整"), Localized(plain: step.adjustment.plainText),
                                      note: Localized(plain: "land.adjustment")))
            lines.append(DocumentLine("standard", Localized("Standard = tier standard × (1 + adjustment) (m²/person)", "标准 = 档次标准 × (1 + 调整)（平方米/人）"),
                                      Localized(plain: CountyExplanation.exact(step.standard ?? .zero)),
                                      note: Localized(plain: "\(tier.standard.plainText) × (1 + \(step.adjustment.plainText))")))
        } else {
            lines.append(DocumentLine("standard", Localized("Standard (m²/person)", "人均用地标准（平方米/人）"), Localized("none", "无"),
                                      note: Localized("no land_per_capita and no persons: no demand", "无现状人均用地且无人数：无需求")))
        }
        lines.append(DocumentLine("persons", Localized("Persons = settlers + permit_weight × permit_holders", "人数 = 落户人数 + permit_weight × 持证人数"),
                                  Localized(plain: CountyExplanation.exact(step.persons)),
                                  note: Localized(plain: "\(step.settlers) + \(step.permitWeight.plainText) × \(step.permitHolders)")))
        lines.append(DocumentLine("demand_m2", Localized("Demand = persons × standard (m²)", "需求 = 人数 × 标准（平方米）"),
                                  Localized(plain: CountyExplanation.exact(step.demandM2))))
        let precision = Rational.fixedPoint(1, places: land.decimals)
        lines.append(DocumentLine("precision", Localized("Precision unit (m²)", "精度单位（平方米）"), Localized(plain: step.precisionM2.plainText),
                                  note: Localized("\(precision) \(land.unit.rawValue) (land.unit, land.decimals)", "\(precision) \(land.unit.chineseName)（land.unit, land.decimals）")))
        lines.append(DocumentLine("demand_units", Localized("Demand D_i in precision units", "需求 D_i（精度单位）"),
                                  Localized(plain: step.demandUnits.decimalText),
                                  note: step.demandUnits.isInteger ? nil : Localized("exactly \(step.demandUnits)", "精确值 \(step.demandUnits)")))
        lines.append(DocumentLine("total_demand_units", Localized("Total demand D in precision units", "总需求 D（精度单位）"),
                                  Localized(plain: step.totalDemandUnits.decimalText),
                                  note: step.totalDemandUnits.isInteger ? nil : Localized("exactly \(step.totalDemandUnits)", "精确值 \(step.totalDemandUnits)")))
        return DocumentSection(key: "land_demand", title: Localized("Land demand", "用地需求"), blocks: [.lines(lines)])
    }

    private func section(for step: LandSplitStep) -> DocumentSection {
        let land = allocation.policy.land
        let unit = Localized(land.unit.rawValue, land.unit.chineseName)
        func text(_ units: BigInt) -> Localized { Localized(plain: Rational.fixedPoint(units, places: step.decimals)) }
        var lines: [DocumentLine] = []
        if let quota = step.quotaUnits, let allocated = step.allocatedUnits, let ideal = step.idealUnits, let rounding = step.rounding {
            lines.append(DocumentLine("quota", Localized("Quota Q (\(unit.en))", "用地指标 Q（\(unit.zh)）"), text(quota)))
            lines.append(DocumentLine("allocated", Localized("Handed out T = min(Q, ⌈D⌉) (\(unit.en))", "安排 T = min(Q, ⌈D⌉)（\(unit.zh)）"), text(allocated)))
            lines.append(DocumentLine("unallocated", Localized("Unallocated Q − T (\(unit.en))", "未安排 Q − T（\(unit.zh)）"), text(step.unallocatedUnits ?? 0)))
            if let demand = landDemand, !demand.totalDemandUnits.isZero {
                let scale = Rational(allocated) / demand.totalDemandUnits
                lines.append(DocumentLine("scale", Localized("Scale T / D", "比例 T / D"), Localized(plain: scale.decimalText),
                                          note: scale.exactDecimalString == nil ? Localized("exactly \(scale)", "精确值 \(scale)") : nil))
            }
            lines.append(DocumentLine("ideal", Localized("Ideal T × D_i / D in precision units", "理想值 T × D_i / D（精度单位）"),
                                      Localized(plain: ideal.decimalText),
                                      note: ideal.isInteger ? nil : Localized("exactly \(ideal)", "精确值 \(ideal)")))
            lines += roundingLines(rounding, unit: Localized("precision units", "精度单位"))
        } else {
            lines.append(DocumentLine("rounding", Localized("Rounding", "取整"), Localized("D_i rounded half up (no quota)", "D_i 四舍五入（无指标总额）")))
        }
        lines.append(DocumentLine("land_quota", Localized("Land quota (\(unit.en))", "用地指标（\(unit.zh)）"), text(step.units)))
        return DocumentSection(key: "land:\(step.scenario.name)",
                               title: Localized("Land, scenario \(step.scenario.name)", "用地，方案 \(step.scenario.name)"),
                               blocks: [.lines(lines)])
    }

    private var policySection: DocumentSection {
        let policy = allocation.policy
        let read = Set(policyPathsRead)
        // With dated versions, each value also names the version that set it (contract §10.6).
        let dated = !policy.versions.isEmpty
        let rows: [[Localized]] = policy.values.filter { read.contains($0.path) }.map {
            [Localized(plain: $0.path), Localized(plain: $0.text)]
                + (dated ? [$0.version.map { Localized(plain: $0) } ?? Localized("(no version)", "（非版本设定）")] : [])
                + [$0.source.map { Localized(plain: $0) } ?? (dated ? Localized("(no source)", "（无依据）") : "")]
        }
        let columns = [ReportColumn("path", "参数", isText: true), ReportColumn("value", "值", isText: true)]
            + (dated ? [ReportColumn("version", "版本", isText: true)] : [])
            + [ReportColumn("source", "依据", isText: true)]
        var blocks: [DocumentBlock] = [.table(key: "values", columns: columns, rows: rows)]
        if policy.isIllustrative {
            blocks.insert(.paragraph(Localized("Policy \(policy.label): illustrative values, not an official policy.",
                                               "政策 \(policy.label)：示例参数，非正式政策。")), at: 0)
        }
        return DocumentSection(key: "policy", title: Localized("Policy values read, with their sources", "所用政策参数及依据"), blocks: blocks)
    }

    // MARK: Number text

    /// Exact decimal when finite, else 10 decimals.
    static func exact(_ value: Rational) -> String {
        value.exactDecimalString ?? value.decimalString(places: shareDecimals)
    }

    /// Fen as 元 with 2 decimals.

    /// A fen amount that may have a fraction of a fen: exact decimal 元 when finite, else 6 decimals.
    static func yuanText(_ fen: Rational) -> String {
        let yuan = fen * Rational(1, 100)
        if let exact = yuan.exactDecimalString, exact.split(separator: ".").last.map({ $0.count <= 6 }) ?? true { return exact }
        return yuan.decimalString(places: 6)
    }

    static func exactYuanNote(_ fen: Rational) -> Localized? {
        let yuan = fen * Rational(1, 100)
        guard yuan.exactDecimalString == nil || yuanText(fen) != yuan.exactDecimalString else { return nil }
        return Localized("exactly \(yuan) 元", "精确值 \(yuan) 元")
    }

    static func label(_ rule: BoundTerm.Rule) -> Localized {
        switch rule {
        case .floorAmount: Localized("Lower term floor_amount (元)", "下限项 保底金额（元）")
        case .minRetention: Localized("Lower term prev_amount × min_retention (元)", "下限项 上年金额 × 最低保留比例（元）")
        case .minAmount: Localized("Lower term min_amount (元)", "下限项 最低金额（元）")
        case .maxGrowth: Localized("Upper term prev_amount × (1 + max_growth) (元)", "上限项 上年金额 × (1 + 最高增幅)（元）")
        case .capPerSettler: Localized("Upper term cap_per_settler × settlers (元)", "上限项 人均上限 × 落户人数（元）")
        case .maxAmount: Localized("Upper term max_amount (元)", "上限项 最高金额（元）")
        }
    }

    static func formula(_ rule: BoundTerm.Rule) -> Localized {
        switch rule {
        case .minAmount, .maxAmount: Localized("column \(rule.rawValue) of the settlement table", "结算表 \(rule.rawValue) 列")
        default: Localized(plain: rule.rawValue)
        }
    }

    static func boundNote(_ bound: BoundKind) -> Localized {
        switch bound {
        case .none: Localized("λ × q lies within [L, U]: x = λ × q", "λ × q 在 [L, U] 之内：x = λ × q")
        case .floor: Localized("λ × q is below L: the county is lifted to L", "λ × q 低于 L：抬到下限 L")
        case .cap: Localized("λ × q is above U: the county is held at U", "λ × q 高于 U：压到上限 U")
        }
    }
}

extension Rational {
    /// The exact decimal when it has at most `CountyExplanation.shareDecimals` places, else
    /// rounded half up to that many: `1`, `0.25`, `0.0915301525`.
    var decimalText: String {
        if let exact = exactDecimalString, (exact.split(separator: ".").dropFirst().first?.count ?? 0) <= CountyExplanation.shareDecimals {
            return exact
        }
        return decimalString(places: CountyExplanation.shareDecimals)
    }
}
