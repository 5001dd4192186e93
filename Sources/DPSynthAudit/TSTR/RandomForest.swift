import DPSynthRandom
import Foundation

/// A random forest (Breiman 2001): each tree grown on a bootstrap sample, √width features
/// tried per split for classes (all for regression), predictions averaged — scikit-learn's
/// `RandomForestClassifier`/`Regressor` defaults apart from the tree count.
///
/// Deterministic for a seed: tree t draws from its own xoshiro256** stream seeded from
/// (seed, t), so the result does not depend on how trees are spread over threads.
struct RandomForest {
    let trees: [DecisionTree]
    let classCount: Int

    init(features: [Double], rowCount n: Int, width: Int, targets: [Double], classCount: Int,
         treeCount: Int, seed: UInt64) {
        self.classCount = classCount
        var columns = [[Double]](repeating: [Double](repeating: 0, count: n), count: width)
        for row in 0..<n { for j in 0..<width { columns[j][row] = features[row * width + j] } }
        let featuresPerSplit = classCount > 0 ? Swift.max(1, Int(Double(width).squareRoot())) : Swift.max(1, width)
        // Classes are counted per distinct value where a node has few (the same splits as sorting).
        let ranks = classCount > 0 ? columns.map(FeatureRanks.init) : nil
        let grown = TreeSlots(count: treeCount)
        DispatchQueue.concurrentPerform(iterations: treeCount) { index in
            let random = SeededGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1))
            let sample = (0..<n).map { _ in Int(random.next() % UInt64(n)) }
            grown.store(DecisionTree(columns: columns, targets: targets, classCount: classCount,
                                     sample: sample, featuresPerSplit: featuresPerSplit, random: random, ranks: ranks),
                        at: index)
        }
        trees = grown.trees()
    }

    /// Classes: shares row-major `[n, classCount]`; regression: the mean prediction per row.
    /// Blocks of rows are split over the cores; within a block each tree walks every row (its
    /// nodes stay in cache), and each row adds its trees' values in tree order, so the sums do
    /// not depend on the split.
    func predict(_ features: [Double], rowCount n: Int, width: Int) -> [Double] {
        let outputs = Swift.max(classCount, 1)
        var result = [Double](repeating: 0, count: n * outputs)
        let block = 8_192
        result.withUnsafeMutableBufferPointer { result in
            let result = result
            DispatchQueue.concurrentPerform(iterations: (n + block - 1) / block) { blockIndex in
                let rows = (blockIndex * block)..<Swift.min(n, (blockIndex + 1) * block)
                for tree in trees {
                    for row in rows {
                        let offset = tree.leaf(for: features, offset: row * width)
                        for k in 0..<outputs { result[row * outputs + k] += tree.leafValues[offset + k] }
                    }
                }
            }
        }
        let scale = 1 / Double(Swift.max(trees.count, 1))
        return result.map { $0 * scale }
    }
}

/// Trees grown on several threads, each stored in its own slot under a lock.
private final class TreeSlots: @unchecked Sendable {
    private var slots: [DecisionTree?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ tree: DecisionTree, at index: Int) {
        lock.lock(); slots[index] = tree; lock.unlock()
    }

    func trees() -> [DecisionTree] { slots.compactMap { $0 } }
}
