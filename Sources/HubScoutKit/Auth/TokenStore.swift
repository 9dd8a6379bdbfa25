import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the token in effect and stores or removes the token file (0600 in a 0700 folder).
public struct TokenStore: Sendable {
    public let environment: HubEnvironment

    public init(environment: HubEnvironment) { self.environment = environment }

    /// The first token found: `--token`, `HF_TOKEN` (or, when that is unset or empty, `HUGGING_FACE_HUB_TOKEN`),
    /// the `HF_TOKEN_PATH` file or `$HF_HOME/token`. A token read from the token file carries its name when
    /// `stored_tokens` lists it. A token with a control or non-ASCII character is an error naming its source.
    public func resolve(commandLine: String? = nil) throws(TokenStoreError) -> ResolvedToken? {
        if let token = Self.clean(commandLine) { return try ResolvedToken(value: token, source: .commandLine) }
        if let token = try environmentToken() { return token }
        let path = environment.tokenPath
        if let text = try? String(contentsOfFile: path, encoding: .utf8), let token = Self.clean(text) {
            let name = (try? storedTokens())?.entry(holding: token)?.name
            return try ResolvedToken(value: token, source: environment.variables["HF_TOKEN_PATH"] != nil ? .tokenPathFile : .tokenFile,
                                     path: path, name: name)
        }
        return nil
    }

    /// The token from `HF_TOKEN`, else `HUGGING_FACE_HUB_TOKEN`, as huggingface_hub picks it (`HF_TOKEN or
    /// HUGGING_FACE_HUB_TOKEN`: an empty `HF_TOKEN` falls through to the legacy name). It wins over any stored token.
    public func environmentToken() throws(TokenStoreError) -> ResolvedToken? {
        let primary = environment.variables["HF_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let source: TokenSource = primary != nil ? .environment : .legacyEnvironment
        guard let token = Self.clean(primary ?? environment.variables["HUGGING_FACE_HUB_TOKEN"]) else { return nil }
        return try ResolvedToken(value: token, source: source)
    }

    /// The active token file's token, if there is one (whatever the environment says).
    public func activeStoredToken() -> String? {
        Self.clean(try? String(contentsOfFile: environment.tokenPath, encoding: .utf8))
    }

    /// Writes the token file atomically with mode 0600 (its folder 0700) and returns its path. This sets the
    /// active token only; `login(_:name:)` also stores it by name in `stored_tokens`.
    @discardableResult
    public func save(_ token: String) throws(TokenStoreError) -> String {
        guard let cleaned = Self.clean(token) else { throw .emptyToken(tokensPage: tokensPage) }
        _ = try ResolvedToken(value: cleaned, source: .commandLine)
        try Self.writeSecret(cleaned, to: environment.tokenPath)
        return environment.tokenPath
    }

    /// Replaces `path` with `text` atomically: a 0600 file in a 0700 folder.
    ///
    /// The temporary file has an unpredictable name and is created with `O_EXCL | O_NOFOLLOW`, so a
    /// link planted by another local user can neither receive the secret nor redirect the write.
    static func writeSecret(_ text: String, to path: String) throws(TokenStoreError) {
        let folder = (path as NSString).deletingLastPathComponent
        try prepareFolder(folder, for: path)
        var random = SystemRandomNumberGenerator()
        let suffix = (0..<2).map { _ in String(random.next() as UInt64, radix: 16) }.joined()
        let temporary = folder + "/.\((path as NSString).lastPathComponent).\(suffix).tmp"
        // Created 0600 from the start, so the secret is never readable by others, even briefly.
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            written += count
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .cannotWrite(path: path, reason: reason)
        }
    }

    /// Creates the token's folder with 0700, or tightens an existing one of ours to 0700. A shared
    /// folder (world-writable, like /tmp, or someone else's) is left alone: changing it would break it.
    static func prepareFolder(_ folder: String, for path: String) throws(TokenStoreError) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
        var info = stat()
        guard lstat(folder, &info) == 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        let worldWritable = info.st_mode & S_IWOTH != 0
        if info.st_uid == geteuid(), !worldWritable, info.st_mode & 0o077 != 0, (info.st_mode & S_IFMT) == S_IFDIR {
            guard chmod(folder, 0o700) == 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        }
    }

    /// Deletes the token file; returns false when there was none. Named tokens stay in `stored_tokens`
    /// (`logout(name:)` removes those too).
    @discardableResult
    public func remove() throws(TokenStoreError) -> Bool {
        try Self.unlinkIfPresent(environment.tokenPath)
    }

    static func unlinkIfPresent(_ path: String) throws(TokenStoreError) -> Bool {
        guard unlink(path) == 0 else {
            if errno == ENOENT { return false }
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        return true
    }

    /// `<endpoint>/settings/tokens`: where tokens are created, on the Hub `HF_ENDPOINT` names.
    public var tokensPage: String { environment.tokensPage }

    /// Strips whitespace and line breaks at the ends; empty means no token.
    static func clean(_ text: String?) -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}

/// Why a token could not be read, stored, switched to or removed.
public enum TokenStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No token was given; `tokensPage` is where one is created.
    case emptyToken(tokensPage: String)
    case cannotWrite(path: String, reason: String)
    /// The token holds a control, space or non-ASCII character (it would corrupt or inject HTTP headers).
    case invalidToken(source: TokenSource, path: String?)
    /// An organization token (`api_org…`): logins take a personal token, as huggingface_hub requires.
    case organizationToken
    /// A name `stored_tokens` cannot hold.
    case invalidTokenName(String)
    /// No stored token has this name; `known` lists the names there are.
    case unknownTokenName(String, known: [String])
    /// `stored_tokens` is not a file huggingface_hub could read; it is left as it is.
    case malformedStoredTokens(path: String, line: Int, reason: String)
    case cannotRead(path: String, reason: String)

    public var description: String {
        switch self {
        case let .emptyToken(page): "the token is empty; create one at \(page) and pass it with --token, type it at the prompt, or pipe it in"
        case let .cannotWrite(path, reason): "could not write \(path): \(reason); set HF_TOKEN_PATH to a file in a writable folder"
        case let .invalidToken(source, path):
            "the token from \(source.rawValue)\(path.map { " (\($0))" } ?? "") contains a line break, space, control or non-ASCII character; "
                + "a Hub token is printable ASCII (hf_…): fix or remove it there"
        case .organizationToken: "that is an organization token (api_org…); log in with a personal access token"
        case let .invalidTokenName(name):
            "'\(name)' cannot be a token name: use a non-empty name without line breaks, control characters, surrounding spaces, or the name DEFAULT"
        case let .unknownTokenName(name, known):
            "no stored token is named '\(name)'; " + (known.isEmpty ? "none are stored (log in with hubscout auth login)" : "stored: \(known.joined(separator: ", "))")
        case let .malformedStoredTokens(path, line, reason):
            "\(path) line \(line) cannot be read (\(reason)); it was left untouched: fix it, or delete it (hubscout auth logout) and log in again"
        case let .cannotRead(path, reason): "could not read \(path): \(reason)"
        }
    }
}

extension HubEnvironment {
    /// `stored_tokens`, beside the token file (`dirname(HF_TOKEN_PATH)/stored_tokens`), where
    /// huggingface_hub keeps named tokens: `$HF_HOME/stored_tokens` by default.
    public var storedTokensPath: String { (tokenPath as NSString).deletingLastPathComponent + "/stored_tokens" }

    /// `<endpoint>/settings/tokens`, where the Hub `HF_ENDPOINT` names creates tokens.
    public var tokensPage: String { endpoint + "/settings/tokens" }
}
