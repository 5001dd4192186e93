import XCTest
import DPSynthEngine
import DPSynthRandom
import DPSynthTestSupport

/// Finite-difference checks of every op's pullback, first order and (for the ops gradient
/// penalties differentiate through) second order. Tolerances: `GradientCheck` defaults
/// (h = 1e-2, |analytic − numeric| ≤ 2e-3 + 2e-3·|numeric|).
final class OpGradientTests: XCTestCase {
    private func assertGradients(_ name: String, shapes: [[Int]], range: ClosedRange<Float> = -2...2, margin: Float = 0,
                                 secondOrder: Bool = false, seed: UInt64 = 1,
                                 file: StaticString = #filePath, line: UInt = #line, _ op: @escaping ([Tensor]) -> Tensor) {
        let check = GradientCheck(seed: seed)
        let inputs = shapes.map { check.input($0, range: range, margin: margin) }
        let first = check.firstOrder(inputs, op)
        XCTAssertTrue(first.passes, "\(name) first order: \(first)", file: file, line: line)
        if secondOrder {
            let second = check.secondOrder(inputs, op)
            XCTAssertTrue(second.passes, "\(name) second order: \(second)", file: file, line: line)
        }
    }

    func testArithmeticWithBroadcasting() {
        let shapePairs: [[[Int]]] = [[[3, 4], [3, 4]], [[3, 4], [4]], [[3, 1], [1, 4]], [[2, 3, 4], [3, 1]], [[3, 4], []]]
        for shapes in shapePairs {
            assertGradients("add \(shapes)", shapes: shapes, secondOrder: true) { $0[0] + $0[1] }
            assertGradients("subtract \(shapes)", shapes: shapes, secondOrder: true) { $0[0] - $0[1] }
            assertGradients("multiply \(shapes)", shapes: shapes, secondOrder: true) { $0[0] * $0[1] }
            assertGradients("divide \(shapes)", shapes: shapes, range: 0.5...2, secondOrder: true) { $0[0] / $0[1] }
        }
        assertGradients("scalar arithmetic", shapes: [[5]], secondOrder: true) { 2 * $0[0] - 1 + $0[0] / 4 }
        assertGradients("negate", shapes: [[5]], secondOrder: true) { -$0[0] }
        assertGradients("reused input", shapes: [[4]], range: -1...1, secondOrder: true) { $0[0] * $0[0] * $0[0] }
    }

    func testUnaryFunctions() {
        let shape = [[3, 5]]
        assertGradients("exp", shapes: shape, secondOrder: true) { exp($0[0]) }
        assertGradients("log", shapes: shape, range: 0.5...3, secondOrder: true) { log($0[0]) }
        assertGradients("sqrt", shapes: shape, range: 0.5...3, secondOrder: true) { sqrt($0[0]) }
        assertGradients("abs", shapes: shape, margin: 0.1, secondOrder: true) { abs($0[0]) }
        assertGradients("square", shapes: shape, secondOrder: true) { $0[0].squared() }
        assertGradients("power", shapes: shape, range: 0.5...2, secondOrder: true) { $0[0].raised(to: 1.5) }
        assertGradients("tanh", shapes: shape, secondOrder: true) { tanh($0[0]) }
        assertGradients("sigmoid", shapes: shape, secondOrder: true) { sigmoid($0[0]) }
        assertGradients("softplus", shapes: shape, secondOrder: true) { softplus($0[0]) }
        assertGradients("relu", shapes: shape, margin: 0.1, secondOrder: true) { relu($0[0]) }
        assertGradients("leakyRelu", shapes: shape, margin: 0.1, secondOrder: true) { leakyRelu($0[0], negativeSlope: 0.2) }
        assertGradients("gelu", shapes: shape, secondOrder: true) { gelu($0[0]) }
        for activation in [Activation.identity, .relu, .tanh, .sigmoid, .softplus, .gelu, .leakyRelu(negativeSlope: 0.1)] {
            assertGradients("\(activation)", shapes: shape, margin: 0.1) { activation($0[0]) }
        }
    }

