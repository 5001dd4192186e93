@testable import DPSynthAudit
import XCTest

final class TextSummaryTests: XCTestCase {
    /// A report assembled by hand, so that the golden text depends on the formatting only.
    static func handMadeReport(guarantee: PrivacyGuarantee?, secure: Bool) -> AuditReport {
        let scores = PredictionScores(rocAUC: 0.61234, accuracy: 0.6)
        let trained = PredictionScores(rocAUC: 0.65, accuracy: 0.62)
        return AuditReport(
            format: AuditReport.formatName,
            dataset: DatasetDescription(name: "gbsg2", realRows: 548, syntheticRows: 548, holdoutRows: 138, columns: ["age", "cens"]),
            privacy: PrivacySummary(modelKind: "TabularGAN", guarantee: guarantee, schemaBounds: .declaredPublic,
                                    secureRandomness: secure),
            utility: UtilitySection(columns: [], columnShapes: 0.9, pairs: [], columnPairTrends: 0.8, quality: 0.85,
                                    columnPairTrendsAllPairs: 0.88, qualityAllPairs: 0.89),
            tstr: TSTRSection(label: "cens", task: "binary (positive class: 1)", features: ["age"], trainingRows: 548,
                              syntheticRows: 548, testRows: 138,
                              models: [TSTRComparison(model: .logisticRegression, trainOnReal: trained, trainOnSynthetic: scores)],
                              randomForestTrees: 200, seed: 0),
            risk: RiskSection(exactMatchShare: 0, exactMatchShareHoldout: 0.0072,
                              dcrSyntheticToTrain: DistanceSummary(median: 0.0412, percentile5: 0.01, count: 548),
                              dcrHoldoutToTrain: DistanceSummary(median: 0.0302, percentile5: 0.012, count: 138),
                              dcrRatio: 1.36, membershipInferenceAUC: 0.5123, trainingRows: 548, holdoutRows: 138,
                              syntheticRows: 548, distance: "test"))
    }

    func testSummaryLinesAreGolden() {
        let guarantee = PrivacyGuarantee(epsilon: 1.0004, delta: 1e-5, accountant: "RDP", samplingProbability: 0.0365,
                                         noiseMultiplier: 1.1, clippingNorm: 1, steps: 2740, schemaEpsilon: 0)
        XCTAssertEqual(Self.handMadeReport(guarantee: guarantee, secure: true).textSummary, """
        DPSynth audit — gbsg2 (548 real training rows, 548 synthetic, 138 holdout)
        Privacy:  ε = 1, δ = 1e-05 (RDP accountant; 2740 steps, q = 0.0365, σ = 1.1, C = 1)
        Quality:  85.0% (SDMetrics) — column shapes 90.0%, column pair trends 80.0%
        TSTR:     'cens': logistic regression 0.612 vs 0.650 (ROC AUC) — synthetic vs real training
        Risk:     exact matches 0.0% (holdout 0.7%); median DCR 0.0412 vs holdout 0.0302; membership-inference AUC 0.512
        """)
        XCTAssertTrue(Self.handMadeReport(guarantee: guarantee, secure: false).textSummary
            .contains("C = 1) — noise NOT cryptographically secure"))
        XCTAssertTrue(Self.handMadeReport(guarantee: nil, secure: false).textSummary
            .contains("Privacy:  none (ε = ∞) — TabularGAN"))
    }

    /// Without a label (or a holdout) the prediction line was left out, which reads like
    /// nothing to report; it now says it was not measured and why.
    func testAMissingPredictionSectionIsNamed() {
        var report = Self.handMadeReport(guarantee: nil, secure: true)
        report.tstr = nil
        XCTAssertTrue(report.textSummary.contains("\nTSTR:     not measured: no label column (fit --label COL, or \"role\": \"label\" in the schema)\n"),
                      report.textSummary)
        report.dataset = DatasetDescription(name: "t", realRows: 548, syntheticRows: 548, holdoutRows: nil, columns: ["age"])
        XCTAssertTrue(report.textSummary.contains("TSTR:     not measured: no holdout rows to test on (audit --holdout FILE or --holdout-fraction F)"),
                      report.textSummary)
    }

