@testable import DPSynthAudit
import DPSynthRandom
import XCTest

final class RiskMetricTests: XCTestCase {
    /// Synthetic → real DCR of every row equals SDMetrics' `calculate_dcr` (golden file).
    func testDistanceToClosestRecordMatchesSDMetrics() throws {
        let reference = try DatasetFixture.sdmetricsReference()
        var checked = 0
        for golden in reference.cases {
            guard let expected = golden.dcr_synthetic_to_real else { continue }
            let order = golden.column_scores.map(\.column)
            let table = try DatasetFixture.table(golden.dataset, sdtypes: order.map { ($0, golden.columns[$0] ?? "numerical") })
            let parts = try DatasetFixture.split(table, dataset: golden.dataset)
            let real = golden.real_split == "train" ? parts.train : parts.test
            let synthetic = golden.synthetic_split == "train" ? parts.train : parts.test
            let distances = DistanceToClosestRecord(reference: real, columns: order).distances(from: synthetic)
            XCTAssertEqual(distances.count, expected.count)
            for (index, (ours, theirs)) in zip(distances, expected).enumerated() {
                XCTAssertEqual(ours, try XCTUnwrap(theirs), accuracy: 1e-12, "\(golden.name) row \(index)")
            }
            checked += 1
        }
        XCTAssertEqual(checked, 2, "gbsg2 and pbc (with missing values) carry DCR golden values")
    }

    func testHandComputedDistances() throws {
        let reference = try AuditTable(columns: [
            AuditColumn(name: "x", values: .numeric([0, 10, nil], kind: .continuous)),
            AuditColumn(name: "c", values: .categorical(["a", "b", "a"], kind: .categorical)),
            AuditColumn(name: "k", values: .numeric([5, 5, 5], kind: .integer)),
        ])
        let queries = try AuditTable(columns: [
            AuditColumn(name: "x", values: .numeric([2, nil, 30], kind: .continuous)),
            AuditColumn(name: "c", values: .categorical(["a", "a", "z"], kind: .categorical)),
            AuditColumn(name: "k", values: .numeric([5, 5, 6], kind: .integer)),
        ])
        let distances = DistanceToClosestRecord(reference: reference, columns: ["x", "c", "k"]).distances(from: queries)
        // Row 0: vs (0, a, 5): 0.2 + 0 + 0 → 0.2/3. Row 1: vs (nil, a, 5): 0. Row 2: x capped at 1,
        // unseen category 1, constant column with a different value 1 → 3/3.
        XCTAssertEqual(distances[0], 0.2 / 3, accuracy: 1e-15)
        XCTAssertEqual(distances[1], 0)
        XCTAssertEqual(distances[2], 1)
        XCTAssertEqual(RiskEvaluation.percentile([1, 2, 3, 4], 50), 2.5)
        XCTAssertEqual(RiskEvaluation.percentile([0, 10], 5), 0.5, accuracy: 1e-15)
    }

    /// The grouped, pruned search returns the very Doubles of the plain loop over every pair
    /// (codes first, then the numbers in column order): coarse values so that ties and
    /// duplicates abound, missing values, a constant column, unseen categories, no codes, no
    /// numbers, an empty reference.
    func testPrunedSearchEqualsThePlainLoopExactly() throws {
        let random = SeededGenerator(seed: 11)
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        func table(rows: Int, labels: [String?]) throws -> AuditTable {
            try AuditTable(columns: [
                AuditColumn(name: "x", values: .numeric((0..<rows).map { _ in pick([nil, 0, 1, 2, 2.5, 7, 40]) }, kind: .continuous)),
                AuditColumn(name: "c", values: .categorical((0..<rows).map { _ in pick(labels) }, kind: .categorical)),
                AuditColumn(name: "k", values: .numeric((0..<rows).map { _ in 3 }, kind: .integer)),
                AuditColumn(name: "y", values: .numeric((0..<rows).map { _ in random.nextGaussian() }, kind: .continuous)),
                AuditColumn(name: "d", values: .categorical((0..<rows).map { _ in pick(["p", "q"]) }, kind: .boolean)),
            ])
        }
        let reference = try table(rows: 700, labels: [nil, "a", "b", "c"])
        let queries = try table(rows: 300, labels: [nil, "a", "b", "unseen"])
        for columns in [["x", "c", "k", "y", "d"], ["c", "d"], ["y", "x"], ["k"]] {
            let ours = DistanceToClosestRecord(reference: reference, columns: columns).distances(from: queries)
            XCTAssertEqual(ours, plainDistances(reference: reference, queries: queries, columns: columns), "\(columns)")
        }
        let empty = reference.rows([])
        XCTAssertEqual(DistanceToClosestRecord(reference: empty, columns: ["x", "c"]).distances(from: queries),
                       Array(repeating: .infinity, count: 300))
    }

