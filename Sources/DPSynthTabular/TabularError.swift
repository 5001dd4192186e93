/// Where a record came from: a physical line of a text file (1-based, counting the newlines
/// embedded in quoted fields) or a row of a database result (1-based, in result order).
public enum RecordLocation: Equatable, Sendable, CustomStringConvertible {
    case line(Int)
    case row(Int)

    public var description: String {
        switch self {
        case .line(let n): return "line \(n)"
        case .row(let n): return "row \(n)"
        }
    }
}

/// Everything a user's data, schema or flags can do wrong in the tabular layer.
///
/// Each case names the source (as the user spelled it), the record and the column, and the
/// value found, so a message reads like "adult.csv line 42, column 'age': expected an integer,
/// found \"4O\"" (the style of swift-argument-parser's `ParserError`, which carries its origin).
public enum TabularError: Error, Equatable, CustomStringConvertible {
    case fileNotFound(path: String)
    case unreadableFile(path: String, reason: String)
    case unwritableFile(path: String, reason: String)
    case emptyFile(source: String)
    case headerOnly(source: String)
    case emptyResult(source: String)
    case binaryFile(source: String, location: RecordLocation)
    case invalidUTF8(source: String, location: RecordLocation, column: String?)
    case duplicateColumnName(source: String, name: String, positions: [Int])
    case wrongFieldCount(source: String, location: RecordLocation, expected: Int, found: Int)
    case unterminatedQuote(source: String, location: RecordLocation)
    case malformedQuote(source: String, location: RecordLocation)
    case malformedValue(source: String, location: RecordLocation, column: String, value: String, expected: String)
    case unknownCategory(source: String, location: RecordLocation, column: String, value: String, known: [String])
    case missingValue(source: String, location: RecordLocation, column: String)
    case outOfBounds(source: String, location: RecordLocation, column: String, value: String, lower: String, upper: String)
    case columnNotInData(source: String, column: String)
    case columnNotInSchema(source: String, column: String)
    case databaseNotFound(path: String)
    case tableNotFound(database: String, table: String)
    case sqlite(database: String, message: String)
    case outputExists(path: String)
    case invalidSchema(source: String, reason: String)
    case invalidDataSource(specification: String, reason: String)
    /// Several delimiters split every sampled line into the same number of fields.
    case ambiguousDelimiter(source: String, candidates: [String])

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file"
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file (\(reason))"
        case .unwritableFile(let path, let reason):
            return "cannot write \(path): \(reason); nothing was written"
        case .ambiguousDelimiter(let source, let candidates):
            let named = candidates.map { $0 == "\t" ? "tab" : "'\($0)'" }.joined(separator: ", ")
            return "\(source): the delimiter is ambiguous: \(named) each split every sampled line into the same number of fields; pass --delimiter with the one the file uses"
        case .emptyFile(let source):
            return "\(source): the file is empty; expected a header row and at least one record"
        case .headerOnly(let source):
            return "\(source): the file has a header row but no records"
        case .emptyResult(let source):
            return "\(source): no rows; expected at least one record"
        case .binaryFile(let source, let location):
            return "\(source) \(location): found a NUL byte; this looks like a binary file, not CSV text"
        case .invalidUTF8(let source, let location, let column):
            let place = "\(source) \(location)\(column.map { ", column '\($0)'" } ?? "")"
            if case .row = location {
                // A database row: a BLOB or text stored in another encoding, not a file to re-encode.
                return "\(place): the value is not UTF-8 text (a BLOB, or text in another encoding); store it as UTF-8 TEXT, or give the column \"role\": \"drop\" in the schema"
            }
            return "\(place): the bytes are not valid UTF-8; re-encode the file as UTF-8"
        case .duplicateColumnName(let source, let name, let positions):
            return "\(source) line 1: column name '\(name)' appears more than once (columns \(positions.map(String.init).joined(separator: " and "))); rename one of them"
        case .wrongFieldCount(let source, let location, let expected, let found):
            let relation = found > expected ? "too many fields" : "too few fields"
            return "\(source) \(location): \(relation): expected \(expected) (as in the header), found \(found)"
        case .unterminatedQuote(let source, let location):
            return "\(source) \(location): a quoted field is never closed; the file ends inside quotes"
        case .malformedQuote(let source, let location):
            return "\(source) \(location): malformed quoting: a quote inside an unquoted field, or text after a closing quote; double embedded quotes (\"\")"
        case .malformedValue(let source, let location, let column, let value, let expected):
            return "\(source) \(location), column '\(column)': expected \(expected), found \(quoted(value))"
        case .unknownCategory(let source, let location, let column, let value, let known):
            return "\(source) \(location), column '\(column)': \(quoted(value)) is not one of the schema's categories (\(listed(known))); add it to the schema or read with unknown categories mapped to null"
        case .missingValue(let source, let location, let column):
            return "\(source) \(location), column '\(column)': missing value, but the schema says the column is not nullable"
        case .outOfBounds(let source, let location, let column, let value, let lower, let upper):
            return "\(source) \(location), column '\(column)': \(value) lies outside the schema's bounds [\(lower), \(upper)]"
        case .columnNotInData(let source, let column):
            return "\(source): the schema's column '\(column)' is not in the data"
        case .columnNotInSchema(let source, let column):
            return "\(source): column '\(column)' is not in the schema; add it (role \"drop\" to ignore it)"
        case .databaseNotFound(let path):
            return "\(path): no such SQLite database"
        case .tableNotFound(let database, let table):
            return "\(database): no table named '\(table)'"
        case .sqlite(let database, let message):
            return "\(database): SQLite error: \(message)"
        case .outputExists(let path):
            return "\(path) already exists; pass --force to replace it"
        case .invalidSchema(let source, let reason):
            return "\(source): invalid schema: \(reason)"
        case .invalidDataSource(let specification, let reason):
            return "'\(specification)': \(reason)"
        }
    }
}

/// A value as it appears in a message: in double quotes, control characters escaped, cut at
/// 60 characters so one bad cell cannot flood a terminal.
func quoted(_ value: String) -> String {
    var text = ""
    for scalar in value.unicodeScalars.prefix(60) {
        switch scalar {
        case "\"": text += "\\\""
        case "\n": text += "\\n"
        case "\r": text += "\\r"
        case "\t": text += "\\t"
        default:
            if scalar.value < 0x20 { text += "\\u{\(String(scalar.value, radix: 16))}" } else { text.unicodeScalars.append(scalar) }
        }
    }
    if value.unicodeScalars.count > 60 { text += "…" }
    return "\"" + text + "\""
}

/// A short list of names for a message: the first eight, then a count.
func listed(_ names: [String]) -> String {
    let shown = names.prefix(8).map { quoted($0) }.joined(separator: ", ")
    return names.count > 8 ? shown + ", … \(names.count - 8) more" : shown
}
