import Foundation
import HubScoutCore
import Testing
@testable import HubScoutCatalog

@Suite("Catalog schema and migrations")
struct CatalogSchemaTests {
    @Test("An empty file is migrated to the latest schema and is empty")
    func migratesEmptyFile() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        #expect(try await catalog.appliedMigrations() == Catalog.migrationNames)
        #expect(try await catalog.isEmpty)
        #expect(catalog.fullTextSearchAvailable)
        #expect(catalog.warnings.isEmpty)
        #expect(try await catalog.lastSyncDate == nil)
        #expect(try CatalogFileTools.integer(at: temp.path, sql: "PRAGMA page_size") == 8192)
    }

    @Test("A file at the previous schema version keeps its data and gains the new indexes")
    func migratesFromPreviousVersion() async throws {
        let temp = try TestCatalog()
        try CatalogFileTools.createFile(at: temp.path, upTo: "v1")
        try CatalogFileTools.execute(at: temp.path, sql: """
            INSERT INTO models (id, author, pipeline_tag, downloads, tags, first_seen, last_seen)
            VALUES ('Qwen/Qwen2.5-0.5B', 'Qwen', 'text-generation', 42, '["qwen2"]', 0, 0)
            """)
        #expect(try CatalogFileTools.integer(at: temp.path, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'models_by_task_downloads'") == 0)

        let catalog = try temp.open()
        #expect(try await catalog.appliedMigrations() == Catalog.migrationNames)
        #expect(try CatalogFileTools.integer(at: temp.path, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'file_hashes'") == 1)
        #expect(try CatalogFileTools.integer(at: temp.path, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'models_by_task_downloads'") == 1)
        let found = try await catalog.search(SearchRequest(text: "qwen2.5", task: "text-generation"))
        #expect(found.map(\.id) == ["Qwen/Qwen2.5-0.5B"])
        #expect(found.first?.downloads == 42)
        let plan = try await catalog.explain(SearchRequest(task: "text-generation", sort: .downloads))
        #expect(plan.contains { $0.contains("models_by_task_downloads") })
    }

    @Test("Opening twice does not re-run migrations or lose data")
    func reopens() async throws {
        let temp = try TestCatalog()
        try await temp.open().upsert(models: Population.models, seenAt: day("2025-01-01"))
        let again = try temp.open()
        #expect(try await again.search(SearchRequest(limit: 100)).count == Population.models.count)
        #expect(try await again.appliedMigrations() == Catalog.migrationNames)
    }

    @Test("The default path honours HUBSCOUT_HOME, then HOME")
    func defaultPath() {
        #expect(Catalog.defaultPath(environment: ["HUBSCOUT_HOME": "/x/y", "HOME": "/home/u"]) == "/x/y/catalog.sqlite")
        #expect(Catalog.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.cache/hubscout/catalog.sqlite")
    }

    @Test("A folder that cannot be created gives a cannotOpen error")
    func cannotOpen() throws {
        let temp = try TestCatalog()
        let blocker = temp.folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        #expect(throws: CatalogError.self) { try Catalog(path: blocker.appendingPathComponent("sub/catalog.sqlite").path) }
    }
}

@Suite("Catalog: remembered file digests")
struct CatalogFileHashTests {
    @Test("a digest is found only while device, inode, size and modification time are unchanged, and a newer one replaces it")
    func remembersByIdentity() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        let digest = String(repeating: "a1", count: 32)
        try await catalog.rememberFileHash(digest, device: 7, inode: 42, size: 100, modifiedNanoseconds: 5)
        #expect(try await catalog.fileHash(device: 7, inode: 42, size: 100, modifiedNanoseconds: 5) == digest)
        #expect(try await catalog.fileHash(device: 7, inode: 42, size: 100, modifiedNanoseconds: 6) == nil)
        #expect(try await catalog.fileHash(device: 7, inode: 42, size: 101, modifiedNanoseconds: 5) == nil)
        let newer = String(repeating: "b2", count: 32)
        try await catalog.rememberFileHash(newer, device: 7, inode: 42, size: 100, modifiedNanoseconds: 9)
        #expect(try await catalog.fileHash(device: 7, inode: 42, size: 100, modifiedNanoseconds: 5) == nil)
        #expect(try await catalog.fileHash(device: 7, inode: 42, size: 100, modifiedNanoseconds: 9) == newer)
        try await catalog.rememberFileHash("not-a-digest", device: 1, inode: 1, size: 1, modifiedNanoseconds: 1)
        #expect(try await catalog.fileHash(device: 1, inode: 1, size: 1, modifiedNanoseconds: 1) == nil)
    }
}
