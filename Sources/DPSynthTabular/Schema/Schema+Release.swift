extension Schema {
    /// The schema of a synthetic release: the same columns in the same order, without the
    /// dropped ones (they are never modelled, so never released). Read synthetic files with it.
    ///
    /// A release is written in one format whatever the input's: comma-separated RFC 4180 with
    /// `.` decimals, no digit grouping and a missing value as an empty unquoted field
    /// (`CSVWriter`). So its source format is that one, and no column keeps missing tokens of
    /// its own: reading a release with the input's `;` delimiter, its decimal comma or its
    /// `NA`/`?` tokens would misread the file `sample` wrote.
    public var released: Schema {
        var copy = self
        copy.source = SourceFormat(unknownCategory: source.unknownCategory)
        copy.columns = columns.filter { $0.role != .drop }.map { column in
            var column = column
            column.missingTokens = nil
            return column
        }
        return copy
    }
}
