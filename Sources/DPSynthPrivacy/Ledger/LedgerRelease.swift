import DPSynthAccounting
import Foundation

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

/// One release from a dataset: what was run, what it cost, and what was released.
public struct LedgerRelease: Equatable, Sendable {
    public var dataset: DatasetFingerprint
    public var recordedAt: Date
    /// Free text: the output path or model name.
    public var label: String
    /// DP-SGD's parameters, when the release was a DP-SGD training run.
    public var parameters: DPSGDParameters?
    /// Everything the training spent, as an accountant event (DP-SGD's, or any other).
    public var event: DPEvent
    /// ε spent on the schema (DP bounds or category lists), composed as pure ε-DP.
    public var schemaEpsilon: Double
    /// The δ at which `epsilonByAccountant` is stated.
    public var delta: Double
    /// RDP orders and the release's RDP curve (training event plus schema spend) at them.
    public var rdpOrders: [Double]
    public var rdpCurve: [Double]
    /// ε of this release alone at `delta`, by accountant.
    public var epsilonByAccountant: [AccountantKind: Double]

    /// A release accounted now: computes the RDP curve and ε with each of `accountants`
    /// (RDP is milliseconds; PLD can take seconds for long runs).
    public init(dataset: DatasetFingerprint, label: String, event: DPEvent, parameters: DPSGDParameters? = nil,
                schemaEpsilon: Double = 0, delta: Double, accountants: Set<AccountantKind> = [.rdp],
                recordedAt: Date = Date()) throws {
        let total = Self.totalEvent(event, schemaEpsilon: schemaEpsilon)
        var rdp = RDPAccountant()
        try rdp.compose(total)
        var epsilons: [AccountantKind: Double] = [:]
        for kind in accountants {
            var accountant = kind.makeAccountant()
            try accountant.compose(total)
            epsilons[kind] = try accountant.epsilon(forDelta: delta)
        }
        self.init(dataset: dataset, recordedAt: recordedAt, label: label, parameters: parameters, event: event,
                  schemaEpsilon: schemaEpsilon, delta: delta, rdpOrders: rdp.orders, rdpCurve: rdp.rdp,
                  epsilonByAccountant: epsilons)
    }

    /// A DP-SGD release.
    public static func dpsgd(dataset: DatasetFingerprint, label: String, parameters: DPSGDParameters,
                             schemaEpsilon: Double = 0, delta: Double,
                             accountants: Set<AccountantKind> = [.rdp]) throws -> LedgerRelease {
        try LedgerRelease(dataset: dataset, label: label, event: parameters.event, parameters: parameters,
                          schemaEpsilon: schemaEpsilon, delta: delta, accountants: accountants)
    }

    /// A release exactly as stored.
    public init(dataset: DatasetFingerprint, recordedAt: Date, label: String, parameters: DPSGDParameters?,
                event: DPEvent, schemaEpsilon: Double, delta: Double, rdpOrders: [Double], rdpCurve: [Double],
                epsilonByAccountant: [AccountantKind: Double]) {
        self.dataset = dataset
        self.recordedAt = recordedAt
        self.label = label
        self.parameters = parameters
        self.event = event
        self.schemaEpsilon = schemaEpsilon
        self.delta = delta
        self.rdpOrders = rdpOrders
        self.rdpCurve = rdpCurve
        self.epsilonByAccountant = epsilonByAccountant
    }

    /// The training event composed with the schema's pure-DP spend.
    static func totalEvent(_ event: DPEvent, schemaEpsilon: Double) -> DPEvent {
        schemaEpsilon > 0 ? .composed([event, .pureDP(epsilon: schemaEpsilon)]) : event
    }

    /// Training plus schema, as one event.
    public var totalEvent: DPEvent { Self.totalEvent(event, schemaEpsilon: schemaEpsilon) }
}

/// A dataset's budget: the (ε, δ) all its releases together may not exceed.
public struct PrivacyBudget: Equatable, Sendable {
    public var epsilon: Double
    public var delta: Double

    public init(epsilon: Double, delta: Double) throws {
        guard epsilon.isFinite, epsilon > 0, delta > 0, delta < 1 else {
            throw LedgerError.invalidBudget(epsilon: epsilon, delta: delta)
        }
        self.epsilon = epsilon
        self.delta = delta
    }
}

/// What a dataset has spent: all its releases composed (RDP curves add, schema spends included).
public struct LedgerSpending: Equatable, Sendable {
    public var dataset: DatasetFingerprint
    public var releaseCount: Int
    public var budget: PrivacyBudget?
    /// The δ of `epsilon`: the budget's, or else the largest δ of the releases.
    public var delta: Double
    /// The accountant that composed the releases.
    public var accountant: AccountantKind
    /// Total ε at `delta`.
    public var epsilon: Double
    /// The optimal RDP order (nil for PLD) and whether it sits at the edge of the order list.
    public var order: Double?
    public var orderIsAtEdge: Bool
    public var schemaEpsilon: Double

    /// ε left before the budget is reached (nil without a budget).
    public var remainingEpsilon: Double? { budget.map { max(0, $0.epsilon - epsilon) } }
}
