import Foundation

/// Distance to closest record (DCR) with SDMetrics' row distance (sdmetrics 0.32
/// `single_table/privacy/dcr_utils.py`): the mean over columns of a per-column distance in
/// [0, 1] —
/// - numeric: |a − b| / range, capped at 1, where range = max − min of the *reference*
///   column; a constant reference column gives 0 for equal values and 1 otherwise;
/// - categorical: 0 if equal, else 1;
/// - missing: 0 if both are missing, 1 if one is.
///
/// The search is exact and prunes what cannot win. The reference rows are grouped by their
/// categorical codes (each distinct tuple once), and within a group sorted by their first
/// numeric column. A query first scans the group of its own codes (so its best distance is
/// small early), then every other group whose code mismatches, counted with an early exit,
/// stay below the best so far. Within a group it walks outward from its own value of the
/// first numeric column and stops on each side once that column alone lifts the partial sum
/// to the best. Every distance it does finish is summed in the same order as the plain loop
/// (code mismatches, then the numeric columns in order; adding non-negative terms never
/// lowers a rounded sum), so the minimum is the same Double the plain loop finds, only
/// sooner: a million-row audit spent most of its time here (docs/audit.md). Query rows are
/// split over the cores.
public struct DistanceToClosestRecord: Sendable {
    /// Numeric values after `(x − min) / range`, so a distance is `min(|a − b|, 1)`; rows in
    /// group order, sorted by the first numeric column within a group.
    private let referenceNumeric: [Double]
    /// Each group's codes, `[groupCount, codeWidth]`.
    private let groupCodes: [Int32]
    /// Group g holds the reference rows `groupStarts[g]..<groupStarts[g + 1]`.
    private let groupStarts: [Int]
    /// The group of each distinct code tuple.
    private let groupOfCodes: [[Int32]: Int]
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
        columnCount = layout.count
        numericWidth = encoded.numericWidth
        codeWidth = encoded.codeWidth
        (referenceNumeric, groupCodes, groupStarts, groupOfCodes) = DistanceToClosestRecord.grouped(
            encoded.numeric, codes: encoded.codes, rowCount: reference.rowCount,
            numericWidth: encoded.numericWidth, codeWidth: encoded.codeWidth)
    }

    /// Groups packed rows by their codes and sorts each group by its first numeric column.
    private static func grouped(_ numeric: [Double], codes: [Int32], rowCount: Int, numericWidth: Int, codeWidth: Int)
        -> (numeric: [Double], groupCodes: [Int32], groupStarts: [Int], groupOfCodes: [[Int32]: Int]) {
        var groupOfCodes: [[Int32]: Int] = [:]
        var groupOfRow = [Int](repeating: 0, count: rowCount)
        var groupCodes: [Int32] = []
        for row in 0..<rowCount {
            let key = Array(codes[(row * codeWidth)..<((row + 1) * codeWidth)])
            if let group = groupOfCodes[key] {
                groupOfRow[row] = group
            } else {
                groupOfRow[row] = groupOfCodes.count
                groupOfCodes[key] = groupOfCodes.count
                groupCodes += key
            }
        }
        let order = (0..<rowCount).sorted { a, b in
            if groupOfRow[a] != groupOfRow[b] { return groupOfRow[a] < groupOfRow[b] }
            return numericWidth > 0 && numeric[a * numericWidth] < numeric[b * numericWidth]
        }
        var sorted = [Double]()
        sorted.reserveCapacity(numeric.count)
        var groupStarts = [Int](repeating: rowCount, count: groupOfCodes.count + 1)
        for (position, row) in order.enumerated().reversed() {
            groupStarts[groupOfRow[row]] = position
        }
        for row in order { sorted += numeric[(row * numericWidth)..<((row + 1) * numericWidth)] }
        return (sorted, groupCodes, groupStarts, groupOfCodes)
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
        let columns = Double(columnCount)
        result.withUnsafeMutableBufferPointer { output in
            let output = output
            referenceNumeric.withUnsafeBufferPointer { referenceNumeric in
                groupCodes.withUnsafeBufferPointer { groupCodes in
                    query.numeric.withUnsafeBufferPointer { queryNumeric in
                        query.codes.withUnsafeBufferPointer { queryCodes in
                            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunkIndex in
                                let end = Swift.min(count, (chunkIndex + 1) * chunk)
                                for row in (chunkIndex * chunk)..<end {
                                    let best = closest(numeric: queryNumeric.baseAddress.map { $0 + row * numericWidth },
                                                       codes: queryCodes.baseAddress.map { $0 + row * codeWidth },
                                                       referenceNumeric: referenceNumeric, groupCodes: groupCodes)
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

    /// The smallest sum of per-column distances from one packed query row to any reference
    /// row (before dividing by the column count).
    @inline(__always)
    private func closest(numeric: UnsafePointer<Double>?, codes: UnsafePointer<Int32>?,
                         referenceNumeric: UnsafeBufferPointer<Double>, groupCodes: UnsafeBufferPointer<Int32>) -> Double {
        var best = Double.infinity
        let codeWidth = self.codeWidth
        let groupCount = groupStarts.count - 1
        let own = codeWidth == 0 ? (groupCount > 0 ? 0 : nil)
                                 : codes.flatMap { groupOfCodes[Array(UnsafeBufferPointer(start: $0, count: codeWidth))] }
        if let own {
            best = scan(group: own, mismatches: 0, best: best, numeric: numeric, referenceNumeric: referenceNumeric)
        }
        var group = 0
        while group < groupCount && best > 0 {
            defer { group += 1 }
            if group == own { continue }
            var mismatches = 0.0
            let base = group * codeWidth
            var k = 0
            while k < codeWidth && mismatches < best {
                if let codes, codes[k] != groupCodes[base + k] { mismatches += 1 }
                k += 1
            }
            if mismatches >= best { continue }
            best = scan(group: group, mismatches: mismatches, best: best, numeric: numeric, referenceNumeric: referenceNumeric)
        }
        return best
    }

    /// The best distance after the rows of `group`, whose codes differ from the query's in
    /// `mismatches` columns: an outward walk from the query's first numeric value.
    @inline(__always)
    private func scan(group: Int, mismatches: Double, best: Double, numeric: UnsafePointer<Double>?,
                      referenceNumeric: UnsafeBufferPointer<Double>) -> Double {
        let width = numericWidth
        guard width > 0, let numeric else { return Swift.min(best, mismatches) }
        var best = best
        let start = groupStarts[group], end = groupStarts[group + 1]
        let first = numeric[0]
        // The first row whose first numeric value is at least the query's.
        var low = start, high = end
        while low < high {
            let middle = (low + high) / 2
            if referenceNumeric[middle * width] < first { low = middle + 1 } else { high = middle }
        }
        /// The distance to one row, or nothing better than `best`.
        @inline(__always) func visit(_ other: Int) -> Bool {
            let base = other * width
            var sum = mismatches + Swift.min(Swift.abs(first - referenceNumeric[base]), 1)
            // Further along this side the first column alone keeps the sum at or above best.
            if sum >= best { return false }
            var k = 1
            while k < width && sum < best {
                sum += Swift.min(Swift.abs(numeric[k] - referenceNumeric[base + k]), 1)
                k += 1
            }
            if sum < best { best = sum }
            return true
        }
        var right = low
        while right < end && best > 0 && visit(right) { right += 1 }
        var left = low - 1
        while left >= start && best > 0 && visit(left) { left -= 1 }
        return best
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
