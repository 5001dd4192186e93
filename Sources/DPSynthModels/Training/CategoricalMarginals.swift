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
/// there each block by entries that are non-negative and sum to 1 (an L2 norm of at most 1) and
/// each remaining null indicator by at most 1, so the count vector has L2 sensitivity √m for m
/// blocks and indicators; noise N(0, (σ√m)²) per count makes it the sensitivity-1 Gaussian
/// mechanism with noise multiplier σ. The blocks are the one-hot blocks of categorical columns
/// (their "missing" entry included) and one block per numeric column that has a categorical
/// part: its bins (or its mixture modes) weighted by 1 − the null indicator, followed by the
/// null indicator itself when the column is nullable. A missing value then counts as
/// "missing", not as a value in the middle bin (the encoder writes 0 there).
struct CategoricalMarginals {
    /// A block of the extended layout computed from a numeric column of the generated layout.
    struct DerivedBlock {
        enum Source {
            /// The scaled value at `column` in equal-width soft bins of [lower, upper].
            case bins(column: Int, lower: Float, upper: Float)
            /// The mode one-hot of mode-specific normalisation.
            case modes(Range<Int>)
        }
        let source: Source
        /// The column's null indicator, when it is nullable.
        let nullColumn: Int?
        /// First column of the block in the extended layout.
        let offset: Int
        let width: Int
    }

    /// Columns of the extended layout (the generated layout, then the derived blocks) whose
    /// share is matched.
    let columns: [Int]
    /// Released shares: `classCount` rows of `columns.count` values (each block's noisy counts
    /// projected onto the non-negative counts summing to the class size; indicators clamped to
    /// [0, 1]).
    let shares: [Float]
    /// The released (noisy) counts, `classCount` rows of `columns.count` values: the Gaussian
    /// mechanism's output, before the post-processing into `shares`.
    let releasedCounts: [Double]
    /// 1 for unconditional matching.
    let classCount: Int
    let width: Int
    let derivedBlocks: [DerivedBlock]
    let binCount: Int

    var extendedWidth: Int { derivedBlocks.last.map { $0.offset + $0.width } ?? width }

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
        guard Self.hasEntries(in: layout, binCount: binCount), rowCount > 0 else { return nil }
        let width = layout.generatedWidth
        self.width = width
        self.binCount = binCount
        var blocks: [Range<Int>] = []
        var indicators: [Int] = []
        var derived: [DerivedBlock] = []
        var extendedWidth = width
        let spans = layout.generatedSpans
        func nullColumn(of column: String) -> Int? {
            spans.first { (other: GeneratedSpan) -> Bool in other.columnName == column && other.kind == .nullIndicator }?.range.lowerBound
        }
        func hasDerivedBlock(_ column: String) -> Bool {
            spans.contains { (other: GeneratedSpan) -> Bool in
                guard other.columnName == column else { return false }
                switch other.kind {
                case .modeSpecific: return true
                case .scaledValue: return binCount > 0
                case .oneHot, .nullIndicator: return false
                }
            }
        }
        for span in spans {
            let source: DerivedBlock.Source
            switch span.kind {
            case .oneHot:
                blocks.append(span.range)
                continue
            case .nullIndicator:
                // Inside its column's derived block when there is one.
                if !hasDerivedBlock(span.columnName) { indicators.append(span.range.lowerBound) }
                continue
            case .modeSpecific:
                source = .modes((span.range.lowerBound + 1)..<span.range.upperBound)
            case .scaledValue(let lower, let upper):
                guard binCount > 0 else { continue }
                source = .bins(column: span.range.lowerBound, lower: lower, upper: upper)
            }
            let valueWidth: Int
            if case .modes(let range) = source { valueWidth = range.count } else { valueWidth = binCount }
            let missing = nullColumn(of: span.columnName)
            let block = DerivedBlock(source: source, nullColumn: missing, offset: extendedWidth, width: valueWidth + (missing == nil ? 0 : 1))
            derived.append(block)
            blocks.append(extendedWidth..<(extendedWidth + block.width))
            extendedWidth += block.width
        }
        derivedBlocks = derived
        let classCount = classes == nil ? 1 : classCount
        self.classCount = classCount
        columns = blocks.flatMap { Array($0) } + indicators

