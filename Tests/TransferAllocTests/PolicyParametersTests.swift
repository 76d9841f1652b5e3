import Foundation
import Testing
@testable import TransferAlloc

@Suite struct PolicyParametersTests {
    // MARK: The docs table

    static let inputsPage = CLI.root.appendingPathComponent("docs/inputs.md")
    static let tableStart = "<!-- parameter table: rendered from PolicyParameters; see PolicyParametersTests -->\n"
    static let tableEnd = "<!-- end of parameter table -->\n"

    /// docs/inputs.md §5.1 is the declaration rendered. With TRANSFERALLOC_RECORD_DOCS=1 the
    /// test writes the rendered table into the page instead of comparing.
    @Test func docsTableIsTheDeclaration() throws {
        let page = try String(contentsOf: Self.inputsPage, encoding: .utf8)
        let start = try #require(page.range(of: Self.tableStart), "docs/inputs.md lost its table marker")
        let end = try #require(page.range(of: Self.tableEnd, range: start.upperBound..<page.endIndex))
        let onPage = String(page[start.upperBound..<end.lowerBound])
        if ProcessInfo.processInfo.environment["TRANSFERALLOC_RECORD_DOCS"] == "1" {
            let updated = String(page[..<start.upperBound]) + PolicyParameters.docsTable + String(page[end.lowerBound...])
            try updated.write(to: Self.inputsPage, atomically: true, encoding: .utf8)
            return
        }
        #expect(onPage == PolicyParameters.docsTable)
    }

    @Test func docsTableRowsByHand() {
        let rows = PolicyParameters.docsTable.split(separator: "\n").map(String.init)
        #expect(rows.contains("| `money.granularity` | number | `\"0.01\"` | a positive whole number of fen (`0.01`, `1`, `10000`) | 元 |  |"))
        #expect(rows.contains("| `money.bounds.max_growth` | number | `null` | ≥ −1; `null` = no cap | fraction of `prev_amount` | 0.1 = at most +10 % over `prev_amount` |"))
        #expect(rows.contains("| `land.adjustment` | number | `\"0\"` | −0.10 to 0.10 | fraction | multiplies every standard by 1 + adjustment |"))
        #expect(rows.contains("| `land.decimals` | number | `2` | whole, 0–6 | decimal places of `land.unit` |  |"))
        // Objects are not rows; their members are.
        #expect(!rows.contains { $0.hasPrefix("| `money` ") || $0.hasPrefix("| `money.weights` ") })
    }

    // MARK: Paths

