import DPSynthAccounting
import DPSynthEngine
import DPSynthPrivacy
import DPSynthRandom
import DPSynthTabular

/// Trains a tabular GAN or AC-GAN, step by step, with the discriminator under DP-SGD.
///
/// Only the discriminator reads real records. Each step: Poisson-sample real rows with
/// probability q, generate as many fake rows as the expected batch size (a public number), take
/// the DP discriminator step (`DiscriminatorStep`), then `generatorStepsPerDiscriminatorStep`
/// generator steps — post-processing of the noised discriminator, free of privacy cost. The
/// accountant counts discriminator steps; σ was calibrated for the planned steps over the
/// composed event (schema + label marginal + DP-SGD), and the trainer never takes more.
///
/// Drive it with `train(progress:shouldStop:)`, or call `step()` yourself and `model()` for a
/// checkpoint at any point (its record states the steps actually taken).
public final class TabularGANTrainer {
    public let configuration: TabularGANConfiguration
    public let encoder: TableEncoder
    public let layout: ModelLayout
    public let privacy: TrainingPrivacy
    /// The privacy arithmetic (nil without privacy).
    public let plan: PrivacyPlan?
    public let samplingProbability: Double
    public let plannedSteps: Int
    /// Epochs the run is planned for (an epoch is 1/q steps: one expected pass over the data).
    public let plannedEpochs: Int
    public let datasetSize: Int
    public let labelMarginal: LabelMarginal?
    public private(set) var stepsTaken = 0
    public private(set) var history = TrainingHistory()

    private let generatedRows: [Float]
    private let classes: [Int]
    private let generator: TabularGenerator
    private let discriminator: TabularDiscriminator
    private let generatorOptimizer: Adam
    private let discriminatorOptimizer: Adam
    private let discriminatorStep: DiscriminatorStep
    /// DPSynthPrivacy's DP-SGD step (Poisson sampling, clipping, noise), nil without privacy.
    private let dpsgd: DPSGDStep?
    private let sampler: PoissonSampler
    /// DP noise and Poisson sampling: secure unless the run is seeded.
    private let privacyRandom: RandomSource
    /// Initialisation, latent noise, Gumbel noise, fake labels.
    private let modelRandom: RandomSource
    /// Released categorical shares the generator matches (nil when off).
    private let marginals: CategoricalMarginals?
    /// The private label classifier guiding the generator (nil when off).
    private let labelClassifier: LabelClassifier?
    /// The auxiliary loss weight in effect (0 when the private classifier guides instead).
    private let auxiliaryLossWeight: Float
    private var epochLossSums = (discriminator: 0.0, generator: 0.0, steps: 0)
    private var lastEpsilon: Double

