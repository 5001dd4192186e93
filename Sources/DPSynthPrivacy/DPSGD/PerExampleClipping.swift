import DPSynthEngine

/// The clip-and-sum phase: per-example factors c_i = min(1, C/‖g_i‖), then Σ c_i g_i from the
/// engine's one-GEMM-per-layer weighted sum.
public enum PerExampleClipping {
    /// min(1, C/‖g‖) for each squared norm, rounded down in Float so that c·‖g‖ ≤ C holds
    /// exactly for the factor actually used. A zero gradient gets factor 1.
    public static func factors(squaredNorms: [Double], clippingNorm: Double) -> [Float] {
        squaredNorms.map { squaredNorm in
            let norm = squaredNorm.squareRoot()
            guard norm > clippingNorm else { return 1 }
            var factor = Float(clippingNorm / norm)
            while Double(factor) * norm > clippingNorm { factor = factor.nextDown }
            return factor
        }
    }

    /// Clip factors per parameter (outer index) and example, for the configured mode.
    public static func factorsByParameter(_ perExample: PerExampleGradients, clippingNorm: Double,
                                          mode: ClippingMode) throws -> [[Float]] {
        switch mode {
        case .flat:
            let shared = factors(squaredNorms: perExample.squaredNorms, clippingNorm: clippingNorm)
            return [[Float]](repeating: shared, count: perExample.parameters.count)
        case .perLayer(let norms):
            guard norms.count == perExample.parameters.count else {
                throw DPSGDError.parameterCountMismatch(clippingNorms: norms.count, parameters: perExample.parameters.count)
            }
            return zip(perExample.squaredNormsByParameter, norms).map { factors(squaredNorms: $0, clippingNorm: $1) }
        }
    }

    /// The norms of the clipped per-example gradients (c_i‖g_i‖ over all parameters): each ≤ C.
    public static func clippedNorms(_ perExample: PerExampleGradients, factorsByParameter: [[Float]]) -> [Double] {
        (0..<perExample.exampleCount).map { i in
            var total = 0.0
            for (norms, factors) in zip(perExample.squaredNormsByParameter, factorsByParameter) {
                total += Double(factors[i]) * Double(factors[i]) * norms[i]
            }
            return total.squareRoot()
        }
    }
}
