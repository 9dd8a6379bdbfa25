import Foundation
import HubScoutCache
import HubScoutCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One revision of a repository as the local cache holds it, read for a bundle: the files a spec and
/// a selection keep, where their bytes are, and the blob id each must hash to.
///
/// A snapshot entry that links to `blobs/<id>` takes its id from the blob's name (checked again while
/// the bundle is written). A plain file (a cache written without symlinks) or a link elsewhere is hashed
/// first: sha256 when `LFSRule.standard` calls it an LFS file (1 MiB or more, or a weights/archive
/// extension), else its git blob id.
struct CachedSnapshot: Sendable {
    /// One file to copy into the bundle.
    struct File: Sendable {
        /// Path inside the repository.
        var path: SafeRelativePath
        /// The file whose bytes are read (the blob, or the plain snapshot file).
        var source: String
        var size: Int64
        var blob: BlobID
    }

    var repo: RepoID
    var commit: CommitHash
    var revision: String
    var refs: [String]
    var files: [File]
    var card: String?
    var config: JSONValue?

    /// Most files read from one snapshot.
    static let maxFiles = 1_000_000
    /// Deepest folder nesting followed.
    static let maxDepth = 64
    /// The largest card and config copied into the manifest.
    static let maxCardBytes: Int64 = 1 << 20
    static let maxConfigBytes: Int64 = 4 << 20

    /// Reads `spec`'s revision from `cache`, keeping what `selection` keeps.
    init(spec: BundleSpec, cache: HubCache, selection: BundleSelection) throws(BundleError) {
        let revision = spec.effectiveRevision
        let folder = cache.repoFolderName(for: spec.repo)
        let repoPath = cache.root + "/" + folder
        guard Self.isDirectory(repoPath, followingLinks: true) else {
            throw .notCached(repo: spec.repo.description, revision: revision, cache: cache.root, detail: "there is no \(folder) folder")
        }
        guard let commit = cache.commit(repoFolder: folder, revision: revision) else {
            throw .notCached(repo: spec.repo.description, revision: revision, cache: cache.root, detail: "no refs/\(revision) names a commit")
        }
        let snapshot = cache.snapshotPath(repoFolder: folder, commit: commit)
        guard Self.isDirectory(snapshot, followingLinks: false) else {
            throw .notCached(repo: spec.repo.description, revision: revision, cache: cache.root, detail: "the snapshot \(commit.value) is missing")
        }
        repo = (RepoID(cacheFolderName: folder)) ?? spec.repo
        self.commit = commit
        self.revision = revision
        refs = Self.refs(repoPath + "/refs", commit: commit)

        var found: [(SafeRelativePath, String, Int64, BlobID?)] = []
        try Self.walk(snapshot, relative: "", depth: 0, repoPath: repoPath, spec: spec, cache: cache) { path, source, size, blob throws(BundleError) in
            guard selection.keeps(path.value, quant: spec.quant) else { return }
            guard found.count < Self.maxFiles else {
                throw .notCached(repo: spec.repo.description, revision: revision, cache: cache.root, detail: "more than \(Self.maxFiles) files")
            }
            found.append((path, source, size, blob))
        }
        guard !found.isEmpty else {
            if selection.include.isEmpty, selection.exclude.isEmpty, spec.quant == nil {
                throw .notCached(repo: spec.repo.description, revision: revision, cache: cache.root, detail: "the snapshot \(commit.value) holds no file")
            }
            throw .nothingSelected(repo: spec.repo.description, filters: selection.describe(quant: spec.quant))
        }
        var files: [File] = []
        for (path, source, size, blob) in found.sorted(by: { $0.0.value < $1.0.value }) {
            let id: BlobID
            if let blob { id = blob } else { id = try Self.hash(source, path: path, size: size, repo: spec.repo.description) }
            files.append(File(path: path, source: source, size: size, blob: id))
        }
        self.files = files
        card = files.first { $0.path.value == "README.md" && $0.size <= Self.maxCardBytes }
            .flatMap { try? Data(contentsOf: URL(fileURLWithPath: $0.source)) }
            .map { String(decoding: $0, as: UTF8.self) }
        config = files.first { $0.path.value == "config.json" && $0.size <= Self.maxConfigBytes }
            .flatMap { try? Data(contentsOf: URL(fileURLWithPath: $0.source)) }
            .flatMap { try? SafeJSON.decode(JSONValue.self, from: $0) }
    }

