@testable import DPSynthAudit
import DPSynthTestSupport
import Foundation
import XCTest

final class AuditReportTests: XCTestCase {
    static let gbsg2Label = LabelSpecification(columnName: "cens", task: .binary(positiveClass: "1"), excludedColumns: ["time"])

    /// gbsg2's fixed splits (548 training rows, 138 test rows).
    func gbsg2Tables() throws -> (train: AuditTable, test: AuditTable) {
        let sdtypes: [(String, String)] = [("horTh", "categorical"), ("age", "numerical"), ("menostat", "categorical"),
                                           ("tsize", "numerical"), ("tgrade", "categorical"), ("pnodes", "numerical"),
                                           ("progrec", "numerical"), ("estrec", "numerical"), ("time", "numerical"),
                                           ("cens", "boolean")]
        let table = try DatasetFixture.table("gbsg2", sdtypes: sdtypes, label: Self.gbsg2Label)
        return try DatasetFixture.split(table, dataset: "gbsg2")
    }

    /// The real-vs-holdout sanity audit: the first 410 training rows play the training data,
    /// the other 138 training rows play a "perfect" synthetic release (real people the
    /// "generator" never saw), the 138 test rows are the holdout. An ideal generator scores
    /// about like this; a report that flagged it would be wrong.
    func realVersusHoldoutReport(trees: Int = 100) throws -> AuditReport {
        let (train, test) = try gbsg2Tables()
        return try Audit.run(real: train.rows(Array(0..<410)), synthetic: train.rows(Array(410..<548)), holdout: test,
                             privacy: .noPrivacy(modelKind: "none (real rows not used in training)"),
                             options: AuditOptions(datasetName: "gbsg2 real vs holdout",
                                                   tstr: TSTROptions(randomForestTrees: trees, seed: 0)))
    }

    func assertSameScores(_ decoded: AuditReport, _ report: AuditReport, file: StaticString = #filePath, line: UInt = #line) {
        // Foundation's JSON may change a Double's last digit on Linux: compare to 1e-12.
        XCTAssertEqual(decoded.utility.columns.map(\.name), report.utility.columns.map(\.name), file: file, line: line)
        for (a, b) in zip(decoded.utility.columns, report.utility.columns) {
            XCTAssertEqual(a.score ?? .nan, b.score ?? .nan, accuracy: 1e-12, file: file, line: line)
        }
        XCTAssertEqual(decoded.utility.quality ?? .nan, report.utility.quality ?? .nan, accuracy: 1e-12, file: file, line: line)
        XCTAssertEqual(decoded.risk.membershipInferenceAUC ?? .nan, report.risk.membershipInferenceAUC ?? .nan, accuracy: 1e-12, file: file, line: line)
        XCTAssertEqual(decoded.tstr?.models.count, report.tstr?.models.count, file: file, line: line)
        XCTAssertEqual(decoded.privacy, report.privacy, file: file, line: line)
    }

    /// ε after 1, 10, 100, 1000 and 10000 steps at q = 0.05, σ = 4, δ = 1e-5, read from the
    /// accountant reference vectors (dp_accounting's RDP accountant), not typed in.
    func referenceEpsilonCurve() throws -> [EpsilonCurvePoint] {
        try SharedData.referenceTable("reference/accountant/rdp_eps.csv")
            .filter { $0["q"] == "0.05" && $0["sigma"] == "4.0" && $0["delta"] == "1e-05" }
            .compactMap { row in
                guard let steps = row["steps"].flatMap(Int.init), let epsilon = row["epsilon"].flatMap(Double.init) else { return nil }
                return EpsilonCurvePoint(steps: steps, epsilon: epsilon)
            }
            .sorted { $0.steps < $1.steps }
    }

    /// The guarantee of 1000 steps at q = 0.05, σ = 4 with ε from the same reference file.
    func referenceGuarantee() throws -> PrivacyGuarantee {
        let epsilon = try XCTUnwrap(referenceEpsilonCurve().first { $0.steps == 1000 }).epsilon
        return PrivacyGuarantee(epsilon: epsilon, delta: 1e-5, accountant: "RDP", samplingProbability: 0.05,
                                noiseMultiplier: 4, clippingNorm: 1, steps: 1000, schemaEpsilon: 0)
    }

