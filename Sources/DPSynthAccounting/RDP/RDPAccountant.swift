/// The Rényi DP (moments) accountant: RDP curves add under composition.
///
/// Keeps one RDP value per order; `compose` adds the event's curve. Supports the Gaussian, Laplace
/// and pure-DP events, Poisson sampling of a Gaussian (or of a composition of Gaussians, through
/// the effective noise multiplier, Mironov et al. 2019 §3 / dp_accounting
/// `_effective_gaussian_noise_multiplier`), and any nesting of self-composition and composition,
/// so heterogeneous training (q or σ changing) is a `.composed` event.
///
/// Source: dp_accounting 0.6.0 `rdp/rdp_privacy_accountant.py` (`RdpAccountant`).
public struct RDPAccountant: PrivacyAccountant {
    /// dp_accounting's default orders: 1.1, 1.2, …, 10.9, 11, 12, …, 63, 128, 256, 512, 1024.
    public static let defaultOrders: [Double] =
        (1..<100).map { 1 + Double($0) / 10 } + (11..<64).map(Double.init) + [128, 256, 512, 1024]

    /// The Rényi orders α tracked (each > 1).
    public let orders: [Double]
    /// Accumulated RDP at each of `orders` (+∞ where an order is unbounded or was dropped).
    public private(set) var rdp: [Double]

    public var kind: AccountantKind { .rdp }

    /// An empty accountant over `orders` (each finite and > 1).
    public init(orders: [Double] = RDPAccountant.defaultOrders) {
        self.orders = orders
        self.rdp = Array(repeating: 0, count: orders.count)
    }

    /// An empty accountant, checking user-supplied orders.
    public init(validatingOrders orders: [Double]) throws {
        for order in orders where !(order.isFinite && order > 1) { throw AccountingError.invalidOrder(order) }
        self.init(orders: orders)
    }

    /// The last event composed and its curve: a training loop that composes one identical step
    /// at a time pays for the RDP series once, not at every step.
    private var lastEvent: (event: DPEvent, curve: [Double])?

    public mutating func compose(_ event: DPEvent) throws {
        try event.validate()
        let curve: [Double]
        if let last = lastEvent, last.event == event {
            curve = last.curve
        } else {
            curve = try Self.curve(of: event, orders: orders)
            lastEvent = (event, curve)
        }
        for index in rdp.indices { rdp[index] += curve[index] }
    }

    /// The RDP curve of `event` at `orders`, without composing it. Validates nothing beyond support.
    public static func curve(of event: DPEvent, orders: [Double]) throws -> [Double] {
        switch event {
        case .gaussian(let sigma):
            return SubsampledGaussianRDP.curve(samplingProbability: 1, noiseMultiplier: sigma, orders: orders)
        case .laplace(let scale):
            let epsilon = scale == 0 ? Double.infinity : 1 / scale
            return orders.map { PureDPRDP.laplace(epsilon: epsilon, order: $0) }
        case .pureDP(let epsilon):
            return orders.map { PureDPRDP.pureDP(epsilon: epsilon, order: $0) }
        case .poissonSampled(let q, let inner):
            guard let sigma = effectiveNoiseMultiplier(inner) else {
                throw AccountingError.unsupportedEvent(
                    accountant: "RDP", event: "Poisson sampling of \(inner) (only Gaussian events can be sampled)")
            }
            return SubsampledGaussianRDP.curve(samplingProbability: q, noiseMultiplier: sigma, orders: orders)
        case .selfComposed(let inner, let count):
            if count == 0 {
                _ = try curve(of: inner, orders: [])  // support check only
                return Array(repeating: 0, count: orders.count)
            }
            return try curve(of: inner, orders: orders).map { $0 * Double(count) }
        case .composed(let events):
            var total = Array(repeating: 0.0, count: orders.count)
            for inner in events {
                let part = try curve(of: inner, orders: orders)
                for index in total.indices { total[index] += part[index] }
            }
            return total
        }
    }

    /// The single Gaussian noise multiplier equivalent to a nest of Gaussian events on the same
    /// query (σ_eff⁻² = Σ σᵢ⁻²), or nil if the nest holds anything but Gaussians.
    static func effectiveNoiseMultiplier(_ event: DPEvent) -> Double? {
        switch event {
        case .gaussian(let sigma):
            return sigma
        case .selfComposed(let inner, let count):
            guard let sigma = effectiveNoiseMultiplier(inner) else { return nil }
            return count == 0 ? .infinity : sigma / Double(count).squareRoot()
        case .composed(let events):
            var inverseSquareSum = 0.0
            for inner in events {
                guard let sigma = effectiveNoiseMultiplier(inner) else { return nil }
                inverseSquareSum += 1 / (sigma * sigma)
            }
            return 1 / inverseSquareSum.squareRoot()
        case .laplace, .pureDP, .poissonSampled:
            return nil
        }
    }

    /// ε at `delta` with the optimal order and the edge-of-list flag.
    public func epsilonAndOrder(forDelta delta: Double) throws -> RDPEpsilon {
        try validateDelta(delta)
        return RDPConversion.epsilon(orders: orders, rdp: rdp, delta: delta)
    }

    public func epsilon(forDelta delta: Double) throws -> Double {
        try epsilonAndOrder(forDelta: delta).epsilon
    }

    public func delta(forEpsilon epsilon: Double) throws -> Double {
        try validateEpsilon(epsilon)
        return RDPConversion.delta(orders: orders, rdp: rdp, epsilon: epsilon).delta
    }

    /// This accountant's spend multiplied `factor` times (RDP is linear in repetitions): how the
    /// calibration reads ε after any number of identical steps from one curve.
    public func repeated(_ factor: Int) -> RDPAccountant {
        var copy = self
        copy.rdp = rdp.map { $0 * Double(factor) }
        return copy
    }

    /// Adds a curve computed elsewhere (the budget ledger stores curves). The curve must be over
    /// the same orders.
    public mutating func add(curve: [Double]) {
        precondition(curve.count == rdp.count, "RDP curve has \(curve.count) orders, accountant \(rdp.count)")
        for index in rdp.indices { rdp[index] += curve[index] }
    }
}
