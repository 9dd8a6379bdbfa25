import Foundation
import HubScoutCore

/// A `HubStorage` over a directory in the standard Hugging Face cache layout
/// (`models--org--name/{blobs,refs,snapshots}`), plus an optional `hubscout-server.json` sidecar.
///
/// - Repositories come from the folder names, commits from `snapshots/`, branches and tags from `refs/`.
/// - A snapshot file that links to `blobs/<40|64 hex>` takes its etag from the blob name; a plain file
///   (or a link to anything else) is hashed once (git sha1, or sha256 when `lfsRule` says LFS) and remembered.
/// - The directory is re-read at most every `refreshInterval` seconds, so a cache built or changed after
///   the server started is picked up. Nothing outside the root is ever served: links that resolve outside it are skipped.
public actor CacheDirectoryStorage: HubStorage {
    /// The canonical (symlink-free) storage root.
    public nonisolated let root: String
    /// Decides which plain files are LFS files.
    public nonisolated let lfsRule: LFSRule
    /// Seconds a directory scan stays valid; 0 re-reads on every request.
    public nonisolated let refreshInterval: TimeInterval

    /// Hard caps against hostile or broken caches.
    static let maxFilesPerSnapshot = 200_000
    static let maxDepth = 32
    static let maxRepositories = 100_000

    private struct Stamp: Equatable { var size: Int64; var modified: Date; var inode: UInt64 }

    private var scanned: [StoredRepository] = []
    private var scannedAt: Date?
    private var generation = 0
    private var sidecar = ServerSidecar()
    private var sidecarStamp: Stamp?
    private var hashes: [String: (stamp: Stamp, etag: String)] = [:]
    private var parsed: [String: (stamps: [Stamp], value: JSONValue?)] = [:]
    private var snapshots: [String: (generation: Int, snapshot: RepoSnapshot)] = [:]

    /// Opens `root`; throws when it is not a readable directory.
    public init(root: String, lfsRule: LFSRule = .standard, refreshInterval: TimeInterval = 2) throws(StorageError) {
        let expanded = (root as NSString).expandingTildeInPath
        guard let canonical = FileProbe.realPath(expanded), FileProbe.info(canonical, follow: true).kind == .directory else {
            throw .rootUnreadable(root)
        }
        self.root = canonical
        self.lfsRule = lfsRule
        self.refreshInterval = max(0, refreshInterval)
    }

    /// The repository folders, re-read when the last scan is older than `refreshInterval`.
    public func repositories() async throws(StorageError) -> [StoredRepository] {
        try reloadSidecarIfChanged()
        if let scannedAt, Date().timeIntervalSince(scannedAt) < refreshInterval, refreshInterval > 0 { return scanned }
        scanned = scanRepositories()
        scannedAt = Date()
        generation += 1
        return scanned
    }

    /// Aliases and tokens from the sidecar.
    public func policy() async throws(StorageError) -> ServerPolicy {
        try reloadSidecarIfChanged()
        return ServerPolicy(aliases: sidecar.aliases, tokens: sidecar.tokens)
    }

    /// The files of `commit`, with etags, sizes, card data and config summary.
    public func snapshot(of repository: StoredRepository, commit: String) async throws(StorageError) -> RepoSnapshot {
        let key = repository.id.cacheFolderName + "/" + commit
        if let cached = snapshots[key], cached.generation == generation { return cached.snapshot }
        let repoDir = root + "/" + repository.id.cacheFolderName
        let base = repoDir + "/snapshots/" + commit
        guard GitHash.isEtag(commit), commit.count == 40, let baseReal = FileProbe.realPath(base),
              FileProbe.isInside(baseReal, root: root), FileProbe.info(baseReal, follow: true).kind == .directory else {
            throw .missingSnapshot(repo: repository.id.description, commit: commit)
        }
        let blobsDir = FileProbe.realPath(repoDir + "/blobs")
        var files: [StoredFile] = []
        try walk(directory: baseReal, prefix: "", depth: 0, blobsDir: blobsDir, into: &files)
        let readme = files.first { $0.path == "README.md" }
        let config = files.first { $0.path == "config.json" }
        let tokenizer = files.first { $0.path == "tokenizer_config.json" }
        let snapshot = RepoSnapshot(
            commit: commit, files: files,
            cardData: readme.flatMap { cardData(readme: $0) },
            configSummary: config.flatMap { configSummary(config: $0, tokenizer: tokenizer) })
        snapshots[key] = (generation, snapshot)
        return snapshot
    }

    // MARK: - Scanning

    private func scanRepositories() -> [StoredRepository] {
        var result: [StoredRepository] = []
        for name in FileProbe.list(root, limit: Self.maxRepositories) where name.hasPrefix("models--") {
            guard let parsedID = RepoID(cacheFolderName: name), let id = try? RepoID(parsedID.description) else { continue }
            let dir = root + "/" + name
            guard FileProbe.info(dir, follow: false).kind == .directory else { continue }
            var commits: [(String, Date)] = []
            for entry in FileProbe.list(dir + "/snapshots") where entry.count == 40 && GitHash.isEtag(entry) {
                let info = FileProbe.info(dir + "/snapshots/" + entry, follow: true)
                if info.kind == .directory { commits.append((entry, info.modified)) }
            }
            guard !commits.isEmpty else { continue }
            var refs: [String: String] = [:]
            var newest = commits.map(\.1).max() ?? .distantPast
            collectRefs(directory: dir + "/refs", prefix: "", depth: 0, into: &refs, newest: &newest)
            let facts = sidecar.facts(for: id.description) ?? RepoFacts()
            commits.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            result.append(StoredRepository(
                id: id, refs: refs, tagNames: Set(facts.gitTags ?? []), commits: commits.map(\.0), facts: facts,
                storedCreatedAt: commits.map(\.1).min() ?? .distantPast, storedLastModified: newest))
        }
        return result
    }

    private func collectRefs(directory: String, prefix: String, depth: Int, into refs: inout [String: String], newest: inout Date) {
        guard depth < 4 else { return }
        for name in FileProbe.list(directory, limit: 10_000) {
            let path = directory + "/" + name
            let info = FileProbe.info(path, follow: false)
            switch info.kind {
            case .directory:
                collectRefs(directory: path, prefix: prefix + name + "/", depth: depth + 1, into: &refs, newest: &newest)
            case .file where info.size <= 128:
                guard let data = FileManager.default.contents(atPath: path),
                      let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
                      text.count == 40, GitHash.isEtag(text) else { continue }
                refs[prefix + name] = text
                newest = max(newest, info.modified)
            default:
                continue
            }
        }
    }

    private func walk(directory: String, prefix: String, depth: Int, blobsDir: String?, into files: inout [StoredFile]) throws(StorageError) {
        guard depth < Self.maxDepth else { return }
        for name in FileProbe.list(directory) {
            guard files.count < Self.maxFilesPerSnapshot else { return }
            let path = directory + "/" + name
            let relative = prefix + name
            let info = FileProbe.info(path, follow: false)
            switch info.kind {
            case .directory:
                try walk(directory: path, prefix: relative + "/", depth: depth + 1, blobsDir: blobsDir, into: &files)
            case .file:
                files.append(try storedFile(relative: relative, real: path, info: info, blobsDir: nil))
            case .symlink:
                // Links must land inside the storage root; anything else is skipped, never served.
                guard let real = FileProbe.realPath(path), FileProbe.isInside(real, root: root) else { continue }
                let target = FileProbe.info(real, follow: false)
                if target.kind == .directory {
                    try walk(directory: real, prefix: relative + "/", depth: depth + 1, blobsDir: blobsDir, into: &files)
                } else if target.kind == .file {
                    files.append(try storedFile(relative: relative, real: real, info: target, blobsDir: blobsDir))
                }
            case .other, .missing:
                continue
            }
        }
    }

    private func storedFile(relative: String, real: String, info: FileProbe.Info, blobsDir: String?) throws(StorageError) -> StoredFile {
        let name = (real as NSString).lastPathComponent
        let parent = (real as NSString).deletingLastPathComponent
        if let blobsDir, parent == blobsDir, GitHash.isEtag(name) {
            return StoredFile(path: relative, size: info.size, etag: name, diskPath: real)
        }
        let stamp = Stamp(size: info.size, modified: info.modified, inode: info.inode)
        if let cached = hashes[real], cached.stamp == stamp {
            return StoredFile(path: relative, size: info.size, etag: cached.etag, diskPath: real)
        }
        let hashed = try GitHash.hashFile(atPath: real, lfs: lfsRule.isLFS(path: relative, size: info.size))
        hashes[real] = (stamp, hashed.etag)
        return StoredFile(path: relative, size: hashed.size, etag: hashed.etag, diskPath: real)
    }

    // MARK: - Derived data

    private func stamp(of file: StoredFile) -> Stamp {
        let info = FileProbe.info(file.diskPath, follow: true)
        return Stamp(size: info.size, modified: info.modified, inode: info.inode)
    }

    private func cardData(readme: StoredFile) -> JSONValue? {
        let stamps = [stamp(of: readme)]
        let key = "card:" + readme.diskPath
        if let cached = parsed[key], cached.stamps == stamps { return cached.value }
        let text = readPrefix(readme.diskPath, limit: CardFrontMatter.maxBytes).flatMap { String(data: $0, encoding: .utf8) }
        let value = text.flatMap(CardFrontMatter.cardData(fromReadme:))
        parsed[key] = (stamps, value)
        return value
    }

    private func configSummary(config: StoredFile, tokenizer: StoredFile?) -> JSONValue? {
        let stamps = [stamp(of: config)] + (tokenizer.map { [stamp(of: $0)] } ?? [])
        let key = "config:" + config.diskPath + "|" + (tokenizer?.diskPath ?? "")
        if let cached = parsed[key], cached.stamps == stamps { return cached.value }
        let value = readPrefix(config.diskPath, limit: ConfigSummary.maxBytes + 1).flatMap {
            ConfigSummary.summary(configJSON: $0, tokenizerConfigJSON: tokenizer.flatMap { readPrefix($0.diskPath, limit: ConfigSummary.maxBytes + 1) })
        }
        parsed[key] = (stamps, value)
        return value
    }

    private func readPrefix(_ path: String, limit: Int) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return try? handle.read(upToCount: limit)
    }

    private func reloadSidecarIfChanged() throws(StorageError) {
        let path = root + "/" + ServerSidecar.fileName
        let info = FileProbe.info(path, follow: true)
        guard info.kind == .file else {
            if sidecarStamp != nil { sidecar = ServerSidecar(); sidecarStamp = nil; scannedAt = nil }
            return
        }
        let stamp = Stamp(size: info.size, modified: info.modified, inode: info.inode)
        guard stamp != sidecarStamp else { return }
        guard info.size <= 64 << 20, let data = FileManager.default.contents(atPath: path) else {
            throw .invalidSidecar(path: path, reason: "unreadable or larger than 64 MiB")
        }
        do { sidecar = try JSONDecoder().decode(ServerSidecar.self, from: data) } catch {
            throw .invalidSidecar(path: path, reason: "\(error)")
        }
        sidecarStamp = stamp
        scannedAt = nil   // facts changed: rescan so repositories carry them
    }
}
