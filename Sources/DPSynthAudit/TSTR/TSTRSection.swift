/// The learners compared in train-on-synthetic / test-on-real.
public enum TSTRModel: String, Codable, Sendable, CaseIterable {
    /// L2 logistic regression (C = 1) for classes, ridge regression (α = 1) for a number.
    case logisticRegression = "logistic_regression"
    /// Random forest (bootstrap, √width features per split for classes).
    case randomForest = "random_forest"

    /// The learner as the report names it: the linear model of a numeric label is ridge
    /// regression, not logistic regression (the raw value stays, for JSON readers).
    public func displayName(task: String) -> String {
        switch self {
        case .logisticRegression: return task == TSTRSection.regressionTask ? "ridge regression" : "logistic regression"
        case .randomForest: return "random forest"
        }
    }
}

/// Scores of one learner on the real test rows; the fields that apply to the task are set.
public struct PredictionScores: Codable, Sendable, Equatable {
    public var rocAUC: Double?
    public var accuracy: Double?
    public var balancedAccuracy: Double?
    public var macroF1: Double?
    public var rSquared: Double?
    /// Why no score could be computed (for example: the synthetic labels have one class).
    public var note: String?

    public init(rocAUC: Double? = nil, accuracy: Double? = nil, balancedAccuracy: Double? = nil,
                macroF1: Double? = nil, rSquared: Double? = nil, note: String? = nil) {
        self.rocAUC = rocAUC
        self.accuracy = accuracy
        self.balancedAccuracy = balancedAccuracy
        self.macroF1 = macroF1
        self.rSquared = rSquared
        self.note = note
    }

    /// Spelled so that snake_case conversion gives `roc_auc` and reads it back.
    enum CodingKeys: String, CodingKey {
        case rocAUC = "rocAuc", accuracy, balancedAccuracy, macroF1, rSquared, note
    }
}

/// One learner trained on real training rows and on synthetic rows, both tested on the same
/// real test rows.
public struct TSTRComparison: Codable, Sendable, Equatable {
    public var model: TSTRModel
    public var trainOnReal: PredictionScores
    public var trainOnSynthetic: PredictionScores

    enum CodingKeys: String, CodingKey {
        case model, trainOnReal = "trtr", trainOnSynthetic = "tstr"
    }
}

/// The `tstr` section of the report.
public struct TSTRSection: Codable, Sendable, Equatable {
    public var label: String
    /// "binary (positive class: 1)", "multi-class", "regression".
    public var task: String
    public var features: [String]
    public var trainingRows: Int
    public var syntheticRows: Int
    public var testRows: Int
    public var models: [TSTRComparison]
    public var randomForestTrees: Int
    public var seed: UInt64
    /// Features that predict a binary label on their own (`LabelLeakCheck`); nil when none or
    /// not a binary task.
    public var suspectedLeaks: [SuspectedLabelLeak]? = nil
    /// Set when a side had more rows than this: the learners trained on a seeded sample of this
    /// many rows of it (`TSTROptions.maximumTrainingRows`); `trainingRows` and `syntheticRows`
    /// count the rows used.
    public var trainingRowLimit: Int? = nil

    /// The `task` text of a numeric label.
    public static let regressionTask = "regression"
}

extension TSTRSection {
    /// One warning per suspected leak, for the summary and the HTML.
    public var leakWarnings: [String] {
        (suspectedLeaks ?? []).map { leak in
            "Warning: '\(leak.column)' alone predicts '\(label)' with ROC AUC \(String(format: "%.3f", leak.rocAUC)) on the real test rows: it may be recorded after the outcome (a label leak). Train-on-real and train-on-synthetic then measure the leak, not the generator; give it role \"drop\" in the schema if it is."
        }
    }
}
