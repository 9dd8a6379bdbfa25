import Foundation
import HubScoutCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Hugging Face cache layout, identical to huggingface_hub's so both tools share one cache:
/// `models--org--name/{blobs/<etag>, snapshots/<commit>/<path> → ../../blobs/<etag>, refs/<revision>}`,
/// `.locks/models--org--name/<etag>.lock` and `CACHEDIR.TAG` at the root.
public struct HubCache: Sendable, Equatable {
    /// The cache root (`HF_HUB_CACHE`, default `$HF_HOME/hub`).
    public let root: String

    /// The first line of a cache directory tag (https://bford.info/cachedir/).
    public static let cacheDirTagSignature = "Signature: 8a477f597d28d172789f06886806bc55"

    /// A cache at `root`.
    public init(root: String) {
        var cleaned = root
        while cleaned.count > 1, cleaned.hasSuffix("/") { cleaned.removeLast() }
        self.root = cleaned
    }


    // MARK: - Paths

    /// The repository folder name to use for `repo`: an existing folder whose name matches ignoring
    /// case wins (so `Org/Name` and `org/name` don't become two copies), else the given casing.
    public func repoFolderName(for repo: RepoID) -> String {
        let wanted = repo.cacheFolderName
        if FileManager.default.fileExists(atPath: root + "/" + wanted) { return wanted }
        let lower = wanted.lowercased()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return entries.sorted().first { $0.lowercased() == lower } ?? wanted
    }

    /// `root/models--org--name`.
    public func repoPath(_ repo: RepoID) -> String { root + "/" + repoFolderName(for: repo) }

    // Blob, snapshot and lock names are typed ids (`BlobID`, `CommitHash`: hex digits only), so no text
    // a server sent can become a path segment here.

    /// `repo/blobs/<etag>`.
    public func blobPath(repoFolder: String, etag: BlobID) -> String { root + "/" + repoFolder + "/blobs/" + etag.value }

    /// `repo/snapshots/<commit>`.
    public func snapshotPath(repoFolder: String, commit: CommitHash) -> String { root + "/" + repoFolder + "/snapshots/" + commit.value }

    /// `.locks/models--org--name/<etag>.lock`.
    public func lockPath(repoFolder: String, etag: BlobID) -> String { root + "/.locks/" + repoFolder + "/" + etag.value + ".lock" }

    /// The snapshot entry of a file, checked against escapes through existing symlinked folders.
    public func snapshotFilePath(repoFolder: String, commit: CommitHash, path: SafeRelativePath) throws(CacheError) -> String {
        try path.joined(under: snapshotPath(repoFolder: repoFolder, commit: commit))
    }

    // MARK: - Reading

    /// The commit a revision points to: the revision itself when it is a 40-hex sha, else `refs/<revision>`
    /// (a regular file holding a commit hash; see `refs(repoFolder:)`).
    public func commit(repoFolder: String, revision: String) -> CommitHash? {
        if let commit = CommitHash(revision) { return commit }
        guard (try? SafeRelativePath(revision)) != nil else { return nil }
        return Self.readRef(at: root + "/" + repoFolder + "/refs/" + revision)?.commit
    }

