import CKernels
import COpenBLAS

/// Dense linear algebra on raw row-major buffers: the only code that calls cblas.
public enum Kernels {
    /// C = alpha · op(A) · op(B) + beta · C, row-major, with op(X) = Xᵀ when asked (no copies).
    /// A is m×k (k×m when transposed), B is k×n (n×k when transposed), C is m×n.
    public static func gemm(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                            into c: UnsafeMutablePointer<Float>,
                            m: Int, n: Int, k: Int,
                            transposeA: Bool = false, transposeB: Bool = false,
                            alpha: Float = 1, beta: Float = 0) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            // OpenBLAS rejects k = 0 leading dimensions; the product is empty.
            scale(c, count: m * n, by: beta)
            return
        }
        let tiling = GemmTiling(m: m, n: n, k: k)
        let lda = transposeA ? m : k, ldb = transposeB ? k : n
        // Tile (r, c) is rows r of C (rows of op(A)) by columns c (columns of op(B)); each
        // tile is its own one-threaded OpenBLAS call on sub-matrices through the full leading
        // dimensions, so nothing is copied.
        func tile(_ index: Int) {
            let rows = tiling.rows(ofTile: index), columns = tiling.columns(ofTile: index)
            let aStart = transposeA ? rows.lowerBound : rows.lowerBound * lda
            let bStart = transposeB ? columns.lowerBound * ldb : columns.lowerBound
            cblas_sgemm(CblasRowMajor,
                        transposeA ? CblasTrans : CblasNoTrans,
                        transposeB ? CblasTrans : CblasNoTrans,
                        Int32(rows.count), Int32(columns.count), Int32(k), alpha,
                        a + aStart, Int32(lda),
                        b + bStart, Int32(ldb),
                        beta, c + rows.lowerBound * n + columns.lowerBound, Int32(n))
        }
        if tiling.count == 1 {
            _ = Engine.poolIsPrepared
            tile(0)
        } else {
            concurrentForEach(count: tiling.count, tile)
        }
    }

    /// y = alpha · op(A) · x + beta · y for a row-major m×n matrix A.
    public static func gemv(_ a: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                            into y: UnsafeMutablePointer<Float>, m: Int, n: Int,
                            transposeA: Bool = false, alpha: Float = 1, beta: Float = 0) {
        let outputCount = transposeA ? n : m
        if outputCount == 0 { return }
        if m == 0 || n == 0 { scale(y, count: outputCount, by: beta); return }
        _ = Engine.poolIsPrepared
        cblas_sgemv(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), alpha, a, Int32(n), x, 1, beta, y, 1)
    }

    /// x *= factor (a factor of 0 writes zeros, also over NaN, as BLAS's beta = 0 does).
    public static func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        if factor == 0 { x.update(repeating: 0, count: count); return }
        if factor == 1 { return }
        forEachChunk(count: count) { range in for i in range { x[i] *= factor } }
    }

    /// y += alpha · x.
    public static func axpy(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                            count: Int, alpha: Float = 1) {
        forEachChunk(count: count) { range in for i in range { y[i] += alpha * x[i] } }
    }

    /// Σ x_i y_i accumulated in Double.
    ///
    /// Sixteen Float lanes per block of 256 elements keep the loop in vector registers (a
    /// scalar `partial += x*y` is a chain of dependent adds that the compiler may not reorder);
    /// each block's lanes are added in Double, so the error does not grow with `count`.
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Double {
        typealias Lanes = SIMD16<Float>
        var total = 0.0
        var start = 0
        let rawX = UnsafeRawPointer(x), rawY = UnsafeRawPointer(y)
        while start + Lanes.scalarCount <= count {
            let end = Swift.min(start + 256, count - count % Lanes.scalarCount)
            var partial = Lanes()
            var i = start
            while i < end {
                let offset = i * MemoryLayout<Float>.stride
                // Not addProduct: without FMA in the baseline ISA it becomes a libm call per lane.
                partial += rawX.loadUnaligned(fromByteOffset: offset, as: Lanes.self)
                    * rawY.loadUnaligned(fromByteOffset: offset, as: Lanes.self)
                i += Lanes.scalarCount
            }
            total += Double(partial.sum())
            start = end
        }
        var tail: Float = 0
        for i in start..<count { tail += x[i] * y[i] }
        return total + Double(tail)
    }

    /// Σ x_i² accumulated in Double (the C kernel of `rowSumsOfSquares`, one row).
    public static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
        var result = 0.0
        dpsynth_row_sums_of_squares(x, 1, count, &result)
        return result
    }

    /// Squared L2 norm of each row of a row-major rows×columns matrix, in Double: the C kernel
    /// `dpsynth_row_sums_of_squares` (AVX-512 / AVX2 when present, same bits on every path),
    /// rows split over threads for large matrices.
    public static func rowSumsOfSquares(_ x: UnsafePointer<Float>, rows: Int, columns: Int,
                                        into result: UnsafeMutablePointer<Double>) {
        forEachRowChunk(rows: rows, columns: columns) { range in
            dpsynth_row_sums_of_squares(x + range.lowerBound * columns, range.count, columns, result + range.lowerBound)
        }
    }

    /// Each row of a rows×columns matrix multiplied by its own factor, written to `output`.
    public static func scaleRows(_ x: UnsafePointer<Float>, by factors: UnsafePointer<Float>,
                                 into output: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        forEachRowChunk(rows: rows, columns: columns) { range in
            for row in range {
                let factor = factors[row]
                let source = x + row * columns, target = output + row * columns
                for column in 0..<columns { target[column] = factor * source[column] }
            }
        }
    }
}
