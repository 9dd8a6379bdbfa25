import Foundation
import GRDB

extension Catalog {
    /// The sha256 remembered for a file whose device, inode, size and modification time (ns) are these; nil when the
    /// file was never hashed or has changed since (any of the four differs).
    public func fileHash(device: UInt64, inode: UInt64, size: Int64, modifiedNanoseconds: Int64) async throws(CatalogError) -> String? {
        try await reading("read a file hash") { db in
            try String.fetchOne(db, sql: "SELECT sha256 FROM file_hashes WHERE device = ? AND inode = ? AND size = ? AND modified_ns = ?",
                                arguments: [Int64(bitPattern: device), Int64(bitPattern: inode), size, modifiedNanoseconds])
        }
    }

    /// Remembers a file's sha256 (lower-case hex), replacing what an older version of the same inode had.
    public func rememberFileHash(_ sha256: String, device: UInt64, inode: UInt64, size: Int64, modifiedNanoseconds: Int64) async throws(CatalogError) {
        let digest = sha256.lowercased()
        guard digest.count == 64, digest.allSatisfy(\.isHexDigit) else { return }
        try await writing("remember a file hash") { db in
            try db.execute(sql: "DELETE FROM file_hashes WHERE device = ? AND inode = ?", arguments: [Int64(bitPattern: device), Int64(bitPattern: inode)])
            try db.execute(sql: "INSERT INTO file_hashes (device, inode, size, modified_ns, sha256, hashed_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [Int64(bitPattern: device), Int64(bitPattern: inode), size, modifiedNanoseconds, digest, Date().timeIntervalSince1970])
        }
    }
}
