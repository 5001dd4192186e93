@testable import DPSynthAudit
import DPSynthTestSupport
import XCTest

/// Our utility metrics against SDMetrics 0.32 itself, on real-vs-holdout pairs of the shared
/// datasets (golden numbers from `scripts/sdmetrics_reference.py`). The definitions are exact,
/// so the tolerance is rounding noise only.
final class SDMetricsAgreementTests: XCTestCase {
    let tolerance = 1e-9

    func assertClose(_ actual: Double?, _ expected: Double?, _ what: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        switch (actual, expected) {
        case (nil, nil): return
        case (let a?, let e?):
            XCTAssertEqual(a, e, accuracy: tolerance, what, file: file, line: line)
        default:
            XCTFail("\(what): got \(String(describing: actual)), SDMetrics \(String(describing: expected))",
                    file: file, line: line)
        }
    }

    func tables(for reference: SDMetricsReference.Case) throws -> (real: AuditTable, synthetic: AuditTable) {
        let order = reference.column_scores.map(\.column)
        let sdtypes = order.map { ($0, reference.columns[$0] ?? "numerical") }
        let full = try DatasetFixture.table(reference.dataset, sdtypes: sdtypes)
        let parts = try DatasetFixture.split(full, dataset: reference.dataset)
        let pick = { (name: String) in name == "train" ? parts.train : parts.test }
        return (pick(reference.real_split), pick(reference.synthetic_split))
    }

    func testSharedCSVsHaveNoQuotes() throws {
        for name in ["gbsg2", "flchain", "pbc"] {
            let text = try String(contentsOf: SharedData.url("data/\(name).csv"), encoding: .utf8)
            XCTAssertFalse(text.contains("\""), "\(name).csv has quoted fields: the test parser would misread it")
        }
    }

    func testQualityReportMatchesSDMetrics() throws {
        let reference = try DatasetFixture.sdmetricsReference()
        XCTAssertEqual(reference.cases.count, 4)
        for golden in reference.cases {
            let (real, synthetic) = try tables(for: golden)
            let utility = UtilityEvaluation.evaluate(real: real, synthetic: synthetic)
            XCTAssertEqual(utility.columns.count, golden.column_scores.count, golden.name)
            for (ours, theirs) in zip(utility.columns, golden.column_scores) {
                XCTAssertEqual(ours.name, theirs.column)
                XCTAssertEqual(ours.metric.rawValue, theirs.metric, "\(golden.name) \(ours.name)")
                assertClose(ours.score, theirs.score, "\(golden.name) column \(ours.name)")
            }
            XCTAssertEqual(utility.pairs.count, golden.pair_scores.count, golden.name)
            for (ours, theirs) in zip(utility.pairs, golden.pair_scores) {
                let what = "\(golden.name) pair \(ours.firstColumn)/\(ours.secondColumn)"
                XCTAssertEqual([ours.firstColumn, ours.secondColumn], [theirs.column_1, theirs.column_2])
                XCTAssertEqual(ours.metric.rawValue, theirs.metric, what)
                assertClose(ours.score, theirs.score, what)
                XCTAssertEqual(ours.meetsThreshold, theirs.meets_threshold, what)
                if let association = theirs.real_association {
                    assertClose(ours.realAssociation, association, what + " Cramér's V")
                }
                if let correlation = theirs.real_correlation {
                    assertClose(ours.realCorrelation, correlation, what + " ρ")
                }
            }
            assertClose(utility.columnShapes, golden.column_shapes, "\(golden.name) column shapes")
            assertClose(utility.columnPairTrends, golden.column_pair_trends, "\(golden.name) pair trends")
            assertClose(utility.quality, golden.quality, "\(golden.name) quality")
            assertClose(utility.columnPairTrendsAllPairs, golden.column_pair_trends_all_pairs,
                        "\(golden.name) pair trends, all pairs")
            assertClose(utility.qualityAllPairs, golden.quality_all_pairs, "\(golden.name) quality, all pairs")
        }
    }
}
