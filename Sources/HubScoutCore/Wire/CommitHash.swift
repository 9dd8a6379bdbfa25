/// A git commit id: exactly 40 lower-case hex digits, as the Hub sends in `X-Repo-Commit` and `sha`.
///
/// Snapshot folders are named after commits, so only this validated form reaches a path.
public struct CommitHash: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The 40 hex digits.
    public let value: String

    /// Validates text from the wire or the disk; nil unless it is 40 lower-case hex digits.
    public init?(_ text: some StringProtocol) {
        guard HexDigest.isLowerHex(text, length: 40) else { return nil }
        value = String(text)
    }

    /// Validates a value of `field`, throwing a protocol error naming the field.
    public init(wire text: String, field: String) throws(WireValueError) {
        guard let commit = CommitHash(text) else { throw .invalid(field: field, value: text, expected: "a 40-digit lower-case hex commit id") }
        self = commit
    }

    /// True when `text` has the shape of a commit id (huggingface_hub's test for "is this revision a commit").
    public static func isCommitHash(_ text: some StringProtocol) -> Bool { HexDigest.isLowerHex(text, length: 40) }

    public var description: String { value }
    public static func < (a: CommitHash, b: CommitHash) -> Bool { a.value < b.value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let commit = CommitHash(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a commit id"))
        }
        self = commit
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
