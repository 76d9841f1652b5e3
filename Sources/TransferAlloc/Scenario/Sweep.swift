import BigInt

/// One policy value (or `fund_total`) run over a range: every county's amount — and, for a
/// land value, land quota — at every value (contract §7 `sweep`).
///
///     let sweep = try Sweep(request: request, range: try SweepRange(parsing: "fund_total=400000000:500000000:50000000"))
///     sweep.values.count                       // 3
///     sweep.amountFen(value: 2, county: 0)     // equals `allocate --fund-total 500000000`'s first amount
///
/// Each value is an `allocate` run: the policy with the value set goes through the policy
/// loader exactly as `--set PATH=V` does (same checks, same messages), and the scenario is
/// computed by `AllocationEngine`, the path every command takes. The engine reuses the stages
/// the varied value does not reach (the shares when `fund_total` or a bound varies, the factor
/// integers when a weight varies, the money when a land value varies).
///
/// Large sweeps run their values on two threads (`SweepValues`), each with its own engine;
/// results and errors are those of one loop.
///
/// Varying a weight sets the others so the weights still sum to 1: each other weight is
/// scaled by (1 − v)/(its group's base sum), or, when the others are all 0, they share 1 − v
/// equally.
public struct Sweep: Sendable {
    /// What the varied path changes, which decides what is reused.
    public enum Target: Sendable, Equatable {
        case fundTotal
        case weight(Factor)
        /// `money.components[k].share` (k from 1): the other components' shares are rescaled.
        case componentShare(Int)
        /// `money.components[k].weights.<factor>`: the component's other weights are rescaled.
        case componentWeight(Int, Factor)
        /// `money.origin_coefficients.*` or `money.prior_decay[k]`: the factor values.
        case factorValue
        /// `money.bounds.*` or `money.granularity`.
        case bound
        /// Anything under `land.`: money does not change.
        case land
        /// `levels.retention` or an upper-stage value `levels.upper.money.…` (contract §10.5) other
        /// than a weight.
        case levels
        /// `levels.upper.money.weights.<factor>`: the upper stage's other weights are rescaled.
        case upperWeight(Factor)
    }

    public let range: SweepRange
    public let target: Target
    /// The policy without the varied value (the run's file and `--set`s).
    public let policy: Policy
    public let table: SettlementTable
    /// The budget row swept (`--scenario`, else the first).
    public let scenario: Scenario
    public let warnings: [String]
    /// Amount of county i at value k, in fen: `amountsFen[k·countyCount + i]`.
    public let amountsFen: [Int64]
    /// Which bound decided each amount, same layout.
    public let bounds: [BoundKind]
    /// Land quota in precision units per value and county (land targets only), same layout,
    /// and each value's `land.decimals`.
    public let landUnits: [Int64]?
    public let landDecimals: [Int]?

    public var values: [Rational] { range.values }
    public var countyCount: Int { table.rows.count }

    public func amountFen(value k: Int, county i: Int) -> Int64 { amountsFen[k * countyCount + i] }
    public func bound(value k: Int, county i: Int) -> BoundKind { bounds[k * countyCount + i] }

    /// The most rows (values × counties) one sweep computes: about 1.3 GB of long CSV.
    public static let maxRows = 20_000_000

    /// Every path `--vary` takes: `fund_total` and the numeric policy values (`PolicyParameters`).
    public static let numericPaths: [String] = ["fund_total"] + PolicyParameters.numericPaths