    /// True when a snapshot entry exists and resolves to an existing file (a dangling link does not count).
    public func hasSnapshotFile(repoFolder: String, commit: CommitHash, path: SafeRelativePath) -> Bool {
        guard let full = try? snapshotFilePath(repoFolder: repoFolder, commit: commit, path: path) else { return false }
        var info = stat()
        return stat(full, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The size of a complete blob, nil when absent.
    public func blobSize(repoFolder: String, etag: BlobID) -> Int64? {
        var info = stat()
        guard stat(blobPath(repoFolder: repoFolder, etag: etag), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// A 40-character lower-case hex string, as huggingface_hub recognises commits.
    public static func isCommitHash(_ text: String) -> Bool { CommitHash.isCommitHash(text) }

    // MARK: - Writing

    /// Creates the root with `CACHEDIR.TAG` (backup tools skip tagged folders) when missing.
    public func prepareRoot() throws(CacheError) {
        try Self.makeFolder(root)
        let tag = root + "/CACHEDIR.TAG"
        if !FileManager.default.fileExists(atPath: tag) {
            let text = Self.cacheDirTagSignature + "\n# This file is a cache directory tag created by hubscout.\n# For information about cache directory tags see https://bford.info/cachedir/\n"
            try Self.writeAtomically(Data(text.utf8), to: tag)
        }
    }

    /// Creates `blobs/`, `snapshots/<commit>/` and `refs/` of a repository folder.
    public func prepareRepo(repoFolder: String, commit: CommitHash) throws(CacheError) {
        try Self.makeFolder(root + "/" + repoFolder + "/blobs")
        try Self.makeFolder(snapshotPath(repoFolder: repoFolder, commit: commit))
        try Self.makeFolder(root + "/" + repoFolder + "/refs")
    }

    /// Points `snapshots/<commit>/<path>` at `blobs/<etag>` with a relative link (one `../` per folder),
    /// replacing any older entry atomically.
    public func linkSnapshot(repoFolder: String, commit: CommitHash, path: SafeRelativePath, etag: BlobID) throws(CacheError) {
        let full = try snapshotFilePath(repoFolder: repoFolder, commit: commit, path: path)
        let folder = (full as NSString).deletingLastPathComponent
        try Self.makeFolder(folder)
        // From snapshots/<commit>/<folders…>/ up to the repository folder.
        let ups = String(repeating: "../", count: 2 + path.folderSegments.count)
        let target = ups + "blobs/" + etag.value
        if let existing = try? FileManager.default.destinationOfSymbolicLink(atPath: full), existing == target { return }
        let temporary = folder + "/.\(path.segments.last ?? "link").\(UInt32.random(in: 0...UInt32.max)).tmp"
        guard symlink(target, temporary) == 0 else {
            throw .fileSystem(path: full, operation: "create the link", message: String(cString: strerror(errno)))
        }
        guard rename(temporary, full) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw .fileSystem(path: full, operation: "create the link", message: message)
        }
    }

    /// Writes `refs/<revision>` = commit (no newline) atomically, only when the revision is not the
    /// commit itself and the content changes (read-only caches stay untouched). `refs/pr/1` → `refs/refs/pr/1`.
    public func writeRef(repoFolder: String, revision: String, commit: CommitHash) throws(CacheError) {
        guard revision != commit.value else { return }
        let relative = try SafeRelativePath(revision)
        let path = try relative.joined(under: root + "/" + repoFolder + "/refs")
        if let current = try? String(contentsOfFile: path, encoding: .utf8), current == commit.value { return }
        try Self.makeFolder((path as NSString).deletingLastPathComponent)
        try Self.writeAtomically(Data(commit.value.utf8), to: path)
    }

    // MARK: - Helpers

    /// `mkdir -p`, as a `CacheError`.
    package static func makeFolder(_ path: String) throws(CacheError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: path, operation: "create the folder", message: error.localizedDescription)
        }
    }

    /// Removes temporary siblings of `path` (`<name>.<pid>.<random>.tmp`) left by a writer that no longer
    /// runs (a process killed during `writeAtomically`); those of live processes are theirs to finish.
    package static func removeStaleTemporaries(of path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        let prefix = (path as NSString).lastPathComponent + "."
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "." }), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0, errno == ESRCH { unlink(folder + "/" + name) }
        }
    }

    /// Writes a small file through a temporary sibling and `rename`.
    package static func writeAtomically(_ data: Data, to path: String) throws(CacheError) {
        let temporary = path + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
        } catch {
            // A full disk leaves a short temporary file behind: never leave it.
            unlink(temporary)
            throw .fileSystem(path: path, operation: "write", message: error.localizedDescription)
        }
        guard rename(temporary, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw .fileSystem(path: path, operation: "write", message: message)
        }
    }
}
