import DPSynthAccounting
import Foundation

/// The privacy budget ledger: every release from every dataset, in one SQLite file.
///
/// Releases of a dataset compose: their RDP curves add (the schema spends enter as pure-DP
/// curves), and the total ε at the dataset's δ is checked against its budget *before* a new
/// training run starts. Each writer holds its own connection; writes run in `BEGIN IMMEDIATE`
/// transactions with a busy timeout, so two processes writing at once both land.
///
/// Check and spend are one step: `reserve` checks the budget and stores the planned spend in the
/// same write transaction, so two runs started at once cannot both pass a check that only one of
/// them fits; the reservation counts as spent for every reader until the run `settle`s it with what
/// it actually spent.
///
/// Usage from `fit`:
/// ```swift
/// let ledger = try BudgetLedger()                      // or BudgetLedger(url: --ledger PATH)
/// let fingerprint = try DatasetFingerprint(contentsOf: dataURL)
/// let planned = try LedgerRelease.dpsgd(dataset: fingerprint, label: outputPath, training: plannedFacts,
///                                       clippingNorm: clippingNorm, delta: delta)
/// let reservation = try ledger.reserve(planned)      // refuses before training if over budget
/// … train; the DP-SGD step reports the DPSGDPrivacyFacts of the steps taken …
/// try ledger.settle(reservation, with: try .dpsgd(dataset: fingerprint, label: outputPath, training: facts,
///                                                 clippingNorm: clippingNorm, delta: delta))
/// ```
public final class BudgetLedger {
    /// The ledger file.
    public let url: URL
    let connection: SQLiteConnection

    /// SQLite `application_id` marking a DPSynth ledger ("DPSL").
    static let applicationID: Int32 = 0x4450_534C

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

    /// Checks that the file is a DPSynth ledger (or empty) and creates or migrates the tables to
    /// `LedgerSchema.version`, all in one write transaction, so two processes opening a new or an
    /// older ledger at once cannot see it half made, and a failed migration changes nothing.
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
            guard version <= LedgerSchema.version else {
                throw LedgerError.notALedger(path: url.path, reason: "written by a newer DPSynth (schema \(version))")
            }
            if version == LedgerSchema.version { return }
            for migration in LedgerSchema.migrations[version...] { try connection.execute(migration) }
            try connection.execute("""
                PRAGMA application_id = \(Self.applicationID);
                PRAGMA user_version = \(LedgerSchema.version);
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

    /// Appends `release` as settled, without a budget check: for a spend that has already happened.
    /// A training run takes a reservation instead (`reserve`), so that its check and its spend are
    /// one step.
    public func record(_ release: LedgerRelease) throws {
        var settled = release
        settled.status = .settled(reservedAt: nil)
        try connection.immediateTransaction { _ = try insert(settled) }
    }

    /// The entries of `dataset`, oldest first: settled releases and unsettled reservations (both
    /// count as spent), and withdrawn reservations when `includingWithdrawn`.
    public func releases(for dataset: DatasetFingerprint, includingWithdrawn: Bool = false) throws -> [LedgerRelease] {
        let statement = try connection.prepare(Self.selectReleases + " WHERE fingerprint = ?"
            + (includingWithdrawn ? "" : " AND state <> '\(LedgerSchema.State.withdrawn.rawValue)'") + " ORDER BY id")
        try statement.bind([.text(dataset.hexDigest)])
        var releases: [LedgerRelease] = []
        while try statement.step() { releases.append(try release(at: statement)) }
        return releases
    }

    /// The entry with `id`, or nil.
    public func release(id: Int) throws -> LedgerRelease? {
        let statement = try connection.prepare(Self.selectReleases + " WHERE id = ?")
        try statement.bind([.integer(id)])
        return try statement.step() ? release(at: statement) : nil
    }

    /// Every dataset with a budget or a release.
    public func datasets() throws -> [DatasetFingerprint] {
        let statement = try connection.prepare(
            "SELECT fingerprint FROM budgets UNION SELECT fingerprint FROM releases ORDER BY 1")
        var result: [DatasetFingerprint] = []
        while try statement.step() { result.append(try DatasetFingerprint(hexDigest: statement.text(0))) }
        return result
    }

    // MARK: Composition

    /// All releases and unsettled reservations of `dataset` composed, plus a planned release if
    /// given, at the budget's δ (else `delta`, else the largest δ recorded).
    ///
    /// RDP adds the stored curves (recomputing from the stored event if they were recorded at other
    /// orders); PLD composes the stored events, which is tighter and takes seconds for long runs.
    /// (ε, δ) schema spends compose by basic composition: their δs are taken from the total δ
    /// before the accountant is asked, and their εs are added to its answer.
    public func spending(for dataset: DatasetFingerprint, planned: LedgerRelease? = nil, delta: Double? = nil,
                         accountant kind: AccountantKind = .rdp) throws -> LedgerSpending {
        let budget = try self.budget(for: dataset)
        let entries = try self.releases(for: dataset)
        let composed = entries + (planned.map { [$0] } ?? [])
        let reportDelta = budget?.delta ?? delta ?? entries.map(\.delta).max() ?? 1e-5
        let approximate = composed.map(\.approximateSpend)
        let approximateEpsilon = approximate.map(\.epsilon).reduce(0, +)
        let accountantDelta = reportDelta - approximate.map(\.delta).reduce(0, +)
        var epsilon = Double.infinity
        var order: Double?
        var orderIsAtEdge = false
        switch kind {
        case .rdp:
            var accountant = RDPAccountant()
            for release in composed {
                if release.rdpOrders == accountant.orders {
                    accountant.add(curve: release.rdpCurve)
                } else {
                    try accountant.compose(release.accountedEvent)
                }
            }
            if accountantDelta > 0 {
                let result = try accountant.epsilonAndOrder(forDelta: accountantDelta)
                (epsilon, order, orderIsAtEdge) = (result.epsilon, result.order, result.orderIsAtEdge)
            }
        case .pld:
            var accountant = PLDAccountant()
            try accountant.compose(.composed(composed.map(\.accountedEvent)))
            if accountantDelta > 0 { epsilon = try accountant.epsilon(forDelta: accountantDelta) }
        }
        let reservations = entries.filter { if case .reserved = $0.status { return true } else { return false } }
        return LedgerSpending(dataset: dataset, releaseCount: entries.count - reservations.count,
                              reservationCount: reservations.count, budget: budget, delta: reportDelta,
                              accountant: kind, epsilon: epsilon + approximateEpsilon, order: order,
                              orderIsAtEdge: orderIsAtEdge,
                              schemaEpsilon: entries.map(\.schemaEpsilon).reduce(0, +),
                              schemaDelta: entries.map(\.schemaDelta).reduce(0, +))
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
}
