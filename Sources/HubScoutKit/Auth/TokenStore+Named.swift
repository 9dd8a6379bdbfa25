import Foundation
import HubScoutCache
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Named tokens, shared with huggingface_hub: `stored_tokens` holds every token logged in with, by name;
/// the token file holds the active one. `hubscout auth list` and `hf auth list` read the same files.
extension TokenStore {
    /// What `logout(name:)` removed.
    public struct LogoutResult: Sendable, Equatable {
        /// The named entry removed, for a named logout.
        public var removedName: String?
        /// True when the token file (the active token) was deleted.
        public var removedActiveToken: Bool
        /// True when `stored_tokens` was deleted (a logout of every token).
        public var removedStoredTokens: Bool

        /// A result (for comparing in tests).
        public init(removedName: String?, removedActiveToken: Bool, removedStoredTokens: Bool) {
            self.removedName = removedName
            self.removedActiveToken = removedActiveToken
            self.removedStoredTokens = removedStoredTokens
        }
    }

    /// The file `stored_tokens` (`$HF_HOME/stored_tokens`, or beside `HF_TOKEN_PATH`).
    public var storedTokensPath: String { environment.storedTokensPath }

    /// The named tokens; empty when there is no `stored_tokens`. A file huggingface_hub could not read
    /// either is an error that names the line.
    public func storedTokens() throws(TokenStoreError) -> StoredTokens {
        let path = storedTokensPath
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            if !FileManager.default.fileExists(atPath: path) { return StoredTokens() }
            throw .cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .malformedStoredTokens(path: path, line: 1, reason: "not UTF-8 text")
        }
        do {
            return try StoredTokens(parsing: text)
        } catch {
            throw .malformedStoredTokens(path: path, line: error.line, reason: error.reason)
        }
    }

    /// Logs in as `hf auth login` does: stores `token` as `name` in `stored_tokens` (replacing an entry of that
    /// name) and makes it the active token (the token file). Returns the token file's path.
    @discardableResult
    public func login(_ token: String, name: String) async throws(TokenStoreError) -> String {
        guard let cleaned = Self.clean(token) else { throw .emptyToken(tokensPage: tokensPage) }
        _ = try ResolvedToken(value: cleaned, source: .commandLine)
        if cleaned.hasPrefix("api_org") { throw .organizationToken }
        return try await holdingStoredTokensLock { () throws(TokenStoreError) in
            var stored = try storedTokens()
            try stored.set(cleaned, name: name)
            try Self.writeSecret(stored.serialized(), to: storedTokensPath)
            return try save(cleaned)
        }
    }

    /// Makes the stored token `name` the active one (`hf auth switch`): copies it into the token file.
    /// Returns the token file's path.
    @discardableResult
    public func switchTo(name: String) async throws(TokenStoreError) -> String {
        let stored = try storedTokens()
        guard let token = stored[name]?.token else { throw .unknownTokenName(name, known: stored.names) }
        return try save(token)
    }

    /// Logs out as `hf auth logout` does. With a name: removes that stored token, and deletes the token
    /// file too when it held that token. Without: deletes the token file and `stored_tokens`.
    /// `HF_TOKEN` is not touched: the caller tells the user it still wins.
    public func logout(name: String?) async throws(TokenStoreError) -> LogoutResult {
        guard let name else {
            let active = try Self.unlinkIfPresent(environment.tokenPath)
            let stored = try Self.unlinkIfPresent(storedTokensPath)
            return LogoutResult(removedName: nil, removedActiveToken: active, removedStoredTokens: stored)
        }
        return try await holdingStoredTokensLock { () throws(TokenStoreError) in
            var stored = try storedTokens()
            guard let removed = stored.remove(name: name) else { throw .unknownTokenName(name, known: stored.names) }
            try Self.writeSecret(stored.serialized(), to: storedTokensPath)
            var removedActive = false
            if let token = removed.token, activeStoredToken() == token {
                removedActive = try Self.unlinkIfPresent(environment.tokenPath)
            }
            return LogoutResult(removedName: name, removedActiveToken: removedActive, removedStoredTokens: false)
        }
    }

    /// Runs `body` holding `stored_tokens.lock` (the lock huggingface_hub takes when it refreshes an OAuth
    /// token in `stored_tokens`), so two logins cannot drop each other's entry. `body` re-reads the file
    /// under the lock; a file that cannot be parsed is never rewritten, as its other tokens would be lost.
    private func holdingStoredTokensLock<T>(_ body: () throws(TokenStoreError) -> T) async throws(TokenStoreError) -> T {
        let path = storedTokensPath
        try Self.prepareFolder((path as NSString).deletingLastPathComponent, for: path)
        let lock: FileLock
        do {
            lock = try await FileLock.acquire(path + ".lock")
        } catch {
            throw .cannotWrite(path: path + ".lock", reason: "\(error)")
        }
        defer { lock.release() }
        return try body()
    }
}
