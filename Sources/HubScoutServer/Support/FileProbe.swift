#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Thin POSIX helpers for walking a cache: entry kinds, sizes, modification times and real paths.
enum FileProbe {
    /// What a path is, without following a final symlink.
    enum Kind: Equatable { case file, directory, symlink, other, missing }

    /// Kind, size and modification time of one path.
    struct Info: Equatable {
        var kind: Kind
        var size: Int64
        var modified: Date
        var inode: UInt64
    }

    /// `lstat` (follow: false) or `stat` (follow: true).
    static func info(_ path: String, follow: Bool) -> Info {
        var st = stat()
        let rc = follow ? stat(path, &st) : lstat(path, &st)
        guard rc == 0 else { return Info(kind: .missing, size: 0, modified: .distantPast, inode: 0) }
        let mode = st.st_mode & S_IFMT
        let kind: Kind = mode == S_IFREG ? .file : mode == S_IFDIR ? .directory : mode == S_IFLNK ? .symlink : .other
        #if canImport(Darwin)
        let seconds = Double(st.st_mtimespec.tv_sec) + Double(st.st_mtimespec.tv_nsec) / 1e9
        #else
        let seconds = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        #endif
        return Info(kind: kind, size: Int64(st.st_size), modified: Date(timeIntervalSince1970: seconds), inode: UInt64(st.st_ino))
    }

    /// The canonical absolute path with every symlink resolved, or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Names in a directory (no `.`/`..`), sorted; empty when unreadable. At most `limit` names.
    static func list(_ directory: String, limit: Int = 1_000_000) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return Array(names.filter { $0 != "." && $0 != ".." }.sorted().prefix(limit))
    }

    /// True when `path` equals `root` or lies under it (both canonical).
    static func isInside(_ path: String, root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }
}