    func testRealVersusHoldoutReportHasTheIssueKeys() throws {
        let report = try realVersusHoldoutReport(trees: 50)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        let utility = try XCTUnwrap(object["utility"] as? [String: Any])
        let columns = try XCTUnwrap(utility["columns"] as? [[String: Any]])
        XCTAssertEqual(columns.count, 10)
        XCTAssertEqual(columns.first?["name"] as? String, "horTh")
        XCTAssertEqual(columns.first?["metric"] as? String, "TVComplement")
        XCTAssertNotNil(columns.first?["score"] as? Double)
        for key in ["column_shapes", "column_pair_trends", "quality", "pairs"] { XCTAssertNotNil(utility[key], key) }
        let risk = try XCTUnwrap(object["risk"] as? [String: Any])
        for key in ["exact_match_share", "dcr_synthetic_to_train", "dcr_holdout_to_train", "membership_inference_auc", "dcr_ratio"] {
            XCTAssertNotNil(risk[key], key)
        }
        let tstr = try XCTUnwrap(object["tstr"] as? [String: Any])
        XCTAssertEqual(tstr["label"] as? String, "cens")
        XCTAssertNotNil(object["privacy"] as? [String: Any])
        // Unseen real rows as the release: no copies beyond chance, distances like the holdout's,
        // and an attack at chance (Mann–Whitney null SD √((m+n+1)/(12mn)) with m = 410, n = 138).
        XCTAssertEqual(report.risk.exactMatchShare, report.risk.exactMatchShareHoldout ?? -1, accuracy: 0.02)
        XCTAssertEqual(report.risk.dcrRatio ?? 0, 1, accuracy: 0.25)
        let nullDeviation = ((410.0 + 138 + 1) / (12 * 410 * 138)).squareRoot()
        XCTAssertEqual(report.risk.membershipInferenceAUC ?? 0, 0.5, accuracy: 4 * nullDeviation)
        assertSameScores(try AuditReport.decode(from: report.jsonData()), report)
        // The same audit again gives the same bytes (seeded forests, no clock in the report).
        XCTAssertEqual(try realVersusHoldoutReport(trees: 50).jsonData(), try report.jsonData())
        XCTAssertTrue(report.textSummary.contains("Privacy:  none (ε = ∞)"))
        XCTAssertTrue(report.textSummary.contains("Quality:"))
    }

    func testSchemaProblemsGiveClearErrors() throws {
        let (train, test) = try gbsg2Tables()
        let privacy = PrivacySummary.noPrivacy(modelKind: "test")
        let options = AuditOptions(datasetName: "gbsg2")
        func table(dropping name: String? = nil, retyping retyped: String? = nil, adding added: String? = nil,
                   rows: [Int]? = nil) throws -> AuditTable {
            var columns = test.columns.filter { $0.name != name }
            if let retyped = retyped, let index = columns.firstIndex(where: { $0.name == retyped }),
               case .numeric(let values, _) = columns[index].values {
                columns[index] = AuditColumn(name: retyped, values: .categorical(values.map { $0.map { "\($0)" } }, kind: .categorical))
            }
            if let added = added { columns.append(AuditColumn(name: added, values: .numeric(Array(repeating: 1, count: test.rowCount), kind: .integer))) }
            let built = try AuditTable(columns: columns)
            return rows.map { built.rows($0) } ?? built
        }
        let cases: [(AuditTable, AuditError, String)] = [
            (try table(dropping: "age"), .missingColumn(name: "age", table: .synthetic),
             "the synthetic table has no column 'age'; it must have the same columns as the real table (check the schema)"),
            (try table(retyping: "tsize"), .columnKindMismatch(name: "tsize", table: .synthetic, expected: "continuous", found: "categorical"),
             "column 'tsize' in the synthetic table is categorical but the real table's is continuous (schema mismatch)"),
            (try table(adding: "patient_id"), .unexpectedColumn(name: "patient_id", table: .synthetic),
             "the synthetic table has a column 'patient_id' that the real table does not have (schema mismatch)"),
            (try table(rows: []), .emptyTable(table: .synthetic),
             "the synthetic table has no rows; an audit needs at least one row in each table"),
        ]
        for (synthetic, expected, message) in cases {
            XCTAssertThrowsError(try Audit.run(real: train, synthetic: synthetic, holdout: nil, privacy: privacy, options: options)) { error in
                XCTAssertEqual(error as? AuditError, expected)
                XCTAssertEqual((error as? AuditError)?.description, message)
            }
        }
        XCTAssertThrowsError(try AuditTable(columns: [
            AuditColumn(name: "a", values: .numeric([1, 2], kind: .continuous)),
            AuditColumn(name: "b", values: .numeric([1], kind: .continuous)),
        ])) { XCTAssertEqual($0 as? AuditError, .columnLengthMismatch(name: "b", expected: 2, found: 1)) }
    }

