/// Layer normalisation over the last axis (Ba, Kiros & Hinton 2016), with a learned gain and
/// offset. Per example by construction, so it is compatible with per-example gradients (the
/// gain and offset get exact per-example gradients through the broadcast rule).
public struct LayerNorm: ParameterContainer {
    public let gain: Parameter
    public let offset: Parameter
    public let epsilon: Float

    public init(size: Int, name: String, epsilon: Float = 1e-5) {
        gain = Parameter(name: name + ".gain", value: Tensor(repeating: 1, shape: [size]))
        offset = Parameter(name: name + ".offset", value: Tensor(zeros: [size]))
        self.epsilon = epsilon
    }

    public var parameters: [Parameter] { [gain, offset] }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let centered = x - x.mean(alongAxes: [-1], keepingDimensions: true)
        let variance = centered.squared().mean(alongAxes: [-1], keepingDimensions: true)
        return centered / sqrt(variance + epsilon) * gain.value + offset.value
    }
}

/// Whether a layer with train/eval behaviour (BatchNorm, Dropout) is training.
public enum LayerMode {
    case training, evaluation
}

/// Batch normalisation over axis 0 (Ioffe & Szegedy 2015) with running statistics for
/// evaluation. Training mode mixes examples through the batch statistics, so it must not be
/// used in a model trained with per-example gradients (DP-SGD); use LayerNorm there.
public struct BatchNorm: ParameterContainer {
    public let gain: Parameter
    public let offset: Parameter
    /// Running mean and variance, updated in training mode (buffers, not parameters).
    public let runningMean: Parameter
    public let runningVariance: Parameter
    public let momentum: Float
    public let epsilon: Float

    public init(size: Int, name: String, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        gain = Parameter(name: name + ".gain", value: Tensor(repeating: 1, shape: [size]))
        offset = Parameter(name: name + ".offset", value: Tensor(zeros: [size]))
        runningMean = Parameter(name: name + ".runningMean", value: Tensor(zeros: [size]))
        runningVariance = Parameter(name: name + ".runningVariance", value: Tensor(repeating: 1, shape: [size]))
        self.momentum = momentum
        self.epsilon = epsilon
    }

    /// Trainable parameters only (the running statistics are saved through `buffers`).
    public var parameters: [Parameter] { [gain, offset] }
    /// The running statistics, for save/load.
    public var buffers: [Parameter] { [runningMean, runningVariance] }

    /// [batch, size] → [batch, size].
    public func callAsFunction(_ x: Tensor, mode: LayerMode) -> Tensor {
        switch mode {
        case .training:
            let mean = x.mean(alongAxes: [0], keepingDimensions: true)
            let centered = x - mean
            let variance = centered.squared().mean(alongAxes: [0], keepingDimensions: true)
            withoutGradients {
                let rows = Float(Swift.max(x.shape[0], 1))
                let unbiased = variance.reshaped(to: runningVariance.shape).detached() * (rows / Swift.max(rows - 1, 1))
                runningMean.value = runningMean.value.detached() * (1 - momentum) + mean.reshaped(to: runningMean.shape).detached() * momentum
                runningVariance.value = runningVariance.value.detached() * (1 - momentum) + unbiased * momentum
            }
            return centered / sqrt(variance + epsilon) * gain.value + offset.value
        case .evaluation:
            let scale = withoutGradients { 1 / sqrt(runningVariance.value.detached() + epsilon) }
            return (x - runningMean.value.detached()) * scale * gain.value + offset.value
        }
    }
}
