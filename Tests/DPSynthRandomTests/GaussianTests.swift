import Foundation
import XCTest
@testable import DPSynthRandom
import CKernels

/// The ziggurat Gaussian: its tables, moments, the whole distribution (Kolmogorov–Smirnov),
/// the tails beyond the ziggurat's base, and seeded determinism.
final class GaussianTests: XCTestCase {
    /// Φ(x), the standard normal CDF.
    private func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// The Kolmogorov–Smirnov distance between the sorted sample and `cdf`.
    private func kolmogorovSmirnov(_ sorted: [Double], _ cdf: (Double) -> Double) -> Double {
        let n = Double(sorted.count)
        var distance = 0.0
        for (i, x) in sorted.enumerated() {
            let f = cdf(x)
            distance = max(distance, abs(f - Double(i) / n), abs(Double(i + 1) / n - f))
        }
        return distance
    }

    /// Asymptotic KS critical value for significance `alpha`: √(−ln(α/2) / (2n)).
    private func kolmogorovSmirnovCritical(count: Int, alpha: Double) -> Double {
        (-log(alpha / 2) / (2 * Double(count))).squareRoot()
    }

    private func gaussianDoubles(seed: UInt64, count: Int) -> [Double] {
        var values = [Double](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { SeededGenerator(seed: seed).fillGaussian($0) }
        return values
    }

    /// The bisection finds the tail start and layer area Marsaglia & Tsang (2000) publish for
    /// 256 layers, the edges decrease to 0, and the top layer closes with area v.
    func testZigguratTablesMatchMarsagliaTsang() {
        let table = NormalZiggurat.standard
        XCTAssertEqual(table.tailStart, 3.6541528853610088, accuracy: 1e-12)
        XCTAssertEqual(table.layerArea, 0.00492867323399, accuracy: 1e-13)
        let layers = NormalZiggurat.layerCount
        for i in 0..<layers { XCTAssertGreaterThan(table.edges[i], table.edges[i + 1], "edge \(i)") }
        XCTAssertEqual(table.edges[layers], 0)
        let top = table.edges[layers - 1] * (1 - table.densities[layers - 1])
        XCTAssertEqual(top, table.layerArea, accuracy: 1e-12)
    }

    /// Mean and variance of 10⁶ draws lie within 5 standard errors of N(μ, σ²).
    func testMomentsWithinFiveStandardErrors() {
        let n = 1_000_000
        let generator = SeededGenerator(seed: 1)
        let mean = 1.5, deviation = 2.5
        var values = [Double](repeating: 0, count: n)
        values.withUnsafeMutableBufferPointer { generator.fillGaussian($0, mean: mean, standardDeviation: deviation) }
        let sampleMean = values.reduce(0, +) / Double(n)
        let sampleVariance = values.reduce(0) { $0 + ($1 - sampleMean) * ($1 - sampleMean) } / Double(n - 1)
        let variance = deviation * deviation
        XCTAssertLessThan(abs(sampleMean - mean), 5 * deviation / Double(n).squareRoot())
        // Var of the sample variance for a normal: 2σ⁴/(n−1).
        XCTAssertLessThan(abs(sampleVariance - variance), 5 * variance * (2.0 / Double(n - 1)).squareRoot())
    }

    /// KS distance of 10⁶ draws (bulk and one-at-a-time, seeded and secure) to Φ is below the
    /// α = 10⁻⁶ critical value.
    func testKolmogorovSmirnovAgainstNormalCDF() throws {
        let n = 1_000_000
        let critical = kolmogorovSmirnovCritical(count: n, alpha: 1e-6)
        let bulk = gaussianDoubles(seed: 2, count: n).sorted()
        XCTAssertLessThan(kolmogorovSmirnov(bulk, normalCDF), critical)
        let single = SeededGenerator(seed: 3)
        XCTAssertLessThan(kolmogorovSmirnov((0..<n).map { _ in single.nextGaussian() }.sorted(), normalCDF), critical)
        let secure = try SecureGenerator()
        var floats = [Float](repeating: 0, count: n)
        floats.withUnsafeMutableBufferPointer { secure.fillGaussian($0) }
        XCTAssertLessThan(kolmogorovSmirnov(floats.map(Double.init).sorted(), normalCDF), critical)
    }

    /// Frequencies of |X| > 4 and |X| > 5 over 10⁷ draws lie within 5 binomial standard
    /// deviations of 2Φ(−4) and 2Φ(−5), and draws beyond the ziggurat's base (|X| > r, the
    /// exact tail algorithm) follow the conditional tail CDF (KS at α = 10⁻⁶).
    func testTailsAreExact() {
        let n = 10_000_000
        let values = gaussianDoubles(seed: 4, count: n)
        for threshold in [4.0, 5.0] {
            let probability = erfc(threshold / 2.0.squareRoot())
            let count = Double(values.lazy.filter { abs($0) > threshold }.count)
            let expected = Double(n) * probability
            let bound = 5 * (Double(n) * probability * (1 - probability)).squareRoot()
            XCTAssertLessThan(abs(count - expected), bound, "P(|X| > \(threshold))")
        }
        let r = NormalZiggurat.standard.tailStart
        let tail = values.lazy.map(abs).filter { $0 > r }.sorted()
        XCTAssertGreaterThan(tail.count, 2_000)
        let tailMass = erfc(r / 2.0.squareRoot())
        let distance = kolmogorovSmirnov(tail) { 1 - erfc($0 / 2.0.squareRoot()) / tailMass }
        XCTAssertLessThan(distance, kolmogorovSmirnovCritical(count: tail.count, alpha: 1e-6))
        XCTAssertTrue(values.allSatisfy(\.isFinite))
    }

    /// Both signs are equally likely, including in the tail.
    func testSymmetry() {
        let n = 1_000_000
        let values = gaussianDoubles(seed: 5, count: n)
        let positive = Double(values.lazy.filter { $0 > 0 }.count)
        XCTAssertLessThan(abs(positive - Double(n) / 2), 5 * (Double(n) / 4).squareRoot())
    }

    /// Same seed → identical draws; different seed → different; Float buffers are the Double
    /// draws rounded once.
    func testSeededDeterminismAndSingleRounding() {
        let count = 10_001
        XCTAssertEqual(gaussianDoubles(seed: 7, count: count), gaussianDoubles(seed: 7, count: count))
        XCTAssertNotEqual(gaussianDoubles(seed: 7, count: count), gaussianDoubles(seed: 8, count: count))
        var floats = [Float](repeating: 0, count: count)
        floats.withUnsafeMutableBufferPointer { SeededGenerator(seed: 7).fillGaussian($0, mean: 1, standardDeviation: 3) }
        var doubles = [Double](repeating: 0, count: count)
        doubles.withUnsafeMutableBufferPointer { SeededGenerator(seed: 7).fillGaussian($0, mean: 1, standardDeviation: 3) }
        XCTAssertEqual(floats, doubles.map { Float($0) })
        let a = SeededGenerator(seed: 11), b = SeededGenerator(seed: 11)
        XCTAssertEqual((0..<1000).map { _ in a.nextGaussian() }, (0..<1000).map { _ in b.nextGaussian() })
        XCTAssertEqual(SeededGenerator(seed: 12).gaussianFloats(count: 0), [])
    }

    /// The vectorised fast path (C, every instruction-set level) gives the same bits and consumes
    /// the stream exactly as drawing one word at a time in Swift: per block of 256 words, each
    /// word through `NormalZiggurat.sample`, whose rejections draw their further words in order.
    func testVectorisedFillMatchesWordAtATimeZiggurat() {
        defer { dpsynth_limit_instruction_set(DPSynthInstructionSetAuto) }
        let count = 20_000 + 37  // many blocks, a partial last one, and ~200 rejections
        func reference(seed: UInt64, mean: Double, deviation: Double) -> [Double] {
            let source = SeededGenerator(seed: seed)
            var values: [Double] = []
            while values.count < count {
                var words = [UInt64](repeating: 0, count: min(256, count - values.count))
                words.withUnsafeMutableBufferPointer { source.fill($0) }
                for word in words { values.append(mean + deviation * NormalZiggurat.standard.sample(word, source)) }
            }
            return values
        }
        let expected = reference(seed: 21, mean: -0.5, deviation: 2.5)
        for level in [DPSynthInstructionSetPortable, DPSynthInstructionSetAVX2, DPSynthInstructionSetAVX512] {
            dpsynth_limit_instruction_set(level)
            var doubles = [Double](repeating: .nan, count: count)
            doubles.withUnsafeMutableBufferPointer { SeededGenerator(seed: 21).fillGaussian($0, mean: -0.5, standardDeviation: 2.5) }
            XCTAssertEqual(doubles, expected, "Double fill, instruction-set level \(level)")
            var floats = [Float](repeating: .nan, count: count)
            floats.withUnsafeMutableBufferPointer { SeededGenerator(seed: 21).fillGaussian($0, mean: -0.5, standardDeviation: 2.5) }
            XCTAssertEqual(floats, expected.map { Float($0) }, "Float fill, instruction-set level \(level)")
        }
    }
}
