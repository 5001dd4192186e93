extension AuditReport {
    /// A few lines for the terminal: the headline of each section.
    public var textSummary: String {
        var lines = ["DPSynth audit — \(dataset.name) (\(dataset.realRows) real training rows, \(dataset.syntheticRows) synthetic\(dataset.holdoutRows.map { ", \($0) holdout" } ?? ""))"]
        if let guarantee = privacy.guarantee {
            lines.append("Privacy:  ε = \(formatNumber(guarantee.epsilon, significantDigits: 3)), δ = \(formatScientific(guarantee.delta)) (\(guarantee.accountant) accountant; \(guarantee.steps) steps, q = \(formatNumber(guarantee.samplingProbability)), σ = \(formatNumber(guarantee.noiseMultiplier)), C = \(formatNumber(guarantee.clippingNorm)))\(privacy.secureRandomness ? "" : " — noise NOT cryptographically secure")")
            if let mechanisms = guarantee.mechanisms, mechanisms.count > 1 {
                lines.append("          composed of: " + mechanisms.joined(separator: "; "))
            }
        } else {
            lines.append("Privacy:  none (ε = ∞) — \(privacy.modelKind)")
        }
        lines.append("Quality:  \(percentOrDash(utility.quality)) (SDMetrics) — column shapes \(percentOrDash(utility.columnShapes)), column pair trends \(percentOrDash(utility.columnPairTrends))")
        if let tstr = tstr {
            let parts = tstr.models.map { comparison -> String in
                let (name, synthetic, real) = headline(comparison)
                return "\(comparison.model.displayName(task: tstr.task)) \(synthetic) vs \(real) (\(name))"
            }
            lines.append("TSTR:     '\(tstr.label)': " + parts.joined(separator: "; ") + " — synthetic vs real training")
            lines += tstr.leakWarnings.map { "          " + $0 }
        } else {
            // Said, not left out: a reader must not take a missing line for a passed check.
            lines.append(dataset.holdoutRows == nil
                ? "TSTR:     not measured: no holdout rows to test on (audit --holdout FILE or --holdout-fraction F)"
                : "TSTR:     not measured: no label column (fit --label COL, or \"role\": \"label\" in the schema)")
        }
        var risk = "Risk:     exact matches \(percent(self.risk.exactMatchShare))"
        if let holdoutShare = self.risk.exactMatchShareHoldout {
            risk += " (holdout \(percent(holdoutShare)))"
        } else if let duplicates = self.risk.trainingDuplicateShare {
            risk += " (training rows among themselves \(percent(duplicates)))"
        }
        risk += "; median DCR \(formatNumber(self.risk.dcrSyntheticToTrain.median, significantDigits: 3))"
        if let holdout = self.risk.dcrHoldoutToTrain { risk += " vs holdout \(formatNumber(holdout.median, significantDigits: 3))" }
        if let auc = self.risk.membershipInferenceAUC { risk += "; membership-inference AUC \(String(format: "%.3f", auc))" }
        if let limit = self.risk.distanceQueryRowLimit { risk += " (distances from samples of \(limit) rows)" }
        lines.append(risk)
        return lines.joined(separator: "\n")
    }

    /// The main score of one comparison: (metric name, TSTR, TRTR) as text.
    func headline(_ comparison: TSTRComparison) -> (String, String, String) {
        let pick: (PredictionScores) -> Double?
        let name: String
        if comparison.trainOnReal.rocAUC != nil {
            (pick, name) = ({ $0.rocAUC }, "ROC AUC")
        } else if comparison.trainOnReal.macroF1 != nil {
            (pick, name) = ({ $0.macroF1 }, "macro-F1")
        } else {
            (pick, name) = ({ $0.rSquared }, "R²")
        }
        let show = { (value: Double?) in value.map { String(format: "%.3f", $0) } ?? "—" }
        return (name, show(pick(comparison.trainOnSynthetic)), show(pick(comparison.trainOnReal)))
    }
}

func percentOrDash(_ value: Double?) -> String { value.map { percent($0) } ?? "—" }
