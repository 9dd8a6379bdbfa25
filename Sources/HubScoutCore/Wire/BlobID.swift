/// The content id of a file in a repository: the sha256 of an LFS/Xet file (64 hex digits) or the git
/// blob sha1 of a regular file (40 hex digits), always lower-case.
///
/// This is what the Hub sends as a file's `ETag`/`X-Linked-Etag`, `lfs.sha256`/`lfs.oid` and `oid`, and
/// what the Hugging Face cache names blobs after (`blobs/<id>`): only this validated form becomes a path,
/// and its kind says how the content is verified.
public struct BlobID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How a blob's content is hashed to check it against its id.
    public enum Kind: Sendable, Hashable {
        /// sha256 of the content (LFS and Xet files).
        case sha256
        /// git's `sha1("blob <size>\0" + content)` (regular files).
        case gitSHA1
    }

    /// The hex digits.
    public let value: String
    /// sha256 (64 digits) or git sha1 (40 digits).
    public var kind: Kind { value.utf8.count == 64 ? .sha256 : .gitSHA1 }
    /// True for sha256 ids: the file is stored in LFS or Xet.
    public var isSHA256: Bool { kind == .sha256 }

    /// Validates hex text; nil unless it is 40 or 64 lower-case hex digits.
    public init?(_ text: some StringProtocol) {
        guard HexDigest.isLowerHex(text, length: 64) || HexDigest.isLowerHex(text, length: 40) else { return nil }
        value = String(text)
    }

    /// Validates a value of `field` (a JSON field), throwing a protocol error naming it.
    public init(wire text: String, field: String) throws(WireValueError) {
        guard let id = BlobID(text) else { throw .invalid(field: field, value: text, expected: "a sha256 (64 hex digits) or git blob id (40 hex digits)") }
        self = id
    }

    /// Reads an HTTP entity tag: an optional `W/` and the surrounding quotes are removed, then the rest
    /// must be a blob id. `"../../x"`, upper-case or any other text is a protocol error.
    public init(etagHeader header: String, field: String = "ETag") throws(WireValueError) {
        var text = Substring(header)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.count >= 2, text.first == "\"", text.last == "\"" { text = text.dropFirst().dropLast() }
        guard let id = BlobID(text) else {
            throw .invalid(field: field, value: header, expected: "a quoted sha256 (64 hex digits) or git blob id (40 hex digits)")
        }
        self = id
    }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = BlobID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a blob id"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
