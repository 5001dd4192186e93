import DPSynthEngine
import DPSynthRandom

/// The shares of every categorical entry (one-hot blocks, mode indicators, null indicators) of
/// the generated layout — optionally per class of an AC-GAN's label, and optionally with every
/// scaled continuous value binned into a block of its own — released with the Gaussian
/// mechanism, and a generator loss that pulls the generated shares towards them.
///
/// Why: GANs drop minority modes. On pbc, a quarter of the records miss the same eight values
/// together, and an unaided generator never produces a missing value (measured, docs/models.md).
/// Matching first moments of the categorical entries (Salimans et al. 2016, "feature matching",
/// on the output layer) restores them; under DP the shares are a release of their own, so they
/// are noised and their event is composed into the budget. Per class, with continuous values
/// binned, the same release is the label-conditional histograms a small table's label relation
/// lives in (docs/models.md, "Small tables").
///
/// Sensitivity: adding or removing one record changes the counts of its own class only, and
/// there each one-hot block (a binned continuous value is one) by one unit in one entry and each
/// null indicator by at most 1, so the count vector has L2 sensitivity √m for m blocks and
/// indicators; noise N(0, (σ√m)²) per count makes it the sensitivity-1 Gaussian mechanism with
/// noise multiplier σ.
struct CategoricalMarginals {
    /// Columns of the extended layout (the generated layout, then `binCount` entries per binned
    /// continuous value) whose share is matched.
    let columns: [Int]
    /// Released shares: `classCount` rows of `columns.count` values (clamped to [0, 1]; blocks
    /// renormalised).
    let shares: [Float]
    /// 1 for unconditional matching.
    let classCount: Int
    let width: Int
    /// Generated-layout column and (lower, upper) range of each binned continuous value.
    let binnedValues: [(column: Int, lower: Float, upper: Float)]
    let binCount: Int

    var extendedWidth: Int { width + binnedValues.count * binCount }

    /// Whether `layout` has anything to match with `binCount` bins per scaled value: one-hot
    /// blocks, mode or null indicators, or (with bins) a scaled value. The privacy plan asks this
    /// before the release exists, and the release is made exactly when it holds.
    static func hasEntries(in layout: ModelLayout, binCount: Int) -> Bool {
        layout.generatedSpans.contains { span in
            if case .scaledValue = span.kind { return binCount > 0 }
            return true
        }
    }

    /// Counts the entries of `rows` ([rowCount, width], generated layout), per class when
    /// `classes` is given (one per row, in 0..<classCount), with each scaled value in
    /// `binCount` equal-width bins of its range when `binCount` > 0, and releases them.
    init?(layout: ModelLayout, rows: [Float], rowCount: Int, classes: [Int]? = nil, classCount: Int = 1,
          binCount: Int = 0, noiseMultiplier: Double?, random: RandomSource) {
        var blocks: [Range<Int>] = []
        var indicators: [Int] = []
        var binned: [(column: Int, lower: Float, upper: Float)] = []
        for span in layout.generatedSpans {
            switch span.kind {
            case .oneHot: blocks.append(span.range)
            case .modeSpecific: blocks.append((span.range.lowerBound + 1)..<span.range.upperBound)
            case .nullIndicator: indicators.append(span.range.lowerBound)
            case .scaledValue(let lower, let upper): if binCount > 0 { binned.append((span.range.lowerBound, lower, upper)) }
            }
        }
        width = layout.generatedWidth
        for (k, _) in binned.enumerated() {
            blocks.append((width + k * binCount)..<(width + (k + 1) * binCount))
        }
        guard Self.hasEntries(in: layout, binCount: binCount), rowCount > 0 else { return nil }
        binnedValues = binned
        self.binCount = binCount
        let classCount = classes == nil ? 1 : classCount
        self.classCount = classCount
        let extended = width + binned.count * binCount
        var counts = [Double](repeating: 0, count: classCount * extended)
        for row in 0..<rowCount {
            let base = (classes?[row] ?? 0) * extended
            for j in 0..<width { counts[base + j] += Double(rows[row * width + j]) }
        }
        // Binned values count the same soft memberships the loss gives generated rows (so the
        // match is unbiased near bin edges), each row's made non-negative and summing to 1: an
        // L2 norm of at most 1, the sensitivity of a one-hot block.
        for (k, value) in binned.enumerated() {
            let column = (0..<rowCount).map { [width] in rows[$0 * width + value.column] }
            let memberships = withoutGradients {
                Self.softBins(Tensor(shape: [rowCount, 1], scalars: column), lower: value.lower, upper: value.upper, count: binCount)
            }.scalars
            for row in 0..<rowCount {
                let base = (classes?[row] ?? 0) * extended + width + k * binCount
                let entries = (0..<binCount).map { Swift.max(0, Double(memberships[row * binCount + $0])) }
                let total = entries.reduce(0, +)
                for (b, entry) in entries.enumerated() { counts[base + b] += total > 0 ? entry / total : 0 }
            }
        }
        if let noiseMultiplier {
            let deviation = noiseMultiplier * Double(blocks.count + indicators.count).squareRoot()
            for c in 0..<classCount {
                for block in blocks { for j in block { counts[c * extended + j] += deviation * random.nextGaussian() } }
                for j in indicators { counts[c * extended + j] += deviation * random.nextGaussian() }
            }
        }
        columns = blocks.flatMap { Array($0) } + indicators
        var shares: [Float] = []
        for c in 0..<classCount {
            let base = c * extended
            var values = [Float](repeating: 0, count: extended)
            var blockTotals: [Double] = []
            for block in blocks {
                let clamped = block.map { Swift.max(0, counts[base + $0]) }
                let total = clamped.reduce(0, +)
                blockTotals.append(block.reduce(0) { $0 + counts[base + $1] })
                for (j, value) in zip(block, clamped) { values[j] = Float(total > 0 ? value / total : 1 / Double(block.count)) }
            }
            // Indicator shares over the row count: public unconditionally, per class the mean of
            // the class's noisy block totals (released numbers only).
            let classRows = classes == nil || blockTotals.isEmpty
                ? Double(rowCount) : Swift.max(1, blockTotals.reduce(0, +) / Double(blockTotals.count))
            for j in indicators { values[j] = Float(Swift.min(1, Swift.max(0, counts[base + j] / classRows))) }
            shares += columns.map { values[$0] }
        }
        self.shares = shares
    }

