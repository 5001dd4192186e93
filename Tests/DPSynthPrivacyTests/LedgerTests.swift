import DPSynthAccounting
import Foundation
import XCTest
@testable import DPSynthPrivacy

final class LedgerTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dpsynth-ledger-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private let dataset = DatasetFingerprint(data: Data("age,stage\n51,2\n".utf8))
    private let training = DPSGDPrivacyFacts(samplingProbability: 0.01, noiseMultiplier: 1.1, steps: 1000, noiseIsCryptographicallySecure: true)

    func testMissingParentFoldersAreCreated() throws {
        let url = directory.appendingPathComponent("a/b/ledger.sqlite")
        let ledger = try BudgetLedger(url: url)
        XCTAssertTrue(FileManager.default.fileExists(atPath: url.path))
        XCTAssertEqual(try ledger.datasets(), [])
    }

    func testCorruptOrForeignFileIsRefused() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let garbage = directory.appendingPathComponent("garbage.sqlite")
        try Data(repeating: 0x5A, count: 4096).write(to: garbage)
        XCTAssertThrowsError(try BudgetLedger(url: garbage)) { error in
            guard case .notALedger(let path, _) = error as? LedgerError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, garbage.path)
            XCTAssertTrue("\(error)".hasPrefix("'\(garbage.path)' is not a DPSynth budget ledger"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: garbage), Data(repeating: 0x5A, count: 4096), "the file must be left alone")

        let foreign = directory.appendingPathComponent("other.sqlite")
        let other = try SQLiteConnection(path: foreign.path)
        try other.execute("CREATE TABLE patients (id INTEGER)")
        XCTAssertThrowsError(try BudgetLedger(url: foreign)) { error in
            guard case .notALedger = error as? LedgerError else { return XCTFail("\(error)") }
        }
    }

    func testReleaseRoundTripsExactly() throws {
        let url = directory.appendingPathComponent("ledger.sqlite")
        let release = try LedgerRelease.dpsgd(dataset: dataset, label: "out/synthetic.csv", training: training, clippingNorm: 1,
                                              schemaEpsilon: 0.1, delta: 1e-5, accountants: [.rdp])
        try BudgetLedger(url: url).record(release)
        let stored = try BudgetLedger(url: url).releases(for: dataset)
        XCTAssertEqual(stored.count, 1)
        let first = try XCTUnwrap(stored.first)
        XCTAssertEqual(first.label, "out/synthetic.csv")
        XCTAssertEqual(first.training, training)
        XCTAssertEqual(first.clippingNorm, 1)
        XCTAssertEqual(first.event, training.event)
        XCTAssertEqual(first.rdpOrders, RDPAccountant.defaultOrders)
        XCTAssertEqual(first.rdpCurve, release.rdpCurve, "curves are stored bit for bit")
        XCTAssertEqual(first.epsilonByAccountant[.rdp], release.epsilonByAccountant[.rdp])
        XCTAssertNil(first.epsilonByAccountant[.pld])
        XCTAssertEqual(first.schemaEpsilon, 0.1)
        XCTAssertEqual(first.recordedAt.timeIntervalSince1970, release.recordedAt.timeIntervalSince1970, accuracy: 1e-3)
        // A seeded run is recorded as such.
        let seeded = DPSGDPrivacyFacts(samplingProbability: training.samplingProbability, noiseMultiplier: training.noiseMultiplier,
                                   steps: training.steps, noiseIsCryptographicallySecure: false)
        try BudgetLedger(url: url).record(try .dpsgd(dataset: dataset, label: "seeded", training: seeded, clippingNorm: 2, delta: 1e-5))
        XCTAssertEqual(try BudgetLedger(url: url).releases(for: dataset).last?.training?.noiseIsCryptographicallySecure, false)
        XCTAssertEqual(BudgetLedger.decode(BudgetLedger.encode([1.5, .infinity, -0.0])), [1.5, .infinity, -0.0])
    }

    /// Releases of one dataset compose: the total is the RDP accountant of all their events
    /// (schema spends as pure DP); another dataset's releases do not count.
    func testReleasesOfADatasetCompose() throws {
        let ledger = try BudgetLedger(url: directory.appendingPathComponent("ledger.sqlite"))
        let second = DPSGDPrivacyFacts(samplingProbability: 0.05, noiseMultiplier: 2, steps: 300, noiseIsCryptographicallySecure: true)
        try ledger.record(try .dpsgd(dataset: dataset, label: "first", training: training, clippingNorm: 1, schemaEpsilon: 0.2, delta: 1e-5))
        try ledger.record(try .dpsgd(dataset: dataset, label: "second", training: second, clippingNorm: 0.5, delta: 1e-6))
        let otherDataset = DatasetFingerprint(data: Data("other".utf8))
        try ledger.record(try .dpsgd(dataset: otherDataset, label: "elsewhere", training: second, clippingNorm: 0.5, delta: 1e-5))

        var expected = RDPAccountant()
        try expected.compose(.composed([training.event, .pureDP(epsilon: 0.2), second.event]))
        let spending = try ledger.spending(for: dataset)
        XCTAssertEqual(spending.releaseCount, 2)
        XCTAssertEqual(spending.delta, 1e-5, "without a budget, the largest recorded δ")
        XCTAssertEqual(spending.epsilon, try expected.epsilon(forDelta: 1e-5), accuracy: 1e-12)
        XCTAssertEqual(spending.schemaEpsilon, 0.2)
        XCTAssertEqual(Set(try ledger.datasets()), [dataset, otherDataset])

        var pld = PLDAccountant()
        try pld.compose(.composed([training.event, .pureDP(epsilon: 0.2), second.event]))
        let pldSpending = try ledger.spending(for: dataset, accountant: .pld)
        XCTAssertEqual(pldSpending.accountant, .pld)
        XCTAssertNil(pldSpending.order)
        XCTAssertEqual(pldSpending.epsilon, try pld.epsilon(forDelta: 1e-5), accuracy: 1e-9)
        XCTAssertLessThan(pldSpending.epsilon, spending.epsilon, "PLD composes the releases more tightly")

        try ledger.setBudget(try PrivacyBudget(epsilon: 10, delta: 1e-7), for: dataset)
        let atBudgetDelta = try ledger.spending(for: dataset)
        XCTAssertEqual(atBudgetDelta.delta, 1e-7)
        XCTAssertEqual(atBudgetDelta.epsilon, try expected.epsilon(forDelta: 1e-7), accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(atBudgetDelta.remainingEpsilon), 10 - atBudgetDelta.epsilon, accuracy: 1e-12)
    }

    func testPlannedReleaseBeyondBudgetIsRefusedBeforeTraining() throws {
        let ledger = try BudgetLedger(url: directory.appendingPathComponent("ledger.sqlite"))
        try ledger.setBudget(try PrivacyBudget(epsilon: 3, delta: 1e-5), for: dataset)
        // q = 0.01, σ = 1.1, 1000 steps costs about ε = 1.2 at δ = 1e-5 by RDP.
        let projected = try ledger.checkBudget(fingerprint: dataset, plannedEvent: training.event, delta: 1e-5)
        XCTAssertLessThan(projected.epsilon, 3)
        XCTAssertEqual(projected.releaseCount, 0)
        try ledger.record(try .dpsgd(dataset: dataset, label: "first", training: training, clippingNorm: 1, delta: 1e-5))
        try ledger.record(try .dpsgd(dataset: dataset, label: "second", training: training, clippingNorm: 1, delta: 1e-5))
        let spent = try ledger.spending(for: dataset).epsilon
        let tooMuch = DPSGDPrivacyFacts(samplingProbability: 0.01, noiseMultiplier: 1.1, steps: 5000, noiseIsCryptographicallySecure: true)
        XCTAssertThrowsError(try ledger.checkBudget(fingerprint: dataset, plannedEvent: tooMuch.event, delta: 1e-5)) { error in
            guard case .budgetExceeded(let fingerprint, let budget, let delta, let spentEpsilon, let projectedEpsilon) = error as? LedgerError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(fingerprint, dataset.hexDigest)
            XCTAssertEqual(budget, 3)
            XCTAssertEqual(delta, 1e-5)
            XCTAssertEqual(spentEpsilon, spent, accuracy: 1e-12)
            XCTAssertGreaterThan(projectedEpsilon, 3)
            XCTAssertTrue("\(error)".hasPrefix("refused before training: dataset \(dataset.hexDigest.prefix(12))… has spent ε = "), "\(error)")
        }
        XCTAssertEqual(try ledger.releases(for: dataset).count, 2, "a refused plan records nothing")
        // A schema spend counts too.
        XCTAssertThrowsError(try ledger.checkBudget(fingerprint: dataset, plannedEvent: .pureDP(epsilon: 2.5), delta: 1e-5))
    }

    /// An (ε, δ) schema spend (thresholded category selection) composes by basic composition:
    /// its δ is taken from the budget's before the accountant is asked, its ε added after.
    func testApproximateSchemaSpendComposesBasically() throws {
        let ledger = try BudgetLedger(url: directory.appendingPathComponent("ledger.sqlite"))
        try ledger.setBudget(try PrivacyBudget(epsilon: 3, delta: 1e-5), for: dataset)
        let release = try LedgerRelease.dpsgd(dataset: dataset, label: "with categories", training: training, clippingNorm: 1,
                                              schemaEpsilon: 0.3, schemaDelta: 1e-6, delta: 1e-5)
        var accountant = RDPAccountant()
        try accountant.compose(training.event)
        let expected = try accountant.epsilon(forDelta: 1e-5 - 1e-6) + 0.3
        XCTAssertEqual(try XCTUnwrap(release.epsilonByAccountant[.rdp]), expected, accuracy: 1e-12)
        try ledger.record(release)
        let spending = try ledger.spending(for: dataset)
        XCTAssertEqual(spending.epsilon, expected, accuracy: 1e-12)
        XCTAssertEqual(spending.schemaDelta, 1e-6)
        XCTAssertEqual(try ledger.releases(for: dataset).first?.schemaDelta, 1e-6)
        // A second (ε, δ) spend planned: both δs come off the budget's δ, both εs add.
        let projected = try ledger.checkBudget(fingerprint: dataset, plannedEvent: .composed([]),
                                               plannedSchemaSpend: (0.2, 2e-6), delta: 1e-5)
        XCTAssertEqual(projected.epsilon, try accountant.epsilon(forDelta: 1e-5 - 3e-6) + 0.5, accuracy: 1e-12)
        XCTAssertThrowsError(try ledger.checkBudget(fingerprint: dataset, plannedEvent: .composed([]),
                                                    plannedSchemaSpend: (0.1, 1e-5), delta: 1e-5),
                             "δ exhausted: ε = ∞ is over any budget")
        XCTAssertThrowsError(try LedgerRelease.dpsgd(dataset: dataset, label: "", training: training, clippingNorm: 1,
                                                     schemaEpsilon: 0.1, schemaDelta: 1e-4, delta: 1e-5)) {
            XCTAssertEqual($0 as? LedgerError, .invalidSchemaSpend(epsilon: 0.1, delta: 1e-4, releaseDelta: 1e-5))
        }
    }

    /// Two writers with their own connections create the ledger and record at the same time;
    /// nothing is lost.
    func testConcurrentWritersLoseNothing() throws {
        let url = directory.appendingPathComponent("ledger.sqlite")
        let perWriter = 25
        let release = try LedgerRelease.dpsgd(dataset: dataset, label: "concurrent", training: training, clippingNorm: 1, delta: 1e-5)
        let failures = FailureLog()
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            do {
                let ledger = try BudgetLedger(url: url)
                for index in 0..<perWriter {
                    var mine = release
                    mine.label = "writer \(writer) release \(index)"
                    try ledger.record(mine)
                    _ = try ledger.spending(for: dataset)  // interleave reads with the other writer's writes
                }
            } catch {
                failures.append("\(error)")
            }
        }
        XCTAssertEqual(failures.messages, [])
        let labels = Set(try BudgetLedger(url: url).releases(for: dataset).map(\.label))
        XCTAssertEqual(labels.count, 2 * perWriter)
    }

    func testFingerprintIsSHA256OfContent() throws {
        XCTAssertEqual(DatasetFingerprint(data: Data("abc".utf8)).hexDigest,
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("data.csv")
        let content = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })  // spans several read chunks
        try content.write(to: file)
        XCTAssertEqual(try DatasetFingerprint(contentsOf: file), DatasetFingerprint(data: content))
        XCTAssertEqual(try DatasetFingerprint(hexDigest: "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"),
                       DatasetFingerprint(data: Data("abc".utf8)))
        XCTAssertThrowsError(try DatasetFingerprint(hexDigest: "abc123")) {
            XCTAssertEqual("\($0)", "expected a dataset file or a 64-hex-digit SHA-256 fingerprint, found \"abc123\"")
        }
        XCTAssertThrowsError(try DatasetFingerprint(contentsOf: directory.appendingPathComponent("missing.csv"))) {
            guard case .cannotReadDataset = $0 as? LedgerError else { return XCTFail("\($0)") }
        }
    }

    func testDefaultLocationFollowsXDG() {
        XCTAssertEqual(BudgetLedger.defaultURL(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/ana"]).path,
                       "/data/dpsynth/ledger.sqlite")
        XCTAssertEqual(BudgetLedger.defaultURL(environment: ["HOME": "/home/ana"]).path,
                       "/home/ana/.local/share/dpsynth/ledger.sqlite")
        XCTAssertEqual(BudgetLedger.defaultURL(environment: ["XDG_DATA_HOME": "relative", "HOME": "/home/ana"]).path,
                       "/home/ana/.local/share/dpsynth/ledger.sqlite", "XDG says relative paths are ignored")
    }

    func testInvalidBudgetIsRefused() {
        XCTAssertThrowsError(try PrivacyBudget(epsilon: -1, delta: 1e-5)) {
            XCTAssertEqual($0 as? LedgerError, .invalidBudget(epsilon: -1, delta: 1e-5))
        }
        XCTAssertThrowsError(try PrivacyBudget(epsilon: 1, delta: 0))
    }
}

/// Error messages collected from concurrent writers.
private final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var messages: [String] { lock.lock(); defer { lock.unlock() }; return stored }
    func append(_ message: String) { lock.lock(); stored.append(message); lock.unlock() }
}
