/// Elementwise activations as values, for building MLPs from configuration.
public enum Activation: Equatable {
    case identity, relu, tanh, sigmoid, softplus, gelu
    case leakyRelu(negativeSlope: Float)

    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .identity: return x
        case .relu: return DPSynthEngine.relu(x)
        case .tanh: return DPSynthEngine.tanh(x)
        case .sigmoid: return DPSynthEngine.sigmoid(x)
        case .softplus: return DPSynthEngine.softplus(x)
        case .gelu: return DPSynthEngine.gelu(x)
        case .leakyRelu(let slope): return DPSynthEngine.leakyRelu(x, negativeSlope: slope)
        }
    }
}
