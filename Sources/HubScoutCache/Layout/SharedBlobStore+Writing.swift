import Foundation
import HubScoutCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Changing the shared store the way huggingface_hub 2.x does: manifest lines are added and removed under the
/// per-hash `<xet hash>.lock` (`flock`, so hubscout and Python take turns), and a store blob is deleted only after the
/// links on disk, not the manifest, show that no repository entry resolves to it. Blocking work: callers run it off
/// their actors.
extension SharedBlobStore {
    /// `<store>/<xh[0:2]>/<xh>`.
    public func blobPath(_ hash: String) -> String { path + "/" + hash.prefix(2) + "/" + hash }
    /// The manifest listing the repository entries linking to `hash`.
    public func manifestPath(_ hash: String) -> String { blobPath(hash) + ".refs" }
    /// The per-hash lock huggingface_hub takes while changing a manifest.
    public func lockPath(_ hash: String) -> String { blobPath(hash) + ".lock" }

    /// The manifest line naming a repository's blob entry: `models--org--name/blobs/<etag>`.
    public static func entryName(repoFolder: String, blob: String) -> String { repoFolder + "/blobs/" + blob }

    /// Every store blob: regular files named by a 64-hex hash in the folder of their first two characters.
    public func blobs(limit: Int = 1_000_000) -> [StoreBlob] {
        var found: [StoreBlob] = []
        for folder in FileFacts.names(in: path, limit: 4096) where folder.count == 2 {
            let folderPath = path + "/" + folder
            guard FileFacts.lstat(folderPath)?.isDirectory == true else { continue }
            for name in FileFacts.names(in: folderPath, limit: limit) where found.count < limit {
                guard BlobID(name)?.isSHA256 == true, name.hasPrefix(folder), let facts = FileFacts.lstat(folderPath + "/" + name),
                      facts.isRegular else { continue }
                found.append(StoreBlob(hash: name, path: folderPath + "/" + name, facts: facts, manifest: manifestLines(name)))
            }
        }
        return found.sorted { $0.hash < $1.hash }
    }

