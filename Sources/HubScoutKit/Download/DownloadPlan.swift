import HubScoutCore

/// The settled plan of a download: which files at which commit, what is already present, what must be
/// fetched, and whether the filesystem can hold it. `--dry-run` prints this and stops.
public struct DownloadPlan: Sendable, Codable, Equatable {
    /// One selected file.
    public struct File: Sendable, Codable, Equatable {
        /// Where the file stands locally.
        public enum State: String, Sendable, Codable, Equatable {
            /// In place already (snapshot entry or up-to-date local file).
            case present
            /// Its blob is in the cache; only the snapshot link is missing.
            case blobCached
            /// Partly downloaded by an earlier run.
            case partial
            /// Not on disk.
            case missing
        }

        /// Path in the repository (validated: relative, no `..`).
        public var path: String
        /// Size in bytes, from the listing.
        public var size: Int64
        /// sha256 for LFS files, git blob sha1 for regular files (from the listing).
        public var etag: BlobID?
        /// True for LFS (sha256-verified) files.
        public var isLFS: Bool
        /// Where the file stands on disk.
        public var state: State
        /// Bytes already on disk for a partial file.
        public var partialBytes: Int64

        /// Bytes this file still needs.
        public var bytesToFetch: Int64 {
            switch state {
            case .present, .blobCached: 0
            case .partial: max(0, size - partialBytes)
            case .missing: size
            }
        }
    }

    /// The canonical repository id (case as the Hub reports it).
    public var repo: String
    /// The revision asked for (`main` by default).
    public var revision: String
    /// The commit it resolved to; every file is fetched at this commit.
    public var commit: CommitHash
    /// Where files go: the snapshot folder, or the local folder.
    public var destination: String
    /// True for `--local-dir` downloads.
    public var isLocalDirectory: Bool
    /// The selected files.
    public var files: [File]
    /// `auto`, `manual` or nil when the repository is not gated.
    public var gated: String?
    /// Where the token in effect comes from (`--token`, `HF_TOKEN`, token file), nil when anonymous.
    public var tokenSource: String?
    /// Result of a HEAD probe on a gated/private repository (dry runs): nil when not probed.
    public var access: String?
    /// Free bytes on the receiving filesystem, when known.
    public var freeBytes: Int64?
    /// True when the plan came from the local cache only (HF_HUB_OFFLINE).
    public var offline: Bool
    /// The cache root (cache mode).
    public var cacheRoot: String?
    /// The repository folder inside the cache, e.g. `models--org--name` (cache mode).
    public var repoFolder: String?

    /// Sum of all selected files' sizes (sizes were checked to add up when the plan was made).
    public var totalBytes: Int64 { ByteTotal.saturatingSum(files.map(\.size)) }
    /// Bytes still to fetch.
    public var bytesToFetch: Int64 { ByteTotal.saturatingSum(files.map(\.bytesToFetch)) }
    /// Bytes already on disk (complete files and partial prefixes).
    public var bytesPresent: Int64 { totalBytes - bytesToFetch }
    /// True when the free space is known and smaller than what must be fetched.
    public var lacksSpace: Bool { freeBytes.map { $0 < bytesToFetch } ?? false }
}
