import Crypto
import Foundation
import HubScoutCache
import HubScoutCore

/// The two content hashes the Hub uses, git blob sha1 (regular files) and sha256 (LFS files), as the server
/// needs them; the hashing itself is `HubScoutCache.BlobDigest`, shared with the cache verifier.
public enum GitHash {
    /// `sha1("blob <size>\0" + content)` of bytes in memory.
    public static func blobID(of bytes: [UInt8]) -> String { BlobDigest.of(bytes, kind: .gitSHA1) }

    /// Hex sha256 of bytes in memory.
    public static func sha256(of bytes: [UInt8]) -> String { BlobDigest.of(bytes, kind: .sha256) }

    /// Streams a file once and returns its git blob sha1 or its sha256; memory stays at one 1 MiB chunk.
    public static func hashFile(atPath path: String, lfs: Bool) throws(StorageError) -> (etag: String, size: Int64) {
        let hashed: (digest: String, read: Int64, size: Int64)
        do { hashed = try BlobDigest.ofFile(atPath: path, kind: lfs ? .sha256 : .gitSHA1) } catch { throw .unreadableFile(path) }
        // A file that changed while we read it would give a hash that matches nothing.
        guard hashed.read == hashed.size else { throw .unreadableFile(path) }
        return (hashed.digest, hashed.size)
    }

    /// Lower-case hex of a digest.
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 { BlobDigest.hex(digest) }
}
