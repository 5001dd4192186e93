/// One column's values, stored by kind.
public enum ColumnValues: Equatable, Sendable {
    /// Continuous, integer and datetime columns (datetimes as seconds since 1970-01-01 UTC).
    /// NaN marks a missing value: readers never produce NaN from data, they reject "nan".
    case numbers([Double])
    /// Categorical, ordinal and boolean columns: the index into the schema's category list,
    /// −1 for a missing value, `ColumnValues.unknownCategoryCode` for a value outside the list
    /// read as missing (`UnknownCategoryPolicy.mapToNull`): missing to every reader, but
    /// countable after any selection of rows.
    case categories([Int32])
    /// Identifier columns: the text as read, nil for a missing value.
    case identifiers([String?])

    /// Equal when the same storage holds the same values, a missing number (NaN) equal to a
    /// missing number.
    public static func == (left: ColumnValues, right: ColumnValues) -> Bool {
        switch (left, right) {
        case (.numbers(let a), .numbers(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        case (.categories(let a), .categories(let b)): return a == b
        case (.identifiers(let a), .identifiers(let b)): return a == b
        default: return false
        }
    }

    /// The code of a value outside the category list read as missing (below −1, so every
    /// `code < 0` test reads it as missing).
    public static let unknownCategoryCode: Int32 = -2

    public var count: Int {
        switch self {
        case .numbers(let values): return values.count
        case .categories(let codes): return codes.count
        case .identifiers(let values): return values.count
        }
    }
}

/// A table typed by its schema: one `ColumnValues` per schema column, in schema order, plus
/// where each row came from (for messages).
///
/// This is what the encoder consumes, the decoder produces, the writers write, and the audit
/// compares (real against synthetic) through `numbers(_:)`, `categories(_:)` and `labels()`.
public struct Table: Equatable, Sendable {
    public let schema: Schema
    public internal(set) var columns: [ColumnValues]
    public internal(set) var rowCount: Int
    /// The file or database as the user named it.
    public let source: String
    /// The line (CSV) or row (SQLite, or generated) of each row, 1-based.
    public internal(set) var rowOrigins: [Int]
    /// Whether `rowOrigins` are physical lines or result rows.
    public let originsAreLines: Bool
    /// How many values of each column were not in its category list and were read as
    /// missing (`UnknownCategoryPolicy.mapToNull`); zero elsewhere.
    public var unknownCategoryCounts: [Int] {
        columns.map { values in
            guard case .categories(let codes) = values else { return 0 }
            return codes.reduce(0) { $0 + ($1 == ColumnValues.unknownCategoryCode ? 1 : 0) }
        }
    }

    /// A table from columns already typed; `rowOrigins` default to rows 1…n.
    public init(schema: Schema, columns: [ColumnValues], source: String = "table",
                rowOrigins: [Int]? = nil, originsAreLines: Bool = false) throws {
        guard columns.count == schema.columns.count else {
            throw TabularError.invalidSchema(source: source, reason: "\(columns.count) columns of values for \(schema.columns.count) schema columns")
        }
        let rowCount = columns.first?.count ?? 0
        for (index, values) in columns.enumerated() {
            let column = schema.columns[index]
            let matches: Bool
            switch values {
            case .numbers: matches = column.kind.isNumeric
            case .categories: matches = column.kind.isCategorical
            case .identifiers: matches = column.kind == .identifier
            }
            guard matches, values.count == rowCount else {
                throw TabularError.invalidSchema(source: source, reason: "column '\(column.name)' holds \(values.count) values of the wrong storage for a \(column.kind.rawValue) column of \(rowCount) rows")
            }
        }
        self.schema = schema
        self.columns = columns
        self.rowCount = rowCount
        self.source = source
        self.rowOrigins = rowOrigins ?? Array(1..<(rowCount + 1))
        self.originsAreLines = originsAreLines
    }

    /// Where row `row` (0-based) came from.
    public func origin(ofRow row: Int) -> RecordLocation {
        originsAreLines ? .line(rowOrigins[row]) : .row(rowOrigins[row])
    }

    /// The values of the numeric column `name` (Double, nil for missing), or nil when there is
    /// no such numeric column.
    public func numbers(_ name: String) -> [Double?]? {
        guard let index = schema.columnIndex(named: name), case .numbers(let values) = columns[index] else { return nil }
        return values.map { $0.isNaN ? nil : $0 }
    }

    /// The labels of the categorical, ordinal or boolean column `name` (nil for missing), or
    /// nil when there is no such column.
    public func categories(_ name: String) -> [String?]? {
        guard let index = schema.columnIndex(named: name), case .categories(let codes) = columns[index] else { return nil }
        let labels = schema.columns[index].categoryLabels
        return codes.map { $0 < 0 ? nil : labels[Int($0)] }
    }

    /// The label column's values as text (numbers written as decimals), nil for missing; nil
    /// when the schema has no label.
    public func labels() -> [String?]? {
        guard let index = schema.labelColumnIndex else { return nil }
        return texts(column: index)
    }

    /// Column `index` as the text a CSV writer would write, nil for missing.
    public func texts(column index: Int) -> [String?] {
        let column = schema.columns[index]
        switch columns[index] {
        case .numbers(let values):
            let format = column.kind == .datetime ? try? DatetimeFormat(pattern: column.effectiveDatetimeFormat) : nil
            return values.map { value in
                guard !value.isNaN else { return nil }
                if let format { return format.string(fromSeconds: value) }
                return decimalText(value)
            }
        case .categories(let codes):
            let labels = column.categoryLabels
            return codes.map { $0 < 0 ? nil : labels[Int($0)] }
        case .identifiers(let values):
            return values
        }
    }

    /// The table without its dropped columns: what a synthetic release contains.
    public func removingDroppedColumns() -> Table {
        let keep = schema.columns.indices.filter { schema.columns[$0].role != .drop }
        var kept = schema
        kept.columns = keep.map { schema.columns[$0] }
        return Table(unchecked: kept, columns: keep.map { columns[$0] }, rowCount: rowCount, source: source,
                     rowOrigins: rowOrigins, originsAreLines: originsAreLines)
    }

    init(unchecked schema: Schema, columns: [ColumnValues], rowCount: Int, source: String,
         rowOrigins: [Int], originsAreLines: Bool) {
        self.schema = schema
        self.columns = columns
        self.rowCount = rowCount
        self.source = source
        self.rowOrigins = rowOrigins
        self.originsAreLines = originsAreLines
    }
}
