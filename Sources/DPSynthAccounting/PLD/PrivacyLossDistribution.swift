import Numerics

/// The privacy loss distributions of a mechanism for both directions of add/remove adjacency.
///
/// With Poisson sampling the "remove" and "add" losses differ; both are composed and the reported
/// δ (or ε) is the worse of the two, as dp_accounting's `PrivacyLossDistribution` does. When they
/// coincide (no sampling, pure DP) only one is kept.
struct PrivacyLossDistribution {
    var remove: DiscretePrivacyLoss
    /// nil when the add-direction distribution equals `remove`.
    var add: DiscretePrivacyLoss?

    static func identity(interval: Double) -> PrivacyLossDistribution {
        PrivacyLossDistribution(remove: .identity(interval: interval), add: nil)
    }

    static func nonPrivate(interval: Double) -> PrivacyLossDistribution {
        PrivacyLossDistribution(remove: .nonPrivate(interval: interval), add: nil)
    }

    /// A Poisson-sampled additive-noise mechanism (q = 1: no sampling).
    static func additiveNoise(_ noise: AdditiveNoisePrivacyLoss.Noise, samplingProbability: Double,
                              interval: Double) throws -> PrivacyLossDistribution {
        let remove = try AdditiveNoisePrivacyLoss(noise: noise, samplingProbability: samplingProbability,
                                                  adjacency: .remove).discretized(interval: interval)
        if samplingProbability == 1 { return PrivacyLossDistribution(remove: remove, add: nil) }
        let add = try AdditiveNoisePrivacyLoss(noise: noise, samplingProbability: samplingProbability,
                                               adjacency: .add).discretized(interval: interval)
        return PrivacyLossDistribution(remove: remove, add: add)
    }

    /// The worst-case loss of any ε-DP mechanism: +ε with probability e^ε/(1 + e^ε), −ε otherwise
    /// (Kairouz, Oh & Viswanath 2015: randomized response dominates every ε-DP mechanism). Losses
    /// are rounded up to the grid, which only increases δ.
    static func pureDP(epsilon: Double, interval: Double) throws -> PrivacyLossDistribution {
        try DiscretePrivacyLoss.checkGridSize(2 * epsilon / interval + 2)
        let upperIndex = Int((epsilon / interval).rounded(.up))
        let lowerIndex = Int((-epsilon / interval).rounded(.up))
        let upperMass = 1 / (1 + Double.exp(-epsilon))
        let lowerMass = 1 / (1 + Double.exp(epsilon))
        var probabilities = [Double](repeating: 0, count: upperIndex - lowerIndex + 1)
        probabilities[0] += lowerMass
        probabilities[upperIndex - lowerIndex] += upperMass
        return PrivacyLossDistribution(
            remove: DiscretePrivacyLoss(interval: interval, lowerIndex: lowerIndex,
                                        probabilities: probabilities, infinityMass: 0),
            add: nil)
    }

    func composed(with other: PrivacyLossDistribution) throws -> PrivacyLossDistribution {
        let remove = try self.remove.composed(with: other.remove)
        if add == nil && other.add == nil { return PrivacyLossDistribution(remove: remove, add: nil) }
        let add = try (self.add ?? self.remove).composed(with: other.add ?? other.remove)
        return PrivacyLossDistribution(remove: remove, add: add)
    }

    func selfComposed(_ count: Int) throws -> PrivacyLossDistribution {
        PrivacyLossDistribution(remove: try remove.selfComposed(count), add: try add?.selfComposed(count))
    }

    func epsilon(forDelta delta: Double) -> Double {
        max(remove.epsilon(forDelta: delta), add?.epsilon(forDelta: delta) ?? 0)
    }

    func delta(forEpsilon epsilon: Double) -> Double {
        max(remove.delta(forEpsilon: epsilon), add?.delta(forEpsilon: epsilon) ?? 0)
    }
}
