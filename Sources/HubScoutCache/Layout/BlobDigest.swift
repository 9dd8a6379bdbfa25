import Crypto
import Foundation
import HubScoutCore

/// The hash a blob is named by, by `BlobID.Kind`: sha256 of the content (LFS/Xet files) or git's blob sha1,
/// `sha1("blob <size>\0" + content)` (regular files). Used by the verifier and by the server, which names plain
/// snapshot files this way.
public struct BlobDigest: Sendable {
    /// Which hash this is.
    public let kind: BlobID.Kind
    private var sha256 = SHA256()
    private var sha1 = Insecure.SHA1()

    /// A digest of `size` bytes of content (git's header states the size up front).
    public init(kind: BlobID.Kind, size: Int64) {
        self.kind = kind
        if kind == .gitSHA1 { sha1.update(data: Array("blob \(size)\u{0}".utf8)) }
    }

    /// Adds content.
    public mutating func update(_ data: Data) {
        switch kind {
        case .sha256: sha256.update(data: data)
        case .gitSHA1: sha1.update(data: data)
        }
    }

    /// Adds content from a buffer (no copy; streaming readers and writers hash their own buffers).
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch kind {
        case .sha256: sha256.update(bufferPointer: bytes)
        case .gitSHA1: sha1.update(bufferPointer: bytes)
        }
    }

    /// Lower-case hex of the digest.
    public func finalize() -> String {
        switch kind {
        case .sha256: Self.hex(sha256.finalize())
        case .gitSHA1: Self.hex(sha1.finalize())
        }
    }

    /// The id of bytes in memory.
    public static func of(_ bytes: [UInt8], kind: BlobID.Kind) -> String {
        var digest = BlobDigest(kind: kind, size: Int64(bytes.count))
        digest.update(Data(bytes))
        return digest.finalize()
    }

    /// Streams a file once in `chunkSize` chunks. With `size` nil the file is measured first. The result's `read`
    /// is the bytes actually read: when it differs from the size hashed into a git header, the file changed
    /// meanwhile and the digest matches nothing. Throws when the file cannot be opened or read.
    public static func ofFile(atPath path: String, kind: BlobID.Kind, size: Int64? = nil,
                              chunkSize: Int = 1 << 20) throws(CacheError) -> (digest: String, read: Int64, size: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .fileSystem(path: path, operation: "open", message: "it cannot be opened for reading")
        }
        defer { try? handle.close() }
        let expected: Int64
        if let size {
            expected = size
        } else {
            do { expected = Int64(try handle.seekToEnd()); try handle.seek(toOffset: 0) } catch {
                throw .fileSystem(path: path, operation: "read", message: error.localizedDescription)
            }
        }
        var digest = BlobDigest(kind: kind, size: expected)
        var read: Int64 = 0
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: max(4096, chunkSize)) } catch {
                throw .fileSystem(path: path, operation: "read", message: error.localizedDescription)
            }
            guard let chunk, !chunk.isEmpty else { break }
            read += Int64(chunk.count)
            digest.update(chunk)
        }
        return (digest.finalize(), read, expected)
    }

    /// Lower-case hex of digest bytes.
    public static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
