/// Everything that shapes a tabular GAN or AC-GAN and its training, as one Codable value stored
/// in the model file (so `dpsynth inspect` shows it and loading can rebuild the networks).
///
/// Defaults were chosen by measurement on gbsg2 and flchain at ε ∈ {1, 3, 10} and without
/// privacy (TSTR ROC AUC on the fixed splits, three seeds each; docs/models.md): a small
/// discriminator (64, 64; ~5k parameters), an expected batch of 128 rows, 40 epochs under DP (80 without privacy), Adam
/// 3e-3 with β = (0.5, 0.9), clipping norm 0.1 (below the typical per-row gradient norm, so
/// every real row is clipped and the noise σC is as small as the signal allows), one generator
/// step per discriminator step (three were measured worse, with and without privacy), and
/// BatchNorm in the generator (better fidelity than LayerNorm or none without privacy).
public struct TabularGANConfiguration: Codable, Equatable {
    /// Plain GAN, or AC-GAN conditioned on the schema's label column (Odena et al. 2017).
    public var modelKind: ModelKind = .acgan
    /// Width of the latent noise vector z ~ N(0, I).
    public var noiseDimension: Int = 32
    /// Hidden widths of the generator's MLP.
    public var generatorWidths: [Int] = [128, 128]
    /// Residual hidden blocks in the generator (h ← h + block(h) where widths agree).
    public var generatorResidual: Bool = false
    /// Normalisation inside the generator. G never reads real records, so batch statistics are
    /// harmless for privacy there.
    public var generatorNormalization: GeneratorNormalization = .batchNorm
    /// Hidden widths of the discriminator's MLP. Small on purpose under DP: the noise added per
    /// step is σC in every coordinate, so fewer parameters means a better signal-to-noise ratio.
    public var discriminatorWidths: [Int] = [64, 64]
    /// LayerNorm in the discriminator's hidden layers. Never BatchNorm: batch statistics would
    /// mix examples and break per-example clipping.
    public var discriminatorLayerNorm: Bool = false
    public var loss: AdversarialLoss = .nonSaturating
    /// Gradient-penalty weight λ for `wassersteinGradientPenalty` (Gulrajani et al. 2017, eq. 3).
    public var gradientPenaltyWeight: Float = 10
    /// Weight clipping bound c for `wasserstein` (Arjovsky et al. 2017, Algorithm 1).
    public var weightClippingBound: Float = 0.01
    public var generatorLearningRate: Float = 3e-3
    public var discriminatorLearningRate: Float = 3e-3
    public var adamBeta1: Float = 0.5
    public var adamBeta2: Float = 0.9
    /// Generator steps after each discriminator step (post-processing: no privacy cost, but
    /// measured to destabilise training beyond 1).
    public var generatorStepsPerDiscriminatorStep: Int = 1
    /// Expected number of real rows per discriminator step; the sampling probability is
    /// q = expectedBatchSize / rows (capped at 1). Also the number of fake rows per step.
    public var expectedBatchSize: Int = 128
    /// Passes over the data: planned discriminator steps = ⌈epochs / q⌉. nil: 40 under DP, 80
    /// without privacy (`resolvedEpochs`). Under DP more steps mean more noise per step; 40
    /// rather than 20 measured better on small tables (gbsg2 ε = 1: TSTR LR 0.600 vs 0.565, RF
    /// 0.639 vs 0.582), a tie on flchain. Without privacy the extra passes cost only time: 80
    /// gave flchain's random-forest TSTR AUC 0.792 vs 0.787 over nine seeds (train-on-real
    /// 0.820) — a small gain within the seed spread; gbsg2 ties.
    public var epochs: Int?
    /// Per-example clipping norm C of the discriminator's gradient.
    public var clippingNorm: Float = 0.1
    /// Gumbel-softmax temperature for categorical outputs in training (Jang et al. 2017).
    public var gumbelTemperature: Float = 0.2
    /// How the generator reads the label (AC-GAN).
    public var labelConditioning: LabelConditioning = .oneHot
    /// Share of the ε budget (after the schema's) given to releasing the label marginal of an
    /// AC-GAN with the Gaussian mechanism; the rest calibrates DP-SGD over the composed event.
    public var labelMarginalBudgetShare: Double = 0.1
    /// Weight of the auxiliary classification loss (AC-GAN). 3 rather than 1: each real row's
    /// clipped gradient then spends more of its norm C on the label relation, which TSTR
    /// measures (gbsg2 ε = 3: LR AUC 0.604 vs 0.562, RF 0.640 vs 0.529; flchain unchanged).
    public var auxiliaryLossWeight: Float = 3
    /// Whether the discriminator's auxiliary classifier also trains on fake rows with their
    /// requested classes, as in the original AC-GAN. Off by default: under DP the fake rows'
    /// terms are unclipped and noiseless while the real rows' are clipped and noised, so the
    /// classifier and the generator can agree on a label–feature relation of their own that the
    /// real data never showed (measured: TSTR AUC below 0.5 at ε = 1 on gbsg2; docs/models.md).
    public var discriminatorClassifiesFakeRows: Bool = false
    /// Weight of the generator's marginal-matching loss on categorical entries, null indicators
    /// and binned continuous values (0 turns it off and releases nothing); see `CategoricalMarginals`.
    public var marginalMatchingWeight: Float = 10
    /// Share of the ε budget (after the schema's) given to releasing those marginals. Half:
    /// on a small table a few released counts per class carry the label relation better than
    /// DP-SGD steps do (docs/models.md, "Small tables"). With per-class, binned marginals and
    /// half of ε, on 32 held-out gbsg2 seeds: ε = 1 TSTR AUC LR 0.545 → 0.578, RF 0.583 → 0.603,
    /// column fidelity 0.805 → 0.890 (ε = 3, 10: AUC level, fidelity 0.856 → 0.928, 0.884 →
    /// 0.935); flchain kept its AUC with fidelity 0.84 → 0.95.
    public var marginalBudgetShare: Double = 0.5
    /// Whether an AC-GAN matches those marginals per class of its label (same sensitivity: a
    /// record moves only its own class's counts), so the release carries the label–feature
    /// relation that train-on-synthetic classifiers read.
    public var marginalsPerClass: Bool = true
    /// Equal-width bins of each scaled continuous value's range added to the matched marginals
    /// as a block of their own, soft at the edges (0: none). 8 rather than 5: nearly the same
    /// TSTR AUC on gbsg2 (ε = 3 RF 0.641 vs 0.652, tuning seeds) with better column fidelity
    /// (0.924 vs 0.880) and no loss on flchain (ε = 1 LR 0.840 vs 0.804).
    public var marginalValueBins: Int = 8
    /// Whether a separately trained private label classifier (`LabelClassifier`, AC-GAN only)
    /// guides the generator. Off by default: on 32 held-out seeds of gbsg2 it did not raise
    /// train-on-synthetic AUC (ε = 1: LR 0.530 vs 0.570 off; ε = 3, 10: ties; docs/models.md).
    public var classifierGuidance: Bool = false
    /// Weight of the generator's cross-entropy under that classifier.
    public var classifierGuidanceWeight: Float = 1
    /// Share of the ε budget (after the schema's) the classifier's DP-SGD is calibrated to alone
    /// (RDP composition then charges it far less: the discriminator's σ grows ~4 % on gbsg2).
    public var classifierBudgetShare: Double = 0.25
    /// One classifier over every column, or one per column (each column's own association with
    /// the label, summed).
    public var classifierStructure: ClassifierStructure = .perColumn
    /// Hidden widths of the classifier ([] = multinomial logistic regression).
    public var classifierWidths: [Int] = []
    /// Passes over the data when training the classifier: steps = ⌈epochs / q⌉.
    public var classifierEpochs: Int = 20
    /// Expected rows per classifier step (q = classifierBatchSize / rows, capped at 1).
    public var classifierBatchSize: Int = 256
    public var classifierLearningRate: Float = 0.05
    /// Per-example clipping norm of the classifier's gradient.
    public var classifierClippingNorm: Float = 1

