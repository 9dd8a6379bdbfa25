import Foundation
import HubScoutCore
import HubScoutKit
import Testing

@Suite("HubCache and LocalDirectory: huggingface_hub-compatible layout")
struct CacheLayoutTests {
    func temporaryRoot() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-cache-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("snapshot links are relative with one ../ per folder and resolve to the blob")
    func relativeLinks() throws {
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cache = HubCache(root: root)
        let commit = try #require(CommitHash(String(repeating: "a", count: 40)))
        let blob = try #require(BlobID(String(repeating: "e", count: 40)))
        try cache.prepareRoot()
        try cache.prepareRepo(repoFolder: "models--o--n", commit: commit)
        try Data("x".utf8).write(to: URL(fileURLWithPath: cache.blobPath(repoFolder: "models--o--n", etag: blob)))
        try cache.linkSnapshot(repoFolder: "models--o--n", commit: commit, path: try SafeRelativePath("a/b/c.txt"), etag: blob)
        let link = root + "/models--o--n/snapshots/\(commit)/a/b/c.txt"
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "../../../../blobs/" + blob.value)
        #expect(FileManager.default.contents(atPath: link) == Data("x".utf8))
        #expect(cache.hasSnapshotFile(repoFolder: "models--o--n", commit: commit, path: try SafeRelativePath("a/b/c.txt")))
        let tag = try String(contentsOfFile: root + "/CACHEDIR.TAG", encoding: .utf8)
        #expect(tag.hasPrefix("Signature: 8a477f597d28d172789f06886806bc55"))
    }

    @Test("refs are written without a newline, only when they change, never for a commit revision")
    func refs() throws {
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cache = HubCache(root: root)
        let commit = try #require(CommitHash(String(repeating: "b", count: 40)))
        try cache.prepareRepo(repoFolder: "models--o--n", commit: commit)
        try cache.writeRef(repoFolder: "models--o--n", revision: "refs/pr/1", commit: commit)
        #expect(try String(contentsOfFile: root + "/models--o--n/refs/refs/pr/1", encoding: .utf8) == commit.value)
        try cache.writeRef(repoFolder: "models--o--n", revision: commit.value, commit: commit)
        #expect(!FileManager.default.fileExists(atPath: root + "/models--o--n/refs/" + commit.value))
        // Unchanged content leaves the file alone (read-only caches keep working).
        let refPath = root + "/models--o--n/refs/refs/pr/1"
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: refPath)
        try cache.writeRef(repoFolder: "models--o--n", revision: "refs/pr/1", commit: commit)
        #expect(cache.commit(repoFolder: "models--o--n", revision: "refs/pr/1") == commit)
        #expect(throws: CacheError.self) { try cache.writeRef(repoFolder: "models--o--n", revision: "../../escape", commit: commit) }
    }

    @Test("an existing case-variant repository folder is reused")
    func caseVariant() throws {
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/models--DeepSeek--OCR", withIntermediateDirectories: true)
        let cache = HubCache(root: root)
        #expect(cache.repoFolderName(for: try RepoID("deepseek/ocr")) == "models--DeepSeek--OCR")
        #expect(cache.repoFolderName(for: try RepoID("Other/Model")) == "models--Other--Model")
    }

    @Test("hostile relative paths are refused with a reason", arguments: [
        "", "/etc/passwd", "../x", "a/../../b", "a/./b", "a//b", "a/", "C:evil", "a\\b", "nul\u{0}x",
    ])
    func unsafePaths(path: String) {
        #expect(throws: CacheError.self) { _ = try SafeRelativePath(path) }
    }

    @Test("ordinary repository paths are accepted", arguments: ["config.json", "onnx/model.onnx", ".gitattributes", "a..b/c", "x y/z"])
    func safePaths(path: String) throws {
        #expect(try SafeRelativePath(path).value == path)
    }

    @Test("local-dir metadata has 3 lines and stops counting once the file is modified later")
    func localMetadata() throws {
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let local = LocalDirectory(root: root)
        try local.prepare()
        let path = try SafeRelativePath("dir/file.bin")
        try FileManager.default.createDirectory(atPath: root + "/dir", withIntermediateDirectories: true)
        try Data("abc".utf8).write(to: URL(fileURLWithPath: root + "/dir/file.bin"))
        let commit = try #require(CommitHash(String(repeating: "c", count: 40)))
        try local.writeMetadata(for: path, commit: commit, etag: try #require(BlobID(String(repeating: "1", count: 40))))
        let text = try String(contentsOfFile: root + "/.cache/huggingface/download/dir/file.bin.metadata", encoding: .utf8)
        #expect(text.split(separator: "\n").count == 3)
        #expect(local.metadata(for: path)?.etag == String(repeating: "1", count: 40))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: root + "/dir/file.bin")
        #expect(local.metadata(for: path) == nil)
        #expect(try String(contentsOfFile: root + "/.cache/huggingface/.gitignore", encoding: .utf8) == "*")
    }

    @Test("the advisory lock makes a second holder wait until the first releases it")
    func lockWaits() async throws {
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/.locks/models--o--n/e.lock"
        let first = try await FileLock.acquire(path)
        let waited = WaitFlag()
        let second = Task { try await FileLock.acquire(path) { waited.set() } }
        try await Task.sleep(nanoseconds: 400_000_000)
        #expect(waited.isSet)
        first.release()
        let lock = try await second.value
        lock.release()
    }

    @Test("temporary files of a writer that died are removed; a live writer's are kept")
    func staleTemporaries() throws {
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let target = root + "/blob.incomplete.json"
        let orphan = "\(target).\(dead.processIdentifier).42.tmp"
        let live = "\(target).\(getpid()).43.tmp"
        let unrelated = root + "/other.json.\(dead.processIdentifier).44.tmp"
        for path in [orphan, live, unrelated] { try Data("{}".utf8).write(to: URL(fileURLWithPath: path)) }
        HubCache.removeStaleTemporaries(of: target)
        #expect(!FileManager.default.fileExists(atPath: orphan))
        #expect(FileManager.default.fileExists(atPath: live))
        #expect(FileManager.default.fileExists(atPath: unrelated))
    }
}

/// A flag set from another task.
final class WaitFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }

}
