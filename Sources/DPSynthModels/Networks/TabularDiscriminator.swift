import DPSynthEngine
import DPSynthRandom

/// The discriminator: a generated-layout row → MLP → a real/fake logit, and for an AC-GAN the
/// logits of the auxiliary classifier over the label classes (Odena et al. 2017, §3).
///
/// Only Linear layers and (optionally) LayerNorm: each row's output depends on that row alone,
/// which per-example clipping requires. LeakyReLU(0.2) as in DCGAN and CTGAN.
struct TabularDiscriminator: ParameterContainer {
    let network: MLP
    let classCount: Int

    init(configuration: TabularGANConfiguration, layout: ModelLayout, random: RandomSource) {
        classCount = configuration.modelKind == .acgan ? layout.classCount : 0
        network = MLP(sizes: [layout.generatedWidth] + configuration.discriminatorWidths + [1 + classCount],
                      name: "discriminator", hiddenActivation: .leakyRelu(negativeSlope: 0.2),
                      layerNorm: configuration.discriminatorLayerNorm, weightInitializer: .heUniform, random: random)
    }

    var parameters: [Parameter] { network.parameters }

    /// [rows, generatedWidth] → (adversarial logit [rows], auxiliary logits [rows, classes] or nil).
    func callAsFunction(_ rows: Tensor) -> (adversarial: Tensor, auxiliary: Tensor?) {
        let out = network(rows)
        guard classCount > 0 else { return (out.reshaped(to: [rows.shape[0]]), nil) }
        let parts = out.split(sizes: [1, classCount], alongAxis: 1)
        return (parts[0].reshaped(to: [rows.shape[0]]), parts[1])
    }
}
