import Foundation

/// Reads /proc and /sys files, optionally under a fake root (tests, `HUBSCOUT_SYSROOT`).
/// Reads are capped: kernel files are small, and a fake tree must not make us load gigabytes.
struct SystemFiles: Sendable {
    /// Prefix prepended to every absolute path; "" for the real root.
    let root: String

    /// Largest file read, in bytes.
    static let maxFileBytes = 1 << 20

    /// Creates a reader; `root` nil or "/" means the real file system.
    init(root: String?) {
        var r = root ?? ""
        while r.hasSuffix("/") { r.removeLast() }
        self.root = r
    }

    /// The real path of an absolute path under the root.
    func path(_ absolute: String) -> String { root + (absolute.hasPrefix("/") ? absolute : "/" + absolute) }

    /// The file's text, or nil when missing, unreadable or too large.
    func read(_ absolute: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path(absolute)) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: Self.maxFileBytes) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The file's first line, trimmed.
    func readLine(_ absolute: String) -> String? {
        read(absolute)?.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Entries of a directory (names only), at most 4096.
    func list(_ absolute: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path(absolute))) ?? []).sorted().prefix(4096).map { $0 }
    }

    /// Whether a directory exists.
    func isDirectory(_ absolute: String) -> Bool {
        var dir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path(absolute), isDirectory: &dir) && dir.boolValue
    }
}
