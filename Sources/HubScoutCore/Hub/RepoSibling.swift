/// One file of a repository as listed in model info `siblings` (sizes only with `blobs=true`).
public struct RepoSibling: Sendable, Codable, Equatable, Hashable {
    /// The path inside the repository.
    public var path: String
    /// Content size in bytes (the LFS size for LFS files), when the API sent it.
    public var size: Int64?
    /// The git blob id (for LFS files, of the pointer).
    public var blobID: String?
    /// LFS facts, for files stored in LFS/Xet.
    public var lfs: LFSInfo?

    public init(path: String, size: Int64? = nil, blobID: String? = nil, lfs: LFSInfo? = nil) {
        self.path = path
        self.size = size
        self.blobID = blobID
        self.lfs = lfs
    }

    enum CodingKeys: String, CodingKey {
        case path = "rfilename", size, blobID = "blobId", lfs
    }
}

/// The LFS pointer facts of a file: sha256 of the content and its size.
public struct LFSInfo: Sendable, Codable, Equatable, Hashable {
    /// Lower-case hex sha256 of the file content.
    public var sha256: String
    /// Content size in bytes.
    public var size: Int64
    /// Size of the pointer file, when known.
    public var pointerSize: Int?

    public init(sha256: String, size: Int64, pointerSize: Int? = nil) {
        self.sha256 = sha256
        self.size = size
        self.pointerSize = pointerSize
    }

    enum CodingKeys: String, CodingKey { case sha256, oid, size, pointerSize }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // model info says `sha256`, /tree says `oid`
        sha256 = try c.decodeIfPresent(String.self, forKey: .sha256) ?? c.decode(String.self, forKey: .oid)
        size = try c.decode(Int64.self, forKey: .size)
        pointerSize = try c.decodeIfPresent(Int.self, forKey: .pointerSize)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(size, forKey: .size)
        try c.encodeIfPresent(pointerSize, forKey: .pointerSize)
    }
}
