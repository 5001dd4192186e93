import DPSynthRandom
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Noisy counts for category lists and histograms.
///
/// Under add/remove-one neighbouring (the relation DP-SGD's Poisson sampling uses), one row
/// adds 1 to exactly one count of a partition, so the counts have L1 sensitivity 1 and adding
/// Laplace(1/ε) to each is ε-DP (Dwork, McSherry, Nissim & Smith 2006).
public enum PrivateCounts {
    /// Each count plus Laplace(1/ε) noise.
    public static func laplace(_ counts: [Double], epsilon: Double, random: RandomSource) -> [Double] {
        precondition(epsilon > 0, "epsilon must be > 0")
        return counts.map { $0 + random.nextLaplace(scale: 1 / epsilon) }
    }

    /// The labels whose noisy count reaches the threshold, in the order given.
    ///
    /// When `labelsArePublic` (`labels` is every label the column could take, known without
    /// the data, zero counts included) this is ε-DP for any threshold; the threshold
    /// 1 + ln 2 / ε drops labels that only a single row would be likely to hold. Otherwise
    /// `labels` are the ones seen in the data, and the threshold τ = 1 + ln(1 / (2δ)) / ε makes
    /// the selection (ε, δ)-DP: a label held by one row survives with probability at most δ
    /// (Korolova, Kenthapadi, Mishra & Ntoulas 2009; Gopi et al. 2020, "Differentially private
    /// set union", §3). Labels below the threshold are dropped: their rows later read as missing.
    ///
    /// - Returns: the kept labels and the threshold used.
    public static func selectCategories(labels: [String], counts: [Int], labelsArePublic: Bool, epsilon: Double,
                                        delta: Double, random: RandomSource) -> (labels: [String], threshold: Double) {
        precondition(epsilon > 0 && labels.count == counts.count, "epsilon must be > 0, one count per label")
        let threshold: Double
        if labelsArePublic {
            threshold = 1 + log(2.0) / epsilon
        } else {
            precondition(delta > 0 && delta < 1, "selection from the data's own labels needs 0 < delta < 1")
            threshold = 1 + log(1 / (2 * delta)) / epsilon
        }
        let kept = labels.indices.filter { Double(counts[$0]) + random.nextLaplace(scale: 1 / epsilon) >= threshold }
        return (kept.map { labels[$0] }, threshold)
    }
}
