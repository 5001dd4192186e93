import DPSynthAccounting
import DPSynthTabular

/// Whether and how a training run is private.
public enum TrainingPrivacy: Equatable {
    /// No noise, no clipping; the model's record says ε = ∞.
    case noPrivacy
    /// The total budget, schema spend included.
    case differentiallyPrivate(PrivacyBudget)
}

/// The total (ε, δ) a release may spend, and what the schema already spent of it.
public struct PrivacyBudget: Equatable {
    /// Total ε at `delta` for everything released: schema, label marginal and DP-SGD.
    public var epsilon: Double
    public var delta: Double
    public var accountant: AccountantKind
    /// ε already spent making schema bounds and category lists private (the tabular layer's
    /// `SchemaSpend.totalEpsilon`). Pure ε-DP (`schemaDelta` = 0) is composed inside the
    /// accountant as a pure-DP event; otherwise by basic composition (ε and δ add).
    public var schemaEpsilon: Double
    /// δ of the schema's mechanisms (`SchemaSpend.totalDelta`: non-zero only for thresholded
    /// category selection without a public candidate list).
    public var schemaDelta: Double
    public var schemaBounds: PrivacyRecord.SchemaBoundsSource
    /// Columns whose data-derived bounds were accepted as public without paying.
    public var acceptedDataBoundColumns: [String]

    public init(epsilon: Double, delta: Double, accountant: AccountantKind = .rdp, schemaEpsilon: Double = 0,
                schemaDelta: Double = 0, schemaBounds: PrivacyRecord.SchemaBoundsSource = .declaredPublic,
                acceptedDataBoundColumns: [String] = []) {
        self.epsilon = epsilon
        self.delta = delta
        self.accountant = accountant
        self.schemaEpsilon = schemaEpsilon
        self.schemaDelta = schemaDelta
        self.schemaBounds = schemaBounds
        self.acceptedDataBoundColumns = acceptedDataBoundColumns
    }
}

/// Where the randomness of a run comes from.
public enum TrainingRandomness: Equatable {
    /// DP noise and Poisson sampling from `SecureGenerator` (ChaCha20 keyed by the OS); model
    /// initialisation and latent noise from a generator seeded by it.
    case secure
    /// Everything from seeded xoshiro256** streams: reproducible, NOT cryptographically secure
    /// (the privacy record says so).
    case seeded(UInt64)
}

/// Why a run cannot be trained as asked.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    case budgetTooSmall(epsilon: Double, schemaEpsilon: Double)
    case invalidBudget(String)
    case emptyData
    case gradientPenaltyUnderPrivacy
    case matrixWidthMismatch(expected: Int, found: Int)
    case perExampleGradients(String)

    public var description: String {
        switch self {
        case .budgetTooSmall(let epsilon, let schemaEpsilon):
            return "the schema already spends ε = \(schemaEpsilon) of the total ε = \(epsilon): nothing is left for training; raise --epsilon or lower --schema-epsilon"
        case .invalidBudget(let reason):
            return "privacy budget: \(reason)"
        case .emptyData:
            return "the training table has no rows"
        case .gradientPenaltyUnderPrivacy:
            return "the WGAN-GP loss mixes real and fake rows in its penalty, so a real record is no longer one clipped example; use it with --no-privacy, or pick wasserstein (weight clipping), hinge or nonSaturating under DP"
        case .matrixWidthMismatch(let expected, let found):
            return "the encoded data has \(found) columns but the encoder's layout has \(expected)"
        case .perExampleGradients(let reason):
            return "per-example gradients failed: \(reason)"
        }
    }
}

extension PrivacyBudget {
    /// A budget whose schema part is the tabular layer's spend record.
    public init(epsilon: Double, delta: Double, accountant: AccountantKind = .rdp, schemaSpend: SchemaSpend,
                schemaBounds: PrivacyRecord.SchemaBoundsSource = .paidFor, acceptedDataBoundColumns: [String] = []) {
        self.init(epsilon: epsilon, delta: delta, accountant: accountant, schemaEpsilon: schemaSpend.totalEpsilon,
                  schemaDelta: schemaSpend.totalDelta, schemaBounds: schemaBounds, acceptedDataBoundColumns: acceptedDataBoundColumns)
    }
}
