import Foundation
import HubScoutCore

/// Reading the layout: the one walker of repository folders, refs, snapshots and blobs, used by the inventory
/// (`CacheScanner`), the downloader (`commit(repoFolder:revision:)`) and the server. It never changes the cache,
/// never follows a link to a folder, never opens anything but a regular file, and classifies every snapshot entry by
/// where its content resolves (`CacheSnapshotEntry.Placement`), so each caller decides what to count or serve from
/// the same facts. Blocking file-system work: callers run it off their actors.
extension HubCache {
    /// Largest ref file read (a ref holds 40 characters).
    public static let maxRefBytes: Int64 = 4096

    /// The repository id a folder name stands for: `models--org--name` (or `models--name`) with each part a valid id part.
    public static func repoID(folderName: String) -> RepoID? {
        guard let parsed = RepoID(cacheFolderName: folderName) else { return nil }
        return try? RepoID(parsed.description)
    }

    /// Every `models--…` entry of the root that is a folder (or a link to one), with a valid repository id.
    public func repositoryFolders(limits: CacheReadLimits = .standard) -> CacheRepoListing {
        var listing = CacheRepoListing(folders: [], rejected: [])
        for name in FileFacts.names(in: root, limit: limits.maxRepositories) where name.hasPrefix("models--") {
            guard let id = Self.repoID(folderName: name) else {
                listing.rejected.append(name)
                continue
            }
            let path = root + "/" + name
            guard let facts = FileFacts.lstat(path) else { continue }
            let isLink = facts.isSymlink
            guard facts.isDirectory || (isLink && FileFacts.stat(path)?.isDirectory == true) else { continue }
            listing.folders.append(CacheRepoFolder(name: name, id: id, path: path, isLink: isLink))
        }
        return listing
    }

    /// The refs under `repo/refs/` (nested ones too: `refs/pr/1`). Only regular files count; links are not followed.
    public func refs(repoFolder: String, limits: CacheReadLimits = .standard) -> CacheRefListing {
        var listing = CacheRefListing(refs: [], warnings: [])
        guard let folder = RepoFolderPaths(root: root, folder: repoFolder)?.realSubfolder("refs") else { return listing }
        var visited = 0
        collectRefs(folder, prefix: "", depth: 0, limits: limits, visited: &visited, into: &listing)
        listing.refs.sort { $0.name < $1.name }
        return listing
    }

    private func collectRefs(_ folder: String, prefix: String, depth: Int, limits: CacheReadLimits, visited: inout Int,
                             into listing: inout CacheRefListing) {
        guard depth <= limits.maxRefDepth else {
            listing.warnings.append("\(folder): nested deeper than \(limits.maxRefDepth) folders; not followed")
            return
        }
        for name in FileFacts.names(in: folder, limit: limits.maxRefs) {
            visited += 1
            if visited > limits.maxRefs {
                listing.warnings.append("\(folder): more than \(limits.maxRefs) refs; the rest were skipped")
                return
            }
            let path = folder + "/" + name
            guard let facts = FileFacts.lstat(path) else { continue }
            if facts.isDirectory {
                collectRefs(path, prefix: prefix + name + "/", depth: depth + 1, limits: limits, visited: &visited, into: &listing)
            } else if let read = Self.readRef(at: path) {
                if let commit = read.commit {
                    listing.refs.append(CacheRef(name: prefix + name, commit: commit, modified: read.facts.modified))
                } else {
                    listing.warnings.append("\(path) does not hold a commit hash; ignored")
                }
            }
        }
    }

    /// A ref file's commit: nil when `path` is not a regular file of at most `maxRefBytes` (a link, a FIFO, a folder);
    /// `commit` nil when its text (surrounding whitespace ignored) is not a commit hash.
    static func readRef(at path: String) -> (commit: CommitHash?, facts: FileFacts)? {
        guard let facts = FileFacts.lstat(path), facts.isRegular, facts.size <= maxRefBytes,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (CommitHash(text), facts)
    }

