import DPSynthRandom

extension Table {
    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> Table {
        let selected = columns.map { values -> ColumnValues in
            switch values {
            case .numbers(let v): return .numbers(indices.map { v[$0] })
            case .categories(let v): return .categories(indices.map { v[$0] })
            case .identifiers(let v): return .identifiers(indices.map { v[$0] })
            }
        }
        return Table(unchecked: schema, columns: selected, rowCount: indices.count, source: source,
                     rowOrigins: indices.map { rowOrigins[$0] }, originsAreLines: originsAreLines)
    }

    /// The rows of `parts` (tables of one schema and source, at least one) one after another.
    init(joining parts: [Table]) {
        precondition(!parts.isEmpty, "nothing to join")
        let first = parts[0]
        if parts.count == 1 { self = first; return }
        let columns = first.columns.indices.map { index -> ColumnValues in
            switch first.columns[index] {
            case .numbers: return .numbers(parts.flatMap { part -> [Double] in
                guard case .numbers(let values) = part.columns[index] else { preconditionFailure("storage differs") }
                return values
            })
            case .categories: return .categories(parts.flatMap { part -> [Int32] in
                guard case .categories(let codes) = part.columns[index] else { preconditionFailure("storage differs") }
                return codes
            })
            case .identifiers: return .identifiers(parts.flatMap { part -> [String?] in
                guard case .identifiers(let values) = part.columns[index] else { preconditionFailure("storage differs") }
                return values
            })
            }
        }
        self.init(unchecked: first.schema, columns: columns, rowCount: parts.map(\.rowCount).reduce(0, +), source: first.source,
                  rowOrigins: parts.flatMap(\.rowOrigins), originsAreLines: first.originsAreLines)
    }

    /// Splits the rows into a training part and a holdout part of `holdoutFraction` of the rows
    /// (rounded), chosen by a seeded shuffle so that `fit --holdout-fraction F` and
    /// `audit --holdout-fraction F` on the same file hold out the same rows. Both parts keep
    /// the file's row order.
    ///
    /// The split is not private and need not be: it only decides which rows the generator
    /// never sees, and the holdout is used by the audit alone, which is not a DP release.
    public func split(holdoutFraction: Double, seed: UInt64 = Table.defaultSplitSeed) -> (train: Table, holdout: Table) {
        precondition(holdoutFraction >= 0 && holdoutFraction < 1, "holdout fraction must lie in [0, 1)")
        var order = Array(0..<rowCount)
        // Fisher–Yates written out, not the standard library's shuffle, whose algorithm may
        // change between Swift versions: the split must stay the same for a file.
        let random = SeededGenerator(seed: seed)
        for i in stride(from: rowCount - 1, to: 0, by: -1) {
            order.swapAt(i, Int(random.next() % UInt64(i + 1)))
        }
        let holdoutCount = Int((holdoutFraction * Double(rowCount)).rounded())
        let holdout = order[..<holdoutCount].sorted()
        let train = order[holdoutCount...].sorted()
        return (rows(train), rows(holdout))
    }

    /// The seed of `split(holdoutFraction:)` unless one is given.
    public static let defaultSplitSeed: UInt64 = 20_261_123
}
