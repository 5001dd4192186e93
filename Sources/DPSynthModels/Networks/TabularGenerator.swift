import DPSynthEngine
import DPSynthRandom
import DPSynthTabular

/// The generator: noise (and, for an AC-GAN, the label) → MLP → one output head per column span.
///
/// Heads follow the encoder's spans (CTGAN, Xu et al. 2019, §4.2): a (Gumbel-)softmax over a
/// one-hot block, tanh rescaled to the span's bounds for a scaled value, tanh for the α of a
/// mode-specific block with a (Gumbel-)softmax over its modes, a sigmoid for a null indicator.
/// In training, categorical blocks are Gumbel-softmax samples (Jang et al. 2017), so the
/// discriminator sees near-one-hot rows like the real ones while gradients still flow; when
/// sampling they are softmax probabilities, which the decoder draws from — the same
/// distribution as the argmax of a Gumbel-perturbed sample.
struct TabularGenerator: ParameterContainer {
    enum Normalization {
        case none
        case layer(LayerNorm)
        case batch(BatchNorm)
    }

    /// Training draws Gumbel noise and uses batch statistics; sampling does neither.
    enum Mode {
        case training(RandomSource)
        case sampling
    }

    let layout: ModelLayout
    let noiseDimension: Int
    let conditioning: LabelConditioning?
    let labelEmbedding: Embedding?
    let hidden: [Linear]
    let normalizations: [Normalization]
    let residual: Bool
    let output: Linear
    let gumbelTemperature: Float

    init(configuration: TabularGANConfiguration, layout: ModelLayout, random: RandomSource) {
        self.layout = layout
        noiseDimension = configuration.noiseDimension
        let isConditional = configuration.modelKind == .acgan
        conditioning = isConditional ? configuration.labelConditioning : nil
        var inputWidth = noiseDimension
        if isConditional && configuration.labelConditioning == .oneHot { inputWidth += layout.classCount }
        labelEmbedding = isConditional && configuration.labelConditioning == .embedding
            ? Embedding(count: layout.classCount, width: noiseDimension, name: "generator.labelEmbedding", random: random)
            : nil
        var layers: [Linear] = []
        var norms: [Normalization] = []
        for (index, width) in configuration.generatorWidths.enumerated() {
            layers.append(Linear(inputSize: inputWidth, outputSize: width, name: "generator.hidden\(index)",
                                 weightInitializer: .heUniform, random: random))
            switch configuration.generatorNormalization {
            case .none: norms.append(.none)
            case .layerNorm: norms.append(.layer(LayerNorm(size: width, name: "generator.norm\(index)")))
            case .batchNorm: norms.append(.batch(BatchNorm(size: width, name: "generator.norm\(index)")))
            }
            inputWidth = width
        }
        hidden = layers
        normalizations = norms
        residual = configuration.generatorResidual
        output = Linear(inputSize: inputWidth, outputSize: layout.generatedWidth, name: "generator.output", random: random)
        gumbelTemperature = configuration.gumbelTemperature
    }

    /// Trainable parameters, in a fixed order.
    var parameters: [Parameter] {
        var result = labelEmbedding?.parameters ?? []
        for (layer, norm) in zip(hidden, normalizations) {
            result += layer.parameters
            switch norm {
            case .none: break
            case .layer(let layerNorm): result += layerNorm.parameters
            case .batch(let batchNorm): result += batchNorm.parameters
            }
        }
        return result + output.parameters
    }

    /// Everything saved in the model file: parameters and BatchNorm's running statistics.
    var storedParameters: [Parameter] {
        parameters + normalizations.flatMap { norm -> [Parameter] in
            if case .batch(let batchNorm) = norm { return batchNorm.buffers }
            return []
        }
    }

    /// [rows, noiseDimension] noise and one class per row (AC-GAN) → [rows, generatedWidth].
    func callAsFunction(noise: Tensor, classes: [Int], mode: Mode) -> Tensor {
        var h = noise
        if let conditioning {
            precondition(classes.count == noise.shape[0], "one class per generated row")
            switch conditioning {
            case .oneHot: h = Tensor.concatenate([h, Tensor.oneHot(classes, classCount: layout.classCount)], alongAxis: 1)
            case .embedding: if let labelEmbedding { h = h + labelEmbedding(classes) }
            }
        }
        for (layer, norm) in zip(hidden, normalizations) {
            var next = layer(h)
            switch norm {
            case .none: break
            case .layer(let layerNorm): next = layerNorm(next)
            case .batch(let batchNorm):
                if case .training = mode { next = batchNorm(next, mode: .training) } else { next = batchNorm(next, mode: .evaluation) }
            }
            next = relu(next)
            // [rows, width] → [rows, width]: a residual block when the widths agree.
            h = residual && next.shape == h.shape ? h + next : next
        }
        return heads(output(h), mode: mode)
    }

    /// Applies each span's head to its slice of the final layer's output.
    private func heads(_ logits: Tensor, mode: Mode) -> Tensor {
        guard !layout.generatedSpans.isEmpty else { return logits }
        let parts = logits.split(sizes: layout.generatedSpans.map(\.width), alongAxis: 1)
        var outputs: [Tensor] = []
        outputs.reserveCapacity(parts.count)
        for (span, part) in zip(layout.generatedSpans, parts) {
            switch span.kind {
            case .oneHot:
                outputs.append(categorical(part, mode: mode))
            case .scaledValue(let lower, let upper):
                // tanh ∈ (−1, 1) → (lower, upper).
                let half = (upper - lower) / 2
                outputs.append(half == 1 && lower == -1 ? tanh(part) : tanh(part) * half + (lower + half))
            case .modeSpecific(let modes):
                let pieces = part.split(sizes: [1, modes], alongAxis: 1)
                outputs.append(tanh(pieces[0]))
                outputs.append(categorical(pieces[1], mode: mode))
            case .nullIndicator:
                outputs.append(sigmoid(part))
            }
        }
        return Tensor.concatenate(outputs, alongAxis: 1)
    }

    private func categorical(_ logits: Tensor, mode: Mode) -> Tensor {
        switch mode {
        case .training(let random): return gumbelSoftmax(logits, temperature: gumbelTemperature, random: random)
        case .sampling: return softmax(logits)
        }
    }
}
