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

    /// A planned release with `training`'s mechanism, as `fit` reserves it.
    private func planned(_ training: DPSGDPrivacyFacts, label: String = "planned", dataset: DatasetFingerprint? = nil,
                         schemaEpsilon: Double = 0, schemaDelta: Double = 0) throws -> LedgerRelease {
        try .dpsgd(dataset: dataset ?? self.dataset, label: label, training: training, clippingNorm: 1,
                   schemaEpsilon: schemaEpsilon, schemaDelta: schemaDelta, delta: 1e-5)
    }

    private func facts(steps: Int) -> DPSGDPrivacyFacts {
        DPSGDPrivacyFacts(samplingProbability: training.samplingProbability, noiseMultiplier: training.noiseMultiplier,
                          steps: steps, noiseIsCryptographicallySecure: true)
    }

    func testPlannedReleaseBeyondBudgetIsRefusedBeforeTraining() throws {
        let ledger = try BudgetLedger(url: directory.appendingPathComponent("ledger.sqlite"))
        try ledger.setBudget(try PrivacyBudget(epsilon: 3, delta: 1e-5), for: dataset)
        // q = 0.01, σ = 1.1, 1000 steps costs about ε = 1.7 at δ = 1e-5 by RDP.
        let first = try ledger.reserve(try planned(training, label: "first"))
        XCTAssertLessThan(first.projected.epsilon, 3)
        XCTAssertEqual(first.projected.releaseCount, 0)
        XCTAssertEqual(first.projected.reservationCount, 1)
        try ledger.settle(first, with: try planned(training, label: "first"))
        try ledger.settle(try ledger.reserve(try planned(training, label: "second")), with: try planned(training, label: "second"))
        let spent = try ledger.spending(for: dataset).epsilon
        XCTAssertThrowsError(try ledger.reserve(try planned(facts(steps: 5000), label: "too much"))) { error in
            guard case .budgetExceeded(let fingerprint, let budget, let delta, let spentEpsilon, let projectedEpsilon, let reservations) = error as? LedgerError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(fingerprint, dataset.hexDigest)
            XCTAssertEqual(budget, 3)
            XCTAssertEqual(delta, 1e-5)
            XCTAssertEqual(spentEpsilon, spent, accuracy: 1e-12)
            XCTAssertGreaterThan(projectedEpsilon, 3)
            XCTAssertEqual(reservations, 0)
            XCTAssertTrue("\(error)".hasPrefix("refused before training: dataset \(dataset.hexDigest.prefix(12))… has spent ε = "), "\(error)")
        }
        XCTAssertEqual(try ledger.releases(for: dataset, includingWithdrawn: true).map(\.label), ["first", "second"],
                       "a refused plan stores nothing")
        // A schema spend counts too.
        XCTAssertThrowsError(try ledger.reserve(try LedgerRelease(dataset: dataset, label: "schema", event: .pureDP(epsilon: 2.5),
                                                                  delta: 1e-5)))
    }

    /// An (ε, δ) schema spend (thresholded category selection) composes by basic composition:
    /// its δ is taken from the budget's before the accountant is asked, its ε added after.
    func testApproximateSchemaSpendComposesBasically() throws {
        let ledger = try BudgetLedger(url: directory.appendingPathComponent("ledger.sqlite"))
        try ledger.setBudget(try PrivacyBudget(epsilon: 3, delta: 1e-5), for: dataset)
        let release = try planned(training, label: "with categories", schemaEpsilon: 0.3, schemaDelta: 1e-6)
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
        func schemaOnly(_ epsilon: Double, _ delta: Double) throws -> LedgerRelease {
            try LedgerRelease(dataset: dataset, label: "schema only", event: .composed([]), schemaEpsilon: epsilon,
                              schemaDelta: delta, delta: 1e-5)
        }
        let projected = try ledger.spending(for: dataset, planned: try schemaOnly(0.2, 2e-6))
        XCTAssertEqual(projected.epsilon, try accountant.epsilon(forDelta: 1e-5 - 3e-6) + 0.5, accuracy: 1e-12)
        XCTAssertThrowsError(try ledger.reserve(try schemaOnly(0.1, 9e-6)), "δ exhausted: ε = ∞ is over any budget")
        XCTAssertThrowsError(try LedgerRelease.dpsgd(dataset: dataset, label: "", training: training, clippingNorm: 1,
                                                     schemaEpsilon: 0.1, schemaDelta: 1e-4, delta: 1e-5)) {
            XCTAssertEqual($0 as? LedgerError, .invalidSchemaSpend(epsilon: 0.1, delta: 1e-4, releaseDelta: 1e-5))
        }
    }

    /// Two connections reserve at the same instant against a budget that holds one plan but not
    /// two: exactly one reservation is taken, whichever wins. With a separate check and record both
    /// would pass the check.
    func testRacingReservationsAgainstOneBudgetLetExactlyOneThrough() throws {
        let url = directory.appendingPathComponent("ledger.sqlite")
        let setup = try BudgetLedger(url: url)
        let plan = try planned(training)  // ε ≈ 1.7; the budget holds one plan, not two
        let budget = try XCTUnwrap(plan.epsilonByAccountant[.rdp]) * 1.3
        for round in 0..<8 {
            let dataset = DatasetFingerprint(data: Data("round \(round)".utf8))
            try setup.setBudget(try PrivacyBudget(epsilon: budget, delta: 1e-5), for: dataset)
            let ledgers = try (0..<2).map { _ in try BudgetLedger(url: url) }
            let outcomes = FailureLog()
            DispatchQueue.concurrentPerform(iterations: 2) { writer in
                do {
                    try ledgers[writer].reserve(try planned(training, label: "writer \(writer)", dataset: dataset))
                    outcomes.append("reserved")
                } catch LedgerError.budgetExceeded {
                    outcomes.append("refused")
                } catch {
                    outcomes.append("\(error)")
                }
            }
            XCTAssertEqual(outcomes.messages.sorted(), ["refused", "reserved"], "round \(round)")
            let spending = try setup.spending(for: dataset)
            XCTAssertEqual(spending.reservationCount, 1)
            XCTAssertLessThanOrEqual(spending.epsilon, budget)
        }
    }

    /// Settling replaces the reservation in place: the planned spend stops counting, the actual
    /// (smaller: the run stopped early) starts, and the entry keeps its id and reservation time.
    func testSettleReplacesTheReservationWithTheActualSpend() throws {
        let ledger = try BudgetLedger(url: directory.appendingPathComponent("ledger.sqlite"))
        let reservation = try ledger.reserve(try planned(training, label: "run"))
        XCTAssertEqual(try ledger.spending(for: dataset).epsilon, try XCTUnwrap(reservation.planned.epsilonByAccountant[.rdp]),
                       accuracy: 1e-12, "the plan counts as spent for other readers")
        guard case .reserved(let holder) = try XCTUnwrap(ledger.release(id: reservation.id)).status else {
            return XCTFail("not stored as a reservation")
        }
        XCTAssertEqual(holder, .current)
        XCTAssertNotNil(holder.processStart, "Linux has /proc")
        XCTAssertEqual(holder.isRunning, true)
        // The same process id started at another time (reused after the holder died, or after a
        // reboot) is not the holder.
        XCTAssertEqual(ReservationHolder(processID: getpid(), host: holder.host, processStart: "another-boot/1").isRunning, false)
        XCTAssertNil(ReservationHolder(processID: getpid(), host: "elsewhere.example").isRunning, "another host cannot be checked")

        let actual = try planned(facts(steps: 400), label: "run")
        try ledger.settle(reservation, with: actual)
        let entries = try ledger.releases(for: dataset, includingWithdrawn: true)
        XCTAssertEqual(entries.count, 1)
        let settled = try XCTUnwrap(entries.first)
        XCTAssertEqual(settled.id, reservation.id)
        XCTAssertEqual(settled.training?.steps, 400)
        guard case .settled(let reservedAt?) = settled.status else { return XCTFail("\(settled.status)") }
        XCTAssertEqual(reservedAt.timeIntervalSince1970, reservation.planned.recordedAt.timeIntervalSince1970, accuracy: 1e-3)
        let spending = try ledger.spending(for: dataset)
        XCTAssertEqual(spending.releaseCount, 1)
        XCTAssertEqual(spending.reservationCount, 0)
        XCTAssertEqual(spending.epsilon, try XCTUnwrap(actual.epsilonByAccountant[.rdp]), accuracy: 1e-12)

        XCTAssertThrowsError(try ledger.settle(reservation, with: actual)) {
            XCTAssertEqual($0 as? LedgerError, .notAReservation(path: ledger.url.path, id: reservation.id, state: "already settled"))
        }
        // A run that spends more than it reserved is recorded all the same, and reported.
        let small = try ledger.reserve(try planned(facts(steps: 100), label: "small"))
        XCTAssertThrowsError(try ledger.settle(small, with: try planned(facts(steps: 200), label: "small"))) {
            XCTAssertEqual($0 as? LedgerError, .settlementExceedsReservation(path: ledger.url.path, id: small.id))
        }
        XCTAssertEqual(try ledger.release(id: small.id)?.training?.steps, 200)
    }

    /// A process that reserved and died (no settle) leaves its planned spend counted for every
    /// later reader; a person then settles it at the plan, or withdraws it declaring no training.
    func testReservationOfADeadProcessStaysCountedUntilAPersonDecides() throws {
        let url = directory.appendingPathComponent("ledger.sqlite")
        let dead = ReservationHolder(processID: try finishedProcessID(), host: ReservationHolder.currentHost)
        XCTAssertEqual(dead.isRunning, false)
        let (crashed, unused): (LedgerReservation, LedgerReservation) = try {
            let ledger = try BudgetLedger(url: url)  // the crashed process's connection, dropped without settling
            return (try ledger.reserve(try planned(training, label: "crashed"), accountant: .rdp, holder: dead),
                    try ledger.reserve(try planned(facts(steps: 10), label: "never trained"), accountant: .rdp, holder: dead))
        }()
        let ledger = try BudgetLedger(url: url)
        let spending = try ledger.spending(for: dataset)
        XCTAssertEqual(spending.reservationCount, 2)
        var expected = RDPAccountant()
        try expected.compose(.composed([training.event, facts(steps: 10).event]))
        XCTAssertEqual(spending.epsilon, try expected.epsilon(forDelta: 1e-5), accuracy: 1e-12)
        XCTAssertEqual(try ledger.release(id: crashed.id)?.status, .reserved(holder: dead))

        let settled = try ledger.settleReservationAsPlanned(id: crashed.id)
        XCTAssertEqual(settled.training?.steps, 1000, "the whole plan is recorded as spent")
        try ledger.withdrawReservation(id: unused.id)
        let after = try ledger.spending(for: dataset)
        XCTAssertEqual([after.releaseCount, after.reservationCount], [1, 0])
        XCTAssertEqual(after.epsilon, try XCTUnwrap(crashed.planned.epsilonByAccountant[.rdp]), accuracy: 1e-12)
        let withdrawn = try XCTUnwrap(ledger.releases(for: dataset, includingWithdrawn: true).last)
        guard case .withdrawn(_, let holder) = withdrawn.status else { return XCTFail("\(withdrawn.status)") }
        XCTAssertEqual(holder, dead)
        XCTAssertEqual(try ledger.releases(for: dataset).map(\.label), ["crashed"], "a withdrawn reservation is not counted")
        XCTAssertThrowsError(try ledger.withdrawReservation(id: unused.id)) {
            XCTAssertEqual($0 as? LedgerError, .notAReservation(path: url.path, id: unused.id, state: "already withdrawn"))
        }
        // A reservation whose process still runs here is left to that process.
        let live = try ledger.reserve(try planned(facts(steps: 10), label: "live"))
        XCTAssertThrowsError(try ledger.withdrawReservation(id: live.id)) {
            XCTAssertEqual($0 as? LedgerError, .reservationHolderRunning(path: url.path, id: live.id, processID: getpid()))
        }
        XCTAssertThrowsError(try ledger.settleReservationAsPlanned(id: live.id))
        XCTAssertThrowsError(try ledger.withdrawReservation(id: 999)) {
            XCTAssertEqual($0 as? LedgerError, .notAReservation(path: url.path, id: 999, state: "no such entry"))
        }
    }

    /// The id of a process that has exited.
    private func finishedProcessID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    /// A version-1 ledger (the schema and insert of DPSynth before reservations, run verbatim) opens
    /// with every row and budget kept, its releases settled, and takes reservations afterwards.
    func testVersion1LedgerIsMigratedKeepingItsRows() throws {
        let url = directory.appendingPathComponent("v1.sqlite")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let release = try planned(training, label: "from v1", schemaEpsilon: 0.1)
        do {
            let old = try SQLiteConnection(path: url.path)
            try old.execute(LedgerSchema.migrations[0])
            try old.execute("PRAGMA application_id = \(BudgetLedger.applicationID); PRAGMA user_version = 1;")
            try old.prepare("INSERT INTO budgets (fingerprint, epsilon, delta, updated_at) VALUES (?, 4, 1e-5, '2026-11-01T10:00:00.000Z')")
                .run([.text(dataset.hexDigest)])
            try old.prepare("""
                INSERT INTO releases (fingerprint, recorded_at, label, sampling_probability, noise_multiplier,
                    clipping_norm, steps, noise_secure, delta, schema_epsilon, schema_delta, event_json, rdp_orders, rdp_curve,
                    epsilon_rdp, epsilon_pld)
                VALUES (?, '2026-11-01T10:05:00.123Z', 'from v1', 0.01, 1.1, 1, 1000, 1, 1e-5, 0.1, 0, ?, ?, ?, ?, NULL)
                """).run([.text(dataset.hexDigest), .text(String(decoding: try JSONEncoder().encode(training.event), as: UTF8.self)),
                          .blob(BudgetLedger.encode(release.rdpOrders)), .blob(BudgetLedger.encode(release.rdpCurve)),
                          .real(try XCTUnwrap(release.epsilonByAccountant[.rdp]))])
        }
        let ledger = try BudgetLedger(url: url)
        try {
            let check = try SQLiteConnection(path: url.path).prepare("PRAGMA user_version")
            XCTAssertTrue(try check.step())
            XCTAssertEqual(check.integer(0), LedgerSchema.version)
        }()  // closed here: an open read would hold the file's shared lock
        XCTAssertEqual(try ledger.budget(for: dataset), try PrivacyBudget(epsilon: 4, delta: 1e-5))
        let stored = try XCTUnwrap(ledger.releases(for: dataset).first)
        XCTAssertEqual(stored.status, .settled(reservedAt: nil))
        XCTAssertEqual(stored.label, "from v1")
        XCTAssertEqual(stored.training, training)
        XCTAssertEqual(stored.rdpCurve, release.rdpCurve)
        XCTAssertEqual(stored.schemaEpsilon, 0.1)
        XCTAssertEqual(try ledger.spending(for: dataset).epsilon, try XCTUnwrap(release.epsilonByAccountant[.rdp]), accuracy: 1e-12)
        try ledger.reserve(try planned(facts(steps: 10), label: "after migration"))
        XCTAssertEqual(try BudgetLedger(url: url).spending(for: dataset).reservationCount, 1, "reopening migrates nothing twice")

        let newer = directory.appendingPathComponent("newer.sqlite")
        let future = try SQLiteConnection(path: newer.path)
        try future.execute("PRAGMA application_id = \(BudgetLedger.applicationID); PRAGMA user_version = \(LedgerSchema.version + 1);")
        XCTAssertThrowsError(try BudgetLedger(url: newer)) {
            XCTAssertEqual($0 as? LedgerError, .notALedger(path: newer.path, reason: "written by a newer DPSynth (schema \(LedgerSchema.version + 1))"))
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
