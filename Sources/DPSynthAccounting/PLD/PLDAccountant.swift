/// The privacy loss distribution accountant: exact composition up to a pessimistic discretisation.
///
/// Each event becomes a discretised privacy loss distribution (connect-the-dots, pessimistic);
/// compositions are FFT convolutions; ε at δ is read from the hockey-stick divergence. Typically
/// 7–8% tighter than RDP for DP-SGD. Supports Gaussian and Laplace mechanisms (Poisson-sampled or
/// not), pure ε-DP events, self-composition and composition.
///
/// Source: dp_accounting 0.6.0 `pld/pld_privacy_accountant.py` (`PLDAccountant`,
/// `value_discretization_interval` = 1e-4 by default); Koskela, Jälkö & Honkela 2020 (FFT
/// composition); Doroshenko et al. 2022 (connect the dots).
public struct PLDAccountant: PrivacyAccountant {
    /// Grid step of the privacy losses, in nats. Smaller is tighter and slower.
    public let valueDiscretizationInterval: Double
    private var distribution: PrivacyLossDistribution
    /// Set once an event with no noise (σ = 0, scale 0) is composed: ε = ∞ from then on.
    private var containsNonPrivateEvent = false

    public var kind: AccountantKind { .pld }

    /// An empty accountant whose losses live on a grid of `valueDiscretizationInterval` nats
    /// (dp_accounting's default 1e-4: ε exact to about that much per composition).
    public init(valueDiscretizationInterval: Double = 1e-4) {
        precondition(valueDiscretizationInterval > 0, "discretisation interval must be > 0")
        self.valueDiscretizationInterval = valueDiscretizationInterval
        self.distribution = .identity(interval: valueDiscretizationInterval)
    }

    public mutating func compose(_ event: DPEvent) throws {
        try event.validate()
        try Self.checkSupport(event)
        guard let pld = try distribution(of: event) else { return }
        if pld.remove.infinityMass >= 1 { containsNonPrivateEvent = true; return }
        distribution = try distribution.composed(with: pld)
    }

    public func epsilon(forDelta delta: Double) throws -> Double {
        try validateDelta(delta)
        return containsNonPrivateEvent ? .infinity : distribution.epsilon(forDelta: delta)
    }

    public func delta(forEpsilon epsilon: Double) throws -> Double {
        try validateEpsilon(epsilon)
        return containsNonPrivateEvent ? 1 : distribution.delta(forEpsilon: epsilon)
    }

    private static func checkSupport(_ event: DPEvent) throws {
        switch event {
        case .gaussian, .laplace, .pureDP:
            return
        case .poissonSampled(_, let inner):
            switch inner {
            case .gaussian, .laplace: return
            default:
                throw AccountingError.unsupportedEvent(
                    accountant: "PLD", event: "Poisson sampling of \(inner) (only a single Gaussian or Laplace event can be sampled)")
            }
        case .selfComposed(let inner, _):
            try checkSupport(inner)
        case .composed(let events):
            for inner in events { try checkSupport(inner) }
        }
    }

    /// The loss distribution of a supported, validated event; nil when it reveals nothing.
    private func distribution(of event: DPEvent) throws -> PrivacyLossDistribution? {
        let interval = valueDiscretizationInterval
        switch event {
        case .gaussian(let sigma):
            if sigma == 0 { return .nonPrivate(interval: interval) }
            return try .additiveNoise(.gaussian(standardDeviation: sigma), samplingProbability: 1, interval: interval)
        case .laplace(let scale):
            if scale == 0 { return .nonPrivate(interval: interval) }
            return try .additiveNoise(.laplace(scale: scale), samplingProbability: 1, interval: interval)
        case .pureDP(let epsilon):
            if epsilon == 0 { return nil }
            return try .pureDP(epsilon: epsilon, interval: interval)
        case .poissonSampled(let q, let inner):
            if q == 0 { return nil }
            switch inner {
            case .gaussian(let sigma):
                if sigma == 0 { return .nonPrivate(interval: interval) }
                return try .additiveNoise(.gaussian(standardDeviation: sigma), samplingProbability: q, interval: interval)
            case .laplace(let scale):
                if scale == 0 { return .nonPrivate(interval: interval) }
                return try .additiveNoise(.laplace(scale: scale), samplingProbability: q, interval: interval)
            default:
                return nil  // refused by checkSupport
            }
        case .selfComposed(let inner, let count):
            if count == 0 { return nil }
            // n Gaussian releases of one query are one Gaussian with σ/√n (dp_accounting does the same).
            if case .gaussian(let sigma) = inner, sigma > 0 {
                return try distribution(of: .gaussian(noiseMultiplier: sigma / Double(count).squareRoot()))
            }
            guard let single = try distribution(of: inner) else { return nil }
            if single.remove.infinityMass >= 1 { return single }
            return try single.selfComposed(count)
        case .composed(let events):
            var total: PrivacyLossDistribution?
            for inner in events {
                guard let part = try distribution(of: inner) else { continue }
                if part.remove.infinityMass >= 1 { return part }
                total = try total.map { try $0.composed(with: part) } ?? part
            }
            return total
        }
    }
}
