/// Reshapes and axis permutations.
extension Tensor {
    /// The same elements with another shape (one dimension may be −1: inferred). Shares storage.
    public func reshaped(to newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            resolved[inferred] = count / known
        }
        precondition(Shape.count(resolved) == count, "cannot reshape \(shape) (\(count) elements) to \(newShape)")
        if resolved == shape { return self }
        let sourceShape = shape
        return Tensor.recorded(withShape(resolved), operation: "reshape", inputs: [self]) { g, _ in
            [g.reshaped(to: sourceShape)]
        }
    }

    /// Rows flattened: [d0, d1, …] → [d0, d1·…].
    public func flattenedRows() -> Tensor { reshaped(to: [shape.first ?? 1, shape.dropFirst().reduce(1, *)]) }

    /// The axes permuted: result axis i is input axis `axes[i]`. Copies.
    public func transposed(_ axes: [Int]) -> Tensor {
        precondition(axes.sorted() == Array(0..<rank), "\(axes) is not a permutation of the axes of \(shape)")
        let result = Tensor(uninitializedShape: axes.map { shape[$0] })
        Kernels.permute(storage.pointer, shape: shape, axes: axes, into: result.storage.pointer)
        var inverse = [Int](repeating: 0, count: rank)
        for (position, axis) in axes.enumerated() { inverse[axis] = position }
        return Tensor.recorded(result, operation: "transpose", inputs: [self]) { g, _ in [g.transposed(inverse)] }
    }

    /// The matrix transpose of a rank-2 tensor.
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed() without axes needs a matrix, found \(shape)")
        return transposed([1, 0])
    }
}
