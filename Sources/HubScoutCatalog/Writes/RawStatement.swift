import GRDB
import GRDBSQLite

/// A statement prepared on GRDB's writer connection but bound and stepped through SQLite's C API.
/// Bulk ingest runs millions of small inserts; GRDB's boxed `StatementArguments` cost several times
/// the insert itself there. Use it only inside a GRDB write closure, and only for writes.
final class RawStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    private let sql: String

    /// SQLite copies bound text before the call returns, so Swift strings need not outlive the bind.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Prepares `sql` on `db`'s connection; the statement is finalized when this object goes away.
    init(_ db: Database, sql: String) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database connection is closed", sql: sql)
        }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.handle = statement
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds an integer, or NULL for nil; `index` counts from 1 as in SQL.
    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds an integer, or NULL for nil.
    func bind(_ index: Int32, _ value: Int?) {
        bind(index, value.map(Int64.init))
    }

    /// Binds a boolean as 0 or 1 (GRDB's own encoding), or NULL for nil.
    func bind(_ index: Int32, _ value: Bool?) {
        bind(index, value.map { Int64($0 ? 1 : 0) })
    }

    /// Binds a real number, or NULL for nil.
    func bind(_ index: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds UTF-8 text, or NULL for nil. An empty string stays an empty string, not NULL.
    func bind(_ index: Int32, _ value: String?) {
        guard var value else { sqlite3_bind_null(handle, index); return }
        value.withUTF8 { bytes in
            if let base = bytes.baseAddress {
                sqlite3_bind_text(handle, index, base, Int32(bytes.count), RawStatement.transient)
            } else {
                sqlite3_bind_text(handle, index, "", 0, RawStatement.transient)
            }
        }
    }

    /// Runs the statement to completion and readies it for the next bindings.
    func run() throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
    }

    /// Rows changed by the last `run` on this connection (triggers excluded).
    var changes: Int32 { sqlite3_changes(connection) }

    /// The rowid of the last row this connection inserted.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }
}
