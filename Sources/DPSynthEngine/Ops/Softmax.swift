/// Softmax and log-softmax along the last axis, composed from primitives (so every derivative
/// order comes for free). The maximum is subtracted as a constant for numerical stability:
/// log-softmax is invariant to it, so no gradient is lost.
public func logSoftmax(_ x: Tensor) -> Tensor {
    let shift = x.max(alongAxis: -1, keepingDimensions: true).detached()
    let shifted = x - shift
    return shifted - log(exp(shifted).sum(alongAxes: [-1], keepingDimensions: true))
}

/// exp(x_i) / Σ_j exp(x_j) along the last axis.
public func softmax(_ x: Tensor) -> Tensor {
    let shifted = x - x.max(alongAxis: -1, keepingDimensions: true).detached()
    let e = exp(shifted)
    return e / e.sum(alongAxes: [-1], keepingDimensions: true)
}
