import DPSynthRandom
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The q-quantile of values in a public range, ε-differentially private, by the exponential
/// mechanism over the gaps between sorted values (Smith 2011, "Privacy-preserving statistical
/// estimation with optimal convergence rates", §3; the form used by Google's DP library and
/// SmartNoise).
///
/// With the values clipped to [low, high] and sorted, z₀ = low ≤ z₁ ≤ … ≤ zₙ ≤ zₙ₊₁ = high, the
/// gap k = [zₖ, zₖ₊₁] has k values below it and utility u(k) = −|k − q n|. Adding or removing
/// one value changes every u(k) by at most 1, so choosing gap k with probability
/// ∝ (zₖ₊₁ − zₖ) exp(ε u(k) / 2) and then a uniform point inside it is ε-DP. The public range
/// must not depend on the data; the accuracy degrades only logarithmically with its width.
public enum PrivateQuantile {
    /// - Parameters:
    ///   - values: the private values; NaN (missing) are ignored, as the count of missing
    ///     values is not what is being released. Values outside the range are clipped into it.
    ///   - quantile: q in [0, 1].
    ///   - range: the public range searched.
    ///   - epsilon: the privacy cost, > 0.
    public static func quantile(of values: [Double], quantile: Double, in range: ClosedRange<Double>,
                                epsilon: Double, random: RandomSource) -> Double {
        precondition(epsilon > 0 && (0...1).contains(quantile), "epsilon must be > 0 and the quantile in [0, 1]")
        let sorted = values.filter { !$0.isNaN }.map { min(max($0, range.lowerBound), range.upperBound) }.sorted()
        let n = sorted.count
        let target = quantile * Double(n)
        // Gumbel-max sampling of the gap: argmax of log weight + Gumbel noise equals a draw
        // proportional to the weights, without overflowing exp for large n ε.
        var bestGap = -1
        var bestScore = -Double.infinity
        for gap in 0...n {
            let left = gap == 0 ? range.lowerBound : sorted[gap - 1]
            let right = gap == n ? range.upperBound : sorted[gap]
            let width = right - left
            guard width > 0 else { continue }
            let logWeight = log(width) - epsilon * abs(Double(gap) - target) / 2
            let gumbel = -log(-log(random.nextOpenUnitDouble()))
            if logWeight + gumbel > bestScore {
                bestScore = logWeight + gumbel
                bestGap = gap
            }
        }
        guard bestGap >= 0 else { return range.lowerBound }  // every value equal to both ends
        let left = bestGap == 0 ? range.lowerBound : sorted[bestGap - 1]
        let right = bestGap == n ? range.upperBound : sorted[bestGap]
        return left + random.nextUnitDouble() * (right - left)
    }
}
