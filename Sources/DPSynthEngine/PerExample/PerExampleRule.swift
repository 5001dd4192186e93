/// How an op that consumes parameters yields per-example gradient norms and weighted sums
/// without materialising one gradient per example (Opacus's `grad_sample` registry, but kept in
/// the graph node rather than stuck onto modules).
enum PerExampleRule {
    /// `linear(x, weight, bias)`: node inputs [x, weight, bias?]; `input` is x as [rows, in].
    case linear(input: Tensor, hasBias: Bool)
    /// Row gather from a table [tableRows, width]: node input [table].
    case embedding(indices: [Int], tableRows: Int)

    /// Input positions that hold parameters this rule handles.
    var parameterPositions: [Int] {
        switch self {
        case .linear(_, let hasBias): return hasBias ? [1, 2] : [1]
        case .embedding: return [0]
        }
    }
}

/// What the walk keeps for one parameter from one op: enough to compute per-example squared
/// norms and, later, Σ c_i ∇_i.
enum PerExampleContribution {
    /// Weight of a linear op: activations a [rows, in], output gradients g [rows, out].
    case linearWeight(input: Tensor, outputGradient: Tensor)
    /// Bias of a linear op: output gradients g [rows, out].
    case linearBias(outputGradient: Tensor)
    /// Table rows gathered by `indices`, gradients g [rows, width].
    case embedding(indices: [Int], tableRows: Int, outputGradient: Tensor)
    /// Per-example gradients, materialised: [examples] + parameter shape.
    case materialized(Tensor)
}
