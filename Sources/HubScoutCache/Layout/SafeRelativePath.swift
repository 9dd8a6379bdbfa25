import Foundation

/// A repository file path that is safe to join under a target folder: relative, no `..` or `.`
/// segment, no empty segment, no NUL, no backslash or drive form, bounded length.
public struct SafeRelativePath: Sendable, Hashable, CustomStringConvertible {
    /// The path as the repository names it, with `/` separators.
    public let value: String
    /// Its segments.
    public let segments: [String]

    /// Longest path accepted (PATH_MAX minus room for the cache prefix).
    static let maxLength = 3_000
    /// Longest segment accepted (NAME_MAX is 255 on common filesystems; room for `.incomplete.parts`).
    static let maxSegmentLength = 230

    /// Validates a path from the server or the command line.
    public init(_ path: String) throws(CacheError) {
        guard !path.isEmpty else { throw .unsafePath(path, reason: "the name is empty") }
        guard path.utf8.count <= Self.maxLength else { throw .unsafePath(String(path.prefix(80)), reason: "the name is too long") }
        guard !path.utf8.contains(0) else { throw .unsafePath(path, reason: "the name contains a NUL byte") }
        guard !path.hasPrefix("/") else { throw .unsafePath(path, reason: "it is an absolute path") }
        guard !path.contains("\\") else { throw .unsafePath(path, reason: "it contains a backslash (a Windows path separator)") }
        if path.count >= 2, path.dropFirst().first == ":", path.first?.isLetter == true {
            throw .unsafePath(path, reason: "it looks like a drive path")
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for part in parts {
            guard !part.isEmpty else { throw .unsafePath(path, reason: "it has an empty segment ('//' or a trailing '/')") }
            guard part != ".." else { throw .unsafePath(path, reason: "it has a '..' segment") }
            guard part != "." else { throw .unsafePath(path, reason: "it has a '.' segment") }
            guard part.utf8.count <= Self.maxSegmentLength else { throw .unsafePath(path, reason: "a segment is longer than \(Self.maxSegmentLength) bytes") }
        }
        value = path
        segments = parts
    }

    /// The folder part (empty for a top-level file).
    public var folderSegments: ArraySlice<String> { segments.dropLast() }

    /// The path as given.
    public var description: String { value }

    /// `root/path`, after checking that the deepest folder of it that already exists resolves
    /// (symlinks followed) inside `root`: a pre-existing symlinked folder cannot redirect writes elsewhere.
    public func joined(under root: String) throws(CacheError) -> String {
        let full = root + "/" + value
        let realRoot = Self.realPath(root) ?? root
        var probe = (full as NSString).deletingLastPathComponent
        while probe.count > root.count, !FileManager.default.fileExists(atPath: probe) {
            probe = (probe as NSString).deletingLastPathComponent
        }
        guard let realProbe = Self.realPath(probe) else { return full }
        guard realProbe == realRoot || realProbe.hasPrefix(realRoot + "/") else {
            throw .unsafePath(value, reason: "a folder on its way resolves outside \(root) through a symbolic link")
        }
        return full
    }

    /// `realpath(3)`, nil when the path does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
