import Foundation
import HubScoutCache
import HubScoutCore
import HubScoutKit
import HubScoutTestSupport
import Testing

/// `ls`, `cache verify`, `cache rm`, `cache gc` and `download` on a cache with huggingface_hub 2.x's shared blob store
/// (hub-protocol.md §5.2a): two repositories linking one store blob, one linking a blob of its own, and an orphan.
@Suite("Shared blob store: counting, verifying, removing, reusing", .serialized)
struct SharedStoreCleanupTests {
    /// `acme/base` and `acme/copy` link one store blob (`model.safetensors`, 60,000 bytes); `acme/solo` links its own
    /// (30,000 bytes). Every repository keeps `config.json` (a git blob) of its own.
    static func sharedCache() throws -> (cache: FixtureCache, repos: [String: FixtureRepo], shared: String, solo: String) {
        let cache = try FixtureCache()
        let weights = FixtureFile("model.safetensors", generatedSize: 60_000, seed: 21)
        var repos: [String: FixtureRepo] = [:]
        repos["acme/base"] = try cache.addRepo("acme/base", commits: [[FixtureFile("config.json", text: #"{"a":1}"#), weights]])
        repos["acme/copy"] = try cache.addRepo("acme/copy", commits: [[FixtureFile("config.json", text: #"{"b":22}"#), weights]])
        repos["acme/solo"] = try cache.addRepo("acme/solo", commits: [[
            FixtureFile("config.json", text: #"{"c":333}"#), FixtureFile("model.safetensors", generatedSize: 30_000, seed: 22),
        ]])
        try SharedStoreFixture.mark(cache)
        let shared = try SharedStoreFixture.adopt(cache, repos["acme/base"]!, "model.safetensors")
        try SharedStoreFixture.adopt(cache, repos["acme/copy"]!, "model.safetensors")
        let solo = try SharedStoreFixture.adopt(cache, repos["acme/solo"]!, "model.safetensors")
        return (cache, repos, FileFacts.realPath(shared) ?? shared, FileFacts.realPath(solo) ?? solo)
    }

    static func manifest(_ storeBlob: String) -> [String] {
        ((try? String(contentsOfFile: storeBlob + ".refs", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test("the total counts a store blob linked from two repositories once, and the store lists who links each blob")
    func countsOnce() throws {
        let (cache, repos, shared, solo) = try Self.sharedCache()
        defer { cache.remove() }
        let inventory = CacheScanner(root: cache.root.path).scan()
        #expect(inventory.repos.map(\.id).sorted() == ["acme/base", "acme/copy", "acme/solo"])
        let configs = repos.values.compactMap { $0.file("config.json")?.size }.reduce(0, +)
        #expect(inventory.totalBytes == 60_000 + 30_000 + configs)
        #expect(inventory.repo("acme/base")?.sharedBytes == 60_000)
        #expect(inventory.repo("acme/base")?.sizeOnDisk == 60_000 + (repos["acme/base"]?.file("config.json")?.size ?? 0))
        let store = try #require(inventory.store)
        #expect(store.blobs.map(\.path).sorted() == [shared, solo].sorted())
        let etag = try #require(repos["acme/base"]?.file("model.safetensors")?.etag)
        #expect(store.blobs.first { $0.path == shared }?.linkedBy == ["models--acme--base/blobs/\(etag)", "models--acme--copy/blobs/\(etag)"])
        #expect(store.unlinked.isEmpty)
    }

    @Test("verify hashes through the links and reports a corrupt store blob for every repository that links it")
    func verifiesThroughLinks() async throws {
        let (cache, _, shared, _) = try Self.sharedCache()
        defer { cache.remove() }
        let clean = try await CacheVerifier(inventory: CacheScanner(root: cache.root.path).scan()).verify()
        #expect(clean.isClean)
        #expect(clean.verifiedCount == 6)   // three configs, three store-linked weights (one store blob read once)
        #expect(clean.checks.filter { $0.storePath == shared }.count == 2)

        // Flip one byte of the shared store blob (it is read-only in a real store; the test owns it).
        chmod(shared, 0o644)
        let handle = try #require(FileHandle(forUpdatingAtPath: shared))
        try handle.seek(toOffset: 100)
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data([~byte]))
        try handle.close()
        let corrupt = try await CacheVerifier(inventory: CacheScanner(root: cache.root.path).scan()).verify()
        #expect(corrupt.mismatches.map(\.repo).sorted() == ["acme/base", "acme/copy"])
        #expect(corrupt.verifiedCount == 4)
    }

    @Test("rm of one of two repositories sharing a store blob keeps the blob, frees only its own bytes and drops it from the manifest; rm of the last frees the blob")
    func removesWithoutBreakingTheOther() throws {
        let (cache, repos, shared, _) = try Self.sharedCache()
        defer { cache.remove() }
        let etag = try #require(repos["acme/base"]?.file("model.safetensors")?.etag)
        let baseConfig = try #require(repos["acme/base"]?.file("config.json")?.size)
        let first = CacheCleaner(inventory: CacheScanner(root: cache.root.path).scan())
        let plan = try first.planRemoval(repo: "acme/base")
        #expect(plan.actions.map(\.kind) == [.repository])
        #expect(plan.bytesFreed == baseConfig)   // not the 60,000 bytes acme/copy still links
        let result = first.execute(plan)
        #expect(result.bytesFreed == baseConfig && result.skipped.isEmpty)
        #expect(FileManager.default.fileExists(atPath: shared))
        #expect(Self.manifest(shared) == ["models--acme--copy/blobs/\(etag)"])
        // acme/copy still reads and verifies.
        let after = CacheScanner(root: cache.root.path).scan()
        let copy = try #require(after.repo("acme/copy"))
        #expect(copy.revisions.first?.files.allSatisfy { !$0.missing } == true)

        let copyConfig = try #require(repos["acme/copy"]?.file("config.json")?.size)
        let second = CacheCleaner(inventory: after)
        let last = try second.planRemoval(repo: "acme/copy")
        #expect(last.actions.map(\.kind) == [.repository, .storeBlob])
        #expect(last.bytesFreed == copyConfig + 60_000)
        let done = second.execute(last)
        #expect(done.bytesFreed == copyConfig + 60_000 && done.skipped.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: shared))
        #expect(!FileManager.default.fileExists(atPath: shared + ".refs"))
    }

    @Test("a store blob is not deleted when a link to it appeared after the plan was made")
    func storeReleaseRechecksLinks() throws {
        let (cache, repos, shared, _) = try Self.sharedCache()
        defer { cache.remove() }
        let cleaner = CacheCleaner(inventory: CacheScanner(root: cache.root.path).scan())
        let plan = try cleaner.planRemoval([.repo("acme/base", revision: nil), .repo("acme/copy", revision: nil)])
        #expect(plan.actions.filter { $0.kind == .storeBlob }.map(\.path) == [shared])
        // Meanwhile another repository links the same store blob (as a download reusing it would).
        let etag = try #require(repos["acme/base"]?.file("model.safetensors")?.etag)
        let late = cache.root.path + "/models--acme--late/blobs"
        try FileManager.default.createDirectory(atPath: late, withIntermediateDirectories: true)
        let hash = (shared as NSString).lastPathComponent
        try FileManager.default.createSymbolicLink(atPath: late + "/" + etag, withDestinationPath: "../../blobs/\(hash.prefix(2))/\(hash)")
        let result = cleaner.execute(plan)
        #expect(result.skipped.map(\.action.kind) == [.storeBlob])
        #expect(result.skipped.first?.reason.contains("models--acme--late") == true)
        #expect(FileManager.default.fileExists(atPath: shared))
    }

    @Test("gc and prune release a store blob nothing links to, once it is older than the grace period, and keep linked ones")
    func gcReleasesOrphans() throws {
        let (cache, _, shared, solo) = try Self.sharedCache()
        defer { cache.remove() }
        // acme/solo's entry is removed by hand (another tool deleted the repository without tidying the store).
        try FileManager.default.removeItem(atPath: cache.root.path + "/models--acme--solo")
        let inventory = CacheScanner(root: cache.root.path).scan()
        #expect(inventory.store?.unlinked.map(\.path) == [solo])
        let fresh = CacheCleaner(inventory: inventory).planGC()
        #expect(!fresh.actions.contains { $0.kind == .storeBlob })   // just written, maybe by a download in progress
        let later = Date().addingTimeInterval(7200)
        for plan in [CacheCleaner(inventory: inventory).planGC(now: later), CacheCleaner(inventory: inventory).planPrune(now: later)] {
            #expect(plan.actions.filter { $0.kind == .storeBlob }.map(\.path) == [solo])
            #expect(plan.bytesFreed == 30_000)
        }
        let result = CacheCleaner(inventory: inventory).execute(CacheCleaner(inventory: inventory).planPrune(now: later))
        #expect(result.bytesFreed == 30_000)
        #expect(!FileManager.default.fileExists(atPath: solo) && FileManager.default.fileExists(atPath: shared))
    }

    @Test("a download into a shared-store cache links a store blob another repository holds (hashed first) instead of fetching it")
    func downloadReusesStoreBlob() async throws {
        let weights = FixtureFile("model.safetensors", generatedSize: 80_000, seed: 31)
        let harness = try await DownloadHarness { fixtures in
            try fixtures.addRepo("acme/new", commits: [[FixtureFile("config.json", text: "{}"), weights]])
        }
        try await harness.run {
            // The download cache already holds the same weights in the store, linked from acme/held.
            let local = try FixtureCache(root: URL(fileURLWithPath: harness.cacheRoot))
            let held = try local.addRepo("acme/held", commits: [[weights]])
            try SharedStoreFixture.mark(local)
            let storeBlob = try SharedStoreFixture.adopt(local, held, "model.safetensors")
            let etag = try #require(held.file("model.safetensors")?.etag)

            let summary = try await harness.download("acme/new")
            let file = try #require(summary.files.first { $0.path == "model.safetensors" })
            #expect(file.status == .linked && file.verified)
            #expect(harness.fileHostGets.isEmpty)   // no byte of the weights came over the network
            let entry = harness.repoFolder("acme/new") + "/blobs/" + etag
            #expect(FileFacts.lstat(entry)?.isSymlink == true)
            #expect(FileFacts.realPath(entry) == FileFacts.realPath(storeBlob))
            #expect(Self.manifest(storeBlob).sorted() == ["models--acme--held/blobs/\(etag)", "models--acme--new/blobs/\(etag)"])
            let data = try #require(FileManager.default.contents(atPath: summary.snapshotPath + "/model.safetensors"))
            #expect(sha256Hex(data) == etag)
        }
    }

    @Test("a store blob whose content does not match the sha256 is not reused: the file is downloaded into the repository")
    func downloadSkipsCorruptStoreBlob() async throws {
        let weights = FixtureFile("model.safetensors", generatedSize: 80_000, seed: 32)
        let harness = try await DownloadHarness { fixtures in
            try fixtures.addRepo("acme/new", commits: [[weights]])
        }
        try await harness.run {
            let local = try FixtureCache(root: URL(fileURLWithPath: harness.cacheRoot))
            let held = try local.addRepo("acme/held", commits: [[weights]])
            try SharedStoreFixture.mark(local)
            let storeBlob = try SharedStoreFixture.adopt(local, held, "model.safetensors")
            // Same size, wrong bytes.
            chmod(storeBlob, 0o644)
            try Data(repeating: 7, count: 80_000).write(to: URL(fileURLWithPath: storeBlob))
            let etag = try #require(held.file("model.safetensors")?.etag)

            let summary = try await harness.download("acme/new")
            #expect(summary.files.first?.status == .downloaded)
            #expect(!harness.fileHostGets.isEmpty)
            let entry = harness.repoFolder("acme/new") + "/blobs/" + etag
            #expect(FileFacts.lstat(entry)?.isRegular == true)
            #expect(Self.manifest(storeBlob) == ["models--acme--held/blobs/\(etag)"])
        }
    }
}
