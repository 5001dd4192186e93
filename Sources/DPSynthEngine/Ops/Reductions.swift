/// Sums, means and maxima along axes.
extension Tensor {
    /// Sum of every element, as a scalar tensor.
    public func sum() -> Tensor { summed(toShape: []) }

    /// Mean of every element, as a scalar tensor.
    public func mean() -> Tensor { sum() * (1 / Float(Swift.max(count, 1))) }

    /// Sum along `axes`; the reduced axes are kept with size 1 when `keepingDimensions`.
    public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let resolved = Set(axes.map { Shape.normalize(axis: $0, rank: rank) })
        let kept = shape.enumerated().map { resolved.contains($0.offset) ? 1 : $0.element }
        let reduced = summed(toShape: kept)
        if keepingDimensions { return reduced }
        return reduced.reshaped(to: shape.enumerated().filter { !resolved.contains($0.offset) }.map(\.element))
    }

    /// Mean along `axes`.
    public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let size = axes.map { shape[Shape.normalize(axis: $0, rank: rank)] }.reduce(1, *)
        return sum(alongAxes: axes, keepingDimensions: keepingDimensions) * (1 / Float(Swift.max(size, 1)))
    }

    /// Sums this tensor down to `target`, a shape it broadcasts from: the pullback of
    /// broadcasting. Its own pullback broadcasts back (`expanded(to:)`).
    public func summed(toShape target: [Int]) -> Tensor {
        precondition(Shape.broadcasts(target, to: shape), "cannot sum shape \(shape) to \(target)")
        if target == shape { return self }
        let result = Tensor(uninitializedShape: target)
        Kernels.sum(storage.pointer, shape: shape, into: result.storage.pointer, shape: target)
        let sourceShape = shape
        return Tensor.recorded(result, operation: "sum", inputs: [self]) { g, _ in [g.expanded(to: sourceShape)] }
    }

    /// This tensor broadcast to `target` (materialised). Its pullback sums back.
    public func expanded(to target: [Int]) -> Tensor {
        precondition(Shape.broadcasts(shape, to: target), "cannot broadcast shape \(shape) to \(target)")
        if target == shape { return self }
        let result = Tensor(uninitializedShape: target)
        let zeros = Tensor(zeros: [])
        Kernels.binary(.add, storage.pointer, strides: Shape.broadcastStrides(shape, to: target),
                       zeros.storage.pointer, strides: [Int](repeating: 0, count: target.count),
                       into: result.storage.pointer, shape: target)
        let sourceShape = shape
        return Tensor.recorded(result, operation: "expand", inputs: [self]) { g, _ in [g.summed(toShape: sourceShape)] }
    }

    /// Maximum along one axis. The gradient goes to the maximal entries (split evenly between ties).
    public func max(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank)
        let outer = shape[..<axis].reduce(1, *), length = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
        precondition(length > 0, "max along an empty axis of shape \(shape)")
        var keptShape = shape
        keptShape[axis] = 1
        let result = Tensor(uninitializedShape: keptShape)
        Kernels.max(storage.pointer, outer: outer, length: length, inner: inner, into: result.storage.pointer)
        let input = self
        let maxima = result
        let value = Tensor.recorded(result, operation: "max", inputs: [self]) { g, _ in
            // Mask of the maximal entries, normalised over ties; constant for differentiation.
            let mask = withoutGradients { () -> Tensor in
                let hits = Tensor.computeBinary(.subtract, input, maxima).computeUnary(.absolute)
                    .computeUnary(.sign)
                let isMax = 1 - hits
                return isMax / isMax.sum(alongAxes: [axis], keepingDimensions: true)
            }
            return [g * mask.detached()]
        }
        if keepingDimensions { return value }
        var squeezed = shape
        squeezed.remove(at: axis)
        return value.reshaped(to: squeezed)
    }
}
