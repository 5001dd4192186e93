import DPSynthRandom

/// A CART tree grown to purity as scikit-learn's forests grow theirs (no depth limit, one
/// sample per leaf at least): Gini impurity for classes, squared error for regression, a
/// random subset of `featuresPerSplit` features tried at each node (constant features do not
/// count towards the subset), thresholds halfway between neighbouring values.
/// Source: Breiman et al. 1984 (CART); scikit-learn `tree/_splitter.pyx`, `_criterion.pyx`.
struct DecisionTree {
    /// Per node: split feature (−1 for a leaf), threshold, children, and for leaves the offset
    /// of `outputCount` values in `leafValues` (class shares, or the mean target).
    private(set) var feature: [Int32] = []
    private(set) var threshold: [Double] = []
    private(set) var left: [Int32] = []
    private(set) var right: [Int32] = []
    private(set) var leafOffset: [Int32] = []
    private(set) var leafValues: [Double] = []
    let outputCount: Int

    /// - Parameters:
    ///   - columns: column-major features `[width][n]`.
    ///   - targets: class index (classification) or value (regression) per row.
    ///   - classCount: 0 for regression.
    ///   - sample: the rows to grow on (a bootstrap sample: repeats allowed).
    ///   - ranks: for classification, each feature's `FeatureRanks` (the same for every
    ///     tree of a forest); nil to sort at every node.
    init(columns: [[Double]], targets: [Double], classCount: Int, sample: [Int],
         featuresPerSplit: Int, random: RandomSource, ranks: [FeatureRanks]? = nil) {
        outputCount = Swift.max(classCount, 1)
        var rows = sample
        var featureOrder = Array(columns.indices)
        var order: [(value: Double, target: Double)] = []
        order.reserveCapacity(rows.count)
        var rankCounts: [Double] = []
        // Work list of (start, end) ranges of `rows`, with the node index they will fill.
        var work: [(start: Int, end: Int, node: Int)] = [(0, rows.count, appendNode())]
        while let (start, end, node) = work.popLast() {
            let count = end - start
            var best: (feature: Int, threshold: Double, gain: Double)? = nil
            let parentScore = splitScore(rows[start..<end].map { targets[$0] }, classCount: classCount)
            if count >= 2 && !isPure(rows[start..<end], targets: targets) {
                // Draw features without replacement until enough non-constant ones were tried.
                var tried = 0
                var remaining = featureOrder.count
                while remaining > 0 && tried < featuresPerSplit {
                    let pick = Int(random.next() % UInt64(remaining))
                    featureOrder.swapAt(pick, remaining - 1)
                    let candidate = featureOrder[remaining - 1]
                    remaining -= 1
                    let column = columns[candidate]
                    let split: (score: Double, threshold: Double)?
                    if classCount > 0, let values = twoValues(column, rows: rows[start..<end]) {
                        // One-hot and boolean columns (most of a wide table's): counting gives
                        // the one split there is, the same numbers the sort-and-scan gives.
                        guard let low = values.low else { continue }
                        split = twoValueSplit(column, low: low, high: values.high, rows: rows[start..<end],
                                              targets: targets, classCount: classCount)
                    } else if classCount > 0, let ranks, case let counted = countedSplit(
                        ranks[candidate], rows: rows[start..<end], targets: targets, classCount: classCount,
                        counts: &rankCounts), counted != .unsuitable {
                        // Few distinct values at this node: class counts per value instead of a sort.
                        guard case .split(let score, let threshold) = counted else { continue }
                        split = (score, threshold)
                    } else {
                        order.removeAll(keepingCapacity: true)
                        for row in rows[start..<end] { order.append((column[row], targets[row])) }
                        order.sort { $0.value < $1.value }
                        guard order[0].value < order[count - 1].value else { continue }
                        split = bestSplit(order, classCount: classCount)
                    }
                    tried += 1
                    if let split,
                       split.score > parentScore + 1e-12 * Swift.abs(parentScore),
                       split.score > (best?.gain ?? -Double.infinity) {
                        best = (candidate, split.threshold, split.score)
                    }
                }
            }
            guard let split = best else {
                makeLeaf(node, rows: rows[start..<end], targets: targets, classCount: classCount)
                continue
            }
            // Partition rows[start..<end]: values ≤ threshold first.
            let column = columns[split.feature]
            var middle = start
            for index in start..<end where column[rows[index]] <= split.threshold {
                rows.swapAt(index, middle)
                middle += 1
            }
            let leftNode = appendNode()
            let rightNode = appendNode()
            feature[node] = Int32(split.feature)
            threshold[node] = split.threshold
            left[node] = Int32(leftNode)
            right[node] = Int32(rightNode)
            work.append((middle, end, rightNode))
            work.append((start, middle, leftNode))
        }
    }

