/// The contiguous Float buffer behind a `Tensor`, shared between copies until one of them
/// writes (copy-on-write is decided by `Tensor` with `isKnownUniquelyReferenced`).
///
/// Memory is 64-byte aligned so that OpenBLAS and the vectorised loops get full cache lines.
@usableFromInline
final class TensorStorage {
    @usableFromInline let count: Int
    @usableFromInline let pointer: UnsafeMutablePointer<Float>

    /// Uninitialised storage for `count` Floats; callers must write every element.
    init(uninitializedCount count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1) * MemoryLayout<Float>.stride,
                                                   alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
    }

    convenience init(repeating value: Float, count: Int) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: value, count: count)
    }

    func copy() -> TensorStorage {
        let result = TensorStorage(uninitializedCount: count)
        result.pointer.update(from: pointer, count: count)
        return result
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}
