// libFuzzer target: the CSV inputs, from bytes to a computed allocation.
//
// The input is one CSV file. It is read with the encoding detected (contract §8) and forced to
// UTF-8 and to GB18030, then, when it reads, parsed as a settlement table and as a budget table.
// A settlement table that parses is allocated (a fixed budget, the built-in policy and a
// settled-only one) and rendered in every format, and the allocation's invariants are checked:
// a violation is a crash, so the fuzzer reports it like any other.
//
// Rejections (`InputError`, `UnknownScenario`) are the expected outcome for most inputs; anything
// else — a trap, a sanitizer report, a hang, unbounded memory — is a bug.
import TransferAlloc

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    for encoding in [nil, TextEncoding.utf8, .gb18030] {
        guard let csv = try? CSVReader.read(bytes: bytes, file: "fuzz.csv", encoding: encoding) else { continue }
        for record in csv.records where record.fields.count != csv.header.count {
            fatalError("record on line \(record.line) has \(record.fields.count) fields, header \(csv.header.count)")
        }
        _ = BudgetTable.scenarioNames(csv)
        let budget = try? BudgetTable.parse(csv)
        if let budget {
            for scenario in budget.scenarios where scenario.fundFen < 0 {
                fatalError("negative fund \(scenario.fundFen)")
            }
        }
        guard encoding == nil else { continue }
        for coefficientColumns in [["fiscal_coef"], ["fiscal_coef", "stability_coef"]] {
            guard let table = try? SettlementTable.parse(csv, coefficientColumns: coefficientColumns) else { continue }
            allocate(table)
        }
        // A column factor (contract §10.1): its column read as decimals.
        if let table = try? SettlementTable.parse(csv, coefficientColumns: ["fiscal_coef"], factors: [migrantPupils]) {
            for (key, value) in table.rows.flatMap(\.factorValues) where value.isNegative {
                fatalError("negative factor value \(key) \(value)")
            }
            allocate(table, policies: factorPolicies)
        }
    }
    return 0
}

private let policies: [Policy] = [
    Policy.builtInDefault,
    try! PolicyLoader.load(fileBytes: nil, file: nil, overrides: PolicyOverrides(name: "--set", settings: [
        #"money.weights={"settled": "1"}"#, "money.granularity=1", "money.bounds.floor_amount=10",
        "money.bounds.max_growth=0.2", "money.bounds.min_retention=0.8", "land.unit=hectare",
    ])),
    // Two levels (contract §10.5): groups by parent / direct, a retention and an upper-stage floor.
    try! PolicyLoader.load(fileBytes: nil, file: nil, overrides: PolicyOverrides(name: "--set", settings: [
        "levels.retention=0.1", "levels.upper.money.bounds.floor_amount=10",
    ])),
]

private let migrantPupils = Factor(key: "migrant_pupils")

/// A column factor weighed, with the object form of the coefficient columns.
private let factorPolicies: [Policy] = [
    try! PolicyLoader.load(fileBytes: nil, file: nil, overrides: PolicyOverrides(name: "--set", settings: [
        #"money.weights={"settled": "0.5", "permits": "0.3", "随迁子女人数": "0.2"}"#,
        #"money.coefficient_columns={"settled": ["fiscal_coef"], "migrant_pupils": []}"#,
    ])),
]

private let scenarios = [
    Scenario(name: "fuzz", fundFen: 100_000_000_00),
    Scenario(name: "small", fundFen: 7, landQuota: Rational(12345, 100)),
]

private func allocate(_ table: SettlementTable, policies: [Policy] = policies) {
    for policy in policies {
        let allocation: Allocation
        do {
            allocation = try Allocation(table: table, scenarios: scenarios, policy: policy, budgetFile: "fuzz-budget.csv")
        } catch {
            continue
        }
        for run in allocation.scenarios {
            let money = run.money
            let amounts = money.amountsFen
            // With levels the prefectures' retentions are part of A (contract §10.5).
            let retained = money.levels?.retainedFen.reduce(0, +) ?? 0
            guard amounts.reduce(0, +) + retained == money.allocatedFen,
                  money.allocatedFen + money.reserveFen == money.budgetFen else {
                fatalError("money not conserved in \(run.scenario.name)")
            }
            for i in amounts.indices {
                guard amounts[i] >= money.lowerFen[i], money.upperFen[i].map({ amounts[i] <= $0 }) ?? true,
                      amounts[i] % money.granularityFen == 0 else {
                    fatalError("county \(i) amount \(amounts[i]) outside its bounds or off the granularity")
                }
            }
            if let land = run.land, let allocated = land.allocatedUnits {
                guard land.units.reduce(0, +) == allocated, let quota = land.quotaUnits, allocated <= quota else {
                    fatalError("land not conserved in \(run.scenario.name)")
                }
            }
        }
        for language in ReportLanguage.allCases {
            let report = AllocationReport(allocation, language: language)
            _ = report.csv(excel: language == .zh)
            _ = report.json
            _ = report.markdown
            _ = report.html(inputs: ReportInputs(settlement: "fuzz.csv", budget: "fuzz-budget.csv"))
        }
    }
}
