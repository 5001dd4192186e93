#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gaussian-mixture parameters for CTGAN's mode-specific normalisation.
///
/// CTGAN fits a variational Gaussian mixture to each raw column (Xu et al. 2019, §4.2): the
/// means and deviations it keeps are read off the private data. Here the mixture is fitted by
/// EM to a histogram over the column's bounds, so the data enter only through bin counts:
/// exact counts give `data` provenance; Laplace-noised counts (`SchemaPrivatizer`) make the
/// fit ε-DP by post-processing; no data at all gives evenly spaced modes.
public enum ModeSpecificNormalization {
    /// `modes` modes spread evenly over the bounds, each with deviation (bin width)/2 and equal
    /// weight. Costs nothing beyond the bounds, and inherits their provenance.
    public static func evenlySpaced(bounds: Bounds, modes: Int) -> MixtureParameters {
        let width = max(bounds.max - bounds.min, .leastNormalMagnitude)
        let step = width / Double(modes)
        return MixtureParameters(
            means: (0..<modes).map { bounds.min + (Double($0) + 0.5) * step },
            standardDeviations: Array(repeating: max(step / 2, width * 1e-6), count: modes),
            weights: Array(repeating: 1 / Double(modes), count: modes),
            provenance: bounds.provenance)
    }

    /// Fits `modes` modes by EM to a histogram of `binCount` equal bins over the bounds.
    ///
    /// - Parameter counts: one (possibly noisy) count per bin; negative counts are treated as 0.
    /// - Returns: parameters with the given provenance; deviations are floored at a quarter of
    ///   a bin so a mode never collapses onto one bin.
    public static func fit(histogram counts: [Double], bounds: Bounds, modes: Int,
                           provenance: Provenance, iterations: Int = 200) -> MixtureParameters {
        let binCount = counts.count
        let width = max(bounds.max - bounds.min, .leastNormalMagnitude)
        let binWidth = width / Double(binCount)
        let centres = (0..<binCount).map { bounds.min + (Double($0) + 0.5) * binWidth }
        let weightsOfBins = counts.map { max($0, 0) }
        let total = weightsOfBins.reduce(0, +)
        var parameters = evenlySpaced(bounds: bounds, modes: modes)
        parameters.provenance = provenance
        guard total > 0 else { return parameters }
        let floor = binWidth / 4
        var responsibilities = [Double](repeating: 0, count: modes)
        for _ in 0..<iterations {
            var mass = [Double](repeating: 0, count: modes)
            var sum = [Double](repeating: 0, count: modes)
            var sumOfSquares = [Double](repeating: 0, count: modes)
            for bin in 0..<binCount where weightsOfBins[bin] > 0 {
                let x = centres[bin]
                var largest = -Double.infinity
                for k in 0..<modes {
                    let z = (x - parameters.means[k]) / parameters.standardDeviations[k]
                    responsibilities[k] = naturalLogarithm(max(parameters.weights[k], 1e-300))
                        - naturalLogarithm(parameters.standardDeviations[k]) - 0.5 * z * z
                    largest = max(largest, responsibilities[k])
                }
                var normaliser = 0.0
                for k in 0..<modes {
                    responsibilities[k] = exp(responsibilities[k] - largest)
                    normaliser += responsibilities[k]
                }
                for k in 0..<modes {
                    let r = weightsOfBins[bin] * responsibilities[k] / normaliser
                    mass[k] += r
                    sum[k] += r * x
                    sumOfSquares[k] += r * x * x
                }
            }
            for k in 0..<modes where mass[k] > 1e-9 {
                let mean = sum[k] / mass[k]
                let variance = max(sumOfSquares[k] / mass[k] - mean * mean, 0) + binWidth * binWidth / 12
                parameters.means[k] = mean
                parameters.standardDeviations[k] = max(variance.squareRoot(), floor)
                parameters.weights[k] = mass[k] / total
            }
            for k in 0..<modes where mass[k] <= 1e-9 { parameters.weights[k] = 1e-6 }
        }
        return parameters
    }

    /// The histogram of a column's non-missing values over its bounds (values outside are
    /// counted in the edge bins, as the encoder would clip them).
    public static func histogram(of values: [Double], bounds: Bounds, binCount: Int) -> [Double] {
        var counts = [Double](repeating: 0, count: binCount)
        let width = bounds.max - bounds.min
        for value in values where !value.isNaN {
            let position = width > 0 ? (value - bounds.min) / width * Double(binCount) : 0
            let bin = min(max(Int(position.rounded(.down)), 0), binCount - 1)
            counts[bin] += 1
        }
        return counts
    }
}
