/// An entry of `GET /api/models/{id}/tree/{rev}`: a file or a directory.
public struct TreeEntry: Sendable, Codable, Equatable, Hashable {
    /// `file` or `directory`.
    public var type: String
    /// Git object id (for LFS files, of the pointer).
    public var oid: String
    /// Content size in bytes (0 for directories).
    public var size: Int64
    /// Path relative to the repository root.
    public var path: String
    /// LFS facts for LFS files.
    public var lfs: LFSInfo?

    public init(type: String, oid: String, size: Int64, path: String, lfs: LFSInfo? = nil) {
        self.type = type
        self.oid = oid
        self.size = size
        self.path = path
        self.lfs = lfs
    }

    /// True for files.
    public var isFile: Bool { type == "file" }

    enum CodingKeys: String, CodingKey { case type, oid, size, path, lfs }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(oid, forKey: .oid)
        try c.encode(size, forKey: .size)
        try c.encode(path, forKey: .path)
        if let lfs {
            var l = c.nestedContainer(keyedBy: LFSInfo.CodingKeys.self, forKey: .lfs)
            try l.encode(lfs.sha256, forKey: .oid)
            try l.encode(lfs.size, forKey: .size)
            try l.encodeIfPresent(lfs.pointerSize, forKey: .pointerSize)
        }
    }
}
