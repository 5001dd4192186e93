import XCTest
import DPSynthEngine
import DPSynthRandom

/// Forward values, edge cases (empty tensors, NaN and infinity) and graph bookkeeping.
final class TensorTests: XCTestCase {
    func testBroadcastingValues() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3], scalars: [10, 20, 30])
        XCTAssertEqual((a + b).scalars, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual((a * Tensor(shape: [2, 1], scalars: [2, 3])).scalars, [2, 4, 6, 12, 15, 18])
        XCTAssertEqual((b - a).scalars, [9, 18, 27, 6, 15, 24])
        XCTAssertEqual(a.sum(alongAxes: [0]).scalars, [5, 7, 9])
        XCTAssertEqual(a.sum(alongAxes: [1]).scalars, [6, 15])
        XCTAssertEqual(a.max(alongAxis: 1).scalars, [3, 6])
        XCTAssertEqual(a.transposed().scalars, [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(matmul(a, a, transposeB: true).scalars, [14, 32, 32, 77])
        XCTAssertEqual(Tensor.concatenate([a, b.reshaped(to: [1, 3])]).shape, [3, 3])
        XCTAssertEqual(a.gathering(rows: [1, 1, 0]).scalars, [4, 5, 6, 4, 5, 6, 1, 2, 3])
    }

    /// Every broadcasting pattern of the four binary ops against a per-element loop over the
    /// broadcast indices (exact: each element is one IEEE operation either way), including sizes
    /// above the parallel threshold and shapes whose last axis is broadcast.
    func testBinaryOpsMatchAnElementByElementReference() {
        let random = SeededGenerator(seed: 21)
        func tensor(_ shape: [Int]) -> Tensor {
            // Away from 0, so that division stays finite and the comparison is of real values.
            Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Float(0.5 + 1.5 * random.nextUnitDouble()) * (random.nextBernoulli(0.5) ? 1 : -1) })
        }
        let cases: [([Int], [Int])] = [
            ([4, 5], [4, 5]), ([4, 5], []), ([], [4, 5]), ([4, 5], [5]), ([4, 5], [4, 1]), ([4, 1], [4, 5]),
            ([1, 5], [4, 1]), ([3, 4, 5], [4, 1]), ([3, 1, 5], [1, 4, 1]), ([300, 257], [257]), ([300, 257], [300, 1]),
            ([300, 257], [300, 257]), ([300, 257], []), ([2, 3, 1], [2, 1, 7]),
        ]
        let operations: [(String, (Tensor, Tensor) -> Tensor, (Float, Float) -> Float)] = [
            ("+", { $0 + $1 }, { $0 + $1 }), ("-", { $0 - $1 }, { $0 - $1 }),
            ("*", { $0 * $1 }, { $0 * $1 }), ("/", { $0 / $1 }, { $0 / $1 }),
        ]
        for (aShape, bShape) in cases {
            let a = tensor(aShape), b = tensor(bShape)
            let aValues = a.scalars, bValues = b.scalars
            let rank = max(aShape.count, bShape.count)
            let paddedA = [Int](repeating: 1, count: rank - aShape.count) + aShape
            let paddedB = [Int](repeating: 1, count: rank - bShape.count) + bShape
            let shape = zip(paddedA, paddedB).map { max($0, $1) }
            func offset(_ index: [Int], _ padded: [Int]) -> Int {
                zip(index, padded).reduce(0) { $0 * $1.1 + ($1.1 == 1 ? 0 : $1.0) }
            }
            for (symbol, op, scalarOp) in operations {
                let result = op(a, b)
                XCTAssertEqual(result.shape, shape)
                let values = result.scalars
                var index = [Int](repeating: 0, count: rank)
                var mismatches = 0
                for flat in 0..<shape.reduce(1, *) {
                    var rest = flat
                    for axis in stride(from: rank - 1, through: 0, by: -1) { index[axis] = rest % shape[axis]; rest /= shape[axis] }
                    let expected = scalarOp(aValues[offset(index, paddedA)], bValues[offset(index, paddedB)])
                    if values[flat] != expected { mismatches += 1 }
                }
                XCTAssertEqual(mismatches, 0, "\(aShape) \(symbol) \(bShape)")
            }
        }
    }

    func testEmptyTensors() {
        let empty = Tensor(zeros: [0, 3])
        XCTAssertEqual((empty + Tensor([1, 2, 3])).shape, [0, 3])
        XCTAssertEqual(empty.sum().scalar, 0)
        XCTAssertEqual(empty.sum(alongAxes: [0]).scalars, [0, 0, 0])
        XCTAssertEqual(matmul(empty, Tensor(zeros: [3, 2])).shape, [0, 2])
        XCTAssertEqual(matmul(Tensor(zeros: [2, 0]), Tensor(zeros: [0, 4])).scalars, [Float](repeating: 0, count: 8))
        let x = empty.requiringGradient()
        let grads = gradients(of: (tanh(x) * 2).sum(), withRespectTo: [x])
        XCTAssertEqual(grads[0].shape, [0, 3])
        XCTAssertEqual(Tensor.concatenate([empty, Tensor(zeros: [2, 3])]).shape, [2, 3])
    }

    func testNonFiniteValuesPropagate() {
        let x = Tensor([.nan, .infinity, -.infinity, 0])
        let e = exp(x).scalars
        XCTAssertTrue(e[0].isNaN); XCTAssertEqual(e[1], .infinity); XCTAssertEqual(e[2], 0)
        XCTAssertTrue(x.max(alongAxis: 0).scalar.isNaN, "max must propagate NaN")
        XCTAssertEqual(sigmoid(Tensor([-1000, 1000])).scalars, [0, 1])
        XCTAssertEqual(softplus(Tensor([-1000, 1000])).scalars, [0, 1000])
        let logits = Tensor(shape: [1, 3], scalars: [1000, 0, -1000])
        XCTAssertEqual(logSoftmax(logits).scalars[0], 0, accuracy: 1e-6)
        XCTAssertTrue(binaryCrossEntropy(logits: Tensor(shape: [2], scalars: [-200, 200]), targets: Tensor([1, 0])).scalar.isFinite)
    }

    func testGradientAccumulatesOverReuseAndRespectsNoGradientMode() {
        let x = Tensor([1, 2, 3]).requiringGradient()
        let y = (x * x + x).sum()
        XCTAssertEqual(gradients(of: y, withRespectTo: [x])[0].scalars, [3, 5, 7])
        let z = withoutGradients { x * x }
        XCTAssertFalse(z.requiresGradient)
        XCTAssertTrue((x * x).requiresGradient)
        let unrelated = Tensor([5]).requiringGradient()
        XCTAssertEqual(gradients(of: y, withRespectTo: [unrelated])[0].scalars, [0])
        XCTAssertFalse(gradients(of: y, withRespectTo: [x])[0].requiresGradient, "no graph without createGraph")
        XCTAssertTrue(gradients(of: y, withRespectTo: [x], createGraph: true)[0].requiresGradient)
    }

    func testCopyOnWrite() {
        let a = Tensor([1, 2, 3])
        var b = a
        b.withUnsafeMutableBufferPointer { $0[0] = 9 }
        XCTAssertEqual(a.scalars, [1, 2, 3])
        XCTAssertEqual(b.scalars, [9, 2, 3])
    }

    func testRandomTensorsAreSeeded() {
        let a = Tensor.randomNormal(shape: [3, 4], standardDeviation: 2, random: SeededGenerator(seed: 1))
        XCTAssertTrue(a.hasSameValues(as: Tensor.randomNormal(shape: [3, 4], standardDeviation: 2, random: SeededGenerator(seed: 1))))
        XCTAssertFalse(a.hasSameValues(as: Tensor.randomNormal(shape: [3, 4], standardDeviation: 2, random: SeededGenerator(seed: 2))))
        let u = Tensor.randomUniform(shape: [1000], in: -1...3, random: SeededGenerator(seed: 3)).scalars
        XCTAssertTrue(u.allSatisfy { $0 >= -1 && $0 <= 3 })
        XCTAssertEqual(Double(u.reduce(0, +)) / 1000, 1, accuracy: 0.15)
    }

    func testHardGumbelSoftmaxIsOneHotWithTheSoftGradient() {
        let logits = Tensor(shape: [2, 3], scalars: [0.1, 2, -1, 1, 0, 0.5]).requiringGradient()
        let hard = gumbelSoftmax(logits, temperature: 0.5, hard: true, random: SeededGenerator(seed: 4))
        let soft = gumbelSoftmax(logits, temperature: 0.5, random: SeededGenerator(seed: 4))
        for row in 0..<2 {
            let values = (0..<3).map { hard[row, $0] }
            XCTAssertEqual(values.filter { $0 == 1 }.count, 1)
            XCTAssertEqual(values.filter { $0 == 0 }.count, 2)
        }
        let weights = Tensor(shape: [2, 3], scalars: [1, -2, 3, 0.5, 1, -1])
        let hardGradient = gradients(of: (hard * weights).sum(), withRespectTo: [logits])[0]
        let softGradient = gradients(of: (soft * weights).sum(), withRespectTo: [logits])[0]
        XCTAssertEqual(hardGradient.scalars, softGradient.scalars)
    }
}
