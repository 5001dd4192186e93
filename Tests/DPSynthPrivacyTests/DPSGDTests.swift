import XCTest
import DPSynthEngine
import DPSynthPrivacy
import DPSynthRandom
import DPSynthTestSupport

/// The DP-SGD phases one by one: sampling, clipping, noise, scaling, the whole step.
final class DPSGDTests: XCTestCase {
    /// A small discriminator-like model and a batch, with per-example losses.
    private func batch(examples: Int, seed: UInt64 = 1) -> (MLP, PerExampleGradients, Tensor) {
        let random = SeededGenerator(seed: seed)
        let model = MLP(sizes: [4, 6, 1], name: "d", hiddenActivation: .leakyRelu(negativeSlope: 0.2),
                        weightInitializer: .normal(standardDeviation: 2), random: random)
        let x = Tensor(shape: [examples, 4], scalars: random.gaussianFloats(count: examples * 4, standardDeviation: 3))
        let y = Tensor(shape: [examples, 1], scalars: (0..<examples).map { Float($0 % 2) })
        let losses = binaryCrossEntropy(logits: model(x), targets: y, reduction: .none)
        // Safe in tests: the MLP uses only Linear layers and elementwise ops.
        let perExample = try! PerExampleGradients(of: losses, withRespectTo: model.parameters)
        return (model, perExample, losses)
    }

    func testPoissonSamplerInclusionFrequenciesAreWithinBinomialBounds() throws {
        let sampler = try PoissonSampler(samplingProbability: 0.3, datasetSize: 50)
        let random = SeededGenerator(seed: 5)
        let draws = 4000
        var counts = [Int](repeating: 0, count: 50)
        var sizes: [Int] = []
        for _ in 0..<draws {
            let batch = sampler.sample(using: random)
            XCTAssertEqual(batch, batch.sorted())
            XCTAssertEqual(Set(batch).count, batch.count)
            for index in batch { counts[index] += 1 }
            sizes.append(batch.count)
        }
        // Each count is Binomial(4000, 0.3): mean 1200, sd 29.0; ±5 sd fails with probability < 3e-5 over 50 indices.
        let sd = (Double(draws) * 0.3 * 0.7).squareRoot()
        for count in counts { XCTAssertLessThanOrEqual(Swift.abs(Double(count) - 1200), 5 * sd) }
        // The batch size is Binomial(50, 0.3), mean 15, so its sample mean has sd √(10.5/4000) = 0.051.
        let meanSize = Double(sizes.reduce(0, +)) / Double(draws)
        XCTAssertEqual(meanSize, 15, accuracy: 5 * 0.0513)
    }

    func testPoissonSamplerEdgesAndEmptyBatches() throws {
        let random = SeededGenerator(seed: 6)
        XCTAssertEqual(try PoissonSampler(samplingProbability: 0, datasetSize: 10).sample(using: random), [])
        XCTAssertEqual(try PoissonSampler(samplingProbability: 1, datasetSize: 4).sample(using: random), [0, 1, 2, 3])
        let sparse = try PoissonSampler(samplingProbability: 0.01, datasetSize: 20)
        XCTAssertTrue((0..<200).contains { _ in sparse.sample(using: random).isEmpty }, "empty batches must occur")
        XCTAssertThrowsError(try PoissonSampler(samplingProbability: 1.5, datasetSize: 3))
        // Large N: O(qN) draws; the size stays within 5 sd of qN.
        let large = try PoissonSampler(samplingProbability: 1e-4, datasetSize: 10_000_000).sample(using: random)
        XCTAssertEqual(Double(large.count), 1000, accuracy: 5 * 1000.0.squareRoot())
    }

    func testClippedPerExampleNormsNeverExceedTheClippingNorm() throws {
        let (_, perExample, _) = batch(examples: 64)
        for clippingNorm in [1e-3, 0.1, 1, 10] {
            let factors = try PerExampleClipping.factorsByParameter(perExample, clippingNorm: clippingNorm, mode: .flat)
            let norms = PerExampleClipping.clippedNorms(perExample, factorsByParameter: factors)
            for (norm, raw) in zip(norms, perExample.squaredNorms) {
                XCTAssertLessThanOrEqual(norm, clippingNorm)
                if raw.squareRoot() <= clippingNorm { XCTAssertEqual(norm, raw.squareRoot(), accuracy: 1e-12) }
            }
            // The same bound on the materialised clipped gradients (Float arithmetic: 1e-5 relative slack).
            for i in [0, 17, 63] {
                var total = 0.0
                for p in perExample.parameters.indices {
                    let g = perExample.perExampleGradients(ofParameterAt: p).scalars
                    let width = g.count / 64
                    for j in 0..<width { total += pow(Double(factors[p][i]) * Double(g[i * width + j]), 2) }
                }
                XCTAssertLessThanOrEqual(total.squareRoot(), clippingNorm * (1 + 1e-5))
            }
        }
    }

