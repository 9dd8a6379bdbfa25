import Foundation
import HubScoutCatalog
import HubScoutCore
import HubScoutTestSupport
import Testing
@testable import HubScoutCatalogSync
@testable import HubScoutKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The local cache inventory: scanning, verifying and cleaning an HF cache written by `FixtureCache`.
@Suite("Local cache inventory", .serialized)
struct InventoryTests {
    static let repoID = "acme/two-revisions"

    /// A repo with two commits sharing `shared.safetensors` (same content, one blob), plus one file each of their own.
    static func twoRevisionCache() throws -> (FixtureCache, FixtureRepo) {
        let cache = try FixtureCache()
        let shared = FixtureFile("shared.safetensors", generatedSize: 40_000, seed: 1)
        let repo = try cache.addRepo(repoID, commits: [
            [shared, FixtureFile("old.safetensors", generatedSize: 30_000, seed: 2), FixtureFile("config.json", text: #"{"v":1}"#)],
            [shared, FixtureFile("new.safetensors", generatedSize: 20_000, seed: 3), FixtureFile("config.json", text: #"{"v":2}"#)],
        ], refs: ["main": 1, "v1": 0])
        try cache.addRepo("acme/other", commits: [[FixtureFile("weights.bin", generatedSize: 5_000, seed: 4)]])
        return (cache, repo)
    }

    /// Sets access and modification times of a file (links followed).
    static func setTimes(_ path: String, to date: Date) {
        let seconds = time_t(date.timeIntervalSince1970)
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, path, &times, 0)
    }

    /// `acme/moved`: three commits sharing `shared.safetensors`; `main` → the last, `v1` → the middle one, the first
    /// detached (its branch moved on) with `old.safetensors` of its own. `acme/orphan`: one commit, no ref at all.
    /// `acme/other`: one commit on `main`.
    static func detachedCache() throws -> (FixtureCache, FixtureRepo) {
        let cache = try FixtureCache()
        let shared = FixtureFile("shared.safetensors", generatedSize: 40_000, seed: 1)
        let repo = try cache.addRepo("acme/moved", commits: [
            [shared, FixtureFile("old.safetensors", generatedSize: 30_000, seed: 2)],
            [shared, FixtureFile("mid.safetensors", generatedSize: 20_000, seed: 3)],
            [shared, FixtureFile("new.safetensors", generatedSize: 10_000, seed: 4)],
        ], refs: ["main": 2, "v1": 1])
        try cache.addRepo("acme/orphan", commits: [[FixtureFile("weights.bin", generatedSize: 5_000, seed: 5)]], refs: [:])
        try cache.addRepo("acme/other", commits: [[FixtureFile("weights.bin", generatedSize: 6_000, seed: 6)]])
        return (cache, repo)
    }

    /// Every blob file name of the repo on disk.
    static func blobsOnDisk(_ cache: FixtureCache, _ id: String) -> Set<String> {
        let folder = cache.root.appendingPathComponent(try! RepoID(id).cacheFolderName).appendingPathComponent("blobs").path
        return Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
    }

    @Test("scan finds repos, revisions with their refs, files linked to blobs, and counts a shared blob once")
    func scan() throws {
        let (cache, repo) = try Self.twoRevisionCache()
        defer { cache.remove() }
        let inventory = CacheScanner(root: cache.root.path).scan()
        #expect(inventory.repos.map(\.id).sorted() == ["acme/other", Self.repoID])
        let scanned = try #require(inventory.repo(Self.repoID))
        #expect(scanned.revisions.count == 2)
        #expect(scanned.refs == repo.refs)
        let old = try #require(scanned.revision("v1"))
        let new = try #require(scanned.revision("main"))
        #expect(old.commit == repo.commits[0] && new.commit == repo.commits[1])
        #expect(old.refs == ["v1"] && new.refs == ["main"])
        #expect(new.files.map(\.path) == ["config.json", "new.safetensors", "shared.safetensors"])
        #expect(new.files.allSatisfy { $0.blob != nil && !$0.missing })
        #expect(new.sizeOnDisk == 40_000 + 20_000 + 7)
        // The whole repo: each blob once (shared counted once; the two configs differ).
        let blobBytes = scanned.blobs.reduce(0) { $0 + $1.size }
        #expect(scanned.sizeOnDisk == blobBytes)
        #expect(blobBytes == 40_000 + 30_000 + 20_000 + 7 + 7)
        let sharedBlob = try #require(scanned.blobs.first { $0.size == 40_000 })
        #expect(Set(sharedBlob.referencedBy) == Set(repo.commits))
        #expect(scanned.revision(String(repo.commits[0].prefix(10)))?.commit == repo.commits[0])
        #expect(inventory.totalBytes == blobBytes + 5_000)
    }

    @Test("scan of a cache stored as plain files (no blobs) measures the snapshot files")
    func scanPlainFiles() throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        try cache.addRepo("acme/plain", commits: [[FixtureFile("model-Q4_K_M.gguf", generatedSize: 12_345, seed: 9)]], layout: .plainFiles)
        let repo = try #require(CacheScanner(root: cache.root.path).scan().repo("acme/plain"))
        #expect(repo.sizeOnDisk == 12_345)
        #expect(repo.revisions.first?.files.first?.blob == nil)
        #expect(CatalogRecorder.quantization(in: "model-Q4_K_M.gguf") == "Q4_K_M")
    }

    @Test("verify passes an intact cache and detects a flipped byte in a blob and a missing blob")
    func verifyDetectsFlippedByte() async throws {
        let (cache, _) = try Self.twoRevisionCache()
        defer { cache.remove() }
        let clean = try await CacheVerifier(inventory: CacheScanner(root: cache.root.path).scan()).verify()
        #expect(clean.isClean)
        #expect(clean.verifiedCount == 6)
        #expect(clean.checks.contains { $0.algorithm == .gitSHA1 && $0.status == .ok })
        #expect(clean.checks.contains { $0.algorithm == .sha256 && $0.status == .ok })

        let inventory = CacheScanner(root: cache.root.path).scan()
        let repo = try #require(inventory.repo(Self.repoID))
        let target = try #require(repo.blobs.first { $0.size == 30_000 })
        let handle = try #require(FileHandle(forUpdatingAtPath: target.path))
        try handle.seek(toOffset: 12_345)
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: 12_345)
        try handle.write(contentsOf: Data([~byte]))
        try handle.close()
        let gitBlob = try #require(repo.blobs.first { $0.name.count == 40 })
        try FileManager.default.removeItem(atPath: gitBlob.path)

        let report = try await CacheVerifier(inventory: CacheScanner(root: cache.root.path).scan()).verify(repo: Self.repoID)
        #expect(report.mismatches.map(\.blob) == [target.name])
        #expect(report.mismatches.first?.actual != target.name)
        #expect(!report.missing.isEmpty)
        #expect(report.missing.allSatisfy { $0.blob == gitBlob.name })
        #expect(!report.isClean)
        await #expect(throws: InventoryError.self) {
            try await CacheVerifier(inventory: CacheScanner(root: cache.root.path).scan()).verify(repo: "acme/absent")
        }
    }

