import ArgumentParser
import DPSynthAccounting
import DPSynthPrivacy
import Foundation

/// `dpsynth ledger show [--dataset FINGERPRINT|FILE] [--json]`.
struct LedgerShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "List datasets, their budgets, releases and total ε spent.")

    @Option(help: "Only this dataset: a file (fingerprinted by content) or a SHA-256 fingerprint.")
    var dataset: String?

    @Option(help: "Accountant for the totals: rdp (adds the stored RDP curves) or pld (composes the stored events; tighter, slower).")
    var accountant: AccountantKind = .rdp

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var ledger: LedgerLocationOptions

    func run() throws { print(try output()) }

    func output() throws -> String {
        let ledger = try self.ledger.open()
        let fingerprints = try dataset.map { [try datasetFingerprint($0)] } ?? ledger.datasets()
        let reports = try fingerprints.map { fingerprint in
            DatasetReport(spending: try ledger.spending(for: fingerprint, accountant: accountant),
                          releases: try ledger.releases(for: fingerprint, includingWithdrawn: true))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            return String(decoding: try encoder.encode(reports), as: UTF8.self)
        }
        if reports.isEmpty { return "the ledger \(ledger.url.path) has no datasets" }
        return reports.map(\.text).joined(separator: "\n\n")
    }
}

/// One dataset in `ledger show` (JSON keys in snake_case).
struct DatasetReport: Encodable {
    struct Budget: Encodable {
        var epsilon: Double
        var delta: Double
    }

    struct Spent: Encodable {
        var epsilon: Double
        var delta: Double
        var accountant: String
        var order: Double?
        var orderAtEdge: Bool
        var releaseCount: Int
        var reservationCount: Int
        var schemaEpsilon: Double
        var schemaDelta: Double
        var remainingEpsilon: Double?

        enum CodingKeys: String, CodingKey {
            case epsilon, delta, accountant, order
            case orderAtEdge = "order_at_edge", releaseCount = "release_count", reservationCount = "reservation_count"
            case schemaEpsilon = "schema_epsilon", schemaDelta = "schema_delta", remainingEpsilon = "remaining_epsilon"
        }
    }

    struct Release: Encodable {
        var id: Int?
        /// settled, reserved (unsettled: counted at its planned spend) or withdrawn (not counted).
        var status: String
        var recordedAt: String
        var reservedAt: String?
        var withdrawnAt: String?
        var processID: Int32?
        var host: String?
        /// Whether the holder of a reservation still runs (nil: another host, or not a reservation).
        var processRunning: Bool?
        var label: String
        var samplingRate: Double?
        var noiseMultiplier: Double?
        var clippingNorm: Double?
        var steps: Int?
        var noiseIsCryptographicallySecure: Bool?
        var delta: Double
        var schemaEpsilon: Double
        var schemaDelta: Double
        var epsilonRDP: Double?
        var epsilonPLD: Double?

        enum CodingKeys: String, CodingKey {
            case id, status, recordedAt = "recorded_at", reservedAt = "reserved_at", withdrawnAt = "withdrawn_at"
            case processID = "process_id", host, processRunning = "process_running"
            case label, samplingRate = "sampling_rate"
            case noiseMultiplier = "noise_multiplier", clippingNorm = "clipping_norm", steps, delta
            case noiseIsCryptographicallySecure = "noise_cryptographically_secure"
            case schemaEpsilon = "schema_epsilon", schemaDelta = "schema_delta"
            case epsilonRDP = "epsilon_rdp", epsilonPLD = "epsilon_pld"
        }
    }

    var fingerprint: String
    var budget: Budget?
    var spent: Spent
    var releases: [Release]

