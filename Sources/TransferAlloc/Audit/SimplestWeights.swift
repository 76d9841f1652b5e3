import BigInt

/// The simplest decimal weights that reproduce a published table (contract §10.7): fewest
/// decimal places first (0 to 4), the decimals nearest the inferred weight first, each checked
/// by a full recomputation, never by the least-squares fit alone (floors, caps and rounding make
/// amounts not quite linear in the weights).
///
///     // Inferred w_settled = 0.7999970545 from a 万元 table of the worked example:
///     SimplestWeights.find(in: audit)   // settled 0.8, permits 0.2 (one place): every county and
///                                       // the total within the 50 元 tolerance
public struct SimplestWeights: Sendable, Equatable {
    /// The settled weight (the lower stage's with levels); permits get the rest.
    public let settled: Rational
    public var permits: Rational { .one - settled }
    /// With levels (contract §10.5): the upper stage's settled weight.
    public let upperSettled: Rational?
    /// Decimal places of the weights.
    public let places: Int

    /// The most decimal places tried: published schemes state weights in percent or per mille.
    public static let maxPlaces = 4

    /// The simplest weights whose recomputation matches every county the two tables share, every
    /// published group row and the total within the audit's tolerance; nil when there is no
    /// inference of the two factors settled and permits, or none matches. With levels, both
    /// stages' weights are searched together (a stage with nothing to fit keeps the policy's).
    ///
    /// - Complexity: at most 4 · (maxPlaces + 1) = 20 recomputations of the audited scenario, 16 ·
    ///   (maxPlaces + 1) = 80 with levels (usually a handful).
    public static func find(in audit: AllocationAudit) -> SimplestWeights? {
        // Weights do not change A; with levels and no 合计 row the total compared is A − Σ R_p,
        // which they do change, so each candidate's recomputation checks it.
        guard !audit.totalMismatch || audit.comparesCountiesOnly else { return nil }
        let twoFactors: [Factor] = [.settled, .permits]
        let allocation = audit.allocation
        let levels = allocation.policy.money.levels
        let lowerPolicy = allocation.policy.money.weights[.settled] ?? .zero
        let upperPolicy = levels?.upper.weights[.settled] ?? .zero
        let lowerInferred: Rational?, upperInferred: Rational?
        if audit.stageFits.isEmpty {
            guard let inferred = audit.inference?.settledWeight else { return nil }
            (lowerInferred, upperInferred) = (inferred, nil)
        } else {
            // A stage fitted over other factors has no simplest pair; one with nothing to fit, or
            // whose data cannot tell the weights apart, keeps the policy's weight.
            func inferred(_ stage: StageWeightFit.Stage) -> Rational?? {
                guard let fit = audit.stageFits.first(where: { $0.stage == stage })?.fit else { return .some(nil) }
                guard fit.factors == twoFactors else { return nil }
                return .some(fit.isDetermined ? fit.weights[.settled]! : nil)
            }
            guard let upper = inferred(.upper), let lower = inferred(.lower),
                  upper != nil || lower != nil else { return nil }
            (lowerInferred, upperInferred) = (lower, upper)
        }
        var engine = AllocationEngine(inputs: PreparedInputs(table: allocation.table, scenarios: [audit.scenario.scenario],
                                                             budgetFile: allocation.table.file))
        var tried: Set<[Rational]> = []
        for places in 0...maxPlaces {
            let lowerChoices = lowerInferred.map { candidates(near: $0, places: places, policy: lowerPolicy) } ?? [lowerPolicy]
            let upperChoices = levels == nil ? [Rational.zero]
                : upperInferred.map { candidates(near: $0, places: places, policy: upperPolicy) } ?? [upperPolicy]
            for lower in lowerChoices {
                for upper in upperChoices where tried.insert([lower, upper]).inserted {
                    var policy = allocation.policy
                    policy.money.weights = [.settled: lower, .permits: .one - lower]
                    policy.money.levels?.upper.weights = [.settled: upper, .permits: .one - upper]
                    guard let run = try? engine.allocate(policy: policy, scenario: audit.scenario.scenario) else { continue }
                    if audit.reproduces(run.money) {
                        return SimplestWeights(settled: lower, upperSettled: levels == nil ? nil : upper, places: places)
                    }
                }
            }
        }
        return nil
    }

