import DPSynthEngine
import DPSynthRandom
import DPSynthTabular
import DPSynthTestSupport
import XCTest
@testable import DPSynthModels

/// The released marginals the generator matches: per class of the label, with continuous values
/// binned, their sensitivity, and the soft-binned loss (its value at the target and its gradient).
final class CategoricalMarginalsTests: XCTestCase {
    /// x continuous in [−1, 1], a categorical column (uniform, unrelated), and a label y = "yes"
    /// when x > 0.5: the AC-GAN layout, the generated-layout rows and the classes.
    private func constructed(rows: Int, random: RandomSource) throws -> (ModelLayout, [Float], [Int]) {
        let (encoder, matrix) = try TestDatasets.thresholdTable(rows: rows, threshold: 0.5, random: random)
        let layout = try ModelLayout(encoder: encoder, modelKind: .acgan)
        return (layout, layout.generatedColumns(of: matrix, rows: Array(0..<rows)), layout.labelClasses(of: matrix))
    }

    /// The released marginals of 400 constructed rows without noise, with x in four bins.
    private func exactMarginals(seed: UInt64) throws -> (ModelLayout, [Float], [Int], CategoricalMarginals) {
        let random = SeededGenerator(seed: seed)
        let (layout, rows, classes) = try constructed(rows: 400, random: random)
        let marginals = try XCTUnwrap(CategoricalMarginals(layout: layout, rows: rows, rowCount: 400, classes: classes,
                                                           classCount: 2, binCount: 4, noiseMultiplier: nil, random: random))
        return (layout, rows, classes, marginals)
    }

    /// Without noise the released shares are the exact class-conditional frequencies of c's
    /// categories, and the class-conditional means of x's soft memberships in four equal-width
    /// bins of [−1, 1] (each row's summing to 1).
    func testSharesArePerClassFrequenciesOfCategoriesAndBins() throws {
        let (layout, rows, classes, marginals) = try exactMarginals(seed: 1)
        let width = layout.generatedWidth
        XCTAssertEqual(marginals.derivedBlocks.count, 1)
        XCTAssertEqual(marginals.extendedWidth, width + 4)
        // Expected: per class, shares of c's entries and of x's bins.
        guard case .bins(let xColumn, _, _) = marginals.derivedBlocks[0].source else { return XCTFail("x is binned") }
        let cColumns = (0..<width).filter { $0 != xColumn }
        for label in 0..<2 {
            let members = (0..<400).filter { classes[$0] == label }
            var expected: [Int: Double] = [:]
            for j in cColumns { expected[j] = members.reduce(0) { $0 + Double(rows[$1 * width + j]) } / Double(members.count) }
            let x = members.map { rows[$0 * width + xColumn] }
            let soft = CategoricalMarginals.softBins(Tensor(shape: [x.count, 1], scalars: x), lower: -1, upper: 1, count: 4).scalars
            for b in 0..<4 {
                // σ((x − e)/τ) by hand, τ = 0.5 / 4, edges −0.5, 0, 0.5.
                let edges: [Double] = [-0.5, 0, 0.5]
                func above(_ v: Double, _ e: Int) -> Double { e < 0 ? 1 : e > 2 ? 0 : 1 / (1 + exp(-(v - edges[e]) / 0.125)) }
                let byHand = x.map { above(Double($0), b - 1) - above(Double($0), b) }
                for (i, value) in byHand.enumerated() { XCTAssertEqual(Double(soft[i * 4 + b]), value, accuracy: 1e-5) }
                expected[width + b] = byHand.reduce(0, +) / Double(members.count)
            }
            for (k, column) in marginals.columns.enumerated() {
                XCTAssertEqual(Double(marginals.shares[label * marginals.columns.count + k]), try XCTUnwrap(expected[column]),
                               accuracy: 1e-6, "class \(label), column \(column)")
            }
        }
        // Class "yes" (x > 0.5) lies mostly in the top bin (soft edges lend some to the next).
        let yes = Array(marginals.shares[marginals.columns.count...])
        XCTAssertGreaterThan(yes[marginals.columns.firstIndex(of: width + 3)!], 0.8)
        XCTAssertEqual(yes[marginals.columns.firstIndex(of: width)!], 0, accuracy: 1e-3)
    }