    /// The leaf values for one row of `features` (row-major, `width` long starting at `offset`).
    func leaf(for features: [Double], offset: Int) -> Int {
        var node = 0
        while feature[node] >= 0 {
            node = features[offset + Int(feature[node])] <= threshold[node] ? Int(left[node]) : Int(right[node])
        }
        return Int(leafOffset[node])
    }

    private mutating func appendNode() -> Int {
        feature.append(-1); threshold.append(0); left.append(-1); right.append(-1); leafOffset.append(-1)
        return feature.count - 1
    }

    private mutating func makeLeaf(_ node: Int, rows: ArraySlice<Int>, targets: [Double], classCount: Int) {
        leafOffset[node] = Int32(leafValues.count)
        let count = Double(rows.count)
        if classCount > 0 {
            var counts = [Double](repeating: 0, count: classCount)
            for row in rows { counts[Int(targets[row])] += 1 }
            leafValues.append(contentsOf: counts.map { $0 / count })
        } else {
            leafValues.append(rows.reduce(0) { $0 + targets[$1] } / count)
        }
    }

    private func isPure(_ rows: ArraySlice<Int>, targets: [Double]) -> Bool {
        guard let first = rows.first else { return true }
        let value = targets[first]
        return rows.allSatisfy { targets[$0] == value }
    }
}

/// The proxy both criteria maximise: Σ_k n_k² / n for Gini (n · (1 − Gini) = Σ n_k²/n), and
/// (Σ y)² / n for squared error; a split's score is the sum over its two sides.
private func splitScore(_ targets: [Double], classCount: Int) -> Double {
    let n = Double(targets.count)
    guard n > 0 else { return 0 }
    if classCount > 0 {
        var counts = [Double](repeating: 0, count: classCount)
        for target in targets { counts[Int(target)] += 1 }
        return counts.reduce(0) { $0 + $1 * $1 } / n
    }
    let sum = targets.reduce(0, +)
    return sum * sum / n
}

/// The values of `column` over `rows` when it takes at most two: `low` nil when it takes one
/// (a constant), else the smaller and the larger. Nil when it takes three or more.
private func twoValues(_ column: [Double], rows: ArraySlice<Int>) -> (low: Double?, high: Double)? {
    guard let first = rows.first else { return nil }
    let a = column[first]
    var b = a
    for row in rows {
        let value = column[row]
        if value == a || value == b { continue }
        guard a == b else { return nil }
        b = value
    }
    return a == b ? (nil, a) : (Swift.min(a, b), Swift.max(a, b))
}

/// `bestSplit` for a feature with two values: the only boundary is between them, and its
/// score is Σ n_k²/n on each side (the class counts are whole numbers, so the sums are exact
/// and equal to the incremental ones `bestSplit` builds).
private func twoValueSplit(_ column: [Double], low: Double, high: Double, rows: ArraySlice<Int>, targets: [Double],
                           classCount: Int) -> (score: Double, threshold: Double) {
    var leftCounts = [Double](repeating: 0, count: classCount)
    var rightCounts = [Double](repeating: 0, count: classCount)
    for row in rows {
        if column[row] == low { leftCounts[Int(targets[row])] += 1 } else { rightCounts[Int(targets[row])] += 1 }
    }
    let leftCount = leftCounts.reduce(0, +), rightCount = rightCounts.reduce(0, +)
    let score = leftCounts.reduce(0) { $0 + $1 * $1 } / leftCount + rightCounts.reduce(0) { $0 + $1 * $1 } / rightCount
    return (score, midpoint(low, high))
}

/// The best threshold of one sorted feature: the score of the best split and its threshold.
private func bestSplit(_ order: [(value: Double, target: Double)], classCount: Int)
    -> (score: Double, threshold: Double)? {
    let n = order.count
    var best: (score: Double, threshold: Double)? = nil
    if classCount > 0 {
        var leftCounts = [Double](repeating: 0, count: classCount)
        var rightCounts = [Double](repeating: 0, count: classCount)
        for entry in order { rightCounts[Int(entry.target)] += 1 }
        var leftSquares = 0.0
        var rightSquares = rightCounts.reduce(0) { $0 + $1 * $1 }
        for i in 0..<(n - 1) {
            let k = Int(order[i].target)
            leftSquares += 2 * leftCounts[k] + 1
            leftCounts[k] += 1
            rightSquares -= 2 * rightCounts[k] - 1
            rightCounts[k] -= 1
            guard order[i].value < order[i + 1].value else { continue }
            let score = leftSquares / Double(i + 1) + rightSquares / Double(n - i - 1)
            if score > (best?.score ?? -Double.infinity) {
                best = (score, midpoint(order[i].value, order[i + 1].value))
            }
        }
    } else {
        var leftSum = 0.0
        var rightSum = order.reduce(0) { $0 + $1.target }
        for i in 0..<(n - 1) {
            leftSum += order[i].target
            rightSum -= order[i].target
            guard order[i].value < order[i + 1].value else { continue }
            let score = leftSum * leftSum / Double(i + 1) + rightSum * rightSum / Double(n - i - 1)
            if score > (best?.score ?? -Double.infinity) {
                best = (score, midpoint(order[i].value, order[i + 1].value))
            }
        }
    }
    return best
}