    /// The target of a path, or nil when `--vary` cannot vary it.
    public static func target(of path: String) -> Target? {
        if path == "fund_total" { return .fundTotal }
        guard let parameter = PolicyParameters.parameter(at: path), parameter.kind == .number else { return nil }
        let declared = parameter.path
        if declared.hasPrefix("money.weights.") {
            // The factor as the policy's weights name it (`随迁子女人数` is migrant_pupils).
            let written = String(path.dropFirst("money.weights.".count))
            return (try? Factor.named(written, coefficientColumns: [])).map { .weight($0) }
        }
        if declared.hasPrefix("money.components[]."), let k = Sweep.componentIndex(path) {
            let rest = String(declared.dropFirst("money.components[].".count))
            if rest == "share" { return .componentShare(k) }
            if rest.hasPrefix("weights.") {
                // The factor as the component's weights name it (as for the money level's).
                let written = String(path[path.range(of: ".weights.", options: .backwards)!.upperBound...])
                return (try? Factor.named(written, coefficientColumns: [])).map { .componentWeight(k, $0) }
            }
            if rest.hasPrefix("origin_coefficients.") || rest == "prior_decay[]" { return .factorValue }
            if rest.hasPrefix("bounds.") { return .bound }
            return nil
        }
        if declared.hasPrefix("levels.upper.money.weights.") {
            let written = String(path.dropFirst("levels.upper.money.weights.".count))
            return (try? Factor.named(written, coefficientColumns: [])).map { .upperWeight($0) }
        }
        if declared.hasPrefix("levels.") { return .levels }
        if declared.hasPrefix("money.origin_coefficients.") || declared == "money.prior_decay[]" { return .factorValue }
        if declared == "money.granularity" || declared.hasPrefix("money.bounds.") { return .bound }
        return declared.hasPrefix("land.") ? .land : nil
    }

    /// Reads the inputs, checks the path, and computes every value.
    ///
    /// - Throws: `UnknownScenario`, `SweepTooLarge`; `InputError` for bad data or policy, a path
    ///   that cannot be varied (listing those that can), or a value the policy rules or the bounds
    ///   reject (the message ends with `at NAME PATH=VALUE`, NAME the range's name).
    /// - Complexity: one `allocate` of the scenario per value, less the stages reused.
    /// - Parameter maximumRows: the most rows (values × counties) the caller's output can hold.
    public init(request: RunRequest, range: SweepRange, maximumRows: Int = Sweep.maxRows) throws {
        var range = range
        // The factor a weight path names is read from its column (a weight-0 factor's is not):
        // known before the policy is, from the path alone.
        let inputs = try request.load(readingFactors: Sweep.weighedFactor(inPath: range.path).map { [$0] } ?? [])
        // A component named in the path (`money.components.<name>.share`) is varied at its position.
        range.path = Sweep.componentPath(range.path, names: inputs.policy.money.components.map(\.name))
        guard let target = Sweep.target(of: range.path) else {
            throw InputError(file: range.name, column: range.path,
                             problem: "is not a numeric policy value or fund_total, so \(range.name) cannot vary it",
                             accepted: "one of " + Sweep.numericPaths.joined(separator: ", ")
                                 + " (list items numbered from 1, e.g. land.tiers[2].standard)"
                                 + "; a factor's weight as money.weights.<factor>; a component's value as"
                                 + " money.components.<name>.share (or .weights.…, .bounds.…); with two levels"
                                 + " levels.retention and levels.upper.money.…")
        }
        if let k = Sweep.componentIndex(range.path), k > inputs.policy.money.components.count {
            let names = inputs.policy.money.components.map(\.name)
            throw InputError(file: range.name, column: range.path,
                             problem: "names component \(k), but the policy has \(names.isEmpty ? "no components" : "\(names.count): " + names.joined(separator: ", "))",
                             accepted: "money.components.<name>.share or money.components[k].share for a component of the policy")
        }
        let rows = range.values.count * inputs.table.rows.count
        guard rows <= min(maximumRows, Sweep.maxRows) else {
            throw SweepTooLarge(range: range, counties: inputs.table.rows.count, maximumRows: min(maximumRows, Sweep.maxRows))
        }
        self.range = range
        self.target = target
        self.policy = inputs.policy
        self.table = inputs.table
        self.scenario = inputs.scenarios[0]
        let run = SweepRun(request: request, range: range, target: target, policy: inputs.policy,
                           inputs: PreparedInputs(table: inputs.table, scenarios: [inputs.scenarios[0]],
                                                  budgetFile: request.budgetFile))
        let parts = try run.computeAll()
        var amounts: [Int64] = [], bounds: [BoundKind] = []
        var land: [Int64] = [], decimals: [Int] = []
        amounts.reserveCapacity(rows)
        bounds.reserveCapacity(rows)
        for part in parts {
            amounts += part.amounts
            bounds += part.bounds
            land += part.land
            decimals += part.decimals
        }
        amountsFen = amounts
        self.bounds = bounds
        (landUnits, landDecimals) = target == .land ? (land, decimals) : (nil, nil)
        warnings = inputs.warnings + inputs.table.warnings
            + MoneyAllocation.warnings(table: inputs.table, policy: inputs.policy.money)
    }

