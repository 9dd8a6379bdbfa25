import Foundation
import GRDB
import HubScoutCore
import Testing
@testable import HubScoutCatalog

/// A catalog file someone else wrote: opening it must never run SQL stored inside it, and the file
/// hubscout creates is readable by its owner only.
@Suite("Catalog: hostile files and permissions")
struct CatalogHostileFileTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-hostile-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("an interrupted bulk load's saved state is never executed: indexes come from code")
    func storedSQLIsNotRun() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("catalog.sqlite").path
        do { _ = try Catalog(path: path) }
        // Plant what an older hubscout saved there, with an attacker's statements in it.
        let planted = #"{"indexes":["CREATE TABLE pwned(x INTEGER)"],"triggers":["CREATE TRIGGER pwn AFTER INSERT ON models BEGIN DELETE FROM models; END"]}"#
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "DROP INDEX models_by_downloads")
            try db.execute(sql: "INSERT INTO sync_state(key, cursor, updated_at) VALUES (?, ?, 0)", arguments: [Catalog.bulkLoadKey, planted])
        }
        try queue.close()

        let reopened = try Catalog(path: path)
        let (tables, triggers, indexes, mark) = try await reopened.pool.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'"),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'models_by_%'"),
             try String.fetchOne(db, sql: "SELECT cursor FROM sync_state WHERE key = ?", arguments: [Catalog.bulkLoadKey]))
        }
        #expect(!tables.contains("pwned"))
        #expect(!triggers.contains("pwn"))
        #expect(Set(indexes) == Set(SearchIndexSchema.indexes.map(\.name)))
        #expect(Set(SearchIndexSchema.triggerNames).isSubset(of: Set(triggers)))
        #expect(mark == nil)
    }

    @Test("a new catalog file and its WAL are 0600; an existing 0644 one is tightened")
    func ownerOnly() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("catalog.sqlite").path
        let catalog = try Catalog(path: path)
        try await catalog.upsert(models: [ModelInfo(id: "acme/tiny")])
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            #expect(mode & 0o777 == 0o600, "\(file): \(String(mode, radix: 8))")
        }
        let other = folder.appendingPathComponent("old.sqlite").path
        do { _ = try Catalog(path: other) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: other)
        _ = try Catalog(path: other)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: other)[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o600)
    }
}
