@testable import DPSynthAudit
import DPSynthRandom
import XCTest

final class PredictionMetricTests: XCTestCase {
    func testAUCHandlesTiesAsMannWhitney() {
        // Perfect ranking, reversed ranking, all tied.
        XCTAssertEqual(PredictionMetrics.rocAUC(scores: [0.1, 0.2, 0.8, 0.9], positives: [false, false, true, true]), 1)
        XCTAssertEqual(PredictionMetrics.rocAUC(scores: [0.9, 0.8, 0.2, 0.1], positives: [false, false, true, true]), 0)
        XCTAssertEqual(PredictionMetrics.rocAUC(scores: [0.5, 0.5, 0.5, 0.5], positives: [false, true, false, true]), 0.5)
        // scikit-learn: roc_auc_score([0, 0, 1, 1, 1], [0.1, 0.4, 0.4, 0.35, 0.8]) = 0.75 —
        // pairs: (0.4 vs 0.4) counts ½, (0.35 vs 0.4) 0, the rest 1: (1 + ½ + 0 + 1 + 1 + 1) / 6.
        XCTAssertEqual(PredictionMetrics.rocAUC(scores: [0.1, 0.4, 0.4, 0.35, 0.8],
                                                positives: [false, false, true, true, true]) ?? 0, 4.5 / 6, accuracy: 1e-15)
        XCTAssertNil(PredictionMetrics.rocAUC(scores: [0.1, 0.2], positives: [true, true]))
    }

    func testClassificationAndRegressionScores() {
        let actual = [0, 0, 1, 1, 2, 2]
        let predicted = [0, 1, 1, 1, 2, 0]
        XCTAssertEqual(PredictionMetrics.accuracy(predicted: predicted, actual: actual) ?? 0, 4.0 / 6, accuracy: 1e-15)
        // Per-class F1: class 0: tp 1, fp 1, fn 1 → 0.5; class 1: tp 2, fp 1 → 0.8; class 2: tp 1, fn 1 → 2/3.
        XCTAssertEqual(PredictionMetrics.macroF1(predicted: predicted, actual: actual) ?? 0, (0.5 + 0.8 + 2.0 / 3) / 3, accuracy: 1e-15)
        XCTAssertEqual(PredictionMetrics.balancedAccuracy(predicted: predicted, actual: actual) ?? 0, (0.5 + 1 + 0.5) / 3, accuracy: 1e-15)
        XCTAssertEqual(PredictionMetrics.rSquared(predicted: [1, 2, 3], actual: [1, 2, 3]), 1)
        XCTAssertEqual(PredictionMetrics.rSquared(predicted: [2, 2, 2], actual: [1, 2, 3]), 0)
        XCTAssertNil(PredictionMetrics.rSquared(predicted: [1, 2], actual: [5, 5]))
    }

