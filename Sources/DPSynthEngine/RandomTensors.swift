import DPSynthRandom

extension Tensor {
    /// Independent N(mean, standardDeviation²) entries drawn from `random` (53-bit Box–Muller,
    /// rounded once to Float): latent noise for generators, test inputs.
    public static func randomNormal(shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                    random: RandomSource) -> Tensor {
        var result = Tensor(zeros: shape)
        result.withUnsafeMutableBufferPointer { random.fillGaussian($0, mean: mean, standardDeviation: standardDeviation) }
        return result
    }

    /// Independent uniform entries in `range` drawn from `random`.
    public static func randomUniform(shape: [Int], in range: ClosedRange<Float> = 0...1, random: RandomSource) -> Tensor {
        var result = Tensor(zeros: shape)
        result.withUnsafeMutableBufferPointer { random.fillUniform($0, in: range) }
        return result
    }
}
