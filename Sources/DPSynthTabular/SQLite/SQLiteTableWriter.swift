import CSQLite
import Foundation

/// Writes a table into a new SQLite table: continuous columns as REAL, integers as INTEGER,
/// categories, identifiers and datetimes (in their format) as TEXT, missing values as NULL.
public enum SQLiteTableWriter {
    /// Writes `table` as the table `tableName` of the database at `url`: `stream` with one chunk.
    public static func write(_ table: Table, to url: URL, tableName: String, overwrite: Bool) throws {
        try stream(schema: table.schema, to: url, tableName: tableName, overwrite: overwrite) { try $0.append(table) }
    }

    /// Creates the table `tableName` of `schema`'s columns in the database at `url` and lets
    /// `body` append its rows in chunks, so a large synthetic sample never sits in memory whole.
    /// All rows appear or none:
    /// - a new database is built in a temporary file beside `url`, inside one transaction, and
    ///   renamed into place only when `body` returns (`AtomicFile`); if it throws, or the process
    ///   dies, no file is left;
    /// - in an existing database (which may hold other tables) the table is dropped, created and
    ///   filled inside one transaction, committed only when `body` returns, else rolled back,
    ///   leaving the database as it was.
    ///
    /// - Parameter overwrite: replace an existing table of that name (`--force`); otherwise its
    ///   existence is an error and the database is not touched.
    public static func stream(schema: Schema, to url: URL, tableName: String, overwrite: Bool,
                              _ body: (inout SQLiteChunkWriter) throws -> Void) throws {
        if FileManager.default.fileExists(atPath: url.path) {
            let database = try SQLiteDatabase(writingTo: url, name: url.path)
            if try database.hasTable(named: tableName) && !overwrite {
                throw TabularError.outputExists(path: "\(url.path) table '\(tableName)'")
            }
            try fill(database, schema: schema, tableName: tableName, body)
        } else {
            try AtomicFile.withTemporaryFile(for: url, overwrite: false) { temporary in
                let database = try SQLiteDatabase(writingTo: temporary, name: url.path)
                // The file is discarded on failure, so it needs no rollback journal; the commit
                // still syncs it to disk before the rename.
                try database.execute("PRAGMA journal_mode = OFF")
                try fill(database, schema: schema, tableName: tableName, body)
            }
        }
    }

    /// Creates the table and hands `body` a writer, all inside one `BEGIN IMMEDIATE` transaction.
    private static func fill(_ database: SQLiteDatabase, schema: Schema, tableName: String,
                             _ body: (inout SQLiteChunkWriter) throws -> Void) throws {
        let columns = schema.columns
        let definitions = columns.map { column -> String in
            let type: String
            switch column.kind {
            case .continuous: type = "REAL"
            case .integer: type = "INTEGER"
            default: type = "TEXT"
            }
            return "\(quotedIdentifier(column.name)) \(type)"
        }
        try database.execute("BEGIN IMMEDIATE")
        do {
            try database.execute("DROP TABLE IF EXISTS \(quotedIdentifier(tableName))")
            try database.execute("CREATE TABLE \(quotedIdentifier(tableName)) (\(definitions.joined(separator: ", ")))")
            let placeholders = columns.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
            let statement = try database.prepare("INSERT INTO \(quotedIdentifier(tableName)) VALUES (\(placeholders))")
            defer { sqlite3_finalize(statement) }
            var writer = SQLiteChunkWriter(database: database, statement: statement, columns: columns)
            try body(&writer)
            try database.execute("COMMIT")
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }
}

/// An SQLite table being filled chunk by chunk (see `SQLiteTableWriter.stream`).
public struct SQLiteChunkWriter {
    fileprivate let database: SQLiteDatabase
    fileprivate let statement: OpaquePointer
    fileprivate let columns: [ColumnSchema]

    /// Inserts the rows of `table`, whose columns must be those of the stream's schema.
    public mutating func append(_ table: Table) throws {
        guard table.schema.columns.map(\.name) == columns.map(\.name) else {
            throw TabularError.invalidSchema(source: table.source, reason: "chunk columns \(table.schema.columns.map(\.name)) differ from the table's \(columns.map(\.name))")
        }
        let texts: [[String?]?] = columns.indices.map { index in
            switch (columns[index].kind, table.columns[index]) {
            case (.continuous, .numbers), (.integer, .numbers): return nil
            default: return table.texts(column: index)
            }
        }
        for row in 0..<table.rowCount {
            for index in columns.indices {
                let position = Int32(index + 1)
                if let columnTexts = texts[index] {
                    if let text = columnTexts[row] {
                        sqlite3_bind_text(statement, position, text, -1, sqliteTransient)
                    } else {
                        sqlite3_bind_null(statement, position)
                    }
                } else if case .numbers(let values) = table.columns[index] {
                    let value = values[row]
                    if value.isNaN {
                        sqlite3_bind_null(statement, position)
                    } else if columns[index].kind == .integer, abs(value) < 9e18 {
                        sqlite3_bind_int64(statement, position, Int64(value))
                    } else {
                        sqlite3_bind_double(statement, position, value)
                    }
                }
            }
            guard sqlite3_step(statement) == SQLITE_DONE else { throw database.lastError() }
            sqlite3_reset(statement)
        }
    }
}
