/// A dataset's budget: the (ε, δ) all its releases together may not exceed.
public struct PrivacyBudget: Equatable, Sendable {
    public var epsilon: Double
    public var delta: Double

    /// A budget with ε > 0 and δ in (0, 1); throws `LedgerError.invalidBudget` otherwise.
    public init(epsilon: Double, delta: Double) throws {
        guard epsilon.isFinite, epsilon > 0, delta > 0, delta < 1 else {
            throw LedgerError.invalidBudget(epsilon: epsilon, delta: delta)
        }
        self.epsilon = epsilon
        self.delta = delta
    }
}
