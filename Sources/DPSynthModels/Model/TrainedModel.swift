import DPSynthEngine
import DPSynthRandom
import DPSynthTabular

/// A trained generator with everything needed to sample from it and to state what it cost:
/// the schema it was trained on (after any DP bounds), its configuration, the released label
/// marginal and the privacy record. The discriminator is not kept: it read the real data and
/// releasing it is not needed to sample.
public final class TrainedModel {
    public let configuration: TabularGANConfiguration
    /// The schema as used in training (bounds and category lists after any DP mechanism).
    public let schema: Schema
    public let encoder: TableEncoder
    public let layout: ModelLayout
    public let labelMarginal: LabelMarginal?
    public let privacy: PrivacyRecord
    public let history: TrainingHistory
    let generator: TabularGenerator

    /// Rebuilds the networks from the configuration and schema and loads the generator's
    /// parameters; any mismatch is an error.
    init(configuration: TabularGANConfiguration, schema: Schema, labelMarginal: LabelMarginal?, privacy: PrivacyRecord,
         history: TrainingHistory, parameterBytes: [UInt8]) throws {
        try configuration.validate()
        self.configuration = configuration
        self.schema = schema
        encoder = try TableEncoder(schema: schema)
        layout = try ModelLayout(encoder: encoder, modelKind: configuration.modelKind)
        if configuration.modelKind == .acgan {
            guard let labelMarginal, labelMarginal.classNames == layout.classNames else {
                throw ConfigurationError.incompatible("the released label marginal does not list the label column's classes \(layout.classNames)")
            }
        }
        self.labelMarginal = labelMarginal
        self.privacy = privacy
        self.history = history
        // Initial values are overwritten by the archive; the seed only fixes the shapes' contents.
        generator = TabularGenerator(configuration: configuration, layout: layout, random: SeededGenerator(seed: 0))
        try ParameterArchive.load(parameterBytes, into: generator.storedParameters)
    }

    /// The generator's parameters and BatchNorm statistics as bytes (the model file's payload).
    public var parameterBytes: [UInt8] { ParameterArchive.serialized(generator.storedParameters) }

    /// Number of generator parameters (for `inspect`).
    public var generatorParameterCount: Int { generator.parameters.reduce(0) { $0 + $1.count } }

    /// The generator's parameter names and shapes (for `inspect`).
    public var generatorParameterShapes: [(name: String, shape: [Int])] {
        generator.storedParameters.map { ($0.name, $0.shape) }
    }
}
