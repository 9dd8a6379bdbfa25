import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a bundle's bytes go: one file, or numbered volumes (`FILE.000`, `FILE.001`…) of at most
/// `volumeSize` bytes for media with a file-size limit. Everything is written under temporary names
/// and renamed into place only when the bundle is complete; the sha256 of the whole byte stream (of
/// the volumes end to end) is computed on the way.
///
/// Used from one thread (libarchive's write callback); not `Sendable`.
final class VolumeSink {
    /// The output path (the first volume's name without its number when split).
    let path: String
    /// Most bytes per volume; nil writes one file.
    let volumeSize: Int64?
    /// Bytes written so far.
    private(set) var bytesWritten: Int64 = 0
    /// The first error a write met (libarchive only sees -1).
    var failure: BundleError?

    /// The whole stream's sha256, computed on a thread of its own.
    private let hasher = BackgroundHasher()
    private var fd: Int32 = -1
    private var volumeBytes: Int64 = 0
    private var published: [(temporary: String, final: String)] = []
    private var aborted = false

    /// Refuses to overwrite: the output (or its first volume) must not exist.
    init(path: String, volumeSize: Int64?) throws(BundleError) {
        self.path = path
        self.volumeSize = volumeSize.map { max($0, 1 << 20) }
        let first = volumeSize == nil ? path : Self.volumeName(path, 0)
        if FileManager.default.fileExists(atPath: first) || (volumeSize == nil && FileManager.default.fileExists(atPath: Self.volumeName(path, 0))) {
            throw .outputExists(first)
        }
        hasher.start(kind: .sha256, size: 0)
        try openNext()
    }

    deinit {
        hasher.stop()
        if fd >= 0 { close(fd) }
    }

    /// `FILE.000`, `FILE.001`…
    static func volumeName(_ path: String, _ index: Int) -> String {
        path + "." + (index < 1000 ? String(format: "%03d", index) : String(index))
    }

    /// Writes all of `bytes`, starting a new volume whenever the current one is full.
    func write(_ bytes: UnsafeRawBufferPointer) throws(BundleError) {
        guard !aborted else { throw .fileSystem(path: path, operation: "write", message: "the bundle was abandoned") }
        hasher.update(bytes)
        var offset = 0
        while offset < bytes.count {
            if let volumeSize, volumeBytes == volumeSize { try openNext() }
            var chunk = bytes.count - offset
            if let volumeSize { chunk = Int(min(Int64(chunk), volumeSize - volumeBytes)) }
            let count = POSIXIO.write(fd, bytes.baseAddress! + offset, chunk)
            if count < 0 {
                if errno == EINTR { continue }
                throw .fileSystem(path: published.last?.final ?? path, operation: "write", message: String(cString: strerror(errno)))
            }
            offset += count
            volumeBytes += Int64(count)
            bytesWritten += Int64(count)
        }
    }

    /// Flushes every volume to stable storage and renames them into place; returns the sha256 of the
    /// whole stream and the volume paths.
    func finish() throws(BundleError) -> (sha256: String, volumes: [String]) {
        try closeCurrent()
        for (temporary, final) in published {
            if FileManager.default.fileExists(atPath: final) {
                abort()
                throw .outputExists(final)
            }
            guard rename(temporary, final) == 0 else {
                let message = String(cString: strerror(errno))
                abort()
                throw .fileSystem(path: final, operation: "rename the finished bundle to", message: message)
            }
        }
        let folder = (path as NSString).deletingLastPathComponent
        let dirFD = open(folder.isEmpty ? "." : folder, O_RDONLY | O_CLOEXEC)
        if dirFD >= 0 { _ = fsync(dirFD); close(dirFD) }
        return (hasher.finish(), published.map(\.final))
    }

    /// Removes every temporary volume (a failed or cancelled bundle leaves nothing).
    func abort() {
        aborted = true
        if fd >= 0 { close(fd); fd = -1 }
        for (temporary, _) in published { unlink(temporary) }
    }

    private func openNext() throws(BundleError) {
        try closeCurrent()
        let final = volumeSize == nil ? path : Self.volumeName(path, published.count)
        let temporary = final + ".\(getpid()).partial"
        let opened = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard opened >= 0 else {
            throw .fileSystem(path: temporary, operation: "create", message: String(cString: strerror(errno)))
        }
        fd = opened
        volumeBytes = 0
        published.append((temporary, final))
    }

    private func closeCurrent() throws(BundleError) {
        guard fd >= 0 else { return }
        defer { close(fd); fd = -1 }
        guard fsync(fd) == 0 else {
            throw .fileSystem(path: published.last?.final ?? path, operation: "flush", message: String(cString: strerror(errno)))
        }
    }
}
