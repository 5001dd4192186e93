import DPSynthEngine
import DPSynthPrivacy
import DPSynthRandom
import Foundation

/// `dpsynth bench --suite dpsgd`: the discriminator steps of `shared/reference/bench/`
/// (jax_dpsgd.py) — plain, DP-SGD (clip 1.0, σ = 1, Adam) and a GAN step with a DP
/// discriminator — timed per step. GFLOP/s uses the reference's analytic matmul count.
struct DPSGDBench: BenchSuite {
    static let name = "dpsgd"
    static let selectsConfigurations = true

    static let hidden = [256, 256]
    static let latent = 64
    static let variants = ["plain", "dp", "gan_dp"]
    static let inputs = [32, 128]
    static let batches = [64, 256, 1024]

    static func run(options: BenchOptions) throws -> BenchTable {
        var table = BenchTable(columns: ["variant", "input", "batch", "threads", "median_ms", "p10_ms", "gflops"])
        let threadCounts = options.threadCounts ?? [Engine.threadCount]
        for threads in threadCounts {
            Engine.threadCount = threads
            for variant in variants {
                for input in inputs {
                    for batch in batches {
                        let name = "\(variant) d=\(input) batch=\(batch) threads=\(threads)"
                        guard options.includes(name) else { continue }
                        options.progress("dpsgd: " + name)
                        var step = try makeStep(variant: variant, input: input, batch: batch)
                        let samples = try timeRepeatedly(warmup: 5, minimumIterations: options.quick ? 5 : 30,
                                                         minimumSeconds: options.quick ? 0.2 : 2.0) { try step() }
                        let milliseconds = median(samples)
                        let flops = analyticFlops(variant: variant, input: input, batch: batch)
                        // The 10th percentile, as jax_dpsgd.py's p10_ms: on a machine shared with
                        // other jobs it is the less disturbed figure of the two.
                        let tenthPercentile = samples.sorted()[samples.count / 10]
                        table.append([.text(variant), .integer(input), .integer(batch), .integer(threads),
                                      .number(milliseconds), .number(tenthPercentile), .number(flops / milliseconds / 1e6)])
                        step = {}
                    }
                }
            }
        }
        // The noise phase alone, for reading dp against plain: the product's secure streams
        // (ChaCha20 from OS entropy) and, for comparison with JAX's threefry, seeded xoshiro streams.
        var noiseNotes: [String] = []
        for threads in threadCounts {
            Engine.threadCount = threads
            for input in inputs {
                // Named like the step configurations, so `--only 'dp d=128 batch=64'` profiles the
                // step alone and `--only noise` times only this.
                guard options.includes("noise d=\(input) threads=\(threads)") else { continue }
                let shapes = zip([input] + hidden, hidden + [1]).flatMap { [[$0.0, $0.1], [$0.1]] }
                let count = shapes.reduce(0) { $0 + $1.reduce(1, *) }
                for (label, noise) in [("secure ChaCha20", try GaussianNoise()),
                                       ("seeded xoshiro256**", try GaussianNoise(derivedFrom: SeededGenerator(seed: 1)))] {
                    var gradients = shapes.map { Tensor(zeros: $0) }
                    let samples = timeRepeatedly(minimumIterations: options.quick ? 5 : 30,
                                                 minimumSeconds: options.quick ? 0.2 : 1.0) {
                        noise.add(to: &gradients, standardDeviation: 1)
                    }
                    noiseNotes.append("noise phase alone, \(label), \(count) coordinates (d=\(input)), threads \(threads): "
                                      + String(format: "%.3f ms", median(samples)))
                }
            }
        }
        table.measuredInNotes = !noiseNotes.isEmpty
        table.notes = noiseNotes + [
            "D: d → 256 → 256 → 1, LeakyReLU(0.2), BCE with logits, Adam(1e-3); G: 64 → 256 → 256 → d.",
            "dp: Poisson-free fixed batch (q = 1, N = batch) through DPSGDStep: one-walk per-example norms, clip 1.0, σ = 1 noise from SecureGenerator (ChaCha20), ÷ qN, Adam.",
            "gan_dp: as the reference, a DP discriminator step on batch (real, generated) pairs, each pair one example clipped as a whole (2 rows per example), σ = 1 noise, ÷ batch, then a non-saturating G step.",
            "gflops: analytic dense-layer FLOPs of shared/reference/bench/jax_dpsgd.py per median step.",
        ]
        return table
    }

