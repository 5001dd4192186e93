import XCTest
import DPSynthEngine
import DPSynthRandom
import DPSynthTestSupport

/// Per-example norms and weighted sums from one walk, against B separate batch-of-one backward
/// passes (`PerExampleGradients.byBatchOfOne`): relative error ≤ 1e-4 in Float.
final class PerExampleGradientTests: XCTestCase {
    private let tolerance = 1e-4

    /// Compares the one-walk result with the batch-of-one reference for norms, per-parameter
    /// norms and a weighted sum with random weights.
    private func assertMatchesBatchOfOne(examples: Int, parameters: [Parameter], random: SeededGenerator,
                                         file: StaticString = #filePath, line: UInt = #line,
                                         losses: (Range<Int>) -> Tensor) throws {
        let fast = try PerExampleGradients(of: losses(0..<examples), withRespectTo: parameters)
        let reference = PerExampleGradients.byBatchOfOne(exampleCount: examples, parameters: parameters) { i in
            losses(i..<(i + 1))
        }
        XCTAssertEqual(fast.exampleCount, examples, file: file, line: line)
        XCTAssertEqual(fast.squaredNorms.count, examples, file: file, line: line)
        for (p, (mine, theirs)) in zip(fast.squaredNormsByParameter, reference.squaredNormsByParameter).enumerated() {
            let difference = maximumRelativeDifference(mine.map(Float.init), theirs.map(Float.init), floor: 1e-8)
            XCTAssertLessThanOrEqual(difference, tolerance, "norms of \(parameters[p].name)", file: file, line: line)
        }
        let weights = (0..<examples).map { _ in Float(random.nextUnitDouble() * 2 - 0.5) }
        for (p, (mine, theirs)) in zip(fast.weightedSum(weights: weights), reference.weightedSum(weights: weights)).enumerated() {
            XCTAssertEqual(mine.shape, parameters[p].shape, file: file, line: line)
            let difference = maximumRelativeDifference(mine.scalars, theirs.scalars, floor: 1e-8)
            XCTAssertLessThanOrEqual(difference, tolerance, "weighted sum of \(parameters[p].name)", file: file, line: line)
        }
        // The weighted sum with all weights 1 is the ordinary gradient of Σ losses.
        if examples > 0 {
            let plain = gradients(of: losses(0..<examples).sum(), withRespectTo: parameters)
            for (mine, theirs) in zip(fast.weightedSum(weights: [Float](repeating: 1, count: examples)), plain) {
                XCTAssertLessThanOrEqual(maximumRelativeDifference(mine.scalars, theirs.scalars, floor: 1e-8), tolerance,
                                         file: file, line: line)
            }
        }
    }

    func testMultilayerPerceptronWithEmbeddingAndLayerNorm() throws {
        let random = SeededGenerator(seed: 21)
        for trial in 0..<4 {
            let examples = [0, 1, 7, 33][trial]
            let features = 2 + Int(random.next() % 6), hidden = 3 + Int(random.next() % 9), categories = 2 + Int(random.next() % 4)
            let width = 1 + Int(random.next() % 4)
            let embedding = Embedding(count: categories, width: width, name: "embedding", random: random)
            let first = Linear(inputSize: features + width, outputSize: hidden, name: "first", random: random)
            let norm = LayerNorm(size: hidden, name: "norm")
            norm.gain.value = GradientCheck(seed: UInt64(trial)).input([hidden], range: 0.5...1.5)
            norm.offset.value = GradientCheck(seed: UInt64(trial + 10)).input([hidden], range: -0.5...0.5)
            let last = Linear(inputSize: hidden, outputSize: 1, name: "last", random: random)
            let x = GradientCheck(seed: UInt64(trial + 20)).input([examples, features])
            let codes = (0..<examples).map { _ in Int(random.next() % UInt64(categories)) }
            let labels = Tensor(shape: [examples, 1], scalars: (0..<examples).map { _ in random.nextBernoulli(0.5) ? 1 : 0 })
            let parameters = embedding.parameters + first.parameters + norm.parameters + last.parameters
            try assertMatchesBatchOfOne(examples: examples, parameters: parameters, random: random) { rows in
                let input = Tensor.concatenate([x.rows(rows), embedding(Array(codes[rows]))], alongAxis: 1)
                let logits = last(leakyRelu(norm(first(input))))
                return binaryCrossEntropy(logits: logits, targets: labels.rows(rows), reduction: .none)
            }
        }
    }

