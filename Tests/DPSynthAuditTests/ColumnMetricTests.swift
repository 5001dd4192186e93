@testable import DPSynthAudit
import XCTest

/// Constructed cases with answers known by hand.
final class ColumnMetricTests: XCTestCase {
    func mixedTable(rows: Int, shift: Double = 0) throws -> AuditTable {
        let numbers = (0..<rows).map { Double($0) + shift }
        return try AuditTable(columns: [
            AuditColumn(name: "x", values: .numeric(numbers.map { $0 }, kind: .continuous)),
            AuditColumn(name: "y", values: .numeric(numbers.map { ($0 * 0.5 + Double(Int($0) % 7)) }, kind: .integer)),
            AuditColumn(name: "group", values: .categorical((0..<rows).map { ["a", "b", "c"][$0 % 3] }, kind: .categorical)),
            AuditColumn(name: "flag", values: .categorical((0..<rows).map { $0 % 5 == 0 ? nil : ($0 % 2 == 0 ? "yes" : "no") }, kind: .boolean)),
        ])
    }

    func testIdenticalTablesScoreOne() throws {
        let table = try mixedTable(rows: 120)
        let utility = UtilityEvaluation.evaluate(real: table, synthetic: table, thresholds: .none)
        for column in utility.columns {
            XCTAssertEqual(column.score, 1, "\(column.name)")
            XCTAssertEqual(column.nullRateDifference, 0)
        }
        for pair in utility.pairs { XCTAssertEqual(pair.score ?? 0, 1, accuracy: 1e-12, "\(pair.firstColumn)/\(pair.secondColumn)") }
        XCTAssertEqual(utility.columnShapes ?? 0, 1, accuracy: 1e-12)
        XCTAssertEqual(utility.columnPairTrends ?? 0, 1, accuracy: 1e-12)
        XCTAssertEqual(utility.quality ?? 0, 1, accuracy: 1e-12)
        XCTAssertEqual(utility.pairs.count, 6)
        XCTAssertEqual(utility.pairs[0].metric, .correlationSimilarity)
        XCTAssertEqual(utility.pairs[1].metric, .contingencySimilarity)
    }

    /// 0..99 against 10..109: the empirical CDFs differ by exactly 10/100 on [0, 110).
    func testShiftedColumnGivesKnownKSStatistic() {
        let real = (0..<100).map { Double($0) }
        let shifted = real.map { $0 + 10 }
        XCTAssertEqual(kolmogorovSmirnovStatistic(real, shifted) ?? -1, 0.10, accuracy: 1e-15)
        XCTAssertEqual(ColumnShapes.ksComplement(real: real, synthetic: shifted) ?? -1, 0.90, accuracy: 1e-15)
        // Disjoint supports: D = 1. Ties across samples step together: D = 0.
        XCTAssertEqual(kolmogorovSmirnovStatistic([1, 2, 3], [4, 5]), 1)
        XCTAssertEqual(kolmogorovSmirnovStatistic([1, 1, 2, 2], [1, 2]), 0)
        // Unequal sizes: {1,2,3,4} vs {3}: F_a(2) = 0.5, F_b(2) = 0 → D = 0.5.
        XCTAssertEqual(kolmogorovSmirnovStatistic([1, 2, 3, 4], [3]), 0.5)
    }

    func testMissingValuesAreDroppedAndEmptySidesGiveNoScore() {
        XCTAssertEqual(ColumnShapes.ksComplement(real: [1, nil, 2], synthetic: [1, 2, nil, nil]), 1)
        XCTAssertNil(ColumnShapes.ksComplement(real: [nil, nil], synthetic: [1]))
        XCTAssertNil(ColumnShapes.tvComplement(real: ["a"], synthetic: [nil]))
        XCTAssertEqual(ColumnShapes.tvComplement(real: ["a", nil], synthetic: ["a"]), 1)
    }

    /// {a, a, b, b} vs {a, a, c, c}: a matches (½ each), b is ½ vs 0, and the synthetic-only
    /// c gets SDMetrics' pseudo-count 1e-6 on the real side, so TV = ½(|½−½·4/(4+1e-6)| + ...).
    func testCategoryOnOneSideUsesSDMetricsRegularisation() {
        let realTotal = 4 + 1e-6
        let expected = 1 - 0.5 * (Swift.abs(0.5 - 2 / realTotal) + Swift.abs(0 - 2 / realTotal)
                                  + Swift.abs(0.5 - 1e-6 / realTotal))
        let score = ColumnShapes.tvComplement(real: ["a", "a", "b", "b"], synthetic: ["a", "a", "c", "c"])
        XCTAssertEqual(score ?? -1, expected, accuracy: 1e-15)
        XCTAssertEqual(score ?? -1, 0.5, accuracy: 1e-6)
    }

    func testPearsonAndContingencyOnKnownTables() {
        XCTAssertEqual(PairTrends.pearsonCorrelation([1, 2, 3, nil], [2, 4, 6, 1]) ?? 0, 1, accuracy: 1e-15)
        XCTAssertEqual(PairTrends.pearsonCorrelation([1, 2, 3], [3, 2, 1]) ?? 0, -1, accuracy: 1e-15)
        XCTAssertNil(PairTrends.pearsonCorrelation([1, 1, 1], [1, 2, 3]), "a constant column has no correlation")
        // ρ = 1 vs ρ = −1: similarity 0.
        let score = PairTrends.correlationSimilarity(real: ([1, 2, 3], [1, 2, 3]), synthetic: ([1, 2, 3], [3, 2, 1]))
        XCTAssertEqual(score ?? -1, 0, accuracy: 1e-15)
        // Joint tables {(0,0),(1,1)} vs {(0,1),(1,0)}: disjoint, similarity 0; vs itself 1.
        XCTAssertEqual(PairTrends.contingencySimilarity(real: ([0, 1], [0, 1]), synthetic: ([0, 1], [1, 0])), 0)
        XCTAssertEqual(PairTrends.contingencySimilarity(real: ([0, 1], [0, 1]), synthetic: ([1, 0], [1, 0])), 1)
        // Perfect 2×2 association: Cramér's V = 1; independence: 0.
        XCTAssertEqual(PairTrends.cramersV([0, 0, 1, 1], [0, 0, 1, 1]) ?? 0, 1, accuracy: 1e-15)
        XCTAssertEqual(PairTrends.cramersV([0, 0, 1, 1], [0, 1, 0, 1]) ?? 1, 0, accuracy: 1e-15)
    }

    /// numpy: histogram_bin_edges([0, 10]) = 0, 1, ..., 10 and digitize puts 10 and NaN in 11.
    func testHistogramBinsFollowNumpy() {
        XCTAssertEqual(PairTrends.histogramBinCodes([0, 0.5, 1, 9.99, 10, nil]), [1, 1, 2, 10, 11, 11])
        // A constant column is binned over [c − 0.5, c + 0.5]: every value in the middle bin.
        XCTAssertEqual(PairTrends.histogramBinCodes([3, 3]), [6, 6])
    }
}
