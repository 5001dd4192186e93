import XCTest
import Foundation
import DPSynthEngine
import DPSynthRandom
import DPSynthTestSupport

/// End-to-end learning: a classifier on real data, a small GAN, and seeded determinism.
final class TrainingTests: XCTestCase {
    func testTwoLayerClassifierReachesNinetyFivePercentOnBreastCancer() throws {
        let data = try BreastCancerData()
        let (x, y) = (data.trainFeatures, data.trainLabels)
        XCTAssertEqual(x.shape, [455, 30])
        XCTAssertEqual(data.testLabels.count, 114)
        let random = SeededGenerator(seed: 1)
        let model = MLP(sizes: [30, 16, 1], name: "classifier", hiddenActivation: .relu, weightInitializer: .heNormal, random: random)
        let optimizer = Adam(parameters: model.parameters, learningRate: 1e-2)
        let rows = x.shape[0], batchSize = 64
        for _ in 0..<60 {
            var order = Array(0..<rows)
            for i in stride(from: rows - 1, to: 0, by: -1) { order.swapAt(i, Int(random.next() % UInt64(i + 1))) }
            for start in stride(from: 0, to: rows, by: batchSize) {
                let batch = Array(order[start..<min(start + batchSize, rows)])
                let loss = binaryCrossEntropy(logits: model(x.gathering(rows: batch)), targets: y.gathering(rows: batch))
                optimizer.step(gradients: gradients(of: loss, withRespectTo: model.parameters))
            }
        }
        let accuracy = data.testAccuracy(logits: withoutGradients { model(data.testFeatures) })
        print("WDBC test accuracy \(accuracy)")
        XCTAssertGreaterThanOrEqual(accuracy, 0.95, "test accuracy \(accuracy)")
    }

    /// Eight Gaussians (sd 0.1) on a circle of radius 2. Measure: a mode is covered when ≥ 2% of
    /// 2,000 samples lie within 3 sd (0.3) of its centre; quality: ≥ 70% of samples lie within
    /// 3 sd of some centre. The GAN must cover ≥ 6 of 8 modes.
    func testSmallGANCoversSixOfEightGaussianModes() {
        let random = SeededGenerator(seed: 2)
        let deviation: Float = 0.1
        let centres = (0..<8).map { k -> (Float, Float) in
            let angle = Float(k) * Float.pi / 4
            return (2 * cos(angle), 2 * sin(angle))
        }
        func realBatch(_ count: Int) -> Tensor {
            var scalars: [Float] = []
            for _ in 0..<count {
                let centre = centres[Int(random.next() % 8)]
                scalars += [centre.0 + deviation * Float(random.nextGaussian()), centre.1 + deviation * Float(random.nextGaussian())]
            }
            return Tensor(shape: [count, 2], scalars: scalars)
        }
        let latent = 8, batch = 128
        let generator = MLP(sizes: [latent, 64, 64, 2], name: "g", hiddenActivation: .leakyRelu(negativeSlope: 0.2), random: random)
        let discriminator = MLP(sizes: [2, 64, 64, 1], name: "d", hiddenActivation: .leakyRelu(negativeSlope: 0.2), random: random)
        let generatorOptimizer = Adam(parameters: generator.parameters, learningRate: 1e-3, beta1: 0.5)
        let discriminatorOptimizer = Adam(parameters: discriminator.parameters, learningRate: 1e-3, beta1: 0.5)
        let ones = Tensor(repeating: 1, shape: [batch, 1]), zeros = Tensor(zeros: [batch, 1])
        func noise(_ count: Int) -> Tensor { Tensor(shape: [count, latent], scalars: random.gaussianFloats(count: count * latent)) }
        for _ in 0..<2500 {
            let fake = withoutGradients { generator(noise(batch)) }
            let discriminatorLoss = binaryCrossEntropy(logits: discriminator(realBatch(batch)), targets: ones)
                + binaryCrossEntropy(logits: discriminator(fake), targets: zeros)
            discriminatorOptimizer.step(gradients: gradients(of: discriminatorLoss, withRespectTo: discriminator.parameters))
            // Non-saturating generator loss (Goodfellow et al. 2014, §3).
            let generatorLoss = binaryCrossEntropy(logits: discriminator(generator(noise(batch))), targets: ones)
            generatorOptimizer.step(gradients: gradients(of: generatorLoss, withRespectTo: generator.parameters))
        }
        let samples = withoutGradients { generator(noise(2000)) }.scalars
        var hits = [Int](repeating: 0, count: 8), good = 0
        for i in 0..<2000 {
            let (x, y) = (samples[2 * i], samples[2 * i + 1])
            if let k = centres.indices.first(where: { hypot(x - centres[$0].0, y - centres[$0].1) <= 3 * deviation }) {
                hits[k] += 1
                good += 1
            }
        }
        let covered = hits.filter { $0 >= 40 }.count
        print("GAN modes: samples per mode \(hits), within 3 sd: \(good)/2000")
        XCTAssertGreaterThanOrEqual(covered, 6, "samples per mode \(hits)")
        XCTAssertGreaterThanOrEqual(Double(good) / 2000, 0.7, "samples per mode \(hits)")
    }

