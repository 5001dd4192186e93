/// How a numeric column's values should be read. All three are compared with the
/// Kolmogorov–Smirnov complement and count as "continuous" for pair trends (SDMetrics'
/// `numerical` and `datetime` sdtypes); `datetime` values are any monotone number (seconds
/// or days since an epoch), because the KS statistic and Pearson's ρ do not depend on the unit.
public enum NumericKind: String, Codable, Sendable {
    case continuous
    case integer
    case datetime
}

/// How a categorical column's values should be read. All three are compared with the total
/// variation complement and count as "discrete" for pair trends (SDMetrics' `categorical`,
/// `boolean` and `ordinal` sdtypes).
public enum CategoricalKind: String, Codable, Sendable {
    case categorical
    case boolean
    case ordinal
}

/// The values of one column; `nil` is a missing value.
public enum ColumnValues: Sendable {
    case numeric([Double?], kind: NumericKind)
    case categorical([String?], kind: CategoricalKind)

    /// Number of rows, missing values included.
    public var count: Int {
        switch self {
        case .numeric(let values, _): return values.count
        case .categorical(let values, _): return values.count
        }
    }

    /// The kind as written in reports ("continuous", "boolean", ...).
    public var kindName: String {
        switch self {
        case .numeric(_, let kind): return kind.rawValue
        case .categorical(_, let kind): return kind.rawValue
        }
    }

    /// True for numeric columns (SDMetrics' "continuous" shape).
    public var isNumeric: Bool {
        if case .numeric = self { return true }
        return false
    }

    /// Share of missing values (0 for an empty column).
    public var nullRate: Double {
        let missing: Int
        switch self {
        case .numeric(let values, _): missing = values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        case .categorical(let values, _): missing = values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        }
        return count == 0 ? 0 : Double(missing) / Double(count)
    }
}

extension ColumnValues {
    /// `numeric` or `categorical` applied to this column's values and `other`'s when both
    /// columns are of that family; nil when they are not (the schema check rules that out).
    func paired<Result>(with other: ColumnValues,
                        numeric: ([Double?], [Double?]) -> Result,
                        categorical: ([String?], [String?]) -> Result) -> Result? {
        switch (self, other) {
        case (.numeric(let first, _), .numeric(let second, _)): return numeric(first, second)
        case (.categorical(let first, _), .categorical(let second, _)): return categorical(first, second)
        default: return nil
        }
    }
}

/// One named column of an `AuditTable`.
public struct AuditColumn: Sendable {
    public var name: String
    public var values: ColumnValues

    public init(name: String, values: ColumnValues) {
        self.name = name
        self.values = values
    }
}

/// What the label column is predicted as in train-on-synthetic / test-on-real.
public enum LabelTask: Sendable, Equatable {
    /// Binary classification; a row is positive when its label, written as text, equals
    /// `positiveClass` (numeric labels are written without a trailing ".0": `1`, not `1.0`).
    case binary(positiveClass: String)
    /// Multi-class classification over the label's distinct values.
    case multiClass
    /// Regression on a numeric label.
    case regression
}

/// The label column of a table, its task, and the columns a model must not see
/// (identifiers, and columns that leak the label, such as follow-up time in survival data).
public struct LabelSpecification: Sendable, Equatable {
    public var columnName: String
    public var task: LabelTask
    public var excludedColumns: [String]

    public init(columnName: String, task: LabelTask, excludedColumns: [String] = []) {
        self.columnName = columnName
        self.task = task
        self.excludedColumns = excludedColumns
    }
}

/// A table as the audit sees it: named, typed columns of equal length.
///
/// This is the audit's own input type so that the metrics can be read and tested alone; the
/// command line fills it from the tabular layer's schema and CSV/SQLite readers.
public struct AuditTable: Sendable {
    public private(set) var columns: [AuditColumn]
    public let rowCount: Int
    public var label: LabelSpecification?

    /// Fails when columns differ in length or a name repeats, or the label is not a column.
    public init(columns: [AuditColumn], label: LabelSpecification? = nil) throws {
        var seen = Set<String>()
        for column in columns where !seen.insert(column.name).inserted {
            throw AuditError.duplicateColumn(name: column.name)
        }
        let rowCount = columns.first?.values.count ?? 0
        for column in columns where column.values.count != rowCount {
            throw AuditError.columnLengthMismatch(name: column.name, expected: rowCount,
                                                  found: column.values.count)
        }
        if let label = label {
            guard let labelColumn = columns.first(where: { $0.name == label.columnName }) else {
                throw AuditError.missingColumn(name: label.columnName, table: .real)
            }
            if label.task == .regression && !labelColumn.values.isNumeric {
                throw AuditError.labelTaskMismatch(name: label.columnName,
                                                   reason: "regression needs a numeric label column")
            }
        }
        self.columns = columns
        self.rowCount = rowCount
        self.label = label
    }

    /// The column named `name`, if present.
    public func column(named name: String) -> AuditColumn? {
        columns.first { $0.name == name }
    }

    /// The rows at `indices`, in that order (used to split a table into train and holdout).
    public func rows(_ indices: [Int]) -> AuditTable {
        let selected = columns.map { column -> AuditColumn in
            switch column.values {
            case .numeric(let values, let kind):
                return AuditColumn(name: column.name, values: .numeric(indices.map { values[$0] }, kind: kind))
            case .categorical(let values, let kind):
                return AuditColumn(name: column.name,
                                   values: .categorical(indices.map { values[$0] }, kind: kind))
            }
        }
        // Same names, same lengths: the initializer's checks cannot fail.
        return AuditTable(validatedColumns: selected, rowCount: indices.count, label: label)
    }

    private init(validatedColumns: [AuditColumn], rowCount: Int, label: LabelSpecification?) {
        self.columns = validatedColumns
        self.rowCount = rowCount
        self.label = label
    }
}
