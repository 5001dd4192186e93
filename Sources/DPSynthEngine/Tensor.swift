/// An n-dimensional array of Floats with reverse-mode differentiation.
///
/// A value type: copies share one row-major `TensorStorage` until one of them writes. A tensor
/// produced by an op while gradients are being recorded carries a `GradientNode` that links it
/// to its inputs and holds the op's pullback (see `Autodiff/`). Shape checks happen here, once;
/// the kernels below take raw buffers and sizes.
public struct Tensor {
    /// Dimensions, outermost first. `[]` is a scalar.
    public private(set) var shape: [Int]
    @usableFromInline var storage: TensorStorage
    /// The node recording how this value was computed, when gradients flow through it.
    var node: GradientNode?

    /// The number of elements.
    @inlinable public var count: Int { storage.count }
    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// True when a gradient with respect to this value can be computed.
    public var requiresGradient: Bool { node != nil }

    init(shape: [Int], storage: TensorStorage) {
        precondition(Shape.count(shape) == storage.count, "shape \(shape) does not hold \(storage.count) elements")
        self.shape = shape
        self.storage = storage
        node = nil
    }

    /// A tensor of `shape` whose elements the caller writes before reading.
    init(uninitializedShape shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(uninitializedCount: Shape.count(shape)))
    }

    /// A tensor holding `scalars` in row-major order.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(Shape.count(shape) == scalars.count,
                     "shape \(shape) needs \(Shape.count(shape)) values, found \(scalars.count)")
        let storage = TensorStorage(uninitializedCount: scalars.count)
        scalars.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { storage.pointer.initialize(from: base, count: scalars.count) }
        }
        self.init(shape: shape, storage: storage)
    }

    /// A tensor of `shape` filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.init(shape: shape, storage: TensorStorage(repeating: value, count: Shape.count(shape)))
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

    /// A scalar tensor (shape `[]`).
    public init(_ value: Float) { self.init(repeating: value, shape: []) }

    /// A 1-D tensor.
    public init(_ scalars: [Float]) { self.init(shape: [scalars.count], scalars: scalars) }

    /// The elements in row-major order.
    public var scalars: [Float] {
        Array(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// The single element of a one-element tensor.
    public var scalar: Float {
        precondition(count == 1, "scalar of a tensor with shape \(shape)")
        return storage.pointer[0]
    }

    /// The element at a multi-index (slow: tests and debugging).
    public subscript(indices: Int...) -> Float {
        precondition(indices.count == rank, "\(indices.count) indices for rank \(rank)")
        var offset = 0
        for (axis, index) in indices.enumerated() {
            precondition(index >= 0 && index < shape[axis], "index \(index) out of range on axis \(axis)")
            offset = offset * shape[axis] + index
        }
        return storage.pointer[offset]
    }

    /// Read access to the elements.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// Write access to the elements, copying the storage first if another tensor shares it.
    ///
    /// Only leaves (constants and parameters) may be written in place: writing into a value an
    /// op has recorded would silently change the gradients computed from it.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        precondition(node == nil || node?.isLeaf == true, "in-place write into a recorded intermediate value")
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// The same values, cut from the gradient graph (a constant for differentiation).
    public func detached() -> Tensor {
        Tensor(shape: shape, storage: storage)
    }

    /// The same values as a leaf of the gradient graph: gradients can be taken with respect to it.
    public func requiringGradient() -> Tensor {
        var result = detached()
        result.node = GradientNode(leafShape: shape)
        return result
    }

    /// A copy reinterpreted with another shape of the same count, sharing storage, outside the graph.
    func withShape(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(preview)\(count > 8 ? ", …" : "")])"
    }
}

extension Tensor {
    /// True when shapes and every element are identical (bitwise for non-NaN values).
    public func hasSameValues(as other: Tensor) -> Bool {
        shape == other.shape && scalars == other.scalars
    }
}
