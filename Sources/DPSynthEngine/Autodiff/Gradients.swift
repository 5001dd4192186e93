/// Reverse-mode differentiation: the walk from an output back to the requested values.
///
/// The nodes reachable from the output are visited in reverse topological order (decreasing
/// depth). Each node's pullback receives the accumulated gradient of its output and returns
/// gradients for the inputs that lead to a requested value; gradients reaching the same value
/// along several paths are added. Pullbacks are written with ordinary taped ops, so with
/// `createGraph: true` the gradients carry nodes of their own and can be differentiated again
/// (the gradient penalties of WGAN-GP, R1 and DRAGAN). Without it the walk records nothing.
///
/// Reference: karpathy/micrograd `engine.py` (`backward`), tinygrad `gradient.py`.
public func gradients(of output: Tensor, withRespectTo values: [Tensor],
                      seed: Tensor? = nil, createGraph: Bool = false) -> [Tensor] {
    precondition(seed != nil || output.count == 1,
                 "gradients of a non-scalar output (shape \(output.shape)) need a seed of the same shape")
    let seedValue = seed?.detached() ?? Tensor(repeating: 1, shape: output.shape)
    precondition(seedValue.shape == output.shape, "seed shape \(seedValue.shape) differs from output shape \(output.shape)")
    let targets = values.map(\.node)
    var walk = BackwardWalk(output: output, targets: targets.compactMap { $0 })
    let found = createGraph ? withGradients { walk.run(seed: seedValue, collector: nil) }
                            : withoutGradients { walk.run(seed: seedValue, collector: nil) }
    return zip(values, targets).map { value, node in
        guard let node, let gradient = found[ObjectIdentifier(node)] else { return Tensor(zeros: value.shape) }
        return gradient
    }
}

/// The gradients of a scalar loss with respect to parameters.
public func gradients(of loss: Tensor, withRespectTo parameters: [Parameter], createGraph: Bool = false) -> [Tensor] {
    gradients(of: loss, withRespectTo: parameters.map(\.value), createGraph: createGraph)
}

/// The reverse walk shared by ordinary and per-example differentiation.
struct BackwardWalk {
    let root: GradientNode?
    let order: [GradientNode]
    let targets: Set<ObjectIdentifier>
    /// Nodes from which a target can be reached; gradients flow only into these.
    let relevant: Set<ObjectIdentifier>

    init(output: Tensor, targets: [GradientNode]) {
        root = output.node
        self.targets = Set(targets.map(ObjectIdentifier.init))
        var seen = Set<ObjectIdentifier>()
        var nodes: [GradientNode] = []
        var stack: [GradientNode] = root.map { [$0] } ?? []
        while let node = stack.popLast() {
            guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
            nodes.append(node)
            for case let input? in node.inputs { stack.append(input) }
        }
        nodes.sort { $0.depth > $1.depth }
        var relevant = Set<ObjectIdentifier>()
        for node in nodes.reversed() {
            let id = ObjectIdentifier(node)
            if self.targets.contains(id) || node.inputs.contains(where: { $0.map { relevant.contains(ObjectIdentifier($0)) } ?? false }) {
                relevant.insert(id)
            }
        }
        self.relevant = relevant
        order = nodes
    }

    /// Walks the graph; returns the gradients of the targets reached by ordinary pullbacks.
    mutating func run(seed: Tensor, collector: PerExampleCollector?) -> [ObjectIdentifier: Tensor] {
        var pending: [ObjectIdentifier: Tensor] = [:]
        var results: [ObjectIdentifier: Tensor] = [:]
        guard let root, relevant.contains(ObjectIdentifier(root)) else { return results }
        pending[ObjectIdentifier(root)] = seed
        for node in order {
            let id = ObjectIdentifier(node)
            // Released as soon as consumed: the walk holds at most the gradients in flight.
            guard let gradient = pending.removeValue(forKey: id) else { continue }
            if targets.contains(id) { results[id] = gradient }
            guard let pullback = node.pullback else { continue }
            var needs = node.inputs.map { input in input.map { relevant.contains(ObjectIdentifier($0)) } ?? false }
            if let collector, case .parameterConsumer(let rule) = node.kind {
                for position in rule.parameterPositions where needs[position] {
                    if let parameter = node.inputs[position], targets.contains(ObjectIdentifier(parameter)) {
                        collector.record(rule: rule, position: position, parameter: parameter, outputGradient: gradient)
                        needs[position] = false
                    }
                }
            }
            guard needs.contains(true) else { continue }
            let inputGradients = pullback(gradient, needs)
            for (position, input) in node.inputs.enumerated() where needs[position] {
                guard let input, var inputGradient = inputGradients[position] else { continue }
                let inputID = ObjectIdentifier(input)
                let shape = node.inputShapes[position]
                if let collector, targets.contains(inputID), input.isLeaf {
                    collector.materialize(parameter: input, parameterShape: shape, unreducedGradient: inputGradient,
                                          node: node)
                    continue
                }
                if inputGradient.shape != shape { inputGradient = inputGradient.summed(toShape: shape) }
                if let existing = pending[inputID] {
                    pending[inputID] = existing.adding(inputGradient, inPlace: !GradientRecording.isEnabled)
                } else {
                    pending[inputID] = inputGradient
                }
            }
        }
        return results
    }
}

extension Tensor {
    /// self + other; in place (reusing self's storage when unshared) for gradient accumulation
    /// outside a recorded graph.
    func adding(_ other: Tensor, inPlace: Bool) -> Tensor {
        guard inPlace, shape == other.shape, node == nil, other.node == nil else { return self + other }
        var result = self
        result.withUnsafeMutableBufferPointer { target in
            other.withUnsafeBufferPointer { source in
                if let t = target.baseAddress, let s = source.baseAddress { Kernels.axpy(s, into: t, count: count) }
            }
        }
        return result
    }
}
