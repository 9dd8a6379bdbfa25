import Foundation
import HubScoutCore

/// Where a download lands: the shared HF cache (blobs + snapshot links) or a plain local folder.
public enum DownloadTarget: Sendable, Equatable {
    /// `cache.root/<repoFolder>/…`.
    case cache(HubCache, repoFolder: String)
    /// Plain files under a folder, with huggingface_hub's metadata sidecars.
    case localDirectory(LocalDirectory)

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
