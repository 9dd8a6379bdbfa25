import Foundation
import HubScoutCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hashes a file already on disk (local-dir files without metadata), 1 MiB at a time.
enum FileHashing {
    /// (hash comparable to the etag, sha256), or nil when the file can't be read.
    static func digest(of path: String, kind: BlobID.Kind, size: Int64) async throws -> (verification: BlobID?, sha256: String)? {
        try await BlockingWork.run {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var digest = ContentDigest(kind: kind, size: size)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let count = read(fd, buffer.baseAddress, buffer.count)
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { return nil }
                if count == 0 { break }
                digest.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            }
            let result = digest.finalize()
            return (result.verification, result.sha256)
        }
    }
}