    /// Sets up a run on `data`, the encoder's matrix of the training table.
    ///
    /// Under DP this calibrates σ (and the label marginal's σ) with the accountant and releases
    /// the label marginal, spending its part of the budget.
    public init(configuration: TabularGANConfiguration, encoder: TableEncoder, data: EncodedMatrix,
                privacy: TrainingPrivacy, randomness: TrainingRandomness = .secure) throws {
        try configuration.validate()
        guard data.width == encoder.width else { throw TrainingError.matrixWidthMismatch(expected: encoder.width, found: data.width) }
        guard data.rowCount > 0 else { throw TrainingError.emptyData }
        if case .differentiallyPrivate = privacy, configuration.loss.needsGradientPenalty {
            throw TrainingError.gradientPenaltyUnderPrivacy
        }
        self.configuration = configuration
        self.encoder = encoder
        self.privacy = privacy
        layout = try ModelLayout(encoder: encoder, modelKind: configuration.modelKind)
        datasetSize = data.rowCount
        samplingProbability = Swift.min(1, Double(configuration.expectedBatchSize) / Double(data.rowCount))
        plannedEpochs = configuration.resolvedEpochs(isPrivate: privacy != .noPrivacy)
        plannedSteps = Int((Double(plannedEpochs) / samplingProbability).rounded(.up))

        switch randomness {
        case .secure:
            let secure = try SecureGenerator()
            privacyRandom = secure
            modelRandom = SeededGenerator(seed: secure.next())
        case .seeded(let seed):
            privacyRandom = SeededGenerator(seed: seed)
            modelRandom = SeededGenerator(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
        }

        let isConditional = configuration.modelKind == .acgan
        let usesClassifier = configuration.usesLabelClassifier
        switch privacy {
        case .noPrivacy:
            plan = nil
            lastEpsilon = .infinity
        case .differentiallyPrivate(let budget):
            plan = try PrivacyPlan(budget: budget, samplingProbability: samplingProbability, plannedSteps: plannedSteps,
                                   releasesLabelMarginal: isConditional, labelShare: configuration.labelMarginalBudgetShare,
                                   releasesCategoricalMarginals: configuration.marginalMatchingWeight > 0
                                       && CategoricalMarginals.hasEntries(in: layout, binCount: configuration.marginalValueBins),
                                   marginalShare: configuration.marginalBudgetShare,
                                   classifier: usesClassifier ? LabelClassifier.schedule(configuration: configuration, datasetSize: data.rowCount) : nil)
            lastEpsilon = 0
        }
        generatedRows = layout.generatedColumns(of: data, rows: Array(0..<data.rowCount))
        classes = layout.labelClasses(of: data)
        labelMarginal = isConditional
            ? LabelMarginal.release(classes: classes, classNames: layout.classNames, noiseMultiplier: plan?.labelNoiseMultiplier,
                                    random: privacyRandom)
            : nil
        marginals = configuration.marginalMatchingWeight > 0
            ? CategoricalMarginals(layout: layout, rows: generatedRows, rowCount: data.rowCount,
                                   classes: isConditional && configuration.marginalsPerClass ? classes : nil,
                                   classCount: layout.classCount, binCount: configuration.marginalValueBins,
                                   noiseMultiplier: plan?.marginalNoiseMultiplier, random: privacyRandom)
            : nil

        if usesClassifier {
            let classifier = LabelClassifier(configuration: configuration, layout: layout, random: modelRandom)
            try classifier.train(rows: generatedRows, classes: classes, width: layout.generatedWidth, configuration: configuration,
                                 noiseMultiplier: plan.map { $0.classifierRelease?.noiseMultiplier ?? 0 }, privacyRandom: privacyRandom)
            labelClassifier = classifier
        } else {
            labelClassifier = nil
        }
        generator = TabularGenerator(configuration: configuration, layout: layout, random: modelRandom)
        discriminator = TabularDiscriminator(configuration: configuration, layout: layout, random: modelRandom)
        generatorOptimizer = Adam(parameters: generator.parameters, learningRate: configuration.generatorLearningRate,
                                  beta1: configuration.adamBeta1, beta2: configuration.adamBeta2)
        discriminatorOptimizer = Adam(parameters: discriminator.parameters, learningRate: configuration.discriminatorLearningRate,
                                      beta1: configuration.adamBeta1, beta2: configuration.adamBeta2)
        // With the private classifier guiding the generator, the discriminator's auxiliary head
        // is left out of both losses (measured better than both together, docs/models.md).
        auxiliaryLossWeight = usesClassifier ? 0 : configuration.auxiliaryLossWeight
        discriminatorStep = DiscriminatorStep(loss: configuration.loss, auxiliaryLossWeight: auxiliaryLossWeight,
                                              classifiesFakeRows: configuration.discriminatorClassifiesFakeRows)
        sampler = try PoissonSampler(samplingProbability: samplingProbability, datasetSize: datasetSize)
        if let plan {
            dpsgd = try DPSGDStep(configuration: DPSGDConfiguration(noiseMultiplier: plan.noiseMultiplier,
                                                                    clippingNorm: Double(configuration.clippingNorm),
                                                                    samplingProbability: samplingProbability, datasetSize: datasetSize),
                                  optimizer: discriminatorOptimizer, random: privacyRandom)
        } else {
            dpsgd = nil
        }
        history.plannedSteps = plannedSteps
    }

    /// Whole expected passes over the data after `steps` steps: ⌊steps · q⌋ (so the planned
    /// ⌈epochs / q⌉ steps end exactly at epoch `epochs`, whatever q).
    private func epochsCompleted(afterSteps steps: Int) -> Int {
        Int((Double(steps) * samplingProbability).rounded(.down))
    }

    /// True once the planned steps (the budget) are used up.
    public var isFinished: Bool { stepsTaken >= plannedSteps }

    /// Whether DP noise and sampling come from a cryptographically secure generator.
    public var usesSecureRandomness: Bool { dpsgd?.isCryptographicallySecure ?? privacyRandom.isCryptographicallySecure }

    /// One discriminator step and its generator steps. Precondition: not finished.
    @discardableResult
    public func step() throws -> TrainingProgress {
        precondition(!isFinished, "training already took its \(plannedSteps) planned steps")
        let expected = configuration.expectedBatchSize
        // Phase 0: Poisson sampling — each record independently with probability q.
        let sampled = dpsgd?.sampleBatch() ?? sampler.sample(using: privacyRandom)
        let fakeClasses = labelMarginal?.draw(count: expected, random: modelRandom) ?? []
        let fake = withoutGradients {
            generator(noise: latentNoise(rows: expected), classes: fakeClasses, mode: .training(modelRandom)).detached()
        }
        let real = Tensor(shape: [sampled.count, layout.generatedWidth], scalars: gatherRows(sampled, of: generatedRows, width: layout.generatedWidth))
        let batch = DiscriminatorBatch(rows: Tensor.concatenate([real, fake], alongAxis: 0), realCount: sampled.count,
                                       classes: labelMarginal == nil ? [] : sampled.map { classes[$0] } + fakeClasses)
        let discriminatorLoss: Float
        if let dpsgd {
            do {
                let result = try discriminatorStep.privateGradients(discriminator, batch, dpsgd: dpsgd)
                discriminatorOptimizer.step(gradients: result.gradients)
                discriminatorLoss = result.meanLoss
            } catch let error as PerExampleGradientError {
                throw TrainingError.perExampleGradients(error.description)
            }
        } else {
            let result = discriminatorStep.plainGradients(discriminator, batch, expectedBatchSize: expected,
                                                          gradientPenaltyWeight: configuration.gradientPenaltyWeight,
                                                          random: modelRandom)
            discriminatorOptimizer.step(gradients: result.gradients)
            discriminatorLoss = result.meanLoss
        }
        if configuration.loss.clipsWeights { clipDiscriminatorWeights() }

        var generatorLoss: Float = 0
        for _ in 0..<configuration.generatorStepsPerDiscriminatorStep { generatorLoss = generatorUpdate(rows: expected) }

        stepsTaken += 1
        history.stepsTaken = stepsTaken
        epochLossSums.discriminator += Double(discriminatorLoss)
        epochLossSums.generator += Double(generatorLoss)
        epochLossSums.steps += 1
        let isEpochEnd = epochsCompleted(afterSteps: stepsTaken) > epochsCompleted(afterSteps: stepsTaken - 1) || isFinished
        if isEpochEnd { try closeEpoch() }
        return TrainingProgress(epoch: Swift.min(epochsCompleted(afterSteps: stepsTaken - 1) + 1, plannedEpochs), step: stepsTaken, plannedSteps: plannedSteps,
                                discriminatorLoss: Double(discriminatorLoss), generatorLoss: Double(generatorLoss),
                                epsilon: lastEpsilon, isEpochEnd: isEpochEnd)
    }

    /// Runs to the planned steps, reporting after each step; `shouldStop` is checked between
    /// steps (Ctrl-C), and stopping early still returns a valid model for the steps taken.
    public func train(progress: (TrainingProgress) -> Void = { _ in }, shouldStop: () -> Bool = { false }) throws -> TrainedModel {
        while !isFinished {
            if shouldStop() {
                history.stoppedEarly = true
                if epochLossSums.steps > 0 { try closeEpoch() }
                break
            }
            progress(try step())
        }
        return try model()
    }

    /// The model as trained so far, with the privacy actually spent: a checkpoint or the result.
    public func model() throws -> TrainedModel {
        let record: PrivacyRecord
        let description = privacyRandom.description
        if let plan {
            let points = history.epochs.map { PrivacyRecord.EpsilonPoint(step: $0.step, epsilon: $0.epsilon) }
            record = try plan.record(steps: stepsTaken, datasetSize: datasetSize, clippingNorm: Double(configuration.clippingNorm),
                                     secureRandomness: usesSecureRandomness, randomnessDescription: description, history: points)
        } else {
            record = PrivacyPlan.nonPrivateRecord(steps: stepsTaken, plannedSteps: plannedSteps, datasetSize: datasetSize,
                                                  samplingProbability: samplingProbability,
                                                  secureRandomness: usesSecureRandomness, randomnessDescription: description)
        }
        return try TrainedModel(configuration: configuration, schema: encoder.schema, labelMarginal: labelMarginal,
                                privacy: record, history: history,
                                parameterBytes: ParameterArchive.serialized(generator.storedParameters))
    }

    // MARK: - Pieces of a step

    private func latentNoise(rows: Int) -> Tensor {
        var noise = Tensor(zeros: [rows, configuration.noiseDimension])
        noise.withUnsafeMutableBufferPointer { modelRandom.fillGaussian($0) }
        return noise
    }

    /// One generator step: fool the discriminator (and, for an AC-GAN, make its auxiliary head
    /// recognise the requested class). Reads no real record.
    private func generatorUpdate(rows: Int) -> Float {
        let fakeClasses = labelMarginal?.draw(count: rows, random: modelRandom) ?? []
        let fake = generator(noise: latentNoise(rows: rows), classes: fakeClasses, mode: .training(modelRandom))
        let (adversarial, auxiliary) = discriminator(fake)
        var loss = configuration.loss.generatorTerm(adversarial).mean()
        if let auxiliary {
            loss = loss + crossEntropy(logits: auxiliary, labels: fakeClasses) * auxiliaryLossWeight
        }
        if let marginals { loss = loss + marginals.loss(fake, classes: fakeClasses) * configuration.marginalMatchingWeight }
        if let labelClassifier {
            loss = loss + labelClassifier.losses(fake, classes: fakeClasses).mean() * configuration.classifierGuidanceWeight
        }
        generatorOptimizer.step(gradients: gradients(of: loss, withRespectTo: generator.parameters))
        return loss.scalar
    }

    /// WGAN's weight clipping (post-processing of the private update).
    private func clipDiscriminatorWeights() {
        let bound = configuration.weightClippingBound
        for parameter in discriminator.parameters {
            parameter.update { values in for i in values.indices { values[i] = Swift.min(Swift.max(values[i], -bound), bound) } }
        }
    }

    private func closeEpoch() throws {
        if let plan { lastEpsilon = try plan.epsilon(afterSteps: stepsTaken) }
        let steps = Double(Swift.max(epochLossSums.steps, 1))
        history.epochs.append(TrainingHistory.Epoch(
            epoch: history.epochs.count + 1, step: stepsTaken, discriminatorLoss: epochLossSums.discriminator / steps,
            generatorLoss: epochLossSums.generator / steps, epsilon: lastEpsilon))
        epochLossSums = (0, 0, 0)
    }
}

/// Rows `rows` of a row-major matrix of `width` columns, in that order: a DP-SGD batch.
func gatherRows(_ rows: [Int], of matrix: [Float], width: Int) -> [Float] {
    var result = [Float](repeating: 0, count: rows.count * width)
    matrix.withUnsafeBufferPointer { source in
        result.withUnsafeMutableBufferPointer { target in
            for (index, row) in rows.enumerated() {
                for j in 0..<width { target[index * width + j] = source[row * width + j] }
            }
        }
    }
    return result
}