    /// A numeric label is predicted by ridge regression: the summary and the HTML table must
    /// not call it logistic regression (they did, from the enum's raw value).
    func testRegressionLabelNamesRidgeRegression() {
        var report = Self.handMadeReport(guarantee: nil, secure: true)
        let scores = PredictionScores(rSquared: 0.41)
        report.tstr = TSTRSection(label: "target", task: TSTRSection.regressionTask, features: ["age"], trainingRows: 548,
                                  syntheticRows: 548, testRows: 138,
                                  models: [TSTRComparison(model: .logisticRegression, trainOnReal: PredictionScores(rSquared: 0.5),
                                                          trainOnSynthetic: scores),
                                           TSTRComparison(model: .randomForest, trainOnReal: PredictionScores(rSquared: 0.45),
                                                          trainOnSynthetic: scores)],
                                  randomForestTrees: 200, seed: 0)
        XCTAssertTrue(report.textSummary.contains("TSTR:     'target': ridge regression 0.410 vs 0.500 (R²); random forest 0.410 vs 0.450 (R²)"),
                      report.textSummary)
        let html = AuditReportHTML.render(report)
        XCTAssertTrue(html.contains("<td>ridge regression</td><td>R²</td>"))
        XCTAssertFalse(html.contains("logistic regression"))
    }

    func testGuaranteeStatementNamesTheNumbers() {
        let guarantee = PrivacyGuarantee(epsilon: 1, delta: 1e-5, accountant: "RDP", samplingProbability: 0.01,
                                         noiseMultiplier: 1, clippingNorm: 1, steps: 100, schemaEpsilon: 0.1)
        let privacy = PrivacySummary(modelKind: "TabularGAN", guarantee: guarantee, schemaBounds: .paidFor,
                                     secureRandomness: true)
        let statement = AuditStatements.guarantee(privacy)
        XCTAssertTrue(statement.contains("(ε = 1, δ = 1e-05)-differentially private"), statement)
        XCTAssertTrue(statement.contains("e^ε ≈ 2.72 times"), statement)
        XCTAssertEqual(AuditStatements.caveats(privacy),
                       ["Column bounds and category lists were estimated with a differentially private mechanism (ε = 0.1, included in the total)."])
        let careless = PrivacySummary(modelKind: "TabularGAN", guarantee: guarantee, schemaBounds: .acceptedDataBounds,
                                      secureRandomness: false)
        XCTAssertEqual(AuditStatements.caveats(careless).count, 2)
        XCTAssertTrue(AuditStatements.caveats(careless).allSatisfy { $0.hasPrefix("Warning:") })
        // The ledger's total names the unsettled reservations it counts (a fit still running).
        var withLedger = privacy
        withLedger.ledger = LedgerTotals(epsilon: 2.5, delta: 1e-5, releases: 2, unsettledReservations: 1)
        XCTAssertEqual(AuditStatements.caveats(withLedger).last,
                       "The dataset's ledger records 2 releases from these data and 1 reservation of fits not yet settled (counted at their whole plan), totalling ε = 2.5, δ = 1e-05. Releases compose: an adversary holding all of them faces the total, not this release's ε.")
        withLedger.ledger = LedgerTotals(epsilon: 2.5, delta: 1e-5, releases: 1)
        XCTAssertEqual(AuditStatements.caveats(withLedger).last?.hasPrefix("The dataset's ledger records 1 release from these data, totalling"), true)
    }

    /// A synthetic release whose labels are all one class cannot train a classifier: the
    /// report says so instead of inventing a score.
    func testOneClassSyntheticLabelsGiveANote() throws {
        let label = LabelSpecification(columnName: "y", task: .binary(positiveClass: "1"))
        func table(_ labels: [String?]) throws -> AuditTable {
            try AuditTable(columns: [
                AuditColumn(name: "x", values: .numeric(labels.indices.map { Double($0) }, kind: .continuous)),
                AuditColumn(name: "y", values: .categorical(labels, kind: .boolean)),
            ], label: label)
        }
        let real = try table(["0", "1", "0", "1", "1", "0"])
        let synthetic = try table(["0", "0", "0", nil])
        let section = try TSTREvaluation.evaluate(train: real, synthetic: synthetic, test: real, label: label,
                                                  options: TSTROptions(randomForestTrees: 5, seed: 0))
        for comparison in section.models {
            XCTAssertNil(comparison.trainOnSynthetic.rocAUC)
            XCTAssertEqual(comparison.trainOnSynthetic.note, "the synthetic training labels have one class only")
            XCTAssertNotNil(comparison.trainOnReal.rocAUC)
        }
    }
}
