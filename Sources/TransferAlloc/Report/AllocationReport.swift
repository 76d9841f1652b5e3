import BigInt

/// The output of `allocate` in every format (contract §5). All formats take their numbers
/// from `cells(scenario:county:)`, so a CSV and a Markdown table of one run agree digit for digit.
public struct AllocationReport: Sendable {
    public let allocation: Allocation
    public let language: ReportLanguage
    /// The unit of money in the formats people read (text, Markdown, HTML); CSV and JSON keep 元.
    public let moneyUnit: MoneyUnit

    public init(_ allocation: Allocation, language: ReportLanguage = .en, moneyUnit: MoneyUnit = .yuan) {
        self.allocation = allocation
        self.language = language
        self.moneyUnit = moneyUnit
    }

    /// An amount in 元 as the reader's formats show it: in `moneyUnit`, with its unit.
    func money(_ yuan: String) -> String { ReadableNumbers.phrase(yuan + " 元", in: moneyUnit, grouping: false) }

    /// Decimals printed for a share.
    public static let shareDecimals = 10

    var hasLand: Bool { allocation.scenarios.contains { $0.land != nil } }

    /// The policy's components (contract §10.3), empty without.
    var components: [MoneyComponent] { allocation.policy.money.components }

    /// Whether the policy has two levels (contract §10.5): outputs add `level`, `group`,
    /// `retained` and one row per group.
    var hasLevels: Bool { allocation.policy.money.levels != nil }

    /// The per-county columns, depending on the factors weighed, land and prev_amount.
    public var columns: [ReportColumn] {
        var columns = [
            ReportColumn("scenario", "方案", isText: true),
            ReportColumn("code", "区划代码", isText: true),
            ReportColumn("name", "名称", isText: true),
            ReportColumn("settlers", "当年落户人数"),
        ]
        if hasLevels {
            // Two levels (contract §10.5): which level a row is, and each row's group.
            columns.insert(ReportColumn("level", "级次", isText: true), at: 1)
            columns.insert(ReportColumn("group", "所属分组代码", isText: true), at: 4)
        }
        if components.isEmpty {
            for factor in allocation.factors.factors { columns.append(AllocationReport.factorColumn(factor)) }
        } else {
            for (component, factors) in zip(components, allocation.componentFactors) {
                for factor in factors.factors { columns.append(AllocationReport.factorColumn(factor, component: component.name)) }
            }
        }
        columns += [
            ReportColumn("coefficient", "系数"),
            ReportColumn("share", "分配比例"),
            ReportColumn("amount", "分配金额(元)"),
        ]
        if hasLevels { columns.append(ReportColumn("retained", "市本级(元)")) }
        columns += [
            ReportColumn("amount_per_settler", "人均金额(元)"),
            ReportColumn("bound", "约束", isText: true),
        ]
        for component in components {
            columns += [
                ReportColumn("amount_" + component.name, "分配金额_\(component.name)(元)"),
                ReportColumn("bound_" + component.name, "约束_" + component.name, isText: true),
            ]
        }
        if hasLand {
            let unit = allocation.policy.land.unit.chineseName
            columns += [
                ReportColumn("land_standard", "人均用地标准(平方米)"),
                ReportColumn("land_demand_m2", "用地需求(平方米)"),
                ReportColumn("land_quota", "用地指标(\(unit))"),
            ]
        }
        if allocation.table.hasPrevAmount {
            columns += [ReportColumn("prev_amount", "上年分配金额(元)"), ReportColumn("change", "增减额(元)")]
        }
        if allocation.table.hasAdvance {
            columns += [ReportColumn("advance", "已提前下达金额(元)"), ReportColumn("release", "清算金额(元)")]
        }
        return columns
    }

    /// The column of a factor's value v (before coefficients): `<factor>_factor`, one per
    /// weighted factor in factor order (settled, permits, then by key), right after `settlers`.
    ///
    ///     AllocationReport.factorColumn(Factor(key: "migrant_pupils")).key   // "migrant_pupils_factor"
    public static func factorColumn(_ factor: Factor, component: String? = nil) -> ReportColumn {
        let chinese: String = switch factor.key {
        case Factor.settled.key: "落户因素值"
        case Factor.permits.key: "持证因素值"
        case "migrant_pupils": "随迁子女因素值"
        default: factor.key + "因素值"
        }
        // With components, each component's adjusted values: `<factor>_factor_<name>`.
        let suffix = component.map { "_" + $0 } ?? ""
        return ReportColumn(factor.key + "_factor" + suffix, chinese + suffix)
    }


