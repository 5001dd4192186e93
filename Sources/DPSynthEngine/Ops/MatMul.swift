/// Matrix products through `cblas_sgemm`, with transposes passed as flags (no copies).
///
/// For C = op(A)·op(B) the pullbacks are dA = g·op(B)ᵀ (transposed back when A was) and
/// dB = op(A)ᵀ·g, each again a `matmul`, so products differentiate to any order.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2, "matmul takes matrices, found shapes \(a.shape) and \(b.shape)")
    let m = transposeA ? a.shape[1] : a.shape[0], k = transposeA ? a.shape[0] : a.shape[1]
    let kB = transposeB ? b.shape[1] : b.shape[0], n = transposeB ? b.shape[0] : b.shape[1]
    precondition(k == kB, "matmul inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
    let result = Tensor(uninitializedShape: [m, n])
    Kernels.gemm(a.storage.pointer, b.storage.pointer, into: result.storage.pointer,
                 m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
    return Tensor.recorded(result, operation: "matmul", inputs: [a, b]) { g, needs in
        var gradientA: Tensor?, gradientB: Tensor?
        if needs[0] {
            // A·B: dA = g·Bᵀ; Aᵀ·B: dA = B·gᵀ; with Bᵀ the transposes flip accordingly.
            gradientA = transposeA ? matmul(b, g, transposeA: transposeB, transposeB: true)
                                   : matmul(g, b, transposeB: !transposeB)
        }
        if needs[1] {
            gradientB = transposeB ? matmul(g, a, transposeA: true, transposeB: transposeA)
                                   : matmul(a, g, transposeA: !transposeA)
        }
        return [gradientA, gradientB]
    }
}

/// x·W + b over the last axis: x [..., in], W [in, out], b [out] → [..., out].
///
/// One primitive rather than matmul + add, because it is the op that knows per-example
/// gradient norms (`PerExampleRule.linear`): it keeps x and receives the output gradient.
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    precondition(weight.rank == 2, "linear weight must be [in, out], found \(weight.shape)")
    precondition(x.rank >= 1 && x.shape.last == weight.shape[0],
                 "linear input \(x.shape) does not end in the weight's input size \(weight.shape[0])")
    let inputs = weight.shape[0], outputs = weight.shape[1]
    if let bias { precondition(bias.shape == [outputs], "linear bias must be [\(outputs)], found \(bias.shape)") }
    let rows = x.count / Swift.max(inputs, 1)
    let outputShape = Array(x.shape.dropLast()) + [outputs]
    let result = Tensor(uninitializedShape: outputShape)
    let out = result.storage.pointer
    if let bias {
        // The bias goes in as GEMM's C with beta = 1: no separate pass over the output.
        Kernels.forEachRowChunk(rows: rows, columns: outputs) { range in
            for row in range { (out + row * outputs).update(from: bias.storage.pointer, count: outputs) }
        }
    }
    Kernels.gemm(x.storage.pointer, weight.storage.pointer, into: out,
                 m: rows, n: outputs, k: inputs, beta: bias == nil ? 0 : 1)
    var taped = [x, weight]
    if let bias { taped.append(bias) }
    let rule = PerExampleRule.linear(input: x.detached().withShape([rows, inputs]), hasBias: bias != nil)
    return Tensor.recorded(result, operation: "linear", inputs: taped, kind: .parameterConsumer(rule)) { g, needs in
        let g2 = g.reshaped(to: [rows, outputs])
        let x2 = x.reshaped(to: [rows, inputs])
        var result: [Tensor?] = [nil, nil]
        if needs[0] { result[0] = matmul(g2, weight, transposeB: true).reshaped(to: x.shape) }
        if needs[1] { result[1] = matmul(x2, g2, transposeA: true) }
        if bias != nil { result.append(needs[2] ? g2.sum(alongAxes: [0]) : nil) }
        return result
    }
}
