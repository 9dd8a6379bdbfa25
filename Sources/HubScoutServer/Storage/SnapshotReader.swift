import Foundation
import HubScoutCache
import HubScoutCore

/// Reads one commit's folder through `HubCache.snapshotEntries`: hashes plain files, parses the card and the config.
/// Blocking work, run off the storage actor (see `BlockingIO`); remembered hashes and parses come in, the ones this
/// snapshot uses go out.
///
/// Containment: an entry counts only when its content stays the repository's own (`CacheSnapshotEntry.isContained`):
/// a plain file of the snapshot, a file inside the repository's own `models--ORG--NAME/` folder, or a blob of the
/// cache's shared store (huggingface_hub 2.x, `<cache>/blobs/`) reached through the repository's own `blobs/<etag>`
/// link and listed for that entry in the store's `.refs` manifest. Links to directories are never followed
/// (`a -> .` would make the walk exponential), and links that go anywhere else (another repository's blobs, the
/// sidecar, a store blob the manifest does not give this repository, anything outside) are neither listed nor
/// served, so a public repository cannot expose a gated one's bytes.
struct SnapshotReader: Sendable {
    /// A remembered content hash of a file that is not a named blob.
    struct HashRecord: Sendable { var stamp: FileStamp; var etag: String }
    /// A remembered card or config parse, valid while its files' stamps hold.
    struct ParseRecord: Sendable { var stamps: [FileStamp]; var value: JSONValue? }

    /// What one read produced.
    struct Output: Sendable {
        var snapshot: RepoSnapshot
        /// Hashes this snapshot used (remembered or new), keyed by real path.
        var hashes: [String: HashRecord]
        /// Parses this snapshot used, keyed like `SnapshotReader.knownParses`.
        var parses: [String: ParseRecord]
    }

    /// Hard caps against hostile or broken caches.
    static let limits = CacheReadLimits(maxSnapshotFiles: 200_000, maxSnapshotEntries: 1_000_000, maxDepth: 32)

    /// The canonical storage root.
    let root: String
    /// The repository's folder name (`models--org--name`).
    let folder: String
    /// The repository id, for errors.
    let repo: String
    /// The 40-hex commit.
    let commit: String
    let lfsRule: LFSRule
    let knownHashes: [String: HashRecord]
    let knownParses: [String: ParseRecord]

    /// Reads the snapshot; throws when the commit has no snapshot folder inside the repository, or a plain file cannot be read.
    func read() throws(StorageError) -> Output {
        guard CommitHash(commit) != nil,
              let listing = HubCache(root: root).snapshotEntries(repoFolder: folder, snapshot: commit, limits: Self.limits),
              listing.realRepoPath == root + "/" + folder else {
            throw .missingSnapshot(repo: repo, commit: commit)
        }
        var hashes: [String: HashRecord] = [:]
        var files: [StoredFile] = []
        files.reserveCapacity(listing.entries.count)
        for entry in listing.entries where entry.isContained {
            guard let content = entry.content, let diskPath = entry.contentPath else { continue }
            if entry.placement == .sharedStore {
                guard let store = listing.store, let hash = entry.storeHash, let blob = entry.linkedBlob,
                      store.manifest(of: hash, lists: folder + "/blobs/" + blob) else { continue }
            }
            if let id = entry.blobID {
                files.append(StoredFile(path: entry.path, size: content.size, etag: id.value, diskPath: diskPath))
                continue
            }
            let stamp = FileStamp(content)
            if let known = knownHashes[diskPath], known.stamp == stamp {
                hashes[diskPath] = known
                files.append(StoredFile(path: entry.path, size: content.size, etag: known.etag, diskPath: diskPath))
                continue
            }
            let hashed = try GitHash.hashFile(atPath: diskPath, lfs: lfsRule.isLFS(path: entry.path, size: content.size))
            hashes[diskPath] = HashRecord(stamp: stamp, etag: hashed.etag)
            files.append(StoredFile(path: entry.path, size: hashed.size, etag: hashed.etag, diskPath: diskPath))
        }

        var parses: [String: ParseRecord] = [:]
        let readme = files.first { $0.path == "README.md" }
        let config = files.first { $0.path == "config.json" }
        let tokenizer = files.first { $0.path == "tokenizer_config.json" }
        let snapshot = RepoSnapshot(
            commit: commit, files: files,
            cardData: readme.flatMap { cardData(readme: $0, into: &parses) },
            configSummary: config.flatMap { configSummary(config: $0, tokenizer: tokenizer, into: &parses) })
        return Output(snapshot: snapshot, hashes: hashes, parses: parses)
    }

    // MARK: - Derived data

    private func cardData(readme: StoredFile, into parses: inout [String: ParseRecord]) -> JSONValue? {
        let key = "card:" + readme.diskPath
        return remembered(key, stamps: [FileStamp.of(readme.diskPath)], into: &parses) {
            // Decoded leniently: a cut through a multi-byte character at the limit must not lose the front matter.
            Self.readPrefix(readme.diskPath, limit: CardFrontMatter.maxBytes)
                .flatMap { CardFrontMatter.cardData(fromReadme: String(decoding: $0, as: UTF8.self)) }
        }
    }

    private func configSummary(config: StoredFile, tokenizer: StoredFile?, into parses: inout [String: ParseRecord]) -> JSONValue? {
        let key = "config:" + config.diskPath + "|" + (tokenizer?.diskPath ?? "")
        let stamps = [FileStamp.of(config.diskPath)] + (tokenizer.map { [FileStamp.of($0.diskPath)] } ?? [])
        return remembered(key, stamps: stamps, into: &parses) {
            Self.readPrefix(config.diskPath, limit: ConfigSummary.maxBytes + 1).flatMap {
                ConfigSummary.summary(configJSON: $0,
                                      tokenizerConfigJSON: tokenizer.flatMap { Self.readPrefix($0.diskPath, limit: ConfigSummary.maxBytes + 1) })
            }
        }
    }

    /// The remembered value for `key` while `stamps` hold, else `compute()`'s; either way recorded in `parses`.
    private func remembered(_ key: String, stamps: [FileStamp], into parses: inout [String: ParseRecord],
                            compute: () -> JSONValue?) -> JSONValue? {
        if let known = knownParses[key], known.stamps == stamps {
            parses[key] = known
            return known.value
        }
        let value = compute()
        parses[key] = ParseRecord(stamps: stamps, value: value)
        return value
    }

    private static func readPrefix(_ path: String, limit: Int) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return try? handle.read(upToCount: limit)
    }
}
