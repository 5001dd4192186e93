@testable import DPSynthAudit
import DPSynthRandom
import XCTest

/// What keeps train-on-synthetic honest and affordable on tables we have never seen: a column
/// recorded after the outcome (it made train-on-real and train-on-synthetic both 1.000 with an
/// inferred flchain schema, passed off as utility), and a side too large to train forests on.
final class TSTRSafeguardTests: XCTestCase {
    /// `cause` is set only for positives (flchain's chapter), `followup` is a number recorded
    /// only for negatives (its missingness leaks), `age` carries a real but partial signal.
    private func table(rows: Int, random: SeededGenerator) throws -> AuditTable {
        var labels: [String?] = [], causes: [String?] = [], followups: [Double?] = [], ages: [Double?] = []
        for _ in 0..<rows {
            let positive = random.nextBernoulli(0.3)
            labels.append(positive ? "1" : "0")
            causes.append(positive ? (random.nextBernoulli(0.5) ? "Circulatory" : "Neoplasms") : nil)
            followups.append(positive ? nil : 100 + 50 * random.nextGaussian())
            ages.append(60 + 10 * random.nextGaussian() + (positive ? 5 : 0))
        }
        return try AuditTable(columns: [
            AuditColumn(name: "age", values: .numeric(ages, kind: .continuous)),
            AuditColumn(name: "cause", values: .categorical(causes, kind: .categorical)),
            AuditColumn(name: "followup", values: .numeric(followups, kind: .continuous)),
            AuditColumn(name: "death", values: .categorical(labels, kind: .boolean)),
        ], label: LabelSpecification(columnName: "death", task: .binary(positiveClass: "1")))
    }

    func testColumnsThatPredictTheLabelAloneAreNamed() throws {
        let random = SeededGenerator(seed: 11)
        let train = try table(rows: 300, random: random)
        let test = try table(rows: 100, random: random)
        let label = try XCTUnwrap(train.label)
        let section = try TSTREvaluation.evaluate(train: train, synthetic: train, test: test, label: label,
                                                  options: TSTROptions(randomForestTrees: 5, seed: 0))
        XCTAssertEqual(section.suspectedLeaks?.map(\.column), ["cause", "followup"])
        XCTAssertEqual(section.suspectedLeaks?.first?.rocAUC, 1)
        XCTAssertEqual(section.leakWarnings.first, "Warning: 'cause' alone predicts 'death' with ROC AUC 1.000 on the real test rows: it may be recorded after the outcome (a label leak). Train-on-real and train-on-synthetic then measure the leak, not the generator; give it role \"drop\" in the schema if it is.")
        let honest = LabelSpecification(columnName: "death", task: .binary(positiveClass: "1"), excludedColumns: ["cause", "followup"])
        XCTAssertNil(try TSTREvaluation.evaluate(train: train, synthetic: train, test: test, label: honest,
                                                 options: TSTROptions(randomForestTrees: 5, seed: 0)).suspectedLeaks,
                     "age predicts, but not alone and not perfectly")
    }
    func testLargeTrainingSidesAreSampled() throws {
        let random = SeededGenerator(seed: 12)
        let train = try table(rows: 300, random: random)
        let test = try table(rows: 60, random: random)
        let label = LabelSpecification(columnName: "death", task: .binary(positiveClass: "1"), excludedColumns: ["cause", "followup"])
        let options = TSTROptions(randomForestTrees: 3, seed: 0, maximumTrainingRows: 100)
        let section = try TSTREvaluation.evaluate(train: train, synthetic: train, test: test, label: label, options: options)
        XCTAssertEqual([section.trainingRows, section.syntheticRows, section.testRows], [100, 100, 60])
        XCTAssertEqual(section.trainingRowLimit, 100)
        XCTAssertEqual(try TSTREvaluation.evaluate(train: train, synthetic: train, test: test, label: label, options: options), section,
                       "seeded: the same sample every run")
        XCTAssertNil(try TSTREvaluation.evaluate(train: train, synthetic: train, test: test, label: label,
                                                 options: TSTROptions(randomForestTrees: 3)).trainingRowLimit)
    }
}
