import ArgumentParser
import DPSynthPrivacy

/// `dpsynth ledger settle-reservation ID`: a run died before settling its reservation; record its
/// full planned spend.
struct LedgerSettleReservationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settle-reservation",
        abstract: "Record an unsettled reservation's full planned spend (for a fit that died).",
        discussion: """
            A fit reserves its planned spend before training and settles it with what it spent when \
            it ends. If its process died in between, the reservation stays counted; this command makes \
            it a settled release at its planned spend, the conservative record of a run that may have \
            read the data. Refused while the process still runs on this host.
            """)

    @Argument(help: "The reservation's id (the #N in `dpsynth ledger show`).")
    var id: Int

    @OptionGroup var ledger: LedgerLocationOptions

    func run() throws { print(try output()) }

    func output() throws -> String {
        let release = try ledger.open().settleReservationAsPlanned(id: id)
        return "settled reservation #\(id) (\(release.label)) at its planned spend: \(release.training.map { "\($0.steps) steps" } ?? "as planned")"
    }
}

/// `dpsynth ledger withdraw-reservation ID --confirm-no-training-happened`: a reservation whose
/// run never read the data stops counting.
struct LedgerWithdrawReservationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw-reservation",
        abstract: "Withdraw an unsettled reservation whose fit never trained.",
        discussion: """
            Withdrawing claims that the run holding the reservation never used the data (it failed \
            before its first training step). If it may have trained, even partly, use \
            `dpsynth ledger settle-reservation ID` instead. The entry stays in the ledger, marked \
            withdrawn with the time. Refused while the process still runs on this host.
            """)

    @Argument(help: "The reservation's id (the #N in `dpsynth ledger show`).")
    var id: Int

    @Flag(help: "Declare that the reservation's run never trained on the data (required).")
    var confirmNoTrainingHappened = false

    @OptionGroup var ledger: LedgerLocationOptions

    func validate() throws {
        guard confirmNoTrainingHappened else {
            throw InvalidArgument("withdrawing a reservation declares that its run never trained on the data: pass --confirm-no-training-happened if that is so, or use `dpsynth ledger settle-reservation \(id)`")
        }
    }

    func run() throws { print(try output()) }

    func output() throws -> String {
        let release = try ledger.open().withdrawReservation(id: id)
        return "withdrew reservation #\(id) (\(release.label)); its planned spend no longer counts"
    }
}
