/// Where the token in effect came from, in the order they are tried.
public enum TokenSource: String, Sendable, Codable, Equatable {
    /// `--token` on the command line.
    case commandLine = "--token"
    /// The `HF_TOKEN` (or legacy `HUGGING_FACE_HUB_TOKEN`) variable.
    case environment = "HF_TOKEN"
    /// The file named by `HF_TOKEN_PATH`.
    case tokenPathFile = "HF_TOKEN_PATH"
    /// `$HF_HOME/token` (default `~/.cache/huggingface/token`), written by `hubscout login` or `hf auth login`.
    case tokenFile = "token file"
}

/// A token and where it came from. Its description never shows the secret.
public struct ResolvedToken: Sendable, Equatable, CustomStringConvertible {
    /// The secret; never print or log it.
    public let value: String
    public let source: TokenSource
    /// The file it was read from, for file sources.
    public let path: String?

    /// A token read from `source`. It becomes an HTTP header, so a control character (CR, LF, NUL…)
    /// or a non-ASCII character in it is refused, naming where it came from, rather than sent.
    public init(value: String, source: TokenSource, path: String? = nil) throws(TokenStoreError) {
        guard !value.isEmpty, value.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw .invalidToken(source: source, path: path)
        }
        self.value = value
        self.source = source
        self.path = path
    }

    /// `hf_…abcd`-style hint: the prefix and last four characters only.
    public var masked: String {
        guard value.count > 8 else { return "****" }
        return String(value.prefix(3)) + "…" + String(value.suffix(4))
    }

    public var description: String { "token \(masked) from \(source.rawValue)\(path.map { " (\($0))" } ?? "")" }
}