    /// Multiply-add FLOPs (×2) of the dense layers, as `analytic_flops` in jax_dpsgd.py.
    static func analyticFlops(variant: String, input: Int, batch: Int) -> Double {
        func layers(_ from: Int, _ to: Int) -> [(Int, Int)] {
            let sizes = [from] + hidden + [to]
            return Array(zip(sizes.dropLast(), sizes.dropFirst()))
        }
        func mlp(_ layers: [(Int, Int)], _ rows: Int, firstInputGradient: Bool) -> (Double, Double, Double) {
            let forward = layers.reduce(0.0) { $0 + 2 * Double(rows * $1.0 * $1.1) }
            let inputGradient = layers.enumerated().reduce(0.0) { total, layer in
                layer.offset > 0 || firstInputGradient ? total + 2 * Double(rows * layer.element.0 * layer.element.1) : total
            }
            return (forward, forward, inputGradient)
        }
        let discriminator = layers(input, 1), generator = layers(latent, input)
        let (f, w, i) = mlp(discriminator, batch, firstInputGradient: false)
        switch variant {
        case "gan_dp":
            let (gf, _, _) = mlp(generator, batch, firstInputGradient: false)
            let (f2, w2, i2) = mlp(discriminator, 2 * batch, firstInputGradient: false)
            let (gf2, gw, gi) = mlp(generator, batch, firstInputGradient: false)
            let (df, _, di) = mlp(discriminator, batch, firstInputGradient: true)
            return gf + f2 + w2 + i2 + gf2 + df + di + gw + gi
        default:
            return f + w + i
        }
    }

    /// A closure performing one step of `variant`, with its model, data and optimizer set up.
    static func makeStep(variant: String, input: Int, batch: Int) throws -> () throws -> Void {
        let random = SeededGenerator(seed: 0)
        func network(_ sizes: [Int], _ name: String) -> MLP {
            MLP(sizes: sizes, name: name, hiddenActivation: .leakyRelu(negativeSlope: 0.2),
                weightInitializer: .lecunNormal, random: random)
        }
        let discriminator = network([input] + hidden + [1], "discriminator")
        let x = Tensor(shape: [batch, input], scalars: random.gaussianFloats(count: batch * input))
        let labels = Tensor(shape: [batch, 1], scalars: (0..<batch).map { _ in random.nextBernoulli(0.5) ? 1 : 0 })
        let discriminatorOptimizer = Adam(parameters: discriminator.parameters, learningRate: 1e-3)
        // In every variant the gradients are computed in a function of their own, so the losses'
        // graph is gone before the optimizer writes the parameters in place (a live graph shares
        // their storage, and the write would copy it first), as in the trainer.
        switch variant {
        case "plain":
            func plainGradients() -> [Tensor] {
                gradients(of: binaryCrossEntropy(logits: discriminator(x), targets: labels), withRespectTo: discriminator.parameters)
            }
            return { discriminatorOptimizer.step(gradients: plainGradients()) }
        case "dp":
            let configuration = try DPSGDConfiguration(noiseMultiplier: 1, clippingNorm: 1, samplingProbability: 1, datasetSize: batch)
            let step = try DPSGDStep(configuration: configuration, optimizer: discriminatorOptimizer)
            func perExampleGradients() throws -> PerExampleGradients {
                let losses = binaryCrossEntropy(logits: discriminator(x), targets: labels, reduction: .none)
                return try PerExampleGradients(of: losses, withRespectTo: discriminator.parameters)
            }
            return { try step.step(try perExampleGradients()) }
        default:
            let generator = network([latent] + hidden + [input], "generator")
            let generatorOptimizer = Adam(parameters: generator.parameters, learningRate: 1e-3)
            let configuration = try DPSGDConfiguration(noiseMultiplier: 1, clippingNorm: 1, samplingProbability: 1, datasetSize: batch)
            let step = try DPSGDStep(configuration: configuration, optimizer: discriminatorOptimizer)
            // Rows alternate real, generated: example i is the pair (x_i, G(z_i)) of the
            // reference's gan_dp, two rows of every activation, clipped as one.
            let targets = Tensor(shape: [2 * batch, 1], scalars: (0..<(2 * batch)).map { $0 % 2 == 0 ? 1 : 0 })
            let ones = Tensor(repeating: 1, shape: [batch, 1])
            func discriminatorPerExampleGradients() throws -> PerExampleGradients {
                let noise = Tensor(shape: [batch, latent], scalars: random.gaussianFloats(count: batch * latent))
                let fake = withoutGradients { generator(noise) }
                let pairs = Tensor.concatenate([x, fake], alongAxis: 1).reshaped(to: [2 * batch, input])
                let rowLosses = binaryCrossEntropy(logits: discriminator(pairs), targets: targets, reduction: .none)
                let losses = rowLosses.reshaped(to: [batch, 2]).sum(alongAxes: [1])
                return try PerExampleGradients(of: losses, withRespectTo: discriminator.parameters)
            }
            func generatorGradients() -> [Tensor] {
                let noise = Tensor(shape: [batch, latent], scalars: random.gaussianFloats(count: batch * latent))
                let generatorLoss = binaryCrossEntropy(logits: discriminator(generator(noise)), targets: ones)
                return gradients(of: generatorLoss, withRespectTo: generator.parameters)
            }
            return {
                try step.step(try discriminatorPerExampleGradients())
                generatorOptimizer.step(gradients: generatorGradients())
            }
        }
    }
}