    func testHTMLIsSelfContainedAndEscapesUserStrings() throws {
        let hostile = "<script>alert(\"x\")</script>"
        let real = try AuditTable(columns: [
            AuditColumn(name: hostile, values: .categorical(["a&b", "<b>", "a&b", nil], kind: .categorical)),
            AuditColumn(name: "x'y", values: .numeric([1, 2, 3, 4], kind: .continuous)),
        ])
        let privacy = PrivacySummary(modelKind: "TabularGAN", guarantee: try referenceGuarantee(), schemaBounds: .declaredPublic,
                                     secureRandomness: false, epsilonBySteps: try referenceEpsilonCurve())
        let report = try Audit.run(real: real, synthetic: real, holdout: nil, privacy: privacy,
                                   options: AuditOptions(datasetName: "<b>bold</b> & co"))
        let html = AuditReportHTML.render(report)
        XCTAssertFalse(html.contains("<script"), "a column name became markup")
        XCTAssertFalse(html.contains("<b>bold"), "the dataset name became markup")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("a&amp;b"))
        XCTAssertTrue(html.contains("x&#39;y"))
        for external in ["http:", "https:", "src=", "href=", "@import", "url("] {
            XCTAssertFalse(html.contains(external), "the page must not load anything: found \(external)")
        }
        XCTAssertTrue(html.contains("<polyline"), "the ε curve is drawn")
        XCTAssertTrue(html.contains("not cryptographically secure"), "a seeded run is flagged")
        XCTAssertTrue(html.contains("@media print"))
    }

    func testReportFilesAreWrittenAtomically() throws {
        let guarantee = try referenceGuarantee()
        let curve = try referenceEpsilonCurve()
        XCTAssertEqual(curve.count, 6)
        let report = try realVersusHoldoutReport()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("DPSynthAuditTests-gbsg2")
        try? FileManager.default.removeItem(at: directory)
        let written = try report.write(to: directory)
        // Writing again replaces the files; no temporary file is left behind.
        try report.write(to: directory)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertEqual(names, ["report.html", "report.json"])
        assertSameScores(try AuditReport.decode(from: Data(contentsOf: written.json)), report)
        // A privacy-section rendering (ε curve from the accountant reference) for visual checks.
        var withPrivacy = report
        withPrivacy.privacy = PrivacySummary(modelKind: "TabularGAN (rendering fixture)", guarantee: guarantee,
                                             schemaBounds: .declaredPublic, secureRandomness: true,
                                             epsilonBySteps: curve.filter { $0.steps <= guarantee.steps },
                                             ledger: LedgerTotals(epsilon: 2.5, delta: 2e-5, releases: 2))
        try withPrivacy.write(to: directory.appendingPathComponent("with-privacy"))
        print("audit report written to \(directory.path)")
        XCTAssertThrowsError(try report.write(to: URL(fileURLWithPath: "/proc/no-such-dir/x"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot write /proc/no-such-dir/x"), "\(error)")
        }
    }
}
