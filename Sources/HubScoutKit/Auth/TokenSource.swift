/// Where the token in effect came from, in the order they are tried.
public enum TokenSource: String, Sendable, Codable, Equatable {
    /// `--token` on the command line (also a token an app passes to `HubScout` or `HubClient`).
    case commandLine = "--token"
    /// The `HF_TOKEN` variable.
    case environment = "HF_TOKEN"
    /// The legacy `HUGGING_FACE_HUB_TOKEN` variable, read when `HF_TOKEN` is unset or empty.
    case legacyEnvironment = "HUGGING_FACE_HUB_TOKEN"
    /// The file named by `HF_TOKEN_PATH`.
    case tokenPathFile = "HF_TOKEN_PATH"
    /// `$HF_HOME/token` (default `~/.cache/huggingface/token`): the active stored token, written by
    /// `hubscout auth login` / `auth switch` or `hf auth login` / `hf auth switch`.
    case tokenFile = "token file"
    /// Typed at `hubscout login`'s prompt or piped to it (only while the login checks it).
    case standardInput = "standard input"
}

/// Where a token came from, without the secret: what messages about a rejected token name.
public struct TokenOrigin: Sendable, Equatable, Codable, CustomStringConvertible {
    public var source: TokenSource
    /// The file it was read from, for file sources.
    public var path: String?
    /// Its name in `stored_tokens`, when the token file's token is one of the stored tokens.
    public var name: String?

    /// An origin: `path` for file sources, `name` for a token listed in `stored_tokens`.
    public init(source: TokenSource, path: String? = nil, name: String? = nil) {
        self.source = source
        self.path = path
        self.name = name
    }

    /// `HF_TOKEN`, `the stored token 'work' (~/.cache/huggingface/token)`, `the HF_TOKEN_PATH file (/x/token)`…
    public var description: String {
        switch source {
        case .commandLine: "--token"
        case .environment, .legacyEnvironment: source.rawValue
        case .standardInput: "standard input"
        case .tokenPathFile: "the HF_TOKEN_PATH file (\(path ?? "?"))"
        case .tokenFile: "the stored token\(name.map { " '\($0)'" } ?? "") (\(path ?? "token file"))"
        }
    }
}

/// A token and where it came from. Its description never shows the secret.
public struct ResolvedToken: Sendable, Equatable, CustomStringConvertible {
    /// The secret; never print or log it.
    public let value: String
    public let source: TokenSource
    /// The file it was read from, for file sources.
    public let path: String?
    /// Its name in `stored_tokens`, when it was read from the token file and is listed there.
    public let name: String?

    /// A token read from `source`. It becomes an HTTP header, so a control character (CR, LF, NUL…)
    /// or a non-ASCII character in it is refused, naming where it came from, rather than sent.
    public init(value: String, source: TokenSource, path: String? = nil, name: String? = nil) throws(TokenStoreError) {
        guard !value.isEmpty, value.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw .invalidToken(source: source, path: path)
        }
        self.value = value
        self.source = source
        self.path = path
        self.name = name
    }

    /// Where it came from, without the secret.
    public var origin: TokenOrigin { TokenOrigin(source: source, path: path, name: name) }

    /// `hf_…abcd`-style hint: the prefix and last four characters only.
    public var masked: String {
        guard value.count > 8 else { return "****" }
        return String(value.prefix(3)) + "…" + String(value.suffix(4))
    }

    /// huggingface_hub's mask in `hf auth list` (`hf_****abcd`), so both tools show a stored token alike.
    /// A token of eight characters or fewer shows as `****`: its ends would be most of it.
    public static func listMask(_ value: String) -> String {
        guard value.count > 8 else { return "****" }
        return String(value.prefix(3)) + "****" + String(value.suffix(4))
    }

    public var description: String { "token \(masked) from \(origin)" }
}
