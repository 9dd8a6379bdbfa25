import Foundation
import HubScoutCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a Hugging Face cache (`models--org--name/{blobs,refs,snapshots}`) without changing it, whoever
/// wrote it: huggingface_hub, llama.cpp's `-hf` downloads or hubscout. Snapshot entries may be relative
/// links into `blobs/` (the usual layout) or plain files (caches made without symlinks); sizes count every
/// file once, by device and inode, so hard links and shared blobs are never counted twice.
public struct CacheScanner: Sendable {
    /// The cache root.
    public let root: String
    /// Most entries read in one snapshot or blob folder (a hostile or runaway tree stops there, with a warning).
    public var maxEntries: Int
    /// Deepest folder nesting followed inside a snapshot.
    public var maxDepth: Int

    /// A scanner of the cache at `root`.
    public init(root: String, maxEntries: Int = 1_000_000, maxDepth: Int = 64) {
        self.root = HubCache(root: root).root
        self.maxEntries = maxEntries
        self.maxDepth = maxDepth
    }


    /// Scans every model repository (a missing root is an empty cache).
    public func scan() -> CacheInventory {
        var warnings: [String] = []
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else {
            return CacheInventory(root: root, repos: [], warnings: [])
        }
        var repos: [CachedRepo] = []
        for folder in entries.sorted() where folder.hasPrefix("models--") {
            guard RepoID(cacheFolderName: folder) != nil else {
                warnings.append("\(root)/\(folder) is not a valid repository folder name; skipped")
                continue
            }
            if let repo = scanRepo(folder: folder, warnings: &warnings) { repos.append(repo) }
        }
        return CacheInventory(root: root, repos: repos, warnings: warnings)
    }

