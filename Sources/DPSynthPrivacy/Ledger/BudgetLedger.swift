import DPSynthAccounting
import Foundation

/// The privacy budget ledger: every release from every dataset, in one SQLite file.
///
/// Releases of a dataset compose: their RDP curves add (the schema spends enter as pure-DP
/// curves), and the total ε at the dataset's δ is checked against its budget *before* a new
/// training run starts. Each writer holds its own connection; writes run in `BEGIN IMMEDIATE`
/// transactions with a busy timeout, so two processes recording at once both land.
///
/// Usage from `fit`:
/// ```swift
/// let ledger = try BudgetLedger()                      // or BudgetLedger(url: --ledger PATH)
/// let fingerprint = try DatasetFingerprint(contentsOf: dataURL)
/// let planned = DPEvent.dpsgd(samplingProbability: q, noiseMultiplier: sigma, steps: steps)
/// try ledger.checkBudget(fingerprint: fingerprint, plannedEvent: planned, delta: delta)  // before training
/// … train; the DP-SGD step reports its DPSGDPrivacyFacts …
/// try ledger.record(try .dpsgd(dataset: fingerprint, label: outputPath, training: facts,
///                              clippingNorm: clippingNorm, schemaEpsilon: spend.totalEpsilon,
///                              schemaDelta: spend.totalDelta, delta: delta))
/// ```
public final class BudgetLedger {
    /// The ledger file.
    public let url: URL
    private let connection: SQLiteConnection

    /// SQLite `application_id` marking a DPSynth ledger ("DPSL").
    static let applicationID: Int32 = 0x4450_534C
    static let schemaVersion = 1

