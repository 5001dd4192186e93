/// One column's shape score, as `report.json`'s `utility.columns` holds it.
public struct ColumnShapeScore: Codable, Sendable, Equatable {
    public var name: String
    public var kind: String
    public var metric: ColumnShapeMetric
    /// Nil (omitted from JSON) when a side has no values: SDMetrics gives no score then.
    public var score: Double?
    public var realNullRate: Double
    public var syntheticNullRate: Double
    /// |null rate real − null rate synthetic|.
    public var nullRateDifference: Double
    /// Real vs synthetic shares over common bins or categories, for the report's plots.
    public var distribution: ColumnDistribution
}

/// Real and synthetic shares of one column over common bins (numeric) or categories.
public struct ColumnDistribution: Codable, Sendable, Equatable {
    public var labels: [String]
    public var realShares: [Double]
    public var syntheticShares: [Double]
}

/// One column pair's trend score, as `report.json`'s `utility.pairs` holds it.
public struct PairTrendScore: Codable, Sendable, Equatable {
    public var firstColumn: String
    public var secondColumn: String
    public var metric: PairTrendMetric
    /// Nil (omitted) when undefined, e.g. a constant column's correlation.
    public var score: Double?
    public var realCorrelation: Double?
    public var syntheticCorrelation: Double?
    /// Cramér's V of the real pair (contingency pairs only).
    public var realAssociation: Double?
    /// Whether the real data relate the pair strongly enough for it to count in
    /// `columnPairTrends` (see `PairTrendThresholds`).
    public var meetsThreshold: Bool
}

/// Which pairs count in the column-pair-trends score. SDMetrics ≥ 0.2x's QualityReport only
/// averages pairs that are related in the real data (|ρ| > 0.5, or Cramér's V > 0.3), since an
/// unrelated pair scores near 1 whatever the generator does; thresholds of 0 count every pair,
/// as earlier SDMetrics versions did. Both means are reported.
public struct PairTrendThresholds: Sendable, Equatable {
    public var realCorrelation: Double
    public var realAssociation: Double

    public init(realCorrelation: Double = 0.5, realAssociation: Double = 0.3) {
        self.realCorrelation = realCorrelation
        self.realAssociation = realAssociation
    }

    /// SDMetrics 0.32's defaults (`reports/utils.py`).
    public static let sdmetricsDefault = PairTrendThresholds()
    /// Every pair counts.
    public static let none = PairTrendThresholds(realCorrelation: 0, realAssociation: 0)
}

/// The utility section: SDMetrics' QualityReport (column shapes, column pair trends, their
/// mean) computed in Swift, plus null rates.
public struct UtilitySection: Codable, Sendable, Equatable {
    public var columns: [ColumnShapeScore]
    /// Mean of the defined column scores (SDMetrics' Column Shapes property).
    public var columnShapes: Double?
    public var pairs: [PairTrendScore]
    /// Mean of the defined scores of the pairs that meet the thresholds (SDMetrics' Column
    /// Pair Trends property).
    public var columnPairTrends: Double?
    /// Mean of `columnShapes` and `columnPairTrends` (SDMetrics' quality score).
    public var quality: Double?
    /// The same two numbers with every pair counted (thresholds 0).
    public var columnPairTrendsAllPairs: Double?
    public var qualityAllPairs: Double?
}

/// The mean of the defined values, nil when none is (pandas' NaN-skipping mean).
func meanOfDefined(_ values: [Double?]) -> Double? {
    let defined = values.compactMap { $0 }
    return defined.isEmpty ? nil : defined.reduce(0, +) / Double(defined.count)
}
