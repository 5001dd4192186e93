import DPSynthAccounting
import Foundation

/// One release from a dataset: what was run, what it cost, and what was released.
public struct LedgerRelease: Equatable {
    /// Where an entry of the ledger stands.
    ///
    /// `fit` takes a reservation for its planned spend in the same transaction as the budget check,
    /// so two runs started at once cannot both pass the check; the reservation counts as spent for
    /// every reader from that moment, and the run settles it with what it actually spent (at most
    /// the plan: Ctrl-C and early stops spend less).
    public enum Status: Equatable, Sendable {
        /// The spend happened. `reservedAt` is when its reservation was taken; nil when it was
        /// recorded without one (`record(_:)`, and every release of a version-1 ledger).
        case settled(reservedAt: Date?)
        /// A planned spend held by a run since `recordedAt`: counted as spent until it is settled,
        /// even if its process died (that process may have read the data).
        case reserved(holder: ReservationHolder)
        /// A reservation withdrawn at `at` by a user who declared that no training happened:
        /// kept for the record, counted for nothing.
        case withdrawn(at: Date, holder: ReservationHolder)
    }

    /// The entry's id in the ledger (nil until stored); `ledger show` prints it.
    public var id: Int?
    /// Settled, reserved or withdrawn.
    public var status: Status
    /// The dataset the release was trained on.
    public var dataset: DatasetFingerprint
    /// When the release was recorded, or the reservation taken (UTC, millisecond precision once stored).
    public var recordedAt: Date
    /// Free text: the output path or model name.
    public var label: String
    /// What DP-SGD did (q, σ, steps, whether the noise was cryptographically secure), when the
    /// release was a DP-SGD training run.
    public var training: DPSGDPrivacyFacts?
    /// The clipping norm C. It does not change ε (σ is relative to C), but an auditor needs it to
    /// check the noise actually added, σ·C.
    public var clippingNorm: Double?
    /// Everything the training spent, as an accountant event (DP-SGD's, or any other).
    public var event: DPEvent
    /// ε spent on the schema (DP bounds or category lists).
    public var schemaEpsilon: Double
    /// δ of the schema spend: 0 when every schema mechanism was pure ε-DP (then it composes with
    /// training through the accountant); > 0 for (ε, δ) mechanisms such as thresholded category
    /// selection, which compose by basic composition (ε and δ add).
    public var schemaDelta: Double
    /// The δ at which `epsilonByAccountant` is stated.
    public var delta: Double
    /// RDP orders and the release's RDP curve (training event plus schema spend) at them.
    public var rdpOrders: [Double]
    public var rdpCurve: [Double]
    /// ε of this release alone at `delta`, by accountant.
    public var epsilonByAccountant: [AccountantKind: Double]

    /// A release accounted now: computes the RDP curve and ε with each of `accountants`
    /// (RDP is milliseconds; PLD can take seconds for long runs).
    public init(dataset: DatasetFingerprint, label: String, event: DPEvent, training: DPSGDPrivacyFacts? = nil,
                clippingNorm: Double? = nil,
                schemaEpsilon: Double = 0, schemaDelta: Double = 0, delta: Double,
                accountants: Set<AccountantKind> = [.rdp], recordedAt: Date = Date()) throws {
        guard schemaEpsilon.isFinite, schemaEpsilon >= 0, schemaDelta >= 0, schemaDelta < delta else {
            throw LedgerError.invalidSchemaSpend(epsilon: schemaEpsilon, delta: schemaDelta, releaseDelta: delta)
        }
        let total = Self.totalEvent(event, schemaEpsilon: schemaEpsilon, schemaDelta: schemaDelta)
        var rdp = RDPAccountant()
        try rdp.compose(total)
        var epsilons: [AccountantKind: Double] = [:]
        for kind in accountants {
            var accountant = kind.makeAccountant()
            try accountant.compose(total)
            // Basic composition with an (ε, δ) schema spend: the accountant gets what δ is left.
            epsilons[kind] = try accountant.epsilon(forDelta: delta - schemaDelta) + (schemaDelta > 0 ? schemaEpsilon : 0)
        }
        self.init(dataset: dataset, recordedAt: recordedAt, label: label, training: training,
                  clippingNorm: clippingNorm, event: event,
                  schemaEpsilon: schemaEpsilon, schemaDelta: schemaDelta, delta: delta, rdpOrders: rdp.orders,
                  rdpCurve: rdp.rdp, epsilonByAccountant: epsilons)
    }

    /// A DP-SGD release.
    public static func dpsgd(dataset: DatasetFingerprint, label: String, training: DPSGDPrivacyFacts,
                             clippingNorm: Double, schemaEpsilon: Double = 0, schemaDelta: Double = 0, delta: Double,
                             accountants: Set<AccountantKind> = [.rdp]) throws -> LedgerRelease {
        try LedgerRelease(dataset: dataset, label: label, event: training.event, training: training,
                          clippingNorm: clippingNorm,
                          schemaEpsilon: schemaEpsilon, schemaDelta: schemaDelta, delta: delta,
                          accountants: accountants)
    }

    /// A release exactly as stored.
    public init(dataset: DatasetFingerprint, recordedAt: Date, label: String, training: DPSGDPrivacyFacts?,
                clippingNorm: Double?,
                event: DPEvent, schemaEpsilon: Double, schemaDelta: Double, delta: Double, rdpOrders: [Double],
                rdpCurve: [Double], epsilonByAccountant: [AccountantKind: Double], id: Int? = nil,
                status: Status = .settled(reservedAt: nil)) {
        self.id = id
        self.status = status
        self.dataset = dataset
        self.recordedAt = recordedAt
        self.label = label
        self.training = training
        self.clippingNorm = clippingNorm
        self.event = event
        self.schemaEpsilon = schemaEpsilon
        self.schemaDelta = schemaDelta
        self.delta = delta
        self.rdpOrders = rdpOrders
        self.rdpCurve = rdpCurve
        self.epsilonByAccountant = epsilonByAccountant
    }

    /// The training event composed with the schema spend when that is pure ε-DP; an (ε, δ) schema
    /// spend is left out here and added by basic composition.
    static func totalEvent(_ event: DPEvent, schemaEpsilon: Double, schemaDelta: Double) -> DPEvent {
        schemaEpsilon > 0 && schemaDelta == 0 ? .composed([event, .pureDP(epsilon: schemaEpsilon)]) : event
    }

    /// What the accountants compose for this release: training, plus the schema spend if pure.
    public var accountedEvent: DPEvent { Self.totalEvent(event, schemaEpsilon: schemaEpsilon, schemaDelta: schemaDelta) }

    /// The (ε, δ) schema spend composed by basic composition (zero when it is pure ε-DP).
    public var approximateSpend: (epsilon: Double, delta: Double) {
        schemaDelta > 0 ? (schemaEpsilon, schemaDelta) : (0, 0)
    }
}
