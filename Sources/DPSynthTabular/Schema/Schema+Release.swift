extension Schema {
    /// The schema of a synthetic release: the same columns in the same order, without the
    /// dropped ones (they are never modelled, so never released). Read synthetic files with it.
    public var released: Schema {
        var copy = self
        copy.columns = columns.filter { $0.role != .drop }
        return copy
    }
}