    /// Scans one repository folder (e.g. `models--org--name`); nil when it is not a folder.
    public func scanRepo(folder: String, warnings: inout [String]) -> CachedRepo? {
        guard let id = RepoID(cacheFolderName: folder) else { return nil }
        let repoPath = root + "/" + folder
        guard Self.isDirectory(repoPath) else { return nil }
        let refs = readRefs(repoPath + "/refs", warnings: &warnings)
        var counted = Set<FileIdentity>()
        var total: Int64 = 0

        // Blobs and partial downloads.
        var blobs: [String: CachedBlob] = [:]
        var incomplete: [IncompleteFile] = []
        let blobFolder = repoPath + "/blobs"
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: blobFolder)) ?? []).prefix(maxEntries).sorted() {
            let path = blobFolder + "/" + name
            guard let info = Self.lstatInfo(path), info.isRegular else { continue }
            if name.hasSuffix(".incomplete") {
                incomplete.append(IncompleteFile(path: path, size: info.size, modified: info.modified))
            } else if name.hasSuffix(".incomplete.json") || name.hasPrefix(".") {
                // hubscout's resume sidecar and temporary files belong to a partial download.
                incomplete.append(IncompleteFile(path: path, size: info.size, modified: info.modified))
            } else {
                blobs[name] = CachedBlob(name: name, path: path, size: info.size, accessed: info.accessed, modified: info.modified, referencedBy: [])
            }
            if counted.insert(info.identity).inserted { total = ByteTotal.adding(total, info.size) }
        }

        // Snapshots.
        var revisions: [CachedRevision] = []
        let snapshotsFolder = repoPath + "/snapshots"
        for commit in ((try? FileManager.default.contentsOfDirectory(atPath: snapshotsFolder)) ?? []).sorted() {
            let path = snapshotsFolder + "/" + commit
            // A real folder only: a link (to `/`, `~`…) would make the scan walk and count whatever it points at.
            guard let entry = Self.lstatInfo(path) else { continue }
            if entry.isSymlink { warnings.append("\(path) is a link, not a snapshot folder; not followed") }
            guard entry.isDirectory else { continue }
            var files: [CachedFile] = []
            var seen = Set<FileIdentity>()
            var size: Int64 = 0
            var accessed: Date?
            var modified: Date?
            walk(path, relative: "", depth: 0, repoPath: repoPath, files: &files, warnings: &warnings) { identity, info, blobName in
                if seen.insert(identity).inserted { size = ByteTotal.adding(size, info.size) }
                if counted.insert(identity).inserted { total = ByteTotal.adding(total, info.size) }
                let used = max(info.accessed, info.modified)
                accessed = max(accessed ?? used, used)
                modified = max(modified ?? info.modified, info.modified)
                if let blobName, blobs[blobName] != nil, blobs[blobName]?.referencedBy.last != commit {
                    blobs[blobName]?.referencedBy.append(commit)
                }
            }
            let names = refs.filter { $0.value == commit }.map(\.key).sorted { Self.refOrder($0, $1) }
            revisions.append(CachedRevision(commit: commit, refs: names, path: path, files: files.sorted { $0.path < $1.path },
                                            sizeOnDisk: size, lastAccessed: accessed, lastModified: modified))
        }
        for (name, commit) in refs.sorted(by: { $0.key < $1.key }) where !revisions.contains(where: { $0.commit == commit }) {
            warnings.append("\(id): ref '\(name)' points to \(commit), which has no snapshot folder")
        }
        revisions.sort { ($0.lastAccessed ?? .distantPast) > ($1.lastAccessed ?? .distantPast) }
        return CachedRepo(id: id.description, folder: folder, path: repoPath, revisions: revisions, refs: refs,
                          blobs: blobs.values.sorted { $0.name < $1.name }, incomplete: incomplete, sizeOnDisk: total,
                          lastAccessed: revisions.compactMap(\.lastAccessed).max())
    }

    /// `main` first, then other branches and tags, then `refs/pr/*`.
    static func refOrder(_ a: String, _ b: String) -> Bool {
        func rank(_ s: String) -> Int { s == "main" ? 0 : (s.hasPrefix("refs/") ? 2 : 1) }
        return rank(a) == rank(b) ? a < b : rank(a) < rank(b)
    }

    /// Every file under `refs/` (nested for `refs/pr/1`) whose content is a 40-hex commit.
    private func readRefs(_ folder: String, warnings: inout [String]) -> [String: String] {
        var refs: [String: String] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return refs }
        var count = 0
        while let relative = enumerator.nextObject() as? String {
            count += 1
            if count > 10_000 { warnings.append("\(folder): more than 10,000 refs; the rest were skipped"); break }
            let path = folder + "/" + relative
            guard let info = Self.lstatInfo(path), info.isRegular, info.size <= 4096,
                  let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let commit = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if HubCache.isCommitHash(commit) {
                refs[relative] = commit
            } else {
                warnings.append("\(path) does not hold a commit hash; ignored")
            }
        }
        return refs
    }

    /// Walks a snapshot folder, reporting each file with its identity and the blob it links to.
    private func walk(_ folder: String, relative: String, depth: Int, repoPath: String, files: inout [CachedFile],
                      warnings: inout [String], visit: (FileIdentity, FileInfo, String?) -> Void) {
        guard depth <= maxDepth else {
            warnings.append("\(folder): nested deeper than \(maxDepth) folders; not followed")
            return
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            warnings.append("\(folder) cannot be read")
            return
        }
        for name in entries.sorted() {
            if files.count >= maxEntries {
                warnings.append("\(folder): more than \(maxEntries) files; the rest were skipped")
                return
            }
            let path = folder + "/" + name
            let repoPathInside = relative.isEmpty ? name : relative + "/" + name
            guard let link = Self.lstatInfo(path) else { continue }
            if link.isDirectory {
                walk(path, relative: repoPathInside, depth: depth + 1, repoPath: repoPath, files: &files, warnings: &warnings, visit: visit)
                continue
            }
            var blobName: String?
            if link.isSymlink, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                let absolute = target.hasPrefix("/") ? target : (folder + "/" + target)
                let resolved = (absolute as NSString).standardizingPath
                let blobsPrefix = (repoPath as NSString).standardizingPath + "/blobs/"
                if resolved.hasPrefix(blobsPrefix), !resolved.dropFirst(blobsPrefix.count).contains("/") {
                    blobName = String(resolved.dropFirst(blobsPrefix.count))
                }
            }
            guard let info = link.isSymlink ? Self.statInfo(path) : link, info.isRegular else {
                files.append(CachedFile(path: repoPathInside, blob: blobName, size: 0, missing: true))
                continue
            }
            files.append(CachedFile(path: repoPathInside, blob: blobName, size: info.size, missing: false))
            visit(info.identity, info, blobName)
        }
    }

    // MARK: - File facts

    /// Device and inode: the identity of a file's content on disk.
    struct FileIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// What `stat` says about a path.
    struct FileInfo {
        var identity: FileIdentity
        var size: Int64
        var mode: UInt32
        var accessed: Date
        var modified: Date

        var isRegular: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFREG) }
        var isDirectory: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFDIR) }
        var isSymlink: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFLNK) }

        init(_ s: stat) {
            identity = FileIdentity(device: UInt64(s.st_dev), inode: UInt64(s.st_ino))
            size = Int64(s.st_size)
            mode = UInt32(s.st_mode)
            #if os(macOS)
            accessed = Date(timeIntervalSince1970: Double(s.st_atimespec.tv_sec) + Double(s.st_atimespec.tv_nsec) / 1e9)
            modified = Date(timeIntervalSince1970: Double(s.st_mtimespec.tv_sec) + Double(s.st_mtimespec.tv_nsec) / 1e9)
            #else
            accessed = Date(timeIntervalSince1970: Double(s.st_atim.tv_sec) + Double(s.st_atim.tv_nsec) / 1e9)
            modified = Date(timeIntervalSince1970: Double(s.st_mtim.tv_sec) + Double(s.st_mtim.tv_nsec) / 1e9)
            #endif
        }
    }

    /// `lstat` (the link itself).
    static func lstatInfo(_ path: String) -> FileInfo? {
        var s = stat()
        return lstat(path, &s) == 0 ? FileInfo(s) : nil
    }

    /// `stat` (following links).
    static func statInfo(_ path: String) -> FileInfo? {
        var s = stat()
        return stat(path, &s) == 0 ? FileInfo(s) : nil
    }

    static func isDirectory(_ path: String) -> Bool { statInfo(path)?.isDirectory ?? false }
}
