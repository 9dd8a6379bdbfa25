import Crypto
import Foundation

/// The two content hashes the Hub uses: git blob sha1 (regular files) and sha256 (LFS files).
public enum GitHash {
    /// `sha1("blob <size>\0" + content)` of bytes in memory.
    public static func blobID(of bytes: [UInt8]) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: Array("blob \(bytes.count)\u{0}".utf8))
        hasher.update(data: bytes)
        return hex(hasher.finalize())
    }

    /// Hex sha256 of bytes in memory.
    public static func sha256(of bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    /// Streams a file once and returns its git blob sha1 or its sha256; memory stays at one 1 MiB chunk.
    public static func hashFile(atPath path: String, lfs: Bool) throws(StorageError) -> (etag: String, size: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadableFile(path) }
        defer { try? handle.close() }
        let size: Int64
        do { size = Int64(try handle.seekToEnd()); try handle.seek(toOffset: 0) } catch { throw .unreadableFile(path) }
        var sha1 = Insecure.SHA1()
        var sha256 = SHA256()
        if !lfs { sha1.update(data: Array("blob \(size)\u{0}".utf8)) }
        var read: Int64 = 0
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch { throw .unreadableFile(path) }
            guard let chunk, !chunk.isEmpty else { break }
            read += Int64(chunk.count)
            if lfs { sha256.update(data: chunk) } else { sha1.update(data: chunk) }
        }
        // A file that changed while we read it would give a hash that matches nothing.
        guard read == size else { throw .unreadableFile(path) }
        return (lfs ? hex(sha256.finalize()) : hex(sha1.finalize()), size)
    }

    /// Lower-case hex of a digest.
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// True for a 40-hex (sha1) or 64-hex (sha256) lower-case string.
    public static func isEtag(_ s: String) -> Bool {
        (s.count == 40 || s.count == 64) && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
