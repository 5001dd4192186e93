import DPSynthAccounting
import DPSynthEngine
import DPSynthPrivacy
import DPSynthRandom
import DPSynthTabular
import XCTest
@testable import DPSynthModels

/// The DP discriminator step: real rows clipped one by one, fake rows not, noise σC, scaling.
final class DiscriminatorStepTests: XCTestCase {
    private func setUp(kind: ModelKind) throws -> (TabularDiscriminator, DiscriminatorBatch) {
        var configuration = TestDatasets.smallConfiguration(kind)
        configuration.discriminatorLayerNorm = true
        let layout = try ModelLayout(encoder: try TableEncoder(schema: try TestDatasets.schema("gbsg2")), modelKind: kind)
        let random = SeededGenerator(seed: 3)
        let discriminator = TabularDiscriminator(configuration: configuration, layout: layout, random: random)
        let rows = 9, realCount = 5
        var values = [Float](repeating: 0, count: rows * layout.generatedWidth)
        values.withUnsafeMutableBufferPointer { random.fillGaussian($0, standardDeviation: 3) }
        let classes = kind == .acgan ? (0..<rows).map { $0 % 2 } : []
        return (discriminator, DiscriminatorBatch(rows: Tensor(shape: [rows, layout.generatedWidth], scalars: values),
                                                  realCount: realCount, classes: classes))
    }

    private func dpsgd(noiseMultiplier: Double, clippingNorm: Double, expectedBatchSize: Int) throws -> DPSGDStep {
        // q·N = expectedBatchSize with N = 100.
        try DPSGDStep(configuration: DPSGDConfiguration(noiseMultiplier: noiseMultiplier, clippingNorm: clippingNorm,
                                                        samplingProbability: Double(expectedBatchSize) / 100, datasetSize: 100),
                      optimizer: SGD(parameters: [], learningRate: 1), random: SeededGenerator(seed: 1))
    }

    /// With σ = 0 the private gradient must equal (Σ_real min(1, C/‖g_i‖) g_i + Σ_fake g_j) / B,
    /// each g from its own batch-of-one backward pass: real rows clipped, fake rows never (the
    /// test checks that both a real and a fake row exceed C, so either mistake would show).
    func testRealRowsAreClippedAndFakeRowsAreNot() throws {
        for kind in [ModelKind.gan, .acgan] {
            let (discriminator, batch) = try setUp(kind: kind)
            let step = DiscriminatorStep(loss: .nonSaturating, auxiliaryLossWeight: 1, classifiesFakeRows: true)
            let clip = 0.05, expected = 4
            let result = try step.privateGradients(discriminator, batch, dpsgd: try dpsgd(noiseMultiplier: 0, clippingNorm: clip,
                                                                                        expectedBatchSize: expected))
            var reference = discriminator.parameters.map { [Float](repeating: 0, count: $0.count) }
            var unclipped = reference
            XCTAssertEqual(step.perRowLosses(discriminator, batch).shape, [batch.rows.shape[0]])
            var realAboveClip = false, fakeAboveClip = false
            for row in 0..<batch.rows.shape[0] {
                let isReal = row < batch.realCount
                let single = DiscriminatorBatch(rows: batch.rows.rows(row..<(row + 1)), realCount: isReal ? 1 : 0,
                                                classes: batch.classes.isEmpty ? [] : [batch.classes[row]])
                let grads = gradients(of: step.perRowLosses(discriminator, single).sum(), withRespectTo: discriminator.parameters)
                let norm = grads.reduce(0.0) { $0 + $1.scalars.reduce(0.0) { $0 + Double($1 * $1) } }.squareRoot()
                if isReal { realAboveClip = realAboveClip || norm > clip } else { fakeAboveClip = fakeAboveClip || norm > clip }
                let weight = isReal ? min(1, clip / norm) : 1
                for (index, gradient) in grads.enumerated() {
                    for (i, value) in gradient.scalars.enumerated() {
                        reference[index][i] += Float(weight) * value / Float(expected)
                        unclipped[index][i] += value / Float(expected)
                    }
                }
            }
            XCTAssertTrue(realAboveClip && fakeAboveClip, "the batch should exercise clipping of both kinds of rows")
            var differsFromUnclipped = false
            for ((computed, expectedValues), plain) in zip(zip(result.gradients, reference), unclipped) {
                for ((a, b), c) in zip(zip(computed.scalars, expectedValues), plain) {
                    XCTAssertEqual(a, b, accuracy: 1e-6 + 1e-4 * abs(b))
                    differsFromUnclipped = differsFromUnclipped || abs(a - c) > 1e-4 * abs(c) + 1e-6
                }
            }
            XCTAssertTrue(differsFromUnclipped)
        }
    }