    @Test("rm REPO@REV removes the snapshot, its ref and its own blobs, never the blob the other snapshot shares")
    func removeRevisionKeepsSharedBlob() throws {
        let (cache, repo) = try Self.twoRevisionCache()
        defer { cache.remove() }
        let inventory = CacheScanner(root: cache.root.path).scan()
        let scanned = try #require(inventory.repo(Self.repoID))
        let shared = try #require(scanned.blobs.first { $0.size == 40_000 }).name
        let oldOnly = try #require(scanned.blobs.first { $0.size == 30_000 }).name
        let cleaner = CacheCleaner(inventory: inventory)
        let plan = try cleaner.planRemoval(repo: Self.repoID, revision: "v1")
        #expect(plan.actions.map(\.kind) == [.revision, .ref, .blob, .blob])
        #expect(!plan.actions.contains { $0.path.hasSuffix(shared) })
        #expect(plan.bytesFreed == 30_000 + 7)

        let result = cleaner.execute(plan)
        #expect(result.skipped.isEmpty)
        #expect(result.bytesFreed == 30_000 + 7)
        let blobs = Self.blobsOnDisk(cache, Self.repoID)
        #expect(blobs.contains(shared))
        #expect(!blobs.contains(oldOnly))
        let after = try #require(CacheScanner(root: cache.root.path).scan().repo(Self.repoID))
        #expect(after.revisions.map(\.commit) == [repo.commits[1]])
        #expect(after.refs == ["main": repo.commits[1]])
        #expect(after.revisions[0].files.allSatisfy { !$0.missing })
        // The last revision goes with the whole folder.
        let last = try CacheCleaner(inventory: CacheScanner(root: cache.root.path).scan()).planRemoval(repo: Self.repoID, revision: "main")
        #expect(last.actions.map(\.kind) == [.repository])
        #expect(throws: InventoryError.self) { try cleaner.planRemoval(repo: Self.repoID, revision: "v9") }
    }

