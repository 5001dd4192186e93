import Foundation

/// Renders an `AuditReport` as one self-contained HTML file: inline CSS (with print rules),
/// inline SVG charts, no scripts, no network. Every string from the data is escaped.
public enum AuditReportHTML {
    public static func render(_ report: AuditReport) -> String {
        var page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        page += "<title>Synthetic data audit — \(report.dataset.name.htmlEscaped)</title><style>\(style)</style></head><body><main>"
        page += header(report)
        page += summary(report)
        page += privacySection(report.privacy)
        page += utilitySection(report)
        if let tstr = report.tstr { page += tstrSection(tstr, report: report) }
        page += riskSection(report.risk)
        page += "<footer><p>\(AuditStatements.confidentiality.htmlEscaped)</p><p>\(AuditReport.formatName.htmlEscaped). Utility metrics follow SDMetrics 0.32's definitions; the numbers behind every chart are in report.json.</p></footer>"
        return page + "</main></body></html>\n"
    }

    private static func header(_ report: AuditReport) -> String {
        let dataset = report.dataset
        var facts = "\(dataset.realRows) real training rows · \(dataset.syntheticRows) synthetic rows"
        if let holdout = dataset.holdoutRows { facts += " · \(holdout) real holdout rows" }
        facts += " · \(dataset.columns.count) columns · model: \(report.privacy.modelKind)"
        return "<header><h1>Synthetic data audit: \(dataset.name.htmlEscaped)</h1><p class=\"facts\">\(facts.htmlEscaped)</p></header>"
    }

    // MARK: Summary

    private static func summary(_ report: AuditReport) -> String {
        var tiles: [(title: String, value: String, detail: String, tone: String)] = []
        if let guarantee = report.privacy.guarantee {
            let secure = report.privacy.secureRandomness ? "" : " · test run: noise not secure"
            tiles.append(("Privacy guarantee", "ε = \(formatNumber(guarantee.epsilon, significantDigits: 3))",
                          "δ = \(formatScientific(guarantee.delta)) · \(guarantee.accountant) accountant\(secure)",
                          report.privacy.secureRandomness ? "good" : "warn"))
        } else {
            tiles.append(("Privacy guarantee", "none", "ε = ∞: no formal protection", "bad"))
        }
        tiles.append(("Statistical quality", percentOrDash(report.utility.quality),
                      "SDMetrics quality score (100% = same distributions and pair trends)", "neutral"))
        if let tstr = report.tstr, let first = tstr.models.first {
            let (metric, synthetic, real) = report.headline(first)
            tiles.append(("Prediction utility", synthetic,
                          "\(metric) for '\(tstr.label)' trained on synthetic; \(real) trained on real", "neutral"))
        }
        let risk = report.risk
        var riskDetail = "rows equal to a training row"
        if risk.exactMatchShareHoldout == nil, let duplicates = risk.trainingDuplicateShare {
            riskDetail += " · \(percent(duplicates)) of training rows equal another training row"
        }
        if let auc = risk.membershipInferenceAUC { riskDetail += " · membership attack AUC \(String(format: "%.2f", auc)) (0.5 = chance)" }
        tiles.append(("Copied records", percent(risk.exactMatchShare), riskDetail,
                      risk.exactMatchShare > (risk.exactMatchShareHoldout ?? risk.trainingDuplicateShare ?? 0) + 0.01 ? "bad" : "good"))
        var html = "<section class=\"summary\"><h2>Summary</h2><div class=\"tiles\">"
        for tile in tiles {
            html += "<div class=\"tile \(tile.tone)\"><div class=\"tile-title\">\(tile.title.htmlEscaped)</div><div class=\"tile-value\">\(tile.value.htmlEscaped)</div><div class=\"tile-detail\">\(tile.detail.htmlEscaped)</div></div>"
        }
        html += "</div><p class=\"statement\">\(AuditStatements.guarantee(report.privacy).htmlEscaped)</p>"
        for caveat in AuditStatements.caveats(report.privacy) {
            html += "<p class=\"\(caveat.hasPrefix("Warning") ? "caveat warn-text" : "caveat")\">\(caveat.htmlEscaped)</p>"
        }
        return html + "</section>"
    }

    // MARK: Privacy

