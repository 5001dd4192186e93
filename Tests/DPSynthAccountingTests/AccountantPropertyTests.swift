import XCTest
@testable import DPSynthAccounting

/// Identities every accountant must satisfy (dp_accounting's test suite checks the same ones).
final class AccountantPropertyTests: XCTestCase {
    private func epsilon(_ kind: AccountantKind, q: Double, sigma: Double, steps: Int, delta: Double = 1e-5) throws -> Double {
        var accountant = kind.makeAccountant()
        try accountant.compose(.dpsgd(samplingProbability: q, noiseMultiplier: sigma, steps: steps))
        return try accountant.epsilon(forDelta: delta)
    }

    func testEpsilonGrowsWithStepsAndSamplingAndShrinksWithNoise() throws {
        for kind in AccountantKind.allCases {
            let steps = kind == .rdp ? [1, 10, 100, 1000, 10000] : [1, 10, 100]
            let byStep = try steps.map { try epsilon(kind, q: 0.01, sigma: 1, steps: $0) }
            XCTAssertEqual(byStep, byStep.sorted(), "\(kind) ε by steps \(byStep)")
            XCTAssertEqual(Set(byStep).count, byStep.count, "\(kind) ε must strictly grow with steps")
            let byQ = try [0.001, 0.01, 0.1, 0.5].map { try epsilon(kind, q: $0, sigma: 1, steps: 10) }
            XCTAssertEqual(byQ, byQ.sorted(), "\(kind) ε by q \(byQ)")
            let bySigma = try [0.8, 1, 2, 4].map { try epsilon(kind, q: 0.01, sigma: $0, steps: 10) }
            XCTAssertEqual(bySigma, bySigma.sorted(by: >), "\(kind) ε by σ \(bySigma)")
        }
    }

    func testZeroSamplingCostsNothingAndZeroNoiseIsUnbounded() throws {
        for kind in AccountantKind.allCases {
            XCTAssertEqual(try epsilon(kind, q: 0, sigma: 1, steps: 1000), 0, "\(kind)")
            XCTAssertEqual(try epsilon(kind, q: 0.01, sigma: 0, steps: 1), .infinity, "\(kind)")
            XCTAssertEqual(try epsilon(kind, q: 1, sigma: 0, steps: 5), .infinity, "\(kind)")
            var accountant = kind.makeAccountant()
            XCTAssertEqual(try accountant.epsilon(forDelta: 1e-5), 0, "\(kind): nothing composed, nothing spent")
            try accountant.compose(.laplace(scale: 0))
            XCTAssertEqual(try accountant.epsilon(forDelta: 1e-5), .infinity, "\(kind)")
        }
    }

    /// Composing T steps one at a time equals composing the T-fold event once.
    func testStepByStepEqualsSelfComposedEvent() throws {
        let step = DPEvent.poissonSampled(probability: 0.05, .gaussian(noiseMultiplier: 1.3))
        for (kind, steps, tolerance) in [(AccountantKind.rdp, 200, 1e-12), (.pld, 8, 1e-6)] {
            var oneByOne = kind.makeAccountant()
            for _ in 0..<steps { try oneByOne.compose(step) }
            var atOnce = kind.makeAccountant()
            try atOnce.compose(.selfComposed(step, count: steps))
            var asList = kind.makeAccountant()
            try asList.compose(.composed(Array(repeating: step, count: steps)))
            let reference = try atOnce.epsilon(forDelta: 1e-5)
            assertClose(try oneByOne.epsilon(forDelta: 1e-5), reference, relative: tolerance, "\(kind)")
            assertClose(try asList.epsilon(forDelta: 1e-5), reference, relative: tolerance, "\(kind)")
        }
    }

