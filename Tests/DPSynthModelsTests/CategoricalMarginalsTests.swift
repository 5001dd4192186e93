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
        XCTAssertEqual(marginals.binnedValues.count, 1)
        XCTAssertEqual(marginals.extendedWidth, width + 4)
        // Expected: per class, shares of c's entries and of x's bins.
        let xColumn = marginals.binnedValues[0].column
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
    /// (c, and x's bins), so each released count has standard deviation σ√2. Measured on the
    /// spread of the released "no"-class share of one category over many releases.
    func testNoiseMatchesTheStatedSensitivity() throws {
        let (layout, rows, classes) = try constructed(rows: 400, random: SeededGenerator(seed: 2))
        let noiseMultiplier = 3.0
        let members = Double(classes.filter { $0 == 0 }.count)
        var first: [Double] = []
        let random = SeededGenerator(seed: 3)
        for _ in 0..<2000 {
            let released = try XCTUnwrap(CategoricalMarginals(layout: layout, rows: rows, rowCount: 400, classes: classes, classCount: 2,
                                                              binCount: 4, noiseMultiplier: noiseMultiplier, random: random))
            first.append(Double(released.shares[0]))
        }
        // A share n_j / Σ n is, to first order, perturbed by (z_j − share·Σ z)/Σ n; its sd is
        // σ√2 · √((1 − s)² + s²(k − 1)) / n for a block of k entries with share s.
        let mean = first.reduce(0, +) / Double(first.count)
        let sd = (first.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(first.count - 1)).squareRoot()
        let share = mean, k = 3.0
        let predicted = noiseMultiplier * 2.0.squareRoot() * ((1 - share) * (1 - share) + share * share * (k - 1)).squareRoot() / members
        XCTAssertEqual(sd, predicted, accuracy: 0.1 * predicted)
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
