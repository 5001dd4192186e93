import DPSynthAccounting

/// What a dataset has spent: all its releases and unsettled reservations composed (RDP curves
/// add, schema spends included).
public struct LedgerSpending: Equatable, Sendable {
    public var dataset: DatasetFingerprint
    /// Settled releases.
    public var releaseCount: Int
    /// Unsettled reservations, counted at their planned spend.
    public var reservationCount: Int
    public var budget: PrivacyBudget?
    /// The δ of `epsilon`: the budget's, or else the largest δ of the releases.
    public var delta: Double
    /// The accountant that composed the releases.
    public var accountant: AccountantKind
    /// Total ε at `delta`.
    public var epsilon: Double
    /// The optimal RDP order (nil for PLD) and whether it sits at the edge of the order list.
    public var order: Double?
    public var orderIsAtEdge: Bool
    public var schemaEpsilon: Double
    /// Σ δ of the (ε, δ) schema spends, taken from `delta` before the accountant is asked.
    public var schemaDelta: Double

    /// ε left before the budget is reached (nil without a budget).
    public var remainingEpsilon: Double? { budget.map { max(0, $0.epsilon - epsilon) } }
}