    /// k of `money.components[k]…` (from 1), nil for any other path.
    static func componentIndex(_ path: String) -> Int? {
        guard let components = PolicySchema.components(of: path), components.count > 2,
              components[0] == .key("money"), components[1] == .key("components"),
              case .index(let k) = components[2] else { return nil }
        return k
    }

    /// `money.components.<name>…` with the component's position (`money.components[2]…`), the
    /// name compared ignoring ASCII case; any other path as it is.
    static func componentPath(_ path: String, names: [String]) -> String {
        let prefix = "money.components."
        guard path.hasPrefix(prefix) else { return path }
        let rest = path.dropFirst(prefix.count)
        let name = rest.prefix(while: { $0 != "." && $0 != "[" })
        guard let index = names.firstIndex(where: { ComponentName.folded($0) == ComponentName.folded(String(name)) })
        else { return path }
        return "money.components[\(index + 1)]" + rest.dropFirst(name.count)
    }

    /// The shares after setting component `c` (from 0) to `value`, the others rescaled so they
    /// sum to 1 as weights are (`rescaledWeights`).
    ///
    ///     Sweep.rescaledShares([0.7, 0.3], varying: 1, to: 0.5)   // [0.5, 0.5]
    public static func rescaledShares(_ base: [Rational], varying c: Int, to value: Rational) -> [Rational] {
        let otherSum = base.indices.filter { $0 != c }.reduce(Rational.zero) { $0 + base[$1] }
        let others = base.count - 1
        return base.indices.map { k in
            if k == c { return value }
            return otherSum > .zero ? base[k] * (.one - value) / otherSum : (.one - value) / Rational(others)
        }
    }

    /// `--set` settings that give the policy `weights`: one per factor, keyed as the policy
    /// writes the factor (a policy may weigh `随迁子女人数`; a second key for the same factor would
    /// be an error), else by its key.
    static func weightOverrides(_ weights: [Factor: Rational], written paths: [String],
                                prefix: String = "money.weights.") -> [String] {
        var writtenKey: [Factor: String] = [:]
        for path in paths where path.hasPrefix(prefix) {
            let key = String(path.dropFirst(prefix.count))
            if let factor = try? Factor.named(key, coefficientColumns: []) { writtenKey[factor] = key }
        }
        return Factor.ordered(weights.keys).map { "\(prefix)\(writtenKey[$0] ?? $0.key)=\(weights[$0]!.plainText)" }
    }

    /// The factor other than settled and permits whose weight a path sets
    /// (`money.weights.migrant_pupils`, `money.components.随迁子女.weights.随迁子女人数`), else nil.
    static func weighedFactor(inPath path: String) -> Factor? {
        guard let range = path.range(of: ".weights.", options: .backwards),
              let factor = try? Factor.named(String(path[range.upperBound...]), coefficientColumns: []),
              !factor.isBuiltIn else { return nil }
        return factor
    }

    /// The weights after setting `factor` to `value`, the others rescaled so they sum to 1.
    ///
    ///     Sweep.rescaledWeights([.settled: 0.8, .permits: 0.2], varying: .settled, to: 0.5)
    ///     // [.settled: 0.5, .permits: 0.5]
    public static func rescaledWeights(_ base: [Factor: Rational], varying factor: Factor,
                                       to value: Rational) -> [Factor: Rational] {
        let others = Factor.ordered(Set(base.keys).union([.settled, .permits])).filter { $0 != factor }
        let otherSum = others.reduce(Rational.zero) { $0 + (base[$1] ?? .zero) }
        var weights: [Factor: Rational] = [factor: value]
        for other in others {
            weights[other] = otherSum > .zero
                ? (base[other] ?? .zero) * (.one - value) / otherSum
                : (.one - value) / Rational(others.count)
        }
        return weights
    }
}

