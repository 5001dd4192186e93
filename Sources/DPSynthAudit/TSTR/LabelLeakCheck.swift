/// A feature that predicts a binary label almost perfectly on its own in the real data.
public struct SuspectedLabelLeak: Codable, Sendable, Equatable {
    public var column: String
    /// ROC AUC of the column alone on the real test rows (max of AUC and 1 − AUC).
    public var rocAUC: Double

    enum CodingKeys: String, CodingKey { case column, rocAUC = "rocAuc" }
}

/// Finds label leaks before they pass for utility: a column recorded after the outcome (the
/// cause of death, set only for the dead; a discharge code) predicts the label on its own, so
/// train-on-real and train-on-synthetic both score near 1 and the comparison measures the leak,
/// not the generator. An inferred schema keeps such columns (it cannot know when a value was
/// recorded); flchain's `chapter` gave TRTR = TSTR = 1.000.
///
/// Each feature alone, on the real training rows and on the real test rows: a category by the
/// positive share of its level among the real training rows (missing is a level); a number by
/// its value, missing placed first and then last (a number recorded only for one class leaks
/// through its missingness). Flagged when both reach `threshold`: a measurement that separates
/// an outcome that well on both sides is a definition of it, not a predictor (WDBC's best
/// feature reaches 0.998 on a 114-row test split by chance, about 0.98 on the training rows).
enum LabelLeakCheck {
    static let threshold = 0.999

    static func suspects(train: AuditTable, trainTarget: LabelTargets, test: AuditTable, testTarget: LabelTargets,
                         featureNames: [String]) -> [SuspectedLabelLeak] {
        var suspects: [SuspectedLabelLeak] = []
        for name in featureNames {
            guard let trainColumn = train.column(named: name), let testColumn = test.column(named: name),
                  let onTrain = aloneAUC(trainColumn.values, rows: trainTarget, rates: trainColumn.values, rateRows: trainTarget),
                  onTrain >= threshold,
                  let onTest = aloneAUC(testColumn.values, rows: testTarget, rates: trainColumn.values, rateRows: trainTarget),
                  onTest >= threshold else { continue }
            suspects.append(SuspectedLabelLeak(column: name, rocAUC: onTest))
        }
        return suspects
    }

    /// ROC AUC (max of AUC and 1 − AUC) of one column alone on the labelled `rows`; a category
    /// scored by its level's positive share among `rateRows` of `rates`.
    private static func aloneAUC(_ values: ColumnValues, rows target: LabelTargets, rates: ColumnValues,
                                 rateRows rateTarget: LabelTargets) -> Double? {
        let positives = target.values.map { $0 == 1 }
        let scoreSets: [[Double]]
        switch (values, rates) {
        case (.categorical(let values, _), .categorical(let rateValues, _)):
            var sums: [String?: (positives: Double, count: Double)] = [:]
            for (row, value) in zip(rateTarget.rows, rateTarget.values) {
                sums[rateValues[row], default: (0, 0)].positives += value
                sums[rateValues[row], default: (0, 0)].count += 1
            }
            let overall = rateTarget.values.reduce(0, +) / Double(max(rateTarget.values.count, 1))
            scoreSets = [target.rows.map { row in sums[values[row]].map { $0.positives / $0.count } ?? overall }]
        case (.numeric(let values, _), .numeric):
            scoreSets = [-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude].map { missing in
                target.rows.map { values[$0] ?? missing }
            }
        default:
            return nil
        }
        return scoreSets.compactMap { PredictionMetrics.rocAUC(scores: $0, positives: positives) }.map { max($0, 1 - $0) }.max()
    }
}
