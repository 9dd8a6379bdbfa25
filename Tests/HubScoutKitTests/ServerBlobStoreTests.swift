import Crypto
import Foundation
import HubScoutCache
import HubScoutCore
import HubScoutNetwork
import HubScoutServer
import HubScoutTestSupport
import Testing

/// huggingface_hub 2.x's cache-wide shared blob store (hub-protocol.md §5.2a) read through `HubScoutCache`:
/// served by `hubscout serve` only when the layout is exactly the documented one and the store's manifest gives the
/// blob to the repository asking; measured and verified by the inventory through the link.
@Suite("Hub server: shared blob store")
struct ServerBlobStoreTests {
    @Test("a repository whose blob links into the marked store is listed and served, its etag the repository's blob name")
    func servesSharedBlob() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let weights = FixtureFile("model.safetensors", generatedSize: 70_000, seed: 5)
        let repo = try cache.addRepo("acme/shared", commits: [[FixtureFile("config.json", text: "{}"), weights]])
        let twin = try cache.addRepo("acme/twin", commits: [[weights]])
        let record = try #require(repo.file("model.safetensors"))
        try SharedStoreFixture.mark(cache)
        let store = try SharedStoreFixture.adopt(cache, repo, "model.safetensors")
        try SharedStoreFixture.adopt(cache, twin, "model.safetensors")

        let storage = try CacheDirectoryStorage(root: cache.root.path, refreshInterval: 0)
        let repositories = try await storage.repositories()
        #expect(repositories.map(\.id.description).sorted() == ["acme/shared", "acme/twin"])   // the root blobs/ is no repository
        let stored = try #require(repositories.first { $0.id.description == "acme/shared" })
        let snapshot = try await storage.snapshot(of: stored, commit: repo.head)
        #expect(snapshot.files.map(\.path) == ["config.json", "model.safetensors"])
        let file = try #require(snapshot.file(at: "model.safetensors"))
        #expect(file.etag == record.etag && file.isLFS && file.size == record.size)
        #expect(file.diskPath == (FileFacts.realPath(store) ?? store))

