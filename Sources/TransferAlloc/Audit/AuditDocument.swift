import BigInt

extension AllocationAudit {
    /// Decimals printed for inferred weights.
    public static let weightDecimals = 10

    /// The audit as a document: summary, coverage, total, the differences above tolerance
    /// (largest first), land differences, and the inferred weights with the residual per county.
    public var document: ReportDocument {
        let policy = allocation.policy
        let run = scenario
        var doc = ReportDocument(title: Localized("Audit of \(published.file) against scenario \(run.scenario.name)",
                                                  "\(published.file) 与方案 \(run.scenario.name) 的核对"))
        let verdict = isConsistent ? Localized("consistent", "一致") : Localized("discrepancies found", "发现差异")
        doc.sections.append(DocumentSection(key: "summary", title: Localized("Summary", "概要"), blocks: [.lines([
            DocumentLine("result", Localized("Result", "结论"), verdict),
            DocumentLine("policy", Localized("Policy", "政策"), Localized(plain: policy.label),
                         note: policy.isIllustrative ? Localized("illustrative values, not an official policy", "示例参数，非正式政策") : nil),
            DocumentLine("scenario", Localized("Scenario", "方案"), Localized(plain: run.scenario.name)),
            // Group rows (two levels) are no counties: the Groups section counts them.
            DocumentLine("counties", Localized("Counties recomputed / published / in both", "重算 / 公布 / 共有地区数"),
                         Localized(plain: "\(allocation.table.rows.count) / \(published.rows.count - groupRowsCompared) / \(fittedCounties.count)")),
            DocumentLine("amount_unit", Localized("Published amounts read in", "公布金额单位"),
                         Localized(published.amountUnit.rawValue, published.amountUnit.chineseName)),
            DocumentLine("tolerance", Localized("Tolerance (元)", "容差（元）"), Localized(plain: AllocationAudit.yuan(toleranceFen))),
        ] + (published.matchedByName ? [
            DocumentLine("matched_by", Localized("Counties matched by", "地区匹配方式"),
                         Localized("name (the published table has no code column)", "名称（公布表没有区划代码列）")),
        ] : []))]))

        var coverage: [DocumentBlock] = []
        let codeColumns = [ReportColumn("code", "区划代码", isText: true), ReportColumn("name", "名称", isText: true),
                           ReportColumn("line", "位置", isText: true)]
        if missing.isEmpty {
            coverage.append(.paragraph(Localized("No county is missing from the published table.", "公布表未缺少地区。")))
        } else {
            coverage.append(.paragraph(Localized("Missing from the published table (\(missing.count)):", "公布表缺少的地区（\(missing.count) 个）：")))
            coverage.append(.table(key: "missing", columns: codeColumns, rows: missing.map { i in
                let row = allocation.table.rows[i]
                return [Localized(plain: row.code), Localized(plain: row.name), Localized(plain: "\(allocation.table.file):\(row.line)")]
            }))
        }
        if extra.isEmpty {
            coverage.append(.paragraph(Localized("No extra county in the published table.", "公布表没有多出的地区。")))
        } else {
            coverage.append(.paragraph(Localized("In the published table but not in \(allocation.table.file) (\(extra.count)):",
                                                 "公布表中有而 \(allocation.table.file) 中没有的地区（\(extra.count) 个）：")))
            coverage.append(.table(key: "extra", columns: codeColumns, rows: extra.map { row in
                [Localized(plain: row.code), Localized(plain: row.name), Localized(plain: "\(published.file):\(row.line)")]
            }))
        }
        doc.sections.append(DocumentSection(key: "coverage", title: Localized("Counties", "地区"), blocks: coverage))

        var totalLines: [DocumentLine] = []
        if let row = published.totalRow {
            totalLines.append(DocumentLine("published", Localized("Published total row (元)", "公布表合计行（元）"),
                                           Localized(plain: AllocationAudit.yuan(publishedTotalFen)),
                                           note: Localized(plain: "\(published.file):\(row.line) \(row.name)")))
            totalLines.append(DocumentLine("published_rows", Localized("Σ of the published county rows (元)", "公布各地区金额之和（元）"),
                                           Localized(plain: AllocationAudit.yuan(publishedRowsTotalFen))))
        } else {
            totalLines.append(DocumentLine("published", Localized("Published total (元)", "公布合计（元）"), Localized(plain: AllocationAudit.yuan(publishedTotalFen))))
        }
        var totalBlocks: [DocumentBlock] = [.lines(totalLines + [
            !comparesCountiesOnly
                ? DocumentLine("recomputed", Localized("Recomputed allocated A (元)", "重算可分配 A（元）"), Localized(plain: AllocationAudit.yuan(Rational(recomputedTotalFen))))
                : DocumentLine("recomputed", Localized("Recomputed counties' total A − Σ retained (元)", "重算各县区合计 A − 市本级合计（元）"),
                               Localized(plain: AllocationAudit.yuan(Rational(recomputedTotalFen))),
                               note: Localized("two levels and no 合计 row: the county rows leave out the prefectures' retentions (市本级)", "两级分配且无合计行：各县区金额不含市本级")),
            DocumentLine("difference", Localized("Difference (元)", "差额（元）"), Localized(plain: AllocationAudit.yuan(totalDifferenceFen)),
                         note: totalMismatch ? Localized("above the tolerance: total mismatch", "超过容差：合计不符") : Localized("within the tolerance", "在容差之内")),
        ])]
        if !published.uncompared.isEmpty {
            totalBlocks.append(.paragraph(Localized("Subtotal rows, not compared (\(published.uncompared.count)):",
                                                    "小计等行，未核对（\(published.uncompared.count) 行）：")))
            totalBlocks.append(.table(key: "not_compared", columns: [
                ReportColumn("code", "区划代码", isText: true), ReportColumn("name", "名称", isText: true),
                ReportColumn("published", "公布金额(元)"), ReportColumn("line", "位置", isText: true),
            ], rows: published.uncompared.map { row in
                [Localized(plain: row.code), Localized(plain: row.name), Localized(plain: AllocationAudit.yuan(row.amountFen)),
                 Localized(plain: "\(published.file):\(row.line)")]
            }))
        }
        doc.sections.append(DocumentSection(key: "total", title: Localized("Total", "合计"), blocks: totalBlocks))

        let diffColumns = [
            ReportColumn("code", "区划代码", isText: true), ReportColumn("name", "名称", isText: true),
            ReportColumn("published", "公布金额(元)"), ReportColumn("recomputed", "重算金额(元)"),
            ReportColumn("difference", "差额(元)"), ReportColumn("bound", "约束", isText: true), ReportColumn("line", "位置", isText: true),
        ]
        var diffBlocks: [DocumentBlock] = []
        if differences.isEmpty {
            diffBlocks.append(.paragraph(Localized("No county differs by more than the tolerance.", "没有地区的差额超过容差。")))
        } else {
            diffBlocks.append(.paragraph(Localized("\(differences.count) county(ies) differ by more than \(AllocationAudit.yuan(toleranceFen)) 元, largest difference first:",
                                                   "\(differences.count) 个地区差额超过 \(AllocationAudit.yuan(toleranceFen)) 元，按差额从大到小：")))
            diffBlocks.append(.table(key: "counties", columns: diffColumns, rows: differences.map { d in
                let row = allocation.table.rows[d.county]
                let bound = run.money.apportionment.bound[d.county]
                return [Localized(plain: row.code), Localized(plain: row.name), Localized(plain: AllocationAudit.yuan(d.published)),
                        Localized(plain: AllocationAudit.yuan(d.recomputed)), Localized(plain: AllocationAudit.yuan(d.difference)),
                        Localized(bound.rawValue, bound.chineseName), Localized(plain: "\(published.file):\(d.line)")]
            }))
        }
        doc.sections.append(DocumentSection(key: "differences", title: Localized("Amounts", "金额"), blocks: diffBlocks))

        if let groupDifferences, let levels = scenario.money.levels {
            var blocks: [DocumentBlock] = []
            if groupRowsCompared == 0 {
                blocks.append(.paragraph(Localized("The published table has no group (prefecture) rows.", "公布表没有分组（市）行。")))
            } else if groupDifferences.isEmpty {
                blocks.append(.paragraph(Localized("No group's amount differs by more than the tolerance (\(groupRowsCompared) group row(s) compared).",
                                                   "没有分组金额差额超过容差（核对分组行 \(groupRowsCompared) 行）。")))
            } else {
                blocks.append(.paragraph(Localized("\(groupDifferences.count) group(s) differ from their amount G by more than \(AllocationAudit.yuan(toleranceFen)) 元, largest difference first:",
                                                   "\(groupDifferences.count) 个分组与分组金额 G 差额超过 \(AllocationAudit.yuan(toleranceFen)) 元，按差额从大到小：")))
                blocks.append(.table(key: "groups", columns: diffColumns.filter { $0.key != "bound" }, rows: groupDifferences.map { d in
                    let group = levels.groups.groups[d.county]
                    return [Localized(plain: group.code), Localized(plain: group.name), Localized(plain: AllocationAudit.yuan(d.published)),
                            Localized(plain: AllocationAudit.yuan(d.recomputed)), Localized(plain: AllocationAudit.yuan(d.difference)),
                            Localized(plain: "\(published.file):\(d.line)")]
                }))
            }
            doc.sections.append(DocumentSection(key: "groups", title: Localized("Groups (two levels)", "分组（两级分配）"), blocks: blocks))
        }

        for (name, list) in componentDifferences {
            let columns = diffColumns.filter { $0.key != "bound" }
            var blocks: [DocumentBlock] = []
            if list.isEmpty {
                blocks.append(.paragraph(Localized("No county's amount_\(name) differs by more than the tolerance.",
                                                   "没有地区的 amount_\(name) 差额超过容差。")))
            } else {
                blocks.append(.paragraph(Localized("\(list.count) county(ies) differ in amount_\(name) by more than \(AllocationAudit.yuan(toleranceFen)) 元, largest difference first:",
                                                   "\(list.count) 个地区 amount_\(name) 差额超过 \(AllocationAudit.yuan(toleranceFen)) 元，按差额从大到小：")))
                blocks.append(.table(key: "counties", columns: columns, rows: list.map { d in
                    let row = allocation.table.rows[d.county]
                    return [Localized(plain: row.code), Localized(plain: row.name), Localized(plain: AllocationAudit.yuan(d.published)),
                            Localized(plain: AllocationAudit.yuan(d.recomputed)), Localized(plain: AllocationAudit.yuan(d.difference)),
                            Localized(plain: "\(published.file):\(d.line)")]
                }))
            }
            doc.sections.append(DocumentSection(key: "component:\(name)", title: Localized("Component \(name)", "分项 \(name)"),
                                                blocks: blocks))
        }

        if published.hasLandQuota {
            doc.sections.append(landSection)
        }
        doc.sections.append(weightsSection)
        return doc
    }

