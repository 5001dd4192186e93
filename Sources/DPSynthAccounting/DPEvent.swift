/// A description of a differentially private computation, independent of how it is accounted.
///
/// Events are immutable values that say *what happened* (a Gaussian sum, sampled with probability q,
/// repeated 10 000 times); accountants decide what that costs. Keeping the two apart lets the same
/// training record be costed by the RDP and the PLD accountant, and lets a refused event leave an
/// accountant unchanged ("check, then compose").
///
/// Source: google/differential-privacy, `python/dp_accounting/dp_event.py` (same structure,
/// Swift names). All mechanisms are for sensitivity 1 under add/remove-one adjacency. Codable, so a
/// release record (the budget ledger) can store exactly what was run.
public indirect enum DPEvent: Hashable, Codable, Sendable {
    /// The Gaussian mechanism on a sensitivity-1 query: noise standard deviation = `noiseMultiplier`.
    /// A noise multiplier of 0 releases the query exactly (ε = ∞).
    case gaussian(noiseMultiplier: Double)
    /// The Laplace mechanism on a sensitivity-1 query with noise scale `scale` (pure ε = 1/scale).
    /// A scale of 0 releases the query exactly (ε = ∞).
    case laplace(scale: Double)
    /// Any ε-DP mechanism (exponential mechanism, a Laplace count used for a DP schema bound…).
    /// Accounted through its worst case: RDP ≤ min(ε, αε²/2) (Mironov 2017, Prop. 3; ε-DP ⇒
    /// ε²/2-zCDP, Bun & Steinke 2016, Prop. 1.4) and, for PLD, the two-point worst-case loss.
    case pureDP(epsilon: Double)
    /// `event` run on a Poisson sample: each record included independently with `probability`.
    case poissonSampled(probability: Double, DPEvent)
    /// `event` repeated `count` times on the same data.
    case selfComposed(DPEvent, count: Int)
    /// Several events run in sequence on the same data.
    case composed([DPEvent])

    /// DP-SGD's record: `steps` Poisson-sampled Gaussian steps.
    public static func dpsgd(samplingProbability: Double, noiseMultiplier: Double, steps: Int) -> DPEvent {
        .selfComposed(.poissonSampled(probability: samplingProbability,
                                      .gaussian(noiseMultiplier: noiseMultiplier)), count: steps)
    }

    /// Checks every parameter of the event tree; throws on the first invalid one, naming it.
    /// Accountants call this before changing any state.
    public func validate() throws {
        switch self {
        case .gaussian(let noiseMultiplier):
            guard noiseMultiplier.isFinite, noiseMultiplier >= 0 else {
                throw AccountingError.invalidNoiseMultiplier(noiseMultiplier)
            }
        case .laplace(let scale):
            guard scale.isFinite, scale >= 0 else { throw AccountingError.invalidLaplaceScale(scale) }
        case .pureDP(let epsilon):
            guard epsilon.isFinite, epsilon >= 0 else { throw AccountingError.invalidEpsilon(epsilon) }
        case .poissonSampled(let probability, let event):
            guard probability >= 0, probability <= 1 else {
                throw AccountingError.invalidSamplingProbability(probability)
            }
            try event.validate()
        case .selfComposed(let event, let count):
            guard count >= 0 else { throw AccountingError.invalidCount(count) }
            try event.validate()
        case .composed(let events):
            for event in events { try event.validate() }
        }
    }
}
