import Crypto
import Foundation
import HubScoutCore
import HubScoutServer

/// Builds a small Hugging Face cache (`models--org--name/{blobs,refs,snapshots}`) plus its
/// `hubscout-server.json` sidecar in a fresh temporary directory, for the test server to serve.
///
/// ```swift
/// let cache = try FixtureCache()
/// let repo = try cache.addRepo("acme/tiny", commits: [[.readme(frontMatter: "license: mit"),
///                                                     FixtureFile("model.safetensors", generatedSize: 4096)]])
/// ```
public final class FixtureCache: @unchecked Sendable {
    /// How snapshot files are laid out.
    public enum Layout: Sendable {
        /// Relative symlinks into `blobs/<etag>`, as huggingface_hub writes them.
        case symlinkedBlobs
        /// Plain files in the snapshot and no blobs (Windows without symlinks); the server hashes them.
        case plainFiles
    }

    /// The cache root (pass it to `CacheDirectoryStorage` or `TestHubServer`).
    public let root: URL
    /// Decides which files become LFS files when a `FixtureFile` does not say.
    public let lfsRule: LFSRule
    /// The sidecar written to `hubscout-server.json` after every change.
    public private(set) var sidecar = ServerSidecar()

    /// Creates an empty cache in a new temporary directory.
    public convenience init(lfsRule: LFSRule = .standard) throws {
        try self.init(root: FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-fixture-\(UUID().uuidString)"), lfsRule: lfsRule)
    }

    /// Creates (or adds to) a cache at `root`: e.g. a download cache a test pre-fills.
    public init(root: URL, lfsRule: LFSRule = .standard) throws {
        self.root = root
        self.lfsRule = lfsRule
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try writeSidecar()
    }

    /// Writes a repository with `commits` (oldest first). `refs` maps ref names to commit indexes (default: `main` → last);
    /// `gitTags` are ref names to report as tags. `facts` goes into the sidecar.
    @discardableResult
    public func addRepo(_ id: String, commits: [[FixtureFile]], refs: [String: Int]? = nil, gitTags: [String] = [],
                        facts: RepoFacts = RepoFacts(), layout: Layout = .symlinkedBlobs) throws -> FixtureRepo {
        let repoID = try RepoID(id)
        let repoDir = root.appendingPathComponent(repoID.cacheFolderName)
        let blobs = repoDir.appendingPathComponent("blobs")
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        var commitIDs: [String] = []
        var records: [[FixtureFileRecord]] = []
        for (index, files) in commits.enumerated() {
            var written: [FixtureFileRecord] = []
            var staged: [(FixtureFile, URL, String)] = []
            for file in files {
                let lfs = file.lfs ?? lfsRule.isLFS(path: file.path, size: file.size)
                let (temp, etag) = try writeTemporary(file, lfs: lfs, in: blobs)
                staged.append((file, temp, etag))
                written.append(FixtureFileRecord(path: file.path, size: file.size, etag: etag, file: file))
            }
            let listing = written.sorted { $0.path < $1.path }.map { "\($0.path) \($0.etag)" }.joined(separator: "\n")
            let commit = GitHash.blobID(of: Array("commit \(id.lowercased()) \(index) \(commitIDs.last ?? "")\n\(listing)".utf8))
            let snapshot = repoDir.appendingPathComponent("snapshots").appendingPathComponent(commit)
            try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
            for (file, temp, etag) in staged {
                let target = snapshot.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? FileManager.default.removeItem(at: target)
                switch layout {
                case .plainFiles:
                    try FileManager.default.copyItem(at: temp, to: target)
                case .symlinkedBlobs:
                    let blob = blobs.appendingPathComponent(etag)
                    if !FileManager.default.fileExists(atPath: blob.path) { try FileManager.default.copyItem(at: temp, to: blob) }
                    let depth = file.path.split(separator: "/").count - 1
                    let relative = String(repeating: "../", count: depth + 2) + "blobs/" + etag
                    try FileManager.default.createSymbolicLink(atPath: target.path, withDestinationPath: relative)
                }
                try? FileManager.default.removeItem(at: temp)
            }
            commitIDs.append(commit)
            records.append(written)
        }
        var refMap: [String: String] = [:]
        for (name, index) in refs ?? (commitIDs.isEmpty ? [:] : ["main": commitIDs.count - 1]) where commitIDs.indices.contains(index) {
            refMap[name] = commitIDs[index]
            let refFile = repoDir.appendingPathComponent("refs").appendingPathComponent(name)
            try FileManager.default.createDirectory(at: refFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(commitIDs[index].utf8).write(to: refFile)   // no trailing newline, as huggingface_hub writes it
        }
        var facts = facts
        if !gitTags.isEmpty { facts.gitTags = gitTags }
        if facts != RepoFacts() { sidecar.repos[id] = facts }
        try writeSidecar()
        return FixtureRepo(id: id, commits: commitIDs, files: records, refs: refMap)
    }

    /// Makes `old` answer with a 307 to `canonical`.
    public func addAlias(_ old: String, to canonical: String) throws {
        sidecar.aliases[old] = canonical
        try writeSidecar()
    }

    /// Registers a token and what it may do.
    public func addToken(_ token: String, _ grant: TokenGrant) throws {
        sidecar.tokens[token] = grant
        try writeSidecar()
    }

    /// Replaces the sidecar facts of `id`.
    public func setFacts(_ facts: RepoFacts, for id: String) throws {
        sidecar.repos[id] = facts
        try writeSidecar()
    }

    /// Serves a recorded model-info body (e.g. a file from `shared/hub-samples/raw`, copied into the test bundle)
    /// for `id`: every key of the body overrides the computed field.
    public func useRecordedInfo(_ body: Data, for id: String) throws {
        guard case let .object(fields) = try JSONDecoder().decode(JSONValue.self, from: body) else {
            throw FixtureError.notAnObject
        }
        var facts = sidecar.facts(for: id) ?? RepoFacts()
        facts.overrides = fields
        try setFacts(facts, for: id)
    }

    /// Deletes the whole cache directory.
    public func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    private func writeSidecar() throws {
        try sidecar.encoded().write(to: root.appendingPathComponent(ServerSidecar.fileName), options: .atomic)
    }

    /// Streams `file` to a temporary file beside the blobs while hashing it; returns the file and its etag.
    private func writeTemporary(_ file: FixtureFile, lfs: Bool, in directory: URL) throws -> (URL, String) {
        let temp = directory.appendingPathComponent(".tmp-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil), let handle = FileHandle(forWritingAtPath: temp.path) else {
            throw FixtureError.cannotWrite(temp.path)
        }
        defer { try? handle.close() }
        var sha1 = Insecure.SHA1()
        var sha256 = SHA256()
        sha1.update(data: Array("blob \(file.size)\u{0}".utf8))
        let chunk: Int64 = 1 << 20
        var offset: Int64 = 0
        while offset < file.size {
            let end = min(file.size, offset + chunk)
            let data = file.bytes(offset..<end)
            if lfs { sha256.update(data: data) } else { sha1.update(data: data) }
            try handle.write(contentsOf: data)
            offset = end
        }
        let digest: [UInt8] = lfs ? Array(sha256.finalize()) : Array(sha1.finalize())
        return (temp, digest.map { String(format: "%02x", $0) }.joined())
    }
}

/// Why a fixture could not be built.
public enum FixtureError: Error, Sendable, CustomStringConvertible {
    /// A temporary file could not be created.
    case cannotWrite(String)
    /// A recorded body is not a JSON object.
    case notAnObject

    /// A user-facing sentence.
    public var description: String {
        switch self {
        case let .cannotWrite(path): "Cannot write the fixture file '\(path)'; check that the temporary directory is writable."
        case .notAnObject: "The recorded model-info body is not a JSON object; pass a model_info response body."
        }
    }
}
