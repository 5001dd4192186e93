/// Turns an `AuditTable`'s feature columns into a dense matrix, fitted on the training side
/// only, as the TRTR baseline's scikit-learn pipeline does
/// (`shared/reference/utility/trtr_baseline.py`):
/// numeric → median imputation, then standardisation (population standard deviation; a
/// constant column is only centred); categorical → missing as the level "(missing)", then
/// one-hot over the sorted training levels (a level unseen in training encodes as all zeros).
/// Numeric columns come first, then the one-hot blocks, in table order.
struct FeatureEncoder {
    enum Feature {
        case numeric(name: String, median: Double, mean: Double, scale: Double)
        case categorical(name: String, levels: [String])
    }

    static let missingLevel = "(missing)"
    let features: [Feature]

    /// Width of the encoded matrix.
    var width: Int {
        features.reduce(0) { total, feature in
            switch feature {
            case .numeric: return total + 1
            case .categorical(_, let levels): return total + levels.count
            }
        }
    }

    /// Fits on `rows` of `table`, using the columns named in `featureNames`.
    init(fitting table: AuditTable, rows: [Int], featureNames: [String]) {
        var numeric: [Feature] = []
        var categorical: [Feature] = []
        for name in featureNames {
            guard let column = table.column(named: name) else { continue }
            switch column.values {
            case .numeric(let values, _):
                let present = rows.compactMap { values[$0] }
                let median = medianOf(present) ?? 0
                let imputed = rows.map { values[$0] ?? median }
                let mean = imputed.reduce(0, +) / Double(Swift.max(imputed.count, 1))
                let variance = imputed.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(Swift.max(imputed.count, 1))
                let deviation = variance.squareRoot()
                numeric.append(.numeric(name: name, median: median, mean: mean, scale: deviation > 0 ? deviation : 1))
            case .categorical(let values, _):
                let levels = Set(rows.map { values[$0] ?? FeatureEncoder.missingLevel }).sorted()
                categorical.append(.categorical(name: name, levels: levels))
            }
        }
        features = numeric + categorical
    }

    /// The encoded rows, row-major `[rows.count, width]`.
    func encode(_ table: AuditTable, rows: [Int]) -> [Double] {
        let width = self.width
        var matrix = [Double](repeating: 0, count: rows.count * width)
        var offset = 0
        for feature in features {
            switch feature {
            case .numeric(let name, let median, let mean, let scale):
                if case .numeric(let values, _)? = table.column(named: name)?.values {
                    for (r, row) in rows.enumerated() {
                        matrix[r * width + offset] = ((values[row] ?? median) - mean) / scale
                    }
                }
                offset += 1
            case .categorical(let name, let levels):
                var position: [String: Int] = [:]
                for (index, level) in levels.enumerated() { position[level] = index }
                if case .categorical(let values, _)? = table.column(named: name)?.values {
                    for (r, row) in rows.enumerated() {
                        if let index = position[values[row] ?? FeatureEncoder.missingLevel] {
                            matrix[r * width + offset + index] = 1
                        }
                    }
                }
                offset += levels.count
            }
        }
        return matrix
    }
}

/// numpy's median: the middle value, or the mean of the two middle values.
func medianOf(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
