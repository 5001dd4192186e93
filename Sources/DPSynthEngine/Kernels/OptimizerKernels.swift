import CKernels

/// Optimizer update loops on raw buffers.
extension Kernels {
    /// One Adam update (Kingma & Ba 2015, Algorithm 1) of `count` coordinates:
    /// m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; θ ← θ − stepSize·m / (√v·inverseRootCorrection + ε),
    /// where stepSize = η/(1−β1ᵗ) and inverseRootCorrection = 1/√(1−β2ᵗ).
    ///
    /// The loop is the C kernel `dpsynth_adam_update` (vector square root and division; Swift
    /// would call libm's sqrtf once per lane), split over threads for large parameters.
    static func adamUpdate(parameters theta: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
                           firstMoments m: UnsafeMutablePointer<Float>, secondMoments v: UnsafeMutablePointer<Float>,
                           count: Int, beta1: Float, beta2: Float, stepSize: Float,
                           inverseRootCorrection: Float, epsilon: Float) {
        forEachChunk(count: count) { range in
            let start = range.lowerBound
            dpsynth_adam_update(theta + start, g + start, m + start, v + start, range.count, beta1, beta2,
                                stepSize, inverseRootCorrection, epsilon)
        }
    }
}