    /// With components (contract §10.3): the simplest weights of component `name` whose
    /// recomputation matches its published `amount_<name>` column within the tolerance; nil when
    /// its fit is not over settled and permits, or none matches. Components have budgets of their
    /// own, so each is searched alone.
    ///
    /// - Complexity: at most 4 · (maxPlaces + 1) recomputations of the audited scenario.
    public static func find(in audit: AllocationAudit, component name: String) -> SimplestWeights? {
        guard let fit = audit.stageFits.first(where: { $0.stage == .component(name) })?.fit,
              fit.factors == [.settled, .permits],
              let index = audit.allocation.policy.money.components.firstIndex(where: { $0.name == name }) else { return nil }
        let allocation = audit.allocation
        var engine = AllocationEngine(inputs: PreparedInputs(table: allocation.table, scenarios: [audit.scenario.scenario],
                                                             budgetFile: allocation.table.file))
        var tried: Set<Rational> = []
        for places in 0...maxPlaces {
            let policyWeight = allocation.policy.money.components[index].money.weights[.settled] ?? .zero
            // Data that cannot tell the weights apart leave the policy's.
            let choices = fit.isDetermined ? candidates(near: fit.weights[.settled]!, places: places, policy: policyWeight) : [policyWeight]
            for settled in choices where tried.insert(settled).inserted {
                var policy = allocation.policy
                policy.money.components[index].money.weights = [.settled: settled, .permits: .one - settled]
                guard let run = try? engine.allocate(policy: policy, scenario: audit.scenario.scenario) else { continue }
                let part = run.money.components[index].money
                let reproduced = audit.publishedRow.indices.allSatisfy { i in
                    guard let published = audit.publishedRow[i]?.componentAmountsFen[name] else { return true }
                    return (published - Rational(part.amountFen(i))).absoluteValue <= audit.toleranceFen
                }
                if reproduced { return SimplestWeights(settled: settled, upperSettled: nil, places: places) }
            }
        }
        return nil
    }

    /// The weights in [0, 1] with `places` decimals next to `inferred`: the nearest first, then the
    /// nearer neighbour (a weight that rounds one way may reproduce only the other); last the
    /// policy's own weight when it has `places` decimals (bounds that bind can pull the fit away
    /// from weights that reproduce the table exactly).
    static func candidates(near inferred: Rational, places: Int, policy: Rational) -> [Rational] {
        let scale = Rational.powerOfTen(places)
        let nearest = (inferred * Rational(scale)).roundedHalfUp
        let below = inferred * Rational(scale) < Rational(nearest)
        var list = (below ? [nearest, nearest - 1, nearest + 1] : [nearest, nearest + 1, nearest - 1])
            .filter { $0 >= 0 && $0 <= scale }.map { Rational($0, scale) }
        let scaled = policy * Rational(scale)
        let fewer = places > 0 && (policy * Rational(Rational.powerOfTen(places - 1))).isInteger
        if scaled.isInteger, !fewer, !list.contains(policy) { list.append(policy) }
        return list
    }
}

extension AllocationAudit {
    /// Whether `money` matches every county the two tables share, and with levels every
    /// published group row and a total of county rows (A − Σ R_p), within the tolerance.
    func reproduces(_ money: MoneyAllocation) -> Bool {
        if comparesCountiesOnly, (publishedTotalFen - Rational(AllocationAudit.countiesTotalFen(money))).absoluteValue > toleranceFen {
            return false
        }
        return fittedCounties.allSatisfy { i in
            (publishedRow[i]!.amountFen - Rational(money.amountFen(i))).absoluteValue <= toleranceFen
        } && publishedGroupFen.allSatisfy { p, published in
            (published - Rational(money.levels!.groupFen(p))).absoluteValue <= toleranceFen
        }
    }
}