        try await TestHubServer.with(root: cache.root) { server in
            for id in ["acme/shared", "acme/twin"] {
                let url = "\(server.apiURL)/\(id)/resolve/main/model.safetensors"
                let head = try await ServerTestClient.send(url, method: .head)
                #expect(head.status == 302, "\(id)")
                #expect(head.headers["X-Linked-Etag"] == "\"\(record.etag)\"")
                let full = try await ServerTestClient.send(url, redirects: .follow)
                #expect(full.status == 200)
                #expect(full.body == record.file.bytes(0..<record.size))
            }
            let tree = try ServerTestClient.json(try await ServerTestClient.send("\(server.apiURL)/api/models/acme/shared/tree/main"))
            let entry = try #require(tree.arrayValue?.first { $0["path"]?.stringValue == "model.safetensors" })
            #expect(entry["lfs"]?["oid"]?.stringValue == record.etag)
        }
    }

    @Test("a store blob is not served when the manifest does not list the entry, the link skips the repository's blobs/, the folder is not the hash prefix, or the store is not marked")
    func refusesMalformedStore() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let cases = ["unlisted", "direct", "misplaced", "listed"]
        var repos: [String: FixtureRepo] = [:]
        for (index, name) in cases.enumerated() {
            repos[name] = try cache.addRepo("acme/\(name)", commits: [[
                FixtureFile("README.md", text: name), FixtureFile("model.safetensors", generatedSize: 5_000, seed: UInt64(10 + index)),
            ]])
        }
        for name in cases {
            let repo = try #require(repos[name])
            switch name {
            case "unlisted": try SharedStoreFixture.adopt(cache, repo, "model.safetensors", listed: false)
            case "misplaced": try SharedStoreFixture.adopt(cache, repo, "model.safetensors", folder: "zz")
            case "direct":
                // The snapshot entry points straight at the store blob, past the repository's own blobs/<etag>.
                let store = try SharedStoreFixture.adopt(cache, repo, "model.safetensors")
                let hash = (store as NSString).lastPathComponent
                let entry = cache.root.path + "/models--acme--direct/snapshots/\(repo.head)/model.safetensors"
                try FileManager.default.removeItem(atPath: entry)
                try FileManager.default.createSymbolicLink(atPath: entry, withDestinationPath: "../../../blobs/\(hash.prefix(2))/\(hash)")
            default: try SharedStoreFixture.adopt(cache, repo, "model.safetensors")
            }
        }
        try SharedStoreFixture.mark(cache)
        try await TestHubServer.with(root: cache.root) { server in
            for name in cases {
                let url = "\(server.apiURL)/acme/\(name)/resolve/main/model.safetensors"
                let response = try await ServerTestClient.send(url, method: .head)
                let info = try ServerTestClient.json(try await ServerTestClient.send("\(server.apiURL)/api/models/acme/\(name)"))
                let siblings = info["siblings"]?.arrayValue?.compactMap { $0["rfilename"]?.stringValue }
                if name == "listed" {
                    #expect(response.status == 302)
                    #expect(siblings == ["README.md", "model.safetensors"])
                } else {
                    #expect(response.status == 404, "\(name)")
                    #expect(response.headers["X-Error-Code"] == "EntryNotFound", "\(name)")
                    #expect(siblings == ["README.md"], "\(name)")
                }
            }
        }
        // Without the marker the store is not adopted at all: not even the listed repository's blob is served.
        try FileManager.default.removeItem(atPath: cache.root.path + "/blobs/" + SharedBlobStore.markerName)
        try Data("2\n".utf8).write(to: URL(fileURLWithPath: cache.root.path + "/blobs/" + SharedBlobStore.markerName))
        let storage = try CacheDirectoryStorage(root: cache.root.path, refreshInterval: 0)
        let listed = try #require(try await storage.repositories().first { $0.id.description == "acme/listed" })
        #expect(try await storage.snapshot(of: listed, commit: try #require(repos["listed"]).head).files.map(\.path) == ["README.md"])
    }

    @Test("a public repository cannot borrow a gated repository's store blob: the manifest gives it to the gated one only")
    func gatedStoreBlobStaysGated() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let gated = try cache.addRepo("acme/gated", commits: [[FixtureFile("model.safetensors", generatedSize: 6_000, seed: 21)]],
                                      facts: RepoFacts(gated: .manual))
        let open = try cache.addRepo("acme/open", commits: [[FixtureFile("README.md", text: "open")]])
        try SharedStoreFixture.mark(cache)
        let store = try SharedStoreFixture.adopt(cache, gated, "model.safetensors")
        let etag = try #require(gated.file("model.safetensors")?.etag)
        let hash = (store as NSString).lastPathComponent
        // acme/open's own blobs/<etag> links to the gated store blob, and its snapshot links to that entry: the shape is
        // right, but the manifest lists only acme/gated.
        let openRepo = cache.root.path + "/models--acme--open"
        try FileManager.default.createSymbolicLink(atPath: openRepo + "/blobs/" + etag, withDestinationPath: "../../blobs/\(hash.prefix(2))/\(hash)")
        try FileManager.default.createSymbolicLink(atPath: openRepo + "/snapshots/\(open.head)/stolen.safetensors",
                                                   withDestinationPath: "../../blobs/" + etag)
        try await TestHubServer.with(root: cache.root) { server in
            let stolen = try await ServerTestClient.send("\(server.apiURL)/acme/open/resolve/main/stolen.safetensors", method: .head)
            #expect(stolen.status == 404)
            #expect(stolen.headers["X-Error-Code"] == "EntryNotFound")
            let tree = try ServerTestClient.json(try await ServerTestClient.send("\(server.apiURL)/api/models/acme/open/tree/main"))
            #expect(tree.arrayValue?.compactMap { $0["path"]?.stringValue } == ["README.md"])
            let own = try await ServerTestClient.send("\(server.apiURL)/acme/gated/resolve/main/model.safetensors", method: .head)
            #expect(own.status == 401)
            #expect(own.headers["X-Error-Code"] == "GatedRepo")
        }
    }

    @Test("the inventory lists a store-linked blob with its store path, counts it once, verifies it through the link and frees nothing by removing the link")
    func inventoryReadsStore() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let repo = try cache.addRepo("acme/shared", commits: [[
            FixtureFile("config.json", text: "{}"), FixtureFile("model.safetensors", generatedSize: 50_000, seed: 8),
        ]])
        let record = try #require(repo.file("model.safetensors"))
        try SharedStoreFixture.mark(cache)
        let store = try SharedStoreFixture.adopt(cache, repo, "model.safetensors")
        let inventory = CacheScanner(root: cache.root.path).scan()
        #expect(inventory.repos.map(\.id) == ["acme/shared"])
        let scanned = try #require(inventory.repo("acme/shared"))
        let blob = try #require(scanned.blobs.first { $0.name == record.etag })
        #expect(blob.storePath == FileFacts.realPath(store))
        #expect(blob.size == record.size && blob.referencedBy == [repo.head] && blob.bytesFreedByRemoval == 0)
        let config = try #require(repo.file("config.json"))
        #expect(scanned.sizeOnDisk == record.size + config.size)
        #expect(scanned.revisions.first?.files.first { $0.path == "model.safetensors" }?.blob == record.etag)
        let report = try await CacheVerifier(inventory: inventory).verify()
        #expect(report.isClean && report.verifiedCount == 2)
        #expect(report.checks.first { $0.blob == record.etag }?.algorithm == .sha256)
    }
}

