import BigInt

/// Each county's land demand (contract §4.1–4.3): the per-capita standard from the tiers,
/// the persons it applies to, and the demand in m² and in precision units of the policy's unit.
///
/// Worked example (default tiers, 亩 with 2 decimals, so one precision unit is 20/3 m²):
///
///     land_per_capita 96 m² → tier 1, 100 m²/person; 1,200 settlers → 120,000 m²
///     = 120,000 · 3/2000 亩 = 180 亩 = 18,000 precision units
public struct LandDemand: Sendable {
    /// Persons: current-year settlers + permit_weight · permit_holders.
    public let persons: [Rational]
    /// Index of the tier used (nil when exempt or without land_per_capita).
    public let tierIndex: [Int?]
    /// Standard after the adjustment, m² per person (0 when exempt; nil without land_per_capita).
    public let standards: [Rational?]
    /// persons · standard, m².
    public let demandM2: [Rational]
    /// One precision unit (10^−decimals of the policy unit) in m².
    public let precisionM2: Rational
    /// demandM2 / precisionM2: D_i.
    public let demandUnits: [Rational]
    /// D = ΣD_i (only reports print it; the split sums its integers instead).
    public var totalUnits: Rational { demandUnits.reduce(.zero, +) }

    /// - Throws: `InputError` for a row with settlers and no land_per_capita, a value above the
    ///   last tier, or permit_weight > 0 without permit_holders (the first that `problems` lists).
    public init(table: SettlementTable, policy: LandPolicy) throws(InputError) {
        self.init(placement: try Placement(table: table, policy: policy), policy: policy)
    }

    /// Each county's persons and tier (§4.1–4.2): what the tiers' standards, the adjustment, the
    /// unit and the decimals do not change. Reads permit_weight and the tiers' up_to only
    /// (`key`), so a sweep of another land value computes it once; the persons read
    /// permit_weight alone, so a sweep of an up_to takes them from the placement before.
    struct Placement: Sendable {
        /// The land policy values a placement reads.
        struct Key: Equatable, Sendable {
            var permitWeight: Rational
            var upTo: [Rational?]

            init(_ policy: LandPolicy) {
                permitWeight = policy.permitWeight
                upTo = policy.tiers.map(\.upTo)
            }
        }

        let key: Key
        let persons: [Rational]
        /// Index of the tier used (nil when exempt or without land_per_capita).
        let tierIndex: [Int?]
        let exempt: [Bool]

        /// - Parameter previous: a placement of the same table; its persons are taken when it
        ///   was computed with the same permit_weight.
        /// - Throws: as `LandDemand.init`.
        init(table: SettlementTable, policy: LandPolicy, previous: Placement? = nil) throws(InputError) {
            try LandDemand.checkPermitColumn(table: table, policy: policy)
            key = Key(policy)
            let kept = previous.flatMap { $0.key.permitWeight == policy.permitWeight ? $0.persons : nil }
            var persons: [Rational] = [], tiers: [Int?] = [], exempt: [Bool] = []
            let n = table.rows.count
            persons.reserveCapacity(n)
            tiers.reserveCapacity(n)
            exempt.reserveCapacity(n)
            // Rows read in place: a copied row retains every one of its fields.
            try table.rows.withUnsafeBufferPointer { (rows) throws(InputError) in
                for i in rows.indices {
                    let cells = DemandCells(rows[i])
                    let people = kept?[i] ?? LandDemand.persons(cells, policy: policy)
                    let county = try LandDemand.county(cells, persons: people, policy: policy, table: table)
                    persons.append(people)
                    tiers.append(county.tier)
                    exempt.append(county.exempt)
                }
            }
            self.persons = persons
            tierIndex = tiers
            self.exempt = exempt
        }
    }

