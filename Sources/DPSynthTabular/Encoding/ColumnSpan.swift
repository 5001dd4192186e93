/// What a run of matrix columns holds, so a model can give each run its own output head.
public enum SpanKind: Equatable, Sendable {
    /// A one-hot block over a column's categories in schema order; when the column is
    /// nullable, one more entry (the last) stands for "missing". Head: softmax (or Gumbel-softmax).
    case oneHot(categoryCount: Int, includesNullCategory: Bool)
    /// One scaled number in [lowerBound, upperBound] ([−1, 1] for min-max and log, the
    /// standardized bounds for `standardize`). Head: tanh (rescaled) or identity.
    case scaledValue(lowerBound: Float, upperBound: Float)
    /// CTGAN's mode-specific normalisation: first the scalar α in [−1, 1], then a one-hot over
    /// the `modes` mixture modes (width 1 + modes). Heads: tanh for α, softmax for the modes.
    case modeSpecific(modes: Int)
    /// One 0/1 column: 1 when the value is missing (then the value span holds 0s).
    /// Head: sigmoid.
    case nullIndicator
}

/// The matrix columns `range` that encode schema column `columnIndex`.
public struct ColumnSpan: Equatable, Sendable {
    /// Index of the column in the schema (not in the matrix).
    public let columnIndex: Int
    public let columnName: String
    public let kind: SpanKind
    /// Matrix columns, half-open.
    public let range: Range<Int>
    /// True for the spans of the schema's label column (conditional generators, ACGAN).
    public let isLabel: Bool

    public var width: Int { range.count }
}

/// A row-major Float matrix: `values[row * width + column]`.
public struct EncodedMatrix: Equatable, Sendable {
    public var values: [Float]
    public let rowCount: Int
    public let width: Int

    public init(values: [Float], rowCount: Int, width: Int) {
        precondition(values.count == rowCount * width, "\(values.count) values for \(rowCount) × \(width)")
        self.values = values
        self.rowCount = rowCount
        self.width = width
    }

    /// Row `row` as an array (for tests and small tools).
    public func row(_ row: Int) -> [Float] { Array(values[(row * width)..<((row + 1) * width)]) }
}

/// What encoding did to values outside their bounds.
public struct EncodingReport: Equatable, Sendable {
    /// Column names in schema order.
    public let columnNames: [String]
    /// Values below the lower bound, clipped up to it, per schema column.
    public internal(set) var clippedBelow: [Int]
    /// Values above the upper bound, clipped down to it, per schema column.
    public internal(set) var clippedAbove: [Int]
    /// Values whose α left [−1, 1] under mode-specific normalisation (more than 4σ from their
    /// mode), saturated at ±1; they do not round-trip exactly.
    public internal(set) var saturatedModeValues: [Int]
    /// Values outside the category list read as missing (`UnknownCategoryPolicy.mapToNull`), per
    /// schema column: encoded as missing, and worth telling the user about.
    public internal(set) var unknownCategoriesReadAsMissing: [Int]

    init(columnNames: [String]) {
        self.columnNames = columnNames
        clippedBelow = Array(repeating: 0, count: columnNames.count)
        clippedAbove = Array(repeating: 0, count: columnNames.count)
        saturatedModeValues = Array(repeating: 0, count: columnNames.count)
        unknownCategoriesReadAsMissing = Array(repeating: 0, count: columnNames.count)
    }

    /// Total clipped values over all columns.
    public var totalClipped: Int { clippedBelow.reduce(0, +) + clippedAbove.reduce(0, +) }

    mutating func add(_ other: EncodingReport) {
        for index in columnNames.indices {
            clippedBelow[index] += other.clippedBelow[index]
            clippedAbove[index] += other.clippedAbove[index]
            saturatedModeValues[index] += other.saturatedModeValues[index]
            unknownCategoriesReadAsMissing[index] += other.unknownCategoriesReadAsMissing[index]
        }
    }
}
