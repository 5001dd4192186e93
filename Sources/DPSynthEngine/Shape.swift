/// Shape arithmetic shared by the ops: element counts, broadcasting (NumPy rules: shapes are
/// right-aligned and a dimension of 1 stretches), strides.
public enum Shape {
    /// The number of elements of a tensor with `shape` (1 for a scalar, shape `[]`).
    @inlinable
    public static func count(_ shape: [Int]) -> Int {
        var product = 1
        for dimension in shape { product *= dimension }
        return product
    }

    /// The broadcast result of two shapes, or nil when they are incompatible.
    public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let x = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
            let y = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
            if x == y || y == 1 { result[axis] = x } else if x == 1 { result[axis] = y } else { return nil }
        }
        return result
    }

    /// True when `source` broadcasts to `target` (every right-aligned dimension equal or 1).
    public static func broadcasts(_ source: [Int], to target: [Int]) -> Bool {
        guard source.count <= target.count else { return false }
        let offset = target.count - source.count
        for axis in 0..<source.count where source[axis] != 1 && source[axis] != target[axis + offset] {
            return false
        }
        return true
    }

    /// Row-major strides of `shape`.
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in (0..<shape.count).reversed() {
            strides[axis] = step
            step *= shape[axis]
        }
        return strides
    }

    /// Strides of `source` read as if it had shape `target` (0 along broadcast axes).
    static func broadcastStrides(_ source: [Int], to target: [Int]) -> [Int] {
        let own = strides(source)
        let offset = target.count - source.count
        return (0..<target.count).map { axis in
            axis < offset || source[axis - offset] == 1 ? 0 : own[axis - offset]
        }
    }

    /// `axis` resolved against `rank` (negative axes count from the end).
    static func normalize(axis: Int, rank: Int) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        precondition(resolved >= 0 && resolved < rank, "axis \(axis) out of range for rank \(rank)")
        return resolved
    }
}
