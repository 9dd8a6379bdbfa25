import Foundation
import GRDB

/// Bulk loading: maintaining the full-text index and the search indexes row by row costs about
/// three times the insert itself, so a large load suspends them and rebuilds each in one pass.
extension Catalog {
    /// The sync-state key that marks a bulk load in progress; it holds what to restore.
    static let bulkLoadKey = "internal:bulk-load"

    /// Runs `body` (typically many `bulkInsert` or `upsert` calls) with the search indexes and the full-text
    /// triggers suspended, then rebuilds them. Searches made meanwhile may miss rows or run slowly.
    /// If the process dies part-way, the next `Catalog` opened on the file finishes the rebuild.
    /// Worth it above roughly 50,000 rows; for small writes it only adds the rebuild time.
    public func withBulkLoad<T>(_ body: () async throws -> T) async throws -> T {
        try await suspendSearchIndexes()
        try await setBulkPragmas(true)
        let checkpointer = BackgroundCheckpointer(path: path)
        checkpoints.attach(checkpointer)
        func stopCheckpointer() {
            checkpoints.attach(nil)
            checkpointer?.stop()
        }
        do {
            let result = try await body()
            try await restoreSearchIndexes()
            stopCheckpointer()
            try await setBulkPragmas(false)
            return result
        } catch {
            try? await restoreSearchIndexes()
            stopCheckpointer()
            try? await setBulkPragmas(false)
            throw error
        }
    }

