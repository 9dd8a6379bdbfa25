import Foundation
import GRDB

/// Bulk loading: maintaining the full-text index and the search indexes row by row costs about
/// three times the insert itself, so a large load suspends them and rebuilds each in one pass.
extension Catalog {
    /// The sync-state key that marks a bulk load in progress; it holds what to restore.
    static let bulkLoadKey = "internal:bulk-load"

    /// Runs `body` (typically many `upsert` calls) with the search indexes and the full-text
    /// triggers suspended, then rebuilds them. Searches made meanwhile may miss rows or run slowly.
    /// If the process dies part-way, the next `Catalog` opened on the file finishes the rebuild.
    /// Worth it above roughly 50,000 rows; for small writes it only adds the rebuild time.
    public func withBulkLoad<T>(_ body: () async throws -> T) async throws -> T {
        try await suspendSearchIndexes()
        try await setBulkPragmas(true)
        do {
            let result = try await body()
            try await restoreSearchIndexes()
            try await setBulkPragmas(false)
            return result
        } catch {
            try? await restoreSearchIndexes()
            try? await setBulkPragmas(false)
            throw error
        }
    }

    /// Writer-connection settings for a bulk load, and back: a larger page cache keeps the id index
    /// and the pages of a whole batch in memory (the default spills them to the WAL mid-transaction).
    /// Afterwards the WAL is checkpointed and truncated, so the load leaves no large WAL file behind.
    /// (Holding checkpoints off until the end was measured slower at 1 M models: 44 s against 40 s.)
    private func setBulkPragmas(_ bulk: Bool) async throws(CatalogError) {
        let cacheKiB = max(1, options.cacheSizeMiB) * 1024
        try await writing(bulk ? "prepare the writer for a bulk load" : "restore the writer after a bulk load") { db in
            try db.execute(sql: "PRAGMA cache_size = -\(bulk ? max(cacheKiB, 256 * 1024) : cacheKiB)")
        }
        if !bulk {
            // Best effort: a reader in another process can keep the WAL busy; its pages then reach the
            // database file at a later checkpoint, and nothing is lost meanwhile.
            _ = try? await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        }
    }

    /// What a bulk load drops and later recreates, exactly as the schema defined it.
    private struct SuspendedSchema: Codable {
        var indexes: [String]
        var triggers: [String]
    }

    private func suspendSearchIndexes() async throws(CatalogError) {
        try await writing("suspend search indexes for a bulk load") { db in
            guard try String.fetchOne(db, sql: "SELECT key FROM sync_state WHERE key = ?", arguments: [Catalog.bulkLoadKey]) == nil else {
                return  // already suspended (nested or unfinished load)
            }
            let indexes = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'models' AND name LIKE 'models_by_%' AND sql IS NOT NULL
                """)
            let triggers = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'models' AND name LIKE '__models_fts_%'
                """)
            let saved = SuspendedSchema(indexes: indexes.map { $0["sql"] }, triggers: triggers.map { $0["sql"] })
            try CatalogWriter.setSyncState(db, key: Catalog.bulkLoadKey, cursor: SQLValues.json(saved), at: Date())
            for row in indexes {
                try db.execute(sql: "DROP INDEX IF EXISTS \((row["name"] as String).quotedDatabaseIdentifier)")
            }
            for row in triggers {
                try db.execute(sql: "DROP TRIGGER IF EXISTS \((row["name"] as String).quotedDatabaseIdentifier)")
            }
        }
    }

    func restoreSearchIndexes() async throws(CatalogError) {
        try await writing("rebuild search indexes after a bulk load") { db in try Catalog.restoreSearchIndexes(db) }
    }

    /// Recreates what a bulk load suspended and rebuilds the full-text index; a no-op when nothing is suspended.
    static func restoreSearchIndexes(_ db: Database) throws {
        guard let text = try String.fetchOne(db, sql: "SELECT cursor FROM sync_state WHERE key = ?", arguments: [bulkLoadKey]) else { return }
        guard let saved = SQLValues.decode(SuspendedSchema.self, text) else {
            throw CatalogError.database(operation: "finish an interrupted bulk load", reason: "its saved schema is unreadable")
        }
        for sql in saved.indexes + saved.triggers {
            // Recreating from sqlite_master's own text keeps the definitions identical.
            try db.execute(sql: sql.replacingOccurrences(of: "CREATE INDEX ", with: "CREATE INDEX IF NOT EXISTS ", options: .anchored)
                .replacingOccurrences(of: "CREATE TRIGGER ", with: "CREATE TRIGGER IF NOT EXISTS ", options: .anchored))
        }
        if try db.tableExists("models_fts") {
            try db.execute(sql: "INSERT INTO models_fts(models_fts) VALUES ('rebuild')")
        }
        try db.execute(sql: "DELETE FROM sync_state WHERE key = ?", arguments: [bulkLoadKey])
    }
}
