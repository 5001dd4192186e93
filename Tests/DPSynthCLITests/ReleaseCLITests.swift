import ArgumentParser
import DPSynthModels
import DPSynthPrivacy
import DPSynthTabular
import DPSynthTestSupport
import Foundation
import XCTest
@testable import dpsynth

/// `fit`, `sample`, `inspect` and `audit` through the command types, on the bundled example,
/// with small settings: what a user sees, and what must be refused before anything is written.
final class ReleaseCLITests: XCTestCase {
    private var directory: URL!
    private let data = SharedData.repositoryRoot.appendingPathComponent("Examples/gbsg2.csv").path
    private let schema = SharedData.repositoryRoot.appendingPathComponent("Schemas/gbsg2.json").path

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dpsynth-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func run(_ arguments: [String]) throws {
        var command = try DPSynthCommand.parseAsRoot(arguments)
        try command.run()
    }

    /// The message ArgumentParser would print for `arguments`.
    private func failure(_ arguments: [String]) -> String {
        do {
            try run(arguments)
            return "(no error)"
        } catch {
            return DPSynthCommand.message(for: error)
        }
    }

    private func fit(_ extra: [String], output: String, schema: String? = nil) throws {
        try run(["fit", data, "--schema", schema ?? self.schema, "--epochs", "2", "--seed", "7", "--ledger", path("ledger.sqlite"),
                 "-o", output] + extra)
    }

