/// What a column's values mean, which decides how they are parsed, encoded and checked.
public enum ColumnKind: String, Codable, CaseIterable, Sendable {
    /// A real number within bounds (a lab value, a size).
    case continuous
    /// A whole number within bounds (an age in years, a count); decoded values are rounded.
    case integer
    /// One label out of an unordered list (sex, workclass).
    case categorical
    /// One label out of an ordered list (tumour grade I < II < III).
    case ordinal
    /// One of two labels, listed false first then true ("0"/"1", "no"/"yes").
    case boolean
    /// A point in time, written in the column's `datetimeFormat`, held as seconds since
    /// 1970-01-01 00:00:00 UTC.
    case datetime
    /// A key naming a person or a record. Never modelled and never copied: the decoder
    /// regenerates identifiers, because a copied key would re-identify its row.
    case identifier

    /// Kinds held as numbers (`Table` stores them as Double, NaN for null).
    public var isNumeric: Bool { self == .continuous || self == .integer || self == .datetime }
    /// Kinds held as an index into a category list.
    public var isCategorical: Bool { self == .categorical || self == .ordinal || self == .boolean }
}

/// What the generator does with a column.
public enum ColumnRole: String, Codable, CaseIterable, Sendable {
    /// Modelled and released.
    case feature
    /// Modelled and released; the target of the utility metrics (train on synthetic, test on
    /// real) and of conditional generators (ACGAN).
    case label
    /// Read and checked, then left out of the model and of the synthetic output.
    case drop
}

/// Where a bound, a category list or a transform parameter came from. Under a differential
/// privacy claim, anything taken from the private data must be declared public by the user
/// or paid for from the budget; see docs/schema.md.
public enum Provenance: String, Codable, CaseIterable, Sendable {
    /// Known without looking at the private rows (a clinician's range, a code book).
    case `public`
    /// Read off the private rows (minimum, maximum, the distinct values): it leaks them.
    case data
    /// Computed from the private rows by a differentially private mechanism whose cost is in
    /// the schema spend record (and in the bound's `epsilon`).
    case differentiallyPrivate = "dp"
}

/// What to do with a value that is not in a column's category list.
public enum UnknownCategoryPolicy: String, Codable, Sendable {
    /// Stop with an error naming the line, the column and the value.
    case error
    /// Treat the value as missing (the column must be nullable) and count it.
    case mapToNull
}

/// How a numeric column becomes one or more matrix columns.
public enum TransformMethod: String, Codable, CaseIterable, Sendable {
    /// x ↦ 2 (x − min) / (max − min) − 1, in [−1, 1].
    case minMax = "minmax"
    /// x ↦ (x − mean) / standardDeviation, with mean and deviation carried in the schema.
    case standardize
    /// x ↦ 2 log(1 + x − min) / log(1 + max − min) − 1, in [−1, 1]: for skewed positive values.
    case log
    /// CTGAN's mode-specific normalisation (Xu et al. 2019, §4.2): a k-mode Gaussian mixture;
    /// a value becomes the one-hot of its mode and α = (x − μₖ) / (4σₖ).
    case modeSpecific
}
