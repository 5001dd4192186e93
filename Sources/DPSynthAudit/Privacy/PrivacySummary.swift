import DPSynthModels

/// How the schema's numeric bounds and category lists were obtained: the model file's own
/// type, so the report shows exactly what the privacy record says.
public typealias SchemaBoundsSource = PrivacyRecord.SchemaBoundsSource

/// ε after a number of training steps, for the privacy-over-training plot. Each point must
/// come from an accountant call; the audit only draws them.
public struct EpsilonCurvePoint: Codable, Sendable, Equatable {
    public var steps: Int
    public var epsilon: Double

    public init(steps: Int, epsilon: Double) {
        self.steps = steps
        self.epsilon = epsilon
    }
}

/// What the dataset's budget ledger has recorded over all releases from this data.
public struct LedgerTotals: Codable, Sendable, Equatable {
    public var epsilon: Double
    public var delta: Double
    /// Settled releases.
    public var releases: Int
    /// Fits whose planned spend is reserved but not yet settled (running, or stopped without
    /// settling), counted in ε at their whole plan.
    public var unsettledReservations: Int

    public init(epsilon: Double, delta: Double, releases: Int, unsettledReservations: Int = 0) {
        self.epsilon = epsilon
        self.delta = delta
        self.releases = releases
        self.unsettledReservations = unsettledReservations
    }

    private enum CodingKeys: String, CodingKey { case epsilon, delta, releases, unsettledReservations }

    /// Reports written before reservations existed have no `unsettledReservations`: none.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        epsilon = try container.decode(Double.self, forKey: .epsilon)
        delta = try container.decode(Double.self, forKey: .delta)
        releases = try container.decode(Int.self, forKey: .releases)
        unsettledReservations = try container.decodeIfPresent(Int.self, forKey: .unsettledReservations) ?? 0
    }
}

/// The (ε, δ) of a differentially private training run, with the DP-SGD parameters behind it.
public struct PrivacyGuarantee: Codable, Sendable, Equatable {
    /// ε of the whole release (training and schema), as the accountant composed it.
    public var epsilon: Double
    public var delta: Double
    /// The accountant that computed ε ("RDP", "PLD").
    public var accountant: String
    /// Poisson sampling probability q of DP-SGD.
    public var samplingProbability: Double
    /// σ: noise standard deviation over clipping norm.
    public var noiseMultiplier: Double
    /// C: per-example gradient clipping norm.
    public var clippingNorm: Double
    public var steps: Int
    /// The part of ε spent on schema statistics (0 when bounds are declared public).
    public var schemaEpsilon: Double
    /// Anything the accountant flagged (for example: the best RDP order is at the edge of
    /// the order list, so ε may be loose).
    public var accountantNote: String?
    /// Every mechanism composed into ε, in words with its parameters (e.g. "discriminator
    /// DP-SGD: …", "label counts: Gaussian, σ = …"); nil in reports written before it existed.
    public var mechanisms: [String]?

    public init(epsilon: Double, delta: Double, accountant: String, samplingProbability: Double,
                noiseMultiplier: Double, clippingNorm: Double, steps: Int, schemaEpsilon: Double,
                accountantNote: String? = nil, mechanisms: [String]? = nil) {
        self.epsilon = epsilon
        self.delta = delta
        self.accountant = accountant
        self.samplingProbability = samplingProbability
        self.noiseMultiplier = noiseMultiplier
        self.clippingNorm = clippingNorm
        self.steps = steps
        self.schemaEpsilon = schemaEpsilon
        self.accountantNote = accountantNote
        self.mechanisms = mechanisms
    }
}

/// The privacy section of the report, filled by the caller from the model file and ledger.
public struct PrivacySummary: Codable, Sendable, Equatable {
    /// "TabularGAN", "ACGAN", ...
    public var modelKind: String
    /// Nil: trained without differential privacy (ε = ∞).
    public var guarantee: PrivacyGuarantee?
    public var schemaBounds: SchemaBoundsSource
    /// Whether DP noise and sampling used a cryptographically secure generator.
    public var secureRandomness: Bool
    public var epsilonBySteps: [EpsilonCurvePoint]
    public var ledger: LedgerTotals?

    public init(modelKind: String, guarantee: PrivacyGuarantee?, schemaBounds: SchemaBoundsSource,
                secureRandomness: Bool, epsilonBySteps: [EpsilonCurvePoint] = [], ledger: LedgerTotals? = nil) {
        self.modelKind = modelKind
        self.guarantee = guarantee
        self.schemaBounds = schemaBounds
        self.secureRandomness = secureRandomness
        self.epsilonBySteps = epsilonBySteps
        self.ledger = ledger
    }

    /// A release with no formal privacy (a non-private model, or a real-vs-holdout check).
    public static func noPrivacy(modelKind: String) -> PrivacySummary {
        PrivacySummary(modelKind: modelKind, guarantee: nil, schemaBounds: .acceptedDataBounds,
                       secureRandomness: false)
    }
}
