import DPSynthEngine
import Foundation

/// The WDBC table (`shared/data/breast_cancer_wdbc.csv`) for training tests: the 30 numeric
/// features standardised with training-split statistics, labels 1 = malignant, and the fixed
/// test split of `shared/data/splits/breast_cancer_wdbc_test_rows.txt` (0-based row indices).
/// Parsed simply: every column is numeric except `diagnosis`.
public struct BreastCancerData {
    public let trainFeatures: Tensor   // [455, 30]
    public let trainLabels: Tensor     // [455, 1]
    public let testFeatures: Tensor    // [114, 30]
    public let testLabels: [Float]     // 114

    public init() throws {
        let text = try String(contentsOf: SharedData.url("data/breast_cancer_wdbc.csv"), encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline)
        let header = lines.removeFirst().split(separator: ",")
        guard let labelColumn = header.firstIndex(of: "diagnosis") else { throw CocoaError(.fileReadCorruptFile) }
        var features: [[Float]] = [], labels: [Float] = []
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            labels.append(fields[labelColumn] == "malignant" ? 1 : 0)
            features.append(fields.enumerated().filter { $0.offset != labelColumn }.map { Float($0.element) ?? .nan })
        }
        let testRows = try String(contentsOf: SharedData.url("data/splits/breast_cancer_wdbc_test_rows.txt"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).compactMap { Int($0) }.sorted()
        let testSet = Set(testRows)
        let trainRows = (0..<features.count).filter { !testSet.contains($0) }
        let width = features.first?.count ?? 0
        var mean = [Float](repeating: 0, count: width), variance = [Float](repeating: 0, count: width)
        for row in trainRows { for j in 0..<width { mean[j] += features[row][j] / Float(trainRows.count) } }
        for row in trainRows { for j in 0..<width { variance[j] += pow(features[row][j] - mean[j], 2) / Float(trainRows.count) } }
        func matrix(_ rows: [Int]) -> Tensor {
            Tensor(shape: [rows.count, width], scalars: rows.flatMap { row in
                (0..<width).map { (features[row][$0] - mean[$0]) / variance[$0].squareRoot() }
            })
        }
        trainFeatures = matrix(trainRows)
        trainLabels = Tensor(shape: [trainRows.count, 1], scalars: trainRows.map { labels[$0] })
        testFeatures = matrix(testRows)
        testLabels = testRows.map { labels[$0] }
    }

    /// The share of test rows whose logit has the label's sign.
    public func testAccuracy(logits: Tensor) -> Double {
        let correct = zip(logits.scalars, testLabels).filter { ($0 > 0 ? 1 : 0) == $1 }.count
        return Double(correct) / Double(testLabels.count)
    }
}
