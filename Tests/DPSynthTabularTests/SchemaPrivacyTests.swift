import DPSynthRandom
import DPSynthTestSupport
import Foundation
import XCTest
@testable import DPSynthTabular

final class SchemaPrivacyTests: XCTestCase {
    /// The exponential mechanism's gap frequencies match its formula: values {1, 2, 3} in
    /// [0, 4] give four gaps of width 1 and, for the median (q n = 1.5) at ε = 1, probabilities
    /// ∝ exp(−|k − 1.5| / 2), k = 0…3.
    func testQuantileGapFrequenciesFollowTheExponentialMechanism() {
        let random = SeededGenerator(seed: 1)
        var counts = [0, 0, 0, 0]
        let draws = 40_000
        for _ in 0..<draws {
            let x = PrivateQuantile.quantile(of: [3, 1, 2], quantile: 0.5, in: 0...4, epsilon: 1, random: random)
            counts[min(Int(x), 3)] += 1
        }
        let weights = (0..<4).map { exp(-abs(Double($0) - 1.5) / 2) }
        let total = weights.reduce(0, +)
        for k in 0..<4 {
            let expected = weights[k] / total
            let standardError = (expected * (1 - expected) / Double(draws)).squareRoot()
            XCTAssertEqual(Double(counts[k]) / Double(draws), expected, accuracy: 5 * standardError, "gap \(k)")
        }
    }

    func testQuantileIsAccurateWithALargeBudgetAndStaysInTheRange() {
        let random = SeededGenerator(seed: 2)
        let values = (0..<2_000).map { _ in random.nextUnitDouble() * 100 }
        let sorted = values.sorted()
        for q in [0.01, 0.5, 0.99] {
            let x = PrivateQuantile.quantile(of: values, quantile: q, in: -1_000...1_000, epsilon: 5, random: random)
            let rank = Double(sorted.firstIndex { $0 >= x } ?? sorted.count)
            XCTAssertEqual(rank, q * 2_000, accuracy: 20, "q = \(q)")
        }
        for _ in 0..<200 {
            let x = PrivateQuantile.quantile(of: values, quantile: 0.5, in: 10...20, epsilon: 0.01, random: random)
            XCTAssertTrue((10...20).contains(x))
        }
        XCTAssertEqual(PrivateQuantile.quantile(of: [], quantile: 0.5, in: 3...3, epsilon: 1, random: random), 3)
    }

    /// Without public candidates, a label held by one row survives with probability δ.
    func testThresholdedSelectionKeepsASingletonWithProbabilityDelta() {
        let random = SeededGenerator(seed: 3)
        let epsilon = 0.5, delta = 0.1
        var kept = 0
        let draws = 20_000
        for _ in 0..<draws {
            let (labels, threshold) = PrivateCounts.selectCategories(labels: ["rare"], counts: [1], labelsArePublic: false,
                                                                   epsilon: epsilon, delta: delta, random: random)
            XCTAssertEqual(threshold, 1 + log(1 / (2 * delta)) / epsilon, accuracy: 1e-12)
            kept += labels.count
        }
        let standardError = (delta * (1 - delta) / Double(draws)).squareRoot()
        XCTAssertEqual(Double(kept) / Double(draws), delta, accuracy: 5 * standardError)
    }

    func testPublicCandidatesKeepFrequentLabelsInOrderAndDropAbsentOnes() {
        let random = SeededGenerator(seed: 4)
        let (labels, _) = PrivateCounts.selectCategories(labels: ["III", "II", "I", "IV"], counts: [300, 0, 120, 0],
                                                         labelsArePublic: true, epsilon: 10, delta: 0, random: random)
        XCTAssertEqual(labels, ["III", "I"])
    }

    func testModeFitRecoversTheModesOfABimodalHistogram() {
        let random = SeededGenerator(seed: 5)
        let values = (0..<20_000).map { index -> Double in
            index % 4 == 0 ? 70 + 5 * random.nextGaussian() : 20 + 3 * random.nextGaussian()
        }
        let bounds = Bounds(min: 0, max: 100, provenance: .public)
        let histogram = ModeSpecificNormalization.histogram(of: values, bounds: bounds, binCount: 100)
        let fit = ModeSpecificNormalization.fit(histogram: histogram, bounds: bounds, modes: 2, provenance: .data)
        let order = fit.means.indices.sorted { fit.means[$0] < fit.means[$1] }
        XCTAssertEqual(fit.means[order[0]], 20, accuracy: 0.5)
        XCTAssertEqual(fit.means[order[1]], 70, accuracy: 0.5)
        XCTAssertEqual(fit.standardDeviations[order[0]], 3, accuracy: 0.3)
        XCTAssertEqual(fit.weights[order[1]], 0.25, accuracy: 0.02)
    }

    private func schema(_ name: String) throws -> Schema {
        try Schema.load(from: SharedData.repositoryRoot.appendingPathComponent("Schemas/\(name).json"))
    }

