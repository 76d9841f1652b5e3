import Foundation
import Testing

@Suite struct AllocateCommandTests {
    @Test func sampleDataRunsAndConserves() throws {
        let result = try CLI.run(["allocate", "--settlement", "data/settlement.csv", "--budget", "data/budget.csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1 + 4 * 33)
        // Independent reference values (computed with Python fractions from the contract).
        #expect(lines.contains { $0.hasPrefix("baseline,320506,吴中区,") && $0.contains(",43505945.13,") && $0.contains(",2072.16,") })
        #expect(lines.contains { $0.hasPrefix("baseline,320583,昆山市,") && $0.contains(",50215002.02,") && $0.contains(",2383.44,") })
        #expect(lines.contains { $0.hasPrefix("land_tight,320506,") && $0.contains(",1450.51,") })
    }
}