/// One sweep's values computed: each value's policy and scenario, then the engine.
struct SweepRun: Sendable {
    let request: RunRequest
    let range: SweepRange
    let target: Sweep.Target
    /// The run's policy, without the varied value.
    let policy: Policy
    let inputs: PreparedInputs

    var scenario: Scenario { inputs.scenarios[0] }
    var n: Int { inputs.table.rows.count }

    /// Every value on one or two threads, each thread with its own engine warmed with the run's
    /// policy (so the stages the varied value does not reach are computed once, before).
    func computeAll() throws(InputError) -> [SweepPart] {
        var warm = AllocationEngine(inputs: inputs)
        if target == .land {
            try checkComputesLand()
            // Money does not depend on land: computed once here, reused by every value.
            do { _ = try warm.money(policy: policy.money, scenario: scenario) } catch { throw located(error, at: range.values[0]) }
            // What the land demand reads besides the varied value (persons, tiers) is computed
            // once here too; an error is left to the value that meets it.
            _ = try? warm.landDemand(policy: policy.land)
        } else {
            _ = try? warm.money(policy: policy.money, scenario: scenario)
            // A bound value: each term is kept in units, so a value re-snaps only the term it sets.
            if range.path.hasPrefix("money.bounds."), policy.money.components.isEmpty, policy.money.levels == nil {
                warm.prepareBoundTermUnits(policy: policy.money)
            }
        }
        if case .weight = target {
            // Weights are linear in the value: the endpoints show any value's error first, as
            // allocate would at that endpoint.
            for value in [range.values.first!, range.values.last!] {
                var engine = warm
                let money = try self.policy(at: value).money
                do { _ = try engine.factorTable(policy: money) } catch { throw located(error, at: value) }
            }
        }
        let engine = warm
        return try SweepValues.compute(range.values, counties: n, makePart: { SweepPart(capacity: $0 * n) }) {
            value, part throws(InputError) in
            try compute(value, engine: engine, into: &part)
        }
    }

    /// One value: its policy and scenario, its allocation, appended to `part`.
    func compute(_ value: Rational, engine base: AllocationEngine, into part: inout SweepPart) throws(InputError) {
        var engine = base
        let policy = try self.policy(at: value)
        let scenario = try self.scenario(at: value)
        do throws(InputError) {
            let money = try engine.money(policy: policy.money, scenario: scenario)
            try append(money, to: &part, at: value)
            if target == .land, let land = try engine.land(policy: policy.land, scenario: scenario) {
                for units in land.units {
                    guard let units = units.int64 else {
                        throw InputError(file: range.name, value: value.plainText,
                                         problem: "gives land beyond the supported range",
                                         accepted: "land of at most \(Limits.grouped(Limits.maxLand.floor)) in the policy's unit")
                    }
                    part.land.append(units)
                }
                part.decimals.append(policy.land.decimals)
            }
        } catch {
            throw located(error, at: value)
        }
    }

