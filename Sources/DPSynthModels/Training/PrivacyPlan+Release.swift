import DPSynthAccounting

extension PrivacyPlan {
    /// What the run itself released after `steps` discriminator steps — the label marginal and
    /// DP-SGD — without the schema spend, which the ledger keeps apart (it may be (ε, δ)).
    public func trainingEvent(afterSteps steps: Int) -> DPEvent {
        Self.event(schemaEpsilon: 0, labelNoiseMultiplier: labelNoiseMultiplier,
                   samplingProbability: samplingProbability, noiseMultiplier: noiseMultiplier, steps: steps)
    }
}