/// One feature's values as ranks among its distinct values over the training rows, so that a
/// node can count classes per value instead of sorting its rows.
struct FeatureRanks: Sendable {
    /// The distinct values, ascending.
    let values: [Double]
    /// Per training row, the index of its value in `values`.
    let ranks: [Int32]

    init(_ column: [Double]) {
        var distinct = column.sorted()
        var kept = 0
        for value in distinct where kept == 0 || value != distinct[kept - 1] {
            distinct[kept] = value
            kept += 1
        }
        distinct.removeLast(distinct.count - kept)
        values = distinct
        ranks = column.map { value in
            var low = 0, high = distinct.count
            while low < high {
                let middle = (low + high) / 2
                if distinct[middle] < value { low = middle + 1 } else { high = middle }
            }
            return Int32(low)
        }
    }
}

/// `bestSplit` for classes from class counts per distinct value, when the values present at
/// the node span at most twice its row count of ranks (else `.unsuitable`: sort instead). The
/// scan visits the same boundaries in the same order with the same whole-number counts, so
/// the scores, the threshold and the ties are those of the sort-and-scan. `counts` is scratch space, left zeroed.
private func countedSplit(_ feature: FeatureRanks, rows: ArraySlice<Int>, targets: [Double], classCount: Int,
                          counts: inout [Double]) -> CountedSplit {
    guard let first = rows.first else { return .unsuitable }
    var lowest = feature.ranks[first], highest = lowest
    for row in rows {
        let rank = feature.ranks[row]
        lowest = Swift.min(lowest, rank)
        highest = Swift.max(highest, rank)
    }
    let span = Int(highest - lowest) + 1
    guard span <= 2 * rows.count else { return .unsuitable }
    if lowest == highest { return .constant }
    if counts.count < span * classCount { counts = [Double](repeating: 0, count: span * classCount) }
    var rightCounts = [Double](repeating: 0, count: classCount)
    for row in rows {
        let k = Int(targets[row])
        counts[Int(feature.ranks[row] - lowest) * classCount + k] += 1
        rightCounts[k] += 1
    }
    let n = rows.count
    var leftCounts = [Double](repeating: 0, count: classCount)
    var leftSquares = 0.0
    var rightSquares = rightCounts.reduce(0) { $0 + $1 * $1 }
    var best: (score: Double, threshold: Double)? = nil
    var seen = 0
    var previous: Int?
    for offset in 0..<span {
        var present = 0.0
        for k in 0..<classCount { present += counts[offset * classCount + k] }
        guard present > 0 else { continue }
        if let previous {
            // The boundary between the previous value present and this one, after `seen` rows.
            let score = leftSquares / Double(seen) + rightSquares / Double(n - seen)
            if score > (best?.score ?? -Double.infinity) {
                best = (score, midpoint(feature.values[Int(lowest) + previous], feature.values[Int(lowest) + offset]))
            }
        }
        for k in 0..<classCount {
            let c = counts[offset * classCount + k]
            // Σ n_k² after adding c rows of class k one by one, as bestSplit adds them: exact.
            leftSquares += 2 * leftCounts[k] * c + c * c
            leftCounts[k] += c
            rightSquares -= 2 * rightCounts[k] * c - c * c
            rightCounts[k] -= c
            counts[offset * classCount + k] = 0
        }
        seen += Int(present)
        previous = offset
    }
    guard let best else { return .constant }
    return .split(score: best.score, threshold: best.threshold)
}

/// What `countedSplit` found.
private enum CountedSplit: Equatable {
    /// Too many distinct values for the rows: sort instead.
    case unsuitable
    /// One value at the node: no split.
    case constant
    case split(score: Double, threshold: Double)
}

/// Halfway between two neighbouring values, kept strictly below the upper one.
private func midpoint(_ lower: Double, _ upper: Double) -> Double {
    let middle = lower / 2 + upper / 2
    return middle >= upper ? lower : middle
}