    /// The noise added is N(0, σ²C²)/B per coordinate: compare two runs with and without noise.
    func testNoiseHasStandardDeviationSigmaTimesClipOverBatch() throws {
        let (discriminator, batch) = try setUp(kind: .gan)
        let step = DiscriminatorStep(loss: .hinge, auxiliaryLossWeight: 1, classifiesFakeRows: true)
        let clean = try step.privateGradients(discriminator, batch, dpsgd: try dpsgd(noiseMultiplier: 0, clippingNorm: 1,
                                                                                   expectedBatchSize: 8)).gradients
        let noisy = try step.privateGradients(discriminator, batch, dpsgd: try dpsgd(noiseMultiplier: 2, clippingNorm: 1,
                                                                                   expectedBatchSize: 8)).gradients
        var differences: [Double] = []
        for (a, b) in zip(clean, noisy) { for (x, y) in zip(a.scalars, b.scalars) { differences.append(Double(y - x)) } }
        let n = Double(differences.count)
        let variance = differences.reduce(0) { $0 + $1 * $1 } / n
        let expected = 2.0 * 1 / 8
        // n > 1,000 coordinates: the sample standard deviation is within ±7.5% of σC/B with overwhelming probability.
        XCTAssertGreaterThan(n, 1000)
        XCTAssertEqual(variance.squareRoot(), expected, accuracy: 0.075 * expected)
    }

    /// Poisson sampling can give an empty real batch: the step then releases the fake rows'
    /// gradient plus noise, and nothing breaks.
    func testEmptyRealBatch() throws {
        let (discriminator, batch) = try setUp(kind: .acgan)
        let fakeOnly = DiscriminatorBatch(rows: batch.rows.rows(batch.realCount..<batch.rows.shape[0]), realCount: 0,
                                          classes: Array(batch.classes[batch.realCount...]))
        let step = DiscriminatorStep(loss: .nonSaturating, auxiliaryLossWeight: 1, classifiesFakeRows: false)
        let result = try step.privateGradients(discriminator, fakeOnly, dpsgd: try dpsgd(noiseMultiplier: 1, clippingNorm: 1,
                                                                                       expectedBatchSize: 4))
        XCTAssertEqual(result.gradients.map(\.shape), discriminator.parameters.map(\.shape))
        XCTAssertTrue(result.gradients.allSatisfy { $0.scalars.allSatisfy(\.isFinite) })
    }

    func testGradientPenaltyIsRefusedUnderPrivacy() throws {
        var configuration = TestDatasets.smallConfiguration(.gan)
        configuration.loss = .wassersteinGradientPenalty
        let encoder = try TableEncoder(schema: try TestDatasets.schema("gbsg2"))
        let matrix = EncodedMatrix(values: [Float](repeating: 0, count: 4 * encoder.width), rowCount: 4, width: encoder.width)
        XCTAssertThrowsError(try TabularGANTrainer(configuration: configuration, encoder: encoder, data: matrix,
                                                   privacy: .differentiallyPrivate(PrivacyBudget(epsilon: 1, delta: 1e-5)),
                                                   randomness: .seeded(1))) { error in
            XCTAssertEqual(error as? TrainingError, .gradientPenaltyUnderPrivacy)
        }
    }
}
