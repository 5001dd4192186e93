import ArgumentParser
import DPSynthModels
import Foundation

/// `dpsynth inspect`: what a model file holds — schema, architecture, training history and the
/// privacy record, exactly as stored (nothing recomputed).
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a model file's schema, architecture, training history and privacy record.")

    @Argument(help: "Model file written by `dpsynth fit`.")
    var model: String

    @Flag(help: "Print JSON (privacy.epsilon, privacy.delta, privacy.accountant, ...).")
    var json = false

    func run() throws {
        let trained = try TrainedModel(contentsOf: URL(fileURLWithPath: model))
        print(json ? try ModelInspection(trained).jsonText() : ModelInspection(trained).text())
    }
}

/// The inspection of one model, as text or JSON.
struct ModelInspection: Encodable {
    struct Privacy: Encodable {
        var isPrivate: Bool
        /// nil (JSON null) when the model has no privacy guarantee: ε = ∞.
        var epsilon: Double?
        var delta: Double?
        var accountant: String?
        var epsilonByAccountant: [String: Double]
        var optimalOrder: Double?
        var optimalOrderAtEdge: Bool
        var noiseMultiplier: Double?
        /// The Poisson sampling probability q (JSON `sampling_rate`, the name the CLI flags use).
        var samplingRate: Double?
        var clippingNorm: Double?
        var steps: Int
        var plannedSteps: Int
        var schemaEpsilon: Double
        var schemaBounds: String
        var acceptedDataBoundColumns: [String]
        var secureRandomness: Bool
        var randomness: String
        /// σ of the other releases composed into ε (nil when not released).
        var labelNoiseMultiplier: Double?
        var marginalNoiseMultiplier: Double?
        /// The private label classifier's DP-SGD (nil when none guided the generator).
        var classifier: PrivacyRecord.ClassifierRelease?
    }
    struct Column: Encodable {
        var name: String
        var kind: String
        var role: String
        var nullable: Bool
    }
    struct Architecture: Encodable {
        var model: String
        var configuration: TabularGANConfiguration
        var generatorParameters: Int
        var labelClasses: [String]?
    }
    struct History: Encodable {
        var epochs: Int
        var stepsTaken: Int
        var plannedSteps: Int
        var stoppedEarly: Bool
        var finalDiscriminatorLoss: Double?
        var finalGeneratorLoss: Double?
    }

    var schema: String
    var columns: [Column]
    var architecture: Architecture
    var history: History
    var privacy: Privacy

    init(_ model: TrainedModel) {
        let record = model.privacy
        schema = model.schema.name
        columns = model.schema.columns.map { Column(name: $0.name, kind: $0.kind.rawValue, role: $0.role.rawValue, nullable: $0.nullable) }
        architecture = Architecture(model: model.configuration.modelKind.rawValue, configuration: model.configuration,
                                    generatorParameters: model.generatorParameterCount,
                                    labelClasses: model.labelMarginal?.classNames)
        history = History(epochs: model.history.epochs.count, stepsTaken: model.history.stepsTaken,
                          plannedSteps: model.history.plannedSteps, stoppedEarly: model.history.stoppedEarly,
                          finalDiscriminatorLoss: model.history.epochs.last?.discriminatorLoss,
                          finalGeneratorLoss: model.history.epochs.last?.generatorLoss)
        let dp = record.isPrivate
        privacy = Privacy(isPrivate: dp, epsilon: dp ? record.epsilon : nil, delta: dp ? record.delta : nil,
                          accountant: dp ? record.accountant : nil, epsilonByAccountant: record.epsilonByAccountant,
                          optimalOrder: record.optimalOrder, optimalOrderAtEdge: record.optimalOrderAtEdge,
                          noiseMultiplier: dp ? record.noiseMultiplier : nil,
                          samplingRate: dp ? record.samplingProbability : nil,
                          clippingNorm: dp ? record.clippingNorm : nil, steps: record.steps, plannedSteps: record.plannedSteps,
                          schemaEpsilon: record.schemaEpsilon, schemaBounds: record.schemaBounds.rawValue,
                          acceptedDataBoundColumns: record.acceptedDataBoundColumns,
                          secureRandomness: record.secureRandomness, randomness: record.randomnessDescription,
                          labelNoiseMultiplier: record.labelNoiseMultiplier, marginalNoiseMultiplier: record.marginalNoiseMultiplier,
                          classifier: record.classifier)
    }

    func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func text() -> String {
        var lines = ["schema: \(schema) (\(columns.count) columns: \(columns.map { "\($0.name) [\($0.kind)\($0.role == "feature" ? "" : ", \($0.role)")]" }.joined(separator: ", ")))"]
        let c = architecture.configuration
        lines.append("model: \(architecture.model); generator \(c.noiseDimension) → \(c.generatorWidths.map(String.init).joined(separator: " → ")) (\(architecture.generatorParameters) parameters); discriminator \(c.discriminatorWidths.map(String.init).joined(separator: " → ")); loss \(c.loss.rawValue)")
        if let classes = architecture.labelClasses { lines.append("label classes: \(classes.joined(separator: ", "))") }
        lines.append("training: \(history.stepsTaken) of \(history.plannedSteps) discriminator steps over \(history.epochs) epochs\(history.stoppedEarly ? " (stopped early)" : "")")
        if privacy.isPrivate, let epsilon = privacy.epsilon, let delta = privacy.delta {
            lines.append(String(format: "privacy: (ε = %.4g, δ = %g) by the %@ accountant%@", epsilon, delta,
                                (privacy.accountant ?? "").uppercased(),
                                privacy.optimalOrder.map { String(format: " (RDP order %g%@)", $0, privacy.optimalOrderAtEdge ? ", at the edge of the order list" : "") } ?? ""))
            lines.append(String(format: "  DP-SGD: q = %.5f, σ = %.4f, C = %g, %d steps; schema ε = %g (%@)",
                                privacy.samplingRate ?? 0, privacy.noiseMultiplier ?? 0, privacy.clippingNorm ?? 0,
                                privacy.steps, privacy.schemaEpsilon, privacy.schemaBounds))
            if !privacy.acceptedDataBoundColumns.isEmpty {
                lines.append("  data-derived bounds and categories accepted as public (not covered): \(privacy.acceptedDataBoundColumns.joined(separator: ", "))")
            }
            if let classifier = privacy.classifier {
                lines.append(String(format: "  label classifier guiding the generator: DP-SGD q = %.4g, σ = %.4g, C = %g, %d steps",
                                    classifier.samplingProbability, classifier.noiseMultiplier, classifier.clippingNorm, classifier.steps))
            }
            lines.append("  randomness: \(privacy.randomness)")
        } else {
            lines.append("privacy: none — trained with --no-privacy (ε = ∞)")
        }
        return lines.joined(separator: "\n")
    }
}