    @Test func numericPathsInDocumentOrder() {
        #expect(PolicyParameters.numericPaths == [
            "money.granularity", "money.weights.settled", "money.weights.permits",
            "money.origin_coefficients.cross_province", "money.origin_coefficients.within_province",
            "money.origin_coefficients.within_city", "money.origin_coefficients.settled", "money.prior_decay[k]",
            "money.bounds.floor_amount", "money.bounds.max_growth", "money.bounds.min_retention",
            "money.bounds.cap_per_settler", "land.decimals", "land.tiers[k].up_to", "land.tiers[k].standard",
            "land.adjustment", "land.permit_weight",
        ])
    }

    @Test func parameterAtAConcretePath() {
        #expect(PolicyParameters.parameter(at: "land.tiers[2].standard")?.path == "land.tiers[].standard")
        #expect(PolicyParameters.parameter(at: "money.prior_decay[7]")?.path == "money.prior_decay[]")
        #expect(PolicyParameters.parameter(at: "money.weights")?.kind == .object)
        #expect(PolicyParameters.parameter(at: "land.tiers[0].standard") == nil)
        #expect(PolicyParameters.parameter(at: "money.nope") == nil)
        #expect(PolicyParameters.parameter(at: "sources.money") == nil)
    }

    @Test func keysUnderEachObject() {
        #expect(PolicySchema.rootKeys == ["name", "money", "land", "levels", "sources"])
        #expect(PolicySchema.moneyKeys == ["granularity", "weights", "origin_coefficients", "prior_decay",
                                          "coefficient_columns", "bounds", "components"])
        #expect(PolicySchema.componentKeys == ["name", "share", "weights", "origin_coefficients", "prior_decay",
                                              "coefficient_columns", "bounds"])
        #expect(PolicySchema.weightKeys == ["settled", "permits"])
        #expect(PolicySchema.originKeys == OriginKind.allCases.map(\.rawValue))
        #expect(PolicySchema.boundKeys == ["floor_amount", "max_growth", "min_retention", "cap_per_settler"])
        #expect(PolicySchema.landKeys == ["unit", "decimals", "tiers", "adjustment", "permit_weight"])
        #expect(PolicySchema.tierKeys == ["up_to", "standard"])
    }

    // MARK: One value, judged as the loader judges it

    /// Each case: path, value, the problem by hand (nil = accepted).
    static let cases: [(String, Rational, String?)] = [
        ("money.granularity", Rational(1, 100), nil),
        ("money.granularity", Rational(10_000), nil),
        ("money.granularity", Rational(1, 1000), "is not a positive whole number of fen"),
        ("money.granularity", .zero, "is not a positive whole number of fen"),
        ("money.weights.settled", .zero, nil),
        ("money.weights.settled", Rational(-1, 10), "is negative"),
        ("money.prior_decay[3]", Rational(-1, 2), "is negative"),
        ("money.bounds.max_growth", Rational(-1), nil),
        ("money.bounds.max_growth", Rational(-11, 10), "is less than -1"),
        ("money.bounds.floor_amount", Rational(5_000_000), nil),
        ("land.decimals", Rational(6), nil),
        ("land.decimals", Rational(7), "is not a whole number from 0 to 6"),
        ("land.decimals", Rational(1, 2), "is not a whole number from 0 to 6"),
        ("land.adjustment", Rational(-1, 10), nil),
        ("land.adjustment", Rational(11, 100), "is outside ±0.10"),
        ("land.tiers[1].up_to", Rational(-1), "is negative"),
        ("land.tiers[2].standard", Rational(70), nil),
        // 1/2^120 written out has more than 100 characters.
        ("money.weights.settled", Rational(1, 1 << 62) / Rational(1 << 58), "is too long or too large a number"),
    ]

    @Test(arguments: cases.indices)
    func checkSaysWhatTheLoaderSays(index: Int) {
        let (path, value, expected) = Self.cases[index]
        #expect(PolicyParameters.check(value, at: path)?.problem == expected, "\(path)=\(value.plainText)")
        // The loader, given the same value as an override, reports the same problem (or none
        // for this value: the weights' sum aside, which a second override settles).
        var overrides = ["\(path)=\(value.plainText)"]
        if path == "money.weights.settled" { overrides.append("money.weights.permits=\((.one - value).plainText)") }
        let problems = PolicyLoader.problems(fileBytes: nil, file: nil, overrides: .set(overrides))
            .filter { $0.column == path }
        #expect(problems.first?.problem == expected, "\(path)=\(value.plainText)")
        if let problem = PolicyParameters.check(value, at: path), let loaded = problems.first {
            #expect(problem.accepted == loaded.accepted)
        }
    }

    // MARK: The default document

    @Test func defaultDocumentHasEveryDeclaredDefaultAndNote() throws {
        let policy = Policy.builtInDefault
        #expect(policy.name == "illustrative default")
        #expect(policy.money.priorDecay == [Rational(4, 5), Rational(3, 5), Rational(2, 5), Rational(1, 5)])
        #expect(policy.land.tiers == [LandTier(upTo: Rational(100), standard: Rational(100)),
                                      LandTier(upTo: Rational(150), standard: Rational(80)),
                                      LandTier(upTo: nil, standard: Rational(50))])
        for parameter in PolicyParameters.all where parameter.source != nil {
            #expect(policy.sources[parameter.path] == parameter.source, "\(parameter.path)")
        }
        #expect(policy.sources.count == PolicyParameters.all.filter { $0.source != nil }.count)
        // data/policy.json is the default written out (with notes in its own words): same values.
        let file = try Inputs.file("data/policy.json")
        let written = try PolicyLoader.load(fileBytes: Array(file.utf8), file: "data/policy.json", overrides: .set([]))
        #expect(written.money == policy.money)
        #expect(written.land == policy.land)
        // The file names itself after the default and the file: its name aside, the values match.
        #expect(written.values.map(\.path) == policy.values.map(\.path))
        #expect(written.values.dropFirst().map(\.text) == policy.values.dropFirst().map(\.text))
    }
}
