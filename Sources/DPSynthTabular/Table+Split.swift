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
    /// Each column is joined and then released from the parts, so the peak is the table plus
    /// one column's parts, not two tables.
    init(joining parts: consuming [Table]) {
        precondition(!parts.isEmpty, "nothing to join")
        if parts.count == 1 { self = parts[0]; return }
        let (schema, source, originsAreLines) = (parts[0].schema, parts[0].source, parts[0].originsAreLines)
        let rowCount = parts.map(\.rowCount).reduce(0, +)
        func joined<Value>(_ index: Int, _ values: (ColumnValues) -> [Value], empty: ColumnValues) -> [Value] {
            var result: [Value] = []
            result.reserveCapacity(rowCount)
            for part in parts.indices {
                result += values(parts[part].columns[index])
                parts[part].columns[index] = empty
            }
            return result
        }
        let columns = schema.columns.indices.map { index -> ColumnValues in
            switch parts[0].columns[index] {
            case .numbers:
                return .numbers(joined(index, { if case .numbers(let v) = $0 { return v } else { preconditionFailure("storage differs") } },
                                       empty: .numbers([])))
            case .categories:
                return .categories(joined(index, { if case .categories(let v) = $0 { return v } else { preconditionFailure("storage differs") } },
                                          empty: .categories([])))
            case .identifiers:
                return .identifiers(joined(index, { if case .identifiers(let v) = $0 { return v } else { preconditionFailure("storage differs") } },
                                           empty: .identifiers([])))
            }
        }
        self.init(unchecked: schema, columns: columns, rowCount: rowCount, source: source,
                  rowOrigins: parts.flatMap(\.rowOrigins), originsAreLines: originsAreLines)
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
