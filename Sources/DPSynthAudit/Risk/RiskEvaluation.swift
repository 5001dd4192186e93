/// Computes the privacy-risk section from the training, holdout and synthetic tables.
public enum RiskEvaluation {
    static let distanceDescription = "SDMetrics DCR: mean over columns of |a−b|/range (range of the reference table, capped at 1) for numbers, 0/1 for categories, missing = missing"

    /// - Parameters:
    ///   - train: the real rows the generator was trained on.
    ///   - holdout: real rows it never saw (nil: holdout-based numbers are left out).
    ///   - synthetic: the released rows.
    ///   - maximumQueryRows: each distance computation measures from at most this many rows
    ///     of a table (a seeded sample), to every row of the other: the cost is query rows ×
    ///     reference rows, and a million-row release against a million-row table would take
    ///     hours. The exact-match shares and distance summaries are then estimates.
    public static func evaluate(train: AuditTable, holdout: AuditTable?, synthetic: AuditTable,
                                maximumQueryRows: Int = defaultMaximumQueryRows, seed: UInt64 = 0) -> RiskSection {
        let names = train.columns.map(\.name)
        let syntheticQueries = synthetic.sampled(atMost: maximumQueryRows, seed: seed)
        let holdoutQueries = holdout?.sampled(atMost: maximumQueryRows, seed: seed &+ 1)
        let memberQueries = train.sampled(atMost: maximumQueryRows, seed: seed &+ 2)
        let sampled = [synthetic, train].contains { $0.rowCount > maximumQueryRows } || (holdout?.rowCount ?? 0) > maximumQueryRows
        let toTrain = DistanceToClosestRecord(reference: train, columns: names)
        let syntheticDistances = toTrain.distances(from: syntheticQueries)
        let holdoutDistances = holdoutQueries.map { toTrain.distances(from: $0) }
        var membershipAUC: Double?
        if let holdoutQueries {
            // Members and non-members, scored by closeness to the released rows.
            let toSynthetic = DistanceToClosestRecord(reference: synthetic, columns: names)
            let memberScores = toSynthetic.distances(from: memberQueries).map { -$0 }
            let nonMemberScores = toSynthetic.distances(from: holdoutQueries).map { -$0 }
            membershipAUC = PredictionMetrics.rocAUC(
                scores: memberScores + nonMemberScores,
                positives: Array(repeating: true, count: memberScores.count)
                    + Array(repeating: false, count: nonMemberScores.count))
        }
        let syntheticSummary = summary(syntheticDistances)
        let holdoutSummary = holdoutDistances.map(summary)
        var ratio: Double?
        if let holdoutSummary = holdoutSummary, holdoutSummary.median > 0 {
            ratio = syntheticSummary.median / holdoutSummary.median
        }
        return RiskSection(
            exactMatchShare: share(ofZeros: syntheticDistances),
            exactMatchShareHoldout: holdoutDistances.map(share(ofZeros:)),
            trainingDuplicateShare: duplicateShare(train),
            dcrSyntheticToTrain: syntheticSummary, dcrHoldoutToTrain: holdoutSummary, dcrRatio: ratio,
            membershipInferenceAUC: membershipAUC, trainingRows: train.rowCount,
            holdoutRows: holdout?.rowCount, syntheticRows: synthetic.rowCount,
            distance: distanceDescription, distanceQueryRowLimit: sampled ? maximumQueryRows : nil)
    }

    /// Query rows per distance computation: every table of the bundled data sets fits whole
    /// (adult: 26,049 training rows); a million-row table takes minutes, not hours.
    public static let defaultMaximumQueryRows = 30_000

    /// Share of rows whose whole record (every column; missing equal to missing) equals another
    /// row's: the leave-one-out analogue of the holdout's exact-match share, so a table with
    /// few, coarse columns gets a baseline for its exact matches even without a holdout.
    static func duplicateShare(_ table: AuditTable) -> Double {
        guard table.rowCount > 0 else { return 0 }
        var keys = [[UInt64]](repeating: [], count: table.rowCount)
        for column in table.columns {
            switch column.values {
            case .numeric(let values, _):
                for (row, value) in values.enumerated() { keys[row].append(value.map { ($0 == 0 ? 0 : $0).bitPattern } ?? .max) }
            case .categorical(let values, _):
                var codes: [String: UInt64] = [:]
                for (row, value) in values.enumerated() {
                    keys[row].append(value.map { text in
                        if let code = codes[text] { return code }
                        codes[text] = UInt64(codes.count)
                        return UInt64(codes.count - 1)
                    } ?? .max)
                }
            }
        }
        var counts: [[UInt64]: Int] = [:]
        for key in keys { counts[key, default: 0] += 1 }
        let duplicated = keys.reduce(0) { $0 + ((counts[$1] ?? 0) > 1 ? 1 : 0) }
        return Double(duplicated) / Double(table.rowCount)
    }

    static func share(ofZeros distances: [Double]) -> Double {
        distances.isEmpty ? 0 : Double(distances.filter { $0 == 0 }.count) / Double(distances.count)
    }

    static func summary(_ distances: [Double]) -> DistanceSummary {
        let sorted = distances.sorted()
        return DistanceSummary(median: percentile(sorted, 50), percentile5: percentile(sorted, 5), count: sorted.count)
    }

    /// numpy's default percentile: linear interpolation between the closest ranks.
    static func percentile(_ sorted: [Double], _ percent: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = percent / 100 * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