    private var landSection: DocumentSection {
        let land = allocation.policy.land
        let unit = Localized(land.unit.rawValue, land.unit.chineseName)
        let toPolicyUnit = Rational.one / land.unit.squareMetres
        func text(_ m2: Rational) -> Localized {
            let value = m2 * toPolicyUnit
            return Localized(plain: value.exactDecimalString ?? value.decimalString(places: land.decimals + 4))
        }
        guard scenario.land != nil else {
            return DocumentSection(key: "land", title: Localized("Land", "用地"), blocks: [
                .paragraph(Localized("The published table has land_quota, but the scenario computes no land (no land_per_capita or land_exempt column, no land quota): not compared.",
                                     "公布表有用地指标，但该方案不计算用地（无现状人均用地、中心城区列，也无用地指标）：未核对。")),
            ])
        }
        let columns = [
            ReportColumn("code", "区划代码", isText: true), ReportColumn("name", "名称", isText: true),
            ReportColumn("published", "公布用地指标(\(land.unit.chineseName))"), ReportColumn("recomputed", "重算用地指标(\(land.unit.chineseName))"),
            ReportColumn("difference", "差额(\(land.unit.chineseName))"), ReportColumn("line", "位置", isText: true),
        ]
        var blocks: [DocumentBlock] = []
        if landDifferences.isEmpty {
            blocks.append(.paragraph(Localized("No county's land quota differs by more than \(text(landToleranceM2).en) \(unit.en).",
                                               "没有地区的用地指标差额超过 \(text(landToleranceM2).zh) \(unit.zh)。")))
        } else {
            blocks.append(.paragraph(Localized("\(landDifferences.count) county(ies) differ by more than \(text(landToleranceM2).en) \(unit.en), largest difference first:",
                                               "\(landDifferences.count) 个地区用地指标差额超过 \(text(landToleranceM2).zh) \(unit.zh)，按差额从大到小：")))
            blocks.append(.table(key: "counties", columns: columns, rows: landDifferences.map { d in
                let row = allocation.table.rows[d.county]
                return [Localized(plain: row.code), Localized(plain: row.name), text(d.published), text(d.recomputed),
                        text(d.difference), Localized(plain: "\(published.file):\(d.line)")]
            }))
        }
        return DocumentSection(key: "land", title: Localized("Land", "用地"), blocks: blocks)
    }