    /// Every query row against every reference row, summed as the search sums: mismatching
    /// codes (categories, and numbers of a constant reference column) first, then the numeric
    /// terms in column order.
    private func plainDistances(reference: AuditTable, queries: AuditTable, columns: [String]) -> [Double] {
        var codeTerms: [(Int, Int) -> Bool] = []
        var numericTerms: [(Int, Int) -> Double] = []
        for name in columns {
            switch (reference.column(named: name)?.values, queries.column(named: name)?.values) {
            case (.numeric(let r, _)?, .numeric(let q, _)?):
                let present = r.compactMap { $0 }
                if let low = present.min(), let high = present.max(), high > low {
                    let scale = { (value: Double?) in value.map { ($0 - low) / (high - low) } ?? 1e300 }
                    numericTerms.append { i, j in min(abs(scale(q[i]) - scale(r[j])), 1) }
                } else {
                    codeTerms.append { i, j in q[i] != r[j] }
                }
            case (.categorical(let r, _)?, .categorical(let q, _)?):
                codeTerms.append { i, j in q[i] != r[j] }
            default:
                XCTFail("column \(name)")
            }
        }
        return (0..<queries.rowCount).map { i in
            var best = Double.infinity
            for j in 0..<reference.rowCount {
                var sum = 0.0
                for term in codeTerms where term(i, j) { sum += 1 }
                for term in numericTerms { sum += term(i, j) }
                best = min(best, sum)
            }
            return best / Double(columns.count)
        }
    }

    func gaussianTable(rows: Int, random: RandomSource) throws -> AuditTable {
        try AuditTable(columns: [
            AuditColumn(name: "a", values: .numeric((0..<rows).map { _ in random.nextGaussian() }, kind: .continuous)),
            AuditColumn(name: "b", values: .numeric((0..<rows).map { _ in random.nextGaussian() }, kind: .continuous)),
            AuditColumn(name: "g", values: .categorical((0..<rows).map { _ in random.nextBernoulli(0.3) ? "x" : "y" }, kind: .boolean)),
        ])
    }

    /// Releasing the training rows themselves: every synthetic row matches, members sit at
    /// distance 0 from the release while non-members do not, so the attack wins.
    func testCopiedTrainingRowsAreFlagged() throws {
        let random = SeededGenerator(seed: 3)
        let train = try gaussianTable(rows: 400, random: random)
        let holdout = try gaussianTable(rows: 100, random: random)
        let risk = RiskEvaluation.evaluate(train: train, holdout: holdout, synthetic: train)
        XCTAssertEqual(risk.exactMatchShare, 1)
        XCTAssertEqual(risk.exactMatchShareHoldout, 0)
        XCTAssertEqual(risk.dcrSyntheticToTrain.median, 0)
        XCTAssertEqual(risk.dcrRatio, 0)
        XCTAssertEqual(risk.membershipInferenceAUC ?? 0, 1, accuracy: 1e-12)
    }