    /// A factor or coefficient value: exact decimal when finite (always, for decimal inputs).
    static func exact(_ value: Rational) -> String { value.exactDecimalString ?? value.decimalString(places: 6) }

    /// The formatted cells of one county in one scenario, in `columns` order.
    public func cells(scenario s: Int, county i: Int) -> [String] { rowCells(scenario: s).cells(i) }

    /// The formatter of one scenario's rows: what every row of the scenario shares is looked up
    /// once, so a table of thousands of rows copies no per-scenario structure per row.
    func rowCells(scenario s: Int) -> RowCells {
        RowCells(run: allocation.scenarios[s], table: allocation.table, factors: allocation.factors,
                 demand: hasLand ? allocation.landDemand : nil, hasLand: hasLand, language: language,
                 shares: components.map(\.share))
    }

    /// Formats rows of one scenario (see `cells(scenario:county:)`).
    struct RowCells {
        let run: ScenarioAllocation
        let table: SettlementTable
        let factors: FactorTable
        let demand: LandDemand?
        let hasLand: Bool
        let language: ReportLanguage
        /// v_{i,f} per weighed factor, in column order (with components: each component's in turn).
        let factorValues: [[Rational]]
        /// The components' shares (empty without components).
        let shares: [Rational]
        /// With components: the county's share Σ_c share_c·N_ic/D_c over one denominator L,
        /// as Σ_c multipliers[c]·N_ic / L (no gcd per county: the denominators run to hundreds of
        /// digits on a national table).
        let componentShareDenominator: BigInt
        let componentShareMultipliers: [BigInt]
        /// Each component's N_ic, units, granularity and bounds, taken out of its allocation once
        /// per scenario: a row reading them through the component copied the whole component
        /// (policy, factors, allocation) per county.
        let componentShareNumerators: [[BigInt]]
        let componentUnits: [[BigInt]]
        let componentGranularityFen: [BigInt]
        let componentBounds: [[BoundKind]]

        init(run: ScenarioAllocation, table: SettlementTable, factors: FactorTable, demand: LandDemand?,
             hasLand: Bool, language: ReportLanguage, shares: [Rational] = []) {
            self.run = run
            self.table = table
            self.factors = factors
            self.demand = demand
            self.hasLand = hasLand
            self.language = language
            self.shares = shares
            let parts = run.money.components
            componentShareNumerators = parts.map(\.factors.shareNumerators)
            componentUnits = parts.map(\.money.apportionment.units)
            componentGranularityFen = parts.map(\.money.granularityFen)
            componentBounds = parts.map(\.money.apportionment.bound)
            if parts.isEmpty {
                factorValues = factors.factors.map { factors.values[$0]! }
                componentShareDenominator = 1
                componentShareMultipliers = []
            } else {
                factorValues = run.money.components.flatMap { part in part.factors.factors.map { part.factors.values[$0]! } }
                // share_c / D_c for each component, over their common denominator L.
                let perUnit = run.money.components.map { Rational($0.share.numerator, $0.share.denominator * $0.factors.shareDenominator) }
                let common = commonMultiple(ofDenominators: perUnit)
                componentShareDenominator = common
                componentShareMultipliers = perUnit.map { $0.numerator * (common / $0.denominator) }
            }
        }

        /// With components: the county's share of the money before bounds, Σ_c share_c·s_{i,c},
        /// as 10-decimal text.
        func componentShareText(_ i: Int) -> String {
            var numerator = BigInt(0)
            for c in componentShareNumerators.indices {
                numerator += componentShareMultipliers[c] * componentShareNumerators[c][i]
            }
            return Rational.decimalString(numerator: numerator, denominator: componentShareDenominator,
                                          places: AllocationReport.shareDecimals)
        }