    private var weightsSection: DocumentSection {
        let policy = allocation.policy.money
        var blocks: [DocumentBlock] = []
        blocks.append(.paragraph(Localized(
            "The weights (≥ 0, summing to 1) that best reproduce the published amounts, least squares on the amounts: amount ≈ A × (w_settled × settled share + w_permits × permits share), shares after coefficients.",
            "最能重现公布金额的因素权重（非负、合计为 1），按金额最小二乘：金额 ≈ A ×（w_落户 × 落户比例 + w_持证 × 持证比例），比例已乘系数。")))
        if let factorFit { return factorFitSection(factorFit) }
        if !stageFits.isEmpty { return stageFitsSection }
        if inference != nil {
            if let simplest = simplestWeights {
                let settled = simplest.settled.plainText, permits = simplest.permits.plainText
                blocks.append(.paragraph(Localized("Reproduces the table with settled \(settled), permits \(permits) (a full recomputation matches every county and the total within the tolerance).",
                                                   "以落户 \(settled)、持证 \(permits) 的权重重算，可在容差内重现该表（各地区及合计均相符）。")))
            } else {
                blocks.append(.paragraph(Localized("No weights with at most \(SimplestWeights.maxPlaces) decimals reproduce the table within the tolerance.",
                                                   "没有小数位不超过 \(SimplestWeights.maxPlaces) 位的权重能在容差内重现该表。")))
            }
        }
        guard let inference else {
            blocks.append(.paragraph(inferenceGap ?? Localized("nothing to infer", "无可推断")))
            return DocumentSection(key: "weights", title: Localized("Implied weights", "隐含权重"), blocks: blocks)
        }
        func weight(_ value: Rational) -> Localized { Localized(plain: value.decimalString(places: AllocationAudit.weightDecimals)) }
        var lines = [
            DocumentLine("settled", Localized("w_settled inferred", "推断 w_落户"), weight(inference.settledWeight),
                         note: Localized("policy: \((policy.weights[.settled] ?? .zero).plainText)", "政策值：\((policy.weights[.settled] ?? .zero).plainText)")),
            DocumentLine("permits", Localized("w_permits inferred", "推断 w_持证"), weight(inference.permitsWeight),
                         note: Localized("policy: \((policy.weights[.permits] ?? .zero).plainText)", "政策值：\((policy.weights[.permits] ?? .zero).plainText)")),
        ]
        if let optimum = inference.unconstrained {
            if inference.wasClamped {
                lines.append(DocumentLine("unconstrained", Localized("Unconstrained optimum w_settled", "无约束最优 w_落户"), weight(optimum),
                                          note: Localized("outside [0, 1]: moved to the nearer end", "超出 [0, 1]：取较近端点")))
            }
        } else {
            lines.append(DocumentLine("undetermined", Localized("Determined", "可确定"), Localized("no", "否"),
                                      note: Localized("every county has the same share of both factors: any weights give the same amounts; the policy's are shown",
                                                      "各地区两因素比例相同：任何权重结果都一样；显示政策权重")))
        }
        let largest = inference.largestResidual
        lines.append(DocumentLine("largest_residual", Localized("Largest |residual| (元)", "最大残差绝对值（元）"),
                                  Localized(plain: AllocationAudit.yuan(largest))))
        blocks.append(.lines(lines))
        blocks += fitBlocks(rows: fittedRows, fitted: inference.fittedNumerators, residuals: inference.residualNumerators,
                            denominator: inference.denominator)
        return DocumentSection(key: "weights", title: Localized("Implied weights", "隐含权重"), blocks: blocks)
    }

