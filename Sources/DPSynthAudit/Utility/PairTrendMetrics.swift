/// The pair metric, named as SDMetrics names it.
public enum PairTrendMetric: String, Codable, Sendable {
    /// 1 − |ρ_real − ρ_synthetic| / 2 with Pearson's ρ (two numeric columns).
    case correlationSimilarity = "CorrelationSimilarity"
    /// 1 − ½ Σ |p_real(a, b) − p_synthetic(a, b)| over the joint table (any other pair).
    case contingencySimilarity = "ContingencySimilarity"
}

/// SDMetrics' column-pair metrics as its QualityReport applies them.
///
/// Source: sdmetrics 0.32 `column_pairs/statistical/correlation_similarity.py`,
/// `contingency_similarity.py` and `reports/single_table/_properties/column_pair_trends.py`.
public enum PairTrends {
    /// Pearson's correlation over the rows where both values are present, computed as
    /// `scipy.stats.pearsonr` does (centre, normalise, dot). Nil with fewer than two rows or a
    /// constant column (SDMetrics then gives the pair no score).
    public static func pearsonCorrelation(_ x: [Double?], _ y: [Double?]) -> Double? {
        var first: [Double] = []
        var second: [Double] = []
        for (a, b) in zip(x, y) {
            if let a = a, let b = b {
                first.append(a)
                second.append(b)
            }
        }
        guard first.count >= 2 else { return nil }
        let count = Double(first.count)
        let firstMean = first.reduce(0, +) / count
        let secondMean = second.reduce(0, +) / count
        var firstNorm = 0.0
        var secondNorm = 0.0
        for index in first.indices {
            first[index] -= firstMean
            second[index] -= secondMean
            firstNorm += first[index] * first[index]
            secondNorm += second[index] * second[index]
        }
        firstNorm = firstNorm.squareRoot()
        secondNorm = secondNorm.squareRoot()
        guard firstNorm > 0, secondNorm > 0 else { return nil }
        var dot = 0.0
        for index in first.indices {
            dot += (first[index] / firstNorm) * (second[index] / secondNorm)
        }
        return Swift.max(-1, Swift.min(1, dot))
    }

    /// CorrelationSimilarity = 1 − |ρ_real − ρ_synthetic| / 2; nil when either ρ is undefined.
    public static func correlationSimilarity(real: (x: [Double?], y: [Double?]),
                                             synthetic: (x: [Double?], y: [Double?])) -> Double? {
        guard let realCorrelation = pearsonCorrelation(real.x, real.y),
              let syntheticCorrelation = pearsonCorrelation(synthetic.x, synthetic.y) else { return nil }
        return 1 - Swift.abs(realCorrelation - syntheticCorrelation) / 2
    }

    /// ContingencySimilarity over two discrete code columns per table (a missing value is a
    /// level of its own, as `groupby(dropna=False)` makes it). Nil when a table has no rows.
    public static func contingencySimilarity(real: (x: [Int], y: [Int]),
                                             synthetic: (x: [Int], y: [Int])) -> Double? {
        guard !real.x.isEmpty, !synthetic.x.isEmpty else { return nil }
        func jointShares(_ x: [Int], _ y: [Int]) -> [Int64: Double] {
            var counts: [Int64: Double] = [:]
            for (a, b) in zip(x, y) {
                counts[jointKey(a, b), default: 0] += 1
            }
            let total = Double(x.count)
            return counts.mapValues { $0 / total }
        }
        let realShares = jointShares(real.x, real.y)
        let syntheticShares = jointShares(synthetic.x, synthetic.y)
        // Sum in key order: dictionary order varies between runs, and the last bit must not.
        var variation = 0.0
        for key in Set(realShares.keys).union(syntheticShares.keys).sorted() {
            variation += Swift.abs(realShares[key, default: 0] - syntheticShares[key, default: 0])
        }
        return 1 - variation / 2
    }

    /// Cramér's V of the real joint table, without continuity correction:
    /// V = √(χ² / n / (min(rows, columns) − 1)), as `scipy.stats.contingency.association`.
    /// Nil when the table has fewer than two levels on a side (SDMetrics then gives no score).
    public static func cramersV(_ x: [Int], _ y: [Int]) -> Double? {
        let xLevels = frequencies(x)
        let yLevels = frequencies(y)
        guard xLevels.order.count >= 2, yLevels.order.count >= 2 else { return nil }
        var joint: [Int64: Double] = [:]
        for (a, b) in zip(x, y) { joint[jointKey(a, b), default: 0] += 1 }
        let total = Double(x.count)
        var chiSquared = 0.0
        for a in xLevels.order {
            for b in yLevels.order {
                let expected = xLevels.counts[a, default: 0] * yLevels.counts[b, default: 0] / total
                let difference = joint[jointKey(a, b), default: 0] - expected
                chiSquared += difference * difference / expected
            }
        }
        let phiSquared = chiSquared / total
        return (phiSquared / Double(Swift.min(xLevels.order.count, yLevels.order.count) - 1)).squareRoot()
    }

    static func jointKey(_ a: Int, _ b: Int) -> Int64 {
        (Int64(a) << 32) ^ Int64(UInt32(truncatingIfNeeded: b))
    }

    /// Bin index of each value as the QualityReport discretises a numeric column for a
    /// contingency table: `numpy.histogram_bin_edges` (10 equal bins over the column's own
    /// minimum..maximum; ±0.5 around a constant) then `numpy.digitize`.
    ///
    /// Two SDMetrics quirks are kept on purpose so that scores agree: the real and the
    /// synthetic column are each binned over their own range, and the maximum value and a
    /// missing value both land in index 11 (`digitize` puts NaN past the last edge).
    public static func histogramBinCodes(_ values: [Double?], binCount: Int = 10) -> [Int] {
        let present = values.compactMap { $0 }
        let edges = histogramBinEdges(present, binCount: binCount)
        return values.map { value in
            guard let value = value else { return edges.count }
            // searchsorted(edges, value, side: right): the number of edges ≤ value.
            var low = 0
            var high = edges.count
            while low < high {
                let middle = (low + high) / 2
                if edges[middle] <= value { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// `numpy.histogram_bin_edges(values, bins: binCount)`: `linspace(min, max, binCount + 1)`,
    /// computed as numpy does (i · step + start, last edge set to the maximum).
    static func histogramBinEdges(_ values: [Double], binCount: Int) -> [Double] {
        var lower = values.min() ?? 0
        var upper = values.max() ?? 1
        if lower == upper {
            lower -= 0.5
            upper += 0.5
        }
        let step = (upper - lower) / Double(binCount)
        var edges = (0...binCount).map { Double($0) * step + lower }
        edges[binCount] = upper
        return edges
    }
}
