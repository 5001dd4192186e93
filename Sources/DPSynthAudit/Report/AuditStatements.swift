import Foundation

/// The plain-language sentences of the report, shared by the HTML page and the text summary
/// so that both say the same thing.
enum AuditStatements {
    /// What the (ε, δ) guarantee means, or that there is none.
    static func guarantee(_ privacy: PrivacySummary) -> String {
        guard let guarantee = privacy.guarantee else {
            return "This release has no formal privacy guarantee (ε = ∞): the model was trained without differential privacy. The risk section below is the only evidence about disclosure; it can reveal problems but cannot rule them out."
        }
        let factor = exp(guarantee.epsilon)
        return "The synthetic data were produced by an algorithm that is (ε = \(formatNumber(guarantee.epsilon, significantDigits: 3)), δ = \(formatScientific(guarantee.delta)))-differentially private with respect to adding or removing any one row of the training data. In plain words: whatever else an adversary knows, any conclusion they draw from this release is at most e^ε ≈ \(formatNumber(factor, significantDigits: 3)) times more (or less) likely than it would have been had that row not been used, except with probability at most δ. The protection is per row: a person with k rows is protected at roughly k·ε. It does not hide patterns that hold across many people — those are what the data are released for."
    }

    /// Caveats about how the guarantee was obtained, each a full sentence; empty when none.
    static func caveats(_ privacy: PrivacySummary) -> [String] {
        var caveats: [String] = []
        switch privacy.schemaBounds {
        case .declaredPublic:
            caveats.append("Column bounds and category lists were declared public in the schema and cost no ε.")
        case .acceptedDataBounds:
            if privacy.guarantee != nil {
                caveats.append("Warning: column bounds and category lists were read from the private data without protection. The guarantee does not cover what they reveal (for example the largest value of a column).")
            }
        case .paidFor:
            let schemaEpsilon = privacy.guarantee.map { formatNumber($0.schemaEpsilon, significantDigits: 3) } ?? "?"
            caveats.append("Column bounds and category lists were estimated with a differentially private mechanism (ε = \(schemaEpsilon), included in the total).")
        }
        if privacy.guarantee != nil && !privacy.secureRandomness {
            caveats.append("Warning: the privacy noise came from a seeded generator that is not cryptographically secure. The run is reproducible, but an adversary who learns or guesses the seed can remove the noise: treat this as a test run, not a release.")
        }
        if let note = privacy.guarantee?.accountantNote {
            caveats.append("Accountant: \(note)")
        }
        if let ledger = privacy.ledger {
            let unsettled = ledger.unsettledReservations == 0 ? ""
                : " and \(ledger.unsettledReservations) reservation\(ledger.unsettledReservations == 1 ? "" : "s") of fits not yet settled (counted at their whole plan)"
            caveats.append("The dataset's ledger records \(ledger.releases) release\(ledger.releases == 1 ? "" : "s") from these data\(unsettled), totalling ε = \(formatNumber(ledger.epsilon, significantDigits: 3)), δ = \(formatScientific(ledger.delta)). Releases compose: an adversary holding all of them faces the total, not this release's ε.")
        }
        return caveats
    }

    static let confidentiality = "This report describes the real data (histograms, correlations, distances) and is not itself differentially private. Share it as you would share summary statistics of the real data, not as part of the public release."

    static let columnShapes = "Column shapes compare each column's distribution: 1 − the Kolmogorov–Smirnov distance for numbers and dates, 1 − the total variation distance for categories (missing values left out; SDMetrics' KSComplement and TVComplement). 100% means identical distributions."
    static let pairTrends = "Column pair trends compare how pairs of columns move together: 1 − |ρ_real − ρ_synthetic| / 2 for two numeric columns (Pearson), 1 − the total variation distance of the joint frequency table otherwise (numbers put in 10 bins). As in SDMetrics, the headline counts only pairs related in the real data (|ρ| > 0.5 or Cramér's V > 0.3); the mean over all pairs is shown too."
    static let tstr = "Train on synthetic, test on real: each model is trained once on the real training rows (TRTR) and once on the synthetic rows (TSTR), with the same preprocessing, and both are scored on real rows that neither saw. The gap is the predictive utility lost."

    static let exactMatch = "Exact matches — can show: training rows copied into the release (memorisation). Cannot show: safety — a near-copy with one value changed is not counted, and in small tables with few, coarse columns real people share whole records by chance (compare with the holdout's share, or without a holdout with the share of training rows equal to another training row)."
    static let distance = "Distance to closest record — can show: whether synthetic rows sit closer to the training rows than unseen real rows do (a ratio well below 1 suggests memorisation). Cannot show: that no one is exposed; it summarises all rows, and a few risky rows can hide behind a median."
    static let membership = "Membership-inference AUC — can show: whether an attacker ranking people by their distance to the release can tell who was in the training data (0.5 = chance, 1 = always). Cannot show: that stronger attacks fail. Only differential privacy bounds every attack: under (ε, δ)-DP any attack's true-positive rate is at most e^ε × its false-positive rate + δ."
}

/// δ-style numbers: "1e-05" for small values, plain otherwise.
func formatScientific(_ value: Double) -> String {
    value != 0 && Swift.abs(value) < 1e-3 ? String(format: "%.0e", value) : formatNumber(value)
}
