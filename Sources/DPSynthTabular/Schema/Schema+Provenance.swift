/// One thing in a schema that was read off the private data and not paid for.
public struct DataDerivedItem: Equatable, Sendable, CustomStringConvertible {
    public enum Part: String, Equatable, Sendable {
        case bounds
        case categories
        case transformParameters = "transform parameters"
    }

    public var column: String
    public var part: Part

    public var description: String { "column '\(column)': \(part.rawValue)" }
}

extension Schema {
    /// Every bound, category list and transform parameter set of a modelled column whose
    /// provenance is still `data`. Under a DP claim, `fit` refuses a schema for which this is
    /// not empty, unless the user confirms them as public (`--accept-data-bounds`) or spends
    /// budget on them (`--schema-epsilon`, see `SchemaPrivatizer`).
    ///
    /// Dropped columns and identifiers are skipped: nothing of them reaches the model or the
    /// output.
    public var dataDerivedItems: [DataDerivedItem] {
        var items: [DataDerivedItem] = []
        for column in columns where column.isModelled {
            if column.bounds?.provenance == .data { items.append(DataDerivedItem(column: column.name, part: .bounds)) }
            if column.categories?.provenance == .data {
                items.append(DataDerivedItem(column: column.name, part: .categories))
            }
            if column.transform?.parameters?.provenance == .data {
                items.append(DataDerivedItem(column: column.name, part: .transformParameters))
            }
        }
        return items
    }

    /// A copy in which every `data` provenance of a modelled column is relabelled `public`:
    /// what `--accept-data-bounds` does, after which the privacy record must say that the
    /// user vouched for these values.
    public func acceptingDataDerivedValuesAsPublic() -> Schema {
        var copy = self
        for index in copy.columns.indices where copy.columns[index].isModelled {
            let reason = "declared public by the user (--accept-data-bounds); derived from the data"
            if copy.columns[index].bounds?.provenance == .data {
                copy.columns[index].bounds?.provenance = .public
                copy.columns[index].bounds?.reason = reason
            }
            if copy.columns[index].categories?.provenance == .data {
                copy.columns[index].categories?.provenance = .public
                copy.columns[index].categories?.reason = reason
            }
            if copy.columns[index].transform?.parameters?.provenance == .data {
                copy.columns[index].transform?.parameters?.provenance = .public
            }
        }
        return copy
    }
}