    init(spending: LedgerSpending, releases: [LedgerRelease]) {
        fingerprint = spending.dataset.hexDigest
        budget = spending.budget.map { Budget(epsilon: $0.epsilon, delta: $0.delta) }
        spent = Spent(epsilon: spending.epsilon, delta: spending.delta, accountant: spending.accountant.rawValue,
                      order: spending.order,
                      orderAtEdge: spending.orderIsAtEdge, releaseCount: spending.releaseCount,
                      reservationCount: spending.reservationCount,
                      schemaEpsilon: spending.schemaEpsilon, schemaDelta: spending.schemaDelta,
                      remainingEpsilon: spending.remainingEpsilon)
        let formatter = ISO8601DateFormatter()
        self.releases = releases.map { release in
            var entry = Release(
                id: release.id, status: "settled", recordedAt: formatter.string(from: release.recordedAt), label: release.label,
                samplingRate: release.training?.samplingProbability, noiseMultiplier: release.training?.noiseMultiplier,
                clippingNorm: release.clippingNorm, steps: release.training?.steps,
                noiseIsCryptographicallySecure: release.training?.noiseIsCryptographicallySecure,
                delta: release.delta, schemaEpsilon: release.schemaEpsilon, schemaDelta: release.schemaDelta,
                epsilonRDP: release.epsilonByAccountant[.rdp], epsilonPLD: release.epsilonByAccountant[.pld])
            switch release.status {
            case .settled(let reservedAt):
                entry.reservedAt = reservedAt.map(formatter.string(from:))
            case .reserved(let holder):
                (entry.status, entry.reservedAt) = ("reserved", entry.recordedAt)
                (entry.processID, entry.host, entry.processRunning) = (holder.processID, holder.host, holder.isRunning)
            case .withdrawn(let at, let holder):
                (entry.status, entry.reservedAt, entry.withdrawnAt) = ("withdrawn", entry.recordedAt, formatter.string(from: at))
                (entry.processID, entry.host) = (holder.processID, holder.host)
            }
            return entry
        }
    }

    var text: String {
        var lines = ["dataset \(fingerprint)"]
        if let budget {
            lines.append("  budget: ε = \(formatted(budget.epsilon)) at δ = \(formatted(budget.delta))")
        } else {
            lines.append("  budget: none set (dpsynth ledger set-budget FILE --epsilon E --delta D)")
        }
        let method = spent.order.map { "RDP, order \(formatted($0))" } ?? spent.accountant.uppercased()
        var spentLine = "  spent:  ε = \(formatted(spent.epsilon)) at δ = \(formatted(spent.delta)) over \(spent.releaseCount) release(s)"
        if spent.reservationCount > 0 { spentLine += " and \(spent.reservationCount) unsettled reservation(s)" }
        spentLine += " (\(method))"
        if let remaining = spent.remainingEpsilon { spentLine += "; remaining ε = \(formatted(remaining))" }
        lines.append(spentLine)
        if spent.orderAtEdge && spent.releaseCount + spent.reservationCount > 0 {
            lines.append("  warning: the optimal RDP order is at the edge of the order list; the bound may be loose")
        }
        var stale: [Int] = []
        for release in releases {
            var fields = ["    #\(release.id.map(String.init) ?? "?")"]
            switch release.status {
            case "reserved":
                let process = "process \(release.processID.map(String.init) ?? "?") on \(release.host ?? "?")"
                let running = release.processRunning.map { $0 ? "running" : "no longer running" } ?? "state unknown"
                fields.append("reserved (unsettled) since \(release.recordedAt) by \(process), \(running)")
                if release.processRunning == false, let id = release.id { stale.append(id) }
            case "withdrawn":
                fields.append("withdrawn \(release.withdrawnAt ?? "?") (declared unused; not counted), reserved \(release.recordedAt)")
            default:
                fields.append(release.recordedAt)
            }
            fields.append(release.label.isEmpty ? "(no label)" : release.label)
            if let q = release.samplingRate, let sigma = release.noiseMultiplier, let steps = release.steps {
                fields.append("q=\(formatted(q)) σ=\(formatted(sigma)) C=\(release.clippingNorm.map(formatted) ?? "?") steps=\(steps)")
            }
            if release.noiseIsCryptographicallySecure == false { fields.append("(noise not cryptographically secure)") }
            fields.append("δ=\(formatted(release.delta))")
            if let epsilon = release.epsilonRDP { fields.append("ε_rdp=\(formatted(epsilon))") }
            if let epsilon = release.epsilonPLD { fields.append("ε_pld=\(formatted(epsilon))") }
            if release.schemaEpsilon > 0 {
                fields.append("schema ε=\(formatted(release.schemaEpsilon))"
                              + (release.schemaDelta > 0 ? " δ=\(formatted(release.schemaDelta))" : ""))
            }
            lines.append(fields.joined(separator: "  "))
        }
        for id in stale {
            lines.append("  note: the process of reservation #\(id) is gone; its planned spend stays counted. If that run read the data, "
                         + "`dpsynth ledger settle-reservation \(id)` records the plan as spent; only if it never trained, "
                         + "`dpsynth ledger withdraw-reservation \(id) --confirm-no-training-happened` withdraws it.")
        }
        return lines.joined(separator: "\n")
    }
}