    public init() {}

    /// The epochs a run trains for: `epochs`, or the measured default for its privacy mode.
    public func resolvedEpochs(isPrivate: Bool) -> Int { epochs ?? (isPrivate ? 40 : 80) }

    /// Whether the run trains and uses a private label classifier.
    var usesLabelClassifier: Bool { modelKind == .acgan && classifierGuidance && classifierGuidanceWeight > 0 }

    /// Checks the values a user or a file can get wrong.
    public func validate() throws {
        func require(_ condition: Bool, _ field: String, _ value: Any, _ expected: String) throws {
            if !condition { throw ConfigurationError.invalidValue(field: field, value: "\(value)", expected: expected) }
        }
        try require(noiseDimension > 0, "noiseDimension", noiseDimension, "a positive integer")
        try require(!generatorWidths.isEmpty && generatorWidths.allSatisfy { $0 > 0 }, "generatorWidths", generatorWidths, "one or more positive widths")
        try require(!discriminatorWidths.isEmpty && discriminatorWidths.allSatisfy { $0 > 0 }, "discriminatorWidths", discriminatorWidths, "one or more positive widths")
        try require(generatorLearningRate > 0 && generatorLearningRate.isFinite, "generatorLearningRate", generatorLearningRate, "a positive number")
        try require(discriminatorLearningRate > 0 && discriminatorLearningRate.isFinite, "discriminatorLearningRate", discriminatorLearningRate, "a positive number")
        try require((0..<1).contains(adamBeta1), "adamBeta1", adamBeta1, "a number in [0, 1)")
        try require((0..<1).contains(adamBeta2), "adamBeta2", adamBeta2, "a number in [0, 1)")
        try require(generatorStepsPerDiscriminatorStep >= 1, "generatorStepsPerDiscriminatorStep", generatorStepsPerDiscriminatorStep, "at least 1")
        try require(expectedBatchSize >= 1, "expectedBatchSize", expectedBatchSize, "at least 1")
        try require((epochs ?? 1) >= 1, "epochs", epochs ?? 0, "at least 1")
        try require(clippingNorm > 0 && clippingNorm.isFinite, "clippingNorm", clippingNorm, "a positive number")
        try require(gumbelTemperature > 0 && gumbelTemperature.isFinite, "gumbelTemperature", gumbelTemperature, "a positive number")
        try require(labelMarginalBudgetShare > 0 && labelMarginalBudgetShare < 1, "labelMarginalBudgetShare", labelMarginalBudgetShare, "a number in (0, 1)")
        try require(weightClippingBound > 0, "weightClippingBound", weightClippingBound, "a positive number")
        try require(gradientPenaltyWeight >= 0, "gradientPenaltyWeight", gradientPenaltyWeight, "a non-negative number")
        try require(marginalMatchingWeight >= 0 && marginalMatchingWeight.isFinite, "marginalMatchingWeight", marginalMatchingWeight, "a non-negative number")
        try require(marginalValueBins == 0 || (2...1000).contains(marginalValueBins), "marginalValueBins", marginalValueBins, "0 or a whole number from 2 to 1000")
        try require(marginalBudgetShare > 0 && marginalBudgetShare < 1 && marginalBudgetShare + labelMarginalBudgetShare < 1, "marginalBudgetShare", marginalBudgetShare, "a number in (0, 1) that leaves budget for training beside labelMarginalBudgetShare")
        try require(auxiliaryLossWeight >= 0, "auxiliaryLossWeight", auxiliaryLossWeight, "a non-negative number")
        try require(classifierGuidanceWeight >= 0 && classifierGuidanceWeight.isFinite, "classifierGuidanceWeight", classifierGuidanceWeight, "a non-negative number")
        // The classifier's share only counts when the classifier is trained.
        try require(classifierBudgetShare > 0 && classifierBudgetShare < 1
                        && (!usesLabelClassifier || classifierBudgetShare + marginalBudgetShare + labelMarginalBudgetShare < 1),
                    "classifierBudgetShare", classifierBudgetShare, "a number in (0, 1) that leaves budget for training beside the marginal shares")
        try require(classifierWidths.allSatisfy { $0 > 0 }, "classifierWidths", classifierWidths, "positive widths")
        try require(classifierEpochs >= 1, "classifierEpochs", classifierEpochs, "at least 1")
        try require(classifierBatchSize >= 1, "classifierBatchSize", classifierBatchSize, "at least 1")
        try require(classifierLearningRate > 0 && classifierLearningRate.isFinite, "classifierLearningRate", classifierLearningRate, "a positive number")
        try require(classifierClippingNorm > 0 && classifierClippingNorm.isFinite, "classifierClippingNorm", classifierClippingNorm, "a positive number")
    }
}

