#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A numeric column's transform, resolved to the numbers it needs, mapping a value already
/// clipped to the bounds to a scaled number (and back).
enum NumericScaler: Equatable, Sendable {
    /// 2 (x − min) / (max − min) − 1.
    case minMax(min: Double, max: Double)
    /// (x − mean) / standardDeviation.
    case standardize(mean: Double, standardDeviation: Double)
    /// 2 log(1 + x − min) / log(1 + max − min) − 1.
    case log(min: Double, max: Double)
    /// One of k Gaussian modes, and α = (x − μₖ) / (4σₖ) ∈ [−1, 1] (CTGAN, Xu et al. 2019 §4.2).
    /// `logWeights` holds log wₖ − log σₖ.
    case modeSpecific(means: [Double], standardDeviations: [Double], logWeights: [Double])

    init(column: ColumnSchema, bounds: Bounds) {
        let transform = column.effectiveTransform
        switch transform.method {
        case .minMax:
            self = .minMax(min: bounds.min, max: bounds.max)
        case .log:
            self = .log(min: bounds.min, max: bounds.max)
        case .standardize:
            let parameters = transform.parameters
            self = .standardize(mean: parameters?.means.first ?? 0.5 * (bounds.min + bounds.max),
                                standardDeviation: parameters?.standardDeviations.first ?? 1)
        case .modeSpecific:
            let parameters = transform.parameters
                ?? ModeSpecificNormalization.evenlySpaced(bounds: bounds, modes: transform.modes ?? 1)
            let total = parameters.weights.reduce(0, +)
            // log wₖ − log σₖ, the part of each mode's log density that does not depend on x.
            self = .modeSpecific(means: parameters.means, standardDeviations: parameters.standardDeviations,
                                 logWeights: zip(parameters.weights, parameters.standardDeviations).map { weight, deviation in
                                     naturalLogarithm(max(weight / max(total, .leastNormalMagnitude), 1e-300)) - naturalLogarithm(deviation)
                                 })
        }
    }

    /// The range of the scaled value, for `SpanKind.scaledValue`.
    func scaledRange(bounds: Bounds) -> (Float, Float) {
        switch self {
        case .minMax, .log: return (-1, 1)
        case .standardize(let mean, let deviation):
            return (Float((bounds.min - mean) / deviation), Float((bounds.max - mean) / deviation))
        case .modeSpecific: return (-1, 1)
        }
    }

    /// The scaled value of `x` (clipped to the bounds).
    @inline(__always)
    func scaled(_ x: Double) -> Double {
        switch self {
        case .minMax(let low, let high):
            return high > low ? 2 * (x - low) / (high - low) - 1 : 0
        case .standardize(let mean, let deviation):
            return (x - mean) / deviation
        case .log(let low, let high):
            return 2 * log1p(x - low) / log1p(high - low) - 1
        case .modeSpecific:
            return 0
        }
    }

    /// The inverse of `scaled`.
    @inline(__always)
    func unscaled(_ y: Double) -> Double {
        switch self {
        case .minMax(let low, let high):
            return high > low ? low + (y + 1) * 0.5 * (high - low) : low
        case .standardize(let mean, let deviation):
            return mean + y * deviation
        case .log(let low, let high):
            return low + expm1((y + 1) * 0.5 * log1p(high - low))
        case .modeSpecific:
            return y
        }
    }

    /// The most probable mode of `x` and its α (unclipped), for `modeSpecific`.
    @inline(__always)
    static func mode(of x: Double, means: [Double], standardDeviations: [Double], logWeights: [Double]) -> (Int, Double) {
        var best = 0
        var bestScore = -Double.infinity
        for k in means.indices {
            let z = (x - means[k]) / standardDeviations[k]
            let score = logWeights[k] - 0.5 * z * z
            if score > bestScore { bestScore = score; best = k }
        }
        return (best, (x - means[best]) / (4 * standardDeviations[best]))
    }
}

/// The natural logarithm, named apart from `NumericScaler.log`.
@inline(__always)
func naturalLogarithm(_ x: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.log(x)
    #else
    return Darwin.log(x)
    #endif
}