    func testMatrixProducts() {
        for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = transposeA ? [4, 3] : [3, 4], b = transposeB ? [5, 4] : [4, 5]
            assertGradients("matmul \(transposeA) \(transposeB)", shapes: [a, b], secondOrder: true) {
                matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB)
            }
        }
        assertGradients("linear", shapes: [[6, 4], [4, 3], [3]], secondOrder: true) { linear($0[0], weight: $0[1], bias: $0[2]) }
        assertGradients("linear without bias, rank 3", shapes: [[2, 3, 4], [4, 5]], secondOrder: true) {
            linear($0[0], weight: $0[1], bias: nil)
        }
        assertGradients("linear then tanh (second order through an activation)", shapes: [[5, 4], [4, 3], [3]], secondOrder: true) {
            tanh(linear($0[0], weight: $0[1], bias: $0[2]))
        }
    }

    func testReductionsAndShapes() {
        assertGradients("sum", shapes: [[3, 4]], secondOrder: true) { $0[0].sum() }
        assertGradients("mean", shapes: [[3, 4]]) { $0[0].mean() }
        assertGradients("sum axis 0", shapes: [[3, 4]]) { $0[0].sum(alongAxes: [0]) }
        assertGradients("sum axes 0,2 keeping", shapes: [[2, 3, 4]]) { $0[0].sum(alongAxes: [0, 2], keepingDimensions: true) }
        assertGradients("mean axis -1", shapes: [[2, 3, 4]]) { $0[0].mean(alongAxes: [-1]) }
        assertGradients("max axis 1", shapes: [[3, 4]]) { $0[0].max(alongAxis: 1) }
        assertGradients("max axis 0 keeping", shapes: [[3, 4]]) { $0[0].max(alongAxis: 0, keepingDimensions: true) }
        assertGradients("summed to shape", shapes: [[2, 3, 4]]) { $0[0].summed(toShape: [3, 1]) }
        assertGradients("expanded", shapes: [[3, 1]], secondOrder: true) { $0[0].expanded(to: [2, 3, 4]) }
        assertGradients("reshape", shapes: [[3, 4]], secondOrder: true) { $0[0].reshaped(to: [2, -1]) * $0[0].reshaped(to: [2, 6]) }
        assertGradients("transpose", shapes: [[3, 4]], secondOrder: true) { $0[0].transposed().squared() }
        assertGradients("permute", shapes: [[2, 3, 4]]) { $0[0].transposed([2, 0, 1]) }
        assertGradients("flattened rows", shapes: [[2, 3, 4]]) { $0[0].flattenedRows() }
    }

    func testSlicingConcatenationGather() {
        assertGradients("slice axis 1", shapes: [[3, 5]], secondOrder: true) { $0[0].sliced(alongAxis: 1, 1..<4).squared() }
        assertGradients("rows", shapes: [[5, 2]]) { $0[0].rows(2..<4) }
        assertGradients("pad", shapes: [[3, 2]]) { $0[0].padded(alongAxis: 0, before: 1, after: 2) }
        assertGradients("concatenate", shapes: [[2, 3], [2, 1], [2, 2]], secondOrder: true) {
            Tensor.concatenate($0, alongAxis: 1).squared()
        }
        assertGradients("split", shapes: [[5, 3]]) { x in
            let parts = x[0].split(sizes: [2, 3], alongAxis: 0)
            return parts[0].sum(alongAxes: [0]) * parts[1].sum(alongAxes: [0])
        }
        let indices = [2, 0, 2, 1]
        assertGradients("gather", shapes: [[3, 4]], secondOrder: true) { $0[0].gathering(rows: indices).squared() }
        assertGradients("scatter add", shapes: [[4, 2]], secondOrder: true) { $0[0].scatterAdding(rows: indices, rowCount: 3).squared() }
        assertGradients("embedding", shapes: [[3, 4]]) { embeddingLookup($0[0], indices: indices) }
    }

    func testSoftmaxAndLosses() {
        assertGradients("logSoftmax", shapes: [[3, 5]], secondOrder: true) { logSoftmax($0[0]) }
        assertGradients("softmax", shapes: [[3, 5]], secondOrder: true) { softmax($0[0]) }
        let targets = Tensor(shape: [4, 1], scalars: [1, 0, 1, 0.3])
        for reduction in [LossReduction.none, .sum, .mean] {
            assertGradients("BCE \(reduction)", shapes: [[4, 1]], secondOrder: true) {
                binaryCrossEntropy(logits: $0[0], targets: targets, reduction: reduction)
            }
            assertGradients("cross-entropy \(reduction)", shapes: [[4, 3]], secondOrder: true) {
                crossEntropy(logits: $0[0], labels: [0, 2, 1, 2], reduction: reduction)
            }
            assertGradients("MSE \(reduction)", shapes: [[4, 2], [4, 2]], secondOrder: true) {
                meanSquaredError(predictions: $0[0], targets: $0[1], reduction: reduction)
            }
        }
        let probabilities = softmax(Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, 0, 1]))
        assertGradients("soft cross-entropy", shapes: [[2, 3]]) { crossEntropy(logits: $0[0], probabilities: probabilities) }
    }

    func testLayers() {
        let random = SeededGenerator(seed: 3)
        let dense = Linear(inputSize: 4, outputSize: 3, name: "dense", random: random)
        assertGradients("Linear layer input", shapes: [[5, 4]]) { dense($0[0]) }
        let norm = LayerNorm(size: 4, name: "norm")
        norm.gain.value = GradientCheck(seed: 9).input([4], range: 0.5...1.5)
        assertGradients("LayerNorm", shapes: [[3, 4]], secondOrder: true) { norm($0[0]) }
        assertGradients("LayerNorm gain and offset", shapes: [[3, 4], [4], [4]]) { x in
            let centered = x[0] - x[0].mean(alongAxes: [-1], keepingDimensions: true)
            let variance = centered.squared().mean(alongAxes: [-1], keepingDimensions: true)
            return centered / sqrt(variance + 1e-5) * x[1] + x[2]
        }
        let batchNorm = BatchNorm(size: 3, name: "bn")
        assertGradients("BatchNorm training", shapes: [[6, 3]]) { batchNorm($0[0], mode: .training) }
        assertGradients("BatchNorm evaluation", shapes: [[6, 3]]) { batchNorm($0[0], mode: .evaluation) }
        assertGradients("Dropout (fixed mask)", shapes: [[4, 5]]) {
            Dropout(rate: 0.3)($0[0], mode: .training, random: SeededGenerator(seed: 11))
        }
        assertGradients("Gumbel-softmax (fixed noise)", shapes: [[3, 4]], secondOrder: true) {
            gumbelSoftmax($0[0], temperature: 0.7, random: SeededGenerator(seed: 12))
        }
        assertGradients("MLP with LayerNorm", shapes: [[5, 3]]) {
            MLP(sizes: [3, 6, 2], name: "mlp", hiddenActivation: .tanh, layerNorm: true, random: SeededGenerator(seed: 4))($0[0])
        }
    }
}
