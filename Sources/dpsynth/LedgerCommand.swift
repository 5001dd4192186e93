import ArgumentParser
import DPSynthPrivacy
import Foundation

/// `dpsynth ledger`: the privacy budget of each dataset and what its releases have spent.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Show and limit the privacy spent on each dataset.",
        discussion: """
            Every release (fit) from a dataset is recorded with its mechanism and RDP curve; the releases \
            of a dataset compose. A dataset is identified by the SHA-256 of its content. A fit reserves its \
            planned spend before training (the reservation counts as spent) and settles it when it ends.
            """,
        subcommands: [LedgerSetBudgetCommand.self, LedgerShowCommand.self, LedgerSettleReservationCommand.self,
                      LedgerWithdrawReservationCommand.self])
}

/// `--ledger PATH`, shared by the ledger subcommands (and by `fit`).
struct LedgerLocationOptions: ParsableArguments {
    @Option(name: .customLong("ledger"),
            help: "Ledger file (default: $XDG_DATA_HOME/dpsynth/ledger.sqlite or ~/.local/share/dpsynth/ledger.sqlite).")
    var path: String?

    func open() throws -> BudgetLedger {
        try BudgetLedger(url: path.map { URL(fileURLWithPath: $0) } ?? BudgetLedger.defaultURL())
    }
}

/// A dataset named on the command line: a file (fingerprinted by content) or a fingerprint.
func datasetFingerprint(_ argument: String) throws -> DatasetFingerprint {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), !isDirectory.boolValue {
        return try DatasetFingerprint(contentsOf: URL(fileURLWithPath: argument))
    }
    return try DatasetFingerprint(hexDigest: argument)
}
