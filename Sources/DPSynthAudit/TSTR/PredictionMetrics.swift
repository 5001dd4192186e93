/// Scores of predictions on held-out real rows.
public enum PredictionMetrics {
    /// ROC AUC as the Mann–Whitney U statistic: the probability that a random positive scores
    /// above a random negative, ties counting one half (mid-ranks). Equal to scikit-learn's
    /// `roc_auc_score` (trapezoidal area). Nil without both classes.
    public static func rocAUC(scores: [Double], positives: [Bool]) -> Double? {
        let positiveCount = positives.filter { $0 }.count
        let negativeCount = positives.count - positiveCount
        guard positiveCount > 0, negativeCount > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var positiveRankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let midRank = Double(start + end) / 2 + 1 // 1-based ranks start+1 ... end+1
            for position in start...end where positives[order[position]] { positiveRankSum += midRank }
            start = end + 1
        }
        let p = Double(positiveCount)
        let u = positiveRankSum - p * (p + 1) / 2
        return u / (p * Double(negativeCount))
    }

    /// Share of rows predicted right.
    public static func accuracy(predicted: [Int], actual: [Int]) -> Double? {
        guard !actual.isEmpty else { return nil }
        return Double(zip(predicted, actual).filter { $0 == $1 }.count) / Double(actual.count)
    }

    /// Mean recall over the classes present in `actual` (scikit-learn's balanced accuracy).
    public static func balancedAccuracy(predicted: [Int], actual: [Int]) -> Double? {
        // Sorted: a Set's order changes from process to process, and so would the sum's last bits.
        let classes = Set(actual).sorted()
        guard !classes.isEmpty else { return nil }
        let recalls = classes.map { label -> Double in
            let rows = actual.indices.filter { actual[$0] == label }
            return Double(rows.filter { predicted[$0] == label }.count) / Double(rows.count)
        }
        return recalls.reduce(0, +) / Double(recalls.count)
    }

    /// Unweighted mean of per-class F1 over the classes seen in either vector (scikit-learn's
    /// `f1_score(average="macro")`; a class never predicted nor present scores 0).
    public static func macroF1(predicted: [Int], actual: [Int]) -> Double? {
        let classes = Set(actual).union(predicted).sorted()
        guard !classes.isEmpty else { return nil }
        let scores = classes.map { label -> Double in
            var truePositive = 0.0, falsePositive = 0.0, falseNegative = 0.0
            for (p, a) in zip(predicted, actual) {
                if p == label && a == label { truePositive += 1 }
                else if p == label { falsePositive += 1 }
                else if a == label { falseNegative += 1 }
            }
            let denominator = 2 * truePositive + falsePositive + falseNegative
            return denominator > 0 ? 2 * truePositive / denominator : 0
        }
        return scores.reduce(0, +) / Double(scores.count)
    }

    /// Coefficient of determination 1 − SS_res / SS_tot; nil for a constant truth.
    public static func rSquared(predicted: [Double], actual: [Double]) -> Double? {
        guard !actual.isEmpty else { return nil }
        let mean = actual.reduce(0, +) / Double(actual.count)
        let total = actual.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        guard total > 0 else { return nil }
        let residual = zip(predicted, actual).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return 1 - residual / total
    }
}
