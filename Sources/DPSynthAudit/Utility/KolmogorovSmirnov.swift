/// The two-sample Kolmogorov–Smirnov statistic D = sup_x |F_a(x) − F_b(x)|, where F is the
/// empirical CDF (the share of values ≤ x).
///
/// The supremum is reached at a data point, so one merged walk over both sorted samples,
/// stepping past ties together, evaluates it exactly (as `scipy.stats.ks_2samp` does with
/// `searchsorted(side="right")`). Returns nil when either sample is empty.
public func kolmogorovSmirnovStatistic(_ a: [Double], _ b: [Double]) -> Double? {
    guard !a.isEmpty, !b.isEmpty else { return nil }
    let first = a.sorted()
    let second = b.sorted()
    let firstCount = Double(first.count)
    let secondCount = Double(second.count)
    var i = 0
    var j = 0
    var statistic = 0.0
    while i < first.count || j < second.count {
        // The smallest value not yet passed, then step both samples past all its copies.
        let value: Double
        if i < first.count && j < second.count {
            value = Swift.min(first[i], second[j])
        } else {
            value = i < first.count ? first[i] : second[j]
        }
        while i < first.count && first[i] <= value { i += 1 }
        while j < second.count && second[j] <= value { j += 1 }
        statistic = Swift.max(statistic, Swift.abs(Double(i) / firstCount - Double(j) / secondCount))
    }
    return statistic
}
