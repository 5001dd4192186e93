import DPSynthRandom

/// A multilayer perceptron: Linear layers with an activation after each hidden layer (and an
/// optional one after the last), optionally LayerNorm before the activation.
public struct MLP: ParameterContainer {
    public let layers: [Linear]
    public let norms: [LayerNorm]
    public let hiddenActivation: Activation
    public let outputActivation: Activation

    /// sizes = [input, hidden…, output]; layer k is named "\(name).\(k)".
    public init(sizes: [Int], name: String, hiddenActivation: Activation = .relu,
                outputActivation: Activation = .identity, layerNorm: Bool = false,
                weightInitializer: Initializer = .glorotUniform, random: RandomSource) {
        precondition(sizes.count >= 2, "an MLP needs an input and an output size, found \(sizes)")
        layers = (0..<(sizes.count - 1)).map { k in
            Linear(inputSize: sizes[k], outputSize: sizes[k + 1], name: "\(name).\(k)",
                   weightInitializer: weightInitializer, random: random)
        }
        norms = layerNorm ? (1..<(sizes.count - 1)).map { LayerNorm(size: sizes[$0], name: "\(name).norm\($0 - 1)") } : []
        self.hiddenActivation = hiddenActivation
        self.outputActivation = outputActivation
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) + norms.flatMap(\.parameters) }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        for (k, layer) in layers.enumerated() {
            h = layer(h)
            if k < layers.count - 1 {
                if !norms.isEmpty { h = norms[k](h) }
                h = hiddenActivation(h)
            }
        }
        return outputActivation(h)
    }
}
