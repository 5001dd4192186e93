/// Receives, during a per-example backward walk, what each parameter-consuming op hands over.
final class PerExampleCollector {
    let exampleCount: Int
    private(set) var contributions: [ObjectIdentifier: [PerExampleContribution]] = [:]
    private(set) var unsupported: [String] = []

    init(exampleCount: Int) { self.exampleCount = exampleCount }

    /// A rule op reached a parameter input with its output gradient `g`.
    func record(rule: PerExampleRule, position: Int, parameter: GradientNode, outputGradient g: Tensor) {
        let key = ObjectIdentifier(parameter)
        switch rule {
        case .linear(let input, _):
            let rows = input.shape[0]
            let g2 = g.detached().withShape([rows, g.count / Swift.max(rows, 1)])
            contributions[key, default: []].append(position == 1 ? .linearWeight(input: input, outputGradient: g2)
                                                                  : .linearBias(outputGradient: g2))
        case .embedding(let indices, let tableRows):
            let rows = indices.count
            let g2 = g.detached().withShape([rows, g.count / Swift.max(rows, 1)])
            contributions[key, default: []].append(.embedding(indices: indices, tableRows: tableRows, outputGradient: g2))
        }
    }

    /// An ordinary op produced a gradient for a parameter. Exact per-example gradients exist only
    /// when the op is a broadcasting elementwise op whose (unreduced, output-shaped) gradient has
    /// the examples' rows on axis 0 and the parameter is broadcast along that axis.
    func materialize(parameter: GradientNode, parameterShape: [Int], unreducedGradient g: Tensor, node: GradientNode) {
        let key = ObjectIdentifier(parameter)
        let rank = g.rank
        guard case .broadcastingElementwise = node.kind, rank >= 1, parameterShape.count <= rank,
              exampleCount > 0 ? g.shape[0] % exampleCount == 0 : g.shape[0] == 0 else {
            unsupported.append(node.operation)
            return
        }
        let padded = [Int](repeating: 1, count: rank - parameterShape.count) + parameterShape
        guard padded[0] == 1 else { unsupported.append(node.operation); return }
        let result: Tensor
        if exampleCount == 0 {
            result = Tensor(zeros: [0] + parameterShape)
        } else {
            let rowsPerExample = g.shape[0] / exampleCount
            let source = [exampleCount, rowsPerExample] + g.shape.dropFirst()
            let target = [exampleCount, 1] + padded.dropFirst()
            let summed = Tensor(uninitializedShape: target)
            Kernels.sum(g.storage.pointer, shape: source, into: summed.storage.pointer, shape: target)
            result = summed.withShape([exampleCount] + parameterShape)
        }
        contributions[key, default: []].append(.materialized(result))
    }
}
