import DPSynthAccounting
import DPSynthEngine
import DPSynthRandom
import DPSynthTabular
import XCTest
@testable import DPSynthModels

/// The private label classifier that guides a small table's AC-GAN: its structure, that it
/// learns, and that its release is charged.
final class LabelClassifierTests: XCTestCase {
    /// A table whose label is `x > 0` for a continuous x, with a categorical column unrelated to it.
    private func constructed(rows: Int, random: RandomSource) throws -> (TableEncoder, EncodedMatrix) {
        try TestDatasets.thresholdTable(rows: rows, threshold: 0, random: random)
    }

    /// Per-column structure: one network per schema column, and the per-row loss is the sum of
    /// their cross-entropies (checked against each network applied to its own columns).
    func testPerColumnLossesSumEachColumnsCrossEntropy() throws {
        let random = SeededGenerator(seed: 4)
        let (encoder, matrix) = try constructed(rows: 16, random: random)
        let layout = try ModelLayout(encoder: encoder, modelKind: .acgan)
        let classifier = LabelClassifier(configuration: TabularGANConfiguration(), layout: layout, random: random)
        XCTAssertEqual(classifier.groups.count, 2)
        XCTAssertEqual(classifier.groups.map { $0.reduce(0) { $0 + $1.count } }, [1, 3])
        let rows = Tensor(shape: [16, layout.generatedWidth], scalars: layout.generatedColumns(of: matrix, rows: Array(0..<16)))
        let classes = layout.labelClasses(of: matrix)
        let losses = classifier.losses(rows, classes: classes).scalars
        let parts = rows.split(sizes: [1, 3], alongAxis: 1)
        let expected = zip(classifier.networks, parts).map { network, part in
            crossEntropy(logits: network(part), labels: classes, reduction: .none).scalars
        }
        for i in 0..<16 { XCTAssertEqual(losses[i], expected[0][i] + expected[1][i], accuracy: 1e-5) }
    }

    /// Trained under DP-SGD (σ from the accountant for ε = 0.5), it recovers the sign of a strong
    /// relation: class "yes" scores higher for x > 0.
    func testPrivateTrainingLearnsAStrongRelation() throws {
        let random = SeededGenerator(seed: 5)
        let (encoder, matrix) = try constructed(rows: 2000, random: random)
        let layout = try ModelLayout(encoder: encoder, modelKind: .acgan)
        let configuration = TabularGANConfiguration()
        let classifier = LabelClassifier(configuration: configuration, layout: layout, random: random)
        let schedule = LabelClassifier.schedule(configuration: configuration, datasetSize: matrix.rowCount)
        let sigma = try PrivacyCalibration.smallestNoiseMultiplier(
            targetEpsilon: 0.5, delta: 1e-5, makeAccountant: { RDPAccountant() },
            event: { .dpsgd(samplingProbability: schedule.samplingProbability, noiseMultiplier: $0, steps: schedule.steps) })
        try classifier.train(rows: layout.generatedColumns(of: matrix, rows: Array(0..<matrix.rowCount)),
                             classes: layout.labelClasses(of: matrix), width: layout.generatedWidth,
                             configuration: configuration, noiseMultiplier: sigma, privacyRandom: random)
        // Rows x = ±0.5 with category "a": the "yes" loss must be lower for x = 0.5.
        let probe = Tensor(shape: [2, 4], scalars: [0.5, 1, 0, 0, -0.5, 1, 0, 0])
        let yes = withoutGradients { classifier.losses(probe, classes: [1, 1]) }.scalars
        XCTAssertLessThan(yes[0], yes[1])
        let accuracy = withoutGradients { () -> Double in
            let rows = Tensor(shape: [matrix.rowCount, layout.generatedWidth],
                              scalars: layout.generatedColumns(of: matrix, rows: Array(0..<matrix.rowCount)))
            let no = classifier.losses(rows, classes: [Int](repeating: 0, count: matrix.rowCount)).scalars
            let yes = classifier.losses(rows, classes: [Int](repeating: 1, count: matrix.rowCount)).scalars
            let truth = layout.labelClasses(of: matrix)
            return Double((0..<matrix.rowCount).filter { (yes[$0] < no[$0] ? 1 : 0) == truth[$0] }.count) / Double(matrix.rowCount)
        }
        XCTAssertGreaterThan(accuracy, 0.9)
    }

