import Foundation
import HubScoutCore
import HubScoutServer
import HubScoutTestSupport
import Testing

/// `CacheDirectoryStorage` read directly: cache layout, hashing, card data, sidecar, safety.
@Suite("Hub server: cache directory storage")
struct ServerStorageTests {
    @Test("repositories, refs and snapshots come from the cache layout, with etags from blob names")
    func readsLayout() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let repo = try cache.addRepo("acme/tiny", commits: [
            [FixtureFile("config.json", text: "{}")],
            [FixtureFile("config.json", text: #"{"model_type":"llama","architectures":["LlamaForCausalLM"],"hidden_size":8}"#),
             FixtureFile("sub/dir/weights.bin", generatedSize: 5000, seed: 3)],
        ], refs: ["main": 1, "v1": 0], gitTags: ["v1"])
        let storage = try CacheDirectoryStorage(root: cache.root.path, refreshInterval: 0)
        let stored = try #require(try await storage.repositories().first { $0.id.description == "acme/tiny" })
        #expect(stored.refs == repo.refs)
        #expect(Set(stored.commits) == Set(repo.commits))
        #expect(stored.tagNames == ["v1"])
        let snapshot = try await storage.snapshot(of: stored, commit: repo.head)
        #expect(snapshot.files.map(\.path) == ["config.json", "sub/dir/weights.bin"])
        for file in snapshot.files { #expect(file.etag == repo.file(file.path)?.etag) }
        #expect(snapshot.file(at: "sub/dir/weights.bin")?.isLFS == true)
        #expect(snapshot.configSummary?["model_type"]?.stringValue == "llama")
        #expect(snapshot.configSummary?["hidden_size"] == nil)
    }

    @Test("card front matter follows YAML 1.2: 'no' stays a language code and versions stay strings")
    func cardDataTypes() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let repo = try cache.addRepo("acme/card", commits: [[
            .readme(frontMatter: "language:\n- en\n- no\nversion: '1.10'\nlicense: mit\nlikes_hint: 12\ngated: true"),
        ]])
        let storage = try CacheDirectoryStorage(root: cache.root.path, refreshInterval: 0)
        let stored = try #require(try await storage.repositories().first)
        let card = try await storage.snapshot(of: stored, commit: repo.head).cardData
        #expect(card?["language"] == .array([.string("en"), .string("no")]))
        #expect(card?["version"] == .string("1.10"))
        #expect(card?["likes_hint"] == .int(12))
        #expect(card?["gated"] == .bool(true))
    }

    @Test("a snapshot link that points outside the cache root is skipped, never served")
    func outsideLinkSkipped() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let repo = try cache.addRepo("acme/escape", commits: [[FixtureFile("ok.txt", text: "ok")]])
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-outside-\(UUID().uuidString).txt")
        try Data("secret".utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        let link = cache.root.appendingPathComponent("models--acme--escape/snapshots/\(repo.head)/leak.txt")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: outside.path)
        let storage = try CacheDirectoryStorage(root: cache.root.path, refreshInterval: 0)
        let stored = try #require(try await storage.repositories().first)
        let snapshot = try await storage.snapshot(of: stored, commit: repo.head)
        #expect(snapshot.files.map(\.path) == ["ok.txt"])
    }

    @Test("repositories added after the storage opened are found, and a broken sidecar is reported clearly")
    func refreshAndSidecarErrors() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let storage = try CacheDirectoryStorage(root: cache.root.path, refreshInterval: 0)
        #expect(try await storage.repositories().isEmpty)
        try cache.addRepo("acme/late", commits: [[FixtureFile("a.txt", text: "a")]], facts: RepoFacts(downloads: 7))
        let late = try await storage.repositories()
        #expect(late.map(\.id.description) == ["acme/late"])
        #expect(late.first?.facts.downloads == 7)
        try Data("{not json".utf8).write(to: cache.root.appendingPathComponent(ServerSidecar.fileName))
        do {
            _ = try await storage.policy()
            Issue.record("a broken sidecar was accepted")
        } catch {
            #expect(error.description.contains(ServerSidecar.fileName))
        }
    }

    @Test("a missing root is refused with a sentence naming it")
    func missingRoot() {
        #expect(throws: StorageError.self) { try CacheDirectoryStorage(root: "/nonexistent/hubscout-cache") }
    }
}
