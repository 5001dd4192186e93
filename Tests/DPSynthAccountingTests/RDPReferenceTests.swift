import XCTest
import DPSynthTestSupport
@testable import DPSynthAccounting

/// The RDP accountant against dp_accounting 0.6.0 (shared/reference/accountant, make_vectors.py).
final class RDPReferenceTests: XCTestCase {
    func testDefaultOrdersAreDPAccountingsBitForBit() throws {
        let text = try String(contentsOf: SharedData.url("reference/accountant/default_orders.txt"), encoding: .utf8)
        let reference = text.split(whereSeparator: \.isNewline).compactMap { Double($0) }
        XCTAssertEqual(reference.count, 156)
        XCTAssertEqual(RDPAccountant.defaultOrders, reference)
    }

    /// Every order of every configuration in rdp_orders.csv: one step, composed, the per-order ε
    /// candidate and the optimal order.
    func testRDPCurveMatchesReferenceOrderByOrder() throws {
        let rows = try accountantReference("rdp_orders.csv")
        var curves: [String: (one: [Double], composed: RDPAccountant)] = [:]
        for row in rows {
            let q = try number(row, "q"), sigma = try number(row, "sigma")
            let steps = Int(try number(row, "steps")), order = try number(row, "order")
            let key = "\(q) \(sigma) \(steps)"
            if curves[key] == nil {
                let one = SubsampledGaussianRDP.curve(samplingProbability: q, noiseMultiplier: sigma,
                                                      orders: RDPAccountant.defaultOrders)
                var accountant = RDPAccountant()
                try accountant.compose(.dpsgd(samplingProbability: q, noiseMultiplier: sigma, steps: steps))
                curves[key] = (one, accountant)
            }
            guard let (one, accountant) = curves[key],
                  let index = RDPAccountant.defaultOrders.firstIndex(of: order) else {
                return XCTFail("order \(order) is not a default order")
            }
            let context = "q=\(q) σ=\(sigma) steps=\(steps) α=\(order)"
            assertClose(one[index], try number(row, "rdp_one_step"), absolute: 1e-15, relative: 1e-6, context)
            assertClose(accountant.rdp[index], try number(row, "rdp_composed"), absolute: 1e-12, relative: 1e-6, context)
            let candidate = RDPConversion.epsilonCandidates(orders: [order], rdp: [accountant.rdp[index]], delta: 1e-5)[0]
            assertClose(candidate, try number(row, "eps_candidate_delta_1e-5"), absolute: 1e-9, relative: 1e-6, context)
            let best = try accountant.epsilonAndOrder(forDelta: 1e-5)
            assertClose(best.epsilon, try number(row, "epsilon_delta_1e-5"), absolute: 1e-9, relative: 1e-6, context)
            XCTAssertEqual(best.order == order, row["is_optimal_order"] == "1", context)
        }
    }

    /// Every row of rdp_eps.csv: ε to relative 1e-6 (absolute 1e-9 below 1e-3) and the same optimal order.
    func testRDPEpsilonMatchesEveryReferenceRow() throws {
        let rows = try accountantReference("rdp_eps.csv")
        XCTAssertEqual(rows.count, 476)
        for row in rows {
            let q = try number(row, "q"), sigma = try number(row, "sigma")
            let steps = Int(try number(row, "steps")), delta = try number(row, "delta")
            var accountant = RDPAccountant()
            try accountant.compose(.dpsgd(samplingProbability: q, noiseMultiplier: sigma, steps: steps))
            let result = try accountant.epsilonAndOrder(forDelta: delta)
            let expected = try number(row, "epsilon")
            let context = "q=\(q) σ=\(sigma) steps=\(steps) δ=\(delta)"
            assertClose(result.epsilon, expected, absolute: expected < 1e-3 ? 1e-9 : 0, relative: 1e-6, context)
            XCTAssertEqual(result.order, try number(row, "optimal_order"), context)
            let droppedOrders = accountant.rdp.filter(\.isInfinite).count
            XCTAssertEqual(Double(droppedOrders), try number(row, "n_orders_inf"), context)
        }
    }

    /// Opacus' own anchor (tests/accountants_test.py), with its orders (no 128…1024).
    func testOpacusAnchor() throws {
        let opacusOrders = RDPAccountant.defaultOrders.filter { $0 < 64 }
        var accountant = RDPAccountant(orders: opacusOrders)
        try accountant.compose(.dpsgd(samplingProbability: 0.04, noiseMultiplier: 1.5, steps: 2250))
        // Opacus keeps the signs of the fractional series; dp_accounting's absolute values give a
        // value within 1e-4 of Opacus' 7.32911117143.
        assertClose(try accountant.epsilon(forDelta: 1e-5), 7.32911117143, relative: 1e-4)
    }
}
