#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The per-column similarity metric, named as SDMetrics names it.
public enum ColumnShapeMetric: String, Codable, Sendable {
    /// 1 − the two-sample Kolmogorov–Smirnov statistic (numeric and datetime columns).
    case ksComplement = "KSComplement"
    /// 1 − the total variation distance between category frequencies (categorical columns).
    case tvComplement = "TVComplement"
}

/// SDMetrics' single-column shape metrics, reproduced to the last rounding step so that our
/// scores can be compared with theirs at 1e-9.
///
/// Source: sdmetrics 0.32 `single_column/statistical/kscomplement.py`, `tv_complement.py`
/// and `utils.get_frequencies`.
public enum ColumnShapes {
    /// SDMetrics rounds both samples to `sys.float_info.dig − 1` = 14 decimals before the KS
    /// test, so that values equal up to float noise count as ties.
    static let ksDecimals = 14.0

    /// KSComplement = 1 − D with missing values dropped; nil when either side has no values
    /// (SDMetrics returns NaN, and the quality report leaves the column out of the mean).
    public static func ksComplement(real: [Double?], synthetic: [Double?]) -> Double? {
        let scale = pow(10.0, ksDecimals)
        // numpy.round: rint(x · 10^d) / 10^d.
        func rounded(_ values: [Double?]) -> [Double] {
            values.compactMap { $0 }.map { ($0 * scale).rounded(.toNearestOrEven) / scale }
        }
        guard let statistic = kolmogorovSmirnovStatistic(rounded(real), rounded(synthetic)) else {
            return nil
        }
        return 1 - statistic
    }

    /// TVComplement = 1 − ½ Σ_c |f_synthetic(c) − f_real(c)| with missing values dropped.
    ///
    /// A category seen only in the synthetic data gets a pseudo-count of 1e-6 on the real side
    /// (SDMetrics' regularisation), so it contributes ≈ its synthetic share to the distance.
    /// Nil when either side has no values (SDMetrics raises `IncomputableMetricError`).
    public static func tvComplement(real: [String?], synthetic: [String?]) -> Double? {
        let realCounts = frequencies(real.compactMap { $0 })
        let syntheticCounts = frequencies(synthetic.compactMap { $0 })
        guard !realCounts.order.isEmpty, !syntheticCounts.order.isEmpty else { return nil }
        var realCount = realCounts.counts
        var categories = realCounts.order
        for category in syntheticCounts.order where realCount[category] == nil {
            realCount[category] = 1e-6
            categories.append(category)
        }
        let realTotal = categories.reduce(0.0) { $0 + realCount[$1, default: 0] }
        let syntheticTotal = syntheticCounts.order.reduce(0.0) { $0 + syntheticCounts.counts[$1, default: 0] }
        var totalVariation = 0.0
        for category in categories {
            let observed = syntheticCounts.counts[category, default: 0] / syntheticTotal
            let expected = realCount[category, default: 0] / realTotal
            totalVariation += Swift.abs(observed - expected)
        }
        return 1 - 0.5 * totalVariation
    }

    /// The metric SDMetrics' column-shapes property applies to a column of this kind.
    public static func metric(for values: ColumnValues) -> ColumnShapeMetric {
        values.isNumeric ? .ksComplement : .tvComplement
    }

    /// The score of `metric` on one column pair; nil when it cannot be computed.
    static func score(real: ColumnValues, synthetic: ColumnValues) -> Double? {
        real.paired(with: synthetic, numeric: { ksComplement(real: $0, synthetic: $1) },
                    categorical: { tvComplement(real: $0, synthetic: $1) }) ?? nil
    }
}

/// Counts of each distinct value, in order of first appearance (Python's `Counter` order).
func frequencies<Value: Hashable>(_ values: [Value]) -> (order: [Value], counts: [Value: Double]) {
    var order: [Value] = []
    var counts: [Value: Double] = [:]
    for value in values {
        if let count = counts[value] {
            counts[value] = count + 1
        } else {
            counts[value] = 1
            order.append(value)
        }
    }
    return (order, counts)
}
