import Foundation
import HubScoutCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open `.incomplete` file being filled by one or more ranged transfers, with its sidecar and the
/// running content hash.
///
/// Hashing runs in file order while ranges arrive out of order: bytes landing exactly at the hash
/// frontier are hashed from memory as they stream (so a single-connection download never re-reads);
/// bytes written ahead of the frontier (later ranges) are hashed from disk once the frontier reaches
/// them. Whichever thread finds the frontier idle does the work, so no extra thread is needed.
///
/// A class because it owns a file descriptor; `@unchecked Sendable` because all mutable state is
/// guarded by `lock`, except `digest`, which only the thread holding the `hashing` token touches.
final class PartialFile: @unchecked Sendable {
    let path: String
    let sidecarPath: String
    let displayName: String
    private let fd: Int32
    private let lock = NSLock()
    private var state: PartialState
    private var digest: ContentDigest
    private var frontier: Int64 = 0
    private var hashing = false
    private var abandoned = false
    private var lastPersist = Date.distantPast
    /// Bytes hashed from disk rather than from memory (reported, to show how often re-reads happen).
    private(set) var bytesRehashed: Int64 = 0

    /// Opens (creating) the partial file with the given state; the file is cut to the on-disk prefix
    /// the state can vouch for when the state is a single contiguous part.
    init(path: String, sidecarPath: String, displayName: String, state: PartialState, digestKind: BlobID.Kind) throws(CacheError) {
        self.path = path
        self.sidecarPath = sidecarPath
        self.displayName = displayName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CacheError.fileSystem(path: path, operation: "open", message: String(cString: strerror(errno))) }
        self.fd = fd
        self.state = state
        self.digest = ContentDigest(kind: digestKind, size: state.size)
    }

    deinit { close(fd) }

    /// Loads a sidecar if it belongs to this content; nil for a missing, foreign or inconsistent one.
    static func loadState(sidecarPath: String, etag: BlobID, size: Int64) -> PartialState? {
        guard let data = FileManager.default.contents(atPath: sidecarPath), data.count < 1 << 20,
              let state = try? SafeJSON.decode(PartialState.self, from: data),
              state.etag == etag, state.size == size, state.isConsistent else { return nil }
        return state
    }

    /// Size of a file on disk, 0 when absent.
    static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    // MARK: - State

    var snapshot: PartialState { lock.withLock { state } }

    var contentETag: String? { lock.withLock { state.contentETag } }

    func setContentETag(_ value: String?) {
        lock.withLock { if state.contentETag == nil { state.contentETag = value } }
    }

    /// Bytes on disk across all parts.
    var bytesDone: Int64 { lock.withLock { state.bytesDone } }

    /// Writes the sidecar now (atomically).
    func persist() {
        let data: Data? = lock.withLock {
            lastPersist = Date()
            return try? JSONEncoder().encode(state)
        }
        guard let data else { return }
        try? HubCache.writeAtomically(data, to: sidecarPath)
    }

    // MARK: - Writing

    /// Writes `bytes` at `offset` (part `index`), records them, persists the sidecar about once a second,
    /// and advances the hash. Called from transfer threads.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64, part index: Int) throws {
        var written = 0
        while written < bytes.count {
            let result = pwrite(fd, bytes.baseAddress! + written, bytes.count - written, off_t(offset) + off_t(written))
            if result < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == ENOSPC || code == EDQUOT || code == EFBIG {
                    let missing = lock.withLock { state.size - state.bytesDone }
                    throw DownloadError.diskFull(path: path, needed: missing, free: DiskSpace.available(at: path) ?? 0)
                }
                throw CacheError.fileSystem(path: path, operation: "write", message: String(cString: strerror(code)))
            }
            written += result
        }
        var hashHere = false
        var persistNow = false
        lock.withLock {
            let part = state.parts[index]
            state.parts[index].done = max(part.done, offset + Int64(bytes.count) - part.start)
            if !hashing, !abandoned, offset == frontier {
                hashing = true
                hashHere = true
            }
            persistNow = Date().timeIntervalSince(lastPersist) >= 1
        }
        if hashHere {
            digest.update(bytes)
            lock.withLock { frontier += Int64(bytes.count) }
            catchUpHoldingToken()
        }
        if persistNow { persist() }
    }

    /// Hashes whatever is on disk past the frontier (resume, and ranges that arrived early) unless
    /// another thread is already at it. Blocking: call from a transfer thread or `BlockingWork`.
    func catchUp() {
        let take: Bool = lock.withLock {
            guard !hashing, !abandoned else { return false }
            hashing = true
            return true
        }
        if take { catchUpHoldingToken() }
    }

    /// Stops all hashing work (the file is about to be reset or dropped).
    func abandon() { lock.withLock { abandoned = true } }

    private func catchUpHoldingToken() {
        let block = 1 << 20
        var buffer: UnsafeMutableRawBufferPointer?
        defer { buffer?.deallocate() }
        while true {
            // Find the bytes on disk contiguous with the frontier.
            let range: (Int64, Int64)? = lock.withLock {
                guard !abandoned else { hashing = false; return nil }
                guard let part = state.parts.first(where: { $0.start <= frontier && frontier < $0.end }) else {
                    hashing = false
                    return nil
                }
                let available = part.start + part.done
                guard available > frontier else { hashing = false; return nil }
                return (frontier, available)
            }
            guard let (from, to) = range else { return }
            if buffer == nil { buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: block, alignment: 16) }
            var offset = from
            while offset < to {
                let want = Int(min(Int64(block), to - offset))
                let got = pread(fd, buffer!.baseAddress!, want, off_t(offset))
                if got < 0, errno == EINTR { continue }
                guard got > 0 else {
                    // Unreadable: leave the frontier here; finalize() will report the mismatch.
                    lock.withLock { hashing = false }
                    return
                }
                digest.update(UnsafeRawBufferPointer(rebasing: buffer![0..<got]))
                offset += Int64(got)
                lock.withLock {
                    frontier = offset
                    bytesRehashed += Int64(got)
                }
            }
        }
    }

    /// After every transfer ended: hashes the rest, checks the size on disk, flushes to stable storage,
    /// and returns (hash to verify, sha256), or nil hashes if the bytes don't add up.
    func finalize(durable: Bool) throws -> (complete: Bool, verification: BlobID?, sha256: String?, sizeOnDisk: Int64) {
        catchUp()
        let (done, reachedEnd, size) = lock.withLock { (state.bytesDone, frontier == state.size, state.size) }
        var info = stat()
        let onDisk: Int64 = fstat(fd, &info) == 0 ? Int64(info.st_size) : -1
        guard done == size, onDisk == size, reachedEnd else { return (false, nil, nil, onDisk) }
        if durable, fsync(fd) != 0 {
            throw CacheError.fileSystem(path: path, operation: "flush", message: String(cString: strerror(errno)))
        }
        let result = digest.finalize()
        return (true, result.verification, result.sha256, onDisk)
    }

    /// Starts pushing written data to stable storage (blocking; call off the cooperative pool), so the
    /// final flush before publishing has little left to do.
    func flushWritten() {
        _ = fsync(fd)
    }

    /// Cuts the file to `length` bytes.
    func truncate(to length: Int64) {
        _ = ftruncate(fd, off_t(length))
    }

    /// Deletes the partial file and its sidecar.
    static func remove(path: String, sidecarPath: String) {
        unlink(path)
        unlink(sidecarPath)
    }
}
