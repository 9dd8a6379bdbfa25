import Foundation
import GRDB

/// The local SQLite catalog of every model hubscout has seen or downloaded.
///
/// One file (WAL mode, shared safely by several processes through SQLite's locks and a busy timeout),
/// versioned append-only migrations, and every multi-row write in one transaction. All methods are
/// `async` and throw `CatalogError`.
///
/// `@unchecked Sendable` is not needed: the only stored state is immutable and `DatabasePool` is Sendable.
public final class Catalog: Sendable {
    /// Path of the catalog file.
    public let path: String
    /// Whether FTS5 works; when false, text search uses LIKE and `warnings` says so.
    public let fullTextSearchAvailable: Bool
    /// Problems found at open that did not stop it (e.g. no FTS5), as user-facing errors.
    public let warnings: [CatalogError]

    let pool: DatabasePool
    let options: Options
    /// Where commits are reported while a bulk load checkpoints in the background.
    let checkpoints = CheckpointRelay()

    /// Options for opening a catalog.
    public struct Options: Sendable {
        /// How long a writer waits for another process's lock before failing.
        public var busyTimeout: TimeInterval
        /// Skip FTS5 even when it works (exercises the LIKE fallback).
        public var disableFullTextSearch: Bool
        /// Page cache per connection, in MiB (allocated only as used). Large batches touch many index
        /// pages; a cache too small for them spills pages to the WAL mid-transaction.
        public var cacheSizeMiB: Int
        /// Text matching at least this many models is "broad": it filters a walk over the sorted
        /// indexes instead of driving the query, and without an explicit sort it orders by downloads,
        /// not relevance (ranking that many near-identical matches costs a full sort and tells little).
        public var broadTextMatches: Int
        /// Rows per transaction when a bulk load refills the full-text index (each slice commits on
        /// its own so the background checkpointer copies it while the next is indexed).
        public var bulkFullTextSlice: Int

        /// Creates options.
        public init(busyTimeout: TimeInterval = 10, disableFullTextSearch: Bool = false, cacheSizeMiB: Int = 64,
                    broadTextMatches: Int = 5_000, bulkFullTextSlice: Int = 200_000) {
            self.busyTimeout = busyTimeout
            self.disableFullTextSearch = disableFullTextSearch
            self.cacheSizeMiB = cacheSizeMiB
            self.broadTextMatches = max(1, broadTextMatches)
            self.bulkFullTextSlice = max(1, bulkFullTextSlice)
        }
    }

    /// Makes the catalog file readable by its owner only (0600), creating it empty if missing, before
    /// SQLite opens it: SQLite gives its `-wal` and `-shm` files the same mode. The catalog can hold
    /// metadata of private repositories seen with a token, which other local users must not read.
    static func restrictToOwner(_ path: String) throws(CatalogError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            // A read-only catalog (shared, on read-only media) still opens for reading below.
            if errno == EACCES || errno == EROFS { return }
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, info.st_uid == geteuid(), info.st_mode & 0o077 != 0 { fchmod(fd, 0o600) }
        for suffix in ["-wal", "-shm"] where access(path + suffix, F_OK) == 0 {
            if stat(path + suffix, &info) == 0, info.st_uid == geteuid() { chmod(path + suffix, 0o600) }
        }
    }

