import DPSynthEngine
import DPSynthRandom

/// The shares of every categorical entry (one-hot blocks, mode indicators, null indicators) of
/// the generated layout, released with the Gaussian mechanism, and a generator loss that pulls
/// the generated shares towards them.
///
/// Why: GANs drop minority modes. On pbc, a quarter of the records miss the same eight values
/// together, and an unaided generator never produces a missing value (measured, docs/models.md).
/// Matching first moments of the categorical entries (Salimans et al. 2016, "feature matching",
/// on the output layer) restores them; under DP the shares are a release of their own, so they
/// are noised and their event is composed into the budget.
///
/// Sensitivity: adding or removing one record changes each one-hot block by one unit in one
/// entry and each null indicator by at most 1, so the count vector has L2 sensitivity √m for m
/// blocks and indicators; noise N(0, (σ√m)²) per count makes it the sensitivity-1 Gaussian
/// mechanism with noise multiplier σ.
struct CategoricalMarginals {
    /// Generated-layout columns whose share is matched.
    let columns: [Int]
    /// Released shares of those columns (clamped to [0, 1]; one-hot blocks renormalised).
    let shares: [Float]
    let width: Int

    /// Counts the entries of `rows` ([rowCount, width], generated layout) and releases them.
    init?(layout: ModelLayout, rows: [Float], rowCount: Int, noiseMultiplier: Double?, random: RandomSource) {
        var blocks: [Range<Int>] = []
        var indicators: [Int] = []
        for span in layout.generatedSpans {
            switch span.kind {
            case .oneHot: blocks.append(span.range)
            case .modeSpecific: blocks.append((span.range.lowerBound + 1)..<span.range.upperBound)
            case .nullIndicator: indicators.append(span.range.lowerBound)
            case .scaledValue: break
            }
        }
        guard !(blocks.isEmpty && indicators.isEmpty), rowCount > 0 else { return nil }
        width = layout.generatedWidth
        var counts = [Double](repeating: 0, count: width)
        for row in 0..<rowCount { for j in 0..<width { counts[j] += Double(rows[row * width + j]) } }
        if let noiseMultiplier {
            let deviation = noiseMultiplier * Double(blocks.count + indicators.count).squareRoot()
            for block in blocks { for j in block { counts[j] += deviation * random.nextGaussian() } }
            for j in indicators { counts[j] += deviation * random.nextGaussian() }
        }
        var shares = [Float](repeating: 0, count: width)
        for block in blocks {
            let clamped = block.map { Swift.max(0, counts[$0]) }
            let total = clamped.reduce(0, +)
            for (j, value) in zip(block, clamped) { shares[j] = Float(total > 0 ? value / total : 1 / Double(block.count)) }
        }
        for j in indicators { shares[j] = Float(Swift.min(1, Swift.max(0, counts[j] / Double(rowCount)))) }
        columns = blocks.flatMap { Array($0) } + indicators
        self.shares = columns.map { shares[$0] }
    }

    /// Σ_j (mean over rows of generated column j − released share j)² over the matched columns.
    func loss(_ generated: Tensor) -> Tensor {
        var mask = [Float](repeating: 0, count: width)
        var target = [Float](repeating: 0, count: width)
        for (column, share) in zip(columns, shares) { mask[column] = 1; target[column] = share }
        // [rows, width] → [width]
        let means = generated.mean(alongAxes: [0])
        return ((means - Tensor(target)) * Tensor(mask)).squared().sum()
    }
}