/// Lays out huggingface_hub 2.x's shared blob store in a `FixtureCache`.
enum SharedStoreFixture {
    /// A stand-in xet hash for a blob (64 hex, not the content's sha256, as in the real store).
    static func xetHash(_ etag: String) -> String {
        SHA256.hash(data: Array(("xet:" + etag).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Writes the marker that makes `<cache>/blobs/` a store.
    static func mark(_ cache: FixtureCache) throws {
        let folder = cache.root.appendingPathComponent("blobs")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(SharedBlobStore.markerContent.utf8).write(to: folder.appendingPathComponent(SharedBlobStore.markerName))
    }

    /// Moves `path`'s blob of `repo` into the store (`blobs/<folder>/<xet hash>`, folder default the hash prefix), links
    /// the repository's `blobs/<etag>` to it and, when `listed`, adds the entry to the blob's `.refs` manifest.
    /// Returns the store blob's path.
    @discardableResult
    static func adopt(_ cache: FixtureCache, _ repo: FixtureRepo, _ path: String, listed: Bool = true, folder: String? = nil) throws -> String {
        let repoFolder = try RepoID(repo.id).cacheFolderName
        let etag = try #require(repo.file(path)?.etag)
        let hash = xetHash(etag)
        let sub = folder ?? String(hash.prefix(2))
        let storeFolder = cache.root.path + "/blobs/" + sub
        try FileManager.default.createDirectory(atPath: storeFolder, withIntermediateDirectories: true)
        let blob = cache.root.path + "/" + repoFolder + "/blobs/" + etag
        let store = storeFolder + "/" + hash
        if FileManager.default.fileExists(atPath: store) {
            try FileManager.default.removeItem(atPath: blob)
        } else {
            try FileManager.default.moveItem(atPath: blob, toPath: store)
        }
        try FileManager.default.createSymbolicLink(atPath: blob, withDestinationPath: "../../blobs/\(sub)/\(hash)")
        if listed {
            let manifest = store + ".refs"
            let previous = (try? String(contentsOfFile: manifest, encoding: .utf8)) ?? ""
            try Data((previous + repoFolder + "/blobs/" + etag + "\n").utf8).write(to: URL(fileURLWithPath: manifest))
        }
        return store
    }
}
