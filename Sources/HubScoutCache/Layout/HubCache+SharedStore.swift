import Foundation
import HubScoutCore

/// Downloads into a cache with huggingface_hub 2.x's shared store reuse a store blob that another repository already
/// links under the same sha256, instead of fetching the bytes again.
extension HubCache {
    /// The cache's shared store, when it has one.
    public var sharedStore: SharedBlobStore? { FileFacts.realPath(root).flatMap(SharedBlobStore.init(realRoot:)) }

    /// A store blob of `size` bytes that some repository's `blobs/<etag>` links to, found by reading those links (the
    /// truth; manifests are hints). The caller verifies the content before linking it: nil when there is none.
    public func storeBlob(forSHA256 etag: BlobID, size: Int64, limits: CacheReadLimits = .standard) -> (hash: String, path: String)? {
        guard etag.isSHA256, let store = sharedStore else { return nil }
        for folder in repositoryFolders(limits: limits).folders {
            let entry = folder.path + "/blobs/" + etag.value
            guard FileFacts.lstat(entry)?.isSymlink == true, let real = FileFacts.realPath(entry),
                  let hash = store.hash(ofBlobAt: real), let facts = FileFacts.lstat(real), facts.isRegular, facts.size == size
            else { continue }
            return (hash, real)
        }
        return nil
    }
}
