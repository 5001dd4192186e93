import XCTest
import DPSynthTestSupport
@testable import DPSynthAccounting

/// Events beyond DP-SGD (Laplace, sampled Laplace, heterogeneous training, repeated Gaussians)
/// against dp_accounting 0.6.0: scripts/make-accountant-event-vectors.py wrote
/// scripts/reference/accountant_events.csv.
final class EventReferenceTests: XCTestCase {
    /// The events, named as in the script.
    static let events: [String: DPEvent] = [
        "laplace_scale_2": .laplace(scale: 2),
        "laplace_scale_0.5_x20": .selfComposed(.laplace(scale: 0.5), count: 20),
        "poisson_0.1_laplace_scale_1_x50": .selfComposed(.poissonSampled(probability: 0.1, .laplace(scale: 1)), count: 50),
        "dpsgd_0.01_1.0_500_then_0.05_2.0_100": .composed([
            .dpsgd(samplingProbability: 0.01, noiseMultiplier: 1.0, steps: 500),
            .dpsgd(samplingProbability: 0.05, noiseMultiplier: 2.0, steps: 100),
        ]),
        "gaussian_20_x1000": .selfComposed(.gaussian(noiseMultiplier: 20), count: 1000),
    ]

    func testEventsMatchDPAccounting() throws {
        let url = SharedData.repositoryRoot.appendingPathComponent("scripts/reference/accountant_events.csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).dropFirst()
        XCTAssertEqual(lines.count, 18)
        for line in lines {
            let fields = line.split(separator: ",").map(String.init)
            let event = try XCTUnwrap(Self.events[fields[0]], fields[0])
            let kind = try XCTUnwrap(AccountantKind(rawValue: fields[1]))
            let delta = try XCTUnwrap(Double(fields[2])), expected = try XCTUnwrap(Double(fields[3]))
            var accountant = kind.makeAccountant()
            try accountant.compose(event)
            // PLD: tail truncations happen in a different order than dp_accounting's, which moves
            // ε by a few 1e-6 at δ = 1e-9; both stay pessimistic.
            let tolerance = kind == .rdp ? 1e-9 : 1e-5
            let epsilon = try accountant.epsilon(forDelta: delta)
            assertClose(epsilon, expected, relative: tolerance, "\(fields[0]) \(kind) δ=\(delta)")
            if kind == .pld { XCTAssertGreaterThanOrEqual(epsilon, expected - 1e-4, "\(fields[0]) δ=\(delta)") }
        }
    }
}