    func testTrainingIsDeterministicForASeed() {
        func train(seed: UInt64) -> [UInt8] {
            let random = SeededGenerator(seed: seed)
            let model = MLP(sizes: [3, 8, 1], name: "m", hiddenActivation: .gelu, layerNorm: true, random: random)
            let optimizer = Adam.adamW(parameters: model.parameters)
            let dropout = Dropout(rate: 0.2)
            for _ in 0..<20 {
                let x = Tensor(shape: [16, 3], scalars: random.gaussianFloats(count: 48))
                let loss = meanSquaredError(predictions: dropout(model(x), mode: .training, random: random), targets: x.sum(alongAxes: [1], keepingDimensions: true))
                optimizer.step(gradients: gradients(of: loss, withRespectTo: model.parameters))
            }
            return model.serializedParameters()
        }
        XCTAssertEqual(train(seed: 4), train(seed: 4))
        XCTAssertNotEqual(train(seed: 4), train(seed: 5))
    }

    /// Kernels split large buffers (≥ 65,536 elements) over `Engine.threadCount` threads; every
    /// element is computed by the same code whatever the split, so a plain step and a
    /// per-example step (norms, weighted sums, Adam) give bitwise the same parameters with 1
    /// and 2 threads. Batch 300 × width 256 puts the activations above the split threshold.
    func testLargeKernelsDoNotDependOnTheThreadCount() throws {
        let previous = Engine.threadCount
        defer { Engine.threadCount = previous }
        func train(threads: Int) throws -> ([UInt8], [Double]) {
            Engine.threadCount = threads
            let random = SeededGenerator(seed: 6)
            let model = MLP(sizes: [40, 256, 256, 1], name: "m", hiddenActivation: .leakyRelu(negativeSlope: 0.2),
                            weightInitializer: .lecunNormal, random: random)
            let optimizer = Adam(parameters: model.parameters)
            var norms: [Double] = []
            for step in 0..<3 {
                let x = Tensor(shape: [300, 40], scalars: random.gaussianFloats(count: 12_000))
                let targets = Tensor(shape: [300, 1], scalars: (0..<300).map { Float($0 % 2) })
                if step == 1 {
                    let losses = binaryCrossEntropy(logits: model(x), targets: targets, reduction: .none)
                    let perExample = try PerExampleGradients(of: losses, withRespectTo: model.parameters)
                    norms += perExample.squaredNorms
                    let weights = perExample.squaredNorms.map { Float(1 / Swift.max(1, $0.squareRoot())) }
                    optimizer.step(gradients: perExample.weightedSum(weights: weights))
                } else {
                    let loss = binaryCrossEntropy(logits: model(x), targets: targets)
                    optimizer.step(gradients: gradients(of: loss, withRespectTo: model.parameters))
                }
            }
            return (model.serializedParameters(), norms)
        }
        let single = try train(threads: 1), double = try train(threads: 2)
        XCTAssertEqual(single.0, double.0)
        XCTAssertEqual(single.1, double.1)
        XCTAssertEqual(single.1.count, 300)
    }

    /// Products are cut into tiles by their shapes alone (`GemmTiling`), so they give the same
    /// bits on any number of threads: shapes of every class (small, tall, wide, transposed, one
    /// column, inner sizes that are and are not split) on 1 to 4 threads.
    func testProductsDoNotDependOnTheThreadCount() {
        let previous = Engine.threadCount
        defer { Engine.threadCount = previous }
        let random = SeededGenerator(seed: 9)
        let shapes = [(64, 256, 32), (1024, 256, 256), (256, 256, 1024), (3, 5, 7), (2048, 1, 256), (100, 300, 200)]
        for (m, n, k) in shapes {
            for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = random.gaussianFloats(count: m * k), b = random.gaussianFloats(count: k * n)
                func product(threads: Int) -> [Float] {
                    Engine.threadCount = threads
                    return Kernels.product(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
                }
                let one = product(threads: 1)
                for threads in 2...4 {
                    XCTAssertEqual(product(threads: threads), one,
                                   "m \(m), n \(n), k \(k), transposes \(transposeA) \(transposeB), \(threads) threads")
                }
            }
        }
    }
}