    func testPrivatizerReplacesEveryDataDerivedItemAndRecordsTheSpend() throws {
        var schema = try schema("diabetes")
        schema.columns[1].categories?.provenance = .data
        schema.columns[1].categories?.publicCandidates = ["1", "2"]
        schema.columns[2].transform = Transform(method: .modeSpecific, modes: 3,
                                                parameters: ModeSpecificNormalization.evenlySpaced(
                                                    bounds: Bounds(min: 10, max: 70, provenance: .data), modes: 3))
        XCTAssertEqual(schema.dataDerivedItems.count, 3)
        let data = SharedData.url("data/diabetes.csv")
        let table = try Table.read(.csv(data), schema: schema)
        let (result, spend) = try SchemaPrivatizer.privatize(schema, table: table, epsilon: 1.5, random: SeededGenerator(seed: 6))
        XCTAssertEqual(result.dataDerivedItems, [])
        XCTAssertEqual(spend.totalEpsilon, 1.5, accuracy: 1e-12)
        XCTAssertEqual(spend.totalDelta, 0)
        XCTAssertEqual(spend.entries.map(\.part), ["lower bound", "upper bound", "categories", "transform parameters"])
        XCTAssertEqual(spend.entries.map(\.mechanism), [.exponentialQuantile, .exponentialQuantile,
                                                         .laplaceCountsOfPublicCandidates, .laplaceHistogram])
        let target = try XCTUnwrap(result.columns[10].bounds)
        XCTAssertEqual(target.provenance, .differentiallyPrivate)
        XCTAssertEqual(target.min, target.min.rounded(), "integer bounds are whole")
        XCTAssertTrue(target.min >= 0 && target.max <= 1_000 && target.min < target.max)
        XCTAssertEqual(result.columns[1].categories?.values, ["1", "2"])
        XCTAssertEqual(result.columns[2].transform?.parameters?.provenance, .differentiallyPrivate)
        // The private schema reads and encodes the data (values outside the DP bounds are clipped).
        let reread = try Table.read(.csv(data), schema: result)
        let (matrix, _) = try TableEncoder(schema: result).encode(reread)
        XCTAssertEqual(matrix.rowCount, 442)
        // Same seed, same schema; another seed, other bounds.
        let again = try SchemaPrivatizer.privatize(schema, table: table, epsilon: 1.5, random: SeededGenerator(seed: 6))
        XCTAssertEqual(again.schema, result)
        let other = try SchemaPrivatizer.privatize(schema, table: table, epsilon: 1.5, random: SeededGenerator(seed: 7))
        XCTAssertNotEqual(other.schema.columns[10].bounds, result.columns[10].bounds)
    }

    func testPrivatizerWithoutPublicCandidatesIsApproximateAndDropsRareLabels() throws {
        let schema = Schema(name: "s", columns: [
            ColumnSchema(name: "c", kind: .categorical, categories: CategoryList(values: ["a", "b", "rare"], provenance: .data)),
        ])
        let codes = [Int32](repeating: 0, count: 500) + [Int32](repeating: 1, count: 500) + [2]
        let table = try Table(schema: schema, columns: [.categories(codes)])
        let (result, spend) = try SchemaPrivatizer.privatize(schema, table: table, epsilon: 1, random: SeededGenerator(seed: 8))
        XCTAssertEqual(result.columns[0].categories?.values, ["a", "b"])
        XCTAssertTrue(result.columns[0].nullable)
        XCTAssertEqual(result.columns[0].unknownCategory, .mapToNull)
        XCTAssertEqual(spend.totalDelta, 1e-7)
        XCTAssertEqual(spend.entries.first?.mechanism, .laplaceCountsThresholded)
    }

    /// Every bound without a public range is named in one refusal (it named the first only,
    /// so a user editing an inferred schema reran once per column); a datetime searches its
    /// default range and a bound with a range passes.
    func testDataBoundsWithoutAPublicRangeAreRefusedAllAtOnce() throws {
        let schema = Schema(name: "s", columns: [
            ColumnSchema(name: "x", kind: .continuous, bounds: Bounds(min: 0, max: 1, provenance: .data)),
            ColumnSchema(name: "ranged", kind: .continuous,
                         bounds: Bounds(min: 0, max: 1, provenance: .data, publicRange: PublicRange(min: 0, max: 10))),
            ColumnSchema(name: "when", kind: .datetime, bounds: Bounds(min: 0, max: 1, provenance: .data)),
            ColumnSchema(name: "y", kind: .integer, bounds: Bounds(min: 0, max: 1, provenance: .data)),
        ])
        let table = try Table(schema: schema, columns: [.numbers([0.5]), .numbers([0.5]), .numbers([0.5]), .numbers([1])])
        XCTAssertThrowsError(try SchemaPrivatizer.privatize(schema, table: table, epsilon: 1, random: SeededGenerator(seed: 1))) { error in
            XCTAssertEqual("\(error)", "s: invalid schema: DP bounds need bounds.publicRange, a range known without the data to search in (a unit's physiological or recordable range), with min < max; missing for 2 columns: 'x', 'y'")
        }
    }
}
