import Foundation
import DPSynthAccounting
import DPSynthRandom
import DPSynthTabular
import XCTest
@testable import DPSynthModels

/// Budget arithmetic, stopping, checkpoints and every loss.
final class TrainerTests: XCTestCase {
    private func gbsg2() throws -> (TableEncoder, EncodedMatrix) {
        let (_, encoder, matrix) = try TestDatasets.encoded("gbsg2")
        return (encoder, matrix)
    }

    func testSigmaIsCalibratedOverTheComposedEvent() throws {
        let budget = PrivacyBudget(epsilon: 2, delta: 1e-5, schemaEpsilon: 0.3, schemaBounds: .paidFor)
        let plan = try PrivacyPlan(budget: budget, samplingProbability: 0.1, plannedSteps: 200, releasesLabelMarginal: true, labelShare: 0.1)
        let full = try plan.epsilon(afterSteps: 200)
        XCTAssertLessThanOrEqual(full, 2)
        XCTAssertGreaterThan(full, 2 * (1 - 1e-4), "σ is the smallest that fits: ε should be at the budget")
        // The label marginal alone was calibrated to 10% of what the schema left.
        var label = RDPAccountant()
        try label.compose(.gaussian(noiseMultiplier: try XCTUnwrap(plan.labelNoiseMultiplier)))
        XCTAssertEqual(try label.epsilon(forDelta: 1e-5), 0.17, accuracy: 0.17e-4)
        // A plan without the schema spend would need less noise.
        let cheaper = try PrivacyPlan(budget: PrivacyBudget(epsilon: 2, delta: 1e-5), samplingProbability: 0.1, plannedSteps: 200,
                                      releasesLabelMarginal: false, labelShare: 0.1)
        XCTAssertLessThan(cheaper.noiseMultiplier, plan.noiseMultiplier)
        XCTAssertThrowsError(try PrivacyPlan(budget: PrivacyBudget(epsilon: 0.5, delta: 1e-5, schemaEpsilon: 0.5),
                                             samplingProbability: 0.1, plannedSteps: 1, releasesLabelMarginal: false, labelShare: 0.1)) { error in
            XCTAssertEqual(error as? TrainingError, .budgetTooSmall(epsilon: 0.5, schemaEpsilon: 0.5))
        }
    }

    /// A schema spend with δ > 0 (thresholded categories without public candidates) is not pure:
    /// it is added by basic composition, the accountant working at the δ that is left.
    func testApproximateSchemaSpendComposesBasically() throws {
        let budget = PrivacyBudget(epsilon: 2, delta: 1e-5, schemaEpsilon: 0.3, schemaDelta: 4e-6, schemaBounds: .paidFor)
        let plan = try PrivacyPlan(budget: budget, samplingProbability: 0.1, plannedSteps: 100, releasesLabelMarginal: false, labelShare: 0.1)
        var accountant = RDPAccountant()
        try accountant.compose(.dpsgd(samplingProbability: 0.1, noiseMultiplier: plan.noiseMultiplier, steps: 100))
        XCTAssertEqual(try plan.epsilon(afterSteps: 100), 0.3 + (try accountant.epsilon(forDelta: 6e-6)), accuracy: 1e-12)
        XCTAssertLessThanOrEqual(try plan.epsilon(afterSteps: 100), 2)
        XCTAssertGreaterThan(try plan.epsilon(afterSteps: 100), 2 * (1 - 1e-4))
    }

    /// 1/q = 686/64 is not a whole number: the history still has exactly the planned epochs,
    /// the last one ending at the last planned step, and progress never reports a later epoch.
    func testHistoryHasThePlannedEpochsWhateverTheSamplingRate() throws {
        let (encoder, matrix) = try gbsg2()
        var configuration = TestDatasets.smallConfiguration()
        configuration.epochs = 3
        let trainer = try TabularGANTrainer(configuration: configuration, encoder: encoder, data: matrix,
                                            privacy: .noPrivacy, randomness: .seeded(5))
        var reported: [Int] = []
        let model = try trainer.train(progress: { reported.append($0.epoch) })
        XCTAssertEqual(trainer.plannedEpochs, 3)
        XCTAssertEqual(model.history.epochs.map(\.epoch), [1, 2, 3])
        XCTAssertEqual(model.history.epochs.last?.step, trainer.plannedSteps)
        XCTAssertEqual(reported.first, 1)
        XCTAssertEqual(reported.last, 3)
        XCTAssertEqual(reported, reported.sorted())
    }

    func testStoppingEarlyGivesACheckpointWithTheStepsTaken() throws {
        let (encoder, matrix) = try gbsg2()
        var configuration = TestDatasets.smallConfiguration()
        configuration.epochs = 3
        let trainer = try TabularGANTrainer(configuration: configuration, encoder: encoder, data: matrix,
                                            privacy: .differentiallyPrivate(PrivacyBudget(epsilon: 1, delta: 1e-5)),
                                            randomness: .seeded(2))
        var reports: [TrainingProgress] = []
        let model = try trainer.train(progress: { reports.append($0) }, shouldStop: { reports.count == 5 })
        XCTAssertEqual(model.privacy.steps, 5)
        XCTAssertGreaterThan(model.privacy.plannedSteps, 5)
        XCTAssertTrue(model.history.stoppedEarly)
        XCTAssertLessThan(model.privacy.epsilon, 1)
        XCTAssertEqual(model.privacy.epsilon, try trainer.plan?.epsilon(afterSteps: 5))
        XCTAssertEqual(model.privacy.epsilonHistory.last?.step, 5)
        XCTAssertEqual(reports.map(\.step), [1, 2, 3, 4, 5])
        // The checkpoint loads like any model file.
        let reloaded = try TrainedModel(bytes: try model.serialized(toolVersion: "test"), source: "checkpoint")
        XCTAssertEqual(reloaded.privacy, model.privacy)
    }

