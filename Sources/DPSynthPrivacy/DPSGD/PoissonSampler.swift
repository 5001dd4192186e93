import DPSynthRandom
import Foundation

/// Poisson subsampling: every record joins the batch independently with probability q, so
/// batch sizes vary and a batch may be empty. This is the sampling the subsampled-Gaussian
/// accountants assume (shuffle-and-chunk batches must not be accounted this way).
///
/// Draws gaps between included records from the geometric distribution,
/// gap = ⌊log U / log(1 − q)⌋, so a batch costs O(qN) draws instead of N.
public struct PoissonSampler {
    public let samplingProbability: Double
    public let datasetSize: Int

    public init(samplingProbability: Double, datasetSize: Int) throws {
        guard samplingProbability >= 0, samplingProbability <= 1 else {
            throw DPSGDError.invalidParameter(name: "samplingProbability", value: samplingProbability, expected: "a probability in [0, 1]")
        }
        guard datasetSize >= 0 else {
            throw DPSGDError.invalidParameter(name: "datasetSize", value: Double(datasetSize), expected: "a count ≥ 0")
        }
        self.samplingProbability = samplingProbability
        self.datasetSize = datasetSize
    }

    /// The indices of one batch, increasing.
    public func sample(using random: RandomSource) -> [Int] {
        if samplingProbability == 0 || datasetSize == 0 { return [] }
        if samplingProbability == 1 { return Array(0..<datasetSize) }
        var batch: [Int] = []
        batch.reserveCapacity(Int(samplingProbability * Double(datasetSize) * 1.2) + 8)
        let logMiss = log1p(-samplingProbability)
        var index = -1
        while true {
            // P(gap ≥ k) = (1 − q)^k: the number of records skipped before the next inclusion.
            let gap = (log(random.nextOpenUnitDouble()) / logMiss).rounded(.down)
            guard gap < Double(datasetSize - index - 1) else { break }
            index += Int(gap) + 1
            batch.append(index)
        }
        return batch
    }
}
