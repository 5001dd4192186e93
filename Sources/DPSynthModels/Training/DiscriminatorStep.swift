import DPSynthEngine
import DPSynthPrivacy
import DPSynthRandom

/// One discriminator batch: real rows (private, one example each) then fake rows (public).
struct DiscriminatorBatch {
    /// [realCount + fakeCount, generatedWidth]: real rows first.
    let rows: Tensor
    let realCount: Int
    /// One class per row (AC-GAN), real rows first; empty for a plain GAN.
    let classes: [Int]

    var fakeCount: Int { rows.shape[0] - realCount }
}

/// The discriminator update, in the visible phases of DP-SGD (Abadi et al. 2016, Algorithm 1),
/// applied to a GAN as the SPRINT design intends (Beaulieu-Jones et al. 2019) but with each
/// real record clipped alone: per-row losses → per-example gradient norms (one backward walk) →
/// `DPSGDStep` (real rows clipped to C, fake rows weight 1 unclipped, weighted sum, Gaussian
/// noise N(0, σ²C²) per coordinate, divided by the expected batch size) → Adam.
///
/// Why the fake rows are not clipped: they are computed from the generator, which is itself a
/// function of earlier noised releases only, so adding or removing one real record changes the
/// weighted sum by at most C — the sensitivity the accountant assumes.
struct DiscriminatorStep {
    let loss: AdversarialLoss
    let auxiliaryLossWeight: Float
    /// Whether the auxiliary classifier also learns the generator's requested classes on fake
    /// rows (the original AC-GAN, Odena et al. 2017, eq. 2–3) or only real rows' classes.
    let classifiesFakeRows: Bool

    /// One loss per row: the adversarial term and, for an AC-GAN, the auxiliary cross-entropy
    /// of the same row — both terms of a real record belong to ONE example and are clipped together.
    func perRowLosses(_ discriminator: TabularDiscriminator, _ batch: DiscriminatorBatch) -> Tensor {
        let (adversarial, auxiliary) = discriminator(batch.rows)
        let parts = adversarial.split(sizes: [batch.realCount, batch.fakeCount], alongAxis: 0)
        var losses = Tensor.concatenate([loss.discriminatorTermForReal(parts[0]), loss.discriminatorTermForFake(parts[1])],
                                        alongAxis: 0)
        if let auxiliary {
            var auxiliaryTerms = crossEntropy(logits: auxiliary, labels: batch.classes, reduction: .none) * auxiliaryLossWeight
            if !classifiesFakeRows {
                // [rows] ⊙ [1…1 (real), 0…0 (fake)]: the classifier learns from real rows only.
                let mask = [Float](repeating: 1, count: batch.realCount) + [Float](repeating: 0, count: batch.fakeCount)
                auxiliaryTerms = auxiliaryTerms * Tensor(mask)
            }
            losses = losses + auxiliaryTerms
        }
        return losses
    }

    /// The private gradient from the DP-SGD step of DPSynthPrivacy: real rows (the first
    /// `realCount`) clipped to C and summed, fake rows added with weight 1/B unclipped, Gaussian
    /// noise σC, then divided by the expected batch size B = qN. Counts one step in `dpsgd`.
    func privateGradients(_ discriminator: TabularDiscriminator, _ batch: DiscriminatorBatch,
                          dpsgd: DPSGDStep) throws -> (gradients: [Tensor], meanLoss: Float) {
        let losses = perRowLosses(discriminator, batch)
        // Per-example gradient norms and stored activations from one backward walk.
        let perExample = try PerExampleGradients(of: losses, withRespectTo: discriminator.parameters)
        let gradients = try dpsgd.privatizedGradients(perExample, privateExamples: 0..<batch.realCount,
                                                      publicWeight: Float(1 / dpsgd.configuration.expectedBatchSize))
        return (gradients, Self.mean(losses))
    }

    /// The non-private gradient: the same losses, unclipped and noiseless, over the expected
    /// batch size; WGAN-GP adds its penalty on interpolates (double backprop).
    func plainGradients(_ discriminator: TabularDiscriminator, _ batch: DiscriminatorBatch, expectedBatchSize: Int,
                        gradientPenaltyWeight: Float, random: RandomSource) -> (gradients: [Tensor], meanLoss: Float) {
        let losses = perRowLosses(discriminator, batch)
        var total = losses.sum() * (1 / Float(expectedBatchSize))
        if loss.needsGradientPenalty, batch.realCount > 0, batch.fakeCount > 0 {
            total = total + gradientPenalty(discriminator, batch, random: random) * gradientPenaltyWeight
        }
        let gradients = DPSynthEngine.gradients(of: total, withRespectTo: discriminator.parameters)
        return (gradients, Self.mean(losses))
    }

    /// E[(‖∇_x̂ D(x̂)‖ − 1)²] on x̂ = t·x_real + (1 − t)·x_fake, t ~ U(0, 1) per row
    /// (Gulrajani et al. 2017, Algorithm 1). Rows are paired up to the smaller count.
    private func gradientPenalty(_ discriminator: TabularDiscriminator, _ batch: DiscriminatorBatch,
                                 random: RandomSource) -> Tensor {
        let pairs = Swift.min(batch.realCount, batch.fakeCount)
        let real = batch.rows.rows(0..<pairs).detached()
        let fake = batch.rows.rows(batch.realCount..<(batch.realCount + pairs)).detached()
        var mix = Tensor(zeros: [pairs, 1])
        mix.withUnsafeMutableBufferPointer { random.fillUniform($0) }
        let interpolates = (real * mix + fake * (1 - mix)).requiringGradient()
        let critic = discriminator(interpolates).adversarial
        let inputGradient = DPSynthEngine.gradients(of: critic.sum(), withRespectTo: [interpolates], createGraph: true)[0]
        let norms = sqrt(inputGradient.squared().sum(alongAxes: [1]) + 1e-12)
        return (norms - 1).squared().mean()
    }

    private static func mean(_ losses: Tensor) -> Float {
        losses.count == 0 ? 0 : losses.scalars.reduce(0, +) / Float(losses.count)
    }
}
