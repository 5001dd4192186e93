/// What making a schema's data-derived parts private cost, mechanism by mechanism.
///
/// Every entry is a pure ε-DP mechanism except thresholded category selection without a
/// public candidate list, which is (ε, δ)-DP. The entries all read the same rows, so they
/// compose sequentially: the totals are their sums (basic composition, tight for pure ε-DP).
/// The fit command composes the totals with DP-SGD's ε in the privacy ledger.
public struct SchemaSpend: Codable, Equatable, Sendable {
    public enum Mechanism: String, Codable, Sendable {
        /// Smith (2011) exponential-mechanism quantile over a public range (`PrivateQuantile`).
        case exponentialQuantile
        /// Laplace counts of every public candidate label, thresholded (pure ε-DP).
        case laplaceCountsOfPublicCandidates
        /// Laplace counts of the labels seen in the data, thresholded ((ε, δ)-DP set union).
        case laplaceCountsThresholded
        /// A Laplace histogram over the bounds, then post-processing (EM fit, moments).
        case laplaceHistogram
    }

    public struct Entry: Codable, Equatable, Sendable {
        public var column: String
        /// "lower bound", "upper bound", "categories", "transform parameters".
        public var part: String
        public var mechanism: Mechanism
        public var epsilon: Double
        public var delta: Double
        /// What was released and how (quantile, threshold, labels dropped).
        public var note: String
    }

    public internal(set) var entries: [Entry] = []

    public init() {}

    /// Σ ε over the entries.
    public var totalEpsilon: Double { entries.reduce(0) { $0 + $1.epsilon } }
    /// Σ δ over the entries (0 when every mechanism was pure ε-DP).
    public var totalDelta: Double { entries.reduce(0) { $0 + $1.delta } }
}
