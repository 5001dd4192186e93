import XCTest
import DPSynthEngine
import DPSynthPrivacy
import DPSynthRandom
import DPSynthTestSupport

/// The whole DP-SGD loop on real data: Poisson batches, one-walk per-example norms, clipping,
/// noise, Adam. Seeded, so the result is reproducible; the bar is what a private classifier
/// should reach on WDBC, not the non-private 0.95.
final class DPSGDTrainingTests: XCTestCase {
    func testPrivateClassifierLearnsBreastCancer() throws {
        let data = try BreastCancerData()
        let random = SeededGenerator(seed: 11)
        let model = MLP(sizes: [30, 16, 1], name: "classifier", hiddenActivation: .relu, weightInitializer: .heNormal, random: random)
        let configuration = try DPSGDConfiguration(noiseMultiplier: 1.0, clippingNorm: 1.0,
                                                   samplingProbability: 64.0 / 455, datasetSize: 455)
        let step = try DPSGDStep(configuration: configuration, optimizer: Adam(parameters: model.parameters, learningRate: 5e-3),
                                 random: SeededGenerator(seed: 12))
        for _ in 0..<400 {
            let rows = step.sampleBatch()
            let losses = binaryCrossEntropy(logits: model(data.trainFeatures.gathering(rows: rows)),
                                            targets: data.trainLabels.gathering(rows: rows), reduction: .none)
            try step.step(try PerExampleGradients(of: losses, withRespectTo: model.parameters))
        }
        let accuracy = data.testAccuracy(logits: withoutGradients { model(data.testFeatures) })
        print("DP-SGD (σ = 1, C = 1, q = 64/455, 400 steps) WDBC test accuracy \(accuracy)")
        XCTAssertGreaterThanOrEqual(accuracy, 0.9)
        XCTAssertEqual(step.privacyFacts.steps, 400)
        XCTAssertFalse(step.privacyFacts.noiseIsCryptographicallySecure)
    }
}
