import DPSynthAccounting

/// DP-SGD's parameters as recorded with a release (the clipping norm C does not change ε — σ is
/// relative to C — but an auditor needs it to check the noise actually added, σ·C).
public struct DPSGDParameters: Equatable, Sendable {
    public var samplingProbability: Double
    public var noiseMultiplier: Double
    public var clippingNorm: Double
    public var steps: Int

    public init(samplingProbability: Double, noiseMultiplier: Double, clippingNorm: Double, steps: Int) {
        self.samplingProbability = samplingProbability
        self.noiseMultiplier = noiseMultiplier
        self.clippingNorm = clippingNorm
        self.steps = steps
    }

    /// The accountant's description of the training run.
    public var event: DPEvent {
        .dpsgd(samplingProbability: samplingProbability, noiseMultiplier: noiseMultiplier, steps: steps)
    }
}
