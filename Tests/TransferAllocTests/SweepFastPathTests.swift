import BigInt
import Testing
@testable import TransferAlloc

/// The sweep's fast paths (bound units by integers, the policy model, the two-way tier-limit
/// demand, two threads) against separate `allocate` runs with `--set PATH=V`, on generated
/// tables with and without bounds: every value's amounts, bounds and land must be the same, and
/// a value `allocate` rejects must stop the sweep with the same error (named at `--vary`).
@Suite struct SweepFastPathTests {
    static let ranges = [
        "money.bounds.floor_amount=0:400000:100000",
        "money.bounds.max_growth=-0.5:1:0.25",
        "money.bounds.min_retention=0:1.2:0.3",
        "money.bounds.cap_per_settler=0:20000:5000",
        "money.granularity=0.01:1.01:0.25",
        "money.granularity=0.005:0.02:0.005",          // 0.005 is not a whole number of fen
        "money.prior_decay[1]=0:1:0.25",               // some cases have no decay list: an index error
        "money.origin_coefficients.cross_province=0:2:0.5",
        "money.origin_coefficients.settled=0.5:2:0.5",
        "money.origin_coefficients.within_city=-0.5:0.5:0.5",   // negative: the loader's error
        "land.tiers[1].up_to=50:180:10",
        "land.tiers[2].up_to=100:200:25",
    ]

    /// What `allocate --set PATH=V` gives for each value: amounts, bounds and land, or its error.
    enum Outcome {
        case split(amounts: [BigInt], bounds: [BoundKind], land: [BigInt]?)
        case failure(InputError)
    }

    static func allocate(_ generated: GeneratedCase, overrides: [String]) -> Outcome {
        do {
            let run = try RunRequest.inline(settlement: generated.settlementText, budget: generated.budget,
                                            overrides: overrides).allocate()
            let scenario = run.scenarios[0]
            return .split(amounts: scenario.money.amountsFen, bounds: scenario.money.apportionment.bound,
                          land: scenario.land?.units)
        } catch let error as InputError {
            return .failure(error)
        } catch {
            Issue.record("unexpected error \(error)")
            return .failure(InputError(file: "?", problem: "\(error)"))
        }
    }

    /// The error a sweep gives for the allocate error at `PATH=V`.
    static func located(_ error: InputError, path: String, value: Rational) -> InputError {
        var error = error
        if error.file == "--set" { error.file = "--vary" }
        error.problem += " (at --vary \(path)=\(value.plainText))"
        return error
    }

