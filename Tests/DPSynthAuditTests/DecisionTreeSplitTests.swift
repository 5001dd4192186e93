@testable import DPSynthAudit
import DPSynthRandom
import XCTest

/// The forest's two ways to find a split give the same trees: counting classes per distinct
/// value (where a node has few) and sorting the node's rows.
final class DecisionTreeSplitTests: XCTestCase {
    func testCountedSplitsGrowTheTreesSortingGrows() {
        let random = SeededGenerator(seed: 17)
        let n = 600
        // Few distinct values with many ties, a two-valued column, a near-continuous one, -0.0
        // beside 0.0, and three classes.
        let columns: [[Double]] = [
            (0..<n).map { _ in Double(random.next() % 7) },
            (0..<n).map { _ in random.nextBernoulli(0.4) ? 1 : 0 },
            (0..<n).map { _ in (random.nextGaussian() * 100).rounded() / 10 },
            (0..<n).map { _ in [-0.0, 0.0, 2.5, -3][Int(random.next() % 4)] },
            (0..<n).map { _ in Double(random.next() % 40) },
        ]
        let targets = (0..<n).map { row in Double((Int(columns[0][row]) + Int(columns[4][row]) + Int(random.next() % 3)) % 3) }
        let ranks = columns.map(FeatureRanks.init)
        for tree in 0..<8 {
            let sample = (0..<n).map { _ in Int(random.next() % UInt64(n)) }
            let sorted = DecisionTree(columns: columns, targets: targets, classCount: 3, sample: sample, featuresPerSplit: 2,
                                      random: SeededGenerator(seed: UInt64(tree)))
            let counted = DecisionTree(columns: columns, targets: targets, classCount: 3, sample: sample, featuresPerSplit: 2,
                                       random: SeededGenerator(seed: UInt64(tree)), ranks: ranks)
            XCTAssertGreaterThan(sorted.feature.count, 20)
            XCTAssertEqual(counted.feature, sorted.feature, "tree \(tree)")
            XCTAssertEqual(counted.threshold, sorted.threshold, "tree \(tree)")
            XCTAssertEqual(counted.left, sorted.left)
            XCTAssertEqual(counted.right, sorted.right)
            XCTAssertEqual(counted.leafValues, sorted.leafValues)
        }
        XCTAssertEqual(ranks[3].values, [-3, -0.0, 2.5])
    }
}