    /// The entries of `repo/snapshots/` (empty when that is not a real folder), sorted by name.
    public func snapshotFolders(repoFolder: String, limits: CacheReadLimits = .standard) -> [CacheSnapshotFolder] {
        guard let paths = RepoFolderPaths(root: root, folder: repoFolder), let real = paths.realSubfolder("snapshots") else { return [] }
        return FileFacts.names(in: paths.path + "/snapshots", limit: limits.maxFolderEntries).compactMap { name in
            let path = paths.path + "/snapshots/" + name
            guard let facts = FileFacts.lstat(path) else { return nil }
            let walkable = facts.isDirectory && FileFacts.realPath(path) == real + "/" + name
            return CacheSnapshotFolder(name: name, commit: CommitHash(name), path: path, facts: facts, isWalkable: walkable)
        }
    }

    /// The files of `repo/snapshots/<snapshot>`, each classified by where it resolves; nil when that is not a walkable
    /// snapshot folder (missing, a link, reached through a link). Real sub-folders are walked; links are never
    /// followed into folders, so the walk ends even on `a -> .` loops.
    public func snapshotEntries(repoFolder: String, snapshot: String, limits: CacheReadLimits = .standard) -> CacheSnapshotListing? {
        guard !snapshot.isEmpty, !snapshot.contains("/"), snapshot != ".", snapshot != "..",
              let paths = RepoFolderPaths(root: root, folder: repoFolder), let snapshots = paths.realSubfolder("snapshots") else { return nil }
        let folder = paths.path + "/snapshots/" + snapshot
        guard FileFacts.lstat(folder)?.isDirectory == true, FileFacts.realPath(folder) == snapshots + "/" + snapshot else { return nil }
        let walker = SnapshotWalker(paths: paths, realBlobs: paths.realSubfolder("blobs"),
                                    store: FileFacts.realPath(root).flatMap(SharedBlobStore.init(realRoot:)), limits: limits)
        var listing = CacheSnapshotListing(entries: [], warnings: [], realRepoPath: paths.real, store: walker.store)
        var visited = 0
        walker.walk(folder, relative: "", depth: 0, visited: &visited, into: &listing)
        return listing
    }

    /// The entries of `repo/blobs/` that are complete blobs (regular files, or links into the shared store) or partial
    /// downloads, sorted by name; other entries (folders, FIFOs, other links) are left out.
    public func blobEntries(repoFolder: String, limits: CacheReadLimits = .standard) -> [CacheBlobEntry] {
        guard let paths = RepoFolderPaths(root: root, folder: repoFolder), paths.realSubfolder("blobs") != nil else { return [] }
        let store = FileFacts.realPath(root).flatMap(SharedBlobStore.init(realRoot:))
        return FileFacts.names(in: paths.path + "/blobs", limit: limits.maxFolderEntries).compactMap { name in
            let path = paths.path + "/blobs/" + name
            guard let facts = FileFacts.lstat(path) else { return nil }
            if facts.isRegular {
                // hubscout's resume sidecar and temporary files belong to a partial download.
                let partial = name.hasSuffix(".incomplete") || name.hasSuffix(".incomplete.json") || name.hasPrefix(".")
                return CacheBlobEntry(name: name, path: path, kind: partial ? .partial : .blob, content: facts, storePath: nil)
            }
            guard facts.isSymlink, let store, let real = FileFacts.realPath(path), store.hash(ofBlobAt: real) != nil,
                  let content = FileFacts.lstat(real), content.isRegular else { return nil }
            return CacheBlobEntry(name: name, path: path, kind: .blob, content: content, storePath: real)
        }
    }
}

/// A repository folder's path as named under the root and as resolved.
struct RepoFolderPaths {
    /// `root/folder`.
    let path: String
    /// Its canonical path.
    let real: String

    init?(root: String, folder: String) {
        guard !folder.isEmpty, !folder.contains("/"), folder != ".", folder != "..",
              let real = FileFacts.realPath(root + "/" + folder) else { return nil }
        path = root + "/" + folder
        self.real = real
    }

    /// The canonical path of `path/name` when it is a real folder at its own place (not a link, nor reached through one).
    func realSubfolder(_ name: String) -> String? {
        let expected = real + "/" + name
        guard FileFacts.lstat(path + "/" + name)?.isDirectory == true, FileFacts.realPath(path + "/" + name) == expected else { return nil }
        return expected
    }
}