    func testFitSampleInspectAuditEndToEnd() throws {
        try fit(["--epsilon", "1", "--delta", "1e-5"], output: path("m.dpsynth"))
        let inspection = try ModelInspection(TrainedModel(contentsOf: URL(fileURLWithPath: path("m.dpsynth"))))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(inspection.jsonText().utf8)) as? [String: Any])
        let privacy = try XCTUnwrap(json["privacy"] as? [String: Any])
        let epsilon = try XCTUnwrap(privacy["epsilon"] as? Double)
        XCTAssertLessThanOrEqual(epsilon, 1)
        XCTAssertGreaterThan(epsilon, 0.5, "the calibrated run should spend most of its budget")
        XCTAssertEqual(privacy["delta"] as? Double, 1e-5)
        XCTAssertEqual(privacy["accountant"] as? String, "rdp")
        XCTAssertEqual(privacy["secure_randomness"] as? Bool, false, "a seeded run must say its noise is not secure")
        for key in ["noise_multiplier", "sampling_rate", "clipping_norm", "steps", "schema_epsilon"] {
            XCTAssertNotNil(privacy[key], key)
        }
        XCTAssertNil(privacy["classifier"], "no label classifier unless asked for")

        try run(["sample", path("m.dpsynth"), "-n", "120", "--label-counts", "1=20,0=100", "--seed", "3", "-o", path("s.csv")])
        let lines = try String(contentsOfFile: path("s.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "horTh,age,menostat,tsize,tgrade,pnodes,progrec,estrec,cens", "dropped columns are not released")
        XCTAssertEqual(lines.count, 121)
        XCTAssertEqual(lines.dropFirst().filter { $0.hasSuffix(",1") }.count, 20, "exact label counts")

        try run(["audit", "--real", data, "--synthetic", path("s.csv"), "--schema", schema, "--model", path("m.dpsynth"),
                 "--ledger", path("ledger.sqlite"), "-o", path("audit")])
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("audit/report.json")))) as? [String: Any])
        let utility = try XCTUnwrap(report["utility"] as? [String: Any])
        XCTAssertEqual((utility["columns"] as? [Any])?.count, 9)
        let reportPrivacy = try XCTUnwrap(report["privacy"] as? [String: Any])
        let guarantee = try XCTUnwrap(reportPrivacy["guarantee"] as? [String: Any])
        let mechanisms = try XCTUnwrap(guarantee["mechanisms"] as? [String])
        XCTAssertEqual(mechanisms.count, 3, "label counts, categorical shares, discriminator: \(mechanisms)")
        XCTAssertTrue(mechanisms.last?.hasPrefix("discriminator: DP-SGD") ?? false)
        XCTAssertTrue(mechanisms[1].hasPrefix("marginal shares the generator matches (categories, null indicators and continuous values in 8 bins, per class of the label): Gaussian mechanism, σ = "), mechanisms[1])
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("audit/report.html")))
    }

    func testSampleWritesANewSQLiteTableAndRefusesToOverwriteIt() throws {
        try fit(["--no-privacy"], output: path("m.dpsynth"))
        // Both outputs stream the same chunks (8192 rows each): the same seed gives the same rows.
        let rows = 20_000
        try run(["sample", path("m.dpsynth"), "-n", "\(rows)", "--seed", "1", "-o", "sqlite:" + path("out.db"), "--table", "synthetic"])
        try run(["sample", path("m.dpsynth"), "-n", "\(rows)", "--seed", "1", "-o", path("out.csv")])
        let released = try Schema.load(from: URL(fileURLWithPath: schema)).released
        let table = try Table.read(try DataSource(specification: "sqlite:" + path("out.db"), table: "synthetic"), schema: released)
        let csv = try Table.read(try DataSource(specification: path("out.csv")), schema: released)
        XCTAssertEqual(table.rowCount, rows)
        XCTAssertEqual(table.columns, csv.columns, "the SQLite rows equal the CSV rows")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }, [],
                       "no temporary file left")
        XCTAssertEqual(failure(["sample", path("m.dpsynth"), "-n", "5", "-o", "sqlite:" + path("out.db"), "--table", "synthetic"]),
                       "\(path("out.db")) table 'synthetic' already exists; pass --force to replace it")
        XCTAssertEqual(failure(["sample", path("m.dpsynth"), "-n", "5", "-o", "sqlite:" + path("out.db")]),
                       "writing to sqlite:\(path("out.db")) needs --table NAME for the new table")
    }

    func testSameSeedGivesTheSameModelBytes() throws {
        try fit(["--no-privacy"], output: path("a.dpsynth"))
        try fit(["--no-privacy"], output: path("b.dpsynth"))
        let a = try TrainedModel(contentsOf: URL(fileURLWithPath: path("a.dpsynth")))
        let b = try TrainedModel(contentsOf: URL(fileURLWithPath: path("b.dpsynth")))
        XCTAssertEqual(a.parameterBytes, b.parameterBytes)
        XCTAssertFalse(a.privacy.isPrivate)
    }

    func testBudgetArgumentsAreRequiredAndChecked() {
        XCTAssertEqual(failure(["fit", data, "--schema", schema, "-o", path("m")]),
                       "give a privacy budget with --epsilon (and --delta), or --no-privacy")
        XCTAssertEqual(failure(["fit", data, "--schema", schema, "--epsilon=-1", "-o", path("m")]),
                       "--epsilon must be a positive number, found -1.0")
        XCTAssertEqual(failure(["fit", data, "--schema", schema, "--epsilon", "1", "--schema-epsilon", "2", "-o", path("m")]),
                       "--schema-epsilon must lie in (0, --epsilon = 1.0), found 2.0")
        XCTAssertEqual(failure(["fit", data, "--schema", schema, "--no-privacy", "--epsilon", "1", "-o", path("m")]),
                       "--no-privacy cannot be combined with --epsilon or --schema-epsilon")
        XCTAssertEqual(failure(["fit", data, "--schema", schema, "--epsilon", "1", "--marginal-share", "0.95", "-o", path("m")]),
                       "--marginal-share must lie in (0, 0.9) (the label counts take 0.1 and DP-SGD the rest), found 0.95")
    }

    /// `bench --only` is refused for suites without named configurations, and a text that
    /// selects nothing is an error rather than an empty table.
    func testBenchOnlyIsCheckedAgainstTheSuite() {
        XCTAssertEqual(failure(["bench", "--suite", "io", "--only", "x"]),
                       "--only applies to the suites dpsgd, random, not to 'io'")
        XCTAssertEqual(failure(["bench", "--suite", "dpsgd", "--quick", "--only", "no such"]),
                       "--only 'no such' matches no configuration of the dpsgd suite (names look like 'dp d=32 batch=64 threads=2')")
    }

    /// --marginal-share reaches the model: its record's marginal noise is calibrated to that
    /// share (smaller share, larger σ) and the total stays the budget.
    func testMarginalShareSetsTheMarginalRelease() throws {
        try fit(["--epsilon", "1", "--marginal-share", "0.2"], output: path("small.dpsynth"))
        try fit(["--epsilon", "1"], output: path("default.dpsynth"))
        let small = try TrainedModel(contentsOf: URL(fileURLWithPath: path("small.dpsynth")))
        let standard = try TrainedModel(contentsOf: URL(fileURLWithPath: path("default.dpsynth")))
        XCTAssertEqual(small.configuration.marginalBudgetShare, 0.2)
        XCTAssertGreaterThan(try XCTUnwrap(small.privacy.marginalNoiseMultiplier), try XCTUnwrap(standard.privacy.marginalNoiseMultiplier))
        XCTAssertLessThan(small.privacy.noiseMultiplier, standard.privacy.noiseMultiplier, "more budget left for DP-SGD")
        XCTAssertLessThanOrEqual(small.privacy.epsilon, 1)
    }

    func testLedgerBudgetRefusesTheRunBeforeTrainingAndWritesNothing() throws {
        try run(["ledger", "set-budget", data, "--epsilon", "0.5", "--delta", "1e-5", "--ledger", path("ledger.sqlite")])
        let message = failure(["fit", data, "--schema", schema, "--epsilon", "1", "--epochs", "1", "--seed", "1",
                               "--ledger", path("ledger.sqlite"), "-o", path("m.dpsynth")])
        XCTAssertTrue(message.contains("budget"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("m.dpsynth")))
    }

    /// A fit started while another fit of the same dataset holds a reservation is checked against
    /// that reservation: refused when both would not fit, before anything is written. The holder
    /// stands in for a concurrent `fit`; once it settles for less, the second fit runs, and its
    /// own reservation is settled with the steps it took.
    func testAReservationHeldByAnotherFitRefusesASecondFitThatWouldNotFit() throws {
        let ledgerURL = URL(fileURLWithPath: path("ledger.sqlite"))
        try run(["ledger", "set-budget", data, "--epsilon", "1.3", "--delta", "1e-5", "--ledger", ledgerURL.path])
        let ledger = try BudgetLedger(url: ledgerURL)
        let dataset = try DatasetFingerprint(contentsOf: URL(fileURLWithPath: data))
        func release(steps: Int) throws -> LedgerRelease {
            try .dpsgd(dataset: dataset, label: "the other fit", training: DPSGDPrivacyFacts(
                samplingProbability: 0.01, noiseMultiplier: 1.6, steps: steps, noiseIsCryptographicallySecure: true),
                clippingNorm: 1, delta: 1e-5)
        }
        let other = try ledger.reserve(try release(steps: 1000))  // ε ≈ 0.9 of the 1.3; with a fit at ε = 1, ≈ 1.35
        let message = failure(["fit", data, "--schema", schema, "--epsilon", "1", "--epochs", "1", "--seed", "1",
                               "--ledger", ledgerURL.path, "-o", path("m.dpsynth")])
        XCTAssertTrue(message.hasPrefix("refused before training: dataset \(dataset.hexDigest.prefix(12))… has spent ε = "), message)
        XCTAssertTrue(message.contains(" (1 unsettled reservation of running or interrupted fits included; see `dpsynth ledger show`) of its budget ε = 1.3"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("m.dpsynth")))
        let shown = try XCTUnwrap(try DPSynthCommand.parseAsRoot(["ledger", "show", "--ledger", ledgerURL.path]) as? LedgerShowCommand).output()
        XCTAssertTrue(shown.contains("over 0 release(s) and 1 unsettled reservation(s)"), shown)
        XCTAssertTrue(shown.contains("#\(other.id)  reserved (unsettled) since "), shown)
        XCTAssertTrue(shown.contains("by process \(getpid()) on "), shown)
        XCTAssertEqual(try ledger.spending(for: dataset).reservationCount, 1, "the refused fit reserved nothing")

        try ledger.settle(other, with: try release(steps: 0))  // the other fit was stopped before its first step
        try fit(["--epsilon", "1", "--delta", "1e-5"], output: path("m.dpsynth"))
        let model = try TrainedModel(contentsOf: URL(fileURLWithPath: path("m.dpsynth")))
        let entries = try ledger.releases(for: dataset, includingWithdrawn: true)
        XCTAssertEqual(entries.count, 2)
        let mine = try XCTUnwrap(entries.last)
        XCTAssertEqual(mine.label, path("m.dpsynth"))
        XCTAssertEqual(mine.training?.steps, model.privacy.steps)
        XCTAssertEqual(mine.training?.noiseIsCryptographicallySecure, false)
        guard case .settled(let reservedAt?) = mine.status else { return XCTFail("\(mine.status)") }
        XCTAssertLessThanOrEqual(reservedAt, mine.recordedAt)
        let spending = try ledger.spending(for: dataset)
        XCTAssertEqual([spending.releaseCount, spending.reservationCount], [2, 0])
        XCTAssertLessThanOrEqual(spending.epsilon, 1.3)
    }

    func testDataDerivedBoundsAreRefusedUnderDP() throws {
        var text = try String(contentsOfFile: schema, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"provenance\" : \"public\"", with: "\"provenance\" : \"data\"")
        text = text.replacingOccurrences(of: "\"provenance\": \"public\"", with: "\"provenance\": \"data\"")
        try text.write(toFile: path("data-schema.json"), atomically: true, encoding: .utf8)
        let message = failure(["fit", data, "--schema", path("data-schema.json"), "--epsilon", "1", "-o", path("m.dpsynth")])
        XCTAssertTrue(message.hasPrefix("the schema holds values read off the private data"), message)
        XCTAssertTrue(message.contains("column 'age': bounds"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("m.dpsynth")))
        // Accepting them is allowed, and the record says which columns were vouched for.
        try fit(["--epsilon", "1", "--accept-data-bounds"], output: path("m.dpsynth"), schema: path("data-schema.json"))
        let record = try TrainedModel(contentsOf: URL(fileURLWithPath: path("m.dpsynth"))).privacy
        XCTAssertEqual(record.schemaBounds, .acceptedDataBounds)
        XCTAssertTrue(record.acceptedDataBoundColumns.contains("age"))
    }

    func testSchemaEpsilonPaysForDataDerivedValuesWithinTheTotalBudget() throws {
        // Bounds and categories read off the data; the declared bounds become the public range
        // the DP quantile searches in; categories have no public candidates ((ε, δ) selection).
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: schema))) as? [String: Any])
        object["columns"] = try XCTUnwrap(object["columns"] as? [[String: Any]]).map { column in
            var column = column
            if var bounds = column["bounds"] as? [String: Any] {
                bounds["publicRange"] = ["min": bounds["min"] as Any, "max": bounds["max"] as Any]
                bounds["provenance"] = "data"
                column["bounds"] = bounds
            }
            if var categories = column["categories"] as? [String: Any], column["role"] as? String == "feature" {
                categories["provenance"] = "data"
                column["categories"] = categories
            }
            return column
        }
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path("data-schema.json")))
        try fit(["--epsilon", "1", "--schema-epsilon", "0.3"], output: path("m.dpsynth"), schema: path("data-schema.json"))
        let model = try TrainedModel(contentsOf: URL(fileURLWithPath: path("m.dpsynth")))
        XCTAssertEqual(model.privacy.schemaBounds, .paidFor)
        XCTAssertEqual(model.privacy.schemaEpsilon, 0.3, accuracy: 1e-9)
        XCTAssertLessThanOrEqual(model.privacy.epsilon, 1, "the schema spend is inside the total budget")
        XCTAssertTrue(model.schema.dataDerivedItems.isEmpty, "no data provenance is left in the released schema")
    }

    func testCorruptModelAndForeignFilesAreRefused() throws {
        try fit(["--no-privacy"], output: path("m.dpsynth"))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path("m.dpsynth")))
        bytes[bytes.count / 2] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: path("bad.dpsynth")))
        XCTAssertEqual(failure(["inspect", path("bad.dpsynth")]),
                       "\(path("bad.dpsynth")): model file is corrupt (SHA-256 checksum mismatch); refusing to load weights whose privacy record cannot be trusted")
        XCTAssertEqual(failure(["inspect", path("none.dpsynth")]), "\(path("none.dpsynth")): cannot read model file: no such file")
        XCTAssertEqual(failure(["sample", data, "-n", "5", "-o", path("x.csv")]),
                       "\(data): not a DPSynth model file (missing the DPSYNTH signature)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.csv")))
        XCTAssertEqual(failure(["sample", path("m.dpsynth"), "-n", "10", "--label-counts", "1=5,0=4", "-o", path("x.csv")]),
                       "the label counts add up to 9 rows but 10 rows were requested; make -n equal their sum (or leave -n out)")
        // All-zero proportions were reported as "must be a non-negative number, found 0.0".
        XCTAssertEqual(failure(["sample", path("m.dpsynth"), "-n", "10", "--label-proportions", "1=0,0=0", "-o", path("x.csv")]),
                       "the label proportions add up to 0; give at least one class a positive share")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.csv")))
    }

    /// A model file that cannot be written was found out only after training, with the spend
    /// settled in the ledger and nothing to show for it; now before any reading or reservation.
    func testAnUnwritableModelPathIsRefusedBeforeTraining() throws {
        XCTAssertEqual(failure(["fit", data, "--schema", schema, "--epsilon", "1", "--ledger", path("ledger.sqlite"),
                                "-o", path("no such directory/m.dpsynth")]),
                       "cannot write \(path("no such directory/m.dpsynth")): cannot create a temporary file beside it: No such file or directory; nothing was written")
        let ledger = try BudgetLedger(url: URL(fileURLWithPath: path("ledger.sqlite")))
        let spending = try ledger.spending(for: try DatasetFingerprint(contentsOf: URL(fileURLWithPath: data)))
        XCTAssertEqual([spending.releaseCount, spending.reservationCount], [0, 0])
    }

    /// δ ≥ 1/records is no guarantee (publishing one whole record at random meets it); it was
    /// accepted, and δ = 0.5 even failed inside the calibration with a message about σ.
    func testADeltaOfAtLeastOneOverTheRecordsIsRefused() {
        XCTAssertEqual(failure(["fit", data, "--schema", schema, "--epsilon", "1", "--delta", "0.002", "--no-ledger", "-o", path("m")]),
                       "--delta 0.002 is at least 1/records (1/686 training records): a release that publishes one whole record at random meets such a guarantee. Give δ well below 1/686, such as 1e-05")
        XCTAssertEqual(failure(["fit", data, "--schema", schema, "--epsilon", "1", "--delta", "0.01", "--holdout-fraction", "0.5",
                                "--no-ledger", "-o", path("m")]).prefix(55),
                       "--delta 0.01 is at least 1/records (1/343 training reco")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("m")))
        XCTAssertEqual(suggestedDelta(records: 686), 1e-5)
        XCTAssertEqual(suggestedDelta(records: 1_000_000), 1e-7)
        XCTAssertEqual(suggestedDelta(records: 250_000), 1e-7)
        // Without --delta a large table gets the suggested δ instead of a refusal.
        XCTAssertEqual(try resolvedDelta(nil, records: 1_000_000, isPrivate: true), 1e-7)
        XCTAssertEqual(try resolvedDelta(nil, records: 686, isPrivate: true), 1e-5)
        XCTAssertThrowsError(try resolvedDelta(1e-5, records: 1_000_000, isPrivate: true))
        XCTAssertEqual(try resolvedDelta(1e-5, records: 1_000_000, isPrivate: false), 1e-5)
    }

    /// A class whose released count is within three noise deviations is named after a fit;
    /// exact counts and well-separated ones give no warning.
    func testLabelCountsSwampedByNoiseAreNamed() {
        let noisy = LabelMarginal(classNames: ["no", "yes"], counts: [300, 40], noiseMultiplier: 34)
        XCTAssertEqual(noisyLabelCountsWarning(noisy),
                       "warning: the label counts were released with noise σ = 34.0; released counts under 3σ: 'yes' (40). Their classes' shares in samples are mostly noise: give sample --label-counts or --label-proportions from a public source, or use a larger ε")
        XCTAssertNil(noisyLabelCountsWarning(LabelMarginal(classNames: ["no", "yes"], counts: [300, 40], noiseMultiplier: nil)))
        XCTAssertNil(noisyLabelCountsWarning(LabelMarginal(classNames: ["no", "yes"], counts: [300, 240], noiseMultiplier: 34)))
    }
}
