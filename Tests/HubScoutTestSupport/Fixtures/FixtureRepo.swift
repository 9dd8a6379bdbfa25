/// What `FixtureCache.addRepo` wrote: commit ids and the etag of every file, for tests to compare against.
public struct FixtureRepo: Sendable, Equatable {
    /// The repository id.
    public var id: String
    /// Commit ids, oldest first.
    public var commits: [String]
    /// Files per commit (same order as `commits`).
    public var files: [[FixtureFileRecord]]
    /// Ref name → commit id.
    public var refs: [String: String]

    /// The commit `main` points to (else the newest).
    public var head: String { refs["main"] ?? commits.last ?? "" }

    /// The record of `path` at `commit` (default: head).
    public func file(_ path: String, at commit: String? = nil) -> FixtureFileRecord? {
        guard let index = commits.firstIndex(of: commit ?? head) else { return nil }
        return files[index].first { $0.path == path }
    }
}

/// One written file: its etag (sha256 for LFS, git sha1 otherwise) and size.
public struct FixtureFileRecord: Sendable, Equatable {
    /// Path inside the repository.
    public var path: String
    /// Content size.
    public var size: Int64
    /// sha256 (LFS) or git blob sha1.
    public var etag: String
    /// The content, for byte comparisons.
    public var file: FixtureFile

    /// True when stored as an LFS file.
    public var isLFS: Bool { etag.count == 64 }
}
