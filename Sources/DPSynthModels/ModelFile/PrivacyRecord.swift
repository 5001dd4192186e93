/// What a released model spent, as the accountant computed it. Copied verbatim into the model
/// file, `dpsynth inspect`, the ledger and the audit: no ε anywhere is recomputed by hand.
public struct PrivacyRecord: Codable, Equatable {
    /// How the bounds and category lists of the schema were obtained.
    public enum SchemaBoundsSource: String, Codable, Sendable {
        /// Every bound and category list was declared public by the user.
        case declaredPublic = "declared_public"
        /// Some were derived from the private data and the user accepted them as public
        /// (`--accept-data-bounds`): the guarantee does not cover them.
        case acceptedDataBounds = "accepted_data_bounds"
        /// Derived from the private data under DP, paid from the budget (`--schema-epsilon`).
        case paidFor = "paid_for"
    }

    /// False for `--no-privacy` runs: ε is infinite and every other field describes nothing.
    public var isPrivate: Bool
    /// Accountant whose ε is reported as `epsilon` ("rdp" or "pld").
    public var accountant: String
    /// Total ε at `delta`, schema spend included (∞ without privacy).
    public var epsilon: Double
    public var delta: Double
    /// ε of each accountant that was run, by name (e.g. ["rdp": 0.98, "pld": 0.91]).
    public var epsilonByAccountant: [String: Double]
    /// The RDP order attaining the RDP ε, and whether it sits at the edge of the order list.
    public var optimalOrder: Double?
    public var optimalOrderAtEdge: Bool
    public var noiseMultiplier: Double
    public var samplingProbability: Double
    public var clippingNorm: Double
    /// Discriminator DP-SGD steps actually taken (the accountant counts these).
    public var steps: Int
    /// Steps planned when σ was calibrated (training may stop earlier, never later).
    public var plannedSteps: Int
    /// Number of records the sampling probability refers to.
    public var datasetSize: Int
    /// ε spent on making schema bounds and category lists private (pure ε-DP mechanisms).
    public var schemaEpsilon: Double
    public var schemaBounds: SchemaBoundsSource
    /// Columns whose data-derived bounds were accepted as public without paying (named, so the
    /// audit can state plainly which parts the guarantee does not cover).
    public var acceptedDataBoundColumns: [String]
    /// Whether DP noise and Poisson sampling used a cryptographically secure generator.
    public var secureRandomness: Bool
    public var randomnessDescription: String
    /// The composed RDP curve (orders and values) of this release, so releases can be composed.
    public var rdpOrders: [Double]
    public var rdpValues: [Double]
    /// ε after each logged step (step, ε): the audit plots it.
    public var epsilonHistory: [EpsilonPoint]
    /// σ of the Gaussian mechanism that released an AC-GAN's label counts (sensitivity 1), composed
    /// into `epsilon`; nil when no label marginal was released.
    public var labelNoiseMultiplier: Double?
    /// σ of the Gaussian mechanism that released the categorical marginals the generator
    /// matched (sensitivity-1 units), composed into `epsilon`; nil when none were released.
    public var marginalNoiseMultiplier: Double?
    /// The DP-SGD release of the label classifier that guided an AC-GAN's generator, composed
    /// into `epsilon`; nil when none was trained.
    public var classifier: ClassifierRelease?

    /// A private classifier's DP-SGD training: its own Poisson rate, σ, steps and clipping norm.
    public struct ClassifierRelease: Codable, Equatable {
        public var samplingProbability: Double
        public var noiseMultiplier: Double
        public var steps: Int
        public var clippingNorm: Double
    }

    public struct EpsilonPoint: Codable, Equatable {
        public var step: Int
        public var epsilon: Double
        public init(step: Int, epsilon: Double) {
            self.step = step
            self.epsilon = epsilon
        }
    }

    public init(isPrivate: Bool, accountant: String, epsilon: Double, delta: Double,
                epsilonByAccountant: [String: Double], optimalOrder: Double?, optimalOrderAtEdge: Bool,
                noiseMultiplier: Double, samplingProbability: Double, clippingNorm: Double,
                steps: Int, plannedSteps: Int, datasetSize: Int, schemaEpsilon: Double,
                schemaBounds: SchemaBoundsSource, acceptedDataBoundColumns: [String],
                secureRandomness: Bool, randomnessDescription: String,
                rdpOrders: [Double], rdpValues: [Double], epsilonHistory: [EpsilonPoint],
                labelNoiseMultiplier: Double? = nil, marginalNoiseMultiplier: Double? = nil,
                classifier: ClassifierRelease? = nil) {
        self.isPrivate = isPrivate
        self.accountant = accountant
        self.epsilon = epsilon
        self.delta = delta
        self.epsilonByAccountant = epsilonByAccountant
        self.optimalOrder = optimalOrder
        self.optimalOrderAtEdge = optimalOrderAtEdge
        self.noiseMultiplier = noiseMultiplier
        self.samplingProbability = samplingProbability
        self.clippingNorm = clippingNorm
        self.steps = steps
        self.plannedSteps = plannedSteps
        self.datasetSize = datasetSize
        self.schemaEpsilon = schemaEpsilon
        self.schemaBounds = schemaBounds
        self.acceptedDataBoundColumns = acceptedDataBoundColumns
        self.secureRandomness = secureRandomness
        self.randomnessDescription = randomnessDescription
        self.rdpOrders = rdpOrders
        self.rdpValues = rdpValues
        self.epsilonHistory = epsilonHistory
        self.labelNoiseMultiplier = labelNoiseMultiplier
        self.marginalNoiseMultiplier = marginalNoiseMultiplier
        self.classifier = classifier
    }
}
