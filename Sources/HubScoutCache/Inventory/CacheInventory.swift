import Foundation
import HubScoutCore

/// What a Hugging Face cache folder holds, as `CacheScanner` found it. Sizes are apparent file sizes
/// (what `huggingface_hub`'s `scan_cache_dir` reports), each blob counted once.
public struct CacheInventory: Sendable, Equatable, Codable {
    /// The cache root that was scanned.
    public var root: String
    /// Model repositories, by id.
    public var repos: [CachedRepo]
    /// Things that looked wrong (unreadable folders, refs to missing snapshots…), in plain words.
    public var warnings: [String]
    /// huggingface_hub 2.x's shared blob store, when the cache has one.
    public var store: SharedStoreInventory? = nil

    /// Bytes on disk of the whole cache, each file counted once: a store blob linked from several repositories (or
    /// from none) counts once, not once per repository.
    public var totalBytes: Int64 {
        let own = ByteTotal.saturatingSum(repos.map { $0.sizeOnDisk - $0.sharedBytes })
        return ByteTotal.adding(own, ByteTotal.saturatingSum(store?.blobs.map(\.size) ?? []))
    }

    /// The repository with this id (case-insensitive), if present.
    public func repo(_ id: String) -> CachedRepo? {
        repos.first { $0.id == id } ?? repos.first { $0.id.lowercased() == id.lowercased() }
    }
}

/// One `models--org--name` folder.
public struct CachedRepo: Sendable, Equatable, Codable {
    /// Repository id (`org/name`).
    public var id: String
    /// The folder name inside the cache root.
    public var folder: String
    /// Absolute path of the folder.
    public var path: String
    /// Snapshots, most recently used first.
    public var revisions: [CachedRevision]
    /// Every ref name and the commit it points to.
    public var refs: [String: String]
    /// Every file in `blobs/` except partial downloads.
    public var blobs: [CachedBlob]
    /// Partial downloads (`blobs/<etag>.incomplete`).
    public var incomplete: [IncompleteFile]
    /// Bytes of all blobs, plain snapshot files and partial downloads, each counted once.
    public var sizeOnDisk: Int64
    /// The latest access of any revision.
    public var lastAccessed: Date?

    /// The latest modification of any revision's files.
    public var lastModified: Date? { revisions.compactMap(\.lastModified).max() }

    /// Revisions no ref points to (`hf cache prune` calls them detached): a commit downloaded by hash, or a
    /// snapshot left behind when its branch moved on.
    public var detachedRevisions: [CachedRevision] { revisions.filter(\.refs.isEmpty) }

    /// Bytes of the shared-store blobs this repository links to (part of `sizeOnDisk`; other repositories may link
    /// them too).
    public var sharedBytes: Int64 {
        var seen = Set<String>()
        return ByteTotal.saturatingSum(blobs.compactMap { blob in blob.storePath.flatMap { seen.insert($0).inserted ? blob.size : nil } })
    }

    /// Blobs no snapshot links to (left by an interrupted download or a removed revision).
    public var unreferencedBlobs: [CachedBlob] { blobs.filter { $0.referencedBy.isEmpty } }

    /// The revision a ref name, full commit or unique commit prefix (at least 7 characters) names.
    public func revision(_ name: String) -> CachedRevision? {
        if let commit = refs[name] ?? refs["refs/" + name], let found = revisions.first(where: { $0.commit == commit }) { return found }
        if let exact = revisions.first(where: { $0.commit == name }) { return exact }
        guard name.count >= 7 else { return nil }
        let matches = revisions.filter { $0.commit.hasPrefix(name.lowercased()) }
        return matches.count == 1 ? matches[0] : nil
    }
}

/// One `snapshots/<commit>` folder.
public struct CachedRevision: Sendable, Equatable, Codable {
    /// The 40-hex commit (the folder name).
    public var commit: String
    /// Ref names pointing to it (`main`, `v1.0`, `refs/pr/1`), sorted.
    public var refs: [String]
    /// Absolute path of the snapshot folder.
    public var path: String
    /// Files, sorted by path.
    public var files: [CachedFile]
    /// Bytes of its distinct files.
    public var sizeOnDisk: Int64
    /// The latest access (or modification) time of its files.
    public var lastAccessed: Date?
    /// The latest modification time of its files.
    public var lastModified: Date?

    /// The name to show: the first ref, else the short commit.
    public var displayName: String { refs.first ?? String(commit.prefix(12)) }
}

/// One file of a snapshot.
public struct CachedFile: Sendable, Equatable, Codable {
    /// Path inside the repository.
    public var path: String
    /// The blob it links to (file name in `blobs/`), nil for a plain file or a link elsewhere.
    public var blob: String?
    /// Size in bytes (0 when missing).
    public var size: Int64
    /// True when the entry is a link whose target does not exist.
    public var missing: Bool
}

/// One file in `blobs/`.
public struct CachedBlob: Sendable, Equatable, Codable {
    /// The file name: the sha256 (LFS) or git sha1 of its content.
    public var name: String
    /// Absolute path.
    public var path: String
    /// Size in bytes.
    public var size: Int64
    /// Last access time.
    public var accessed: Date
    /// Last modification time.
    public var modified: Date
    /// Commits whose snapshots link to it.
    public var referencedBy: [String]
    /// The shared-store blob this entry links to (huggingface_hub 2.x, `<cache>/blobs/<xx>/<xet hash>`), nil for a
    /// blob of its own. Removing such an entry removes the link: the store file stays until the store is pruned.
    public var storePath: String? = nil

    /// Bytes removing this entry frees: none for a link into the shared store.
    public var bytesFreedByRemoval: Int64 { storePath == nil ? size : 0 }
}

/// A partial download.
public struct IncompleteFile: Sendable, Equatable, Codable {
    /// Absolute path of the `.incomplete` file.
    public var path: String
    /// Bytes so far.
    public var size: Int64
    /// Last modification time (a download in progress keeps touching it).
    public var modified: Date
}

/// The shared blob store of a cache (huggingface_hub 2.x), as the scan found it.
public struct SharedStoreInventory: Sendable, Equatable, Codable {
    /// The store folder (`<cache>/blobs`).
    public var path: String
    /// Every store blob, with the repository entries that link to it.
    public var blobs: [SharedStoreBlob]

    /// Store blobs no repository entry links to (what `hf cache prune` sweeps).
    public var unlinked: [SharedStoreBlob] { blobs.filter(\.linkedBy.isEmpty) }
}

/// One blob of the shared store.
public struct SharedStoreBlob: Sendable, Equatable, Codable {
    /// The xet hash naming it.
    public var hash: String
    /// Its path.
    public var path: String
    /// Its size.
    public var size: Int64
    /// Last modification time.
    public var modified: Date
    /// Repository entries (`models--org--name/blobs/<etag>`) whose links resolve to it: the truth.
    public var linkedBy: [String]
    /// What its `.refs` manifest lists: a hint, which may be stale.
    public var manifest: [String]
    /// When its manifest last changed (nil when it has none): a recent change means a link may be on its way.
    public var manifestModified: Date? = nil
}
