/// How examples are clipped before they are summed.
public enum ClippingMode: Equatable {
    /// One L2 bound C over all parameters together (Abadi et al. 2016, Algorithm 1).
    case flat
    /// One bound C_p per parameter tensor, with Σ C_p² = C², so the summed gradient still has
    /// sensitivity C and the noise N(0, σ²C²) gives the same guarantee (McMahan et al. 2018,
    /// "A general approach to adding differential privacy to iterative training procedures", §3).
    case perLayer(clippingNorms: [Double])

    /// Per-layer bounds splitting C evenly: C_p = C/√P for P parameter tensors.
    public static func perLayerEvenlySplit(clippingNorm: Double, parameterCount: Int) -> ClippingMode {
        .perLayer(clippingNorms: [Double](repeating: clippingNorm / Double(parameterCount).squareRoot(),
                                          count: parameterCount))
    }
}

/// The mechanism's parameters: what the accountant and the privacy record need.
public struct DPSGDConfiguration: Equatable {
    /// σ: noise standard deviation in units of the clipping norm.
    public var noiseMultiplier: Double
    /// C: the L2 bound on each example's contribution.
    public var clippingNorm: Double
    /// q: each record's probability of being in a batch (Poisson sampling).
    public var samplingProbability: Double
    /// N: the number of records in the private data set.
    public var datasetSize: Int
    public var clipping: ClippingMode

    public init(noiseMultiplier: Double, clippingNorm: Double, samplingProbability: Double, datasetSize: Int,
                clipping: ClippingMode = .flat) throws {
        self.noiseMultiplier = noiseMultiplier
        self.clippingNorm = clippingNorm
        self.samplingProbability = samplingProbability
        self.datasetSize = datasetSize
        self.clipping = clipping
        try validate()
    }

    /// qN, the divisor of the noised sum: dividing by the expected rather than the realised
    /// batch size keeps the sensitivity analysis exact (the realised size leaks membership).
    public var expectedBatchSize: Double { samplingProbability * Double(datasetSize) }

    /// Checks every field; called by the initialiser and again before a step.
    public func validate() throws {
        guard noiseMultiplier.isFinite, noiseMultiplier >= 0 else {
            throw DPSGDError.invalidParameter(name: "noiseMultiplier", value: noiseMultiplier, expected: "a finite number ≥ 0")
        }
        guard clippingNorm.isFinite, clippingNorm > 0 else {
            throw DPSGDError.invalidParameter(name: "clippingNorm", value: clippingNorm, expected: "a finite number > 0")
        }
        guard samplingProbability > 0, samplingProbability <= 1 else {
            throw DPSGDError.invalidParameter(name: "samplingProbability", value: samplingProbability, expected: "a probability in (0, 1]")
        }
        guard datasetSize > 0 else {
            throw DPSGDError.invalidParameter(name: "datasetSize", value: Double(datasetSize), expected: "at least one record")
        }
        if case .perLayer(let norms) = clipping {
            guard norms.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                throw DPSGDError.invalidPerLayerNorms(norms: norms, clippingNorm: clippingNorm)
            }
            let total = norms.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard Swift.abs(total - clippingNorm) <= 1e-9 * clippingNorm else {
                throw DPSGDError.invalidPerLayerNorms(norms: norms, clippingNorm: clippingNorm)
            }
        }
    }
}

/// Errors of the DP-SGD step. Each says which value was wrong and what to do.
public enum DPSGDError: Error, CustomStringConvertible, Equatable {
    case invalidParameter(name: String, value: Double, expected: String)
    case invalidPerLayerNorms(norms: [Double], clippingNorm: Double)
    case parameterCountMismatch(clippingNorms: Int, parameters: Int)
    case examplesOutOfRange(privateExamples: Range<Int>, exampleCount: Int)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let expected):
            return "DP-SGD \(name) must be \(expected), found \(value)"
        case .invalidPerLayerNorms(let norms, let clippingNorm):
            return "per-layer clipping norms \(norms) must be positive with squares summing to the clipping norm squared (\(clippingNorm)²)"
        case .parameterCountMismatch(let clippingNorms, let parameters):
            return "per-layer clipping has \(clippingNorms) norms for \(parameters) parameters; give one norm per parameter"
        case .examplesOutOfRange(let range, let count):
            return "private examples \(range) are outside the batch of \(count) examples"
        }
    }
}
