/// Optimizer update loops on raw buffers, written so the compiler vectorises them (no branches
/// or divisions by loop-invariant values inside the loop).
extension Kernels {
    /// One Adam update (Kingma & Ba 2015, Algorithm 1) of `count` coordinates:
    /// m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; θ ← θ − stepSize·m / (√v·inverseRootCorrection + ε),
    /// where stepSize = η/(1−β1ᵗ) and inverseRootCorrection = 1/√(1−β2ᵗ).
    static func adamUpdate(parameters theta: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
                           firstMoments m: UnsafeMutablePointer<Float>, secondMoments v: UnsafeMutablePointer<Float>,
                           count: Int, beta1: Float, beta2: Float, stepSize: Float,
                           inverseRootCorrection: Float, epsilon: Float) {
        let oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2
        forEachChunk(count: count) { range in
            for i in range {
                let gradient = g[i]
                let first = beta1 * m[i] + oneMinusBeta1 * gradient
                let second = beta2 * v[i] + oneMinusBeta2 * gradient * gradient
                m[i] = first
                v[i] = second
                theta[i] -= stepSize * first / (second.squareRoot() * inverseRootCorrection + epsilon)
            }
        }
    }
}
