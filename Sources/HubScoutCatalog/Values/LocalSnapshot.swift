import Foundation

/// A snapshot of a model present on this machine (HF cache or local dir).
public struct LocalSnapshot: Sendable, Equatable, Codable {
    /// The revision asked for (branch, tag or commit).
    public var revision: String
    /// The 40-hex commit the snapshot holds.
    public var commit: String
    /// The snapshot folder.
    public var path: String
    /// Bytes on disk (blobs counted once).
    public var sizeOnDisk: Int64
    /// When its files were last verified against their hashes; nil if never.
    public var verifiedAt: Date?

    /// Creates a snapshot row.
    public init(revision: String, commit: String, path: String, sizeOnDisk: Int64, verifiedAt: Date? = nil) {
        self.revision = revision
        self.commit = commit
        self.path = path
        self.sizeOnDisk = sizeOnDisk
        self.verifiedAt = verifiedAt
    }
}
