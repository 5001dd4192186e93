import DPSynthModels

extension PrivacySummary {
    /// The privacy section of a model's audit, copied from the record the model file carries
    /// (every ε in it was computed by the accountant during `fit`).
    public init(record: PrivacyRecord, modelKind: String, ledger: LedgerTotals? = nil) {
        let guarantee = record.isPrivate
            ? PrivacyGuarantee(epsilon: record.epsilon, delta: record.delta, accountant: record.accountant.uppercased(),
                               samplingProbability: record.samplingProbability, noiseMultiplier: record.noiseMultiplier,
                               clippingNorm: record.clippingNorm, steps: record.steps, schemaEpsilon: record.schemaEpsilon,
                               accountantNote: PrivacySummary.note(for: record))
            : nil
        self.init(modelKind: modelKind, guarantee: guarantee, schemaBounds: record.schemaBounds,
                  secureRandomness: record.secureRandomness,
                  epsilonBySteps: record.epsilonHistory.map { EpsilonCurvePoint(steps: $0.step, epsilon: $0.epsilon) },
                  ledger: ledger)
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
            notes.append("bounds of \(record.acceptedDataBoundColumns.joined(separator: ", ")) were read from the data and accepted as public: the guarantee does not cover them")
        }
        if !record.secureRandomness {
            notes.append("seeded run: noise was not cryptographically secure (\(record.randomnessDescription))")
        }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }
}