    func testPerLayerClippingBoundsEachParameter() throws {
        let (_, perExample, _) = batch(examples: 16)
        let mode = ClippingMode.perLayerEvenlySplit(clippingNorm: 1, parameterCount: perExample.parameters.count)
        let factors = try PerExampleClipping.factorsByParameter(perExample, clippingNorm: 1, mode: mode)
        guard case .perLayer(let bounds) = mode else { return XCTFail() }
        for p in perExample.parameters.indices {
            for i in 0..<16 {
                XCTAssertLessThanOrEqual(Double(factors[p][i]) * perExample.squaredNormsByParameter[p][i].squareRoot(), bounds[p])
            }
        }
        XCTAssertLessThanOrEqual(PerExampleClipping.clippedNorms(perExample, factorsByParameter: factors).max() ?? 0, 1 + 1e-12)
        XCTAssertThrowsError(try DPSGDConfiguration(noiseMultiplier: 1, clippingNorm: 1, samplingProbability: 0.1,
                                                    datasetSize: 10, clipping: .perLayer(clippingNorms: [0.5, 0.5]))) { error in
            XCTAssertEqual(error as? DPSGDError, .invalidPerLayerNorms(norms: [0.5, 0.5], clippingNorm: 1))
        }
        XCTAssertThrowsError(try PerExampleClipping.factorsByParameter(perExample, clippingNorm: 1, mode: .perLayer(clippingNorms: [1])))
    }

    func testEmptyBatchGivesPureNoiseWithStandardDeviationSigmaC() throws {
        // σ = 2, C = 0.5, qN = 1: each coordinate is N(0, 1). Over n draws, Σx²/σ²C² ~ χ²_n;
        // n = 4·(6·4 + 6 + 6 + 1) = 148 coordinates × 100 steps; ±6√(2n) bounds the χ² statistic.
        let (model, _, _) = batch(examples: 1)
        let configuration = try DPSGDConfiguration(noiseMultiplier: 2, clippingNorm: 0.5, samplingProbability: 0.1, datasetSize: 10)
        let step = try DPSGDStep(configuration: configuration, optimizer: SGD(parameters: model.parameters, learningRate: 0),
                                 random: SeededGenerator(seed: 7))
        let empty = try PerExampleGradients(of: Tensor(zeros: [0]), withRespectTo: model.parameters)
        var sumOfSquares = 0.0, sum = 0.0, n = 0
        for _ in 0..<100 {
            for gradient in try step.privatizedGradients(empty) {
                for value in gradient.scalars { sumOfSquares += Double(value) * Double(value); sum += Double(value); n += 1 }
            }
        }
        XCTAssertEqual(sumOfSquares, Double(n), accuracy: 6 * (2 * Double(n)).squareRoot())
        XCTAssertEqual(sum / Double(n), 0, accuracy: 6 / Double(n).squareRoot())
        XCTAssertEqual(step.privacyFacts, DPSGDPrivacyFacts(samplingProbability: 0.1, noiseMultiplier: 2, steps: 100,
                                                             noiseIsCryptographicallySecure: false))
    }

    func testNoNoiseAndHugeClippingNormGiveThePlainGradientSumOverQN() throws {
        let (model, perExample, losses) = batch(examples: 12)
        let configuration = try DPSGDConfiguration(noiseMultiplier: 0, clippingNorm: 1e12, samplingProbability: 0.25, datasetSize: 40)
        let step = try DPSGDStep(configuration: configuration, optimizer: SGD(parameters: model.parameters, learningRate: 0),
                                 random: SeededGenerator(seed: 8))
        let privatized = try step.privatizedGradients(perExample)
        let plain = gradients(of: losses.sum(), withRespectTo: model.parameters)
        for (mine, theirs) in zip(privatized, plain) {
            XCTAssertLessThanOrEqual(maximumRelativeDifference(mine.scalars, theirs.scalars.map { $0 / 10 }), 1e-5)
        }
    }

    func testPublicRowsEnterUnclippedWithTheirOwnWeight() throws {
        let (model, perExample, losses) = batch(examples: 10)
        let configuration = try DPSGDConfiguration(noiseMultiplier: 0, clippingNorm: 1e12, samplingProbability: 0.5, datasetSize: 12)
        let step = try DPSGDStep(configuration: configuration, optimizer: SGD(parameters: model.parameters, learningRate: 0),
                                 random: SeededGenerator(seed: 9))
        let privatized = try step.privatizedGradients(perExample, privateExamples: 0..<6, publicWeight: 0.25)
        let privatePart = gradients(of: losses.rows(0..<6).sum(), withRespectTo: model.parameters)
        let publicPart = gradients(of: losses.rows(6..<10).sum(), withRespectTo: model.parameters)
        for (mine, (a, b)) in zip(privatized, zip(privatePart, publicPart)) {
            XCTAssertLessThanOrEqual(maximumRelativeDifference(mine.scalars, (a / 6 + b * 0.25).scalars), 1e-5)
        }
    }

