import Foundation

/// Distance to closest record (DCR) with SDMetrics' row distance (sdmetrics 0.32
/// `single_table/privacy/dcr_utils.py`): the mean over columns of a per-column distance in
/// [0, 1] —
/// - numeric: |a − b| / range, capped at 1, where range = max − min of the *reference*
///   column; a constant reference column gives 0 for equal values and 1 otherwise;
/// - categorical: 0 if equal, else 1;
/// - missing: 0 if both are missing, 1 if one is.
///
/// The hot loop (every query row against every reference row: 40 million pairs for flchain)
/// runs over packed buffers, categorical columns first so that a partial sum already above
/// the best distance so far ends the row early (every term is ≥ 0), and splits the query
/// rows over the cores.
public struct DistanceToClosestRecord: Sendable {
    /// Numeric values after `(x − min) / range`, so a distance is `min(|a − b|, 1)`.
    private let referenceNumeric: [Double]
    private let referenceCodes: [Int32]
    private let referenceCount: Int
    private let columnCount: Int
    private let layout: [ColumnLayout]
    private let numericWidth: Int
    private let codeWidth: Int

    /// How one column is packed: scaled numeric, or an equality code (categories, and numeric
    /// columns whose reference range is 0 or undefined, where SDMetrics tests equality).
    private enum ColumnLayout: Sendable {
        case numeric(name: String, minimum: Double, range: Double)
        case codes(name: String, dictionary: [String: Int32])
    }

    /// A missing numeric value, placed so far away that it is at distance 1 from any value
    /// and at distance 0 from another missing value.
    private static let missingNumber = 1e300

    /// Encodes `reference` on the columns `names` (in that order).
    public init(reference: AuditTable, columns names: [String]) {
        var layout: [ColumnLayout] = []
        for name in names {
            guard let column = reference.column(named: name) else { continue }
            switch column.values {
            case .numeric(let values, _):
                let present = values.compactMap { $0 }
                if let minimum = present.min(), let maximum = present.max(), maximum > minimum {
                    layout.append(.numeric(name: name, minimum: minimum, range: maximum - minimum))
                } else {
                    layout.append(.codes(name: name, dictionary: [:]))
                }
            case .categorical:
                layout.append(.codes(name: name, dictionary: [:]))
            }
        }
        // Codes first: they are cheap and often decide the early exit.
        let isCode = { (entry: ColumnLayout) -> Bool in if case .codes = entry { return true } else { return false } }
        layout = layout.filter(isCode) + layout.filter { !isCode($0) }
        var dictionaries: [[String: Int32]] = layout.map { _ in [:] }
        let encoded = DistanceToClosestRecord.pack(reference, layout: layout, dictionaries: &dictionaries, grow: true)
        self.layout = layout.enumerated().map { index, entry in
            if case .codes(let name, _) = entry { return .codes(name: name, dictionary: dictionaries[index]) }
            return entry
        }
        referenceNumeric = encoded.numeric
        referenceCodes = encoded.codes
        referenceCount = reference.rowCount
        columnCount = layout.count
        numericWidth = encoded.numericWidth
        codeWidth = encoded.codeWidth
    }

    /// The DCR of every row of `queries` to the reference rows, in query order. Infinity when
    /// the reference is empty.
    public func distances(from queries: AuditTable) -> [Double] {
        var dictionaries = layout.map { entry -> [String: Int32] in
            if case .codes(_, let dictionary) = entry { return dictionary }
            return [:]
        }
        let query = DistanceToClosestRecord.pack(queries, layout: layout, dictionaries: &dictionaries, grow: false)
        let count = queries.rowCount
        guard columnCount > 0 else { return [Double](repeating: 0, count: count) }
        var result = [Double](repeating: .infinity, count: count)
        let chunk = 64
        let chunkCount = (count + chunk - 1) / chunk
        let numericWidth = self.numericWidth
        let codeWidth = self.codeWidth
        let referenceCount = self.referenceCount
        let columns = Double(columnCount)
        result.withUnsafeMutableBufferPointer { output in
            let output = output
            referenceNumeric.withUnsafeBufferPointer { referenceNumeric in
                referenceCodes.withUnsafeBufferPointer { referenceCodes in
                    query.numeric.withUnsafeBufferPointer { queryNumeric in
                        query.codes.withUnsafeBufferPointer { queryCodes in
                            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunkIndex in
                                let end = Swift.min(count, (chunkIndex + 1) * chunk)
                                for row in (chunkIndex * chunk)..<end {
                                    let numericBase = row * numericWidth
                                    let codeBase = row * codeWidth
                                    var best = Double.infinity
                                    for other in 0..<referenceCount {
                                        var sum = 0.0
                                        let otherCodes = other * codeWidth
                                        for k in 0..<codeWidth where queryCodes[codeBase + k] != referenceCodes[otherCodes + k] {
                                            sum += 1
                                        }
                                        if sum >= best { continue }
                                        let otherNumeric = other * numericWidth
                                        var k = 0
                                        while k < numericWidth && sum < best {
                                            sum += Swift.min(Swift.abs(queryNumeric[numericBase + k] - referenceNumeric[otherNumeric + k]), 1)
                                            k += 1
                                        }
                                        if sum < best {
                                            best = sum
                                            if best == 0 { break }
                                        }
                                    }
                                    output[row] = best / columns
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Packs a table's rows: scaled numerics row-major `[n, numericWidth]`, codes `[n, codeWidth]`.
    /// Categories missing from a dictionary get fresh codes (extending it when `grow`, else
    /// in a local copy), so unseen values never equal a reference value.
    private static func pack(_ table: AuditTable, layout: [ColumnLayout], dictionaries: inout [[String: Int32]],
                             grow: Bool) -> (numeric: [Double], codes: [Int32], numericWidth: Int, codeWidth: Int) {
        let numericWidth = layout.filter { if case .numeric = $0 { return true } else { return false } }.count
        let codeWidth = layout.count - numericWidth
        let n = table.rowCount
        var numeric = [Double](repeating: 0, count: n * numericWidth)
        var codes = [Int32](repeating: 0, count: n * codeWidth)
        var numericIndex = 0
        var codeIndex = 0
        for (position, entry) in layout.enumerated() {
            switch entry {
            case .numeric(let name, let minimum, let range):
                if case .numeric(let values, _)? = table.column(named: name)?.values {
                    for row in 0..<n {
                        numeric[row * numericWidth + numericIndex] = values[row].map { ($0 - minimum) / range } ?? missingNumber
                    }
                }
                numericIndex += 1
            case .codes(let name, _):
                let texts: [String?]
                switch table.column(named: name)?.values {
                case .numeric(let values, _)?: texts = values.map { $0.map { String($0.bitPattern) } }
                case .categorical(let values, _)?: texts = values
                case nil: texts = Array(repeating: nil, count: n)
                }
                var dictionary = dictionaries[position]
                for row in 0..<n {
                    guard let text = texts[row] else { codes[row * codeWidth + codeIndex] = -1; continue }
                    if let code = dictionary[text] {
                        codes[row * codeWidth + codeIndex] = code
                    } else {
                        let code = Int32(dictionary.count)
                        dictionary[text] = code
                        codes[row * codeWidth + codeIndex] = code
                    }
                }
                if grow { dictionaries[position] = dictionary }
                codeIndex += 1
            }
        }
        return (numeric, codes, numericWidth, codeWidth)
    }
}
