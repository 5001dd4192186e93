import DPSynthRandom

/// Inverted dropout: in training each element is kept with probability 1 − rate and scaled by
/// 1/(1 − rate); in evaluation it is the identity (Srivastava et al. 2014). The mask is drawn
/// per element, so examples stay independent (compatible with per-example gradients).
public struct Dropout {
    public let rate: Float

    public init(rate: Float) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1), found \(rate)")
        self.rate = rate
    }

    public func callAsFunction(_ x: Tensor, mode: LayerMode, random: RandomSource) -> Tensor {
        guard mode == .training, rate > 0 else { return x }
        var mask = Tensor(zeros: x.shape)
        let keep = 1 - rate, scale = 1 / (1 - rate)
        mask.withUnsafeMutableBufferPointer { buffer in
            random.fillUniform(buffer)
            for i in buffer.indices { buffer[i] = buffer[i] < keep ? scale : 0 }
        }
        return x * mask
    }
}