    /// The classifier's release is composed into the plan: the budget holds, the discriminator
    /// gets more noise than without it, and the classifier's σ is the one calibrated alone to
    /// its share.
    func testPlanChargesTheClassifier() throws {
        let budget = PrivacyBudget(epsilon: 1, delta: 1e-5)
        let schedule = PrivacyPlan.ClassifierSchedule(samplingProbability: 0.5, steps: 40, clippingNorm: 1, budgetShare: 0.25)
        let plan = try PrivacyPlan(budget: budget, samplingProbability: 0.2, plannedSteps: 200, releasesLabelMarginal: true,
                                   labelShare: 0.1, classifier: schedule)
        let without = try PrivacyPlan(budget: budget, samplingProbability: 0.2, plannedSteps: 200, releasesLabelMarginal: true,
                                      labelShare: 0.1)
        XCTAssertLessThanOrEqual(try plan.epsilon(afterSteps: 200), 1)
        XCTAssertGreaterThan(plan.noiseMultiplier, without.noiseMultiplier)
        let release = try XCTUnwrap(plan.classifierRelease)
        var alone = RDPAccountant()
        try alone.compose(.dpsgd(samplingProbability: 0.5, noiseMultiplier: release.noiseMultiplier, steps: 40))
        XCTAssertEqual(try alone.epsilon(forDelta: 1e-5), 0.25, accuracy: 0.25e-4)
        let record = try plan.record(steps: 200, datasetSize: 1000, clippingNorm: 0.1, secureRandomness: false,
                                     randomnessDescription: "seeded", history: [])
        XCTAssertEqual(record.classifier?.noiseMultiplier, release.noiseMultiplier)
        XCTAssertEqual(record.classifier?.steps, 40)
    }

    /// Guidance is opt-in, for an AC-GAN only; a guided run records the classifier's release
    /// and the composed ε still holds.
    func testGuidedRunRecordsTheClassifierRelease() throws {
        var configuration = TestDatasets.smallConfiguration()
        XCTAssertFalse(configuration.usesLabelClassifier)
        configuration.classifierGuidance = true
        XCTAssertTrue(configuration.usesLabelClassifier)
        configuration.epochs = 2
        let (_, encoder, matrix) = try TestDatasets.encoded("gbsg2")
        let model = try TabularGANTrainer(configuration: configuration, encoder: encoder, data: matrix,
                                          privacy: .differentiallyPrivate(PrivacyBudget(epsilon: 1, delta: 1e-5)),
                                          randomness: .seeded(3)).train()
        let record = model.privacy
        let classifier = try XCTUnwrap(record.classifier)
        var accountant = RDPAccountant()
        try accountant.compose(.composed([.gaussian(noiseMultiplier: try XCTUnwrap(record.labelNoiseMultiplier)),
                                          .gaussian(noiseMultiplier: try XCTUnwrap(record.marginalNoiseMultiplier)),
                                          .dpsgd(samplingProbability: classifier.samplingProbability,
                                                 noiseMultiplier: classifier.noiseMultiplier, steps: classifier.steps),
                                          .dpsgd(samplingProbability: record.samplingProbability,
                                                 noiseMultiplier: record.noiseMultiplier, steps: record.steps)]))
        XCTAssertEqual(try accountant.epsilon(forDelta: 1e-5), record.epsilon, accuracy: 1e-12)
        XCTAssertLessThanOrEqual(record.epsilon, 1)
        configuration.modelKind = .gan
        XCTAssertFalse(configuration.usesLabelClassifier)
    }
}