    /// Soft memberships of `values` ([rows, 1]) in `count` equal-width bins of [lower, upper]:
    /// entry b is σ((v − e_b)/τ) − σ((v − e_{b+1})/τ) with the outer edges at ∓∞ (so the entries
    /// sum to 1) and τ a quarter of a bin, so the shares are differentiable in v.
    static func softBins(_ values: Tensor, lower: Float, upper: Float, count: Int) -> Tensor {
        let rows = values.shape[0]
        let binWidth = (upper - lower) / Float(count)
        let inner = (1..<count).map { lower + Float($0) * binWidth }
        let above = sigmoid((values - Tensor(shape: [1, count - 1], scalars: inner)) * (4 / binWidth))
        let padded = Tensor.concatenate([Tensor(repeating: 1, shape: [rows, 1]), above, Tensor(zeros: [rows, 1])], alongAxis: 1)
        let upperEdges = padded.split(sizes: [count, 1], alongAxis: 1)[0], lowerEdges = padded.split(sizes: [1, count], alongAxis: 1)[1]
        return upperEdges - lowerEdges
    }

    /// The generated rows with each binned value's soft bin memberships appended.
    private func extended(_ generated: Tensor) -> Tensor {
        guard !binnedValues.isEmpty else { return generated }
        return Tensor.concatenate([generated] + binnedValues.map { value in
            Self.softBins(generated.sliced(alongAxis: 1, value.column..<(value.column + 1)),
                          lower: value.lower, upper: value.upper, count: binCount)
        }, alongAxis: 1)
    }

    /// Σ_c w_c Σ_j (share of entry j among the generated rows of class c − released share)²,
    /// w_c the share of class c among the rows (unconditional: one class, weight 1). `classes`
    /// gives each generated row's class when the matching is per class.
    func loss(_ generated: Tensor, classes: [Int] = []) -> Tensor {
        let rowsExtended = extended(generated)
        let width = extendedWidth
        guard classCount > 1 else {
            var mask = [Float](repeating: 0, count: width)
            var target = [Float](repeating: 0, count: width)
            for (column, share) in zip(columns, shares) { mask[column] = 1; target[column] = share }
            // [rows, width] → [width]
            let means = rowsExtended.mean(alongAxes: [0])
            return ((means - Tensor(target)) * Tensor(mask)).squared().sum()
        }
        let rows = generated.shape[0]
        precondition(classes.count == rows, "one class per generated row")
        var sizes = [Int](repeating: 0, count: classCount)
        for c in classes { sizes[c] += 1 }
        // averaging[c, i] = 1/size_c when row i has class c: averaging · rows = class means.
        var averaging = [Float](repeating: 0, count: classCount * rows)
        for (i, c) in classes.enumerated() { averaging[c * rows + i] = 1 / Float(sizes[c]) }
        var target = [Float](repeating: 0, count: classCount * width)
        var weights = [Float](repeating: 0, count: classCount * width)
        for c in 0..<classCount where sizes[c] > 0 {
            for (k, column) in columns.enumerated() {
                target[c * width + column] = shares[c * columns.count + k]
                weights[c * width + column] = Float(sizes[c]) / Float(rows)
            }
        }
        let means = matmul(Tensor(shape: [classCount, rows], scalars: averaging), rowsExtended)
        let difference = means - Tensor(shape: [classCount, width], scalars: target)
        return (difference.squared() * Tensor(shape: [classCount, width], scalars: weights)).sum()
    }
}
