import Crypto
import Foundation
import HubScoutBundle
import HubScoutCache
import HubScoutCore
import HubScoutTestSupport
import Testing

/// Fixture caches, hand-made bundles and child processes for the bundle tests.
enum BundleTestHelpers {
    /// A source cache: `acme/tiny` (one commit), `acme/multi` (two commits, `main` and tag `v1`, sharing
    /// files), `acme/plain` (plain files in the snapshot, no blobs), `acme/gguf` (three quants).
    struct Source: Sendable {
        var fixture: FixtureCache
        var tiny: FixtureRepo
        var multi: FixtureRepo
        var plain: FixtureRepo
        var gguf: FixtureRepo
        var cache: HubCache { HubCache(root: fixture.root.path) }
    }

    static func source() async throws -> Source {
        try await OffPool.run {
            let fixture = try FixtureCache()
            let tiny = try fixture.addRepo("acme/tiny", commits: [[
                .readme(frontMatter: "license: mit"),
                FixtureFile("config.json", text: #"{"model_type":"llama","hidden_size":64,"num_hidden_layers":2}"#),
                FixtureFile("model.safetensors", generatedSize: 3 << 20 | 123, seed: 7),
                FixtureFile("tokenizer/vocab.txt", text: "a\nb\nc\n"),
                FixtureFile("empty.txt", text: ""),
            ]])
            let multi = try fixture.addRepo("acme/multi", commits: [
                [FixtureFile("config.json", text: #"{"v":1}"#), FixtureFile("weights.bin", generatedSize: 200_000, seed: 3)],
                [FixtureFile("config.json", text: #"{"v":2}"#), FixtureFile("weights.bin", generatedSize: 200_000, seed: 3),
                 FixtureFile("deep/er/still/notes.md", text: "hello")],
            ], refs: ["main": 1, "v1": 0])
            let plain = try fixture.addRepo("acme/plain", commits: [[
                FixtureFile("config.json", text: "{}"), FixtureFile("model.gguf", generatedSize: 70_000, seed: 9),
            ]], layout: .plainFiles)
            let gguf = try fixture.addRepo("acme/gguf", commits: [[
                FixtureFile("README.md", text: "# quants\n"),
                FixtureFile("m-Q4_K_M.gguf", generatedSize: 10_000, seed: 4),
                FixtureFile("m-Q8_0.gguf", generatedSize: 20_000, seed: 8),
                FixtureFile("sub/m-q4_k_m-00002.gguf", generatedSize: 5_000, seed: 5),
            ]])
            return Source(fixture: fixture, tiny: tiny, multi: multi, plain: plain, gguf: gguf)
        }
    }

    /// A new empty folder.
    static func temporaryFolder(_ name: String = "bundle") -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-\(name)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// sha256 as hex.
    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    /// git's blob id as hex.
    static func gitID(_ data: Data) -> String {
        var sha1 = Insecure.SHA1()
        sha1.update(data: Data("blob \(data.count)\u{0}".utf8))
        sha1.update(data: data)
        return sha1.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// A manifest for `repo` at `commit` listing `files` (LFS ones by sha256).
    static func manifest(repo: String = "acme/evil", commit: String = String(repeating: "c", count: 40), refs: [String] = ["main"],
                         files: [(String, Data, Bool)], formatVersion: Int? = nil) -> BundleManifest {
        var manifest = BundleManifest(createdAt: Date(timeIntervalSince1970: 1_700_000_000), hubscoutVersion: "test", repos: [
            BundleManifest.Repo(id: repo, commit: commit, revision: "main", refs: refs, files: files.map { path, data, lfs in
                BundleManifest.File(path: path, size: Int64(data.count), blob: BlobID(lfs ? sha256(data) : gitID(data))!)
            }),
        ])
        if let formatVersion { manifest.formatVersion = formatVersion }
        return manifest
    }

    /// The member name of a file of `manifest`'s first repository.
    static func member(_ path: String, repo: String = "acme/evil", commit: String = String(repeating: "c", count: 40)) -> String {
        BundleManifest.memberName(repo: try! RepoID(repo), commit: commit, path: path)
    }

    /// A tar builder with `manifest` as its first member.
    static func builder(_ manifest: BundleManifest) throws -> BundleTarBuilder {
        var builder = BundleTarBuilder()
        builder.file(BundleManifest.memberName, try manifest.encoded())
        return builder
    }

    /// Writes `data` to a new file in a new folder; returns its path.
    static func write(_ data: Data, name: String = "bundle.tar") throws -> String {
        let path = temporaryFolder() + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Every file under `root` (relative paths, links not followed), sorted.
    static func tree(_ root: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var paths: [String] = []
        while let next = walker.nextObject() as? String { paths.append(next) }
        return paths.sorted()
    }

    /// Leftovers of a write that did not finish: temporary and partial files.
    static func leftovers(_ root: String) -> [String] {
        tree(root).filter { $0.hasSuffix(".incomplete") || $0.hasSuffix(".tmp") || $0.hasSuffix(".partial") }
    }

    /// Files in `blobs/` of every repository under `root`.
    static func blobs(_ root: String) -> [String] {
        tree(root).filter { $0.contains("/blobs/") }
    }

    /// Runs a program off the cooperative pool; returns its status and output (stdout and stderr together).
    static func run(_ executable: String, _ arguments: [String], directory: String? = nil) async throws -> (status: Int32, output: String) {
        try await OffPool.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-run-\(UUID().uuidString)")
            FileManager.default.createFile(atPath: output.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: output) }
            let handle = try FileHandle(forWritingTo: output)
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            try handle.close()
            return (process.terminationStatus, try String(contentsOf: output, encoding: .utf8))
        }
    }

    /// The bytes of the file at `path` (following links), off the pool.
    static func contents(_ path: String) async throws -> Data {
        try await OffPool.run { try Data(contentsOf: URL(fileURLWithPath: path)) }
    }
}
