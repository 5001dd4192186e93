import DPSynthRandom

/// Weight initialisation schemes. Each draws from an injected `RandomSource`, so the same seed
/// gives the same bytes.
public enum Initializer {
    case zeros
    case constant(Float)
    /// U(−√(6/(fanIn+fanOut)), +√(6/(fanIn+fanOut))) (Glorot & Bengio 2010, eq. 16).
    case glorotUniform
    /// N(0, 2/(fanIn+fanOut)).
    case glorotNormal
    /// N(0, 2/fanIn), for ReLU networks (He et al. 2015, eq. 10).
    case heNormal
    /// U(−√(6/fanIn), +√(6/fanIn)).
    case heUniform
    /// N(0, 1/fanIn) (LeCun et al. 1998): the benchmark's scheme.
    case lecunNormal
    /// N(0, standardDeviation²).
    case normal(standardDeviation: Float)

    /// A tensor of `shape` drawn from this scheme with the given fans.
    public func tensor(shape: [Int], fanIn: Int, fanOut: Int, random: RandomSource) -> Tensor {
        var result = Tensor(zeros: shape)
        let fanIn = Float(Swift.max(fanIn, 1)), fanOut = Float(Swift.max(fanOut, 1))
        result.withUnsafeMutableBufferPointer { buffer in
            switch self {
            case .zeros: break
            case .constant(let value): buffer.update(repeating: value)
            case .glorotUniform:
                let limit = (6 / (fanIn + fanOut)).squareRoot()
                random.fillUniform(buffer, in: -limit...limit)
            case .glorotNormal: random.fillGaussian(buffer, standardDeviation: (2 / (fanIn + fanOut)).squareRoot())
            case .heNormal: random.fillGaussian(buffer, standardDeviation: (2 / fanIn).squareRoot())
            case .heUniform:
                let limit = (6 / fanIn).squareRoot()
                random.fillUniform(buffer, in: -limit...limit)
            case .lecunNormal: random.fillGaussian(buffer, standardDeviation: (1 / fanIn).squareRoot())
            case .normal(let deviation): random.fillGaussian(buffer, standardDeviation: deviation)
            }
        }
        return result
    }
}
