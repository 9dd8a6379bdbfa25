import Foundation
import HubScoutCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// huggingface_hub's `--local-dir` layout: plain files at their repository paths plus
/// `.cache/huggingface/download/<path>.metadata` (commit, etag, timestamp) and a `.gitignore` of `*`.
public struct LocalDirectory: Sendable, Equatable {
    /// The folder the files go to.
    public let root: String

    /// A local directory at `root`.
    public init(root: String) {
        var cleaned = root
        while cleaned.count > 1, cleaned.hasSuffix("/") { cleaned.removeLast() }
        self.root = cleaned
    }

    /// What a metadata sidecar records.
    public struct Metadata: Sendable, Equatable {
        /// The commit the file was downloaded at.
        public var commit: String
        /// The file's etag (sha256 or git sha1).
        public var etag: String
        /// Unix time (seconds, fractional) of the download.
        public var timestamp: Double
    }

    /// `root/.cache/huggingface`.
    public var stateFolder: String { root + "/.cache/huggingface" }

    /// Where the file itself goes.
    public func filePath(_ path: SafeRelativePath) throws(CacheError) -> String { try path.joined(under: root) }

    /// `.cache/huggingface/download/<path>` plus a suffix (`.metadata`, `.lock`, `.incomplete`).
    public func statePath(_ path: SafeRelativePath, suffix: String) throws(CacheError) -> String {
        try path.joined(under: stateFolder + "/download") + suffix
    }

    /// Creates the folders, `.gitignore` (`*`) and `CACHEDIR.TAG`.
    public func prepare() throws(CacheError) {
        try HubCache.makeFolder(stateFolder + "/download")
        let ignore = stateFolder + "/.gitignore"
        if !FileManager.default.fileExists(atPath: ignore) { try HubCache.writeAtomically(Data("*".utf8), to: ignore) }
        let tag = stateFolder + "/CACHEDIR.TAG"
        if !FileManager.default.fileExists(atPath: tag) {
            try HubCache.writeAtomically(Data((HubCache.cacheDirTagSignature + "\n").utf8), to: tag)
        }
    }

    /// Reads a file's metadata; nil when missing, malformed, or older than the file (edited since).
    public func metadata(for path: SafeRelativePath) -> Metadata? {
        guard let metaPath = try? statePath(path, suffix: ".metadata"),
              let text = try? String(contentsOfFile: metaPath, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.count >= 3, CommitHash.isCommitHash(lines[0]), !lines[1].isEmpty, let timestamp = Double(lines[2]) else { return nil }
        guard let file = try? filePath(path) else { return nil }
        var info = stat()
        guard stat(file, &info) == 0 else { return nil }
        #if os(Linux)
        let mtime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #else
        let mtime = Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
        #endif
        // As huggingface_hub: metadata counts only if the file was not modified after it was written.
        guard mtime - 1 <= timestamp else { return nil }
        return Metadata(commit: lines[0], etag: lines[1], timestamp: timestamp)
    }

    /// Writes the 3-line metadata (commit, etag, timestamp) atomically.
    public func writeMetadata(for path: SafeRelativePath, commit: CommitHash, etag: BlobID) throws(CacheError) {
        let metaPath = try statePath(path, suffix: ".metadata")
        try HubCache.makeFolder((metaPath as NSString).deletingLastPathComponent)
        let text = "\(commit)\n\(etag)\n\(Date().timeIntervalSince1970)\n"
        try HubCache.writeAtomically(Data(text.utf8), to: metaPath)
    }
}
