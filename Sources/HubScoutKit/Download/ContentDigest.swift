import Crypto
import Foundation

/// The hash a file is verified with: sha256 for LFS files (etag = 64 hex), git's blob sha1
/// (`sha1("blob <size>\0" + content)`) for regular files (etag = 40 hex). Regular files also get
/// a plain sha256 for the summary.
struct ContentDigest: Sendable {
    enum Kind: Sendable, Equatable { case sha256, gitSHA1, none }

    let kind: Kind
    private var sha256 = SHA256()
    private var sha1 = Insecure.SHA1()

    /// The kind of hash an etag is: 64 hex → sha256, 40 hex → git sha1, else nothing to verify against.
    static func kind(forETag etag: String) -> Kind {
        let isHex = etag.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }
        guard isHex else { return .none }
        switch etag.utf8.count {
        case 64: return .sha256
        case 40: return .gitSHA1
        default: return .none
        }
    }

    init(kind: Kind, size: Int64) {
        self.kind = kind
        if kind == .gitSHA1 { sha1.update(data: Data("blob \(size)\u{0}".utf8)) }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sha256.update(bufferPointer: bytes)
        if kind == .gitSHA1 { sha1.update(bufferPointer: bytes) }
    }

    /// (hash to compare with the etag, sha256 of the content).
    func finalize() -> (verification: String?, sha256: String) {
        let content = Self.hex(sha256.finalize())
        switch kind {
        case .sha256: return (content, content)
        case .gitSHA1: return (Self.hex(sha1.finalize()), content)
        case .none: return (nil, content)
        }
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