    private static func privacySection(_ privacy: PrivacySummary) -> String {
        var html = "<section><h2>Privacy spent</h2>"
        guard let guarantee = privacy.guarantee else {
            return html + "<p>No differentially private training took place, so no privacy was accounted: ε = ∞.</p></section>"
        }
        let rows: [(String, String)] = [
            ("ε (whole release)", formatNumber(guarantee.epsilon, significantDigits: 4)),
            ("δ", formatScientific(guarantee.delta)),
            ("Accountant", guarantee.accountant),
            ("Sampling probability q", formatNumber(guarantee.samplingProbability)),
            ("Noise multiplier σ", formatNumber(guarantee.noiseMultiplier)),
            ("Clipping norm C", formatNumber(guarantee.clippingNorm)),
            ("Training steps", String(guarantee.steps)),
            ("Schema ε", formatNumber(guarantee.schemaEpsilon, significantDigits: 3)),
            ("Schema bounds", schemaBoundsText(privacy.schemaBounds)),
            ("Cryptographically secure noise", privacy.secureRandomness ? "yes" : "no (seeded generator)"),
        ]
        html += "<div class=\"two\"><table class=\"facts-table\">"
        for (name, value) in rows { html += "<tr><th>\(name.htmlEscaped)</th><td>\(value.htmlEscaped)</td></tr>" }
        if let mechanisms = guarantee.mechanisms, !mechanisms.isEmpty {
            html += "<tr><th>Mechanisms composed into ε</th><td><ul>"
            for mechanism in mechanisms { html += "<li>\(mechanism.htmlEscaped)</li>" }
            html += "</ul></td></tr>"
        }
        html += "</table>"
        if privacy.epsilonBySteps.count >= 2 {
            html += "<figure>\(SVGCharts.epsilonCurve(privacy.epsilonBySteps))<figcaption>ε spent as training proceeds (from the accountant, at δ = \(formatScientific(guarantee.delta))).</figcaption></figure>"
        }
        return html + "</div></section>"
    }

    private static func schemaBoundsText(_ source: SchemaBoundsSource) -> String {
        switch source {
        case .declaredPublic: return "declared public"
        case .acceptedDataBounds: return "read from the data (not covered)"
        case .paidFor: return "paid from the budget"
        }
    }

    // MARK: Utility

    private static func utilitySection(_ report: AuditReport) -> String {
        let utility = report.utility
        var html = "<section><h2>Statistical fidelity</h2>"
        html += "<p class=\"scores\">Quality <b>\(percentOrDash(utility.quality))</b> = mean of column shapes <b>\(percentOrDash(utility.columnShapes))</b> and column pair trends <b>\(percentOrDash(utility.columnPairTrends))</b> (all pairs: \(percentOrDash(utility.columnPairTrendsAllPairs)); \(utility.pairs.filter(\.meetsThreshold).count) of \(utility.pairs.count) pairs related in the real data).</p>"
        html += "<p class=\"explain\">\(AuditStatements.columnShapes.htmlEscaped)</p>"
        html += "<table class=\"data\"><thead><tr><th>Column</th><th>Kind</th><th>Metric</th><th>Score</th><th></th><th>Missing real</th><th>Missing synthetic</th></tr></thead><tbody>"
        for column in utility.columns {
            let score = column.score.map { String(format: "%.3f", $0) } ?? "—"
            let bar = column.score.map { "<span class=\"bar\"><span style=\"width:\(SVGCharts.f(Swift.max(0, $0) * 100))%\"></span></span>" } ?? ""
            html += "<tr><td>\(column.name.htmlEscaped)</td><td>\(column.kind.htmlEscaped)</td><td>\(column.metric.rawValue)</td><td class=\"num\">\(score)</td><td>\(bar)</td><td class=\"num\">\(percent(column.realNullRate))</td><td class=\"num\(column.nullRateDifference > 0.05 ? " flag" : "")\">\(percent(column.syntheticNullRate))</td></tr>"
        }
        html += "</tbody></table><p class=\"explain\">Missing-value shares that differ from the real data's by more than 5 percentage points are marked in red.</p>"
        html += "<h3>Distributions, real <span class=\"key real\"></span> vs synthetic <span class=\"key synthetic\"></span></h3><div class=\"grid\">"
        for column in utility.columns {
            let distribution = column.distribution
            let score = column.score.map { String(format: "%.2f", $0) } ?? "—"
            html += "<figure class=\"small\"><figcaption><b>\(column.name.htmlEscaped)</b> · \(column.metric.rawValue) \(score)</figcaption>\(SVGCharts.pairedBars(labels: distribution.labels, real: distribution.realShares, synthetic: distribution.syntheticShares))</figure>"
        }
        html += "</div><h3>Column pair trends</h3><p class=\"explain\">\(AuditStatements.pairTrends.htmlEscaped) The map shows 1 − score per pair: 0 (white) = the relationship is kept, 0.5 or more (dark red) = lost; grey = no score.</p>"
        html += "<figure>\(SVGCharts.pairHeatMap(columns: utility.columns.map(\.name), pairs: utility.pairs))</figure>"
        return html + "</section>"
    }

