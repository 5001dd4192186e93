import XCTest
@testable import DPSynthAccounting

/// The PLD accountant against dp_accounting 0.6.0's `PLDAccountant(value_discretization_interval=1e-4)`.
final class PLDReferenceTests: XCTestCase {
    /// Every row of pld_eps.csv: within 1% of the reference and never below it by more than the
    /// discretisation interval (both are pessimistic estimates of the same true ε).
    func testPLDEpsilonMatchesEveryReferenceRow() throws {
        let rows = try accountantReference("pld_eps.csv")
        var byConfiguration: [String: [[String: String]]] = [:]
        for row in rows { byConfiguration["\(row["q"]!) \(row["sigma"]!) \(row["steps"]!)", default: []].append(row) }
        var worstRelative = 0.0
        for (_, group) in byConfiguration.sorted(by: { $0.key < $1.key }) {
            let first = group[0]
            let q = try number(first, "q"), sigma = try number(first, "sigma"), steps = Int(try number(first, "steps"))
            let interval = try number(first, "value_discretization_interval")
            var accountant = PLDAccountant(valueDiscretizationInterval: interval)
            try accountant.compose(.dpsgd(samplingProbability: q, noiseMultiplier: sigma, steps: steps))
            for row in group {
                let delta = try number(row, "delta"), expected = try number(row, "epsilon")
                let epsilon = try accountant.epsilon(forDelta: delta)
                let context = "q=\(q) σ=\(sigma) steps=\(steps) δ=\(delta)"
                assertClose(epsilon, expected, absolute: 1e-9, relative: 0.01, context)
                XCTAssertGreaterThanOrEqual(epsilon, expected - interval, context)
                if expected > 0 { worstRelative = max(worstRelative, abs(epsilon - expected) / expected) }
            }
        }
        print("PLD vs dp_accounting: worst relative difference \(worstRelative)")
    }
}
