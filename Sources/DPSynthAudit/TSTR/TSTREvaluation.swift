/// Settings of train-on-synthetic / test-on-real.
public struct TSTROptions: Sendable, Equatable {
    /// Trees per random forest (scikit-learn's default is 100; the TRTR baseline used 500).
    public var randomForestTrees: Int
    /// Seed of the forests' bootstrap and feature draws.
    public var seed: UInt64

    /// Each learner trains on at most this many rows of each side (a seeded sample): a forest
    /// on a million rows takes most of an hour, and the comparison needs no more. Every
    /// bundled data set fits whole.
    public var maximumTrainingRows: Int

    public init(randomForestTrees: Int = 200, seed: UInt64 = 0, maximumTrainingRows: Int = 50_000) {
        self.randomForestTrees = randomForestTrees
        self.seed = seed
        self.maximumTrainingRows = maximumTrainingRows
    }
}

/// Train-on-synthetic / test-on-real against train-on-real / test-on-real (Esteban et al.
/// 2017, "Real-valued (medical) time series generation with recurrent conditional GANs"):
/// the same learner, preprocessing and test rows, trained once on the real training rows and
/// once on the synthetic rows. The gap is the utility lost for that prediction task.
public enum TSTREvaluation {
    public static func evaluate(train fullTrain: AuditTable, synthetic fullSynthetic: AuditTable, test: AuditTable,
                                label: LabelSpecification, options: TSTROptions = TSTROptions()) throws -> TSTRSection {
        let train = fullTrain.sampled(atMost: options.maximumTrainingRows, seed: options.seed)
        let synthetic = fullSynthetic.sampled(atMost: options.maximumTrainingRows, seed: options.seed &+ 1)
        let excluded = Set(label.excludedColumns + [label.columnName])
        let featureNames = train.columns.map(\.name).filter { !excluded.contains($0) }
        let testTarget = try LabelTargets(table: test, label: label, role: .holdout, classes: nil)
        var comparisons: [TSTRComparison] = []
        for model in TSTRModel.allCases {
            let real = try scores(model: model, training: train, role: .real, test: test, testTarget: testTarget,
                                  label: label, featureNames: featureNames, options: options)
            let fromSynthetic = try scores(model: model, training: synthetic, role: .synthetic, test: test,
                                           testTarget: testTarget, label: label, featureNames: featureNames,
                                           options: options)
            comparisons.append(TSTRComparison(model: model, trainOnReal: real, trainOnSynthetic: fromSynthetic))
        }
        let task: String
        switch label.task {
        case .binary(let positiveClass): task = "binary (positive class: \(positiveClass))"
        case .multiClass: task = "multi-class"
        case .regression: task = TSTRSection.regressionTask
        }
        var section = TSTRSection(label: label.columnName, task: task, features: featureNames,
                                  trainingRows: train.rowCount, syntheticRows: synthetic.rowCount,
                                  testRows: test.rowCount, models: comparisons,
                                  randomForestTrees: options.randomForestTrees, seed: options.seed)
        if max(fullTrain.rowCount, fullSynthetic.rowCount) > options.maximumTrainingRows {
            section.trainingRowLimit = options.maximumTrainingRows
        }
        if case .binary = label.task {
            let trainTarget = try LabelTargets(table: train, label: label, role: .real, classes: nil)
            let leaks = LabelLeakCheck.suspects(train: train, trainTarget: trainTarget, test: test, testTarget: testTarget,
                                                featureNames: featureNames)
            section.suspectedLeaks = leaks.isEmpty ? nil : leaks
        }
        return section
    }

