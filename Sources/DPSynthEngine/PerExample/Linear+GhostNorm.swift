/// Per-example squared norms, weighted sums and materialisation for each kind of contribution.
extension PerExampleContribution {
    /// The example of each row: rows are grouped, T = rows / B consecutive rows per example.
    private static func rowsPerExample(rows: Int, exampleCount: Int) -> Int {
        precondition(exampleCount > 0 && rows % exampleCount == 0,
                     "\(rows) activation rows cannot be split among \(exampleCount) examples")
        return rows / exampleCount
    }

    /// Rows per example up to which `smallGramNorms` forms the Gram entries by dot products.
    static let dotProductGramLimit = 4

    /// ‖A_iᵀG_i‖²_F = Σ_{t,s} (a_t·a_s)(g_t·g_s) for each example's T rows (Li et al. 2021,
    /// ghost clipping), the T(T+1)/2 distinct products of each Gram matrix as row dot products.
    private static func smallGramNorms(_ a: UnsafePointer<Float>, _ g: UnsafePointer<Float>, rowsPerExample t: Int,
                                       inputs: Int, outputs: Int, exampleCount: Int,
                                       into norms: UnsafeMutablePointer<Double>) {
        Kernels.forEachRowChunk(rows: exampleCount, columns: t * (inputs + outputs)) { examples in
            for i in examples {
                let aRows = a + i * t * inputs, gRows = g + i * t * outputs
                var total = 0.0
                for u in 0..<t {
                    for v in u..<t {
                        let product = Kernels.dot(aRows + u * inputs, aRows + v * inputs, count: inputs)
                            * Kernels.dot(gRows + u * outputs, gRows + v * outputs, count: outputs)
                        total += u == v ? product : 2 * product
                    }
                }
                norms[i] = total
            }
        }
    }

    /// Each example's weight repeated for its T rows.
    private static func rowWeights(_ weights: [Float], rowsPerExample: Int) -> [Float] {
        if rowsPerExample == 1 { return weights }
        var result = [Float](repeating: 0, count: weights.count * rowsPerExample)
        for (example, weight) in weights.enumerated() {
            for t in 0..<rowsPerExample { result[example * rowsPerExample + t] = weight }
        }
        return result
    }

    func squaredNorms(exampleCount: Int) -> [Double] {
        guard exampleCount > 0 else { return [] }
        var norms = [Double](repeating: 0, count: exampleCount)
        switch self {
        case .linearWeight(let a, let g):
            let rows = a.shape[0], inputs = a.shape[1], outputs = g.shape[1]
            let t = Self.rowsPerExample(rows: rows, exampleCount: exampleCount)
            if t == 1 {
                // ‖a_i g_iᵀ‖_F² = ‖a_i‖² ‖g_i‖².
                var aNorms = [Double](repeating: 0, count: rows), gNorms = [Double](repeating: 0, count: rows)
                Kernels.rowSumsOfSquares(a.storage.pointer, rows: rows, columns: inputs, into: &aNorms)
                Kernels.rowSumsOfSquares(g.storage.pointer, rows: rows, columns: outputs, into: &gNorms)
                for i in 0..<rows { norms[i] = aNorms[i] * gNorms[i] }
            } else if t <= Self.dotProductGramLimit {
                // Few rows per example (a GAN's real + fake pair is T = 2): the Gram entries
                // a_t·a_s and g_t·g_s as row dot products, without a BLAS call per example.
                Self.smallGramNorms(a.storage.pointer, g.storage.pointer, rowsPerExample: t, inputs: inputs,
                                    outputs: outputs, exampleCount: exampleCount, into: &norms)
            } else if t * t * (inputs + outputs) < inputs * outputs * (t + 1) {
                // ⟨A_iA_iᵀ, G_iG_iᵀ⟩ with two T×T Gram matrices per example.
                var gramA = [Float](repeating: 0, count: t * t), gramG = [Float](repeating: 0, count: t * t)
                for i in 0..<exampleCount {
                    Kernels.gemm(a.storage.pointer + i * t * inputs, a.storage.pointer + i * t * inputs, into: &gramA,
                                 m: t, n: t, k: inputs, transposeB: true)
                    Kernels.gemm(g.storage.pointer + i * t * outputs, g.storage.pointer + i * t * outputs, into: &gramG,
                                 m: t, n: t, k: outputs, transposeB: true)
                    var total = 0.0
                    for j in 0..<(t * t) { total += Double(gramA[j]) * Double(gramG[j]) }
                    norms[i] = total
                }
            } else {
                var product = [Float](repeating: 0, count: inputs * outputs)
                for i in 0..<exampleCount {
                    Kernels.gemm(a.storage.pointer + i * t * inputs, g.storage.pointer + i * t * outputs, into: &product,
                                 m: inputs, n: outputs, k: t, transposeA: true)
                    norms[i] = Kernels.sumOfSquares(product, count: product.count)
                }
            }
        case .linearBias(let g):
            let rows = g.shape[0], outputs = g.shape[1]
            let t = Self.rowsPerExample(rows: rows, exampleCount: exampleCount)
            if t == 1 {
                Kernels.rowSumsOfSquares(g.storage.pointer, rows: rows, columns: outputs, into: &norms)
            } else {
                let summed = materialized(exampleCount: exampleCount, parameterShape: [outputs])
                Kernels.rowSumsOfSquares(summed.storage.pointer, rows: exampleCount, columns: outputs, into: &norms)
            }
        case .embedding(let indices, _, let g):
            let rows = indices.count, width = g.count / Swift.max(rows, 1)
            let t = Self.rowsPerExample(rows: rows, exampleCount: exampleCount)
            if t == 1 {
                Kernels.rowSumsOfSquares(g.storage.pointer, rows: rows, columns: width, into: &norms)
            } else {
                // Rows hitting the same table row add up before the norm: group them per example.
                var groupSum = [Float](repeating: 0, count: width)
                for i in 0..<exampleCount {
                    let rowsOfExample = (i * t)..<((i + 1) * t)
                    let groups = Dictionary(grouping: rowsOfExample, by: { indices[$0] })
                    var total = 0.0
                    for (_, members) in groups {
                        for j in 0..<width { groupSum[j] = 0 }
                        for r in members { Kernels.axpy(g.storage.pointer + r * width, into: &groupSum, count: width) }
                        total += Kernels.sumOfSquares(groupSum, count: width)
                    }
                    norms[i] = total
                }
            }
        case .materialized(let gradients):
            let width = gradients.count / Swift.max(exampleCount, 1)
            Kernels.rowSumsOfSquares(gradients.storage.pointer, rows: exampleCount, columns: width, into: &norms)
        }
        return norms
    }

