/// Slices, padding, concatenation and splitting along an axis.
extension Tensor {
    /// The [outer, length, inner] view of an axis.
    private func blocks(axis: Int) -> (outer: Int, length: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// Elements `range` along `axis`. Its pullback pads the gradient back with zeros.
    public func sliced(alongAxis axis: Int, _ range: Range<Int>) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[axis],
                     "slice \(range) out of bounds for axis \(axis) of shape \(shape)")
        if range.count == shape[axis] { return self }
        var resultShape = shape
        resultShape[axis] = range.count
        let result = Tensor(uninitializedShape: resultShape)
        let (outer, length, inner) = blocks(axis: axis)
        Kernels.copyBlocks(storage.pointer, into: result.storage.pointer, outer: outer, blockLength: range.count,
                           inner: inner, sourceLength: length, sourceOffset: range.lowerBound,
                           targetLength: range.count, targetOffset: 0)
        let fullLength = shape[axis]
        return Tensor.recorded(result, operation: "slice", inputs: [self]) { g, _ in
            [g.padded(alongAxis: axis, before: range.lowerBound, after: fullLength - range.upperBound)]
        }
    }

    /// Rows `range` (slices axis 0).
    public func rows(_ range: Range<Int>) -> Tensor { sliced(alongAxis: 0, range) }

    /// Zeros added before and after along `axis`. Its pullback slices.
    public func padded(alongAxis axis: Int, before: Int, after: Int) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank)
        if before == 0 && after == 0 { return self }
        var resultShape = shape
        resultShape[axis] += before + after
        let result = Tensor(repeating: 0, shape: resultShape)
        let (outer, length, inner) = blocks(axis: axis)
        Kernels.copyBlocks(storage.pointer, into: result.storage.pointer, outer: outer, blockLength: length,
                           inner: inner, sourceLength: length, sourceOffset: 0,
                           targetLength: resultShape[axis], targetOffset: before)
        return Tensor.recorded(result, operation: "pad", inputs: [self]) { g, _ in
            [g.sliced(alongAxis: axis, before..<(before + length))]
        }
    }

    /// Tensors joined along `axis` (all other dimensions equal). Its pullback slices.
    public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate needs at least one tensor")
        let first = tensors[0]
        let axis = Shape.normalize(axis: axis, rank: first.rank)
        for tensor in tensors {
            precondition(tensor.rank == first.rank && tensor.shape.enumerated().allSatisfy { $0.offset == axis || $0.element == first.shape[$0.offset] },
                         "cannot concatenate shapes \(tensors.map(\.shape)) along axis \(axis)")
        }
        var resultShape = first.shape
        resultShape[axis] = tensors.map { $0.shape[axis] }.reduce(0, +)
        let result = Tensor(uninitializedShape: resultShape)
        let outer = first.shape[..<axis].reduce(1, *), inner = first.shape[(axis + 1)...].reduce(1, *)
        var offset = 0
        var ranges: [Range<Int>] = []
        for tensor in tensors {
            let length = tensor.shape[axis]
            Kernels.copyBlocks(tensor.storage.pointer, into: result.storage.pointer, outer: outer, blockLength: length,
                               inner: inner, sourceLength: length, sourceOffset: 0,
                               targetLength: resultShape[axis], targetOffset: offset)
            ranges.append(offset..<(offset + length))
            offset += length
        }
        return recorded(result, operation: "concatenate", inputs: tensors) { g, needs in
            ranges.enumerated().map { needs[$0.offset] ? g.sliced(alongAxis: axis, $0.element) : nil }
        }
    }

    /// Consecutive pieces of the given sizes along `axis`.
    public func split(sizes: [Int], alongAxis axis: Int = 0) -> [Tensor] {
        let axis = Shape.normalize(axis: axis, rank: rank)
        precondition(sizes.reduce(0, +) == shape[axis], "split sizes \(sizes) do not add up to \(shape[axis])")
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return sliced(alongAxis: axis, start..<(start + size))
        }
    }
}
