import Foundation

/// Real-vs-synthetic shares of one column for the report's per-column charts.
///
/// Numeric columns: 20 equal bins over the real column's range (synthetic values outside it
/// go to the end bins, so nothing is silently dropped). Categorical columns: the 12 most
/// frequent real categories, then "other". Missing values are a bar of their own when present.
enum ColumnDistributionBuilder {
    static let numericBinCount = 20
    static let categoryLimit = 12
    static let missingLabel = "(missing)"

    static func distribution(real: ColumnValues, synthetic: ColumnValues) -> ColumnDistribution {
        real.paired(with: synthetic, numeric: { numeric(real: $0, synthetic: $1) },
                    categorical: { categorical(real: $0, synthetic: $1) }) ?? empty
    }

    static let empty = ColumnDistribution(labels: [], realShares: [], syntheticShares: [])

    private static func numeric(real: [Double?], synthetic: [Double?]) -> ColumnDistribution {
        let present = real.compactMap { $0 }
        guard let lower = present.min(), let upper = present.max() else { return empty }
        let binCount = lower == upper ? 1 : numericBinCount
        let width = (upper - lower) / Double(binCount)
        func shares(_ values: [Double?]) -> [Double] {
            var counts = [Double](repeating: 0, count: binCount + 1)
            for value in values {
                guard let value = value else { counts[binCount] += 1; continue }
                let bin = width > 0 ? Int(((value - lower) / width).rounded(.down)) : 0
                counts[Swift.max(0, Swift.min(binCount - 1, bin))] += 1
            }
            let total = Double(Swift.max(values.count, 1))
            return counts.map { $0 / total }
        }
        var labels = (0..<binCount).map { formatNumber(lower + Double($0) * width) }
        labels.append(missingLabel)
        var realShares = shares(real)
        var syntheticShares = shares(synthetic)
        if realShares[binCount] == 0 && syntheticShares[binCount] == 0 {
            labels.removeLast()
            realShares.removeLast()
            syntheticShares.removeLast()
        }
        return ColumnDistribution(labels: labels, realShares: realShares, syntheticShares: syntheticShares)
    }

    private static func categorical(real: [String?], synthetic: [String?]) -> ColumnDistribution {
        let keyed = { (values: [String?]) in values.map { $0 ?? missingLabel } }
        let realCounts = frequencies(keyed(real))
        let syntheticCounts = frequencies(keyed(synthetic))
        let ranked = realCounts.order.enumerated().sorted {
            let left = realCounts.counts[$0.element, default: 0]
            let right = realCounts.counts[$1.element, default: 0]
            return left != right ? left > right : $0.offset < $1.offset
        }.map(\.element)
        // The most frequent real categories, then missing values as a bar of their own when
        // either side has any, then everything else as "other".
        var labels = Array(ranked.filter { $0 != missingLabel }.prefix(categoryLimit))
        if realCounts.counts[missingLabel] != nil || syntheticCounts.counts[missingLabel] != nil {
            labels.append(missingLabel)
        }
        let shown = Set(labels)
        let hasOther = realCounts.order.contains { !shown.contains($0) }
            || syntheticCounts.order.contains { !shown.contains($0) }
        func shares(_ counts: (order: [String], counts: [String: Double]), total: Int) -> [Double] {
            let denominator = Double(Swift.max(total, 1))
            var result = labels.map { counts.counts[$0, default: 0] / denominator }
            if hasOther {
                let other = counts.order.filter { !shown.contains($0) }
                    .reduce(0.0) { $0 + counts.counts[$1, default: 0] }
                result.append(other / denominator)
            }
            return result
        }
        let realShares = shares(realCounts, total: real.count)
        let syntheticShares = shares(syntheticCounts, total: synthetic.count)
        if hasOther { labels.append("other") }
        return ColumnDistribution(labels: labels, realShares: realShares, syntheticShares: syntheticShares)
    }
}

/// A number written briefly for labels and text: up to 4 significant digits, no trailing zeros.
func formatNumber(_ value: Double, significantDigits: Int = 4) -> String {
    guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "∞" : "−∞") }
    if value == value.rounded() && Swift.abs(value) < 1e15 { return String(Int64(value)) }
    var text = String(format: "%.\(significantDigits)g", value)
    if text.contains("."), !text.contains("e") {
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
    }
    return text
}