    /// The demand of counties placed by `placement` (computed under a policy with the same
    /// `Placement.Key`), with `policy`'s standards, adjustment, unit and decimals.
    init(placement: Placement, policy: LandPolicy) {
        precisionM2 = policy.unit.squareMetres / Rational(BigInt(10).power(policy.decimals))
        let precision = precisionM2
        let tierStandards = LandStandard.standards(policy: policy)
        var standards: [Rational?] = [], demand: [Rational] = [], units: [Rational] = []
        let n = placement.persons.count
        standards.reserveCapacity(n)
        demand.reserveCapacity(n)
        units.reserveCapacity(n)
        for i in 0..<n {
            let standard = placement.exempt[i] ? LandStandard.exempt : placement.tierIndex[i].map { tierStandards[$0] }
            let m2 = placement.persons[i] * (standard ?? .zero)
            standards.append(standard)
            demand.append(m2)
            units.append(m2 / precision)
        }
        persons = placement.persons
        tierIndex = placement.tierIndex
        self.standards = standards
        demandM2 = demand
        demandUnits = units
    }

    /// Every problem `init` would meet, in table order, not only the first (for `validate`).
    ///
    /// - Complexity: O(rows × tiers).
    public static func problems(table: SettlementTable, policy: LandPolicy) -> [InputError] {
        var problems: [InputError] = []
        do { try checkPermitColumn(table: table, policy: policy) } catch { problems.append(error) }
        for row in table.rows {
            let cells = DemandCells(row)
            do { _ = try county(cells, persons: persons(cells, policy: policy), policy: policy, table: table) } catch {
                problems.append(error)
                // Without the column every county with persons says the same thing: once is enough.
                if !table.hasLandPerCapita { break }
            }
        }
        return problems
    }

    private static func checkPermitColumn(table: SettlementTable, policy: LandPolicy) throws(InputError) {
        if policy.permitWeight > .zero && !table.hasPermitHolders {
            throw InputError(file: table.file, line: table.headerLine, column: "permit_holders",
                             problem: "is missing, but land.permit_weight is \(policy.permitWeight.plainText)",
                             accepted: "a permit_holders (居住证持有人数) column, or land.permit_weight = 0")
        }
    }

    /// The cells of a row the demand reads: built from the row's fields in place, where
    /// passing the row itself copied it (retaining every one of its fields) at every county of
    /// every value of a land sweep.
    private struct DemandCells {
        let line: Int
        let code: String
        let currentSettlers: BigInt
        let permitHolders: BigInt
        let landExempt: Bool
        let landPerCapita: Rational?

        @inline(__always)
        init(_ row: borrowing SettlementRow) {
            line = row.line
            code = row.code
            currentSettlers = row.currentSettlers
            permitHolders = row.permitHolders
            landExempt = row.landExempt
            landPerCapita = row.landPerCapita
        }
    }

    /// One county's persons for land (§4.1): current-year settlers + permit_weight · permit holders.
    private static func persons(_ row: DemandCells, policy: LandPolicy) -> Rational {
        Rational(row.currentSettlers) + policy.permitWeight * Rational(row.permitHolders)
    }

    /// One county's tier, and whether it is exempt (§4.1–4.2), given its `persons`.
    private static func county(_ row: DemandCells, persons people: Rational, policy: LandPolicy,
                               table: SettlementTable) throws(InputError) -> (tier: Int?, exempt: Bool) {
        if row.landExempt { return (nil, true) }
        if let perCapita = row.landPerCapita {
            guard let tier = LandStandard.tier(perCapita: perCapita, policy: policy) else {
                throw InputError(file: table.file, line: row.line, column: table.label("land_per_capita"), value: perCapita.plainText,
                                 problem: "is above the last tier's up_to (\(policy.tiers.last!.upTo!.plainText) m²) of land.tiers",
                                 accepted: "a value within the tiers, or a policy whose last tier has no up_to")
            }
            return (tier, false)
        }
        if people > .zero && !table.hasLandPerCapita {
            throw InputError(file: table.file, line: table.headerLine, column: "land_per_capita",
                             problem: "is missing, but land is computed (the table has a land_exempt column or a budget scenario has a land quota) and county \(row.code) on line \(row.line) has \(people.plainText) persons for land",
                             accepted: "a land_per_capita (现状人均城镇建设用地) column in m², or no land_quota in the budget")
        }
        if people > .zero {
            throw InputError(file: table.file, line: row.line, column: table.label("land_per_capita"), value: "",
                             problem: "is empty for county \(row.code), which has \(people.plainText) persons for land",
                             accepted: "its current per-capita urban construction land in m², or land_exempt = 1")
        }
        return (nil, false)
    }
}