    /// The weights section over every factor (contract §10.1): one inferred weight per factor.
    private func factorFitSection(_ fit: FactorWeightFit) -> DocumentSection {
        let policy = allocation.policy.money
        let names = fit.factors.map(\.key).joined(separator: ", ")
        var blocks: [DocumentBlock] = [.paragraph(Localized(
            "The weights (≥ 0, summing to 1) that best reproduce the published amounts, least squares on the amounts: amount ≈ A × Σ w_f × (share of factor f), shares after coefficients, over the factors \(names).",
            "最能重现公布金额的因素权重（非负、合计为 1），按金额最小二乘：金额 ≈ A × Σ w_f ×（因素 f 比例），比例已乘系数；因素：\(names)。"))]
        func weight(_ value: Rational) -> Localized { Localized(plain: value.decimalString(places: AllocationAudit.weightDecimals)) }
        var lines = fit.factors.map { factor in
            let set = (policy.weights[factor] ?? .zero).plainText
            return DocumentLine(factor.key, Localized("w_\(factor.key) inferred", "推断 w_\(factor.key)"), weight(fit.weights[factor]!),
                                note: Localized("policy: \(set)", "政策值：\(set)"))
        }
        lines.append(DocumentLine("largest_residual", Localized("Largest |residual| (元)", "最大残差绝对值（元）"),
                                  Localized(plain: AllocationAudit.yuan(fit.largestResidual))))
        blocks.append(.lines(lines))
        blocks += fitBlocks(rows: fittedRows, fitted: fit.fittedNumerators, residuals: fit.residualNumerators, denominator: fit.denominator)
        return DocumentSection(key: "weights", title: Localized("Implied weights", "隐含权重"), blocks: blocks)
    }

