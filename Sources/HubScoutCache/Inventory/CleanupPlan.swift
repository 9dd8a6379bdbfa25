import Foundation
import HubScoutCore

/// What a cleanup will delete (or, after `CacheCleaner.execute`, did delete), with the bytes each frees.
public struct CleanupPlan: Sendable, Equatable, Codable {
    /// Deletions in the order they run: snapshot folders, refs, blobs, partial downloads, whole repositories.
    public var actions: [CleanupAction]

    /// Bytes the plan frees.
    public var bytesFreed: Int64 { ByteTotal.saturatingSum(actions.map(\.bytes)) }
    /// True when there is nothing to delete.
    public var isEmpty: Bool { actions.isEmpty }
}

/// What `cache rm` names: a repository (optionally one revision of it), or a bare 40-hex commit of any cached repository.
public enum CacheTarget: Sendable, Equatable {
    /// A repository id, with a ref name, commit or unique commit prefix when only that revision goes.
    case repo(String, revision: String?)
    /// A full commit hash, looked up across the cache (as `hf cache rm <revision_hash>` does).
    case commit(String)
}

/// One deletion.
public struct CleanupAction: Sendable, Equatable, Codable {
    /// What is deleted.
    public enum Kind: String, Sendable, Codable {
        /// A whole `models--org--name` folder (every revision, blob and ref).
        case repository
        /// One `snapshots/<commit>` folder.
        case revision
        /// A `refs/<name>` file pointing to a removed revision.
        case ref
        /// A blob no remaining snapshot links to.
        case blob
        /// A partial download and its sidecar.
        case incomplete
        /// A blob of the cache's shared store (huggingface_hub 2.x) that no repository entry links to any more.
        case storeBlob = "store-blob"
    }

    /// What is deleted.
    public var kind: Kind
    /// Repository id.
    public var repo: String
    /// The commit of a removed revision (or the one a removed ref pointed to).
    public var commit: String?
    /// Absolute path deleted.
    public var path: String
    /// Bytes freed (0 for links and refs; a blob's bytes are counted on the blob).
    public var bytes: Int64
    /// Why, in plain words (e.g. "last used 2024-05-01", "no snapshot links to it").
    public var reason: String
}

/// What `CacheCleaner.execute` did.
public struct CleanupResult: Sendable, Equatable, Codable {
    /// Deletions that happened.
    public var removed: [CleanupAction]
    /// Deletions skipped or failed, with the reason.
    public var skipped: [Skipped]

    /// Bytes freed.
    public var bytesFreed: Int64 { ByteTotal.saturatingSum(removed.map(\.bytes)) }

    /// A deletion that did not happen.
    public struct Skipped: Sendable, Equatable, Codable {
        /// The planned deletion.
        public var action: CleanupAction
        /// Why it was not done.
        public var reason: String
    }
}
