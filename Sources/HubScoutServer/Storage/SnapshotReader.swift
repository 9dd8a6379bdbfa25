import Foundation
import HubScoutCore

/// Reads one commit's folder: walks it, hashes plain files, parses the card and the config. Blocking work, run off
/// the storage actor (see `BlockingIO`); remembered hashes and parses come in, the ones this snapshot uses go out.
///
/// Containment: an entry counts only when it resolves inside the repository's own `models--ORG--NAME/` folder.
/// Links to directories are never followed (`a -> .` would make the walk exponential), and links that leave the
/// folder (another repository's blobs, the sidecar, anything outside) are neither listed nor served, so a public
/// repository cannot expose a gated one's bytes.
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
    static let maxFilesPerSnapshot = 200_000
    static let maxEntriesPerSnapshot = 1_000_000
    static let maxDepth = 32

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

    /// A file the walk found, before hashing.
    private struct Found {
        var path: String
        var real: String
        var info: FileProbe.Info
        /// The blob name when the entry links to `blobs/<40|64 hex>` of its own repository.
        var blobEtag: String?
    }

    /// Reads the snapshot; throws when the commit has no snapshot folder inside the repository, or a plain file cannot be read.
    func read() throws(StorageError) -> Output {
        let repoDir = root + "/" + folder
        let snapshotsDir = repoDir + "/snapshots"
        guard GitHash.isEtag(commit), commit.count == 40,
              FileProbe.realPath(repoDir) == repoDir,
              let base = FileProbe.realPath(snapshotsDir + "/" + commit),
              FileProbe.isInside(base, root: snapshotsDir), base != snapshotsDir,
              FileProbe.info(base, follow: false).kind == .directory else {
            throw .missingSnapshot(repo: repo, commit: commit)
        }
        let blobsDir = FileProbe.realPath(repoDir + "/blobs").flatMap { FileProbe.isInside($0, root: repoDir) ? $0 : nil }
        var found: [Found] = []
        var visited = 0
        walk(base, prefix: "", depth: 0, repoDir: repoDir, blobsDir: blobsDir, found: &found, visited: &visited)

        var hashes: [String: HashRecord] = [:]
        var files: [StoredFile] = []
        files.reserveCapacity(found.count)
        for entry in found {
            if let etag = entry.blobEtag {
                files.append(StoredFile(path: entry.path, size: entry.info.size, etag: etag, diskPath: entry.real))
                continue
            }
            let stamp = FileStamp(entry.info)
            if let known = knownHashes[entry.real], known.stamp == stamp {
                hashes[entry.real] = known
                files.append(StoredFile(path: entry.path, size: entry.info.size, etag: known.etag, diskPath: entry.real))
                continue
            }
            let hashed = try GitHash.hashFile(atPath: entry.real, lfs: lfsRule.isLFS(path: entry.path, size: entry.info.size))
            hashes[entry.real] = HashRecord(stamp: stamp, etag: hashed.etag)
            files.append(StoredFile(path: entry.path, size: hashed.size, etag: hashed.etag, diskPath: entry.real))
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

    private func walk(_ directory: String, prefix: String, depth: Int, repoDir: String, blobsDir: String?,
                      found: inout [Found], visited: inout Int) {
        guard depth < Self.maxDepth else { return }
        for name in FileProbe.list(directory) {
            guard found.count < Self.maxFilesPerSnapshot, visited < Self.maxEntriesPerSnapshot else { return }
            visited += 1
            let path = directory + "/" + name
            let relative = prefix + name
            let info = FileProbe.info(path, follow: false)
            switch info.kind {
            case .directory:
                // A real directory (lstat): since no link is ever followed, the walk cannot loop.
                walk(path, prefix: relative + "/", depth: depth + 1, repoDir: repoDir, blobsDir: blobsDir, found: &found, visited: &visited)
            case .file:
                found.append(Found(path: relative, real: path, info: info, blobEtag: nil))
            case .symlink:
                // Only a link to a regular file inside this repository's folder (normally its blob) is an entry.
                guard let real = FileProbe.realPath(path), FileProbe.isInside(real, root: repoDir) else { continue }
                let target = FileProbe.info(real, follow: false)
                guard target.kind == .file else { continue }
                let blobName = (real as NSString).lastPathComponent
                let isBlob = blobsDir != nil && (real as NSString).deletingLastPathComponent == blobsDir && GitHash.isEtag(blobName)
                found.append(Found(path: relative, real: real, info: target, blobEtag: isBlob ? blobName : nil))
            case .other, .missing:
                continue
            }
        }
    }

    // MARK: - Derived data

    private func cardData(readme: StoredFile, into parses: inout [String: ParseRecord]) -> JSONValue? {
        let key = "card:" + readme.diskPath
        return remembered(key, stamps: [FileStamp.of(readme.diskPath)], into: &parses) {
            Self.readPrefix(readme.diskPath, limit: CardFrontMatter.maxBytes)
                .flatMap { String(data: $0, encoding: .utf8) }
                .flatMap(CardFrontMatter.cardData(fromReadme:))
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