    /// Fits `model` on `training` (preprocessing fitted there too) and scores it on `test`.
    static func scores(model: TSTRModel, training: AuditTable, role: AuditTableRole, test: AuditTable,
                       testTarget: LabelTargets, label: LabelSpecification, featureNames: [String],
                       options: TSTROptions) throws -> PredictionScores {
        let target = try LabelTargets(table: training, label: label, role: role, classes: nil)
        if case .binary = label.task, Set(target.values).count < 2 {
            return PredictionScores(note: "the \(role.rawValue) training labels have one class only")
        }
        // Multi-class: score test rows against the training side's classes (unseen → −1).
        let test = testTarget.reindexed(to: target.classes)
        let encoder = FeatureEncoder(fitting: training, rows: target.rows, featureNames: featureNames)
        let width = encoder.width
        let trainingFeatures = encoder.encode(training, rows: target.rows)
        let testFeatures = encoder.encode(test.table, rows: test.rows)
        let n = test.rows.count
        let classCount: Int
        switch label.task {
        case .binary: classCount = 2
        case .multiClass: classCount = target.classes.count
        case .regression: classCount = 0
        }
        // Predictions: P(positive) for binary, class shares for multi-class, values for regression.
        var predictions: [Double]
        switch model {
        case .logisticRegression:
            let kind: LinearModel.Kind
            switch label.task {
            case .binary: kind = .binaryLogistic
            case .multiClass: kind = .multinomialLogistic(classCount: classCount)
            case .regression: kind = .ridge
            }
            let fitted = LinearModel(kind: kind, features: trainingFeatures, width: width, targets: target.values)
            predictions = fitted.predict(testFeatures, rowCount: n)
        case .randomForest:
            let forest = RandomForest(features: trainingFeatures, rowCount: target.rows.count, width: width,
                                      targets: target.values, classCount: classCount,
                                      treeCount: options.randomForestTrees, seed: options.seed)
            predictions = forest.predict(testFeatures, rowCount: n, width: width)
            if classCount == 2 { predictions = (0..<n).map { predictions[$0 * 2 + 1] } }
        }
        switch label.task {
        case .binary:
            let positives = test.values.map { $0 == 1 }
            let predicted = predictions.map { $0 >= 0.5 ? 1 : 0 }
            let actual = test.values.map { Int($0) }
            return PredictionScores(rocAUC: PredictionMetrics.rocAUC(scores: predictions, positives: positives),
                                    accuracy: PredictionMetrics.accuracy(predicted: predicted, actual: actual),
                                    balancedAccuracy: PredictionMetrics.balancedAccuracy(predicted: predicted, actual: actual))
        case .multiClass:
            let predicted = (0..<n).map { row -> Int in
                var best = 0
                for k in 1..<Swift.max(classCount, 1) where predictions[row * classCount + k] > predictions[row * classCount + best] { best = k }
                return best
            }
            let actual = test.values.map { Int($0) }
            return PredictionScores(accuracy: PredictionMetrics.accuracy(predicted: predicted, actual: actual),
                                    balancedAccuracy: PredictionMetrics.balancedAccuracy(predicted: predicted, actual: actual),
                                    macroF1: PredictionMetrics.macroF1(predicted: predicted, actual: actual))
        case .regression:
            return PredictionScores(rSquared: PredictionMetrics.rSquared(predicted: predictions, actual: test.values))
        }
    }
}

/// The label column of a table as model targets: the rows with a label, and per row 0/1
/// (binary), a class index (multi-class, classes sorted) or the value (regression).
struct LabelTargets {
    let table: AuditTable
    let rows: [Int]
    let values: [Double]
    let classes: [String]
    private let texts: [String]

    init(table: AuditTable, label: LabelSpecification, role: AuditTableRole, classes given: [String]?) throws {
        guard let column = table.column(named: label.columnName) else {
            throw AuditError.missingColumn(name: label.columnName, table: role)
        }
        var rows: [Int] = []
        var texts: [String] = []
        var numbers: [Double] = []
        switch column.values {
        case .numeric(let values, _):
            for (row, value) in values.enumerated() {
                if let value = value { rows.append(row); texts.append(labelText(value)); numbers.append(value) }
            }
        case .categorical(let values, _):
            if label.task == .regression {
                throw AuditError.labelTaskMismatch(name: label.columnName, reason: "regression needs a numeric label column")
            }
            for (row, value) in values.enumerated() {
                if let value = value { rows.append(row); texts.append(value) }
            }
        }
        self.table = table
        self.rows = rows
        self.texts = texts
        switch label.task {
        case .binary(let positiveClass):
            classes = ["0", "1"]
            values = texts.map { $0 == positiveClass ? 1 : 0 }
        case .multiClass:
            let classes = given ?? Array(Set(texts)).sorted()
            var index: [String: Int] = [:]
            for (position, name) in classes.enumerated() { index[name] = position }
            self.classes = classes
            values = texts.map { Double(index[$0] ?? -1) }
        case .regression:
            classes = []
            values = numbers
        }
    }

    /// The same rows with class indices taken from `classes` (a class the training side never
    /// saw becomes −1, which no prediction matches).
    func reindexed(to classes: [String]) -> LabelTargets {
        // Binary and regression targets do not depend on the training side.
        guard !self.classes.isEmpty, self.classes != ["0", "1"], self.classes != classes else { return self }
        var index: [String: Int] = [:]
        for (position, name) in classes.enumerated() { index[name] = position }
        return LabelTargets(table: table, rows: rows, values: texts.map { Double(index[$0] ?? -1) },
                            classes: classes, texts: texts)
    }

    private init(table: AuditTable, rows: [Int], values: [Double], classes: [String], texts: [String]) {
        self.table = table
        self.rows = rows
        self.values = values
        self.classes = classes
        self.texts = texts
    }
}

/// A numeric label written as a category: integers without ".0" (`1`, not `1.0`).
func labelText(_ value: Double) -> String {
    if value == value.rounded(), Swift.abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}
