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
    public func resolve(commandLine: String? = nil) -> ResolvedToken? {
        if let token = Self.clean(commandLine) { return ResolvedToken(value: token, source: .commandLine) }
        if let token = Self.clean(environment.variables["HF_TOKEN"] ?? environment.variables["HUGGING_FACE_HUB_TOKEN"]) {
            return ResolvedToken(value: token, source: .environment)
        }
        let path = environment.tokenPath
        if let text = try? String(contentsOfFile: path, encoding: .utf8), let token = Self.clean(text) {
            return ResolvedToken(value: token, source: environment.variables["HF_TOKEN_PATH"] != nil ? .tokenPathFile : .tokenFile, path: path)
        }
        return nil
    }

    /// Writes the token file atomically with mode 0600 (its folder 0700) and returns its path.
    @discardableResult
    public func save(_ token: String) throws(TokenStoreError) -> String {
        guard let cleaned = Self.clean(token) else { throw .emptyToken }
        let path = environment.tokenPath
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
        let temporary = path + ".tmp-\(getpid())"
        // Create with 0600 from the start so the secret is never readable by others, even briefly.
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        let bytes = Array(cleaned.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fchmod(fd, 0o600)
        close(fd)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        return path
    }

    /// Deletes the token file; returns false when there was none.
    @discardableResult
    public func remove() throws(TokenStoreError) -> Bool {
        let path = environment.tokenPath
        guard FileManager.default.fileExists(atPath: path) else { return false }
        guard unlink(path) == 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        return true
    }

    /// Strips whitespace and line breaks; empty means no token.
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

    public var description: String {
        switch self {
        case .emptyToken: "the token is empty; create one at https://huggingface.co/settings/tokens and pass it with --token or on standard input"
        case let .cannotWrite(path, reason): "could not write the token file \(path): \(reason); set HF_TOKEN_PATH to a writable location"
        }
    }
}
