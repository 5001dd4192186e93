import DPSynthRandom

/// A dense layer y = x·W + b over the last axis, W [inputSize, outputSize].
///
/// Uses the `linear` primitive, whose per-example rule gives DP-SGD its cheap norms.
public struct Linear: ParameterContainer {
    public let weight: Parameter
    public let bias: Parameter?

    public init(inputSize: Int, outputSize: Int, name: String, useBias: Bool = true,
                weightInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
                random: RandomSource) {
        weight = Parameter(name: name + ".weight",
                           value: weightInitializer.tensor(shape: [inputSize, outputSize], fanIn: inputSize,
                                                           fanOut: outputSize, random: random))
        bias = useBias ? Parameter(name: name + ".bias",
                                   value: biasInitializer.tensor(shape: [outputSize], fanIn: inputSize,
                                                                 fanOut: outputSize, random: random)) : nil
    }

    public var inputSize: Int { weight.shape[0] }
    public var outputSize: Int { weight.shape[1] }
    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }

    /// [..., inputSize] → [..., outputSize].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        linear(x, weight: weight.value, bias: bias?.value)
    }
}