    /// The noise is that of the sensitivity-1 Gaussian mechanism over √m for m blocks: here two
    /// (c, and x's bins), so each released count has standard deviation σ√2 around the exact
    /// count. Measured on one count over many releases; a noise off by 10 % fails.
    func testNoiseMatchesTheStatedSensitivity() throws {
        let (layout, rows, classes) = try constructed(rows: 400, random: SeededGenerator(seed: 2))
        let noiseMultiplier = 3.0
        let exact = try XCTUnwrap(CategoricalMarginals(layout: layout, rows: rows, rowCount: 400, classes: classes, classCount: 2,
                                                       binCount: 4, noiseMultiplier: nil, random: SeededGenerator(seed: 3)))
        XCTAssertEqual(exact.releasedCounts.count, 2 * exact.columns.count)
        var deviations: [Double] = []
        let random = SeededGenerator(seed: 3)
        for _ in 0..<2000 {
            let released = try XCTUnwrap(CategoricalMarginals(layout: layout, rows: rows, rowCount: 400, classes: classes, classCount: 2,
                                                              binCount: 4, noiseMultiplier: noiseMultiplier, random: random))
            deviations.append(released.releasedCounts[0] - exact.releasedCounts[0])
            deviations.append(released.releasedCounts[exact.columns.count + 5] - exact.releasedCounts[exact.columns.count + 5])
        }
        let mean = deviations.reduce(0, +) / Double(deviations.count)
        let sd = (deviations.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(deviations.count - 1)).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 0.2)
        XCTAssertEqual(sd, noiseMultiplier * 2.0.squareRoot(), accuracy: 0.1 * noiseMultiplier * 2.0.squareRoot())
    }

    /// The projection is the Euclidean one onto {x ≥ 0, Σx = total}: its KKT conditions hold
    /// (one offset θ with x = v − θ where x > 0 and v ≤ θ where x = 0), on random vectors.
    func testProjectionOntoTheSimplexSatisfiesItsOptimalityConditions() {
        let random = SeededGenerator(seed: 7)
        for trial in 0..<200 {
            let size = 1 + trial % 9
            let values = (0..<size).map { _ in random.nextGaussian() * 20 + 10 }
            let total = 1 + random.nextUnitDouble() * 60
            let projected = CategoricalMarginals.projectOntoSimplex(values, total: total)
            XCTAssertEqual(projected.reduce(0, +), total, accuracy: 1e-9 * total)
            XCTAssertTrue(projected.allSatisfy { $0 >= 0 })
            let positive = zip(values, projected).filter { $0.1 > 0 }
            let theta = positive[0].0 - positive[0].1
            for (value, x) in zip(values, projected) {
                if x > 0 { XCTAssertEqual(value - x, theta, accuracy: 1e-9 * Swift.max(1, abs(theta))) }
                else { XCTAssertLessThanOrEqual(value, theta + 1e-9) }
            }
        }
        // Already feasible: unchanged.
        XCTAssertEqual(CategoricalMarginals.projectOntoSimplex([3, 0, 7], total: 10), [3, 0, 7])
        // θ = 2/3: the three populated entries give up 2/3 each for the clamped −2.
        for (x, expected) in zip(CategoricalMarginals.projectOntoSimplex([5, 5, 2, -2], total: 10), [13.0 / 3, 13.0 / 3, 4.0 / 3, 0]) {
            XCTAssertEqual(x, expected, accuracy: 1e-12)
        }
    }

    /// A missing value of a nullable continuous column counts as "missing" in its column's
    /// block, not as the encoder's placeholder 0 in the middle bins; the loss is still zero at
    /// the data and has the right gradient through the null indicator.
    func testMissingValuesCountAsMissingNotAsAValue() throws {
        let schema = Schema(name: "nullable", columns: [
            ColumnSchema(name: "x", kind: .continuous, nullable: true, bounds: Bounds(min: -1, max: 1, provenance: .public)),
            ColumnSchema(name: "y", kind: .categorical, role: .label, categories: CategoryList(values: ["no", "yes"], provenance: .public)),
        ])
        let random = SeededGenerator(seed: 8)
        let count = 300
        var x: [Double] = [], y: [Int32] = []
        for row in 0..<count {
            let value = 0.5 + 0.5 * random.nextUnitDouble()           // all in the top bin of four
            x.append(row % 3 == 0 ? .nan : value)                     // a third missing
            y.append(Int32(row % 2))
        }
        let encoder = try TableEncoder(schema: schema)
        let matrix = try encoder.encode(try Table(schema: schema, columns: [.numbers(x), .categories(y)])).matrix
        let layout = try ModelLayout(encoder: encoder, modelKind: .acgan)
        let rows = layout.generatedColumns(of: matrix, rows: Array(0..<count))
        let classes = layout.labelClasses(of: matrix)
        let marginals = try XCTUnwrap(CategoricalMarginals(layout: layout, rows: rows, rowCount: count, classes: classes, classCount: 2,
                                                           binCount: 4, noiseMultiplier: nil, random: random))
        // One block: four bins and "missing"; the null indicator is not matched twice.
        XCTAssertEqual(marginals.derivedBlocks.count, 1)
        XCTAssertEqual(marginals.columns.count, 5)
        for label in 0..<2 {
            let shares = Array(marginals.shares[(label * 5)..<((label + 1) * 5)])
            let members = (0..<count).filter { classes[$0] == label }
            let missing = Float(members.filter { x[$0].isNaN }.count) / Float(members.count)
            XCTAssertEqual(shares[4], missing, accuracy: 1e-6)
            XCTAssertEqual(shares[0] + shares[1], 0, accuracy: 0.01, "no missing value counted in the lower bins (the placeholder 0 would put a sixth there)")
            XCTAssertEqual(shares[0..<4].reduce(0, +), 1 - missing, accuracy: 1e-5)
        }
        let generated = Tensor(shape: [count, layout.generatedWidth], scalars: rows)
        XCTAssertLessThan(marginals.loss(generated, classes: classes).scalar, 1e-6)
        let sample = Array(0..<24)
        let input = Tensor(shape: [24, layout.generatedWidth],
                           scalars: sample.flatMap { Array(rows[($0 * layout.generatedWidth)..<(($0 + 1) * layout.generatedWidth)]) })
        let report = GradientCheck(seed: 9).firstOrder([input]) { marginals.loss($0[0], classes: sample.map { classes[$0] }).reshaped(to: [1]) }
        XCTAssertTrue(report.passes, "\(report)")
    }

    /// The loss is zero for generated rows equal to the real ones (the released bin shares are
    /// the same soft memberships the loss computes), positive with the classes swapped, and its
    /// gradient in the generated values matches finite differences.
    func testLossPrefersTheRealRelationAndHasTheRightGradient() throws {
        let (layout, rows, classes, marginals) = try exactMarginals(seed: 4)
        let width = layout.generatedWidth
        let generated = Tensor(shape: [400, width], scalars: rows)
        let matched = marginals.loss(generated, classes: classes).scalar
        let swapped = marginals.loss(generated, classes: classes.map { 1 - $0 }).scalar
        XCTAssertLessThan(matched, 1e-6)
        XCTAssertGreaterThan(swapped, 0.05)
        let check = GradientCheck(seed: 5)
        let sample = Array(0..<24)
        let input = Tensor(shape: [24, width], scalars: sample.flatMap { Array(rows[($0 * width)..<(($0 + 1) * width)]) })
        let report = check.firstOrder([input]) { marginals.loss($0[0], classes: sample.map { classes[$0] }).reshaped(to: [1]) }
        XCTAssertTrue(report.passes, "\(report)")
    }
}
