/// Which input table an error is about.
public enum AuditTableRole: String, Sendable {
    case real
    case synthetic
    case holdout
}

/// Everything a user's input can get wrong in an audit. Each case names the table and column
/// and says what was found, so the message alone tells the user what to fix.
public enum AuditError: Error, Equatable, CustomStringConvertible {
    case duplicateColumn(name: String)
    case columnLengthMismatch(name: String, expected: Int, found: Int)
    case emptyTable(table: AuditTableRole)
    case missingColumn(name: String, table: AuditTableRole)
    case unexpectedColumn(name: String, table: AuditTableRole)
    case columnKindMismatch(name: String, table: AuditTableRole, expected: String, found: String)
    case labelTaskMismatch(name: String, reason: String)
    case labelHasOneClass(name: String, table: AuditTableRole, value: String)
    case invalidOption(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .duplicateColumn(let name):
            return "column '\(name)' appears twice; give every column a distinct name"
        case .columnLengthMismatch(let name, let expected, let found):
            return "column '\(name)' has \(found) rows but the table has \(expected); all columns must have the same length"
        case .emptyTable(let table):
            return "the \(table.rawValue) table has no rows; an audit needs at least one row in each table"
        case .missingColumn(let name, let table):
            return "the \(table.rawValue) table has no column '\(name)'; it must have the same columns as the real table (check the schema)"
        case .unexpectedColumn(let name, let table):
            return "the \(table.rawValue) table has a column '\(name)' that the real table does not have (schema mismatch)"
        case .columnKindMismatch(let name, let table, let expected, let found):
            return "column '\(name)' in the \(table.rawValue) table is \(found) but the real table's is \(expected) (schema mismatch)"
        case .labelTaskMismatch(let name, let reason):
            return "label column '\(name)': \(reason)"
        case .labelHasOneClass(let name, let table, let value):
            return "label column '\(name)' in the \(table.rawValue) table has only the class \"\(value)\"; a classifier needs at least two"
        case .invalidOption(let name, let value, let expected):
            return "option \(name): expected \(expected), found \"\(value)\""
        }
    }
}
