import Foundation
import HubScoutCore

/// Reads a Hugging Face cache (`models--org--name/{blobs,refs,snapshots}`) without changing it, whoever
/// wrote it: huggingface_hub, llama.cpp's `-hf` downloads or hubscout. Snapshot entries may be relative
/// links into `blobs/` (the usual layout) or plain files (caches made without symlinks); sizes count every
/// file once, by device and inode, so hard links and shared blobs are never counted twice.
public struct CacheScanner: Sendable {
    /// The cache root.
    public let root: String
    /// Most entries read in one snapshot or blob folder (a hostile or runaway tree stops there, with a warning).
    public var maxEntries: Int
    /// Deepest folder nesting followed inside a snapshot.
    public var maxDepth: Int

    /// A scanner of the cache at `root`.
    public init(root: String, maxEntries: Int = 1_000_000, maxDepth: Int = 64) {
        self.root = HubCache(root: root).root
        self.maxEntries = maxEntries
        self.maxDepth = maxDepth
    }


    /// What the scanner reads with: `HubCache`'s read primitives under these limits.
    var limits: CacheReadLimits {
        CacheReadLimits(maxFolderEntries: maxEntries, maxSnapshotFiles: maxEntries, maxSnapshotEntries: Int.max, maxDepth: maxDepth)
    }

    /// Scans every model repository (a missing root is an empty cache).
    public func scan() -> CacheInventory {
        let listing = HubCache(root: root).repositoryFolders(limits: limits)
        var warnings = listing.rejected.map { "\(root)/\($0) is not a valid repository folder name; skipped" }
        var repos: [CachedRepo] = []
        for folder in listing.folders {
            if let repo = scanRepo(folder: folder.name, warnings: &warnings) { repos.append(repo) }
        }
        return CacheInventory(root: root, repos: repos, warnings: warnings, store: storeInventory(repos: repos))
    }

    /// The shared store's blobs with who links to them, from the repositories just scanned (links are the truth).
    func storeInventory(repos: [CachedRepo]) -> SharedStoreInventory? {
        guard let store = FileFacts.realPath(root).flatMap(SharedBlobStore.init(realRoot:)) else { return nil }
        var linkers: [String: [String]] = [:]
        for repo in repos {
            for blob in repo.blobs {
                if let storePath = blob.storePath {
                    linkers[storePath, default: []].append(SharedBlobStore.entryName(repoFolder: repo.folder, blob: blob.name))
                }
            }
        }
        let blobs = store.blobs(limit: maxEntries).map { blob in
            SharedStoreBlob(hash: blob.hash, path: blob.path, size: blob.facts.size, modified: blob.facts.modified,
                            linkedBy: (linkers[blob.path] ?? []).sorted(), manifest: blob.manifest,
                            manifestModified: FileFacts.lstat(store.manifestPath(blob.hash))?.modified)
        }
        return SharedStoreInventory(path: store.path, blobs: blobs)
    }

    /// Scans one repository folder (e.g. `models--org--name`); nil when it is not a folder or names no valid id.
    public func scanRepo(folder: String, warnings: inout [String]) -> CachedRepo? {
        let cache = HubCache(root: root)
        guard let id = HubCache.repoID(folderName: folder) else { return nil }
        let repoPath = root + "/" + folder
        guard FileFacts.stat(repoPath)?.isDirectory == true else { return nil }
        let refListing = cache.refs(repoFolder: folder, limits: limits)
        warnings += refListing.warnings
        let refs = refListing.commits.mapValues(\.value)
        var counted = Set<FileIdentity>()
        var total: Int64 = 0

        // Blobs and partial downloads.
        var blobs: [String: CachedBlob] = [:]
        var incomplete: [IncompleteFile] = []
        for entry in cache.blobEntries(repoFolder: folder, limits: limits) {
            let info = entry.content
            switch entry.kind {
            case .partial:
                incomplete.append(IncompleteFile(path: entry.path, size: info.size, modified: info.modified))
            case .blob:
                blobs[entry.name] = CachedBlob(name: entry.name, path: entry.path, size: info.size, accessed: info.accessed,
                                               modified: info.modified, referencedBy: [], storePath: entry.storePath)
            }
            if counted.insert(info.identity).inserted { total = ByteTotal.adding(total, info.size) }
        }

        // Snapshots.
        var revisions: [CachedRevision] = []
        for snapshot in cache.snapshotFolders(repoFolder: folder, limits: limits) {
            // A real folder only: a link (to `/`, `~`…) would make the scan walk and count whatever it points at.
            if snapshot.facts.isSymlink { warnings.append("\(snapshot.path) is a link, not a snapshot folder; not followed") }
            guard snapshot.isWalkable, let listing = cache.snapshotEntries(repoFolder: folder, snapshot: snapshot.name, limits: limits) else { continue }
            warnings += listing.warnings
            let commit = snapshot.name
            var files: [CachedFile] = []
            var seen = Set<FileIdentity>()
            var size: Int64 = 0
            var accessed: Date?
            var modified: Date?
            for entry in listing.entries {
                // Every resolved regular file counts, wherever it lies: the inventory measures what the snapshot holds.
                guard let info = entry.content else {
                    files.append(CachedFile(path: entry.path, blob: entry.linkedBlob, size: 0, missing: true))
                    continue
                }
                files.append(CachedFile(path: entry.path, blob: entry.linkedBlob, size: info.size, missing: false))
                if seen.insert(info.identity).inserted { size = ByteTotal.adding(size, info.size) }
                if counted.insert(info.identity).inserted { total = ByteTotal.adding(total, info.size) }
                let used = max(info.accessed, info.modified)
                accessed = max(accessed ?? used, used)
                modified = max(modified ?? info.modified, info.modified)
                if let name = entry.linkedBlob, blobs[name] != nil, blobs[name]?.referencedBy.last != commit {
                    blobs[name]?.referencedBy.append(commit)
                }
            }
            let names = refs.filter { $0.value == commit }.map(\.key).sorted { Self.refOrder($0, $1) }
            revisions.append(CachedRevision(commit: commit, refs: names, path: snapshot.path, files: files.sorted { $0.path < $1.path },
                                            sizeOnDisk: size, lastAccessed: accessed, lastModified: modified))
        }
        for (name, commit) in refs.sorted(by: { $0.key < $1.key }) where !revisions.contains(where: { $0.commit == commit }) {
            warnings.append("\(id): ref '\(name)' points to \(commit), which has no snapshot folder")
        }
        revisions.sort { ($0.lastAccessed ?? .distantPast) > ($1.lastAccessed ?? .distantPast) }
        return CachedRepo(id: id.description, folder: folder, path: repoPath, revisions: revisions, refs: refs,
                          blobs: blobs.values.sorted { $0.name < $1.name }, incomplete: incomplete, sizeOnDisk: total,
                          lastAccessed: revisions.compactMap(\.lastAccessed).max())
    }

    /// `main` first, then other branches and tags, then `refs/pr/*`.
    static func refOrder(_ a: String, _ b: String) -> Bool {
        func rank(_ s: String) -> Int { s == "main" ? 0 : (s.hasPrefix("refs/") ? 2 : 1) }
        return rank(a) == rank(b) ? a < b : rank(a) < rank(b)
    }
}