    /// The counties the flat fit reproduces, as `fitBlocks` lists them.
    private var fittedRows: [StageWeightFit.Row] {
        fittedCounties.map { i in
            let row = allocation.table.rows[i]
            return StageWeightFit.Row(code: row.code, name: row.name, publishedFen: publishedRow[i]!.amountFen)
        }
    }

    /// The weights section of a policy in stages: a two-level policy (contract §10.5), each
    /// stage fitted on its own rows, then the simplest weights of both checked together; or
    /// components (§10.3), each fitted on its published column and searched alone.
    private var stageFitsSection: DocumentSection {
        let policy = allocation.policy.money
        var blocks: [DocumentBlock] = []
        if policy.levels != nil {
            blocks.append(.paragraph(Localized(
                "Each stage's weights (≥ 0, summing to 1) are fitted on its own amounts, least squares, shares after coefficients: the upper stage on the groups' amounts (G_p ≈ A × Σ w_f × the group's share of factor f), the lower stage on the counties of each prefecture (amount ≈ A_p × Σ w_f × the county's share of f within its group).",
                "两级分别按各自金额拟合权重（非负、合计为 1，最小二乘，比例已乘系数）：上级按各组金额（G_p ≈ A × Σ w_f × 该组因素 f 比例），下级按各市所辖地区金额（金额 ≈ A_p × Σ w_f × 该地区在组内的因素 f 比例）。")))
            if let simplest = simplestWeights, let upper = simplest.upperSettled {
                let (settled, permits) = (simplest.settled.plainText, simplest.permits.plainText)
                let (upperSettled, upperPermits) = (upper.plainText, (Rational.one - upper).plainText)
                blocks.append(.paragraph(upper == simplest.settled
                    ? Localized("Reproduces the table with settled \(settled), permits \(permits) in both stages (a full recomputation matches every county, group row and the total within the tolerance).",
                                "两级均以落户 \(settled)、持证 \(permits) 的权重重算，可在容差内重现该表（各地区、各组及合计均相符）。")
                    : Localized("Reproduces the table with settled \(upperSettled), permits \(upperPermits) in the upper stage and settled \(settled), permits \(permits) in the lower stage (a full recomputation matches every county, group row and the total within the tolerance).",
                                "上级以落户 \(upperSettled)、持证 \(upperPermits)，下级以落户 \(settled)、持证 \(permits) 的权重重算，可在容差内重现该表（各地区、各组及合计均相符）。")))
            } else if stageFits.contains(where: { $0.fit?.factors == [.settled, .permits] }) {
                blocks.append(.paragraph(Localized("No weights with at most \(SimplestWeights.maxPlaces) decimals reproduce the table within the tolerance.",
                                                   "没有小数位不超过 \(SimplestWeights.maxPlaces) 位的权重能在容差内重现该表。")))
            }
        } else {
            blocks.append(.paragraph(Localized(
                "Each component's weights (≥ 0, summing to 1) are fitted on its published column amount_<name>, least squares, shares after coefficients: amount_c ≈ A_c × Σ w_f × the county's share of factor f under the component's policy.",
                "各资金分项按公布表的 amount_<分项名> 列分别拟合权重（非负、合计为 1，最小二乘，比例已乘系数）：分项金额 ≈ A_c × Σ w_f × 该地区在该分项下的因素 f 比例。")))
        }
        if let warning = boundsWarning { blocks.append(warning) }
        func weight(_ value: Rational) -> Localized { Localized(plain: value.decimalString(places: AllocationAudit.weightDecimals)) }
        for stage in stageFits {
            let own: MoneyPolicy, title: Localized, path: String
            switch stage.stage {
            case .upper:
                // Without weights of its own the upper stage uses money.weights.
                let upper = policy.levels!.upper
                (own, title, path) = (upper, Localized("Upper stage (the groups)", "上级（各组）"),
                                      upper.weights == policy.weights ? "money.weights" : "levels.upper.money.weights")
            case .lower:
                (own, title, path) = (policy, Localized("Lower stage (the counties of each prefecture)", "下级（各市所辖地区）"), "money.weights")
            case .component(let name):
                (own, title, path) = (policy.components.first { $0.name == name }!.money,
                                      Localized("Component \(name) (column amount_\(name))", "资金分项 \(name)（amount_\(name) 列）"),
                                      "money.components.\(name).weights")
            }
            blocks.append(.paragraph(title))
            if case .component(let name) = stage.stage, stage.fit?.factors == [.settled, .permits] {
                if let simplest = componentSimplestWeights[name] {
                    let (settled, permits) = (simplest.settled.plainText, simplest.permits.plainText)
                    blocks.append(.paragraph(Localized("Reproduces the column with settled \(settled), permits \(permits) (a full recomputation matches every county's amount_\(name) within the tolerance).",
                                                       "以落户 \(settled)、持证 \(permits) 的权重重算，可在容差内重现该列（各地区 amount_\(name) 均相符）。")))
                } else {
                    blocks.append(.paragraph(Localized("No weights with at most \(SimplestWeights.maxPlaces) decimals reproduce the column within the tolerance.",
                                                       "没有小数位不超过 \(SimplestWeights.maxPlaces) 位的权重能在容差内重现该列。")))
                }
            }
            guard let fit = stage.fit else {
                blocks.append(.paragraph(stage.gap ?? Localized("nothing to infer", "无可推断")))
                continue
            }
            let prefix = stage.stage.key + "_"
            var lines = fit.factors.map { factor in
                let set = (own.weights[factor] ?? .zero).plainText
                // Undetermined: every weight fits as well, so the policy's is shown (as for a flat table).
                return DocumentLine(prefix + "w_" + factor.key, Localized("w_\(factor.key) inferred", "推断 w_\(factor.key)"),
                                    weight(fit.isDetermined ? fit.weights[factor]! : own.weights[factor] ?? .zero),
                                    note: Localized("policy (\(path)): \(set)", "政策值（\(path)）：\(set)"))
            }
            if !fit.isDetermined {
                lines.append(DocumentLine(prefix + "undetermined", Localized("Determined", "可确定"), Localized("no", "否"),
                                          note: Localized("every row has the same share of the factors: any weights fit as well; the policy's are shown and kept",
                                                          "各行各因素比例相同：任何权重拟合得一样好；显示并沿用政策权重")))
            }
            lines.append(DocumentLine(prefix + "largest_residual", Localized("Largest |residual| (元)", "最大残差绝对值（元）"),
                                      Localized(plain: AllocationAudit.yuan(fit.largestResidual))))
            blocks.append(.lines(lines))
            blocks += fitBlocks(rows: stage.rows, fitted: fit.fittedNumerators, residuals: fit.residualNumerators,
                                denominator: fit.denominator, key: prefix + "residuals", warnsOfBounds: false)
        }
        return DocumentSection(key: "weights", title: Localized("Implied weights", "隐含权重"), blocks: blocks)
    }