    @Test("gc --older-than removes only the stale revision and keeps the shared blob; --dry-run deletes nothing")
    func gcKeepsSharedBlob() throws {
        let (cache, repo) = try Self.twoRevisionCache()
        defer { cache.remove() }
        let now = Date()
        let old = now.addingTimeInterval(-60 * 86_400)
        let before = CacheScanner(root: cache.root.path).scan()
        let scanned = try #require(before.repo(Self.repoID))
        // Everything is old except what only the new revision uses; the shared blob was last used long ago too.
        for blob in scanned.blobs { Self.setTimes(blob.path, to: old) }
        for blob in try #require(before.repo("acme/other")).blobs { Self.setTimes(blob.path, to: now) }
        let newOnly = scanned.blobs.filter { $0.referencedBy == [repo.commits[1]] }
        for blob in newOnly { Self.setTimes(blob.path, to: now) }
        // A stale partial download and a fresh one.
        let folder = cache.root.appendingPathComponent(try RepoID(Self.repoID).cacheFolderName).appendingPathComponent("blobs")
        let stale = folder.appendingPathComponent(String(repeating: "c", count: 64) + ".incomplete").path
        let fresh = folder.appendingPathComponent(String(repeating: "d", count: 64) + ".incomplete").path
        FileManager.default.createFile(atPath: stale, contents: Data(count: 1000))
        FileManager.default.createFile(atPath: fresh, contents: Data(count: 500))
        Self.setTimes(stale, to: old)

        let inventory = CacheScanner(root: cache.root.path).scan()
        let cleaner = CacheCleaner(inventory: inventory)
        let plan = cleaner.planGC(olderThan: try DurationText.parse("30d"), now: now)
        let shared = try #require(scanned.blobs.first { $0.size == 40_000 })
        #expect(plan.actions.contains { $0.kind == .revision && $0.commit == repo.commits[0] })
        #expect(!plan.actions.contains { $0.commit == repo.commits[1] && $0.kind == .revision })
        #expect(!plan.actions.contains { $0.path == shared.path })
        #expect(plan.actions.contains { $0.kind == .incomplete && $0.path == stale })
        #expect(!plan.actions.contains { $0.path == fresh })
        #expect(plan.bytesFreed == 30_000 + 7 + 1000)

        // Dry run: the plan only.
        let listing = Self.blobsOnDisk(cache, Self.repoID)
        _ = CacheCleaner(inventory: inventory).planGC(olderThan: 30 * 86_400, maxSize: 0, now: now)
        #expect(Self.blobsOnDisk(cache, Self.repoID) == listing)

        let result = cleaner.execute(plan)
        #expect(result.bytesFreed == plan.bytesFreed)
        let blobs = Self.blobsOnDisk(cache, Self.repoID)
        #expect(blobs.contains(shared.name))
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: fresh))
        let after = try #require(CacheScanner(root: cache.root.path).scan().repo(Self.repoID))
        #expect(after.revisions.map(\.commit) == [repo.commits[1]])
        #expect(after.revisions[0].files.allSatisfy { !$0.missing })
    }

    @Test("gc --max-size removes least recently used revisions until the cache fits, never a shared blob")
    func gcMaxSize() throws {
        let (cache, repo) = try Self.twoRevisionCache()
        defer { cache.remove() }
        let now = Date()
        let inventory = CacheScanner(root: cache.root.path).scan()
        let scanned = try #require(inventory.repo(Self.repoID))
        for blob in scanned.blobs { Self.setTimes(blob.path, to: now.addingTimeInterval(-100)) }
        // The shared blob counts for both, so the newer revision is the one whose own files are newer.
        for blob in scanned.blobs where blob.referencedBy == [repo.commits[1]] { Self.setTimes(blob.path, to: now.addingTimeInterval(-50)) }
        for blob in try #require(inventory.repo("acme/other")).blobs { Self.setTimes(blob.path, to: now) }
        let fresh = CacheScanner(root: cache.root.path).scan()
        let limit = fresh.totalBytes - 1
        let plan = CacheCleaner(inventory: fresh).planGC(maxSize: limit, now: now)
        #expect(plan.actions.filter { $0.kind == .revision }.map(\.commit) == [repo.commits[0]])
        #expect(fresh.totalBytes - plan.bytesFreed <= limit)
        let shared = try #require(scanned.blobs.first { $0.size == 40_000 })
        #expect(!plan.actions.contains { $0.path == shared.path })
        _ = CacheCleaner(inventory: fresh).execute(plan)
        #expect(Self.blobsOnDisk(cache, Self.repoID).contains(shared.name))
        // A limit of zero empties the cache.
        let all = CacheCleaner(inventory: CacheScanner(root: cache.root.path).scan()).planGC(maxSize: 0, now: now)
        #expect(Set(all.actions.filter { $0.kind == .repository }.map(\.repo)) == [Self.repoID, "acme/other"])
    }

    @Test("catalog scan records every cached revision as a local snapshot and forgets removed ones")
    func scanIntoCatalog() async throws {
        let (cache, repo) = try Self.twoRevisionCache()
        defer { cache.remove() }
        let (catalog, folder) = try CatalogTestHelpers.freshCatalog()
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorder = CatalogRecorder(catalog: catalog)
        #expect(await recorder.record(inventory: CacheScanner(root: cache.root.path).scan()).isEmpty)
        let detail = try #require(try await catalog.model(id: Self.repoID))
        #expect(Set(detail.snapshots.map(\.commit)) == Set(repo.commits))
        let newest = try #require(detail.snapshots.first { $0.commit == repo.commits[1] })
        #expect(newest.sizeOnDisk == Int64(40_000 + 20_000 + 7))
        #expect(detail.files.contains { $0.path == "shared.safetensors" && $0.sha256?.count == 64 && $0.format == "safetensors" })

        let inventory = CacheScanner(root: cache.root.path).scan()
        let cleaner = CacheCleaner(inventory: inventory)
        let result = cleaner.execute(try cleaner.planRemoval(repo: Self.repoID, revision: "v1"))
        #expect(await recorder.record(cleanup: result).isEmpty)
        #expect(try await catalog.model(id: Self.repoID)?.snapshots.map(\.commit) == [repo.commits[1]])
        #expect(try await catalog.stats().localSnapshots == 2)
    }

    @Test("prune removes detached revisions and the blobs only they use, keeps blobs a remaining revision links, and an all-detached repository goes whole")
    func pruneDetached() throws {
        let (cache, repo) = try Self.detachedCache()
        defer { cache.remove() }
        let inventory = CacheScanner(root: cache.root.path).scan()
        let moved = try #require(inventory.repo("acme/moved"))
        #expect(moved.detachedRevisions.map(\.commit) == [repo.commits[0]])
        let shared = try #require(moved.blobs.first { $0.size == 40_000 })
        let oldOnly = try #require(moved.blobs.first { $0.size == 30_000 })
        // A stale partial download goes, a fresh one (a download may be running) stays.
        let blobs = cache.root.appendingPathComponent(try RepoID("acme/other").cacheFolderName).appendingPathComponent("blobs")
        let stale = blobs.appendingPathComponent(String(repeating: "e", count: 64) + ".incomplete").path
        let fresh = blobs.appendingPathComponent(String(repeating: "f", count: 64) + ".incomplete").path
        FileManager.default.createFile(atPath: stale, contents: Data(count: 700))
        FileManager.default.createFile(atPath: fresh, contents: Data(count: 300))
        Self.setTimes(stale, to: Date().addingTimeInterval(-2 * 86_400))

        let cleaner = CacheCleaner(inventory: CacheScanner(root: cache.root.path).scan())
        let plan = cleaner.planPrune()
        #expect(plan.actions.filter { $0.kind == .revision }.map(\.commit) == [repo.commits[0]])
        #expect(plan.actions.filter { $0.kind == .repository }.map(\.repo) == ["acme/orphan"])
        #expect(plan.actions.filter { $0.kind == .blob }.map(\.path) == [oldOnly.path])
        #expect(plan.actions.filter { $0.kind == .incomplete }.map(\.path) == [stale])
        #expect(!plan.actions.contains { $0.path == shared.path || $0.repo == "acme/other" && $0.kind != .incomplete })
        #expect(plan.bytesFreed == 30_000 + 5_000 + 700)

        let result = cleaner.execute(plan)
        #expect(result.skipped.isEmpty)
        let after = CacheScanner(root: cache.root.path).scan()
        #expect(after.repos.map(\.id).sorted() == ["acme/moved", "acme/other"])
        let kept = try #require(after.repo("acme/moved"))
        #expect(Set(kept.revisions.map(\.commit)) == Set(repo.commits[1...]))
        #expect(kept.revisions.allSatisfy { $0.files.allSatisfy { !$0.missing } })
        #expect(Self.blobsOnDisk(cache, "acme/moved").contains(shared.name))
        #expect(!Self.blobsOnDisk(cache, "acme/moved").contains(oldOnly.name))
        #expect(FileManager.default.fileExists(atPath: fresh) && !FileManager.default.fileExists(atPath: stale))
        // Nothing detached is left: a second prune has nothing but the fresh partial file to consider, and keeps it.
        #expect(CacheCleaner(inventory: after).planPrune().isEmpty)
    }

    @Test("rm of several targets plans one repository's revisions together: naming them all removes the folder; a bare commit finds its repository")
    func removeSeveralTargets() throws {
        let (cache, repo) = try Self.detachedCache()
        defer { cache.remove() }
        let cleaner = CacheCleaner(inventory: CacheScanner(root: cache.root.path).scan())
        let all = try cleaner.planRemoval([.repo("acme/moved", revision: "main"), .repo("acme/moved", revision: "v1"), .commit(repo.commits[0].uppercased())])
        #expect(all.actions.map(\.kind) == [.repository])
        let two = try cleaner.planRemoval([.commit(repo.commits[0]), .repo("ACME/Moved", revision: "v1"), .repo("acme/orphan", revision: nil)])
        #expect(Set(two.actions.filter { $0.kind == .revision }.compactMap(\.commit)) == Set(repo.commits[0...1]))
        // Blobs only the two removed revisions use go; the one `main` still links stays.
        #expect(two.actions.filter { $0.kind == .blob }.map(\.bytes).sorted() == [20_000, 30_000])
        #expect(two.actions.last?.kind == .repository && two.actions.last?.repo == "acme/orphan")
        #expect(throws: InventoryError.self) { try cleaner.planRemoval([.commit(String(repeating: "a", count: 40))]) }
        #expect(throws: InventoryError.self) { try cleaner.planRemoval([.repo("acme/moved", revision: "v9")]) }
    }

    @Test("list keeps entries matching every filter (id text, glob, hf expressions), sorts by each key's default order, then cuts to the limit")
    func listFilterSortLimit() throws {
        let (cache, _) = try Self.detachedCache()
        defer { cache.remove() }
        let now = Date()
        let inventory = CacheScanner(root: cache.root.path).scan()
        // Last used: other today, orphan 10 days ago, moved 40 days ago.
        for (id, age) in [("acme/other", 0.0), ("acme/orphan", 10.0), ("acme/moved", 40.0)] {
            for blob in try #require(inventory.repo(id)).blobs { Self.setTimes(blob.path, to: now.addingTimeInterval(-age * 86_400)) }
        }
        let scanned = CacheScanner(root: cache.root.path).scan()
        func ids(_ filters: [String] = [], sort: String? = nil, limit: Int? = nil) throws -> [String] {
            let parsed = try filters.map { try CacheFilter(parsing: $0) }
            return scanned.list(filters: parsed, sort: sort.flatMap(CacheSort.init(parsing:)), limit: limit, now: now).map(\.id)
        }
        #expect(try ids() == ["acme/moved", "acme/orphan", "acme/other"])
        #expect(try ids(["OR"]) == ["acme/orphan"])
        #expect(try ids(["acme/o*r"]) == ["acme/other"])
        #expect(try ids(["*o?her"]) == ["acme/other"])
        #expect(try ids(["size>5.5KB"]) == ["acme/moved", "acme/other"])
        #expect(try ids(["size>5.5KB", "accessed<7d"]) == ["acme/other"])
        #expect(try ids(["accessed>30d"]) == ["acme/moved"])
        #expect(try ids(["refs=v1"]) == ["acme/moved"])
        #expect(try ids(["type=model"]).count == 3)
        #expect(try ids(["type=dataset"]).isEmpty)
        #expect(try ids(sort: "size") == ["acme/moved", "acme/other", "acme/orphan"])
        #expect(try ids(sort: "size:asc", limit: 2) == ["acme/orphan", "acme/other"])
        #expect(try ids(sort: "accessed") == ["acme/other", "acme/orphan", "acme/moved"])
        #expect(try ids(sort: "name:desc", limit: 1) == ["acme/other"])
        // Revisions: one row each; the detached ones have no refs.
        let rows = scanned.list(revisions: true, filters: [try CacheFilter(parsing: "moved")], sort: CacheSort(.size))
        #expect(rows.count == 3 && rows.allSatisfy { $0.commit != nil })
        #expect(rows.map(\.sizeOnDisk) == [70_000, 60_000, 50_000])
        #expect(rows.map(\.refs) == [[], ["v1"], ["main"]])
        for bad in ["colour=red", "size>lots", "accessed>soon", "refs>main", "size=>1"] {
            #expect(throws: InventoryError.self, "\(bad)") { try CacheFilter(parsing: bad) }
        }
        #expect(CacheSort(parsing: "modified:sideways") == nil)
        #expect(CacheSort(parsing: "Size:ASC") == CacheSort(.size, descending: false))
    }

    @Test("durations parse as people type them")
    func durations() throws {
        #expect(try DurationText.parse("30d") == 30 * 86_400)
        #expect(try DurationText.parse("1d12h") == 36 * 3600)
        #expect(try DurationText.parse("2w") == 14 * 86_400)
        #expect(try DurationText.parse("7") == 7 * 86_400)
        #expect(throws: InventoryError.self) { try DurationText.parse("soon") }
        #expect(throws: InventoryError.self) { try DurationText.parse("3x") }
        #expect(DurationText.format(90_061) == "1d 1h")
    }
}
