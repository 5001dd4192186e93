/// What a pullback receives: the gradient with respect to the op's output, and which inputs
/// need a gradient (the walk skips work for inputs from which no requested value is reachable).
typealias Pullback = (_ outputGradient: Tensor, _ needsGradient: [Bool]) -> [Tensor?]

/// How an op's inputs relate to per-example gradients (see `PerExampleGradients`).
enum NodeKind {
    /// Pullbacks return input-shaped gradients, already summed over the batch.
    case ordinary
    /// An elementwise op with broadcasting: the pullback returns output-shaped gradients, and
    /// the walk reduces them to each input's shape. Before that reduction the gradient is still
    /// per row, so a parameter broadcast along the batch axis gets exact per-example gradients.
    case broadcastingElementwise
    /// An op that consumes parameters and knows their per-example gradient norms (Linear, Embedding).
    case parameterConsumer(PerExampleRule)
}

/// One recorded op (or a leaf) of the gradient graph.
///
/// Nodes hold no values, only the pullback (which captures what it needs) and links to the
/// nodes of the inputs. `depth` is one more than the deepest input, so sorting by decreasing
/// depth gives a valid reverse topological order without any global counter.
final class GradientNode {
    let inputs: [GradientNode?]
    let inputShapes: [[Int]]
    let pullback: Pullback?
    let kind: NodeKind
    let depth: Int
    /// The op's name, for error messages ("linear", "multiply", …).
    let operation: String

    /// A leaf: a parameter or a value gradients are taken with respect to.
    init(leafShape: [Int]) {
        inputs = []
        inputShapes = []
        pullback = nil
        kind = .ordinary
        depth = 0
        operation = "leaf"
    }

    init(operation: String, inputs: [GradientNode?], inputShapes: [[Int]], kind: NodeKind, pullback: @escaping Pullback) {
        self.operation = operation
        self.inputs = inputs
        self.inputShapes = inputShapes
        self.pullback = pullback
        self.kind = kind
        var deepest = 0
        for input in inputs { if let input, input.depth > deepest { deepest = input.depth } }
        depth = deepest + 1
    }

    var isLeaf: Bool { pullback == nil }
}
