import Foundation
import GRDBSQLite

/// Copies committed WAL frames into the database file on a thread of its own, through a connection of
/// its own, while the writer goes on. During a bulk load the writer's automatic checkpoint is turned
/// off and this one runs after every commit instead: SQLite lets a passive checkpoint run beside a
/// writer, so the second copy of every page (WAL to file, then fsync) overlaps the next batch
/// instead of stalling each commit.
final class BackgroundCheckpointer: @unchecked Sendable {
    private let condition = NSCondition()
    private var requested = false
    private var stopping = false
    private var finished = false
    /// Used only by the checkpoint thread, which closes it when it ends.
    private let connection: OpaquePointer

    /// Opens a connection to `path` and starts the thread; nil when the connection cannot be opened
    /// (the caller then keeps the writer's own checkpoints).
    init?(path: String) {
        var opened: OpaquePointer?
        guard sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let opened else {
            sqlite3_close(opened)
            return nil
        }
        connection = opened
        let thread = Thread { [self] in run() }
        thread.name = "hubscout-checkpoint"
        thread.start()
    }

    /// Asks for a checkpoint of everything committed so far; returns at once.
    func request() {
        condition.lock()
        requested = true
        condition.signal()
        condition.unlock()
    }

    /// Runs a last checkpoint if one was asked for, then stops the thread and closes its connection.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while !requested && !stopping { condition.wait() }
            let work = requested
            let last = stopping
            requested = false
            condition.unlock()
            if work {
                // Passive: copies what no reader still needs and never waits for a lock; frames it
                // leaves behind go at the next request or at the writer's closing checkpoint.
                sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            }
            if last { break }
        }
        sqlite3_close(connection)
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
