/// What `BundleImporter.import` did (`bundle import --json`).
public struct BundleImportResult: Sendable, Equatable, Codable {
    /// One repository revision imported.
    public struct Repo: Sendable, Equatable, Codable {
        /// `org/name`.
        public var id: String
        public var commit: String
        /// `snapshots/<commit>` in the cache.
        public var snapshotPath: String
        /// Refs written (or already there) pointing at this commit.
        public var refsWritten: [String]
        /// Refs left where they were, because they point at another commit and `--force` was not given.
        public var refsKept: [RefConflict]
        /// Refs moved from another commit (`--force`).
        public var refsMoved: [RefConflict]
    }

    /// A ref the cache already had, pointing at another commit than the bundle's.
    public struct RefConflict: Sendable, Equatable, Codable {
        public var ref: String
        /// The commit the cache's ref points at (before the import).
        public var cacheCommit: String
        /// The commit the bundle holds.
        public var bundleCommit: String

        public init(ref: String, cacheCommit: String, bundleCommit: String) {
            self.ref = ref
            self.cacheCommit = cacheCommit
            self.bundleCommit = bundleCommit
        }
    }

    public var repos: [Repo]
    /// Files written into `blobs/` from the bundle.
    public var filesImported: Int
    /// Files the cache already had (or whose blob it had: only linked).
    public var filesSkipped: Int
    /// Bytes written into `blobs/`.
    public var bytesWritten: Int64
}