    // MARK: TSTR

    private static func tstrSection(_ tstr: TSTRSection, report: AuditReport) -> String {
        var html = "<section><h2>Prediction utility: '\(tstr.label.htmlEscaped)'</h2><p class=\"explain\">\(AuditStatements.tstr.htmlEscaped) Task: \(tstr.task.htmlEscaped); \(tstr.features.count) features; tested on \(tstr.testRows) real holdout rows.</p>"
        html += "<table class=\"data\"><thead><tr><th>Model</th><th>Metric</th><th>Trained on real (TRTR)</th><th>Trained on synthetic (TSTR)</th><th>Gap</th></tr></thead><tbody>"
        for comparison in tstr.models {
            let metrics: [(String, (PredictionScores) -> Double?)] = [
                ("ROC AUC", { $0.rocAUC }), ("accuracy", { $0.accuracy }), ("balanced accuracy", { $0.balancedAccuracy }),
                ("macro-F1", { $0.macroF1 }), ("R²", { $0.rSquared }),
            ]
            for (name, pick) in metrics {
                guard let real = pick(comparison.trainOnReal) else { continue }
                let synthetic = pick(comparison.trainOnSynthetic)
                let gap = synthetic.map { String(format: "%+.3f", $0 - real) } ?? "—"
                let note = comparison.trainOnSynthetic.note.map { " (\($0))" } ?? ""
                html += "<tr><td>\(comparison.model.displayName(task: tstr.task))</td><td>\(name)</td><td class=\"num\">\(String(format: "%.3f", real))</td><td class=\"num\">\(synthetic.map { String(format: "%.3f", $0) } ?? "—")\(note.htmlEscaped)</td><td class=\"num\">\(gap)</td></tr>"
            }
        }
        let sample = tstr.trainingRowLimit.map { " Each learner trained on a seeded sample of \($0) rows of each side that has more." } ?? ""
        html += "</tbody></table><p class=\"explain\">Random forest: \(tstr.randomForestTrees) trees, seed \(tstr.seed).\(sample) With a small test set, differences of a few hundredths of AUC are within noise.</p>"
        for warning in tstr.leakWarnings { html += "<p class=\"caveat warn-text\">\(warning.htmlEscaped)</p>" }
        return html + "</section>"
    }

    // MARK: Risk

