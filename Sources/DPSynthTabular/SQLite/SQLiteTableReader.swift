import CSQLite
import Foundation

/// Reads the rows of a SQLite table or query, handing each value over as SQLite typed it:
/// INTEGER and REAL as numbers (no text round trip), TEXT as bytes, NULL as missing.
final class SQLiteTableReader {
    let source: String
    let columnNames: [String]
    private let database: SQLiteDatabase
    private let statement: OpaquePointer

    init(url: URL, selection: DataSource.SQLiteSelection) throws {
        let name = url.path
        database = try SQLiteDatabase(readingFrom: url, name: name)
        let sql: String
        switch selection {
        case .table(let table):
            guard try database.hasTable(named: table) else { throw TabularError.tableNotFound(database: name, table: table) }
            sql = "SELECT * FROM \(quotedIdentifier(table))"
            source = "\(name) table '\(table)'"
        case .query(let query):
            sql = query
            source = "\(name) query"
        }
        statement = try database.prepare(sql)
        let count = Int(sqlite3_column_count(statement))
        var names: [String] = []
        for index in 0..<count {
            names.append(sqlite3_column_name(statement, Int32(index)).map { String(cString: $0) } ?? "column\(index + 1)")
        }
        var positions: [String: [Int]] = [:]
        for (index, name) in names.enumerated() { positions[name, default: []].append(index + 1) }
        if let duplicate = names.first(where: { positions[$0]!.count > 1 }) {
            sqlite3_finalize(statement)
            throw TabularError.duplicateColumnName(source: source, name: duplicate, positions: positions[duplicate]!)
        }
        columnNames = names
    }

    deinit { sqlite3_finalize(statement) }

    /// Calls `body` with each row's fields (valid only during the call) and its 1-based number.
    func forEachRow(_ body: ([SourceField], Int) throws -> Void) throws {
        var fields = [SourceField](repeating: .null, count: columnNames.count)
        var row = 0
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw database.lastError() }
            row += 1
            for index in fields.indices {
                let column = Int32(index)
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: fields[index] = .number(Double(sqlite3_column_int64(statement, column)))
                case SQLITE_FLOAT: fields[index] = .number(sqlite3_column_double(statement, column))
                case SQLITE_NULL: fields[index] = .null
                default:
                    // TEXT or BLOB: the bytes, NUL-terminated by SQLite.
                    let text = sqlite3_column_text(statement, column)
                    let count = Int(sqlite3_column_bytes(statement, column))
                    if let text {
                        fields[index] = .text(UnsafeBufferPointer(start: text, count: count), unquotedEmpty: false, nulTerminated: true)
                    } else {
                        fields[index] = .text(UnsafeBufferPointer(start: emptyText, count: 0), unquotedEmpty: false, nulTerminated: true)
                    }
                }
            }
            try body(fields, row)
        }
    }

    /// Every row as text (numbers written as decimals), for schema inference.
    func readTexts() throws -> [[String?]] {
        var rows: [[String?]] = []
        try forEachRow { fields, _ in
            rows.append(fields.map { field in
                switch field {
                case .null: return nil
                case .number(let value): return decimalText(value)
                case .text(let bytes, _, _): return String(decoding: bytes, as: UTF8.self)
                }
            })
        }
        return rows
    }
}

/// A NUL byte for empty TEXT values, so every text pointer is NUL-terminated.
private let emptyText: UnsafePointer<UInt8> = {
    let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    pointer.initialize(to: 0)
    return UnsafePointer(pointer)
}()