        func cells(_ i: Int) -> [String] {
            // The cells read in place rather than the row copied (which retains every field).
            let code = table.rows[i].code, name = table.rows[i].name
            let settlers = table.rows[i].currentSettlers
            let amount = run.money.amountFen(i)
            var cells: [String] = []
            cells.reserveCapacity(16)
            if let levels = run.money.levels {
                let group = levels.groups.groups[levels.groups.groupOfRow[i]]
                cells += [run.scenario.name, AllocationReport.levelText(group.isDirect ? .direct : .county, language),
                          code, name, group.code, settlers.decimalText]
            } else {
                cells += [run.scenario.name, code, name, settlers.decimalText]
            }
            for values in factorValues { cells.append(AllocationReport.exact(values[i])) }
            let parts = run.money.components
            if let levels = run.money.levels {
                // The share within the group (a direct county: its group's share of the upper stage).
                let share = levels.shareTerms(ofRow: i)
                cells.append(AllocationReport.exact(factors.coefficientProducts[i]))
                cells.append(Rational.decimalString(numerator: share.numerator, denominator: share.denominator,
                                                    places: AllocationReport.shareDecimals))
            } else if parts.isEmpty {
                cells.append(AllocationReport.exact(factors.coefficientProducts[i]))
                cells.append(Rational.decimalString(numerator: factors.shareNumerators[i], denominator: factors.shareDenominator,
                                                    places: AllocationReport.shareDecimals))
            } else {
                // Each component has its own coefficients: the whole has no one product.
                cells.append("")
                cells.append(componentShareText(i))
            }
            cells.append(Rational.yuan(amount))
            if run.money.levels != nil { cells.append("") }
            cells.append(settlers.isZero ? "" : AllocationReport.perSettler(amount, settlers))
            if parts.isEmpty {
                let bound = run.money.apportionment.bound[i]
                cells.append(language == .zh ? bound.chineseName : bound.rawValue)
            } else {
                cells.append("")
                for c in componentUnits.indices {
                    cells.append(Rational.yuan(componentUnits[c][i] * componentGranularityFen[c]))
                    let bound = componentBounds[c][i]
                    cells.append(language == .zh ? bound.chineseName : bound.rawValue)
                }
            }
            if hasLand {
                if let land = run.land, let demand {
                    cells.append(demand.standards[i].map(AllocationReport.exact) ?? "")
                    cells.append(demand.demandM2[i].decimalString(places: 2))
                    cells.append(land.text(land.units[i]))
                } else {
                    cells += ["", "", ""]
                }
            }
            if table.hasPrevAmount {
                if let prev = table.rows[i].prevAmount {
                    cells.append(prev.decimalString(places: 2))
                    cells.append(AllocationReport.change(amount, from: prev))
                } else {
                    cells += ["", ""]
                }
            }
            if table.hasAdvance {
                let advance = table.rows[i].advanceFen
                cells.append(Rational.yuan(advance))
                cells.append(Rational.yuan(Advance.releaseFen(amountFen: amount, advanceFen: advance)))
            }
            return cells
        }
    }

    /// 元 per current-year settler, 2 decimals: amount / (settlers · 100), in `Rational`
    /// arithmetic (word-sized for every value of the supported range).
    static func perSettler(_ amountFen: BigInt, _ settlers: BigInt) -> String {
        (Rational(amountFen, 100) / Rational(settlers)).decimalString(places: 2)
    }

    /// amount − prev in 元, 2 decimals.
    static func change(_ amountFen: BigInt, from prev: Rational) -> String {
        (Rational(amountFen, 100) - prev).decimalString(places: 2)
    }

    /// One table of every scenario's rows, scenarios in budget order, counties in input order
    /// (with levels, by group: `tableRows`).
    public var table: ReportTable {
        var table = ReportTable(columns: columns)
        table.rows.reserveCapacity(allocation.scenarios.count * allocation.table.rows.count)
        for s in allocation.scenarios.indices {
            if hasLevels { table.rows += tableRows(scenario: s); continue }
            let formatter = rowCells(scenario: s)
            for i in allocation.table.rows.indices { table.rows.append(formatter.cells(i)) }
        }
        return table
    }

    /// A line of a scenario's table: a county, or with levels a group's row.
    enum TableLine: Equatable {
        case county(Int)
        case group(Int)
    }

    /// The lines of one scenario's table: the counties in input order; with levels (contract
    /// §10.5) the groups in order of their first row, each non-direct group's row before its
    /// counties (in input order).
    func tableLines(scenario s: Int) -> [TableLine] {
        guard let levels = allocation.scenarios[s].money.levels else { return allocation.table.rows.indices.map(TableLine.county) }
        var lines: [TableLine] = []
        lines.reserveCapacity(allocation.table.rows.count + levels.groups.groups.count)
        for (p, group) in levels.groups.groups.enumerated() {
            if !group.isDirect { lines.append(.group(p)) }
            lines += group.rows.map(TableLine.county)
        }
        return lines
    }

