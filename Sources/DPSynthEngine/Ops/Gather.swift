/// Row gathers and scatter-adds: embeddings and index selection.
extension Tensor {
    /// Rows `indices` of this [rows, ...] tensor: result [indices.count, ...].
    /// Its pullback scatter-adds the gradient rows back; that op's pullback gathers again.
    public func gathering(rows indices: [Int]) -> Tensor {
        gathering(rows: indices, kind: .ordinary)
    }

    func gathering(rows indices: [Int], kind: NodeKind) -> Tensor {
        precondition(rank >= 1, "gathering rows of a scalar")
        let rowCount = shape[0], width = count / Swift.max(rowCount, 1)
        let result = Tensor(uninitializedShape: [indices.count] + shape.dropFirst())
        for (position, index) in indices.enumerated() {
            precondition(index >= 0 && index < rowCount, "row index \(index) out of range 0..<\(rowCount)")
            (result.storage.pointer + position * width).update(from: storage.pointer + index * width, count: width)
        }
        return Tensor.recorded(result, operation: "gather", inputs: [self], kind: kind) { g, _ in
            [g.scatterAdding(rows: indices, rowCount: rowCount)]
        }
    }

    /// A [rowCount, ...] tensor of zeros with row k of this tensor added into row `indices[k]`.
    public func scatterAdding(rows indices: [Int], rowCount: Int) -> Tensor {
        precondition(rank >= 1 && shape[0] == indices.count, "scatter of \(shape) with \(indices.count) indices")
        let width = count / Swift.max(indices.count, 1)
        let result = Tensor(repeating: 0, shape: [rowCount] + shape.dropFirst())
        for (position, index) in indices.enumerated() {
            precondition(index >= 0 && index < rowCount, "row index \(index) out of range 0..<\(rowCount)")
            Kernels.axpy(storage.pointer + position * width, into: result.storage.pointer + index * width, count: width)
        }
        return Tensor.recorded(result, operation: "scatterAdd", inputs: [self]) { g, _ in
            [g.gathering(rows: indices)]
        }
    }
}

/// Rows of an embedding table [rows, width] picked by `indices`: [indices.count, width].
/// Recorded with the embedding per-example rule, so its table gets per-example norms cheaply.
public func embeddingLookup(_ table: Tensor, indices: [Int]) -> Tensor {
    precondition(table.rank == 2, "embedding table must be [rows, width], found \(table.shape)")
    return table.gathering(rows: indices, kind: .parameterConsumer(.embedding(indices: indices, tableRows: table.shape[0])))
}
