import Foundation

/// Why the budget ledger refused an operation. Messages name the file or dataset and say what to do.
public enum LedgerError: Error, Equatable, Sendable {
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not a DPSynth ledger (not SQLite, corrupt, or another application's).
    case notALedger(path: String, reason: String)
    case database(path: String, reason: String)
    case cannotReadDataset(path: String, reason: String)
    case malformedFingerprint(String)
    case invalidBudget(epsilon: Double, delta: Double)
    /// A schema spend needs ε ≥ 0 and 0 ≤ δ < the release's δ (it takes its δ from the release's).
    case invalidSchemaSpend(epsilon: Double, delta: Double, releaseDelta: Double)
    /// A stored release could not be decoded (a row written by a newer DPSynth, or edited by hand).
    case malformedRelease(path: String, id: Int, reason: String)
    /// The planned release would take the dataset past its budget; nothing was trained or recorded.
    /// `spentEpsilon` counts the unsettled reservations (`reservationCount` of them) at their plans.
    case budgetExceeded(fingerprint: String, budgetEpsilon: Double, delta: Double,
                        spentEpsilon: Double, projectedEpsilon: Double, reservationCount: Int)
    /// No unsettled reservation has this id (it does not exist, or is already settled or withdrawn).
    case notAReservation(path: String, id: Int, state: String)
    /// The process holding the reservation still runs on this host: it will settle it itself.
    case reservationHolderRunning(path: String, id: Int, processID: Int32)
    /// A run spent more than it reserved. The actual spend was recorded (it happened), but the
    /// budget check covered only the reservation. A bug, reported rather than hidden.
    case settlementExceedsReservation(path: String, id: Int)
}

extension LedgerError: LocalizedError, CustomStringConvertible {
    public var errorDescription: String? { description }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open the budget ledger '\(path)': \(reason)"
        case .notALedger(let path, let reason):
            return "'\(path)' is not a DPSynth budget ledger (\(reason)); move it aside or choose another file with --ledger PATH"
        case .database(let path, let reason):
            return "budget ledger '\(path)': \(reason)"
        case .cannotReadDataset(let path, let reason):
            return "cannot read dataset '\(path)' to fingerprint it: \(reason)"
        case .malformedFingerprint(let value):
            return "expected a dataset file or a 64-hex-digit SHA-256 fingerprint, found \"\(value)\""
        case .invalidBudget(let epsilon, let delta):
            return "a budget needs epsilon > 0 and delta in (0, 1), found epsilon \(epsilon), delta \(delta)"
        case .invalidSchemaSpend(let epsilon, let delta, let releaseDelta):
            return "a schema spend needs epsilon ≥ 0 and 0 ≤ delta < the release's delta \(releaseDelta), found epsilon \(epsilon), delta \(delta)"
        case .malformedRelease(let path, let id, let reason):
            return "budget ledger '\(path)', release \(id): \(reason)"
        case .notAReservation(let path, let id, let state):
            return "budget ledger '\(path)': entry \(id) is not an unsettled reservation (\(state)); `dpsynth ledger show` lists the reservations"
        case .reservationHolderRunning(let path, let id, let processID):
            return "budget ledger '\(path)': reservation \(id) is held by process \(processID), which is still running on this host; it settles the reservation when its training ends (stop it first if it is stuck)"
        case .settlementExceedsReservation(let path, let id):
            return "budget ledger '\(path)': the run of reservation \(id) spent more than it reserved; its actual spend is recorded, but the budget was checked only against the reservation (please report this bug)"
        case .budgetExceeded(let fingerprint, let budget, let delta, let spent, let projected, let reservations):
            let reserved = reservations == 0 ? "" : " (\(reservations) unsettled reservation\(reservations == 1 ? "" : "s") of running or interrupted fits included; see `dpsynth ledger show`)"
            return "refused before training: dataset \(fingerprint.prefix(12))… has spent ε = \(Self.format(spent))\(reserved) of its budget ε = \(Self.format(budget)) at δ = \(delta); this release would bring it to ε = \(Self.format(projected)). Use more noise, fewer steps or a smaller sampling rate (see `dpsynth privacy noise`), or raise the budget with `dpsynth ledger set-budget`."
        }
    }

    private static func format(_ value: Double) -> String {
        value.isFinite ? String(format: "%.4g", value) : "∞"
    }
}
