import XCTest
@testable import DPSynthAccounting

final class CalibrationTests: XCTestCase {
    /// rdp_sigma_for_eps.csv: the smallest σ on dp_accounting's 1e-4 grid with ε ≤ target brackets
    /// the true root; ours must fall in (σ_grid − 1e-4, σ_grid] (up to our tolerance) and agree with
    /// dp_accounting's Brent calibration to 1e-4 relative.
    func testNoiseMultiplierMatchesReference() throws {
        for row in try accountantReference("rdp_sigma_for_eps.csv") {
            let target = try number(row, "target_epsilon"), delta = try number(row, "delta")
            let q = try number(row, "q"), steps = Int(try number(row, "steps"))
            let sigma = try PrivacyCalibration.noiseMultiplier(targetEpsilon: target, delta: delta,
                                                              samplingProbability: q, steps: steps)
            let context = "target=\(target) steps=\(steps)"
            let gridSigma = try number(row, "sigma_min_grid_1e-4")
            XCTAssertLessThanOrEqual(sigma, gridSigma * (1 + 1e-6), context)
            XCTAssertGreaterThan(sigma, try number(row, "sigma_minus_1e-4"), context)
            assertClose(sigma, try number(row, "dp_accounting_calibrate_dp_mechanism_sigma_tol_1e-5"),
                        relative: 1e-4, context)
            let epsilon = try PrivacyCalibration.epsilonSpent(samplingProbability: q, noiseMultiplier: sigma,
                                                              steps: steps, delta: delta)
            XCTAssertLessThanOrEqual(epsilon, target, context)
            XCTAssertGreaterThan(epsilon, target * (1 - 1e-4), context)
        }
    }

    func testNoiseMultiplierWithPLDMeetsTarget() throws {
        let sigma = try PrivacyCalibration.noiseMultiplier(targetEpsilon: 2, delta: 1e-5, samplingProbability: 0.05,
                                                          steps: 100, accountant: .pld, relativeTolerance: 1e-4)
        let epsilon = try PrivacyCalibration.epsilonSpent(samplingProbability: 0.05, noiseMultiplier: sigma,
                                                          steps: 100, delta: 1e-5, accountant: .pld)
        XCTAssertLessThanOrEqual(epsilon, 2)
        XCTAssertGreaterThan(epsilon, 2 * (1 - 2e-3))
        let rdpSigma = try PrivacyCalibration.noiseMultiplier(targetEpsilon: 2, delta: 1e-5, samplingProbability: 0.05, steps: 100)
        XCTAssertLessThan(sigma, rdpSigma, "PLD is tighter, so it needs less noise")
    }

    /// The largest step count is the boundary: ε(n) ≤ target < ε(n + 1).
    func testMaximumStepsIsTheBoundary() throws {
        for (q, sigma, target) in [(0.01, 1.0, 2.0), (0.001, 0.8, 1.0), (0.1, 4.0, 0.5), (0.05, 1.1, 8.0)] {
            let steps = try PrivacyCalibration.maximumSteps(targetEpsilon: target, delta: 1e-5,
                                                           samplingProbability: q, noiseMultiplier: sigma)
            XCTAssertGreaterThan(steps, 0)
            let at = try PrivacyCalibration.epsilonSpent(samplingProbability: q, noiseMultiplier: sigma, steps: steps, delta: 1e-5)
            let after = try PrivacyCalibration.epsilonSpent(samplingProbability: q, noiseMultiplier: sigma, steps: steps + 1, delta: 1e-5)
            XCTAssertLessThanOrEqual(at, target, "q=\(q) σ=\(sigma)")
            XCTAssertGreaterThan(after, target, "q=\(q) σ=\(sigma)")
        }
        XCTAssertEqual(try PrivacyCalibration.maximumSteps(targetEpsilon: 0.01, delta: 1e-5, samplingProbability: 1,
                                                           noiseMultiplier: 0.5), 0)
        XCTAssertEqual(try PrivacyCalibration.maximumSteps(targetEpsilon: 1, delta: 1e-5, samplingProbability: 0,
                                                           noiseMultiplier: 1), Int.max)
    }

    func testCalibrationRefusesBadTargets() {
        XCTAssertThrowsError(try PrivacyCalibration.noiseMultiplier(targetEpsilon: 0, delta: 1e-5, samplingProbability: 0.01, steps: 10)) {
            XCTAssertEqual($0 as? AccountingError, .invalidEpsilon(0))
        }
        XCTAssertThrowsError(try PrivacyCalibration.noiseMultiplier(targetEpsilon: 1, delta: 1.5, samplingProbability: 0.01, steps: 10)) {
            XCTAssertEqual($0 as? AccountingError, .invalidDelta(1.5))
        }
        XCTAssertThrowsError(try PrivacyCalibration.noiseMultiplier(targetEpsilon: 1, delta: 1e-5, samplingProbability: 2, steps: 10)) {
            XCTAssertEqual($0 as? AccountingError, .invalidSamplingProbability(2))
        }
        XCTAssertThrowsError(try PrivacyCalibration.noiseMultiplier(targetEpsilon: 1, delta: 1e-5, samplingProbability: 0.1, steps: -3)) {
            XCTAssertEqual($0 as? AccountingError, .invalidSteps(-3))
        }
    }

    /// ε spent after t steps equals a fresh accountant's ε for the t-fold event, for every t asked.
    func testEpsilonSpentAtEachStepMatchesAccountant() throws {
        let epsilonAfter = try PrivacyCalibration.epsilonAfterSteps(
            step: .poissonSampled(probability: 0.02, .gaussian(noiseMultiplier: 1.2)), delta: 1e-6, accountant: .rdp)
        for steps in [0, 1, 7, 100, 2500] {
            var accountant = RDPAccountant()
            try accountant.compose(.dpsgd(samplingProbability: 0.02, noiseMultiplier: 1.2, steps: steps))
            assertClose(try epsilonAfter(steps), try accountant.epsilon(forDelta: 1e-6), absolute: 1e-12, relative: 1e-12)
        }
    }
}