extension TabularGANConfiguration {
    enum CodingKeys: String, CodingKey {
        case modelKind, noiseDimension, generatorWidths, generatorResidual, generatorNormalization, discriminatorWidths, discriminatorLayerNorm, loss, gradientPenaltyWeight, weightClippingBound, generatorLearningRate, discriminatorLearningRate, adamBeta1, adamBeta2, generatorStepsPerDiscriminatorStep, expectedBatchSize, epochs, clippingNorm, gumbelTemperature, labelConditioning, labelMarginalBudgetShare, auxiliaryLossWeight, discriminatorClassifiesFakeRows, marginalMatchingWeight, marginalBudgetShare, marginalsPerClass, marginalValueBins, classifierGuidance, classifierGuidanceWeight, classifierBudgetShare, classifierStructure, classifierWidths, classifierEpochs, classifierBatchSize, classifierLearningRate, classifierClippingNorm
    }

    /// Decodes a configuration in which any field may be missing (a partial file from a user, or
    /// a model file written before a field existed): missing fields take their defaults.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = TabularGANConfiguration()
        modelKind = try container.decodeIfPresent(ModelKind.self, forKey: .modelKind) ?? defaults.modelKind
        noiseDimension = try container.decodeIfPresent(Int.self, forKey: .noiseDimension) ?? defaults.noiseDimension
        generatorWidths = try container.decodeIfPresent([Int].self, forKey: .generatorWidths) ?? defaults.generatorWidths
        generatorResidual = try container.decodeIfPresent(Bool.self, forKey: .generatorResidual) ?? defaults.generatorResidual
        generatorNormalization = try container.decodeIfPresent(GeneratorNormalization.self, forKey: .generatorNormalization) ?? defaults.generatorNormalization
        discriminatorWidths = try container.decodeIfPresent([Int].self, forKey: .discriminatorWidths) ?? defaults.discriminatorWidths
        discriminatorLayerNorm = try container.decodeIfPresent(Bool.self, forKey: .discriminatorLayerNorm) ?? defaults.discriminatorLayerNorm
        loss = try container.decodeIfPresent(AdversarialLoss.self, forKey: .loss) ?? defaults.loss
        gradientPenaltyWeight = try container.decodeIfPresent(Float.self, forKey: .gradientPenaltyWeight) ?? defaults.gradientPenaltyWeight
        weightClippingBound = try container.decodeIfPresent(Float.self, forKey: .weightClippingBound) ?? defaults.weightClippingBound
        generatorLearningRate = try container.decodeIfPresent(Float.self, forKey: .generatorLearningRate) ?? defaults.generatorLearningRate
        discriminatorLearningRate = try container.decodeIfPresent(Float.self, forKey: .discriminatorLearningRate) ?? defaults.discriminatorLearningRate
        adamBeta1 = try container.decodeIfPresent(Float.self, forKey: .adamBeta1) ?? defaults.adamBeta1
        adamBeta2 = try container.decodeIfPresent(Float.self, forKey: .adamBeta2) ?? defaults.adamBeta2
        generatorStepsPerDiscriminatorStep = try container.decodeIfPresent(Int.self, forKey: .generatorStepsPerDiscriminatorStep) ?? defaults.generatorStepsPerDiscriminatorStep
        expectedBatchSize = try container.decodeIfPresent(Int.self, forKey: .expectedBatchSize) ?? defaults.expectedBatchSize
        epochs = try container.decodeIfPresent(Int.self, forKey: .epochs)
        clippingNorm = try container.decodeIfPresent(Float.self, forKey: .clippingNorm) ?? defaults.clippingNorm
        gumbelTemperature = try container.decodeIfPresent(Float.self, forKey: .gumbelTemperature) ?? defaults.gumbelTemperature
        labelConditioning = try container.decodeIfPresent(LabelConditioning.self, forKey: .labelConditioning) ?? defaults.labelConditioning
        labelMarginalBudgetShare = try container.decodeIfPresent(Double.self, forKey: .labelMarginalBudgetShare) ?? defaults.labelMarginalBudgetShare
        auxiliaryLossWeight = try container.decodeIfPresent(Float.self, forKey: .auxiliaryLossWeight) ?? defaults.auxiliaryLossWeight
        discriminatorClassifiesFakeRows = try container.decodeIfPresent(Bool.self, forKey: .discriminatorClassifiesFakeRows) ?? defaults.discriminatorClassifiesFakeRows
        marginalMatchingWeight = try container.decodeIfPresent(Float.self, forKey: .marginalMatchingWeight) ?? defaults.marginalMatchingWeight
        marginalBudgetShare = try container.decodeIfPresent(Double.self, forKey: .marginalBudgetShare) ?? defaults.marginalBudgetShare
        marginalsPerClass = try container.decodeIfPresent(Bool.self, forKey: .marginalsPerClass) ?? defaults.marginalsPerClass
        marginalValueBins = try container.decodeIfPresent(Int.self, forKey: .marginalValueBins) ?? defaults.marginalValueBins
        classifierGuidance = try container.decodeIfPresent(Bool.self, forKey: .classifierGuidance) ?? defaults.classifierGuidance
        classifierGuidanceWeight = try container.decodeIfPresent(Float.self, forKey: .classifierGuidanceWeight) ?? defaults.classifierGuidanceWeight
        classifierBudgetShare = try container.decodeIfPresent(Double.self, forKey: .classifierBudgetShare) ?? defaults.classifierBudgetShare
        classifierStructure = try container.decodeIfPresent(ClassifierStructure.self, forKey: .classifierStructure) ?? defaults.classifierStructure
        classifierWidths = try container.decodeIfPresent([Int].self, forKey: .classifierWidths) ?? defaults.classifierWidths
        classifierEpochs = try container.decodeIfPresent(Int.self, forKey: .classifierEpochs) ?? defaults.classifierEpochs
        classifierBatchSize = try container.decodeIfPresent(Int.self, forKey: .classifierBatchSize) ?? defaults.classifierBatchSize
        classifierLearningRate = try container.decodeIfPresent(Float.self, forKey: .classifierLearningRate) ?? defaults.classifierLearningRate
        classifierClippingNorm = try container.decodeIfPresent(Float.self, forKey: .classifierClippingNorm) ?? defaults.classifierClippingNorm
    }
}