    /// gradient (+)= Σ_i weights[i] ∇_i (gradient has the parameter's shape): added to the
    /// current contents when `accumulate`, written over them otherwise (no zero-fill first).
    func accumulateWeightedSum(weights: [Float], exampleCount: Int, into gradient: UnsafeMutablePointer<Float>,
                               count: Int, accumulate: Bool = true) {
        guard exampleCount > 0 else {
            if !accumulate { gradient.update(repeating: 0, count: count) }
            return
        }
        let beta: Float = accumulate ? 1 : 0
        switch self {
        case .linearWeight(let a, let g):
            let rows = a.shape[0], inputs = a.shape[1], outputs = g.shape[1]
            let c = Self.rowWeights(weights, rowsPerExample: Self.rowsPerExample(rows: rows, exampleCount: exampleCount))
            // ∇W = aᵀ·(c ⊙ g): scale whichever factor is narrower, then one GEMM.
            if inputs <= outputs {
                let scaled = Tensor(uninitializedShape: [rows, inputs])
                Kernels.scaleRows(a.storage.pointer, by: c, into: scaled.storage.pointer, rows: rows, columns: inputs)
                Kernels.gemm(scaled.storage.pointer, g.storage.pointer, into: gradient,
                             m: inputs, n: outputs, k: rows, transposeA: true, beta: beta)
            } else {
                let scaled = Tensor(uninitializedShape: [rows, outputs])
                Kernels.scaleRows(g.storage.pointer, by: c, into: scaled.storage.pointer, rows: rows, columns: outputs)
                Kernels.gemm(a.storage.pointer, scaled.storage.pointer, into: gradient,
                             m: inputs, n: outputs, k: rows, transposeA: true, beta: beta)
            }
        case .linearBias(let g):
            let rows = g.shape[0], outputs = g.shape[1]
            let c = Self.rowWeights(weights, rowsPerExample: Self.rowsPerExample(rows: rows, exampleCount: exampleCount))
            Kernels.gemv(g.storage.pointer, c, into: gradient, m: rows, n: outputs, transposeA: true, beta: beta)
        case .embedding(let indices, _, let g):
            if !accumulate { gradient.update(repeating: 0, count: count) }
            let rows = indices.count, width = g.count / Swift.max(rows, 1)
            let t = Self.rowsPerExample(rows: rows, exampleCount: exampleCount)
            for (r, index) in indices.enumerated() {
                Kernels.axpy(g.storage.pointer + r * width, into: gradient + index * width, count: width, alpha: weights[r / t])
            }
        case .materialized(let gradients):
            let width = gradients.count / exampleCount
            Kernels.gemv(gradients.storage.pointer, weights, into: gradient, m: exampleCount, n: width,
                         transposeA: true, beta: beta)
        }
    }

    /// The per-example gradients themselves, [B] + parameter shape.
    func materialized(exampleCount: Int, parameterShape: [Int]) -> Tensor {
        let result = Tensor(zeros: [exampleCount] + parameterShape)
        guard exampleCount > 0 else { return result }
        let width = Shape.count(parameterShape)
        switch self {
        case .linearWeight(let a, let g):
            let rows = a.shape[0], inputs = a.shape[1], outputs = g.shape[1]
            let t = Self.rowsPerExample(rows: rows, exampleCount: exampleCount)
            for i in 0..<exampleCount {
                Kernels.gemm(a.storage.pointer + i * t * inputs, g.storage.pointer + i * t * outputs,
                             into: result.storage.pointer + i * width, m: inputs, n: outputs, k: t, transposeA: true)
            }
        case .linearBias(let g):
            let t = Self.rowsPerExample(rows: g.shape[0], exampleCount: exampleCount)
            Kernels.sum(g.storage.pointer, shape: [exampleCount, t, width], into: result.storage.pointer,
                        shape: [exampleCount, 1, width])
        case .embedding(let indices, _, let g):
            let rowWidth = g.count / Swift.max(indices.count, 1)
            let t = Self.rowsPerExample(rows: indices.count, exampleCount: exampleCount)
            for (r, index) in indices.enumerated() {
                Kernels.axpy(g.storage.pointer + r * rowWidth,
                             into: result.storage.pointer + (r / t) * width + index * rowWidth, count: rowWidth)
            }
        case .materialized(let gradients):
            return gradients
        }
        return result
    }
}