    /// The cells of one scenario's table, line by line (`tableLines`), in `columns` order.
    func tableRows(scenario s: Int) -> [[String]] {
        let formatter = rowCells(scenario: s)
        let keys = columns.map(\.key)
        return tableLines(scenario: s).map { line in
            switch line {
            case .county(let i): formatter.cells(i)
            case .group(let p): groupCells(scenario: s, group: p, keys: keys)
            }
        }
    }

    /// Which level a row of the table is (contract §10.5).
    enum Level: String {
        case county, direct, group

        var chineseName: String {
            switch self {
            case .county: "县级"
            case .direct: "省直管"
            case .group: "市级"
            }
        }
    }

    static func levelText(_ level: Level, _ language: ReportLanguage) -> String {
        language == .zh ? level.chineseName : level.rawValue
    }

    /// A group's row: its code and name, its rows' settlers, its share of the upper stage, G_p,
    /// R_p, its upper-stage bound, its rows' land and prev_amount summed; no factor values or
    /// coefficient (they are its counties'), no advance.
    func groupCells(scenario s: Int, group p: Int, keys: [String]) -> [String] {
        let run = allocation.scenarios[s]
        let levels = run.money.levels!
        let group = levels.groups.groups[p]
        let groupRow = levels.groups.groupTable.rows[p]
        let amount = levels.groupFen(p)
        let share = levels.upperFactors.share(p)
        let bound = levels.upper.apportionment.bound[p]
        var values: [String: String] = [
            "scenario": run.scenario.name, "level": AllocationReport.levelText(.group, language),
            "code": group.code, "name": group.name, "group": group.code,
            "settlers": groupRow.currentSettlers.decimalText,
            "share": Rational.decimalString(numerator: share.numerator, denominator: share.denominator,
                                            places: AllocationReport.shareDecimals),
            "amount": Rational.yuan(amount), "retained": Rational.yuan(levels.retainedFen[p]),
            "amount_per_settler": groupRow.currentSettlers.isZero ? "" : AllocationReport.perSettler(amount, groupRow.currentSettlers),
            "bound": language == .zh ? bound.chineseName : bound.rawValue,
        ]
        if let land = run.land, let demand = allocation.landDemand {
            values["land_demand_m2"] = group.rows.reduce(Rational.zero) { $0 + demand.demandM2[$1] }.decimalString(places: 2)
            values["land_quota"] = land.text(group.rows.reduce(BigInt(0)) { $0 + land.units[$1] })
        }
        if let prev = groupRow.prevAmount {
            values["prev_amount"] = prev.decimalString(places: 2)
            values["change"] = AllocationReport.change(amount, from: prev)
        }
        return keys.map { values[$0] ?? "" }
    }

    public func csv(excel: Bool) -> String { table.csv(language: language, excel: excel) }

    /// Scenario totals, formatted.
    public struct Totals: Sendable {
        public var fundTotal: String
        public var reserve: String
        public var allocated: String
        public var settlers: String
        public var landQuota: String?
        public var landAllocated: String?
        public var landUnallocated: String?
        public var landDemand: String?
        /// With components: each component's total A_c (`allocated_<name>`), in the policy's order.
        public var componentAllocated: [(name: String, allocated: String)] = []
        /// With an `advance` column: Σ advance and Σ release.
        public var advanceTotal: String?
        public var releaseTotal: String?
        /// With levels: Σ R_p, what the prefectures keep (市本级).
        public var retained: String?
    }

    public func totals(scenario s: Int) -> Totals {
        let run = allocation.scenarios[s]
        let land = run.land
        let demand = allocation.landDemand
        let settlers = allocation.table.rows.reduce(BigInt(0)) { $0 + $1.currentSettlers }
        var totals = Totals(
            fundTotal: Rational.yuan(run.money.budgetFen),
            reserve: Rational.yuan(run.money.reserveFen),
            allocated: Rational.yuan(run.money.allocatedFen),
            settlers: String(settlers),
            landQuota: land?.quotaUnits.map { land!.text($0) },
            landAllocated: land.map { $0.text($0.allocatedUnits ?? $0.units.reduce(0, +)) },
            landUnallocated: land?.unallocatedUnits.map { land!.text($0) },
            landDemand: land != nil ? demand.map { ($0.totalUnits * Rational(BigInt(10).power(allocation.policy.land.decimals)).inverse).decimalString(places: allocation.policy.land.decimals) } : nil)
        totals.componentAllocated = run.money.components.map { ($0.name, Rational.yuan($0.money.allocatedFen)) }
        if let levels = run.money.levels { totals.retained = Rational.yuan(levels.retainedFen.reduce(BigInt(0), +)) }
        if allocation.table.hasAdvance {
            let (advance, release) = Advance.totalsFen(amountsFen: run.money.amountsFen,
                                                       advancesFen: allocation.table.rows.map(\.advanceFen))
            totals.advanceTotal = Rational.yuan(advance)
            totals.releaseTotal = Rational.yuan(release)
        }
        return totals
    }

