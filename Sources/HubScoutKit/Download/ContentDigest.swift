import Crypto
import Foundation
import HubScoutCore

/// The hash a file is verified with, by the kind of its `BlobID`: sha256 for LFS files, git's blob sha1
/// (`sha1("blob <size>\0" + content)`) for regular files. Regular files also get a plain sha256 for
/// the summary.
struct ContentDigest: Sendable {
    let kind: BlobID.Kind
    private var sha256 = SHA256()
    private var sha1 = Insecure.SHA1()

    init(kind: BlobID.Kind, size: Int64) {
        self.kind = kind
        if kind == .gitSHA1 { sha1.update(data: Data("blob \(size)\u{0}".utf8)) }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sha256.update(bufferPointer: bytes)
        if kind == .gitSHA1 { sha1.update(bufferPointer: bytes) }
    }

    /// (the content's blob id, to compare with the announced one; sha256 of the content). The id is
    /// typed like the etag it is checked against (hex digits of the right length, always).
    func finalize() -> (verification: BlobID?, sha256: String) {
        let content = Self.hex(sha256.finalize())
        switch kind {
        case .sha256: return (BlobID(content), content)
        case .gitSHA1: return (BlobID(Self.hex(sha1.finalize())), content)
        }
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
