import DPSynthEngine
import DPSynthRandom

/// What an accountant needs to know about the DP-SGD steps taken: the Poisson-subsampled
/// Gaussian mechanism with sampling probability q and noise multiplier σ, composed `steps`
/// times. (The accountant itself lives in DPSynthAccounting.)
public struct DPSGDPrivacyFacts: Equatable {
    public let samplingProbability: Double
    public let noiseMultiplier: Double
    public let steps: Int
    /// False when noise came from a seeded generator: the record must say "not cryptographically secure".
    public let noiseIsCryptographicallySecure: Bool

    public init(samplingProbability: Double, noiseMultiplier: Double, steps: Int, noiseIsCryptographicallySecure: Bool) {
        self.samplingProbability = samplingProbability
        self.noiseMultiplier = noiseMultiplier
        self.steps = steps
        self.noiseIsCryptographicallySecure = noiseIsCryptographicallySecure
    }
}

/// One DP-SGD step as visible phases (Abadi et al. 2016, Algorithm 1; the phases of Opacus's
/// `DPOptimizer`): per-example norms (from the engine's walk) → clip and sum → add noise →
/// divide by the expected batch size qN → the inner optimizer (post-processing).
///
/// Batches come from `PoissonSampler` (the caller runs the model on them and builds the
/// `PerExampleGradients`). A GAN discriminator batch may also hold public rows (generator
/// output): those are not clipped, get no noise of their own, and enter with the caller's weight.
public final class DPSGDStep {
    public let configuration: DPSGDConfiguration
    public let optimizer: Optimizer
    /// The generator of the Poisson sampling (`sampleBatch()`).
    public let random: RandomSource
    /// The generators of the noise, derived from `random`.
    public let noise: GaussianNoise
    public private(set) var stepsTaken = 0

    /// Sampling from `random` and noise from streams derived from it; by default a fresh
    /// `SecureGenerator` (OS entropy + ChaCha20). A seeded `random` makes the run reproducible
    /// and the privacy record must then say "not cryptographically secure".
    public init(configuration: DPSGDConfiguration, optimizer: Optimizer, random: RandomSource? = nil) throws {
        try configuration.validate()
        self.configuration = configuration
        self.optimizer = optimizer
        let source = try random ?? SecureGenerator()
        self.random = source
        noise = try GaussianNoise(derivedFrom: source)
    }

    public var isCryptographicallySecure: Bool { random.isCryptographicallySecure && noise.isCryptographicallySecure }

    public var privacyFacts: DPSGDPrivacyFacts {
        DPSGDPrivacyFacts(samplingProbability: configuration.samplingProbability,
                          noiseMultiplier: configuration.noiseMultiplier, steps: stepsTaken,
                          noiseIsCryptographicallySecure: isCryptographicallySecure)
    }

    /// Phase 1: a Poisson sample of record indices (may be empty).
    public func sampleBatch() -> [Int] {
        // The configuration was validated, so the sampler's checks cannot fail.
        let sampler = try? PoissonSampler(samplingProbability: configuration.samplingProbability,
                                          datasetSize: configuration.datasetSize)
        return sampler?.sample(using: random) ?? []
    }

    /// Phases 3–5: the noised, scaled gradient, ready for the optimizer. Every call releases
    /// a noised gradient, so every call counts as a step in `privacyFacts`.
    ///
    /// - Parameters:
    ///   - perExample: norms and stored activations of the batch's examples.
    ///   - privateExamples: the examples that are private records (default: all).
    ///   - publicWeight: the weight of every other example's gradient in the final gradient
    ///     (e.g. 1/fakeCount for a discriminator's generated rows).
    public func privatizedGradients(_ perExample: PerExampleGradients, privateExamples: Range<Int>? = nil,
                                    publicWeight: Float = 0) throws -> [Tensor] {
        let privateRange = privateExamples ?? 0..<perExample.exampleCount
        guard privateRange.lowerBound >= 0, privateRange.upperBound <= perExample.exampleCount else {
            throw DPSGDError.examplesOutOfRange(privateExamples: privateRange, exampleCount: perExample.exampleCount)
        }
        let expected = configuration.expectedBatchSize
        var weights = try PerExampleClipping.factorsByParameter(perExample, clippingNorm: configuration.clippingNorm,
                                                                 mode: configuration.clipping)
        // Public rows: weight · qN here, so that the division by qN below leaves `publicWeight`.
        let publicFactor = publicWeight * Float(expected)
        for p in weights.indices {
            for i in 0..<perExample.exampleCount where !privateRange.contains(i) { weights[p][i] = publicFactor }
        }
        var summed = perExample.weightedSum(weightsByParameter: weights)
        // The next step's noise goes to the engine's idle workers at every batch size: they take
        // it only when the step's products and loops leave them nothing to claim.
        noise.add(to: &summed, standardDeviation: configuration.noiseMultiplier * configuration.clippingNorm,
                  scale: Float(1 / expected))
        stepsTaken += 1
        return summed
    }

    /// One full step: privatised gradients (counted), then the inner optimizer.
    public func step(_ perExample: PerExampleGradients, privateExamples: Range<Int>? = nil, publicWeight: Float = 0) throws {
        let gradients = try privatizedGradients(perExample, privateExamples: privateExamples, publicWeight: publicWeight)
        optimizer.step(gradients: gradients)
    }
}