    /// The policy block every format shows: label (illustrative when the default is used),
    /// every value with its source.
    public var policyJSON: JSONOutput { AllocationReport.policyJSON(allocation.policy) }

    /// The policy block of any JSON output (allocate, whatif, sweep).
    public static func policyJSON(_ policy: Policy) -> JSONOutput {
        // The versions and the year appear only when there are some (contract §10.6), so
        // version-1 outputs keep their bytes.
        var dated: [(String, JSONOutput)] = []
        if !policy.versions.isEmpty { dated.append(("versions", .array(policy.versions.map(JSONOutput.string)))) }
        if let year = policy.year { dated.append(("year", .string(String(year)))) }
        return .object([
            ("label", .string(policy.label)),
            ("name", .string(policy.name)),
            ("illustrative", .bool(policy.isIllustrative)),
            ("values", .object(policy.values.map { value in
                // Only the optional bounds can be null; a name "null" stays a string.
                (value.path, (value.path.hasPrefix("money.bounds.") || value.path.hasPrefix("levels.upper.money.bounds.")
                               || value.path == "levels") && value.text == "null" ? .null : .string(value.text))
            })),
            ("sources", .object(policy.sources.keys.sorted().map { ($0, .string(policy.sources[$0]!)) })),
            ("illustrative_values", .array(policy.values.filter(\.isIllustrative).map { .string($0.path) })),
        ] + dated)
    }

    /// JSON is for programs: keys and values are the English ones whatever `--lang` says.
    public var json: String {
        guard language == .en else { return AllocationReport(allocation, language: .en).json }
        let keys = columns.map(\.key)
        var scenarios: [JSONOutput] = []
        for (s, run) in allocation.scenarios.enumerated() {
            let totals = self.totals(scenario: s)
            var rows: [JSONOutput] = []
            let formatter = rowCells(scenario: s)
            for i in allocation.table.rows.indices {
                let cells = formatter.cells(i)
                var members: [(String, JSONOutput)] = []
                for (key, value) in zip(keys, cells) where key != "scenario" {
                    // Absent values are null, not "", so programs need not parse empty strings.
                    members.append((key, value.isEmpty && !["name", "code"].contains(key) ? .null : .string(value)))
                }
                rows.append(.object(members))
            }
            var members: [(String, JSONOutput)] = [
                ("scenario", .string(run.scenario.name)),
                ("fund_total", .string(totals.fundTotal)),
                ("reserve", .string(totals.reserve)),
                ("allocated", .string(totals.allocated)),
            ]
            members += totals.componentAllocated.map { ("allocated_" + $0.name, .string($0.allocated)) }
            if let advance = totals.advanceTotal, let release = totals.releaseTotal {
                members += [("advance_total", .string(advance)), ("release_total", .string(release))]
            }
            members += [
                ("granularity", .string(Rational.yuan(run.money.granularityFen))),
                ("settlers", .string(totals.settlers)),
            ]
            members.append(("land_unit", run.land != nil ? .string(allocation.policy.land.unit.rawValue) : .null))
            members.append(("land_demand", totals.landDemand.map(JSONOutput.string) ?? .null))
            members.append(("land_quota", totals.landQuota.map(JSONOutput.string) ?? .null))
            members.append(("land_allocated", totals.landAllocated.map(JSONOutput.string) ?? .null))
            members.append(("land_unallocated", totals.landUnallocated.map(JSONOutput.string) ?? .null))
            if let levels = run.money.levels {
                members.append(("retained", .string(totals.retained ?? "0.00")))
                members.append(("groups", .array(levels.groups.groups.indices.map { p in
                    let group = levels.groups.groups[p]
                    return .object([
                        ("code", .string(group.code)), ("name", .string(group.name)),
                        ("direct", .bool(group.isDirect)),
                        ("amount", .string(Rational.yuan(levels.groupFen(p)))),
                        ("retained", .string(Rational.yuan(levels.retainedFen[p]))),
                        ("allocated", .string(Rational.yuan(levels.groupAllocatedFen(p)))),
                        ("bound", .string(levels.upper.apportionment.bound[p].rawValue)),
                    ])
                })))
            }
            members.append(("rows", .array(rows)))
            scenarios.append(.object(members))
        }
        return JSONOutput.object([("policy", policyJSON), ("scenarios", .array(scenarios))]).rendered()
    }

