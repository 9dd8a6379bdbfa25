import Foundation
import HubScoutCore

/// Caps for reading a cache that may be broken or hostile: a runaway tree stops there (with a warning where the
/// reader reports warnings).
public struct CacheReadLimits: Sendable, Equatable {
    /// Most repository folders listed.
    public var maxRepositories: Int
    /// Most entries read under one `refs/` folder.
    public var maxRefs: Int
    /// Deepest folder nesting followed under `refs/` (`refs/refs/pr/1` is 2).
    public var maxRefDepth: Int
    /// Most entries read in one `blobs/` or `snapshots/` folder.
    public var maxFolderEntries: Int
    /// Most files reported for one snapshot.
    public var maxSnapshotFiles: Int
    /// Most entries (files, folders, links) visited in one snapshot.
    public var maxSnapshotEntries: Int
    /// Deepest folder nesting followed inside a snapshot.
    public var maxDepth: Int

    /// Limits; the defaults fit any real cache.
    public init(maxRepositories: Int = 100_000, maxRefs: Int = 10_000, maxRefDepth: Int = 8, maxFolderEntries: Int = 1_000_000,
                maxSnapshotFiles: Int = 1_000_000, maxSnapshotEntries: Int = 1_000_000, maxDepth: Int = 64) {
        self.maxRepositories = maxRepositories; self.maxRefs = maxRefs; self.maxRefDepth = maxRefDepth
        self.maxFolderEntries = maxFolderEntries; self.maxSnapshotFiles = maxSnapshotFiles
        self.maxSnapshotEntries = maxSnapshotEntries; self.maxDepth = maxDepth
    }

    /// The defaults.
    public static let standard = CacheReadLimits()
}

/// One `models--org--name` folder of a cache root.
public struct CacheRepoFolder: Sendable, Equatable {
    /// The folder name.
    public var name: String
    /// The repository id it names.
    public var id: RepoID
    /// `root/name`.
    public var path: String
    /// True when the entry is a link to a folder elsewhere rather than a folder (the server skips these).
    public var isLink: Bool
}

/// The repository folders of a cache root.
public struct CacheRepoListing: Sendable, Equatable {
    /// Folders naming a valid repository id, sorted by name.
    public var folders: [CacheRepoFolder]
    /// Names starting with `models--` that name no valid repository id (skipped).
    public var rejected: [String]
}

/// A file under `refs/` naming a commit.
public struct CacheRef: Sendable, Equatable {
    /// The ref name, relative to `refs/` (`main`, `v1.0`, `refs/pr/1`).
    public var name: String
    /// The commit it names.
    public var commit: CommitHash
    /// When the ref file was last written.
    public var modified: Date
}

/// The refs of a repository folder.
public struct CacheRefListing: Sendable, Equatable {
    /// Refs holding a commit hash, sorted by name.
    public var refs: [CacheRef]
    /// Ref files that hold something else, and limits reached, in plain words.
    public var warnings: [String]

    /// Ref name → commit.
    public var commits: [String: CommitHash] { Dictionary(refs.map { ($0.name, $0.commit) }, uniquingKeysWith: { first, _ in first }) }
}

/// One entry of a repository's `snapshots/` folder.
public struct CacheSnapshotFolder: Sendable, Equatable {
    /// The entry name (a commit hash in a sound cache).
    public var name: String
    /// The name as a commit hash, nil when it is not one.
    public var commit: CommitHash?
    /// `repo/snapshots/name`.
    public var path: String
    /// `lstat` of the entry.
    public var facts: FileFacts
    /// True when it is a real folder at its own place (neither a link nor reached through one), so it may be walked.
    public var isWalkable: Bool
}

/// One file of a snapshot, classified by where its content lies.
public struct CacheSnapshotEntry: Sendable, Equatable {
    /// Where an entry's content is, which decides whether it may be served as the repository's own.
    public enum Placement: Sendable, Equatable {
        /// A regular file in the snapshot folder itself (a cache written without symlinks).
        case plain
        /// A link resolving to a regular file inside its own repository folder (normally `blobs/<etag>`).
        case repository
        /// A link through the repository's own `blobs/<etag>` to a blob of the cache's shared store (`SharedBlobStore`).
        case sharedStore
        /// A link resolving to a regular file anywhere else (another repository, outside the cache).
        case outside
        /// Not a regular file once resolved: a dangling or looping link, a folder, a device, a FIFO.
        case unresolved
    }

    /// The path inside the repository (`onnx/model.onnx`).
    public var path: String
    /// Absolute path of the entry in the snapshot folder.
    public var location: String
    /// Where its content is.
    public var placement: Placement
    /// Path of the content: the entry itself when plain, else the link's resolved (canonical) target; nil when unresolved.
    public var contentPath: String?
    /// Facts of the content (the resolved target); nil when unresolved.
    public var content: FileFacts?
    /// The name in the repository's `blobs/` the link points at (its own target, read without resolving further).
    public var linkedBlob: String?
    /// The content id the layout states, when the content is a blob named by a valid id: a file of the repository's
    /// real `blobs/` folder, or the repository blob entry that links into the shared store. nil means: hash it.
    public var blobID: BlobID?
    /// The store blob's xet hash, for `sharedStore`.
    public var storeHash: String?

    /// True for content that stays inside the cache as the repository's own: plain, in its folder, or in the shared store.
    public var isContained: Bool { placement == .plain || placement == .repository || placement == .sharedStore }
}

/// The files of one snapshot folder.
public struct CacheSnapshotListing: Sendable, Equatable {
    /// Files in path order (folders are walked, never listed).
    public var entries: [CacheSnapshotEntry]
    /// Limits reached and unreadable folders, in plain words.
    public var warnings: [String]
    /// The canonical path of the repository folder (differs from `root/folder` when that is a link).
    public var realRepoPath: String
    /// The cache's shared blob store, when it has one.
    public var store: SharedBlobStore?
}

/// One entry of a repository's `blobs/` folder.
public struct CacheBlobEntry: Sendable, Equatable {
    /// What the entry is.
    public enum Kind: Sendable, Equatable {
        /// A complete blob: a regular file, or a link into the shared store.
        case blob
        /// A partial download (`.incomplete`), its resume sidecar (`.incomplete.json`) or a temporary file (`.name`).
        case partial
    }

    /// The file name (a `BlobID` in a sound cache).
    public var name: String
    /// Absolute path of the entry.
    public var path: String
    public var kind: Kind
    /// Facts of the content: the file itself, or the store blob a shared entry links to.
    public var content: FileFacts
    /// The store blob's canonical path when the entry links into the shared store.
    public var storePath: String?

    /// The name as a content id, nil when it is not one.
    public var blobID: BlobID? { BlobID(name) }
}
