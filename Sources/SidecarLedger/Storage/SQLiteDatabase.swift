import CSQLite

/// A failed SQLite call: the result code and SQLite's own message.
struct SQLiteError: Error, Sendable, CustomStringConvertible {
    var code: Int32
    var message: String

    /// The primary result code (extended codes carry it in the low byte).
    var primaryCode: Int32 { code & 0xFF }

    var description: String { "\(message) (sqlite code \(code))" }
}

/// One SQLite connection. Only this module touches SQL.
///
/// `@unchecked Sendable` because the handle is a C pointer: each connection is used by one thread at a
/// time (the writer connection by the writer thread, the reader connection under its mutex), and it is
/// opened in serialized mode (`SQLITE_OPEN_FULLMUTEX`) as a second line of defence.
final class SQLiteDatabase: @unchecked Sendable {
    private var handle: OpaquePointer?

    init(path: String, flags: Int32) throws(SQLiteError) {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_FULLMUTEX, nil)
        guard let db else { throw SQLiteError(code: rc, message: "out of memory opening the database") }
        guard rc == SQLITE_OK else {
            let error = SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(db)))
            sqlite3_close_v2(db)
            throw error
        }
        sqlite3_extended_result_codes(db, 1)
        handle = db
    }

    deinit { close() }

    /// Closes the connection (idempotent); later calls fail with `SQLITE_MISUSE`.
    func close() {
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// True when SQLite opened the main database read-only (for example a file without write permission).
    var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// Runs one or more statements that return no rows of interest.
    func execute(_ sql: String) throws(SQLiteError) {
        guard let handle else { throw Self.closedError }
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw lastError(rc) }
    }

    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        guard let handle else { throw Self.closedError }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw lastError(rc) }
        return SQLiteStatement(stmt, database: self)
    }

    /// The first column of the first row of `sql`, as an integer (PRAGMA reads).
    func integer(_ sql: String) throws(SQLiteError) -> Int {
        let stmt = try prepare(sql)
        guard try stmt.step() else { return 0 }
        return stmt.int(0)
    }

    /// The first column of the first row of `sql`, as text; nil when there is no row.
    func text(_ sql: String) throws(SQLiteError) -> String? {
        let stmt = try prepare(sql)
        guard try stmt.step() else { return nil }
        return stmt.string(0)
    }

    func lastError(_ rc: Int32) -> SQLiteError {
        guard let handle else { return Self.closedError }
        return SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)))
    }

    private static let closedError = SQLiteError(code: SQLITE_MISUSE, message: "connection closed")
}
