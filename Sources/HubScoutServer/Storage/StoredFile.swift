import HubScoutCore

/// One file of a commit: where its bytes are and the identifiers the Hub reports for it.
public struct StoredFile: Sendable, Equatable, Hashable {
    /// Path inside the repository (`onnx/model.onnx`), never absolute, never with `..`.
    public var path: String
    /// Content size in bytes.
    public var size: Int64
    /// The etag: 64-hex sha256 for LFS files, 40-hex git blob sha1 for regular files.
    public var etag: String
    /// Absolute path of the content on disk, inside the storage root.
    public var diskPath: String

    /// Creates a file record.
    public init(path: String, size: Int64, etag: String, diskPath: String) {
        self.path = path; self.size = size; self.etag = etag; self.diskPath = diskPath
    }

    /// True when the file is stored in LFS: its etag is a sha256 (`BlobID.isSHA256`).
    public var isLFS: Bool { BlobID(etag)?.isSHA256 ?? false }

    /// The LFS pointer text git would store for this file (only meaningful for LFS files).
    public var lfsPointer: String {
        BlobID(etag).map { LFSRule.pointerText(sha256: $0, size: size) } ?? ""
    }

    /// The git object id the Hub reports as `oid`/`blobId`: the etag for regular files, the pointer's sha1 for LFS files.
    public var gitBlobID: String {
        isLFS ? GitHash.blobID(of: Array(lfsPointer.utf8)) : etag
    }
}
