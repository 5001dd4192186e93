/// The median and 5th percentile of a set of distances.
public struct DistanceSummary: Codable, Sendable, Equatable {
    public var median: Double
    public var percentile5: Double
    public var count: Int

    enum CodingKeys: String, CodingKey { case median, percentile5 = "p05", count }
}

/// The privacy-risk section: how close the synthetic rows are to the training rows, compared
/// with how close unseen real rows are. None of these numbers is a privacy guarantee; the
/// guarantee is the (ε, δ) of the privacy section. They find gross failures (copied rows,
/// memorised outliers) and show the released data's closeness against a natural baseline.
public struct RiskSection: Codable, Sendable, Equatable {
    /// Share of synthetic rows equal to some training row in every column (DCR = 0, i.e. exact
    /// equality of numbers and category text, missing equal to missing).
    public var exactMatchShare: Double
    /// Same share for the holdout rows: how often a real person unseen in training shares a
    /// record with a training row by chance (small tables with few, coarse columns do).
    public var exactMatchShareHoldout: Double?
    /// Share of training rows equal in every column to another training row: the baseline for
    /// the exact-match share when there is no holdout (a coarse table repeats whole records).
    /// Optional so that reports written before it read back.
    public var trainingDuplicateShare: Double?
    /// DCR of each synthetic row to the training rows.
    public var dcrSyntheticToTrain: DistanceSummary
    /// DCR of each holdout row to the training rows: the natural baseline.
    public var dcrHoldoutToTrain: DistanceSummary?
    /// median DCR(synthetic → train) / median DCR(holdout → train); below 1 means the
    /// synthetic rows sit closer to the training rows than unseen real rows do.
    public var dcrRatio: Double?
    /// AUC of the distance attack: rank training rows (members) against holdout rows
    /// (non-members) by closeness to the synthetic data. 0.5 = no signal.
    public var membershipInferenceAUC: Double?
    public var trainingRows: Int
    public var holdoutRows: Int?
    public var syntheticRows: Int
    /// The distance used, in words.
    public var distance: String
    /// Set when a table had more rows than this: its distances were measured from a seeded
    /// sample of this many rows (`RiskEvaluation.evaluate`'s `maximumQueryRows`).
    public var distanceQueryRowLimit: Int? = nil

    /// Spelled so that snake_case conversion gives `membership_inference_auc` and reads it back.
    enum CodingKeys: String, CodingKey {
        case exactMatchShare, exactMatchShareHoldout, trainingDuplicateShare, dcrSyntheticToTrain, dcrHoldoutToTrain, dcrRatio
        case membershipInferenceAUC = "membershipInferenceAuc"
        case trainingRows, holdoutRows, syntheticRows, distance, distanceQueryRowLimit
    }
}
