import DPSynthRandom

/// A lookup table: row k of a [count, width] parameter for category k.
public struct Embedding: ParameterContainer {
    public let table: Parameter

    public init(count: Int, width: Int, name: String, initializer: Initializer = .normal(standardDeviation: 1),
                random: RandomSource) {
        table = Parameter(name: name + ".table",
                          value: initializer.tensor(shape: [count, width], fanIn: count, fanOut: width, random: random))
    }

    public var parameters: [Parameter] { [table] }

    /// Indices (one per row) → [indices.count, width].
    public func callAsFunction(_ indices: [Int]) -> Tensor {
        embeddingLookup(table.value, indices: indices)
    }
}