        // The real rows' entries, through the same extension the loss gives generated rows (so
        // the match is unbiased near bin edges); each derived block's made non-negative and
        // summing to 1 per row, the sensitivity of a one-hot block.
        let realRows = Tensor(shape: [rowCount, width], scalars: Array(rows.prefix(rowCount * width)))
        let extendedRows = withoutGradients { Self.extend(realRows, with: derived, binCount: binCount) }.scalars
        var counts = [Double](repeating: 0, count: classCount * columns.count)
        for row in 0..<rowCount {
            let base = (classes?[row] ?? 0) * columns.count
            let entries = extendedRows[(row * extendedWidth)..<((row + 1) * extendedWidth)]
            var k = 0
            for block in blocks {
                let clamped = block.map { Swift.max(0, Double(entries[entries.startIndex + $0])) }
                let total = block.lowerBound >= width ? clamped.reduce(0, +) : 1
                for value in clamped {
                    counts[base + k] += total > 0 ? value / total : 0
                    k += 1
                }
            }
            for j in indicators {
                counts[base + k] += Double(entries[entries.startIndex + j])
                k += 1
            }
        }
        if let noiseMultiplier {
            let deviation = noiseMultiplier * Double(blocks.count + indicators.count).squareRoot()
            for i in counts.indices { counts[i] += deviation * random.nextGaussian() }
        }
        releasedCounts = counts
        shares = Self.shares(fromCounts: counts, classCount: classCount, blockSizes: blocks.map(\.count),
                             indicatorCount: indicators.count, rowCount: rowCount, isPerClass: classes != nil)
    }

    /// Post-processing of the released counts (free under DP): per class, each block's counts
    /// become the least-squares counts that are non-negative and sum to the class size, over
    /// the class size. Clamping negatives and renormalising instead keeps the positive noise of
    /// empty entries and shrinks the populated ones to pay for it; the projection subtracts one
    /// common offset (measured: gbsg2 ε = 1 column fidelity +0.012 ± 0.003 over 24 paired
    /// seeds, docs/models.md). Per class, every block counts the same rows, so each block total
    /// is an unbiased noisy estimate of the class size and their mean is m times less noisy
    /// than one; unconditionally the row count itself is public (it sets q).
    static func shares(fromCounts counts: [Double], classCount: Int, blockSizes: [Int], indicatorCount: Int,
                       rowCount: Int, isPerClass: Bool) -> [Float] {
        let perClass = blockSizes.reduce(0, +) + indicatorCount
        var shares: [Float] = []
        shares.reserveCapacity(counts.count)
        for c in 0..<classCount {
            let classCounts = counts[(c * perClass)..<((c + 1) * perClass)]
            var blockTotals: [Double] = []
            var start = classCounts.startIndex
            for size in blockSizes {
                blockTotals.append(classCounts[start..<(start + size)].reduce(0, +))
                start += size
            }
            let classRows = !isPerClass || blockTotals.isEmpty ? Double(rowCount) : blockTotals.reduce(0, +) / Double(blockTotals.count)
            start = classCounts.startIndex
            for size in blockSizes {
                if classRows > 0 {
                    shares += projectOntoSimplex(Array(classCounts[start..<(start + size)]), total: classRows).map { Float($0 / classRows) }
                } else {
                    shares += [Float](repeating: 1 / Float(size), count: size)
                }
                start += size
            }
            for j in start..<classCounts.endIndex {
                shares.append(Float(Swift.min(1, Swift.max(0, classCounts[j] / Swift.max(1, classRows)))))
            }
        }
        return shares
    }

    /// The Euclidean projection of `values` onto {x ≥ 0, Σx = total} (Duchi et al. 2008):
    /// x = max(values − θ, 0) with θ chosen so the entries sum to `total`.
    static func projectOntoSimplex(_ values: [Double], total: Double) -> [Double] {
        let sorted = values.sorted(by: >)
        var sum = 0.0, theta = 0.0
        for (k, value) in sorted.enumerated() {
            sum += value
            let candidate = (sum - total) / Double(k + 1)
            if value - candidate > 0 { theta = candidate }
        }
        return values.map { Swift.max(0, $0 - theta) }
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

    /// `rows` ([rows, width], generated layout) with every derived block appended: a scaled
    /// value's soft bin memberships or a column's mode one-hot, times 1 − its null indicator,
    /// then the null indicator.
    static func extend(_ rows: Tensor, with blocks: [DerivedBlock], binCount: Int) -> Tensor {
        guard !blocks.isEmpty else { return rows }
        return Tensor.concatenate([rows] + blocks.map { block in
            let values: Tensor
            switch block.source {
            case .bins(let column, let lower, let upper):
                values = softBins(rows.sliced(alongAxis: 1, column..<(column + 1)), lower: lower, upper: upper, count: binCount)
            case .modes(let range):
                values = rows.sliced(alongAxis: 1, range)
            }
            guard let nullColumn = block.nullColumn else { return values }
            let missing = rows.sliced(alongAxis: 1, nullColumn..<(nullColumn + 1))
            return Tensor.concatenate([values * (1 - missing), missing], alongAxis: 1)
        }, alongAxis: 1)
    }

    /// Σ_c w_c Σ_j (share of entry j among the generated rows of class c − released share)²,
    /// w_c the share of class c among the rows (unconditional: one class, weight 1). `classes`
    /// gives each generated row's class when the matching is per class.
    func loss(_ generated: Tensor, classes: [Int] = []) -> Tensor {
        let rowsExtended = Self.extend(generated, with: derivedBlocks, binCount: binCount)
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