/// Which adversarial model to train.
public enum ModelKind: String, Codable, CaseIterable {
    case gan
    case acgan
}

/// The generator's hidden-layer normalisation.
public enum GeneratorNormalization: String, Codable, CaseIterable {
    case none
    case layerNorm
    /// Batch statistics in training, running statistics when sampling.
    case batchNorm
}

/// The shape of the private label classifier (`LabelClassifier`).
public enum ClassifierStructure: String, Codable, CaseIterable {
    /// One network over every generated column: the label's relation to all columns jointly.
    case joint
    /// One logistic regression (or MLP) per schema column, their cross-entropies summed: each
    /// column keeps its own association with the label, whatever else predicts it.
    case perColumn
}

/// How the AC-GAN generator receives the label.
public enum LabelConditioning: String, Codable, CaseIterable {
    /// The label's one-hot vector concatenated to z.
    case oneHot
    /// A learned embedding of width `noiseDimension` added to z.
    case embedding
}

/// The adversarial objective.
public enum AdversarialLoss: String, Codable, CaseIterable {
    /// D: BCE; G maximises log D(G(z)) (Goodfellow et al. 2014, §3).
    case nonSaturating
    /// D: BCE; G minimises log(1 − D(G(z))) (the original minimax game).
    case minimax
    /// LSGAN with targets 1 (real) and 0 (fake) (Mao et al. 2017, eq. 2).
    case leastSquares
    /// WGAN with weight clipping (Arjovsky et al. 2017).
    case wasserstein
    /// WGAN-GP (Gulrajani et al. 2017): needs double backprop and is refused under DP — the
    /// penalty mixes real and fake rows, so a real record's contribution is not one example.
    case wassersteinGradientPenalty
    /// Hinge loss (Lim & Ye 2017; Miyato et al. 2018).
    case hinge
}

/// A configuration value that cannot be used.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case invalidValue(field: String, value: String, expected: String)
    case incompatible(String)

    public var description: String {
        switch self {
        case .invalidValue(let field, let value, let expected):
            return "model configuration: \(field) is \(value); expected \(expected)"
        case .incompatible(let reason):
            return "model configuration: \(reason)"
        }
    }
}