    /// `$XDG_DATA_HOME/dpsynth/ledger.sqlite`, or `~/.local/share/dpsynth/ledger.sqlite`.
    public static func defaultURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base: URL
        if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") {
            base = URL(fileURLWithPath: dataHome, isDirectory: true)
        } else {
            let home = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? FileManager.default.homeDirectoryForCurrentUser
            base = home.appendingPathComponent(".local/share", isDirectory: true)
        }
        return base.appendingPathComponent("dpsynth/ledger.sqlite")
    }

    /// Opens (creating if needed, parent folders included) the ledger at `url`. Refuses a file that
    /// is not a DPSynth ledger rather than writing into it.
    public init(url: URL = BudgetLedger.defaultURL()) throws {
        self.url = url
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw LedgerError.cannotOpen(path: url.path, reason: "cannot create folder '\(directory.path)': \((error as NSError).localizedDescription)")
        }
        connection = try SQLiteConnection(path: url.path)
        try prepareSchema()
    }

    /// Checks that the file is a DPSynth ledger (or empty) and creates the tables, all in one
    /// write transaction, so two processes opening a new ledger at once cannot see it half made.
    private func prepareSchema() throws {
        // BEGIN IMMEDIATE reads the header: that is where SQLite notices a file that is not a database.
        try connection.immediateTransaction {
            let applicationID = try integerPragma("application_id")
            let tableCount = try scalarInteger("SELECT count(*) FROM sqlite_master")
            if applicationID != Int(Self.applicationID) {
                guard applicationID == 0, tableCount == 0 else {
                    throw LedgerError.notALedger(path: url.path, reason: applicationID == 0
                        ? "an SQLite database with other tables" : "an SQLite database of another application")
                }
            }
            let check = try scalarText("PRAGMA quick_check")
            guard check == "ok" else { throw LedgerError.notALedger(path: url.path, reason: "integrity check: \(check)") }
            let version = try integerPragma("user_version")
            guard version <= Self.schemaVersion else {
                throw LedgerError.notALedger(path: url.path, reason: "written by a newer DPSynth (schema \(version))")
            }
            if version == Self.schemaVersion { return }
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS budgets (
                    fingerprint TEXT PRIMARY KEY,
                    epsilon REAL NOT NULL,
                    delta REAL NOT NULL,
                    updated_at TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS releases (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    fingerprint TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    label TEXT NOT NULL,
                    sampling_probability REAL,
                    noise_multiplier REAL,
                    clipping_norm REAL,
                    steps INTEGER,
                    noise_secure INTEGER,
                    delta REAL NOT NULL,
                    schema_epsilon REAL NOT NULL,
                    schema_delta REAL NOT NULL,
                    event_json TEXT NOT NULL,
                    rdp_orders BLOB NOT NULL,
                    rdp_curve BLOB NOT NULL,
                    epsilon_rdp REAL,
                    epsilon_pld REAL);
                CREATE INDEX IF NOT EXISTS releases_by_dataset ON releases (fingerprint);
                PRAGMA application_id = \(Self.applicationID);
                PRAGMA user_version = \(Self.schemaVersion);
                """)
        }
    }

    // MARK: Budgets

    /// Sets (or replaces) the budget of `dataset`.
    public func setBudget(_ budget: PrivacyBudget, for dataset: DatasetFingerprint) throws {
        try connection.immediateTransaction {
            try connection.prepare("""
                INSERT INTO budgets (fingerprint, epsilon, delta, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (fingerprint) DO UPDATE SET epsilon = excluded.epsilon, delta = excluded.delta,
                    updated_at = excluded.updated_at
                """).run([.text(dataset.hexDigest), .real(budget.epsilon), .real(budget.delta),
                          .text(Self.timestamp(Date()))])
        }
    }

    /// The budget of `dataset`, or nil if none was set.
    public func budget(for dataset: DatasetFingerprint) throws -> PrivacyBudget? {
        let statement = try connection.prepare("SELECT epsilon, delta FROM budgets WHERE fingerprint = ?")
        try statement.bind([.text(dataset.hexDigest)])
        guard try statement.step() else { return nil }
        return try PrivacyBudget(epsilon: statement.real(0), delta: statement.real(1))
    }

    // MARK: Releases

    /// Appends `release`. Always records: the spend has happened once a model is trained.
    public func record(_ release: LedgerRelease) throws {
        let eventJSON = String(decoding: try JSONEncoder().encode(release.event), as: UTF8.self)
        let training = release.training
        try connection.immediateTransaction {
            try connection.prepare("""
                INSERT INTO releases (fingerprint, recorded_at, label, sampling_probability, noise_multiplier,
                    clipping_norm, steps, noise_secure, delta, schema_epsilon, schema_delta, event_json, rdp_orders, rdp_curve,
                    epsilon_rdp, epsilon_pld)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).run([
                    .text(release.dataset.hexDigest), .text(Self.timestamp(release.recordedAt)), .text(release.label),
                    training.map { .real($0.samplingProbability) } ?? .null,
                    training.map { .real($0.noiseMultiplier) } ?? .null,
                    release.clippingNorm.map { .real($0) } ?? .null,
                    training.map { .integer($0.steps) } ?? .null,
                    training.map { .integer($0.noiseIsCryptographicallySecure ? 1 : 0) } ?? .null,
                    .real(release.delta), .real(release.schemaEpsilon), .real(release.schemaDelta), .text(eventJSON),
                    .blob(Self.encode(release.rdpOrders)), .blob(Self.encode(release.rdpCurve)),
                    release.epsilonByAccountant[.rdp].map { .real($0) } ?? .null,
                    release.epsilonByAccountant[.pld].map { .real($0) } ?? .null,
                ])
        }
    }

    /// The releases of `dataset`, oldest first.
    public func releases(for dataset: DatasetFingerprint) throws -> [LedgerRelease] {
        let statement = try connection.prepare("""
            SELECT id, recorded_at, label, sampling_probability, noise_multiplier, clipping_norm, steps, delta,
                   schema_epsilon, event_json, rdp_orders, rdp_curve, epsilon_rdp, epsilon_pld, schema_delta,
                   noise_secure
            FROM releases WHERE fingerprint = ? ORDER BY id
            """)
        try statement.bind([.text(dataset.hexDigest)])
        var releases: [LedgerRelease] = []
        while try statement.step() {
            let id = statement.integer(0)
            let event: DPEvent
            do {
                event = try JSONDecoder().decode(DPEvent.self, from: Data(statement.text(9).utf8))
            } catch {
                throw LedgerError.malformedRelease(path: url.path, id: id, reason: "unreadable event: \(error)")
            }
            guard let recordedAt = Self.date(statement.text(1)) else {
                throw LedgerError.malformedRelease(path: url.path, id: id, reason: "bad time \"\(statement.text(1))\"")
            }
            var training: DPSGDPrivacyFacts?
            if !statement.isNull(3) {
                training = DPSGDPrivacyFacts(samplingProbability: statement.real(3), noiseMultiplier: statement.real(4),
                                             steps: statement.integer(6),
                                             noiseIsCryptographicallySecure: statement.integer(15) != 0)
            }
            var epsilons: [AccountantKind: Double] = [:]
            epsilons[.rdp] = statement.optionalReal(12)
            epsilons[.pld] = statement.optionalReal(13)
            let orders = Self.decode(statement.blob(10)), curve = Self.decode(statement.blob(11))
            guard orders.count == curve.count else {
                throw LedgerError.malformedRelease(path: url.path, id: id,
                                                   reason: "\(orders.count) RDP orders but \(curve.count) values")
            }
            releases.append(LedgerRelease(
                dataset: dataset, recordedAt: recordedAt, label: statement.text(2), training: training,
                clippingNorm: statement.optionalReal(5),
                event: event, schemaEpsilon: statement.real(8), schemaDelta: statement.real(14),
                delta: statement.real(7), rdpOrders: orders,
                rdpCurve: curve, epsilonByAccountant: epsilons))
        }
        return releases
    }

    /// Every dataset with a budget or a release.
    public func datasets() throws -> [DatasetFingerprint] {
        let statement = try connection.prepare(
            "SELECT fingerprint FROM budgets UNION SELECT fingerprint FROM releases ORDER BY 1")
        var result: [DatasetFingerprint] = []
        while try statement.step() { result.append(try DatasetFingerprint(hexDigest: statement.text(0))) }
        return result
    }

    // MARK: Composition and the budget check

    /// All releases of `dataset` composed, plus a planned release if given, at the budget's δ
    /// (else `delta`, else the largest δ recorded).
    ///
    /// RDP adds the stored curves (recomputing from the stored event if they were recorded at other
    /// orders); PLD composes the stored events, which is tighter and takes seconds for long runs.
    /// (ε, δ) schema spends compose by basic composition: their δs are taken from the total δ
    /// before the accountant is asked, and their εs are added to its answer.
    /// - Parameters:
    ///   - planned: the planned training (plus any pure-DP schema spend), or nil.
    ///   - plannedSchemaSpend: a planned (ε, δ) schema spend with δ > 0, if any.
    public func spending(for dataset: DatasetFingerprint, planned: DPEvent? = nil,
                         plannedSchemaSpend: (epsilon: Double, delta: Double)? = nil, delta: Double? = nil,
                         accountant kind: AccountantKind = .rdp) throws -> LedgerSpending {
        let budget = try self.budget(for: dataset)
        let releases = try self.releases(for: dataset)
        let reportDelta = budget?.delta ?? delta ?? releases.map(\.delta).max() ?? 1e-5
        let approximate = releases.map(\.approximateSpend) + (plannedSchemaSpend.map { [$0] } ?? [])
        let approximateEpsilon = approximate.map(\.epsilon).reduce(0, +)
        let approximateDelta = approximate.map(\.delta).reduce(0, +)
        let accountantDelta = reportDelta - approximateDelta
        var epsilon = Double.infinity
        var order: Double?
        var orderIsAtEdge = false
        switch kind {
        case .rdp:
            var accountant = RDPAccountant()
            for release in releases {
                if release.rdpOrders == accountant.orders {
                    accountant.add(curve: release.rdpCurve)
                } else {
                    try accountant.compose(release.accountedEvent)
                }
            }
            if let planned { try accountant.compose(planned) }
            if accountantDelta > 0 {
                let result = try accountant.epsilonAndOrder(forDelta: accountantDelta)
                (epsilon, order, orderIsAtEdge) = (result.epsilon, result.order, result.orderIsAtEdge)
            }
        case .pld:
            var accountant = PLDAccountant()
            try accountant.compose(.composed(releases.map(\.accountedEvent) + (planned.map { [$0] } ?? [])))
            if accountantDelta > 0 { epsilon = try accountant.epsilon(forDelta: accountantDelta) }
        }
        return LedgerSpending(dataset: dataset, releaseCount: releases.count, budget: budget, delta: reportDelta,
                              accountant: kind, epsilon: epsilon + approximateEpsilon, order: order,
                              orderIsAtEdge: orderIsAtEdge,
                              schemaEpsilon: releases.map(\.schemaEpsilon).reduce(0, +),
                              schemaDelta: releases.map(\.schemaDelta).reduce(0, +))
    }

    /// Throws `LedgerError.budgetExceeded` if the planned release would take `fingerprint` past its
    /// budget. Call before training. Without a budget nothing is refused. Returns the projected
    /// spending either way.
    /// - Parameters:
    ///   - plannedEvent: the planned training, plus a pure-DP schema spend if any
    ///     (`.composed([dpsgd, .pureDP(epsilon: schemaEpsilon)])`).
    ///   - plannedSchemaSpend: a planned (ε, δ) schema spend with δ > 0, if any.
    ///   - delta: the release's δ (the budget's δ governs when a budget is set).
    @discardableResult
    public func checkBudget(fingerprint: DatasetFingerprint, plannedEvent: DPEvent,
                            plannedSchemaSpend: (epsilon: Double, delta: Double)? = nil, delta: Double,
                            accountant kind: AccountantKind = .rdp) throws -> LedgerSpending {
        let after = try spending(for: fingerprint, planned: plannedEvent, plannedSchemaSpend: plannedSchemaSpend,
                                 delta: delta, accountant: kind)
        if let budget = after.budget, !(after.epsilon <= budget.epsilon) {
            let before = try spending(for: fingerprint, delta: delta, accountant: kind)
            throw LedgerError.budgetExceeded(fingerprint: fingerprint.hexDigest, budgetEpsilon: budget.epsilon,
                                             delta: budget.delta, spentEpsilon: before.epsilon,
                                             projectedEpsilon: after.epsilon)
        }
        return after
    }

    // MARK: Encoding

    private func integerPragma(_ name: String) throws -> Int { try scalarInteger("PRAGMA \(name)") }

    private func scalarInteger(_ sql: String) throws -> Int {
        let statement = try connection.prepare(sql)
        return try statement.step() ? statement.integer(0) : 0
    }

    private func scalarText(_ sql: String) throws -> String {
        let statement = try connection.prepare(sql)
        return try statement.step() ? statement.text(0) : ""
    }

    /// Doubles as little-endian IEEE-754 bytes: exact, and ∞ survives (JSON cannot hold it).
    static func encode(_ values: [Double]) -> Data {
        var data = Data(capacity: values.count * 8)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func decode(_ data: Data) -> [Double] {
        stride(from: 0, to: data.count - data.count % 8, by: 8).map { offset in
            var bits: UInt64 = 0
            for byte in 0..<8 { bits |= UInt64(data[data.startIndex + offset + byte]) << (8 * UInt64(byte)) }
            return Double(bitPattern: bits)
        }
    }

    private static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    private static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