    /// The warning when bounds bind (a county, group or component at a floor or cap); with two
    /// levels the one at a bound may be a group.
    private var boundsWarning: DocumentBlock? {
        guard boundsBind else { return nil }
        return .paragraph(allocation.policy.money.levels == nil
            ? Localized("Bounds bind in the recomputation (some county is at a floor or cap), so amounts are not linear in the weights: the inferred weights are only indicative.",
                        "重算中有约束生效（部分地区处于保底或封顶），金额与权重不成线性关系：推断权重仅供参考。")
            : Localized("Bounds bind in the recomputation (some county or group is at a floor or cap), so amounts are not linear in the weights: the inferred weights are only indicative.",
                        "重算中有约束生效（部分地区或分组处于保底或封顶），金额与权重不成线性关系：推断权重仅供参考。"))
    }

    /// What follows the inferred weights, for two factors or many: the warning when bounds bind,
    /// then each fitted row's published amount, fitted amount and residual (fen over
    /// `denominator`).
    private func fitBlocks(rows: [StageWeightFit.Row], fitted: [BigInt], residuals: [BigInt], denominator: BigInt,
                           key: String = "residuals", warnsOfBounds: Bool = true) -> [DocumentBlock] {
        var blocks: [DocumentBlock] = []
        if warnsOfBounds, let warning = boundsWarning { blocks.append(warning) }
        let columns = [
            ReportColumn("code", "区划代码", isText: true), ReportColumn("name", "名称", isText: true),
            ReportColumn("published", "公布金额(元)"), ReportColumn("fitted", "拟合金额(元)"), ReportColumn("residual", "残差(元)"),
        ]
        blocks.append(.table(key: key, columns: columns, rows: rows.enumerated().map { k, row in
            [Localized(plain: row.code),
             row.isFromCounties ? Localized("\(row.name) (from its counties)", "\(row.name)（由所辖地区推算）") : Localized(plain: row.name),
             Localized(plain: AllocationAudit.yuan(row.publishedFen)),
             Localized(plain: AllocationAudit.yuan(fitted[k], denominator)),
             Localized(plain: AllocationAudit.yuan(residuals[k], denominator))]
        }))
        return blocks
    }

    /// Fen as 元 with 2 decimals, rounded half away from zero.
    static func yuan(_ fen: Rational) -> String { yuan(fen.numerator, fen.denominator) }

    /// numerator/denominator fen (denominator > 0, not necessarily in lowest terms) as 元 with
    /// 2 decimals, rounded half away from zero to the fen, without reducing the fraction.
    static func yuan(_ numerator: BigInt, _ denominator: BigInt) -> String {
        let twice = 2 * BigInt(numerator.magnitude) + denominator
        let fen = twice / (2 * denominator)
        return Rational.fixedPoint(numerator.sign == .minus ? -fen : fen, places: 2)
    }
}
