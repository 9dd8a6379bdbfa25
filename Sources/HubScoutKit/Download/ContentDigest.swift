import HubScoutCache
import HubScoutCore

/// What a download checks while it streams: the blob id of the content (a ``BlobDigest`` of the kind the
/// announced id has) and, for the summary, its plain sha256, hashed once when the two are the same.
struct ContentDigest: Sendable {
    let kind: BlobID.Kind
    private var verification: BlobDigest
    /// The plain sha256, needed apart only when the verification hash is git's sha1.
    private var plain: BlobDigest?

    init(kind: BlobID.Kind, size: Int64) {
        self.kind = kind
        verification = BlobDigest(kind: kind, size: size)
        plain = kind == .gitSHA1 ? BlobDigest(kind: .sha256, size: size) : nil
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        verification.update(bytes)
        plain?.update(bytes)
    }

    /// (the content's blob id, to compare with the announced one; sha256 of the content). The id is
    /// typed like the etag it is checked against (hex digits of the right length, always).
    func finalize() -> (verification: BlobID?, sha256: String) {
        let id = verification.finalize()
        return (BlobID(id), plain?.finalize() ?? id)
    }
}