    static func check(_ generated: GeneratedCase, range text: String, label: String) throws {
        let range = try SweepRange(parsing: text, name: "--vary")
        let request = RunRequest.inline(settlement: generated.settlementText, budget: generated.budget,
                                        overrides: generated.overrides)
        // The base run itself may be infeasible or invalid; then there is nothing to sweep.
        guard case .split = allocate(generated, overrides: generated.overrides) else { return }
        let expected = range.values.map { allocate(generated, overrides: generated.overrides + ["\(range.path)=\($0.plainText)"]) }
        let firstFailure = expected.firstIndex { if case .failure = $0 { true } else { false } }
        let sweep: Sweep
        do {
            sweep = try Sweep(request: request, range: range)
        } catch let error as InputError {
            guard let k = firstFailure, case .failure(let allocateError) = expected[k] else {
                Issue.record("\(label) \(text): the sweep failed (\(error)) where every allocate run succeeded")
                return
            }
            #expect(error.description == located(allocateError, path: range.path, value: range.values[k]).description,
                    "\(label) \(text)")
            return
        }
        #expect(firstFailure == nil, "\(label) \(text): allocate fails at value \(firstFailure ?? -1), the sweep did not")
        for (k, outcome) in expected.enumerated() {
            guard case .split(let amounts, let bounds, let land) = outcome else { continue }
            for i in 0..<sweep.countyCount {
                guard sweep.amountFen(value: k, county: i) == Int64(amounts[i]), sweep.bound(value: k, county: i) == bounds[i] else {
                    Issue.record("\(label) \(text) value \(range.values[k].plainText) county \(i): sweep \(sweep.amountFen(value: k, county: i)) \(sweep.bound(value: k, county: i)), allocate \(amounts[i]) \(bounds[i])")
                    return
                }
                if let landUnits = sweep.landUnits, let land {
                    #expect(landUnits[k * sweep.countyCount + i] == Int64(land[i]), "\(label) \(text) value \(k) county \(i) land")
                }
            }
        }
    }

    @Test(arguments: 0..<16)
    func generatedWithBounds(seed: UInt64) throws {
        let generated = GeneratedCase.make(seed: 9_100 + seed)
        for range in SweepFastPathTests.ranges { try SweepFastPathTests.check(generated, range: range, label: "seed \(9_100 + seed)") }
    }

    @Test(arguments: 0..<8)
    func generatedWithoutBounds(seed: UInt64) throws {
        let generated = GeneratedCase.make(seed: 9_200 + seed, withBounds: false)
        for range in SweepFastPathTests.ranges { try SweepFastPathTests.check(generated, range: range, label: "seed \(9_200 + seed)") }
    }

    /// Bounds every county feels, and a floor that becomes infeasible part-way: the sweep stops
    /// at the same value with allocate's message.
    @Test func infeasibleValueStopsTheSweepWithAllocatesError() throws {
        var generated = GeneratedCase.make(seed: 9_301, withBounds: false)
        generated.budget = "scenario,fund_total\ns,1000000\n"
        generated.overrides += ["money.bounds.max_growth=0.5"]
        let rows = generated.rows.count
        // The floor reaches 1,000,000 / rows 元 at the fourth value: Σ L > A from there on.
        let step = (1_000_000 / rows) / 3 + 1
        let range = "money.bounds.floor_amount=0:\(step * 5):\(step)"
        try SweepFastPathTests.check(generated, range: range, label: "floor up to infeasible")
        let request = RunRequest.inline(settlement: generated.settlementText, budget: generated.budget,
                                        overrides: generated.overrides)
        #expect(throws: InputError.self) { try Sweep(request: request, range: try SweepRange(parsing: range, name: "--vary")) }
    }

    /// Enough values × counties for two threads: every value still equals its allocate run.
    @Test func twoThreadSweepEqualsAllocate() throws {
        var generated = GeneratedCase.make(seed: 9_400, withBounds: false)
        generated.budget = "scenario,fund_total\ns,1000000000\n"
        generated.overrides += ["money.bounds.min_retention=0.1"]
        let count = SweepValues.parallelThreshold / generated.rows.count + 10
        let range = try SweepRange(parsing: "money.bounds.floor_amount=0:\((count - 1) * 100):100", name: "--vary")
        let request = RunRequest.inline(settlement: generated.settlementText, budget: generated.budget,
                                        overrides: generated.overrides)
        let sweep = try Sweep(request: request, range: range)
        #expect(sweep.amountsFen.count == count * generated.rows.count)
        for k in Array(stride(from: 0, to: count, by: count / 7)) + [count / 2 - 1, count / 2, count - 1] {
            guard case .split(let amounts, let bounds, _) = SweepFastPathTests.allocate(
                generated, overrides: generated.overrides + ["money.bounds.floor_amount=\(k * 100)"]) else {
                Issue.record("allocate failed at \(k) where the sweep did not")
                continue
            }
            for i in 0..<sweep.countyCount {
                #expect(sweep.amountFen(value: k, county: i) == Int64(amounts[i]) && sweep.bound(value: k, county: i) == bounds[i],
                        "value \(k) county \(i)")
            }
        }
    }

    /// Two threads report the error of the lowest failing value, as one loop would.
    @Test(arguments: [(3, 7), (7, 3), (8, nil), (nil, 9), (nil, nil)] as [(Int?, Int?)])
    func twoThreadsReportTheFirstFailure(first: Int?, second: Int?) throws {
        let values = (0..<10).map { Rational($0) }
        let failing = Set([first, second].compactMap { $0 })
        do {
            let parts = try SweepValues.compute(values, counties: SweepValues.parallelThreshold, makePart: { _ in [Int]() }) {
                value, part throws(InputError) in
                let k = Int(value.numerator)
                if failing.contains(k) { throw InputError(file: "v", value: "\(k)", problem: "fails") }
                part.append(k)
            }
            #expect(failing.isEmpty)
            #expect(parts.count == 2 && parts.flatMap { $0 } == Array(0..<10))
        } catch {
            #expect(error.value == failing.min().map(String.init))
        }
    }

    /// `SweepBoundUnits` equals `MoneyAllocation.boundUnits` at every value, and falls back to it
    /// where Int128 does not reach (a value with a 40-digit denominator).
    @Test func boundUnitsEqualTheRationalOnes() throws {
        let generated = GeneratedCase.make(seed: 9_500)
        let inputs = try RunRequest.inline(settlement: generated.settlementText, budget: generated.budget,
                                           overrides: generated.overrides).load()
        let values = ["0", "0.3", "1", "12345.67", "1e-40"].map { ExactDecimal(jsonNumberLiteral: $0)!.rational }
        for path in ["money.bounds.floor_amount", "money.bounds.max_growth", "money.bounds.min_retention",
                     "money.bounds.cap_per_settler", "money.granularity"] {
            let model = try #require(SweepPolicyModel.make(path: path, base: inputs.policy.money))
            let units = try #require(SweepBoundUnits(table: inputs.table, model: model))
            for value in values where path != "money.granularity" || (value > .zero && (value * Rational(100)).isInteger) {
                let money = model.money(at: value)
                let fast = units.units(at: value, money: money)
                let exact = MoneyAllocation.boundUnits(table: inputs.table, policy: money)
                #expect(fast.lower == exact.lower && fast.upper == exact.upper, "\(path)=\(value.plainText)")
            }
        }
    }
}
