import Foundation
import HubScoutCache
import HubScoutCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Imports a bundle into a Hugging Face cache, streaming: each member is checked (`MemberStream`),
/// written into `blobs/<sha256 or git id>` through a temporary file while it is hashed, renamed into place
/// once it matches, and linked from `snapshots/<commit>/<path>`. A blob already present is not written
/// again (a rerun of a cut import resumes that way, and identical files are shared). A repository's refs
/// are written once all its files are in, and a ref that points at another commit stays unless `force`:
/// both revisions are kept.
///
/// Before anything is written: the manifest is checked, names that differ only in case are refused on a
/// case-insensitive disk, and the free space must hold every blob still missing.
public struct BundleImporter: Sendable {
    /// How an import behaves.
    public struct Options: Sendable {
        /// Move refs that point at another commit.
        public var force: Bool
        /// Flush each blob to stable storage before it is published.
        public var durable: Bool
        /// Whether the cache's disk folds case; nil probes it.
        public var caseInsensitive: Bool?
        /// Replaces the `statvfs` free-space figure (tests).
        public var availableSpace: (@Sendable (String) -> Int64?)?

        public init(force: Bool = false, durable: Bool = true, caseInsensitive: Bool? = nil,
                    availableSpace: (@Sendable (String) -> Int64?)? = nil) {
            self.force = force
            self.durable = durable
            self.caseInsensitive = caseInsensitive
            self.availableSpace = availableSpace
        }
    }

    /// The cache written into.
    public let cache: HubCache
    public let options: Options

    public init(cache: HubCache, options: Options = Options()) {
        self.cache = cache
        self.options = options
    }

    /// Imports the bundle at `path` (or its volumes `path.000`…).
    public func `import`(_ path: String, progress: (@Sendable (BundleProgress) -> Void)? = nil) async throws(BundleError) -> BundleImportResult {
        let cache = cache, options = options
        return try await BundleWork.run { () throws(BundleError) in
            try Self.run(path, cache: cache, options: options, progress: progress)
        }
    }

    /// Where one repository revision goes.
    private struct Target {
        var repo: ManifestIndex.Repo
        var folder: String
        var remaining: Int
    }

    private static func run(_ path: String, cache: HubCache, options: Options,
                            progress: (@Sendable (BundleProgress) -> Void)?) throws(BundleError) -> BundleImportResult {
        let stream = try MemberStream(path: path)
        let index = stream.index

        do { try cache.prepareRoot() } catch { throw .cache(error) }
        if options.caseInsensitive ?? CaseSensitivity.isCaseInsensitive(at: cache.root), let (first, second) = index.caseCollision() {
            throw .caseCollision(first, second)
        }

        // Where each revision goes, and what is still missing.
        var targets: [Target] = []
        for repo in index.repos {
            targets.append(Target(repo: repo, folder: cache.repoFolderName(for: repo.id), remaining: repo.members.count))
        }
        var missingBlobs: [String: Int64] = [:]
        for member in index.order {
            guard let entry = index.entries[member] else { continue }
            let folder = targets[entry.repoIndex].folder
            if isPresent(entry, folder: folder, cache: cache) { continue }
            if cache.blobSize(repoFolder: folder, etag: entry.blob) == entry.size { continue }
            missingBlobs[folder + "/" + entry.blob.value] = entry.size
        }
        let needed = ByteTotal.saturatingSum(missingBlobs.values)
        if needed > 0, let available = options.availableSpace?(cache.root) ?? DiskSpace.available(at: cache.root), needed > available {
            throw .diskFull(path: cache.root, needed: needed, available: available)
        }

        for target in targets {
            do { try cache.prepareRepo(repoFolder: target.folder, commit: target.repo.commit) } catch { throw .cache(error) }
        }

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var imported = 0, skipped = 0, done = 0
        var bytesWritten: Int64 = 0, bytesDone: Int64 = 0
        var results: [BundleImportResult.Repo?] = Array(repeating: nil, count: targets.count)
        while let entry = try stream.next() {
            let folder = targets[entry.repoIndex].folder
            var wasSkipped = true
            if isPresent(entry, folder: folder, cache: cache) {
                try stream.skipContent()
            } else {
                if cache.blobSize(repoFolder: folder, etag: entry.blob) == entry.size {
                    try stream.skipContent()
                } else {
                    bytesWritten += try BlobWriter.write(entry, from: stream, to: cache.blobPath(repoFolder: folder, etag: entry.blob),
                                                         buffer: buffer, durable: options.durable)
                    wasSkipped = false
                }
                do { try cache.linkSnapshot(repoFolder: folder, commit: entry.commit, path: entry.path, etag: entry.blob) } catch {
                    throw .cache(error)
                }
            }
            if wasSkipped { skipped += 1 } else { imported += 1 }
            done += 1
            bytesDone += entry.size
            progress?(BundleProgress(phase: .importing, member: entry.member, repo: entry.repo.description, path: entry.path.value,
                                     size: entry.size, skipped: wasSkipped, filesDone: done,
                                     filesTotal: index.order.count, bytesDone: bytesDone, bytesTotal: index.totalBytes))
            targets[entry.repoIndex].remaining -= 1
            if targets[entry.repoIndex].remaining == 0 {
                results[entry.repoIndex] = try publishRefs(targets[entry.repoIndex], cache: cache, force: options.force)
            }
        }
        // Revisions with no file at all (an empty selection cannot be written, but a hand-made manifest may list one).
        for (position, target) in targets.enumerated() where results[position] == nil {
            results[position] = try publishRefs(target, cache: cache, force: options.force)
        }
        return BundleImportResult(repos: results.compactMap { $0 }, filesImported: imported, filesSkipped: skipped, bytesWritten: bytesWritten)
    }

    /// True when the snapshot entry already resolves to a regular file of the listed size.
    private static func isPresent(_ entry: ManifestIndex.Entry, folder: String, cache: HubCache) -> Bool {
        guard let full = try? cache.snapshotFilePath(repoFolder: folder, commit: entry.commit, path: entry.path) else { return false }
        var info = stat()
        guard stat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return Int64(info.st_size) == entry.size
    }

    /// Writes the revision's refs once all its files are in; a ref at another commit moves only with `force`.
    private static func publishRefs(_ target: Target, cache: HubCache, force: Bool) throws(BundleError) -> BundleImportResult.Repo {
        var written: [String] = [], kept: [BundleImportResult.RefConflict] = [], moved: [BundleImportResult.RefConflict] = []
        let commit = target.repo.commit
        for ref in target.repo.refs {
            if let current = cache.commit(repoFolder: target.folder, revision: ref), current != commit {
                let conflict = BundleImportResult.RefConflict(ref: ref, cacheCommit: current.value, bundleCommit: commit.value)
                guard force else {
                    kept.append(conflict)
                    continue
                }
                moved.append(conflict)
            }
            do { try cache.writeRef(repoFolder: target.folder, revision: ref, commit: commit) } catch { throw .cache(error) }
            written.append(ref)
        }
        return BundleImportResult.Repo(id: target.repo.id.description, commit: commit.value,
                                       snapshotPath: cache.snapshotPath(repoFolder: target.folder, commit: commit),
                                       refsWritten: written, refsKept: kept, refsMoved: moved)
    }
}