    /// The lines of `hash`'s manifest (empty when missing, oversized or unreadable).
    public func manifestLines(_ hash: String) -> [String] {
        let manifest = manifestPath(hash)
        guard let facts = FileFacts.lstat(manifest), facts.isRegular, facts.size <= Self.maxManifestBytes,
              let data = FileManager.default.contents(atPath: manifest) else { return [] }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Adds `entry` to `hash`'s manifest (once), under the per-hash lock.
    public func addManifestEntry(_ entry: String, to hash: String) throws(CacheError) {
        try rewriteManifest(hash) { lines in if !lines.contains(entry) { lines.append(entry) } }
    }

    /// Removes `entry` from `hash`'s manifest, under the per-hash lock; the manifest goes when it lists nothing.
    public func removeManifestEntry(_ entry: String, from hash: String) throws(CacheError) {
        try rewriteManifest(hash) { lines in lines.removeAll { $0 == entry } }
    }

    /// Makes `repoFolder/blobs/<blob>` a relative link to store blob `hash` (`../../blobs/<xx>/<hash>`), replacing
    /// nothing: an existing entry is left alone. Then lists it in the manifest.
    public func linkRepositoryBlob(cacheRoot: String, repoFolder: String, blob: BlobID, to hash: String) throws(CacheError) {
        let entry = cacheRoot + "/" + repoFolder + "/blobs/" + blob.value
        let target = "../../blobs/" + hash.prefix(2) + "/" + hash
        if FileFacts.lstat(entry) == nil {
            let temporary = cacheRoot + "/" + repoFolder + "/blobs/." + blob.value + ".\(UInt32.random(in: 0...UInt32.max)).tmp"
            guard symlink(target, temporary) == 0 else {
                throw .fileSystem(path: entry, operation: "link to the shared store", message: String(cString: strerror(errno)))
            }
            // link(2)-style publication: rename would replace an entry that appeared meanwhile; that entry is as good.
            guard rename(temporary, entry) == 0 else {
                let message = String(cString: strerror(errno))
                unlink(temporary)
                throw .fileSystem(path: entry, operation: "link to the shared store", message: message)
            }
        }
        guard FileFacts.realPath(entry) == blobPath(hash) else {
            throw .fileSystem(path: entry, operation: "link to the shared store", message: "another file is already there")
        }
        try addManifestEntry(Self.entryName(repoFolder: repoFolder, blob: blob.value), to: hash)
    }

    /// The repository entries (`models--…/blobs/<name>`) under `cacheRoot` that resolve to store blob `hash` now:
    /// the truth about who uses it, read from the links themselves.
    public func linkingEntries(cacheRoot: String, hash: String) -> [String] {
        let blob = blobPath(hash)
        var entries: [String] = []
        for repo in FileFacts.names(in: cacheRoot, limit: 1_000_000) where repo.hasPrefix("models--") || repo.hasPrefix("datasets--") || repo.hasPrefix("spaces--") {
            let blobs = cacheRoot + "/" + repo + "/blobs"
            guard FileFacts.lstat(blobs)?.isDirectory == true else { continue }
            for name in FileFacts.names(in: blobs) {
                let candidate = blobs + "/" + name
                guard FileFacts.lstat(candidate)?.isSymlink == true, FileFacts.realPath(candidate) == blob else { continue }
                entries.append(Self.entryName(repoFolder: repo, blob: name))
            }
        }
        return entries.sorted()
    }

    /// Deletes store blob `hash` (and its manifest) when no repository entry links to it any more; returns the bytes
    /// freed (0 when it stays or is gone). Checked under the per-hash lock, so a concurrent link is never orphaned.
    @discardableResult
    public func releaseIfUnlinked(cacheRoot: String, hash: String) throws(CacheError) -> Int64 {
        try withLock(hash) { () throws(CacheError) -> Int64 in
            let blob = blobPath(hash)
            guard let facts = FileFacts.lstat(blob), facts.isRegular else { return 0 }
            guard linkingEntries(cacheRoot: cacheRoot, hash: hash).isEmpty else { return 0 }
            guard unlink(blob) == 0 else {
                throw .fileSystem(path: blob, operation: "delete the unused store blob", message: String(cString: strerror(errno)))
            }
            unlink(manifestPath(hash))
            return facts.size
        }
    }

    // MARK: - Locking

    private func rewriteManifest(_ hash: String, _ change: (inout [String]) -> Void) throws(CacheError) {
        try withLock(hash) { () throws(CacheError) in
            var lines = manifestLines(hash)
            let before = lines
            change(&lines)
            guard lines != before else { return }
            let manifest = manifestPath(hash)
            if lines.isEmpty {
                unlink(manifest)
            } else {
                try HubCache.writeAtomically(Data((lines.joined(separator: "\n") + "\n").utf8), to: manifest)
            }
        }
    }

    /// Runs `body` holding `<hash>.lock` (blocking `flock`; these critical sections are a few file operations).
    func withLock<T>(_ hash: String, _ body: () throws(CacheError) -> T) throws(CacheError) -> T {
        let lock = lockPath(hash)
        let fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o666)
        guard fd >= 0 else {
            throw .fileSystem(path: lock, operation: "open the store lock", message: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            let code = errno
            if code == EINTR { continue }
            // No flock on this filesystem: go on unlocked, as huggingface_hub's soft lock does.
            if code == ENOLCK || code == EOPNOTSUPP || code == ENOSYS { break }
            throw .fileSystem(path: lock, operation: "lock", message: String(cString: strerror(code)))
        }
        return try body()
    }
}

/// One file of the shared store.
public struct StoreBlob: Sendable, Equatable {
    /// The xet hash naming it.
    public var hash: String
    /// Its path.
    public var path: String
    /// Its `lstat`.
    public var facts: FileFacts
    /// What its manifest lists (a hint only).
    public var manifest: [String]
}
