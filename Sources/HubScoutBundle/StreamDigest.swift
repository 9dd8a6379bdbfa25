import Crypto
import Foundation
import HubScoutCore

/// The hash a file is checked with, by the kind of its `BlobID`, fed a buffer at a time: sha256 for LFS
/// files, git's blob sha1 (`sha1("blob <size>\0" + content)`) for the others.
struct StreamDigest {
    private let kind: BlobID.Kind
    private var sha256 = SHA256()
    private var sha1 = Insecure.SHA1()

    init(kind: BlobID.Kind, size: Int64) {
        self.kind = kind
        if kind == .gitSHA1 { sha1.update(data: Data("blob \(size)\u{0}".utf8)) }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch kind {
        case .sha256: sha256.update(bufferPointer: bytes)
        case .gitSHA1: sha1.update(bufferPointer: bytes)
        }
    }

    /// The lower-case hex digest, comparable to the blob id.
    func finalize() -> String {
        switch kind {
        case .sha256: Self.hex(sha256.finalize())
        case .gitSHA1: Self.hex(sha1.finalize())
        }
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
