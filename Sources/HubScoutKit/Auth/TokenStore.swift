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

    /// The first token found: `--token`, `HF_TOKEN`/`HUGGING_FACE_HUB_TOKEN`, `HF_TOKEN_PATH`, `$HF_HOME/token`.
    /// A token with a control or non-ASCII character is an error that names its source.
    public func resolve(commandLine: String? = nil) throws(TokenStoreError) -> ResolvedToken? {
        if let token = Self.clean(commandLine) { return try ResolvedToken(value: token, source: .commandLine) }
        if let token = Self.clean(environment.variables["HF_TOKEN"] ?? environment.variables["HUGGING_FACE_HUB_TOKEN"]) {
            return try ResolvedToken(value: token, source: .environment)
        }
        let path = environment.tokenPath
        if let text = try? String(contentsOfFile: path, encoding: .utf8), let token = Self.clean(text) {
            return try ResolvedToken(value: token, source: environment.variables["HF_TOKEN_PATH"] != nil ? .tokenPathFile : .tokenFile, path: path)
        }
        return nil
    }

    /// Writes the token file atomically with mode 0600 (its folder 0700) and returns its path.
    ///
    /// The temporary file has an unpredictable name and is created with `O_EXCL | O_NOFOLLOW`, so a
    /// link planted by another local user can neither receive the token nor redirect the write.
    @discardableResult
    public func save(_ token: String) throws(TokenStoreError) -> String {
        guard let cleaned = Self.clean(token) else { throw .emptyToken }
        _ = try ResolvedToken(value: cleaned, source: .commandLine)
        let path = environment.tokenPath
        let folder = (path as NSString).deletingLastPathComponent
        try Self.prepareFolder(folder, for: path)
        var random = SystemRandomNumberGenerator()
        let suffix = (0..<2).map { _ in String(random.next() as UInt64, radix: 16) }.joined()
        let temporary = folder + "/.token.\(suffix).tmp"
        // Created 0600 from the start, so the secret is never readable by others, even briefly.
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        let bytes = Array(cleaned.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .cannotWrite(path: path, reason: reason)
        }
        return path
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

    /// Deletes the token file; returns false when there was none.
    @discardableResult
    public func remove() throws(TokenStoreError) -> Bool {
        let path = environment.tokenPath
        guard FileManager.default.fileExists(atPath: path) else { return false }
        guard unlink(path) == 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        return true
    }

    /// Strips whitespace and line breaks at the ends; empty means no token.
    static func clean(_ text: String?) -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}

/// Why the token file could not be written or removed.
public enum TokenStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyToken
    case cannotWrite(path: String, reason: String)
    /// The token holds a control, space or non-ASCII character (it would corrupt or inject HTTP headers).
    case invalidToken(source: TokenSource, path: String?)

    public var description: String {
        switch self {
        case .emptyToken: "the token is empty; create one at https://huggingface.co/settings/tokens and pass it with --token or on standard input"
        case let .cannotWrite(path, reason): "could not write the token file \(path): \(reason); set HF_TOKEN_PATH to a writable location"
        case let .invalidToken(source, path):
            "the token from \(source.rawValue)\(path.map { " (\($0))" } ?? "") contains a line break, space, control or non-ASCII character; "
                + "a Hub token is printable ASCII (hf_…): fix or remove it there"
        }
    }
}