    private static func riskSection(_ risk: RiskSection) -> String {
        var html = "<section><h2>Disclosure risk checks</h2><table class=\"data\"><thead><tr><th>Check</th><th>Synthetic</th><th>Baseline: real holdout</th></tr></thead><tbody>"
        html += "<tr><td>Rows equal to a training row</td><td class=\"num\">\(percent(risk.exactMatchShare))</td><td class=\"num\">\(risk.exactMatchShareHoldout.map { percent($0) } ?? "—")</td></tr>"
        if let duplicates = risk.trainingDuplicateShare {
            html += "<tr><td>Training rows equal to another training row (a baseline without holdout)</td><td class=\"num\">—</td><td class=\"num\">\(percent(duplicates))</td></tr>"
        }
        let holdout = risk.dcrHoldoutToTrain
        html += "<tr><td>Distance to closest training row, median</td><td class=\"num\">\(formatNumber(risk.dcrSyntheticToTrain.median, significantDigits: 3))</td><td class=\"num\">\(holdout.map { formatNumber($0.median, significantDigits: 3) } ?? "—")</td></tr>"
        html += "<tr><td>Distance to closest training row, 5th percentile</td><td class=\"num\">\(formatNumber(risk.dcrSyntheticToTrain.percentile5, significantDigits: 3))</td><td class=\"num\">\(holdout.map { formatNumber($0.percentile5, significantDigits: 3) } ?? "—")</td></tr>"
        html += "<tr><td>Median distance ratio (synthetic / holdout)</td><td class=\"num\">\(risk.dcrRatio.map { String(format: "%.2f", $0) } ?? "—")</td><td class=\"num\">1 = as close as unseen people</td></tr>"
        html += "<tr><td>Membership-inference attack AUC</td><td class=\"num\">\(risk.membershipInferenceAUC.map { String(format: "%.3f", $0) } ?? "—")</td><td class=\"num\">0.5 = chance</td></tr>"
        html += "</tbody></table><ul class=\"explain\">"
        for text in [AuditStatements.exactMatch, AuditStatements.distance, AuditStatements.membership] {
            html += "<li>\(text.htmlEscaped)</li>"
        }
        let sample = risk.distanceQueryRowLimit.map { " Distances are measured from a seeded sample of \($0) rows of each table that has more, to every row of the other: the shares and summaries are estimates." } ?? ""
        return html + "</ul><p class=\"explain\">Distance: \(risk.distance.htmlEscaped).\(sample)</p></section>"
    }

    private static let style = """
    :root{--ink:#1f2933;--muted:#52606d;--line:#d9e2ec;--real:\(SVGCharts.realColour);--syn:\(SVGCharts.syntheticColour)}
    body{margin:0;font:15px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#f7f9fb}
    main{max-width:1100px;margin:0 auto;padding:24px 28px;background:#fff}
    h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:32px}h3{font-size:16px;margin:20px 0 8px}
    .facts{color:var(--muted);margin:0}
    .tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px;margin:12px 0}
    .tile{border:1px solid var(--line);border-left:6px solid #9fb3c8;border-radius:6px;padding:10px 14px}
    .tile.good{border-left-color:#2f9e44}.tile.warn{border-left-color:#f08c00}.tile.bad{border-left-color:#c92a2a}
    .tile-title{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
    .tile-value{font-size:28px;font-weight:600}.tile-detail{font-size:13px;color:var(--muted)}
    .statement{background:#f0f4f8;border-radius:6px;padding:12px 16px}
    .caveat{margin:6px 0}.warn-text{color:#a61e4d;font-weight:600}
    .explain{color:var(--muted);font-size:14px}.scores{font-size:16px}
    table{border-collapse:collapse;margin:8px 0}th,td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
    td.num{text-align:right;font-variant-numeric:tabular-nums}td.flag{color:#a61e4d;font-weight:600}
    table.data thead th{background:#f0f4f8}.facts-table th{font-weight:500;color:var(--muted)}
    .bar{display:inline-block;width:120px;height:10px;background:#edf2f7;border-radius:3px}.bar span{display:block;height:10px;background:var(--real);border-radius:3px}
    .two{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
    .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:10px}
    figure{margin:0}figure.small{border:1px solid var(--line);border-radius:6px;padding:6px}figcaption{font-size:13px;color:var(--muted)}
    .key{display:inline-block;width:12px;height:12px;vertical-align:middle}.key.real{background:var(--real)}.key.synthetic{background:var(--syn)}
    svg.chart{max-width:100%;height:auto}svg .grid{stroke:#e4e7eb;stroke-width:1}svg .tick{font-size:9px;fill:#52606d}svg .axis{font-size:11px;fill:#52606d}
    svg .cell{font-size:9px;fill:#1f2933}svg .cell.light{fill:#fff}svg .na{fill:#e4e7eb}
    footer{margin-top:32px;border-top:1px solid var(--line);color:var(--muted);font-size:13px}
    @media print{body{background:#fff;font-size:11pt}main{max-width:none;padding:0}section,figure,table,.tile{break-inside:avoid}h2{break-after:avoid}.grid{grid-template-columns:repeat(3,1fr)}}
    """
}
