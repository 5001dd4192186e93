import DPSynthAccounting

extension DPSGDPrivacyFacts {
    /// The accountant's description of the steps taken: `steps` Poisson-sampled Gaussian steps.
    public var event: DPEvent {
        .dpsgd(samplingProbability: samplingProbability, noiseMultiplier: noiseMultiplier, steps: steps)
    }
}
