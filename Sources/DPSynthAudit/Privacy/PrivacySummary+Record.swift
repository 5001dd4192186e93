import DPSynthModels

extension PrivacySummary {
    /// The privacy section of a model's audit, copied from the record the model file carries
    /// (every ε in it was computed by the accountant during `fit`).
    /// `configuration`, when given, says what the matched marginals cover.
    public init(record: PrivacyRecord, modelKind: String, configuration: TabularGANConfiguration? = nil,
                ledger: LedgerTotals? = nil) {
        let guarantee = record.isPrivate
            ? PrivacyGuarantee(epsilon: record.epsilon, delta: record.delta, accountant: record.accountant.uppercased(),
                               samplingProbability: record.samplingProbability, noiseMultiplier: record.noiseMultiplier,
                               clippingNorm: record.clippingNorm, steps: record.steps, schemaEpsilon: record.schemaEpsilon,
                               accountantNote: PrivacySummary.note(for: record),
                               mechanisms: PrivacySummary.mechanisms(of: record, configuration: configuration))
            : nil
        self.init(modelKind: modelKind, guarantee: guarantee, schemaBounds: record.schemaBounds,
                  secureRandomness: record.secureRandomness,
                  epsilonBySteps: record.epsilonHistory.map { EpsilonCurvePoint(steps: $0.step, epsilon: $0.epsilon) },
                  ledger: ledger)
    }

    /// The record's releases, each in words; their composition is the record's ε.
    static func mechanisms(of record: PrivacyRecord, configuration: TabularGANConfiguration? = nil) -> [String] {
        func number(_ value: Double) -> String { formatNumber(value, significantDigits: 4) }
        var lines: [String] = []
        if record.schemaEpsilon > 0 { lines.append("schema bounds and category lists: ε = \(number(record.schemaEpsilon))") }
        if let sigma = record.labelNoiseMultiplier { lines.append("label counts: Gaussian mechanism, σ = \(number(sigma)) (sensitivity 1)") }
        if let sigma = record.marginalNoiseMultiplier {
            lines.append("marginal shares the generator matches\(matchedMarginals(configuration)): Gaussian mechanism, σ = \(number(sigma)) (sensitivity-1 units)")
        }
        if let classifier = record.classifier {
            lines.append("label classifier guiding the generator: DP-SGD, q = \(number(classifier.samplingProbability)), σ = \(number(classifier.noiseMultiplier)), C = \(number(classifier.clippingNorm)), \(classifier.steps) steps")
        }
        lines.append("discriminator: DP-SGD, q = \(number(record.samplingProbability)), σ = \(number(record.noiseMultiplier)), C = \(number(record.clippingNorm)), \(record.steps) steps")
        return lines
    }

    /// What the released marginal shares cover, in words (empty without a configuration).
    private static func matchedMarginals(_ configuration: TabularGANConfiguration?) -> String {
        guard let configuration else { return "" }
        var parts = configuration.marginalValueBins > 0
            ? "categories, null indicators and continuous values in \(configuration.marginalValueBins) bins"
            : "categories and null indicators"
        if configuration.marginalsPerClass && configuration.modelKind == .acgan { parts += ", per class of the label" }
        return " (\(parts))"
    }

    private static func note(for record: PrivacyRecord) -> String? {
        var notes: [String] = []
        if record.optimalOrderAtEdge, let order = record.optimalOrder {
            notes.append("the best RDP order (\(order)) is at the edge of the order list, so ε may be loose")
        }
        if record.steps < record.plannedSteps {
            notes.append("training stopped after \(record.steps) of \(record.plannedSteps) planned steps")
        }
        if !record.acceptedDataBoundColumns.isEmpty {
            notes.append("bounds and category lists of \(record.acceptedDataBoundColumns.joined(separator: ", ")) were read from the data and accepted as public: the guarantee does not cover them")
        }
        if !record.secureRandomness {
            notes.append("seeded run: noise was not cryptographically secure (\(record.randomnessDescription))")
        }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }
}
