import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory `flock` on a lock file, as huggingface_hub takes on `.locks/<repo>/<etag>.lock`:
/// two processes (or two downloaders in one process) working on one blob take turns.
/// A class because it owns the file descriptor, which is closed (releasing the lock) in `release` or `deinit`;
/// `@unchecked Sendable` because the descriptor is only touched under `lock`.
public final class FileLock: @unchecked Sendable {
    /// The lock file's path.
    public let path: String
    private var fd: Int32
    private let lock = NSLock()

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Takes the lock, waiting without blocking a thread: polls every 200 ms and calls `onWait` once
    /// if another holder makes it wait. Creates the lock file (0664, so shared caches stay usable).
    public static func acquire(_ path: String, onWait: (@Sendable () -> Void)? = nil) async throws -> FileLock {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw CacheError.fileSystem(path: folder, operation: "create the lock folder", message: "\(error.localizedDescription)")
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o664)
        guard fd >= 0 else {
            throw CacheError.fileSystem(path: path, operation: "open the lock file", message: String(cString: strerror(errno)))
        }
        var waited = false
        while true {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return FileLock(path: path, fd: fd) }
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                // Filesystems without flock (some network mounts): fall back to no lock; the atomic
                // rename of a verified file keeps the result correct, as huggingface_hub's soft lock does.
                if code == ENOLCK || code == EOPNOTSUPP || code == ENOSYS { return FileLock(path: path, fd: fd) }
                close(fd)
                throw CacheError.fileSystem(path: path, operation: "lock", message: String(cString: strerror(code)))
            }
            if !waited { waited = true; onWait?() }
            do {
                try await Task.sleep(nanoseconds: 200_000_000)
            } catch {
                close(fd)
                throw error
            }
        }
    }

    /// Releases the lock (idempotent).
    public func release() {
        lock.withLock {
            guard fd >= 0 else { return }
            flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}