    func testSequenceShapedInputsWithSeveralRowsPerExample() throws {
        let random = SeededGenerator(seed: 22)
        for (examples, steps, features, hidden) in [(0, 3, 4, 5), (1, 4, 3, 2), (6, 3, 5, 7), (5, 8, 2, 3)] {
            let tokens = Embedding(count: 5, width: features, name: "tokens", random: random)
            let mix = Linear(inputSize: features, outputSize: hidden, name: "mix", random: random)
            let norm = LayerNorm(size: hidden, name: "norm")
            let head = Linear(inputSize: hidden, outputSize: 1, name: "head", random: random)
            let codes = (0..<(examples * steps)).map { _ in Int(random.next() % 5) }
            let parameters = tokens.parameters + mix.parameters + norm.parameters + head.parameters
            try assertMatchesBatchOfOne(examples: examples, parameters: parameters, random: random) { rows in
                // [rows·T] indices → [rows, T, features] → [rows, T, hidden] → pooled [rows, hidden] → [rows, 1].
                let embedded = tokens(Array(codes[(rows.lowerBound * steps)..<(rows.upperBound * steps)]))
                    .reshaped(to: [rows.count, steps, features])
                let hiddenStates = tanh(norm(mix(embedded)))
                return head(hiddenStates.mean(alongAxes: [1])).squared().reshaped(to: [rows.count])
            }
        }
    }

    func testParameterUsedTwiceIsMaterialised() throws {
        let random = SeededGenerator(seed: 23)
        let square = Linear(inputSize: 4, outputSize: 4, name: "tied", random: random)
        let x = GradientCheck(seed: 5).input([9, 4])
        try assertMatchesBatchOfOne(examples: 9, parameters: square.parameters, random: random) { rows in
            square(tanh(square(x.rows(rows)))).sum(alongAxes: [1])
        }
    }

    func testGANStyleBatchWithPublicRows() throws {
        // Real rows and generated rows in one batch: every row is its own example; the caller
        // chooses weights after seeing the norms (clipped private rows, unclipped public ones).
        let random = SeededGenerator(seed: 24)
        let discriminator = MLP(sizes: [3, 8, 8, 1], name: "d", hiddenActivation: .leakyRelu(negativeSlope: 0.2), random: random)
        let real = GradientCheck(seed: 6).input([5, 3]), fake = GradientCheck(seed: 7).input([4, 3])
        let targets = Tensor(shape: [9, 1], scalars: [1, 1, 1, 1, 1, 0, 0, 0, 0])
        let batch = Tensor.concatenate([real, fake])
        try assertMatchesBatchOfOne(examples: 9, parameters: discriminator.parameters, random: random) { rows in
            binaryCrossEntropy(logits: discriminator(batch.rows(rows)), targets: targets.rows(rows), reduction: .none)
        }
    }

    func testRealAndGeneratedPairsAsOneExample() throws {
        // The reference benchmark's gan_dp: example i is the pair (real_i, fake_i), rows
        // interleaved (T = 2 rows of every activation), loss_i = BCE(D(real_i), 1) + BCE(D(fake_i), 0).
        let random = SeededGenerator(seed: 25)
        let discriminator = MLP(sizes: [3, 40, 24, 1], name: "d", hiddenActivation: .leakyRelu(negativeSlope: 0.2), random: random)
        let real = GradientCheck(seed: 8).input([7, 3]), fake = GradientCheck(seed: 9).input([7, 3])
        let pairs = Tensor.concatenate([real, fake], alongAxis: 1).reshaped(to: [14, 3])
        let targets = Tensor(shape: [14, 1], scalars: (0..<14).map { $0 % 2 == 0 ? 1 : 0 })
        try assertMatchesBatchOfOne(examples: 7, parameters: discriminator.parameters, random: random) { examples in
            let rows = (2 * examples.lowerBound)..<(2 * examples.upperBound)
            let losses = binaryCrossEntropy(logits: discriminator(pairs.rows(rows)), targets: targets.rows(rows), reduction: .none)
            return losses.reshaped(to: [examples.count, 2]).sum(alongAxes: [1])
        }
    }

    func testUnsupportedUseOfAParameterIsRefused() {
        let weight = Parameter(name: "raw", value: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        let x = Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])
        XCTAssertThrowsError(try PerExampleGradients(of: matmul(x, weight.value).sum(alongAxes: [1]), withRespectTo: [weight])) { error in
            XCTAssertEqual(error as? PerExampleGradientError, .unsupportedOperations(["matmul"]))
        }
        XCTAssertThrowsError(try PerExampleGradients(of: Tensor(zeros: [2, 3]), withRespectTo: [weight]))
    }
}
