import CSQLite
import Foundation

/// Writes a table into a new SQLite table: continuous columns as REAL, integers as INTEGER,
/// categories, identifiers and datetimes (in their format) as TEXT, missing values as NULL.
public enum SQLiteTableWriter {
    /// Writes `table` as the table `tableName` of the database at `url`.
    ///
    /// A new database file is built beside `url` and renamed into place (`AtomicFile`); in an
    /// existing database the table is created and filled inside one transaction, so either
    /// all rows appear or none.
    ///
    /// - Parameter overwrite: replace an existing table of that name (`--force`); otherwise
    ///   its existence is an error and the database is not touched.
    public static func write(_ table: Table, to url: URL, tableName: String, overwrite: Bool) throws {
        if FileManager.default.fileExists(atPath: url.path) {
            let database = try SQLiteDatabase(writingTo: url, name: url.path)
            if try database.hasTable(named: tableName) && !overwrite {
                throw TabularError.outputExists(path: "\(url.path) table '\(tableName)'")
            }
            try fill(database, with: table, tableName: tableName)
        } else {
            try AtomicFile.withTemporaryFile(for: url, overwrite: false) { temporary in
                let database = try SQLiteDatabase(writingTo: temporary, name: url.path)
                try fill(database, with: table, tableName: tableName)
            }
        }
    }

    private static func fill(_ database: SQLiteDatabase, with table: Table, tableName: String) throws {
        let columns = table.schema.columns
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
            try database.execute("COMMIT")
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }
}
