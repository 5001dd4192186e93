@testable import DPSynthAudit
import Foundation
import XCTest

/// Multinomial logistic regression and ridge regression against scikit-learn on digits (10
/// classes) and diabetes (continuous), golden numbers from `scripts/linear_model_reference.py`.
final class LinearModelReferenceTests: XCTestCase {
    struct Reference: Decodable {
        struct Case: Decodable {
            let dataset: String, label: String, task: String, test_rows: Int
            let accuracy: Double?, macro_f1: Double?, balanced_accuracy: Double?, r_squared: Double?
            let converged_accuracy: Double?, converged_macro_f1: Double?, converged_balanced_accuracy: Double?
        }
        let cases: [Case]
    }

    func testMultinomialAndRidgeMatchScikitLearn() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "linear_model_reference", withExtension: "json",
                                                  subdirectory: "Resources"))
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        XCTAssertEqual(reference.cases.count, 2)
        for golden in reference.cases {
            let (header, rows) = try DatasetFixture.csv(golden.dataset)
            let task: LabelTask = golden.task == "regression" ? .regression : .multiClass
            let label = LabelSpecification(columnName: golden.label, task: task)
            let table = try DatasetFixture.table(golden.dataset, sdtypes: header.map { ($0, "numerical") }, label: label)
            let test = (0..<rows.count).filter { $0 % 5 == 0 }
            let train = (0..<rows.count).filter { $0 % 5 != 0 }
            XCTAssertEqual(test.count, golden.test_rows)
            let training = table.rows(train)
            let target = try LabelTargets(table: training, label: label, role: .real, classes: nil)
            let testTarget = try LabelTargets(table: table.rows(test), label: label, role: .holdout, classes: nil)
                .reindexed(to: target.classes)
            let scores = try TSTREvaluation.scores(model: .logisticRegression, training: training, role: .real,
                                                   test: table.rows(test), testTarget: testTarget, label: label,
                                                   featureNames: header.filter { $0 != golden.label },
                                                   options: TSTROptions())
            if let expected = golden.r_squared {
                // Ridge has a closed form in scikit-learn; ours is solved to convergence.
                XCTAssertEqual(scores.rSquared ?? -1, expected, accuracy: 1e-7, golden.dataset)
            } else {
                // lbfgs stops at a 1e-4 gradient in scikit-learn: allow one of 360 test rows to differ.
                let oneRow = 1.0 / Double(golden.test_rows)
                XCTAssertEqual(scores.accuracy ?? -1, try XCTUnwrap(golden.accuracy), accuracy: oneRow + 1e-12, golden.dataset)
                XCTAssertEqual(scores.macroF1 ?? -1, try XCTUnwrap(golden.macro_f1), accuracy: 2 * oneRow, golden.dataset)
                XCTAssertEqual(scores.balancedAccuracy ?? -1, try XCTUnwrap(golden.balanced_accuracy), accuracy: 2 * oneRow, golden.dataset)
                // Run to convergence, scikit-learn reaches our optimum: identical predictions.
                XCTAssertEqual(scores.accuracy ?? -1, try XCTUnwrap(golden.converged_accuracy), accuracy: 1e-12)
                XCTAssertEqual(scores.macroF1 ?? -1, try XCTUnwrap(golden.converged_macro_f1), accuracy: 1e-12)
                XCTAssertEqual(scores.balancedAccuracy ?? -1, try XCTUnwrap(golden.converged_balanced_accuracy), accuracy: 1e-12)
                print("digits multinomial: accuracy \(scores.accuracy ?? .nan) vs \(golden.accuracy ?? .nan), macro-F1 \(scores.macroF1 ?? .nan) vs \(golden.macro_f1 ?? .nan)")
            }
        }
    }
}