    /// The run's policy with the value set, checked as `--set` is.
    func policy(at value: Rational) throws(InputError) -> Policy {
        let overrides: [String] = switch target {
        case .fundTotal: []
        case .weight(let factor):
            Sweep.weightOverrides(Sweep.rescaledWeights(policy.money.weights, varying: factor, to: value),
                                  written: policy.values.map(\.path))
        case .componentShare(let k):
            Sweep.rescaledShares(policy.money.components.map(\.share), varying: k - 1, to: value)
                .enumerated().map { "money.components[\($0.offset + 1)].share=\($0.element.plainText)" }
        case .componentWeight(let k, let factor):
            Sweep.weightOverrides(Sweep.rescaledWeights(policy.money.components[k - 1].money.weights, varying: factor, to: value),
                                  written: policy.values.map(\.path), prefix: "money.components[\(k)].weights.")
        case .upperWeight(let factor):
            // Without an upper layer of its own the upper stage weighs as the money level does.
            Sweep.weightOverrides(Sweep.rescaledWeights((policy.money.levels?.upper ?? policy.money).weights,
                                                        varying: factor, to: value),
                                  written: policy.values.map(\.path), prefix: "levels.upper.money.weights.")
        default: [setting(value)]
        }
        if overrides.isEmpty { return policy }
        do {
            return try PolicyLoader.load(fileBytes: request.policy?.bytes, file: request.policy?.name,
                                         overrides: request.overrides + overrides, year: request.year)
        } catch {
            throw located(error, at: value)
        }
    }

    /// The scenario at the value: its fund_total replaced when that is what varies.
    func scenario(at value: Rational) throws(InputError) -> Scenario {
        guard target == .fundTotal else { return scenario }
        let fen = value * Rational(100)
        guard fen.isInteger, !fen.isNegative, value <= Limits.maxAmountYuan else {
            throw located(InputError(file: range.name, column: "fund_total", value: value.plainText,
                                     problem: "is not a whole number of fen from 0 to \(Limits.grouped(Limits.maxAmountYuan.floor)) 元",
                                     accepted: "fund_total values in 元 with at most 2 decimals, ≥ 0"), at: value)
        }
        var row = scenario
        row.fundFen = fen.numerator
        row.fundUnit = .yuan
        if case .amountFen(let reserve) = row.reserve, reserve > row.fundFen {
            throw located(InputError(file: inputs.budgetFile, line: row.line, column: "reserve_amount",
                                     value: Rational.yuan(reserve),
                                     problem: "is more than fund_total \(Rational.yuan(row.fundFen)) 元 in scenario \(row.name)",
                                     accepted: "fund_total values ≥ the scenario's reserve_amount"), at: value)
        }
        return row
    }

    func checkComputesLand() throws(InputError) {
        guard Allocation.computesLand(table: inputs.table, scenario: scenario) else {
            throw InputError(file: range.name, column: range.path,
                             problem: "varies a land value, but scenario \(scenario.name) computes no land (\(inputs.table.file) has no land_per_capita or land_exempt column and the scenario no land_quota)",
                             accepted: "a land_per_capita column or a land_quota, or a money path")
        }
    }

    /// `PATH=V` as messages write it.
    func setting(_ value: Rational) -> String { "\(range.path)=\(value.plainText)" }

    /// Adds where in the sweep an error happened; a policy error from the varied override
    /// names the range rather than the overrides.
    func located(_ error: InputError, at value: Rational) -> InputError {
        var error = error
        if error.file == request.overrides.name { error.file = range.name }
        error.problem += " (at \(range.name) \(setting(value)))"
        return error
    }

    func append(_ money: MoneyAllocation, to part: inout SweepPart, at value: Rational) throws(InputError) {
        guard let step = money.granularityFen.int64 else { throw outOfRange(at: value) }
        for units in money.apportionment.units {
            guard let units = units.int64 else { throw outOfRange(at: value) }
            let (fen, overflow) = units.multipliedReportingOverflow(by: step)
            if overflow { throw outOfRange(at: value) }
            part.amounts.append(fen)
        }
        part.bounds += money.apportionment.bound
    }

    func outOfRange(at value: Rational) -> InputError {
        InputError(file: range.name, value: value.plainText, problem: "gives amounts beyond the supported range",
                   accepted: "amounts of at most \(Limits.grouped(Limits.maxAmountYuan.floor)) 元")
    }
}

/// Amounts, bounds and land of a run of values, in value order (`Sweep.amountsFen`'s layout).
struct SweepPart: Sendable {
    var amounts: [Int64] = []
    var bounds: [BoundKind] = []
    var land: [Int64] = []
    var decimals: [Int] = []

    init(capacity: Int) {
        amounts.reserveCapacity(capacity)
        bounds.reserveCapacity(capacity)
    }
}
