/// Why a value a server sent (a header, a JSON field) was refused at the boundary.
///
/// A Hub, mirror or proxy is untrusted: its etags, commits and sizes become file names and byte
/// counts, so anything that is not exactly the expected shape is a protocol error, never a default.
public enum WireValueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The value is not what the field may hold; `field` names it (`ETag`, `X-Repo-Commit`, `sha`…).
    case invalid(field: String, value: String, expected: String)
    /// A size or count that is negative, or whose sum does not fit in 64 bits.
    case sizeOutOfRange(field: String)

    public var description: String {
        switch self {
        case let .invalid(field, value, expected):
            "the server sent an invalid \(field) \(Self.quoted(value)); expected \(expected). Is HF_ENDPOINT a Hugging Face Hub or a faithful mirror?"
        case let .sizeOutOfRange(field):
            "the server sent an impossible \(field) (negative, or too large to add up); the listing cannot be trusted"
        }
    }

    /// The value for a message: quoted, control characters escaped, at most 80 characters.
    static func quoted(_ value: String) -> String {
        var shown = ""
        for scalar in value.unicodeScalars.prefix(80) {
            shown += scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return "\"" + shown + (value.unicodeScalars.count > 80 ? "…" : "") + "\""
    }
}