    /// Three well-separated clusters and a noisy linear target: multinomial logistic regression
    /// and the forest classify them, ridge and the forest regress the line.
    /// The report promises the same bytes for the same inputs; the per-class means summed over
    /// a Set, whose order changes from process to process, and digits' macro-F1 differed in the
    /// last bits between two audits. They sum in class order now: the exact same Double as
    /// the sum written out in that order (this failed for most process hash seeds).
    func testMultiClassMeansSumInClassOrder() {
        let actual = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 6]
        let predicted = [0, 1, 0, 1, 2, 1, 0, 2, 2, 2, 1, 2, 0, 3, 4, 3, 4, 5, 5, 4, 5, 5, 6, 5, 6]
        let recalls: [Double] = [2.0 / 3, 2.0 / 4, 4.0 / 6, 1, 2.0 / 3, 5.0 / 7, 1]
        XCTAssertEqual(PredictionMetrics.balancedAccuracy(predicted: predicted, actual: actual),
                       recalls.reduce(0, +) / 7)
        let f1 = (0...6).map { label -> Double in
            let tp = Double(zip(predicted, actual).filter { $0 == label && $1 == label }.count)
            let fp = Double(zip(predicted, actual).filter { $0 == label && $1 != label }.count)
            let fn = Double(zip(predicted, actual).filter { $0 != label && $1 == label }.count)
            return 2 * tp / (2 * tp + fp + fn)
        }
        XCTAssertEqual(PredictionMetrics.macroF1(predicted: predicted, actual: actual), f1.reduce(0, +) / 7)
    }

    func testMultiClassAndRegressionTasks() throws {
        let random = SeededGenerator(seed: 11)
        func table(rows: Int) throws -> AuditTable {
            var x: [Double?] = [], y: [Double?] = [], kind: [String?] = [], target: [Double?] = []
            for row in 0..<rows {
                let cluster = row % 3
                x.append(Double(cluster) * 4 + random.nextGaussian())
                y.append(Double(cluster) * -3 + random.nextGaussian())
                kind.append(["red", "green", "blue"][cluster])
                target.append(2 * (x.last! ?? 0) + 0.1 * random.nextGaussian())
            }
            return try AuditTable(columns: [
                AuditColumn(name: "x", values: .numeric(x, kind: .continuous)),
                AuditColumn(name: "y", values: .numeric(y, kind: .continuous)),
                AuditColumn(name: "kind", values: .categorical(kind, kind: .categorical)),
                AuditColumn(name: "target", values: .numeric(target, kind: .continuous)),
            ])
        }
        let train = try table(rows: 300), test = try table(rows: 150)
        let classes = LabelSpecification(columnName: "kind", task: .multiClass, excludedColumns: ["target"])
        let classification = try TSTREvaluation.evaluate(train: train, synthetic: train, test: test, label: classes,
                                                         options: TSTROptions(randomForestTrees: 20, seed: 1))
        for comparison in classification.models {
            XCTAssertGreaterThan(comparison.trainOnReal.accuracy ?? 0, 0.95, "\(comparison.model)")
            XCTAssertGreaterThan(comparison.trainOnReal.macroF1 ?? 0, 0.95, "\(comparison.model)")
            XCTAssertNil(comparison.trainOnReal.rocAUC)
        }
        let regression = LabelSpecification(columnName: "target", task: .regression, excludedColumns: ["kind"])
        let fitted = try TSTREvaluation.evaluate(train: train, synthetic: train, test: test, label: regression,
                                                 options: TSTROptions(randomForestTrees: 20, seed: 1))
        XCTAssertGreaterThan(fitted.models[0].trainOnReal.rSquared ?? 0, 0.99)
        XCTAssertGreaterThan(fitted.models[1].trainOnReal.rSquared ?? 0, 0.9)
        // Same seed, same forest; another seed, another forest.
        let again = try TSTREvaluation.evaluate(train: train, synthetic: train, test: test, label: regression,
                                                options: TSTROptions(randomForestTrees: 20, seed: 1))
        XCTAssertEqual(again, fitted)
        let reseeded = try TSTREvaluation.evaluate(train: train, synthetic: train, test: test, label: regression,
                                                   options: TSTROptions(randomForestTrees: 20, seed: 2))
        XCTAssertNotEqual(reseeded.models[1].trainOnReal.rSquared, fitted.models[1].trainOnReal.rSquared)
    }

    /// The fitted logistic regression zeroes the regularised objective's gradient: checked by
    /// central differences of the objective at the solution along every coordinate.
    func testLogisticRegressionReachesTheOptimum() {
        let random = SeededGenerator(seed: 5)
        let n = 200, width = 3
        var features: [Double] = [], targets: [Double] = []
        for _ in 0..<n {
            let row = (0..<width).map { _ in random.nextGaussian() }
            features += row
            targets.append(random.nextUnitDouble() < 1 / (1 + exp(-(row[0] - 2 * row[1]))) ? 1 : 0)
        }
        let model = LinearModel(kind: .binaryLogistic, features: features, width: width, targets: targets)
        func objective(_ theta: [Double]) -> Double {
            var loss = 0.0
            for i in 0..<n {
                var z = theta[width]
                for j in 0..<width { z += theta[j] * features[i * width + j] }
                loss += log(1 + exp(z)) - targets[i] * z
            }
            return loss + 0.5 * (0..<width).reduce(0) { $0 + theta[$1] * theta[$1] }
        }
        for coordinate in 0...width {
            var plus = model.parameters, minus = model.parameters
            plus[coordinate] += 1e-5
            minus[coordinate] -= 1e-5
            XCTAssertEqual((objective(plus) - objective(minus)) / 2e-5, 0, accuracy: 1e-5, "coordinate \(coordinate)")
        }
    }
}
