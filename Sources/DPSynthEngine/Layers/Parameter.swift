/// A trainable tensor with a name: what optimizers update, what save/load and the per-example
/// machinery refer to.
///
/// A class so that a layer (a plain value) and an optimizer share it. Its gradient-graph leaf is
/// created once and kept across updates, so a `Parameter` is recognised in every step's graph.
public final class Parameter {
    /// Dotted path, e.g. "discriminator.layers.0.weight"; unique within a model.
    public let name: String
    private var storedValue: Tensor
    let node: GradientNode

    public init(name: String, value: Tensor) {
        self.name = name
        storedValue = value.detached()
        node = GradientNode(leafShape: value.shape)
    }

    /// The current value, as a leaf of the gradient graph.
    public var value: Tensor {
        get {
            var tensor = storedValue
            tensor.node = node
            return tensor
        }
        set {
            precondition(newValue.shape == storedValue.shape,
                         "parameter \(name) has shape \(storedValue.shape), assigned \(newValue.shape)")
            storedValue = newValue.detached()
        }
    }

    public var shape: [Int] { storedValue.shape }
    public var count: Int { storedValue.count }

    /// Writes the value in place (copying first only if an old graph still shares the storage).
    public func update(_ body: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        try storedValue.withUnsafeMutableBufferPointer(body)
    }
}

/// Anything that owns parameters: layers, models, optimizers' views of them.
public protocol ParameterContainer {
    /// Every parameter, in a fixed order (the order save/load and optimizers use).
    var parameters: [Parameter] { get }
}
