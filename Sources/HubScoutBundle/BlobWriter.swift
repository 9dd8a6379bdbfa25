import Foundation
import HubScoutCache
import HubScoutCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one member into `blobs/<id>` the way a download publishes a file: into a temporary sibling
/// (`<id>.<pid>.<random>.incomplete`, created exclusively, never through a link), hashed while it is
/// written, flushed, and renamed into place only once its size and hash match. Runs of zeros become
/// holes, so sparse files stay sparse. On any failure the temporary file is removed.
enum BlobWriter {
    /// Streams the current member of `stream` into `blobPath`; returns the bytes written.
    static func write(_ entry: ManifestIndex.Entry, from stream: MemberStream, to blobPath: String,
                      buffer: UnsafeMutableRawBufferPointer, durable: Bool) throws(BundleError) -> Int64 {
        removeStaleTemporaries(of: blobPath)
        let temporary = blobPath + ".\(getpid()).\(String(UInt32.random(in: 0...UInt32.max), radix: 16)).incomplete"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .fileSystem(path: temporary, operation: "create", message: POSIXIO.errorText) }
        var published = false
        var open = true
        defer {
            if open { close(fd) }
            if !published { unlink(temporary) }
        }
        var written: Int64 = 0
        try stream.readContent(of: entry, buffer: buffer) { (chunk: UnsafeRawBufferPointer) throws(BundleError) in
            if chunk.count >= 4096, POSIXIO.isAllZero(chunk) {
                guard lseek(fd, off_t(chunk.count), SEEK_CUR) >= 0 else {
                    throw .fileSystem(path: temporary, operation: "seek in", message: POSIXIO.errorText)
                }
            } else if !POSIXIO.writeAll(fd, chunk) {
                throw .fileSystem(path: temporary, operation: "write", message: POSIXIO.errorText)
            }
            written += Int64(chunk.count)
        }
        // A file ending in a hole gets its length from the truncate.
        guard ftruncate(fd, off_t(written)) == 0 else { throw .fileSystem(path: temporary, operation: "size", message: POSIXIO.errorText) }
        if durable, fsync(fd) != 0 { throw .fileSystem(path: temporary, operation: "flush", message: POSIXIO.errorText) }
        close(fd)
        open = false
        guard rename(temporary, blobPath) == 0 else { throw .fileSystem(path: blobPath, operation: "publish", message: POSIXIO.errorText) }
        published = true
        return written
    }

    /// Removes temporary siblings of `blobPath` left by an import that no longer runs (killed mid-way);
    /// those of live processes are theirs to finish.
    static func removeStaleTemporaries(of blobPath: String) {
        let folder = (blobPath as NSString).deletingLastPathComponent
        let prefix = (blobPath as NSString).lastPathComponent + "."
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".incomplete") {
            let parts = name.dropFirst(prefix.count).split(separator: ".")
            guard parts.count == 3, let pid = Int32(parts[0]), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0, errno == ESRCH { unlink(folder + "/" + name) }
        }
    }
}
