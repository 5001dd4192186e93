import CSQLite
import Foundation

/// A thin owner of an `sqlite3*` handle: opens, prepares, executes and reports errors with the
/// database's name. libsqlite3's C API is used directly (no wrapper library).
final class SQLiteDatabase {
    let handle: OpaquePointer
    /// The database as the user named it, for messages.
    let name: String

    /// Opens an existing database read-only (`SQLITE_OPEN_READONLY`): a missing file is an
    /// error, never a new empty database.
    init(readingFrom url: URL, name: String) throws {
        self.name = name
        guard FileManager.default.fileExists(atPath: url.path) else { throw TabularError.databaseNotFound(path: name) }
        var handle: OpaquePointer?
        let status = sqlite3_open_v2(url.path, &handle, SQLITE_OPEN_READONLY, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            throw TabularError.sqlite(database: name, message: message)
        }
        self.handle = handle
    }

    /// Opens a database for writing, creating the file if needed.
    init(writingTo url: URL, name: String) throws {
        self.name = name
        var handle: OpaquePointer?
        let status = sqlite3_open_v2(url.path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            throw TabularError.sqlite(database: name, message: message)
        }
        self.handle = handle
    }

    deinit { sqlite3_close(handle) }

    /// A prepared statement; the caller finalizes it.
    func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw TabularError.sqlite(database: name, message: String(cString: sqlite3_errmsg(handle)))
        }
        return statement
    }

    /// Runs statements that return no rows.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw TabularError.sqlite(database: name, message: text)
        }
    }

    /// True when a table (or view) of that name exists.
    func hasTable(named table: String) throws -> Bool {
        let statement = try prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?1")
        defer { sqlite3_finalize(statement) }
        sqlite3_bind_text(statement, 1, table, -1, sqliteTransient)
        return sqlite3_step(statement) == SQLITE_ROW
    }

    func lastError() -> TabularError {
        .sqlite(database: name, message: String(cString: sqlite3_errmsg(handle)))
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies bound text before `bind` returns.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// An SQL identifier in double quotes, embedded quotes doubled.
func quotedIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
