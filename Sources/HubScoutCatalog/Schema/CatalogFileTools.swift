import GRDB

/// Low-level access to a catalog file without opening a `Catalog`: building a file at an older
/// schema version (upgrade tests) and running raw SQL on it.
enum CatalogFileTools {
    /// Creates (or migrates) the file at `path` only up to `migration`.
    static func createFile(at path: String, upTo migration: String) throws {
        let pool = try DatabasePool(path: path)
        try CatalogSchema.migrator(fullText: true).migrate(pool, upTo: migration)
    }

    /// Runs SQL statements on the file at `path` in one transaction.
    static func execute(at path: String, sql: String, arguments: StatementArguments = []) throws {
        let pool = try DatabasePool(path: path)
        try pool.write { db in try db.execute(sql: sql, arguments: arguments) }
    }

    /// Fetches one integer from the file at `path`.
    static func integer(at path: String, sql: String) throws -> Int? {
        let pool = try DatabasePool(path: path)
        return try pool.read { db in try Int.fetchOne(db, sql: sql) }
    }
}
