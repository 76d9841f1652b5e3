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
    public let settled: Rational
    public var permits: Rational { .one - settled }
    /// Decimal places of the weights.
    public let places: Int

    /// The most decimal places tried: published schemes state weights in percent or per mille.
    public static let maxPlaces = 4

    /// The simplest weights whose recomputation matches every county the two tables share and the
    /// total within the audit's tolerance; nil when there is no inference or none matches.
    ///
    /// - Complexity: at most 3 · (maxPlaces + 1) recomputations of the audited scenario.
    public static func find(in audit: AllocationAudit) -> SimplestWeights? {
        guard let inferred = audit.inference?.settledWeight, !audit.totalMismatch else { return nil }
        let allocation = audit.allocation
        var engine = AllocationEngine(inputs: PreparedInputs(table: allocation.table, scenarios: [audit.scenario.scenario],
                                                             budgetFile: allocation.table.file))
        var tried: Set<Rational> = []
        for places in 0...maxPlaces {
            let scale = Rational.powerOfTen(places)
            let nearest = (inferred * Rational(scale)).roundedHalfUp
            // The nearer neighbour second: a weight that rounds one way may reproduce only the other.
            let below = inferred * Rational(scale) < Rational(nearest)
            for units in below ? [nearest, nearest - 1, nearest + 1] : [nearest, nearest + 1, nearest - 1]
            where units >= 0 && units <= scale {
                let settled = Rational(units, scale)
                guard tried.insert(settled).inserted else { continue }
                var policy = allocation.policy
                policy.money.weights = [.settled: settled, .permits: .one - settled]
                guard let run = try? engine.allocate(policy: policy, scenario: audit.scenario.scenario) else { continue }
                if audit.reproduces(run.money) { return SimplestWeights(settled: settled, places: places) }
            }
        }
        return nil
    }
}

extension AllocationAudit {
    /// Whether `money` matches every county the two tables share within the tolerance.
    func reproduces(_ money: MoneyAllocation) -> Bool {
        fittedCounties.allSatisfy { i in
            (publishedRow[i]!.amountFen - Rational(money.amountFen(i))).absoluteValue <= toleranceFen
        }
    }
}
