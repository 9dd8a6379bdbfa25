import Foundation

/// Counts over the whole catalog.
public struct CatalogStats: Sendable, Equatable, Codable {
    /// Number of models.
    public var models: Int
    /// Models per `pipeline_tag` ("(unknown)" for none), largest first.
    public var byTask: [Count]
    /// Models per library, largest first.
    public var byLibrary: [Count]
    /// Models per license, largest first.
    public var byLicense: [Count]
    /// File rows recorded.
    public var files: Int
    /// Local snapshots recorded.
    public var localSnapshots: Int
    /// Bytes on disk of all local snapshots.
    public var localSnapshotBytes: Int64
    /// The latest sync (or snapshot import) date.
    public var lastSync: Date?

    /// A named count.
    public struct Count: Sendable, Equatable, Codable {
        /// The value counted.
        public var name: String
        /// How many models have it.
        public var count: Int
    }
}
