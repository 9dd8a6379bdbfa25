import Foundation
import HubScoutCore

/// Where a download lands: the shared HF cache (blobs + snapshot links) or a plain local folder.
public enum DownloadTarget: Sendable, Equatable {
    /// `cache.root/<repoFolder>/…`; `repoFolder` is the repository's folder in that cache
    /// (`models--org--name`, or an existing folder of the same id in another letter case).
    case cache(HubCache, repoFolder: String)
    /// Plain files under a folder, with huggingface_hub's metadata sidecars.
    case localDirectory(LocalDirectory)

    /// True for `--local-dir` downloads.
    public var isLocalDirectory: Bool {
        if case .localDirectory = self { return true }
        return false
    }

    /// The cache (cache mode).
    public var cache: HubCache? {
        if case let .cache(cache, _) = self { return cache }
        return nil
    }

    /// The repository folder inside the cache (cache mode).
    public var repoFolder: String? {
        if case let .cache(_, folder) = self { return folder }
        return nil
    }

    /// Where the files of `commit` can be read: the snapshot folder, or the local folder.
    public func destination(commit: CommitHash) -> String {
        switch self {
        case let .cache(cache, folder): cache.snapshotPath(repoFolder: folder, commit: commit)
        case let .localDirectory(local): local.root
        }
    }

    /// True when `name` can be a repository folder of a cache: one path segment named `models--…`.
    static func isRepoFolderName(_ name: String) -> Bool {
        guard name.hasPrefix("models--"), RepoID(cacheFolderName: name) != nil,
              let path = try? SafeRelativePath(name) else { return false }
        return path.segments.count == 1
    }

    /// The folder whose filesystem receives the bytes (for the free-space check).
    var spaceProbePath: String {
        switch self {
        case let .cache(cache, repoFolder): cache.root + "/" + repoFolder + "/blobs"
        case let .localDirectory(local): local.root
        }
    }

    /// The partial file for a file's content.
    func incompletePath(for path: SafeRelativePath, etag: BlobID) throws(CacheError) -> String {
        switch self {
        case let .cache(cache, repoFolder): cache.blobPath(repoFolder: repoFolder, etag: etag) + ".incomplete"
        case let .localDirectory(local): try local.statePath(path, suffix: ".incomplete")
        }
    }

    /// The advisory lock file for a file's content.
    func lockPath(for path: SafeRelativePath, etag: BlobID) throws(CacheError) -> String {
        switch self {
        case let .cache(cache, repoFolder): cache.lockPath(repoFolder: repoFolder, etag: etag)
        case let .localDirectory(local): try local.statePath(path, suffix: ".lock")
        }
    }

    /// Folder where partial files of this target live (to find stale ones).
    var partialsFolder: String? {
        switch self {
        case let .cache(cache, repoFolder): cache.root + "/" + repoFolder + "/blobs"
        case .localDirectory: nil
        }
    }
}
