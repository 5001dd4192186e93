import ArgumentParser
import DPSynthPrivacy

/// `dpsynth ledger set-budget FILE --epsilon E --delta D`.
struct LedgerSetBudgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-budget",
        abstract: "Set the (ε, δ) budget all releases from a dataset may spend together.")

    @Argument(help: "The dataset file (or its SHA-256 fingerprint).")
    var dataset: String

    @Option(help: "Total ε allowed, > 0.")
    var epsilon: Double

    @Option(help: "δ of the budget, in (0, 1); totals are reported at this δ.")
    var delta: Double

    @OptionGroup var ledger: LedgerLocationOptions

    func validate() throws {
        guard epsilon > 0, epsilon.isFinite else { throw InvalidArgument("--epsilon must be a finite number > 0, found \(epsilon)") }
        guard delta > 0, delta < 1 else { throw InvalidArgument("--delta must be in (0, 1), found \(delta)") }
    }

    func run() throws { print(try output()) }

    func output() throws -> String {
        let fingerprint = try datasetFingerprint(dataset)
        let ledger = try self.ledger.open()
        try ledger.setBudget(try PrivacyBudget(epsilon: epsilon, delta: delta), for: fingerprint)
        let spending = try ledger.spending(for: fingerprint)
        return "budget of dataset \(fingerprint): ε = \(formatted(epsilon)) at δ = \(formatted(delta)); spent so far ε = \(formatted(spending.epsilon)) over \(spending.releaseCount) release(s)"
    }
}