    func testConfigurationValidationAndSecureDefault() throws {
        XCTAssertThrowsError(try DPSGDConfiguration(noiseMultiplier: -1, clippingNorm: 1, samplingProbability: 0.1, datasetSize: 10)) { error in
            XCTAssertEqual("\(error)", "DP-SGD noiseMultiplier must be a finite number ≥ 0, found -1.0")
        }
        XCTAssertThrowsError(try DPSGDConfiguration(noiseMultiplier: 1, clippingNorm: 0, samplingProbability: 0.1, datasetSize: 10))
        XCTAssertThrowsError(try DPSGDConfiguration(noiseMultiplier: 1, clippingNorm: 1, samplingProbability: 0, datasetSize: 10))
        XCTAssertThrowsError(try DPSGDConfiguration(noiseMultiplier: 1, clippingNorm: 1, samplingProbability: 0.1, datasetSize: 0))
        let configuration = try DPSGDConfiguration(noiseMultiplier: 1, clippingNorm: 1, samplingProbability: 0.1, datasetSize: 10)
        XCTAssertEqual(configuration.expectedBatchSize, 1, accuracy: 1e-12)
        let p = Parameter(name: "p", value: Tensor([0]))
        let secure = try DPSGDStep(configuration: configuration, optimizer: SGD(parameters: [p], learningRate: 1))
        XCTAssertTrue(secure.isCryptographicallySecure)
        XCTAssertTrue(secure.privacyFacts.noiseIsCryptographicallySecure)
        let seeded = try DPSGDStep(configuration: configuration, optimizer: SGD(parameters: [p], learningRate: 1),
                                   random: SeededGenerator(seed: 1))
        XCTAssertFalse(seeded.isCryptographicallySecure)
    }

    func testSeededStepsAreReproducible() throws {
        func train(seed: UInt64) throws -> [Float] {
            let (model, _, _) = batch(examples: 1, seed: 3)
            let configuration = try DPSGDConfiguration(noiseMultiplier: 1, clippingNorm: 1, samplingProbability: 0.5, datasetSize: 8)
            let step = try DPSGDStep(configuration: configuration, optimizer: Adam(parameters: model.parameters),
                                     random: SeededGenerator(seed: seed))
            let data = Tensor(shape: [8, 4], scalars: SeededGenerator(seed: 2).gaussianFloats(count: 32))
            for _ in 0..<5 {
                let rows = step.sampleBatch()
                let x = data.gathering(rows: rows)
                let losses = binaryCrossEntropy(logits: model(x), targets: Tensor(repeating: 1, shape: [rows.count, 1]), reduction: .none)
                try step.step(try PerExampleGradients(of: losses, withRespectTo: model.parameters))
            }
            return model.parameters.flatMap(\.value.scalars)
        }
        XCTAssertEqual(try train(seed: 1), try train(seed: 1))
        XCTAssertNotEqual(try train(seed: 1), try train(seed: 2))
    }

    func testSeededNoiseDoesNotDependOnTheThreadCountOrThePrefetch() throws {
        let previous = Engine.threadCount
        defer { Engine.threadCount = previous }
        func noise(threads: Int, prefetching: Bool = true) throws -> [Float] {
            Engine.threadCount = threads
            // Three calls: with 2 threads the second and third use normals drawn in the background.
            let noise = try GaussianNoise(derivedFrom: SeededGenerator(seed: 3))
            var draws: [Float] = []
            for _ in 0..<3 {
                var gradients = [Tensor(zeros: [37, 5]), Tensor(zeros: [3]), Tensor(zeros: [0]), Tensor(zeros: [101])]
                noise.add(to: &gradients, standardDeviation: 1.5, prefetchesNext: prefetching)
                draws += gradients.flatMap(\.scalars)
            }
            return draws
        }
        let single = try noise(threads: 1)
        XCTAssertEqual(single, try noise(threads: 2))
        XCTAssertEqual(single, try noise(threads: 2, prefetching: false), "drawn in the step, on both threads")
        XCTAssertEqual(Set(single).count, single.count, "every coordinate gets its own draw")
        XCTAssertTrue(try GaussianNoise().isCryptographicallySecure)
        XCTAssertFalse(try GaussianNoise(derivedFrom: SeededGenerator(seed: 1)).isCryptographicallySecure)
    }
}
