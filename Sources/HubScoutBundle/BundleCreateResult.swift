/// What `BundleCreator.create` wrote (`bundle create --json`).
public struct BundleCreateResult: Sendable, Equatable, Codable {
    /// The output path as given (the volumes' common prefix when split).
    public var path: String
    /// The files written: the output itself, or its volumes.
    public var volumes: [String]
    /// `org/name@commit` per repository revision.
    public var repos: [String]
    /// Repository files in the bundle (the manifest not counted).
    public var files: Int
    /// Bytes of the bundle on disk (all volumes).
    public var bytes: Int64
    /// Bytes of the repository files it holds.
    public var contentBytes: Int64
    /// sha256 of the whole bundle (of the volumes end to end).
    public var sha256: String
    /// The tar stream's compression.
    public var compression: BundleCompression
}