    /// Synthetic rows drawn fresh from the same distribution carry no membership signal: the
    /// attack AUC is 0.5 up to sampling noise. Under the null, AUC has standard deviation
    /// √((m + n + 1) / (12 m n)) (Mann–Whitney); allow 4 of them.
    func testIndependentRowsGiveChanceAttackAUC() throws {
        let random = SeededGenerator(seed: 4)
        let train = try gaussianTable(rows: 1_000, random: random)
        let holdout = try gaussianTable(rows: 1_000, random: random)
        let synthetic = try gaussianTable(rows: 1_000, random: random)
        let risk = RiskEvaluation.evaluate(train: train, holdout: holdout, synthetic: synthetic)
        let m = 1_000.0, n = 1_000.0
        let standardDeviation = ((m + n + 1) / (12 * m * n)).squareRoot()
        XCTAssertEqual(risk.membershipInferenceAUC ?? 0, 0.5, accuracy: 4 * standardDeviation)
        XCTAssertEqual(risk.exactMatchShare, 0)
        XCTAssertEqual(risk.dcrRatio ?? 0, 1, accuracy: 0.15)
    }
    /// A table of few, coarse columns repeats whole records among real people: without a
    /// holdout, the exact-match share of a release had no baseline, and a fresh sample from such
    /// a table showed "65% copied records" in red. The duplicate share of the training rows is
    /// that baseline (missing equal to missing, −0 equal to 0); the summary and the tile use it.
    func testTrainingDuplicateShareIsTheBaselineWithoutHoldout() throws {
        let train = try AuditTable(columns: [
            AuditColumn(name: "sex", values: .categorical(["F", "M", "F", "F", nil, nil], kind: .categorical)),
            AuditColumn(name: "dose", values: .numeric([1, 2, 1, 3, 0, -0.0], kind: .integer)),
        ])
        XCTAssertEqual(RiskEvaluation.duplicateShare(train), 4.0 / 6.0, accuracy: 1e-12, "rows 0, 2 and rows 4, 5")
        let synthetic = try AuditTable(columns: [
            AuditColumn(name: "sex", values: .categorical(["F", "M"], kind: .categorical)),
            AuditColumn(name: "dose", values: .numeric([1, 5], kind: .integer)),
        ])
        let risk = RiskEvaluation.evaluate(train: train, holdout: nil, synthetic: synthetic)
        XCTAssertEqual(risk.exactMatchShare, 0.5)
        XCTAssertEqual(risk.trainingDuplicateShare ?? 0, 4.0 / 6.0, accuracy: 1e-12)
        var report = TextSummaryTests.handMadeReport(guarantee: nil, secure: true)
        report.risk = risk
        XCTAssertTrue(report.textSummary.contains("Risk:     exact matches 50.0% (training rows among themselves 66.7%)"), report.textSummary)
        let html = AuditReportHTML.render(report)
        XCTAssertTrue(html.contains("<div class=\"tile good\"><div class=\"tile-title\">Copied records</div><div class=\"tile-value\">50.0%</div>"), "below the baseline: not flagged")
        XCTAssertTrue(html.contains("<tr><td>Training rows equal to another training row (a baseline without holdout)</td><td class=\"num\">—</td><td class=\"num\">66.7%</td></tr>"))
    }
    /// Distances cost query rows × reference rows: a million-row release against a million-row
    /// table ran for more than ten minutes without an end. Queries are a seeded sample beyond
    /// the limit, and the section says so; below it nothing changes.
    func testDistancesOfLargeTablesAreMeasuredFromASeededSample() throws {
        let random = SeededGenerator(seed: 5)
        let train = try gaussianTable(rows: 400, random: random)
        let holdout = try gaussianTable(rows: 100, random: random)
        let whole = RiskEvaluation.evaluate(train: train, holdout: holdout, synthetic: train)
        XCTAssertNil(whole.distanceQueryRowLimit)
        let sampled = RiskEvaluation.evaluate(train: train, holdout: holdout, synthetic: train, maximumQueryRows: 50)
        XCTAssertEqual(sampled.distanceQueryRowLimit, 50)
        XCTAssertEqual(sampled.dcrSyntheticToTrain.count, 50)
        XCTAssertEqual(sampled.dcrHoldoutToTrain?.count, 50)
        XCTAssertEqual(sampled.exactMatchShare, 1, "a sample of copied rows is still all copies")
        XCTAssertEqual(sampled.membershipInferenceAUC ?? 0, 1, accuracy: 1e-12)
        XCTAssertEqual(RiskEvaluation.evaluate(train: train, holdout: holdout, synthetic: train, maximumQueryRows: 50), sampled,
                       "seeded: the same sample every run")
        let sample = train.sampled(atMost: 50, seed: 9)
        XCTAssertEqual(sample.rowCount, 50)
        XCTAssertTrue(train.sampled(atMost: 400, seed: 9).rowCount == 400)
        var report = TextSummaryTests.handMadeReport(guarantee: nil, secure: true)
        report.risk = sampled
        XCTAssertTrue(report.textSummary.hasSuffix("(distances from samples of 50 rows)"), report.textSummary)
        XCTAssertTrue(AuditReportHTML.render(report).contains("Distances are measured from a seeded sample of 50 rows of each table that has more"))
    }
}
