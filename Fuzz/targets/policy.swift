// libFuzzer target: the policy reader (`PolicyLoader`), a policy file and `--set` overrides.
//
// Input layout (text, so seeds stay readable):
//
//     { ...policy file... }
//     %%
//     money.weights.settled=0.7
//     land.tiers[2].standard=90
//
// Everything before the first line `%%` is the policy file; each line after it is one `--set`.
// An input that starts with `%%` has no policy file (the built-in default is used), and an
// input without `%%` is a policy file alone.
//
// Checked: `load` throws exactly the first of `problems`, and succeeds exactly when there are
// none; a loaded policy keeps the contract's ranges (§2.3) and computes a fixed allocation,
// whose invariants hold, without trapping.
import TransferAlloc

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    let (file, overrides) = split(bytes)
    for raw in overrides { _ = try? PolicyLoader.splitOverride(raw, name: "--set") }
    let problems = PolicyLoader.problems(fileBytes: file, file: "fuzz.json", overrides: PolicyOverrides(name: "--set", settings: overrides))
    let policy: Policy
    do {
        policy = try PolicyLoader.load(fileBytes: file, file: "fuzz.json", overrides: PolicyOverrides(name: "--set", settings: overrides))
    } catch {
        guard let first = problems.first, first == error else {
            fatalError("load threw \(error), but problems gave \(problems.first.map(String.init(describing:)) ?? "none")")
        }
        return 0
    }
    guard problems.isEmpty else { fatalError("load succeeded, but problems gave \(problems[0])") }
    check(policy)
    allocate(policy)
    return 0
}

/// Splits the input at the first line that is exactly `%%`.
private func split(_ bytes: [UInt8]) -> (file: [UInt8]?, overrides: [String]) {
    let marker = Array("%%".utf8)
    var lineStart = 0
    while lineStart <= bytes.count {
        var lineEnd = lineStart
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
        if Array(bytes[lineStart..<lineEnd]) == marker {
            let file = lineStart == 0 ? nil : Array(bytes[..<(lineStart - 1)])
            let rest = lineEnd < bytes.count ? Array(bytes[(lineEnd + 1)...]) : []
            let overrides = rest.split(separator: 0x0A, omittingEmptySubsequences: true)
                .map { String(decoding: $0, as: UTF8.self) }
            return (file, overrides)
        }
        lineStart = lineEnd + 1
    }
    return (bytes, [])
}

private func check(_ policy: Policy) {
    let money = policy.money
    guard money.granularityFen > 0, (money.granularity * Rational(100)).isInteger else {
        fatalError("granularity \(money.granularity) is not a positive whole number of fen")
    }
    guard money.weights.values.reduce(Rational.zero, +) == .one,
          money.weights.values.allSatisfy({ !$0.isNegative }) else {
        fatalError("weights \(money.weights) do not sum to 1")
    }
    guard money.originCoefficients.count == OriginKind.allCases.count,
          money.originCoefficients.values.allSatisfy({ !$0.isNegative }),
          money.priorDecay.allSatisfy({ !$0.isNegative }) else {
        fatalError("negative coefficient or decay")
    }
    let land = policy.land
    guard (0...6).contains(land.decimals), !land.tiers.isEmpty,
          land.tiers.dropLast().allSatisfy({ $0.upTo != nil }),
          land.adjustment <= Rational(1, 10), Rational(-1, 10) <= land.adjustment,
          !land.permitWeight.isNegative else {
        fatalError("land policy out of its ranges")
    }
    for value in policy.values { _ = policy.source(for: value.path) }
}

/// Every column the contract knows, two coefficient columns, an exempt row and an empty row.
private let tableText = """
    code,name,cross_province,within_province,within_city,prior_1,prior_2,permit_holders,fiscal_coef,stability_coef,prev_amount,min_amount,max_amount,land_per_capita,land_exempt
    320505,虎丘区,3285,2053,1505,6258,5866,142380,0.85,1.1,18063643.61,,,128.4,0
    320506,吴中区,8979,4835,3454,16440,15130,268415,0.82,0.9,39237517.19,100,,142.6,0
    320507,相城区,4212,2839,2106,8474,7652,151260,0.88,,22454590.13,,90000000,96,0
    320508,姑苏区,994,796,696,2526,2514,95742,0.80,1,8190684.46,,,,1
    320509,新区,0,0,0,0,0,0,1,1,,,,,1

    """

private let scenarios = [
    Scenario(name: "fuzz", fundFen: 500_000_000_00, reserve: .ratio(Rational(1, 20)), landQuota: Rational(20000)),
    Scenario(name: "tiny", fundFen: 3),
]

private func allocate(_ policy: Policy) {
    // A coefficient column the policy names and the table lacks counts as 1 (contract §2.1).
    let allocation: Allocation
    do {
        let table = try SettlementTable.read(bytes: Array(tableText.utf8), file: "fixed.csv",
                                             coefficientColumns: policy.money.coefficientColumns,
                                             factors: policy.money.columnFactors)
        allocation = try Allocation(table: table, scenarios: scenarios, policy: policy, budgetFile: "fuzz-budget.csv")
    } catch {
        return
    }
    for run in allocation.scenarios {
        let money = run.money
        guard money.amountsFen.reduce(0, +) == money.allocatedFen else { fatalError("money not conserved") }
        if let land = run.land, let allocated = land.allocatedUnits, land.units.reduce(0, +) != allocated {
            fatalError("land not conserved")
        }
    }
    let report = AllocationReport(allocation)
    _ = report.json
    _ = report.markdown
}
