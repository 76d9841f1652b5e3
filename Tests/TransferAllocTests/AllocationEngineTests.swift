import BigInt
import Testing
@testable import TransferAlloc

/// What `AllocationEngine` reuses between computations never changes a result: a sweep (one
/// warm engine per thread, each value reusing the stages its value does not reach) against
/// separate `allocate` runs with `--set PATH=V` (a new engine each), on generated tables with
/// and without bounds: every value's amounts, bounds and land must be the same, and a value
/// `allocate` rejects must stop the sweep with the same error (named at `--vary`).
@Suite struct AllocationEngineTests {
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
        "land.tiers[1].standard=90:110:5",
        "land.adjustment=-0.1:0.1:0.05",
        "land.decimals=0:3:1",
        "money.weights.settled=0:1:0.25",
        "fund_total=0:2000000:500000",
    ]

    /// What `allocate --set PATH=V` gives for each value: amounts, bounds and land, or its error.
    enum Outcome {
        case split(amounts: [BigInt], bounds: [BoundKind], land: [BigInt]?)
        case failure(InputError)
    }

    static func allocate(_ generated: GeneratedCase, overrides: [String], fundTotal: Rational? = nil) -> Outcome {
        do {
            let request = RunRequest.inline(settlement: generated.settlementText, budget: generated.budget,
                                            overrides: overrides)
            let run: Allocation
            if let fundTotal {
                // The first budget row with fund_total replaced (in 元), as a fund_total sweep sets it.
                let inputs = try request.load()
                var scenario = inputs.scenarios[0]
                scenario.fundFen = (fundTotal * Rational(100)).numerator
                scenario.fundUnit = .yuan
                run = try Allocation(table: inputs.table, scenarios: [scenario], policy: inputs.policy,
                                     budgetFile: request.budgetFile)
            } else {
                run = try request.allocate()
            }
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

    /// Compares one range; false when the inputs themselves are rejected before any value is
    /// computed (both the sweep and the base allocate run give that error), so nothing is compared.
    @discardableResult
    static func check(_ generated: GeneratedCase, range text: String, label: String) throws -> Bool {
        let range = try SweepRange(parsing: text, name: "--vary")
        let request = RunRequest.inline(settlement: generated.settlementText, budget: generated.budget,
                                        overrides: generated.overrides)
        let expected = range.values.map { value in
            // Varying one of the two weights sets the other to 1 − v (they must sum to 1).
            let set: [String] = switch range.path {
            case "fund_total": []
            case "money.weights.settled": ["money.weights.settled=\(value.plainText)", "money.weights.permits=\((.one - value).plainText)"]
            default: ["\(range.path)=\(value.plainText)"]
            }
            return allocate(generated, overrides: generated.overrides + set, fundTotal: range.path == "fund_total" ? value : nil)
        }
        let firstFailure = expected.firstIndex { if case .failure = $0 { true } else { false } }
        let sweep: Sweep
        do {
            sweep = try Sweep(request: request, range: range)
        } catch let error as InputError {
            if case .failure(let base) = allocate(generated, overrides: generated.overrides),
               error.description == base.description {
                return false
            }
            guard let k = firstFailure, case .failure(let allocateError) = expected[k] else {
                Issue.record("\(label) \(text): the sweep failed (\(error)) where every allocate run succeeded")
                return true
            }
            #expect(error.description == located(allocateError, path: range.path, value: range.values[k]).description,
                    "\(label) \(text)")
            return true
        }
        #expect(firstFailure == nil, "\(label) \(text): allocate fails at value \(firstFailure ?? -1), the sweep did not")
        for (k, outcome) in expected.enumerated() {
            guard case .split(let amounts, let bounds, let land) = outcome else { continue }
            for i in 0..<sweep.countyCount {
                guard sweep.amountFen(value: k, county: i) == Int64(amounts[i]), sweep.bound(value: k, county: i) == bounds[i] else {
                    Issue.record("\(label) \(text) value \(range.values[k].plainText) county \(i): sweep \(sweep.amountFen(value: k, county: i)) \(sweep.bound(value: k, county: i)), allocate \(amounts[i]) \(bounds[i])")
                    return true
                }
                if let landUnits = sweep.landUnits, let land {
                    #expect(landUnits[k * sweep.countyCount + i] == Int64(land[i]), "\(label) \(text) value \(k) county \(i) land")
                }
            }
        }
        return true
    }

    /// Runs every range on one case; at most a quarter may be refused before any value.
    static func checkAll(_ generated: GeneratedCase, label: String) throws {
        var refused = 0
        for range in ranges where try !check(generated, range: range, label: label) { refused += 1 }
        #expect(refused * 4 <= ranges.count, "\(label): \(refused) of \(ranges.count) ranges refused before any value")
    }

    @Test(arguments: 0..<16)
    func generatedWithBounds(seed: UInt64) throws {
        let generated = GeneratedCase.make(seed: 9_100 + seed)
        try AllocationEngineTests.checkAll(generated, label: "seed \(9_100 + seed)")
    }

    @Test(arguments: 0..<8)
    func generatedWithoutBounds(seed: UInt64) throws {
        let generated = GeneratedCase.make(seed: 9_200 + seed, withBounds: false)
        try AllocationEngineTests.checkAll(generated, label: "seed \(9_200 + seed)")
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
        #expect(try AllocationEngineTests.check(generated, range: range, label: "floor up to infeasible"))
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
            guard case .split(let amounts, let bounds, _) = AllocationEngineTests.allocate(
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

    /// The engine takes the bounds in units by two orders of the one reduction (a changed bound
    /// value: the snapped terms reduced; a new granularity: the reduced terms snapped). Asked in
    /// an order that switches between them, it gives the hand-computed bounds every time.
    @Test func boundsInEitherOrderOfReductionAndSnapping() throws {
        // A: prev 1,999.99 元 → retention ·0.9 = 1,799.991 元, growth ·1.1 = 2,199.989 元;
        // min 1,500, max 3,000, cap 500·10 = 5,000. B: no prev, cap 500·4 = 2,000 元.
        let table = try BoundsTests.table("code,settled,prev_amount,min_amount,max_amount\nA,10,1999.99,1500,3000\nB,4,,,\n")
        var engine = AllocationEngine(inputs: PreparedInputs(table: table, scenarios: [], budgetFile: "b.csv"))
        var money = Policy.builtInDefault.money
        func units(floor: Int, growth: Rational?, granularity: Int) -> (lower: [BigInt], upper: [BigInt?]) {
            money.bounds = BoundsTests.allBounds
            money.bounds.floorAmount = Rational(floor)
            money.bounds.maxGrowth = growth
            money.granularity = Rational(granularity)
            return engine.boundUnits(policy: money)
        }
        let growth = Rational(1, 10)
        // g = 1 元: A 1,799.991 ↑ 1,800 and 2,199.989 ↓ 2,199; B 1,000 and 2,000.
        var bounds = units(floor: 1000, growth: growth, granularity: 1)
        #expect(bounds.lower == [1800, 1000] && bounds.upper == [2199, 2000])
        // The floor alone changes (1,900 元 is now A's largest lower term).
        bounds = units(floor: 1900, growth: growth, granularity: 1)
        #expect(bounds.lower == [1900, 1900] && bounds.upper == [2199, 2000])
        // The granularity alone changes, g = 10 元: 190 and 219.9989 ↓ 219 units; B 190 and 200.
        bounds = units(floor: 1900, growth: growth, granularity: 10)
        #expect(bounds.lower == [190, 190] && bounds.upper == [219, 200])
        // The floor back to 1,000 元 at g = 10 元: A 179.9991 ↑ 180; B 100.
        bounds = units(floor: 1000, growth: growth, granularity: 10)
        #expect(bounds.lower == [180, 100] && bounds.upper == [219, 200])
        // No max_growth: A's smallest upper term is max_amount 3,000 元 = 300 units.
        bounds = units(floor: 1000, growth: nil, granularity: 10)
        #expect(bounds.lower == [180, 100] && bounds.upper == [300, 200])
        // Back to the first policy.
        bounds = units(floor: 1000, growth: growth, granularity: 1)
        #expect(bounds.lower == [1800, 1000] && bounds.upper == [2199, 2000])
    }
}
