import DPSynthEngine
import DPSynthPrivacy
import DPSynthRandom

/// A small classifier of the label from the other columns, trained with DP-SGD on the real rows
/// before the GAN, whose cross-entropy on the generated rows guides an AC-GAN's generator.
///
/// Why try it: the discriminator's auxiliary head shares one clipping norm and one noise draw
/// per coordinate with every discriminator parameter (~5k), while a per-column logistic
/// regression has tens of weights, so the same noise σC per coordinate leaves it a much better
/// signal-to-noise ratio (its own test AUC on gbsg2 at ε = 0.5 is close to the non-private
/// 0.59). The generator then learns to produce rows whose label the classifier recognises. The
/// idea is AC-GAN's auxiliary classifier (Odena et al. 2017) trained as its own private release;
/// the generator's use of it is post-processing.
///
/// Measured (docs/models.md): on 32 held-out seeds of gbsg2 it did not raise train-on-synthetic
/// AUC (ε = 1 LR 0.530 vs 0.570 without it), so it is off by default
/// (`TabularGANConfiguration.classifierGuidance`).
///
/// Privacy: its own DP-SGD event (Poisson rate q, σ, T steps, clipping norm C), composed with
/// every other release of the run in `PrivacyPlan`; σ is calibrated to the configuration's share
/// of the budget.
struct LabelClassifier {
    /// One network per group of generated columns: a single group of every column for
    /// `ClassifierStructure.joint`, one group per schema column for `.perColumn`.
    let networks: [MLP]
    /// Generated-layout column ranges of each group (a column's value span and null indicator).
    let groups: [[Range<Int>]]
    let classCount: Int

    init(configuration: TabularGANConfiguration, layout: ModelLayout, random: RandomSource) {
        classCount = layout.classCount
        switch configuration.classifierStructure {
        case .joint:
            groups = [layout.generatedSpans.map(\.range)]
        case .perColumn:
            var names: [String] = []
            var ranges: [String: [Range<Int>]] = [:]
            for span in layout.generatedSpans {
                if ranges[span.columnName] == nil { names.append(span.columnName) }
                ranges[span.columnName, default: []].append(span.range)
            }
            groups = names.compactMap { ranges[$0] }
        }
        let classes = classCount
        networks = groups.enumerated().map { index, ranges in
            MLP(sizes: [ranges.reduce(0) { $0 + $1.count }] + configuration.classifierWidths + [classes],
                name: "classifier.\(index)", hiddenActivation: .leakyRelu(negativeSlope: 0.2),
                weightInitializer: .glorotUniform, random: random)
        }
    }

    var parameters: [Parameter] { networks.flatMap(\.parameters) }

    /// Per-row cross-entropy of `classes` under the classifier, summed over the groups:
    /// [rows, generatedWidth] → [rows]. One row is one example (its terms are clipped together).
    func losses(_ rows: Tensor, classes: [Int]) -> Tensor {
        var total: Tensor?
        for (network, ranges) in zip(networks, groups) {
            let input = Tensor.concatenate(ranges.map { rows.sliced(alongAxis: 1, $0) }, alongAxis: 1)
            let terms = crossEntropy(logits: network(input), labels: classes, reduction: .none)
            total = total.map { $0 + terms } ?? terms
        }
        return total ?? Tensor(zeros: [rows.shape[0]])
    }

    /// Its DP-SGD schedule on `datasetSize` rows: q = batch / rows (capped at 1), ⌈epochs / q⌉
    /// steps, the clipping norm and the budget share σ is calibrated to.
    static func schedule(configuration: TabularGANConfiguration, datasetSize: Int) -> PrivacyPlan.ClassifierSchedule {
        let q = Swift.min(1, Double(configuration.classifierBatchSize) / Double(Swift.max(datasetSize, 1)))
        return PrivacyPlan.ClassifierSchedule(samplingProbability: q, steps: Int((Double(configuration.classifierEpochs) / q).rounded(.up)),
                                              clippingNorm: Double(configuration.classifierClippingNorm),
                                              budgetShare: configuration.classifierBudgetShare)
    }

    /// Trains on `rows` ([rowCount, generatedWidth], generated layout) with their `classes`:
    /// DP-SGD when `noiseMultiplier` is given (Poisson sampling, per-example clipping to C,
    /// Gaussian noise σC, divided by qN), plain minibatch Adam otherwise.
    func train(rows: [Float], classes: [Int], width: Int, configuration: TabularGANConfiguration,
                        noiseMultiplier: Double?, privacyRandom: RandomSource) throws {
        let count = classes.count
        let schedule = Self.schedule(configuration: configuration, datasetSize: count)
        let optimizer = Adam(parameters: parameters, learningRate: configuration.classifierLearningRate)
        let sampler = try PoissonSampler(samplingProbability: schedule.samplingProbability, datasetSize: count)
        let dpsgd = try noiseMultiplier.map {
            try DPSGDStep(configuration: DPSGDConfiguration(noiseMultiplier: $0, clippingNorm: schedule.clippingNorm,
                                                            samplingProbability: schedule.samplingProbability, datasetSize: count),
                          optimizer: optimizer, random: privacyRandom)
        }
        for _ in 0..<schedule.steps {
            let sampled = dpsgd?.sampleBatch() ?? sampler.sample(using: privacyRandom)
            let batch = Tensor(shape: [sampled.count, width], scalars: gatherRows(sampled, of: rows, width: width))
            let losses = self.losses(batch, classes: sampled.map { classes[$0] })
            if let dpsgd {
                do {
                    try dpsgd.step(try PerExampleGradients(of: losses, withRespectTo: parameters))
                } catch let error as PerExampleGradientError {
                    throw TrainingError.perExampleGradients(error.description)
                }
            } else if !sampled.isEmpty {
                optimizer.step(gradients: gradients(of: losses.mean(), withRespectTo: parameters))
            }
        }
    }
}
