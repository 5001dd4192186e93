/// Reductions and data movement on raw buffers.
extension Kernels {
    /// Sums `source` (shape `sourceShape`) into `target` (shape `targetShape`, broadcastable to
    /// the source: same rank after left-padding with 1s). The target is overwritten.
    static func sum(_ source: UnsafePointer<Float>, shape sourceShape: [Int],
                    into target: UnsafeMutablePointer<Float>, shape targetShape: [Int]) {
        let targetCount = Shape.count(targetShape)
        target.update(repeating: 0, count: targetCount)
        let count = Shape.count(sourceShape)
        if count == 0 { return }
        let rank = sourceShape.count
        let padded = [Int](repeating: 1, count: rank - targetShape.count) + targetShape
        // Fast path: [rows, columns] → [1, columns] (column sums, the bias-gradient case). Large
        // inputs split the columns between threads; each column still adds its rows in order,
        // so the sums do not depend on the thread count.
        if let last = sourceShape.last, padded.dropLast().allSatisfy({ $0 == 1 }), padded.last == last {
            let rows = count / last
            // The columns are the units split here (`forEachRowChunk` over a last × rows view).
            forEachRowChunk(rows: last, columns: rows) { columns in
                for row in 0..<rows {
                    let base = source + row * last
                    for column in columns { target[column] += base[column] }
                }
            }
            return
        }
        // Fast path: [outer, middle, inner] → [outer, 1, inner] (per-example sums of T rows).
        if rank == 3 && padded[0] == sourceShape[0] && padded[1] == 1 && padded[2] == sourceShape[2] {
            let middle = sourceShape[1], inner = sourceShape[2]
            for o in 0..<sourceShape[0] {
                let out = target + o * inner
                for m in 0..<middle {
                    let row = source + (o * middle + m) * inner
                    for i in 0..<inner { out[i] += row[i] }
                }
            }
            return
        }
        // Fast path: reduce only the trailing axes (row sums).
        var keptLeading = 0
        while keptLeading < rank && padded[keptLeading] == sourceShape[keptLeading] { keptLeading += 1 }
        if padded[keptLeading...].allSatisfy({ $0 == 1 }) {
            let inner = count / Swift.max(targetCount, 1)
            for row in 0..<targetCount {
                var partial: Float = 0
                let base = source + row * inner
                for i in 0..<inner { partial += base[i] }
                target[row] = partial
            }
            return
        }
        var odometer = Odometer(shape: sourceShape, strides: [Shape.broadcastStrides(padded, to: sourceShape)])
        for i in 0..<count {
            target[odometer.offsets[0]] += source[i]
            odometer.advance(axis: rank - 1)
        }
    }

    /// Maximum along the middle axis of a tensor viewed as [outer, length, inner].
    static func max(_ source: UnsafePointer<Float>, outer: Int, length: Int, inner: Int,
                    into target: UnsafeMutablePointer<Float>) {
        for o in 0..<outer {
            let base = source + o * length * inner
            let out = target + o * inner
            for i in 0..<inner { out[i] = base[i] }
            for l in 1..<Swift.max(length, 1) {
                let row = base + l * inner
                // NaN propagates: a comparison with NaN is false, so test it explicitly.
                for i in 0..<inner where row[i] > out[i] || row[i].isNaN { out[i] = row[i] }
            }
        }
    }

    /// Copies a tensor viewed as [outer, sourceLength, inner] into the slice
    /// [outer, offset..<offset+sourceLength, inner] of a [outer, targetLength, inner] tensor,
    /// or the reverse when `extracting` is true (target slice → source block).
    static func copyBlocks(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>,
                           outer: Int, blockLength: Int, inner: Int,
                           sourceLength: Int, sourceOffset: Int,
                           targetLength: Int, targetOffset: Int) {
        let block = blockLength * inner
        if block == 0 { return }
        for o in 0..<outer {
            (target + (o * targetLength + targetOffset) * inner)
                .update(from: source + (o * sourceLength + sourceOffset) * inner, count: block)
        }
    }

    /// General axis permutation: target[permuted index] = source[index].
    static func permute(_ source: UnsafePointer<Float>, shape: [Int], axes: [Int],
                        into target: UnsafeMutablePointer<Float>) {
        let count = Shape.count(shape)
        if count == 0 { return }
        let rank = shape.count
        let sourceStrides = Shape.strides(shape)
        let targetShape = axes.map { shape[$0] }
        // Walk the target in order; each target axis steps the source by its stride.
        let steps = axes.map { sourceStrides[$0] }
        if rank == 2 && axes == [1, 0] {
            let rows = shape[0], columns = shape[1]
            let tile = 32
            var r0 = 0
            while r0 < rows {
                var c0 = 0
                while c0 < columns {
                    for r in r0..<Swift.min(r0 + tile, rows) {
                        for c in c0..<Swift.min(c0 + tile, columns) { target[c * rows + r] = source[r * columns + c] }
                    }
                    c0 += tile
                }
                r0 += tile
            }
            return
        }
        var odometer = Odometer(shape: targetShape, strides: [steps])
        for i in 0..<count {
            target[i] = source[odometer.offsets[0]]
            odometer.advance(axis: rank - 1)
        }
    }
}

/// A row-major multi-index over `shape` that keeps one flat offset per stride vector: the
/// strided walk shared by broadcasting, reductions and permutations.
struct Odometer {
    let shape: [Int]
    let strides: [[Int]]
    private var index: [Int]
    private(set) var offsets: [Int]

    init(shape: [Int], strides: [[Int]]) {
        self.shape = shape
        self.strides = strides
        index = [Int](repeating: 0, count: shape.count)
        offsets = [Int](repeating: 0, count: strides.count)
    }

    /// Steps the index at `axis`, carrying into the outer axes.
    @inline(__always)
    mutating func advance(axis last: Int) {
        var axis = last
        while axis >= 0 {
            index[axis] += 1
            for k in offsets.indices { offsets[k] += strides[k][axis] }
            if index[axis] < shape[axis] { return }
            for k in offsets.indices { offsets[k] -= strides[k][axis] * shape[axis] }
            index[axis] = 0
            axis -= 1
        }
    }
}
