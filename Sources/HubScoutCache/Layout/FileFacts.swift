import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Device and inode: the identity of a file's content on disk (hard links and shared blobs have one).
public struct FileIdentity: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
}

/// What `lstat` or `stat` says about a path: the facts every cache reader (scanner, verifier, server) works from.
public struct FileFacts: Sendable, Equatable {
    /// What a path is.
    public enum Kind: Sendable, Equatable { case file, directory, symlink, other }

    public var kind: Kind
    /// Apparent size in bytes.
    public var size: Int64
    public var identity: FileIdentity
    /// Last access time.
    public var accessed: Date
    /// Last modification time.
    public var modified: Date

    public var isRegular: Bool { kind == .file }
    public var isDirectory: Bool { kind == .directory }
    public var isSymlink: Bool { kind == .symlink }

    init(_ s: stat) {
        let mode = s.st_mode & S_IFMT
        kind = mode == S_IFREG ? .file : mode == S_IFDIR ? .directory : mode == S_IFLNK ? .symlink : .other
        size = Int64(s.st_size)
        identity = FileIdentity(device: UInt64(s.st_dev), inode: UInt64(s.st_ino))
        #if canImport(Darwin)
        accessed = Date(timeIntervalSince1970: Double(s.st_atimespec.tv_sec) + Double(s.st_atimespec.tv_nsec) / 1e9)
        modified = Date(timeIntervalSince1970: Double(s.st_mtimespec.tv_sec) + Double(s.st_mtimespec.tv_nsec) / 1e9)
        #else
        accessed = Date(timeIntervalSince1970: Double(s.st_atim.tv_sec) + Double(s.st_atim.tv_nsec) / 1e9)
        modified = Date(timeIntervalSince1970: Double(s.st_mtim.tv_sec) + Double(s.st_mtim.tv_nsec) / 1e9)
        #endif
    }

    /// `lstat`: the path itself, a link as a link; nil when it does not exist.
    public static func lstat(_ path: String) -> FileFacts? {
        posixLstat(path).map(FileFacts.init)
    }

    /// `stat`: links followed; nil when the path (or a link's target) does not exist.
    public static func stat(_ path: String) -> FileFacts? {
        posixStat(path).map(FileFacts.init)
    }

    /// The canonical absolute path with every link resolved (`realpath(3)`), nil when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Names in a folder (no `.`/`..`), sorted, at most `limit`; empty when it cannot be read.
    public static func names(in folder: String, limit: Int = 1_000_000) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return Array(names.filter { $0 != "." && $0 != ".." }.sorted().prefix(limit))
    }

    /// True when `path` equals `folder` or lies under it (both canonical).
    public static func isInside(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }
}

// Outside `FileFacts`, whose `lstat`/`stat` would shadow the C functions.
private func posixLstat(_ path: String) -> stat? {
    var s = stat()
    return lstat(path, &s) == 0 ? s : nil
}

private func posixStat(_ path: String) -> stat? {
    var s = stat()
    return stat(path, &s) == 0 ? s : nil
}
