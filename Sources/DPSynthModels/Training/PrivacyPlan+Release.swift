import DPSynthAccounting

extension PrivacyPlan {
    /// What the run itself released after `steps` discriminator steps — the label marginal, the
    /// categorical marginals, the label classifier and DP-SGD — without the schema spend, which the ledger keeps apart
    /// (it may be (ε, δ)).
    public func trainingEvent(afterSteps steps: Int) -> DPEvent {
        Self.event(schemaEpsilon: 0, labelNoiseMultiplier: labelNoiseMultiplier, marginalNoiseMultiplier: marginalNoiseMultiplier,
                   classifier: classifierRelease, samplingProbability: samplingProbability, noiseMultiplier: noiseMultiplier, steps: steps)
    }
}