    /// Writer-connection settings for a bulk load, and back: a larger page cache keeps the id index
    /// and the pages of a whole batch in memory (the default spills them to the WAL mid-transaction),
    /// and the writer's own checkpoints stop while `BackgroundCheckpointer` does them beside it.
    /// Afterwards the WAL is checkpointed and truncated, so the load leaves no large WAL file behind.
    private func setBulkPragmas(_ bulk: Bool) async throws(CatalogError) {
        let cacheKiB = max(1, options.cacheSizeMiB) * 1024
        try await writing(bulk ? "prepare the writer for a bulk load" : "restore the writer after a bulk load") { db in
            try db.execute(sql: "PRAGMA cache_size = -\(bulk ? max(cacheKiB, 256 * 1024) : cacheKiB)")
        }
        // Outside a transaction: SQLite ignores this pragma inside one.
        _ = try? await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(bulk ? 0 : 1000)")
        }
        if !bulk {
            // Best effort: a reader in another process can keep the WAL busy; its pages then reach the
            // database file at a later checkpoint, and nothing is lost meanwhile.
            _ = try? await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        }
    }

    private func suspendSearchIndexes() async throws(CatalogError) {
        try await writing("suspend search indexes for a bulk load") { db in
            guard try String.fetchOne(db, sql: "SELECT key FROM sync_state WHERE key = ?", arguments: [Catalog.bulkLoadKey]) == nil else {
                return  // already suspended (nested or unfinished load)
            }
            // Only a mark is stored: the rebuild uses the definitions in `SearchIndexSchema`.
            try CatalogWriter.setSyncState(db, key: Catalog.bulkLoadKey, cursor: "suspended", at: Date())
            for index in SearchIndexSchema.indexes {
                try db.execute(sql: "DROP INDEX IF EXISTS \(index.name.quotedDatabaseIdentifier)")
            }
            for name in SearchIndexSchema.triggerNames {
                try db.execute(sql: "DROP TRIGGER IF EXISTS \(name.quotedDatabaseIdentifier)")
            }
        }
    }

    /// Rebuilds what the load suspended, one index per transaction so the background checkpointer
    /// copies each while the next is built; the full-text index and the end of the load commit last.
    func restoreSearchIndexes() async throws(CatalogError) {
        let suspended = try await reading("look for a suspended bulk load") { db in try Catalog.isSuspended(db) }
        guard suspended else { return }
        for index in SearchIndexSchema.indexes {
            try await writing("rebuild a search index after a bulk load") { db in
                try Catalog.withSorterThreads(db) { try Catalog.createIndex(db, index) }
            }
        }
        // The full-text index is refilled in slices of rows, each committed on its own for the same
        // reason; the last transaction restores the triggers and ends the load. A crash in between
        // leaves the load marked unfinished, and the next open rebuilds the index whole.
        let fullText = try await reading("look for the full-text index") { db in try db.tableExists("models_fts") }
        if fullText {
            let maxKey = try await reading("count the catalog's rows") { db in try Int64.fetchOne(db, sql: "SELECT max(pk) FROM models") } ?? 0
            try await writing("clear the full-text index") { db in
                try Catalog.setFullTextTuning(db, bulk: true)
                try db.execute(sql: "INSERT INTO models_fts(models_fts) VALUES ('delete-all')")
            }
            var start: Int64 = 1
            while start <= maxKey {
                let (first, end) = (start, start + Int64(options.bulkFullTextSlice) - 1)
                try await writing("rebuild the full-text index after a bulk load") { db in
                    try db.execute(sql: """
                        INSERT INTO models_fts(rowid, id, author, tags, summary)
                        SELECT pk, id, author, tags, summary FROM models WHERE pk BETWEEN ? AND ?
                        """, arguments: [first, end])
                }
                start = end + 1
            }
        }
        try await writing("finish the bulk load") { db in
            if fullText {
                try Catalog.createTriggers(db)
                try Catalog.setFullTextTuning(db, bulk: false)
            }
            try db.execute(sql: "DELETE FROM sync_state WHERE key = ?", arguments: [Catalog.bulkLoadKey])
        }
    }

    /// Recreates what a bulk load suspended and rebuilds the full-text index; a no-op when nothing is
    /// suspended. Indexes that already exist are kept, so a restore cut short can simply run again.
    static func restoreSearchIndexes(_ db: Database) throws {
        guard try isSuspended(db) else { return }
        try withSorterThreads(db) {
            for index in SearchIndexSchema.indexes { try createIndex(db, index) }
        }
        if try db.tableExists("models_fts") {
            try createTriggers(db)
            try setFullTextTuning(db, bulk: true)
            try db.execute(sql: "INSERT INTO models_fts(models_fts) VALUES ('rebuild')")
            try setFullTextTuning(db, bulk: false)
        }
        try db.execute(sql: "DELETE FROM sync_state WHERE key = ?", arguments: [bulkLoadKey])
    }

    private static func createTriggers(_ db: Database) throws {
        for sql in SearchIndexSchema.createTriggersSQL(ifNotExists: true) { try db.execute(sql: sql) }
    }

    /// True while a bulk load is unfinished (its mark is in `sync_state`).
    private static func isSuspended(_ db: Database) throws -> Bool {
        try String.fetchOne(db, sql: "SELECT key FROM sync_state WHERE key = ?", arguments: [bulkLoadKey]) != nil
    }

    /// Creates one search index from its definition in code; an existing one is kept.
    private static func createIndex(_ db: Database, _ index: (name: String, columns: String)) throws {
        try db.execute(sql: SearchIndexSchema.createIndexSQL(name: index.name, columns: index.columns, ifNotExists: true))
    }

    /// Builds indexes with SQLite's sorter on several threads. The sorter hands work to its threads
    /// only when the keys outgrow its memory, which is the page cache, so the cache is made small for
    /// the build (the table's pages still come from the OS cache): 10 indexes over 1 M models took
    /// 0.42 s each this way against 0.8 s with one thread and a large cache.
    private static func withSorterThreads(_ db: Database, _ body: () throws -> Void) throws {
        let threads = min(4, max(1, ProcessInfo.processInfo.activeProcessorCount))
        let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -65536
        try db.execute(sql: "PRAGMA threads = \(threads)")
        try db.execute(sql: "PRAGMA cache_size = -4096")
        defer {
            try? db.execute(sql: "PRAGMA cache_size = \(cache)")
            try? db.execute(sql: "PRAGMA threads = 0")
        }
        try body()
    }

    /// Full-text settings for filling the whole index at once, and back to FTS5's defaults for
    /// row-by-row writes. While filling, incremental merging is held off and the in-memory term table
    /// is larger, so the index is written as fewer, larger segments that are never merged level by
    /// level. Measured at 1 M models: 4.8 s instead of 8.3 s, with the same search times (an explicit
    /// 'optimize' on top cost 1.5 s and gained nothing measurable). Best effort: an SQLite without an
    /// option still fills the index, only slower.
    private static func setFullTextTuning(_ db: Database, bulk: Bool) throws {
        let tuning = [("automerge", 0, 4), ("crisismerge", 64, 16), ("hashsize", 8 << 20, 1 << 20)]
        for (option, bulkValue, standard) in tuning {
            try? db.execute(sql: "INSERT INTO models_fts(models_fts, rank) VALUES (?, ?)", arguments: [option, bulk ? bulkValue : standard])
        }
    }
}