    /// Opens (creating if needed) the catalog at `path` and brings its schema up to date.
    public init(path: String, options: Options = Options()) throws(CatalogError) {
        self.path = path
        self.options = options
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw .cannotOpen(path: path, reason: "cannot create the folder \(folder) (\(error.localizedDescription))")
            }
        }
        try Self.restrictToOwner(path)
        let openLock = OpenLock(catalogPath: path)
        defer { openLock?.release() }
        var config = Configuration()
        config.busyMode = .timeout(options.busyTimeout)
        config.foreignKeysEnabled = true
        let cacheKiB = max(1, options.cacheSizeMiB) * 1024
        config.prepareDatabase { db in
            // NORMAL is durable across application crashes in WAL mode and much faster than FULL.
            // 8 KiB pages for a file created now (SQLite ignores this for an existing file): at 1 M
            // models bulk ingest ran about 10 % faster than with the default 4 KiB, searches alike.
            try db.execute(sql: "PRAGMA page_size = 8192")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw .cannotOpen(path: path, reason: Catalog.reason(error))
        }

        var warnings: [CatalogError] = []
        var fullText = false
        if options.disableFullTextSearch {
            warnings.append(.fullTextSearchUnavailable(reason: "disabled by the caller"))
        } else {
            switch Catalog.probeFullText(pool) {
            case nil: fullText = true
            case let reason?: warnings.append(.fullTextSearchUnavailable(reason: reason))
            }
        }
        do {
            try CatalogSchema.migrator(fullText: fullText).migrate(pool)
            if fullText {
                // Repairs a file created where FTS5 was missing; a no-op when the index exists.
                try pool.write { db in
                    if try !db.tableExists("models_fts") {
                        try CatalogSchema.createFullTextIndex(db)
                        try CatalogSchema.narrowFullTextUpdateTrigger(db)
                    }
                }
            }
        } catch {
            throw .migrationFailed(path: path, reason: Catalog.reason(error))
        }
        do {
            // A bulk load that died part-way left its indexes suspended: finish it now.
            try pool.write { db in try Catalog.restoreSearchIndexes(db) }
        } catch {
            throw .cannotOpen(path: path, reason: "cannot finish an interrupted bulk load (\(Catalog.reason(error)))")
        }
        self.fullTextSearchAvailable = fullText
        self.warnings = warnings
    }

    /// `$HUBSCOUT_HOME/catalog.sqlite`, default `~/.cache/hubscout/catalog.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = environment["HUBSCOUT_HOME"], !home.isEmpty {
            return (home as NSString).appendingPathComponent("catalog.sqlite")
        }
        let userHome = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (userHome as NSString).appendingPathComponent(".cache/hubscout/catalog.sqlite")
    }

    /// Names of the schema migrations, oldest first.
    public static var migrationNames: [String] { CatalogSchema.migrationNames }

    /// Migrations applied to this file, oldest first.
    public func appliedMigrations() async throws(CatalogError) -> [String] {
        try await reading("read the schema version") { db in
            try CatalogSchema.migrator(fullText: false).appliedMigrations(db)
        }
    }

    /// Nil when FTS5 works, else why not.
    private static func probeFullText(_ pool: DatabasePool) -> String? {
        do {
            try pool.write { db in
                try db.execute(sql: "CREATE VIRTUAL TABLE temp.hubscout_fts5_probe USING fts5(x, tokenize = 'porter unicode61')")
                try db.execute(sql: "INSERT INTO temp.hubscout_fts5_probe(x) VALUES ('probing')")
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.hubscout_fts5_probe WHERE hubscout_fts5_probe MATCH 'probe*'")
                try db.execute(sql: "DROP TABLE temp.hubscout_fts5_probe")
            }
            return nil
        } catch {
            return reason(error)
        }
    }

    /// A short reason from any error (GRDB's DatabaseError carries SQLite's message).
    static func reason(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? e.description }
        if let e = error as? CatalogError { return e.description }
        return String(describing: error)
    }

    /// Runs a write transaction, mapping errors to `CatalogError`.
    func writing<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(CatalogError) -> T {
        let result = try await mappingErrors(operation) { try await self.pool.write(body) }
        checkpoints.committed()
        return result
    }

    /// Runs `body` in one write transaction with foreign-key and CHECK constraints off, mapping errors
    /// as `writing`. Only for the bulk writer, whose values cannot break them: it takes every key from a
    /// row it has just inserted or read, and its `gated`/`precision` texts come from Swift enums. The
    /// checks cost a third of ingest: a lookup in `models` per child row, and an `IN (...)` CHECK that
    /// SQLite evaluates by building a temporary B-tree on every insert.
    /// The pragmas are connection-wide and cannot change inside a transaction, hence the bracket.
    func writingUnchecked<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(CatalogError) -> T {
        let result = try await mappingErrors(operation) {
            try await self.pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON")
                defer { try? db.execute(sql: "PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF") }
                var result: T?
                try db.inTransaction {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw CatalogError.database(operation: operation, reason: "the transaction returned nothing") }
                return result
            }
        }
        checkpoints.committed()
        return result
    }

    /// Runs a read, mapping errors to `CatalogError`.
    func reading<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(CatalogError) -> T {
        try await mappingErrors(operation) { try await self.pool.read(body) }
    }

    /// Runs `work`, passing a `CatalogError` through and wrapping any other error as a failed `operation`.
    private func mappingErrors<T>(_ operation: String, _ work: () async throws -> T) async throws(CatalogError) -> T {
        do {
            return try await work()
        } catch let error as CatalogError {
            throw error
        } catch {
            throw .database(operation: operation, reason: Catalog.reason(error))
        }
    }
}
