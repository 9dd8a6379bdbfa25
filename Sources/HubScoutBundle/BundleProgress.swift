/// One file done while a bundle is written, verified or imported (sent after each member).
public struct BundleProgress: Sendable, Equatable {
    /// What is being done.
    public enum Phase: String, Sendable, Equatable {
        case writing, verifying, importing
    }

    public var phase: Phase
    /// The member just handled.
    public var member: String
    /// Its repository (`org/name`) and path inside it.
    public var repo: String
    public var path: String
    /// Its size.
    public var size: Int64
    /// True when the import found it already in the cache and read none of it.
    public var skipped: Bool
    /// Files handled so far, and in all.
    public var filesDone: Int
    public var filesTotal: Int
    /// Content bytes handled so far, and in all.
    public var bytesDone: Int64
    public var bytesTotal: Int64
}