    /// The manifest entry (model info added by the caller when known).
    func manifestRepo(modelInfo: JSONValue?) -> BundleManifest.Repo {
        BundleManifest.Repo(id: repo.description, commit: commit.value, revision: revision, refs: refs, modelInfo: modelInfo, card: card,
                            config: config, files: files.map { BundleManifest.File(path: $0.path.value, size: $0.size, blob: $0.blob) })
    }

    // MARK: - Reading the cache

    /// Walks a snapshot folder without following linked folders, reporting each file with the file its
    /// bytes are in and, for links into `blobs/`, the blob id.
    private static func walk(_ folder: String, relative: String, depth: Int, repoPath: String, spec: BundleSpec, cache: HubCache,
                             visit: (SafeRelativePath, String, Int64, BlobID?) throws(BundleError) -> Void) throws(BundleError) {
        guard depth <= maxDepth else {
            throw .notCached(repo: spec.repo.description, revision: spec.effectiveRevision, cache: cache.root, detail: "\(folder) is nested too deep")
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted() } catch {
            throw .fileSystem(path: folder, operation: "list", message: error.localizedDescription)
        }
        for name in names {
            let full = folder + "/" + name
            let inside = relative.isEmpty ? name : relative + "/" + name
            var link = stat()
            guard lstat(full, &link) == 0 else { continue }
            if (link.st_mode & S_IFMT) == S_IFDIR {
                try walk(full, relative: inside, depth: depth + 1, repoPath: repoPath, spec: spec, cache: cache, visit: visit)
                continue
            }
            let path: SafeRelativePath
            do { path = try SafeRelativePath(inside) } catch { throw .cache(error) }
            var blob: BlobID?
            var source = full
            if (link.st_mode & S_IFMT) == S_IFLNK, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: full) {
                let absolute = ((target.hasPrefix("/") ? target : folder + "/" + target) as NSString).standardizingPath
                let blobs = (repoPath as NSString).standardizingPath + "/blobs/"
                if absolute.hasPrefix(blobs), let id = BlobID(absolute.dropFirst(blobs.count)) {
                    blob = id
                    source = absolute
                }
            }
            var info = stat()
            guard stat(source, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                throw .notCached(repo: spec.repo.description, revision: spec.effectiveRevision, cache: cache.root,
                                 detail: "the content of \(inside) is missing (a dangling link or a partial download)")
            }
            try visit(path, source, Int64(info.st_size), blob)
        }
    }

    /// The ref names (nested for `refs/pr/1`) whose file holds `commit`.
    private static func refs(_ folder: String, commit: CommitHash) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var names: [String] = []
        var count = 0
        while let relative = walker.nextObject() as? String, count < 10_000 {
            count += 1
            let full = folder + "/" + relative
            var info = stat()
            guard lstat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= 4096,
                  let text = try? String(contentsOfFile: full, encoding: .utf8),
                  text.trimmingCharacters(in: .whitespacesAndNewlines) == commit.value,
                  (try? SafeRelativePath(relative)) != nil else { continue }
            names.append(relative)
        }
        return names.sorted { ($0 == "main" ? 0 : 1, $0) < ($1 == "main" ? 0 : 1, $1) }
    }

    /// The blob id of a file that is not stored under one: hashed here, once.
    private static func hash(_ source: String, path: SafeRelativePath, size: Int64, repo: String) throws(BundleError) -> BlobID {
        let kind = LFSRule.standard.digestKind(path: path.value, size: size)
        let fd = open(source, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .fileSystem(path: source, operation: "open", message: POSIXIO.errorText) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var digest = BlobDigest(kind: kind, size: size)
        var total: Int64 = 0
        while true {
            let count = POSIXIO.read(fd, buffer)
            guard count >= 0 else { throw .fileSystem(path: source, operation: "read", message: POSIXIO.errorText) }
            if count == 0 { break }
            digest.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            total += Int64(count)
        }
        guard total == size, let id = BlobID(digest.finalize()) else {
            throw .corruptCache(repo: repo, path: path.value, expected: "\(size) bytes", actual: "\(total) bytes (the file changed while it was read)")
        }
        return id
    }

    private static func isDirectory(_ path: String, followingLinks: Bool) -> Bool {
        var info = stat()
        let status = followingLinks ? stat(path, &info) : lstat(path, &info)
        return status == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
