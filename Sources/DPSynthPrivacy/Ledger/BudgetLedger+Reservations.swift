import DPSynthAccounting
import Foundation

/// A planned spend held in the ledger by a training run: what `reserve` returns and `settle` takes.
public struct LedgerReservation: Equatable {
    /// The entry's id (`ledger show` prints it).
    public var id: Int
    /// The planned release, as stored.
    public var planned: LedgerRelease
    /// The dataset's spending with the reservation counted, by the accountant of the check.
    public var projected: LedgerSpending
}

/// Reserve, settle and withdraw: the budget check and the spend as one step.
///
/// Without reservations a check before training and a record after it are two transactions: two
/// fits of one dataset started together both pass the check, then both record, and together they
/// overspend. A reservation closes that window: the check and the planned spend are written in one
/// `BEGIN IMMEDIATE` transaction, so the second fit's check sees the first one's plan.
extension BudgetLedger {
    /// Checks that `planned` fits the dataset's budget and, in the same write transaction, stores
    /// it as a reservation held by this process. From then on it counts as spent for every reader
    /// (`spending`, `ledger show`, other checks) until `settle` replaces it.
    ///
    /// Throws `LedgerError.budgetExceeded` (storing nothing) if the planned release would take the
    /// dataset past its budget. Without a budget nothing is refused, but the reservation is still
    /// taken, so the spend is on record even if the process dies.
    /// - Parameters:
    ///   - planned: the release as planned (all its steps, its schema spend), at its δ.
    ///   - kind: the accountant that composes the check (the budget's δ governs when set).
    @discardableResult
    public func reserve(_ planned: LedgerRelease, accountant kind: AccountantKind = .rdp) throws -> LedgerReservation {
        try reserve(planned, accountant: kind, holder: .current)
    }

    /// `reserve` on behalf of another holder: tests stand in for a process that died.
    func reserve(_ planned: LedgerRelease, accountant kind: AccountantKind, holder: ReservationHolder) throws -> LedgerReservation {
        try connection.immediateTransaction {
            let dataset = planned.dataset
            let after = try spending(for: dataset, planned: planned, delta: planned.delta, accountant: kind)
            if let budget = after.budget, !(after.epsilon <= budget.epsilon) {
                let before = try spending(for: dataset, delta: planned.delta, accountant: kind)
                throw LedgerError.budgetExceeded(fingerprint: dataset.hexDigest, budgetEpsilon: budget.epsilon,
                                                 delta: budget.delta, spentEpsilon: before.epsilon,
                                                 projectedEpsilon: after.epsilon, reservationCount: before.reservationCount)
            }
            var reservation = planned
            reservation.status = .reserved(holder: holder)
            reservation.id = try insert(reservation)
            var projected = after
            projected.reservationCount += 1
            return LedgerReservation(id: reservation.id ?? 0, planned: reservation, projected: projected)
        }
    }

    /// Replaces `reservation` with the release that actually happened, in one transaction: the
    /// planned spend stops counting and the actual one starts at the same instant.
    ///
    /// Always records `actual` (the spend has happened): over a reservation a user withdrew while
    /// the run was still training, or as a new row if the reservation is gone. If `actual` spends
    /// more than was reserved at some RDP order (a bug: runs stop at their plan), it is recorded all
    /// the same and `LedgerError.settlementExceedsReservation` is thrown afterwards.
    public func settle(_ reservation: LedgerReservation, with actual: LedgerRelease) throws {
        let exceeds: Bool = try connection.immediateTransaction {
            var settled = actual
            guard let stored = try release(id: reservation.id) else {
                settled.status = .settled(reservedAt: reservation.planned.recordedAt)
                _ = try insert(settled)
                return try Self.spends(actual, moreThan: reservation.planned)
            }
            if case .settled = stored.status {
                throw LedgerError.notAReservation(path: url.path, id: reservation.id, state: "already settled")
            }
            settled.status = .settled(reservedAt: stored.recordedAt)
            try update(id: reservation.id, with: settled)
            return try Self.spends(actual, moreThan: stored)
        }
        if exceeds { throw LedgerError.settlementExceedsReservation(path: url.path, id: reservation.id) }
    }

    /// Settles reservation `id` at its full planned spend: for a run that died before settling. Its
    /// data may have been read, so the conservative record is that all of the plan was spent.
    /// Refused while the holding process still runs on this host (it settles the reservation itself).
    @discardableResult
    public func settleReservationAsPlanned(id: Int) throws -> LedgerRelease {
        try connection.immediateTransaction {
            var release = try unsettledReservation(id: id)
            release.status = .settled(reservedAt: release.recordedAt)
            release.recordedAt = Date()
            try update(id: id, with: release)
            return release
        }
    }

    /// Withdraws reservation `id`: its planned spend stops counting. Only honest when its run never
    /// read the data (it failed before training, or the reservation was taken by mistake); a run
    /// that died during training must be settled instead (`settleReservationAsPlanned`). The entry
    /// stays in the ledger as withdrawn, with the time. Refused while the holding process still
    /// runs on this host.
    @discardableResult
    public func withdrawReservation(id: Int) throws -> LedgerRelease {
        try connection.immediateTransaction {
            var release = try unsettledReservation(id: id)
            guard case .reserved(let holder) = release.status else { return release }
            release.status = .withdrawn(at: Date(), holder: holder)
            try update(id: id, with: release)
            return release
        }
    }

    /// Entry `id` if it is an unsettled reservation whose holder is not known to be running.
    private func unsettledReservation(id: Int) throws -> LedgerRelease {
        guard let release = try release(id: id) else {
            throw LedgerError.notAReservation(path: url.path, id: id, state: "no such entry")
        }
        switch release.status {
        case .settled: throw LedgerError.notAReservation(path: url.path, id: id, state: "already settled")
        case .withdrawn: throw LedgerError.notAReservation(path: url.path, id: id, state: "already withdrawn")
        case .reserved(let holder):
            if holder.isRunning == true {
                throw LedgerError.reservationHolderRunning(path: url.path, id: id, processID: holder.processID)
            }
            return release
        }
    }

    /// Whether `actual` spends more than `planned` anywhere: at some RDP order (curves compared at
    /// one order list, recomputed from the events if they differ), or in its (ε, δ) schema spend.
    /// Pointwise RDP domination means no composition or δ can make `actual` cost more.
    static func spends(_ actual: LedgerRelease, moreThan planned: LedgerRelease) throws -> Bool {
        func curve(_ release: LedgerRelease) throws -> [Double] {
            if release.rdpOrders == RDPAccountant.defaultOrders { return release.rdpCurve }
            var accountant = RDPAccountant()
            try accountant.compose(release.accountedEvent)
            return accountant.rdp
        }
        let tolerance = 1e-12
        let exceedsCurve = zip(try curve(actual), try curve(planned)).contains { $0 > $1 + tolerance * max(1, abs($1)) }
        return exceedsCurve || actual.approximateSpend.epsilon > planned.approximateSpend.epsilon + tolerance
            || actual.approximateSpend.delta > planned.approximateSpend.delta
    }
}