    public var markdown: String {
        let zh = language == .zh
        let policy = allocation.policy
        var out = zh ? "# 资金与用地分配结果\n\n" : "# Allocation\n\n"
        let label = zh && policy.isIllustrative && policy.label.hasPrefix("illustrative default")
            ? "内置示例政策" + policy.label.dropFirst("illustrative default".count) : policy.label
        out += (zh ? "政策：" : "Policy: ") + ReportTable.escapeMarkdown(label)
        if policy.isIllustrative { out += zh ? "（示例参数，非正式政策）" : " (illustrative values, not an official policy)" }
        out += "\n"
        let borrowed = policy.values.filter(\.isIllustrative).map(\.path)
        if !policy.isIllustrative && !borrowed.isEmpty {
            out += (zh ? "\n未在政策文件中设定、沿用内置示例值：" : "\nValues the policy file does not set, taken from the illustrative default: ")
                + borrowed.map { "`\($0)`" }.joined(separator: ", ") + "\n"
        }
        for (s, run) in allocation.scenarios.enumerated() {
            let t = totals(scenario: s)
            out += "\n## " + (zh ? "方案 " : "Scenario ") + ReportTable.escapeMarkdown(ReportTable.guardFormula(run.scenario.name)) + "\n\n"
            out += zh ? "- 资金总额：\(money(t.fundTotal))\n- 预留：\(money(t.reserve))\n- 分配：\(money(t.allocated))\n"
                      : "- Fund total: \(money(t.fundTotal))\n- Reserve: \(money(t.reserve))\n- Allocated: \(money(t.allocated))\n"
            for part in t.componentAllocated {
                out += (zh ? "  - 分项 " : "  - Component ") + ReportTable.escapeMarkdown(part.name)
                    + (zh ? "：" : ": ") + money(part.allocated) + "\n"
            }
            if let advance = t.advanceTotal, let release = t.releaseTotal {
                out += zh ? "- 已提前下达：\(money(advance))\n- 清算金额：\(money(release))\n"
                          : "- Advances: \(money(advance))\n- Release (amount − advance): \(money(release))\n"
            }
            if run.land != nil {
                let unit = policy.land.unit.chineseName
                if let demand = t.landDemand { out += (zh ? "- 用地需求：" : "- Land demand: ") + "\(demand) \(unit)\n" }
                if let quota = t.landQuota { out += (zh ? "- 用地指标：" : "- Land quota: ") + "\(quota) \(unit)\n" }
                if let allocated = t.landAllocated { out += (zh ? "- 已安排用地：" : "- Land allocated: ") + "\(allocated) \(unit)\n" }
                if let rest = t.landUnallocated { out += (zh ? "- 未安排用地：" : "- Land unallocated: ") + "\(rest) \(unit)\n" }
            }
            out += "\n"
            let table = scenarioTable(s)
            var footer = Array(repeating: "", count: table.columns.count)
            footer[0] = zh ? "**合计**" : "**Total**"
            for (c, column) in table.columns.enumerated() {
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
            let shown = table.inMoneyUnit(moneyUnit, footer: footer)
            out += shown.table.markdown(language: language, footer: shown.footer)
        }
        return out
    }

    /// Plain text for a terminal: the policy, then per scenario its totals and an aligned table
    /// (numbers grouped by thousands, money in `moneyUnit`) with a totals row.
    public var text: String {
        let zh = language == .zh
        let policy = allocation.policy
        var out = (zh ? "资金与用地分配结果" : "Allocation") + "\n" + AllocationReport.policyText(policy, language)
        let tableColumns = Array(columns.dropFirst())
        for (s, run) in allocation.scenarios.enumerated() {
            out += "\n" + (zh ? "方案 " : "Scenario ") + ReportTable.visible(ReportTable.guardFormula(run.scenario.name)) + "\n"
            out += AllocationReport.alignedItems(totalsItems(scenario: s))
            out += "\n"
            let table = scenarioTable(s)
            let shown = table.inMoneyUnit(moneyUnit, footer: totalsRow(scenario: s, columns: tableColumns))
            out += shown.table.text(language: language, footer: shown.footer)
        }
        return out
    }
}

extension Rational {
    /// 1/x. - Precondition: not zero.
    var inverse: Rational { Rational(denominator, numerator) }
}