/// Walks one snapshot folder for `HubCache.snapshotEntries`.
private struct SnapshotWalker {
    let paths: RepoFolderPaths
    /// The repository's real `blobs/` folder, if it has one.
    let realBlobs: String?
    let store: SharedBlobStore?
    let limits: CacheReadLimits
    /// `repo/blobs/` as link targets name it (lexically, links not resolved).
    var lexicalBlobs: String { (paths.path as NSString).standardizingPath + "/blobs/" }

    func walk(_ folder: String, relative: String, depth: Int, visited: inout Int, into listing: inout CacheSnapshotListing) {
        guard depth <= limits.maxDepth else {
            listing.warnings.append("\(folder): nested deeper than \(limits.maxDepth) folders; not followed")
            return
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            listing.warnings.append("\(folder) cannot be read")
            return
        }
        for name in names.sorted() {
            if listing.entries.count >= limits.maxSnapshotFiles {
                listing.warnings.append("\(folder): more than \(limits.maxSnapshotFiles) files; the rest were skipped")
                return
            }
            if visited >= limits.maxSnapshotEntries {
                listing.warnings.append("\(folder): more than \(limits.maxSnapshotEntries) entries; the rest were skipped")
                return
            }
            visited += 1
            let location = folder + "/" + name
            let path = relative.isEmpty ? name : relative + "/" + name
            guard let facts = FileFacts.lstat(location) else { continue }
            switch facts.kind {
            case .directory:
                // A real folder (lstat): since no link is ever followed into a folder, the walk cannot loop.
                walk(location, relative: path, depth: depth + 1, visited: &visited, into: &listing)
            case .file:
                listing.entries.append(CacheSnapshotEntry(path: path, location: location, placement: .plain, contentPath: location,
                                                          content: facts, linkedBlob: nil, blobID: nil, storeHash: nil))
            case .other:
                listing.entries.append(CacheSnapshotEntry(path: path, location: location, placement: .unresolved, contentPath: nil,
                                                          content: nil, linkedBlob: nil, blobID: nil, storeHash: nil))
            case .symlink:
                listing.entries.append(link(location, in: folder, path: path))
            }
        }
    }

    /// Classifies a link by where it resolves.
    private func link(_ location: String, in folder: String, path: String) -> CacheSnapshotEntry {
        var entry = CacheSnapshotEntry(path: path, location: location, placement: .unresolved, contentPath: nil, content: nil,
                                       linkedBlob: linkedBlob(location, in: folder), blobID: nil, storeHash: nil)
        guard let real = FileFacts.realPath(location), let content = FileFacts.lstat(real), content.isRegular else { return entry }
        entry.contentPath = real
        entry.content = content
        if FileFacts.isInside(real, paths.real) {
            entry.placement = .repository
            if let realBlobs, (real as NSString).deletingLastPathComponent == realBlobs {
                entry.blobID = BlobID((real as NSString).lastPathComponent)
            }
        } else if let hash = sharedStoreHash(real, linkedBlob: entry.linkedBlob) {
            entry.placement = .sharedStore
            entry.storeHash = hash
            entry.blobID = entry.linkedBlob.flatMap { BlobID($0) }
        } else {
            entry.placement = .outside
        }
        return entry
    }

    /// The file name in `repo/blobs/` the link's own target names, resolved lexically (one hop).
    private func linkedBlob(_ location: String, in folder: String) -> String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: location) else { return nil }
        let resolved = ((target.hasPrefix("/") ? target : folder + "/" + target) as NSString).standardizingPath
        guard resolved.hasPrefix(lexicalBlobs), !resolved.dropFirst(lexicalBlobs.count).contains("/") else { return nil }
        return String(resolved.dropFirst(lexicalBlobs.count))
    }

    /// The xet hash when `real` is a shared-store blob reached through the repository's own `blobs/<linkedBlob>`,
    /// itself a link whose target is exactly that store blob (hub-protocol.md §5.2a).
    private func sharedStoreHash(_ real: String, linkedBlob: String?) -> String? {
        guard let store, let linkedBlob, realBlobs != nil, let hash = store.hash(ofBlobAt: real) else { return nil }
        let entry = paths.path + "/blobs/" + linkedBlob
        guard FileFacts.lstat(entry)?.isSymlink == true, FileFacts.realPath(entry) == real else { return nil }
        return hash
    }
}
