import DPSynthEngine
import DPSynthRandom

/// The noise phase: N(0, (σC)²) added to every coordinate of the clipped sum (the Gaussian
/// mechanism with L2 sensitivity C; Abadi et al. 2016, Algorithm 1, line "Add noise").
public enum GaussianNoise {
    /// Adds independent N(0, standardDeviation²) noise to every element of `gradients`.
    public static func add(to gradients: inout [Tensor], standardDeviation: Double, random: RandomSource) {
        guard standardDeviation > 0 else { return }
        for index in gradients.indices {
            gradients[index].withUnsafeMutableBufferPointer { buffer in
                var noise = [Float](repeating: 0, count: buffer.count)
                noise.withUnsafeMutableBufferPointer { random.fillGaussian($0, standardDeviation: Float(standardDeviation)) }
                for i in buffer.indices { buffer[i] += noise[i] }
            }
        }
    }
}
