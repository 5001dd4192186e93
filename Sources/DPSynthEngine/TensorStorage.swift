import CKernels

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
        _ = TensorStorage.allocatorIsTuned
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

    /// A training step frees and reallocates the same activation-sized buffers (0.25–2 MB)
    /// every step. With glibc's defaults such blocks are mmapped or trimmed off the heap top
    /// when freed, so each reuse page-faults and zero-fills them again: ~7% of a batch-1024
    /// GAN step in `perf` (clear_page_erms, exc_page_fault). Raising the mmap and trim
    /// thresholds, once per process, keeps those pages in the heap for reuse.
    static let allocatorIsTuned = dpsynth_keep_freed_memory() == 1
}