    func testEpsilonHistoryIsNonDecreasingAndFromTheAccountant() throws {
        let (encoder, matrix) = try gbsg2()
        var configuration = TestDatasets.smallConfiguration(.gan)
        configuration.epochs = 3
        let trainer = try TabularGANTrainer(configuration: configuration, encoder: encoder, data: matrix,
                                            privacy: .differentiallyPrivate(PrivacyBudget(epsilon: 3, delta: 1e-5)),
                                            randomness: .seeded(4))
        let model = try trainer.train()
        let history = model.privacy.epsilonHistory
        XCTAssertEqual(history.count, 3)
        XCTAssertEqual(history.map(\.epsilon), history.map(\.epsilon).sorted())
        let marginal = try XCTUnwrap(model.privacy.marginalNoiseMultiplier)
        for point in history {
            var accountant = RDPAccountant()
            try accountant.compose(.gaussian(noiseMultiplier: marginal))
            try accountant.compose(.dpsgd(samplingProbability: model.privacy.samplingProbability,
                                          noiseMultiplier: model.privacy.noiseMultiplier, steps: point.step))
            XCTAssertEqual(point.epsilon, try accountant.epsilon(forDelta: 1e-5), accuracy: 1e-12)
        }
        XCTAssertLessThanOrEqual(model.privacy.epsilon, 3)
        XCTAssertNil(model.privacy.labelNoiseMultiplier)
    }

    func testPartialConfigurationTakesDefaultsAndBadValuesAreNamed() throws {
        let partial = try JSONDecoder().decode(TabularGANConfiguration.self, from: Data(#"{"modelKind": "gan", "epochs": 7}"#.utf8))
        var expected = TabularGANConfiguration()
        expected.modelKind = .gan
        expected.epochs = 7
        XCTAssertEqual(partial, expected)
        // The message `validate()` gives for the defaults changed by `change`, or nil if accepted.
        func refusal(_ change: (inout TabularGANConfiguration) -> Void) -> String? {
            var configuration = TabularGANConfiguration()
            change(&configuration)
            do { try configuration.validate(); return nil } catch { return "\(error)" }
        }
        XCTAssertEqual(refusal { $0.clippingNorm = 0 }, "model configuration: clippingNorm is 0.0; expected a positive number")
        // The classifier's share must leave budget for training beside the other shares when
        // the classifier is used; unused, it does not limit the marginals' share.
        XCTAssertNil(refusal { $0.classifierBudgetShare = 0.85 })
        XCTAssertEqual(refusal { $0.classifierBudgetShare = 0.85; $0.classifierGuidance = true },
                       "model configuration: classifierBudgetShare is 0.85; expected a number in (0, 1) that leaves budget for training beside the marginal shares")
        XCTAssertNil(refusal { $0.marginalBudgetShare = 0.8 })
        XCTAssertEqual(refusal { $0.marginalValueBins = 1 },
                       "model configuration: marginalValueBins is 1; expected 0 or a whole number from 2 to 1000")
        XCTAssertEqual(refusal { $0.epochs = 0 }, "model configuration: epochs is 0; expected at least 1")
        // A configuration file written without `epochs` takes the default of its privacy mode.
        XCTAssertEqual(partial.resolvedEpochs(isPrivate: true), 7)
        XCTAssertEqual(TabularGANConfiguration().resolvedEpochs(isPrivate: true), 40)
        XCTAssertEqual(TabularGANConfiguration().resolvedEpochs(isPrivate: false), 80)
    }

    func testEveryLossAndGeneratorVariantTrains() throws {
        let (encoder, matrix) = try gbsg2()
        let variants: [(AdversarialLoss, GeneratorNormalization, LabelConditioning, Bool)] = [
            (.nonSaturating, .batchNorm, .embedding, true), (.minimax, .none, .oneHot, false),
            (.leastSquares, .layerNorm, .embedding, false), (.wasserstein, .layerNorm, .oneHot, true),
            (.hinge, .batchNorm, .oneHot, false), (.wassersteinGradientPenalty, .layerNorm, .oneHot, false),
        ]
        for (loss, normalization, conditioning, residual) in variants {
            var configuration = TestDatasets.smallConfiguration()
            configuration.loss = loss
            configuration.generatorNormalization = normalization
            configuration.labelConditioning = conditioning
            configuration.generatorResidual = residual
            configuration.epochs = 1
            let privacy: TrainingPrivacy = loss == .wassersteinGradientPenalty ? .noPrivacy
                : .differentiallyPrivate(PrivacyBudget(epsilon: 5, delta: 1e-5))
            let trainer = try TabularGANTrainer(configuration: configuration, encoder: encoder, data: matrix, privacy: privacy,
                                                randomness: .seeded(3))
            let model = try trainer.train()
            for epoch in model.history.epochs {
                XCTAssertTrue(epoch.discriminatorLoss.isFinite && epoch.generatorLoss.isFinite, "\(loss)")
            }
            XCTAssertEqual(model.history.stepsTaken, trainer.plannedSteps, "\(loss)")
            let sample = try model.sampleTable(count: 20, random: SeededGenerator(seed: 1))
            XCTAssertEqual(sample.rowCount, 20, "\(loss)")
        }
    }
}