    /// δ(ε(δ)) = δ: the two conversions invert each other.
    func testEpsilonDeltaRoundTrip() throws {
        for kind in AccountantKind.allCases {
            var accountant = kind.makeAccountant()
            try accountant.compose(.dpsgd(samplingProbability: 0.01, noiseMultiplier: 1.1, steps: kind == .rdp ? 3000 : 300))
            for delta in [1e-3, 1e-5, 1e-7] {
                let epsilon = try accountant.epsilon(forDelta: delta)
                XCTAssertGreaterThan(epsilon, 0)
                let back = try accountant.delta(forEpsilon: epsilon)
                XCTAssertLessThanOrEqual(back, delta * (1 + 1e-9), "\(kind) δ=\(delta)")
                assertClose(back, delta, relative: 1e-6, "\(kind) δ=\(delta)")
            }
            for epsilon in [0.5, 1.0, 2.0] {
                let delta = try accountant.delta(forEpsilon: epsilon)
                XCTAssertGreaterThan(delta, 0)
                assertClose(try accountant.epsilon(forDelta: delta), epsilon, relative: 1e-6, "\(kind) ε=\(epsilon)")
            }
        }
    }

    /// An invalid or unsupported event is refused with the value found and leaves the accountant as it was.
    func testRefusedEventLeavesAccountantUnchanged() throws {
        let invalid: [(DPEvent, AccountingError)] = [
            (.poissonSampled(probability: 1.5, .gaussian(noiseMultiplier: 1)), .invalidSamplingProbability(1.5)),
            (.poissonSampled(probability: -0.1, .gaussian(noiseMultiplier: 1)), .invalidSamplingProbability(-0.1)),
            (.gaussian(noiseMultiplier: -1), .invalidNoiseMultiplier(-1)),
            (.laplace(scale: -2), .invalidLaplaceScale(-2)),
            (.pureDP(epsilon: .infinity), .invalidEpsilon(.infinity)),
            (.selfComposed(.gaussian(noiseMultiplier: 1), count: -4), .invalidCount(-4)),
            // the valid first part must not be composed either
            (.composed([.gaussian(noiseMultiplier: 1), .gaussian(noiseMultiplier: -0.5)]), .invalidNoiseMultiplier(-0.5)),
        ]
        for kind in AccountantKind.allCases {
            var accountant = kind.makeAccountant()
            try accountant.compose(.dpsgd(samplingProbability: 0.01, noiseMultiplier: 1, steps: 10))
            let before = try accountant.epsilon(forDelta: 1e-5)
            for (event, error) in invalid {
                XCTAssertThrowsError(try accountant.compose(event), "\(kind) \(event)") {
                    XCTAssertEqual($0 as? AccountingError, error)
                }
                XCTAssertEqual(try accountant.epsilon(forDelta: 1e-5), before, "\(kind) changed by refused \(event)")
            }
            XCTAssertThrowsError(try accountant.epsilon(forDelta: 0)) { XCTAssertEqual($0 as? AccountingError, .invalidDelta(0)) }
            XCTAssertThrowsError(try accountant.epsilon(forDelta: 1)) { XCTAssertEqual($0 as? AccountingError, .invalidDelta(1)) }
        }
        var rdp = RDPAccountant()
        let unsupported = DPEvent.composed([.gaussian(noiseMultiplier: 1), .poissonSampled(probability: 0.1, .laplace(scale: 1))])
        XCTAssertThrowsError(try rdp.compose(unsupported)) {
            guard case .unsupportedEvent = $0 as? AccountingError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(rdp.rdp, Array(repeating: 0, count: RDPAccountant.defaultOrders.count))
        XCTAssertNoThrow(try rdp.compose(.poissonSampled(probability: 0.1, .composed([.gaussian(noiseMultiplier: 2), .gaussian(noiseMultiplier: 2)]))))
        var pld = PLDAccountant()
        XCTAssertThrowsError(try pld.compose(.poissonSampled(probability: 0.1, .pureDP(epsilon: 1))))
    }

    /// A per-step loss too large for the PLD grid is refused with a clear error, not an
    /// out-of-memory crash, and the accountant is unchanged.
    func testPLDRefusesGridsTooLargeToBuild() throws {
        var accountant = PLDAccountant()
        try accountant.compose(.dpsgd(samplingProbability: 0.01, noiseMultiplier: 1, steps: 10))
        let before = try accountant.epsilon(forDelta: 1e-5)
        XCTAssertThrowsError(try accountant.compose(.gaussian(noiseMultiplier: 0.001))) {
            guard case .lossGridTooLarge(let points, let limit) = $0 as? AccountingError else { return XCTFail("\($0)") }
            XCTAssertGreaterThan(points, limit)
        }
        XCTAssertThrowsError(try accountant.compose(.pureDP(epsilon: 5000)))
        XCTAssertEqual(try accountant.epsilon(forDelta: 1e-5), before)
    }

    /// The README's anchor (δ = 1e-5, q = 0.01, σ = 1.1, 6000 steps): improved RDP 4.25, PLD 3.90.
    func testPLDIsTighterThanRDPAtTheReadmeAnchor() throws {
        let rdp = try epsilon(.rdp, q: 0.01, sigma: 1.1, steps: 6000)
        let pld = try epsilon(.pld, q: 0.01, sigma: 1.1, steps: 6000)
        assertClose(rdp, 4.25, absolute: 0.005, relative: 0)
        assertClose(pld, 3.90, absolute: 0.005, relative: 0)
    }

    /// Training in phases (q or σ changing) composes: RDP curves add; PLD lies between the phases' sum bounds.
    func testHeterogeneousComposition() throws {
        let first = DPEvent.dpsgd(samplingProbability: 0.01, noiseMultiplier: 1.0, steps: 500)
        let second = DPEvent.dpsgd(samplingProbability: 0.05, noiseMultiplier: 2.0, steps: 100)
        var both = RDPAccountant()
        try both.compose(.composed([first, second]))
        var separate = RDPAccountant()
        try separate.compose(first)
        let firstCurve = separate.rdp
        try separate.compose(second)
        XCTAssertEqual(both.rdp, separate.rdp)
        XCTAssertTrue(zip(both.rdp, firstCurve).allSatisfy { $0 > $1 })
        var pld = PLDAccountant()
        try pld.compose(.composed([first, second]))
        let pldEpsilon = try pld.epsilon(forDelta: 1e-5)
        XCTAssertLessThan(pldEpsilon, try both.epsilon(forDelta: 1e-5))
        XCTAssertGreaterThan(pldEpsilon, try epsilon(.pld, q: 0.01, sigma: 1.0, steps: 500))
    }

    /// Pure-DP and Laplace events (DP schema bounds) in both accountants.
    func testPureDPAndLaplaceEvents() throws {
        // RDP: the pure-DP curve is min(ε, αε²/2); Laplace's is below it (it is ε-DP) and exact.
        let orders = RDPAccountant.defaultOrders
        let pure = try RDPAccountant.curve(of: .pureDP(epsilon: 0.5), orders: orders)
        let laplace = try RDPAccountant.curve(of: .laplace(scale: 2), orders: orders)
        for (index, alpha) in orders.enumerated() {
            XCTAssertEqual(pure[index], min(0.5, alpha * 0.125))
            XCTAssertLessThanOrEqual(laplace[index], pure[index] + 1e-12, "α=\(alpha)")
        }
        // Mironov 2017 Prop. 6 at α = 2: ε + log(1 + (e^{−3ε} − 1)/3).
        let two = try RDPAccountant.curve(of: .laplace(scale: 2), orders: [2])[0]
        assertClose(two, 0.5 + log(1 + (exp(-1.5) - 1) / 3), relative: 1e-12)
        // PLD: one ε-DP release costs ε (up to one grid step) at any δ; Laplace with scale b is 1/b-DP.
        var pld = PLDAccountant()
        try pld.compose(.pureDP(epsilon: 0.7))
        assertClose(try pld.epsilon(forDelta: 1e-9), 0.7, absolute: 1e-4, relative: 0)
        var laplacePLD = PLDAccountant()
        try laplacePLD.compose(.laplace(scale: 2))
        let laplaceEpsilon = try laplacePLD.epsilon(forDelta: 1e-9)
        XCTAssertLessThanOrEqual(laplaceEpsilon, 0.5 + 1e-4)
        XCTAssertGreaterThan(laplaceEpsilon, 0.49)
        // Ten ε = 0.1 releases: below basic composition (1.0) at δ = 1e-6, and above 0.
        var ten = PLDAccountant()
        try ten.compose(.selfComposed(.pureDP(epsilon: 0.1), count: 10))
        let tenEpsilon = try ten.epsilon(forDelta: 1e-6)
        XCTAssertLessThanOrEqual(tenEpsilon, 1.0 + 1e-3)
        XCTAssertGreaterThan(tenEpsilon, 0.3)
    }

    func testOrderAtEdgeIsFlagged() throws {
        var accountant = RDPAccountant()
        try accountant.compose(.gaussian(noiseMultiplier: 10_000))  // tiny RDP: the optimum is past the largest order
        let result = try accountant.epsilonAndOrder(forDelta: 1e-5)
        XCTAssertEqual(result.order, 1024)
        XCTAssertTrue(result.orderIsAtEdge)
        var typical = RDPAccountant()
        try typical.compose(.dpsgd(samplingProbability: 0.01, noiseMultiplier: 1.1, steps: 1000))
        XCTAssertFalse(try typical.epsilonAndOrder(forDelta: 1e-5).orderIsAtEdge)
    }

    /// FFT convolution equals direct convolution, for lengths that use radix 2 only and radix 3 on top.
    func testFFTConvolutionMatchesDirectSum() {
        for (xCount, yCount) in [(300, 77), (200, 57), (40, 41), (1000, 537), (33, 33)] {
            XCTAssertTrue([FFT.length(atLeast: 376), FFT.length(atLeast: 256)] == [384, 256])
            let x = (0..<xCount).map { 1 + sin(Double($0) * 1.7) }
            let y = (0..<yCount).map { 1.5 + cos(Double($0) * 0.3) }
            let fast = DiscretePrivacyLoss.convolve(x, y)
            var direct = [Double](repeating: 0, count: x.count + y.count - 1)
            for i in x.indices { for j in y.indices { direct[i + j] += x[i] * y[j] } }
            XCTAssertEqual(fast.count, direct.count)
            for (a, b) in zip(fast, direct) { assertClose(a, b, absolute: 1e-10, relative: 1e-12, "\(xCount)×\(yCount)") }
        }
    }

    /// The complex FFT against the defining sum X_k = Σ_j x_j e^{−2πijk/n}, read through its
    /// output permutation, and its inverse back to the input.
    func testFFTMatchesTheDefiningSum() {
        for n in [1, 2, 3, 6, 8, 12, 16, 48] {
            let fft = FFT(count: n)
            let inputReal = (0..<n).map { sin(Double($0) * 0.9 + 0.2) }
            let inputImaginary = (0..<n).map { cos(Double($0) * 0.4) }
            var real = inputReal, imaginary = inputImaginary
            fft.forwardToPermutedOrder(real: &real, imaginary: &imaginary)
            let positions = fft.frequencyPositions()
            XCTAssertEqual(Set(positions).count, n, "positions are a permutation")
            for k in 0..<n {
                var sumReal = 0.0, sumImaginary = 0.0
                for j in 0..<n {
                    let angle = -2 * Double.pi * Double(j * k) / Double(n)
                    sumReal += inputReal[j] * cos(angle) - inputImaginary[j] * sin(angle)
                    sumImaginary += inputReal[j] * sin(angle) + inputImaginary[j] * cos(angle)
                }
                let p = Int(positions[k])
                assertClose(real[p], sumReal, absolute: 1e-12, relative: 1e-12, "n=\(n) k=\(k)")
                assertClose(imaginary[p], sumImaginary, absolute: 1e-12, relative: 1e-12, "n=\(n) k=\(k)")
            }
            fft.inverseFromPermutedOrder(real: &real, imaginary: &imaginary)
            for j in 0..<n {
                assertClose(real[j], inputReal[j], absolute: 1e-14, relative: 0, "n=\(n)")
                assertClose(imaginary[j], inputImaginary[j], absolute: 1e-14, relative: 0, "n=\(n)")
            }
        }
    }
}
