import Foundation
import HubScoutKit
import Testing

/// The token file against other local users: a planted link never receives the token, the folder
/// ends up 0700, and the file 0600. And `stored_tokens`, read and written exactly as huggingface_hub does.
@Suite("Token file and stored_tokens: links, modes, bad tokens, huggingface_hub's format")
struct TokenFileTests {
    static func home() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-token-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
    }

    @Test("a link planted at the token's path is replaced, its target untouched; folder 0700, file 0600")
    func plantedLink() throws {
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let folder = home + "/hf"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let bait = home + "/attacker-readable"
        try Data("original".utf8).write(to: URL(fileURLWithPath: bait))
        try FileManager.default.createSymbolicLink(atPath: folder + "/token", withDestinationPath: bait)
        // Links at every name the old code would have used for its temporary file.
        for pid in [getpid(), getpid() + 1] {
            try FileManager.default.createSymbolicLink(atPath: folder + "/token.tmp-\(pid)", withDestinationPath: bait)
        }
        let store = TokenStore(environment: HubEnvironment(variables: ["HF_HOME": folder, "HOME": home]))
        let path = try store.save("hf_secretsecret1234")
        #expect(path == folder + "/token")
        #expect(try String(contentsOfFile: bait, encoding: .utf8) == "original")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType == .typeRegular)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "hf_secretsecret1234")
        #expect(try Self.mode(path) == 0o600)
        #expect(try Self.mode(folder) == 0o700)
        // No temporary file is left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test("a token with a line break, space or control character is refused wherever it comes from")
    func controlCharacters() throws {
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        for bad in ["hf_a\r\nX-Injected: yes", "hf_a\u{0}b", "hf_a b", "hf_é"] {
            let env = HubEnvironment(variables: ["HF_TOKEN": bad, "HOME": home])
            #expect(throws: TokenStoreError.invalidToken(source: .environment, path: nil)) { try TokenStore(environment: env).resolve() }
            #expect(throws: TokenStoreError.self) { try TokenStore(environment: HubEnvironment(variables: ["HF_HOME": home])).save(bad) }
        }
        // Surrounding whitespace and a final newline are not part of the token.
        let env = HubEnvironment(variables: ["HF_TOKEN": "  hf_good\n", "HOME": home])
        #expect(try TokenStore(environment: env).resolve()?.value == "hf_good")
    }

    // MARK: - stored_tokens, as huggingface_hub writes it

    /// What huggingface_hub 2.x writes for three tokens (`_save_stored_tokens_full`: `ConfigParser.write` over the
    /// names sorted), byte for byte, produced by Python's configparser. An OAuth login adds `refresh_token` and
    /// `expires_at`; sections sort by code point, so `Personal token` comes before `oauth-alice`.
    static let hfWritten = "[Personal token]\nhf_token = hf_personal_9876543210\n\n"
        + "[oauth-alice]\nhf_token = hf_oauth_abcdefghij\nrefresh_token = hf_oauth_refresh_0123\nexpires_at = 1790000000\n\n"
        + "[work]\nhf_token = hf_work_0123456789abcd\n\n"

    /// The same file after `_save_token("hf_laptop_0123456789", "laptop")`, also from Python's configparser.
    static let hfWrittenPlusLaptop = "[Personal token]\nhf_token = hf_personal_9876543210\n\n"
        + "[laptop]\nhf_token = hf_laptop_0123456789\n\n"
        + "[oauth-alice]\nhf_token = hf_oauth_abcdefghij\nrefresh_token = hf_oauth_refresh_0123\nexpires_at = 1790000000\n\n"
        + "[work]\nhf_token = hf_work_0123456789abcd\n\n"

    static func environment(_ home: String, _ extra: [String: String] = [:]) -> HubEnvironment {
        HubEnvironment(variables: ["HF_HOME": home + "/hf", "HOME": home].merging(extra) { $1 })
    }

    static func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test("stored_tokens written by huggingface_hub parses to its entries and serializes back to the same bytes")
    func storedTokensRoundTrip() throws {
        let stored = try StoredTokens(parsing: Self.hfWritten)
        #expect(stored.names == ["Personal token", "oauth-alice", "work"])
        #expect(stored["oauth-alice"]?.token == "hf_oauth_abcdefghij")
        #expect(stored["oauth-alice"]?.fields.map(\.key) == ["hf_token", "refresh_token", "expires_at"])
        #expect(stored["oauth-alice"]?.expiresAt == 1_790_000_000)
        #expect(stored.serialized() == Self.hfWritten)
    }

    @Test("a login writes stored_tokens byte for byte as hf auth login would, keeps the other entries' fields, and makes the token active")
    func loginWritesHFFormat() async throws {
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment = Self.environment(home)
        let store = TokenStore(environment: environment)
        // A first login: one section and the token file.
        try await store.login("hf_laptop_0123456789", name: "laptop")
        #expect(try Self.text(environment.storedTokensPath) == "[laptop]\nhf_token = hf_laptop_0123456789\n\n")
        #expect(try Self.text(environment.tokenPath) == "hf_laptop_0123456789")
        #expect(try Self.mode(environment.storedTokensPath) == 0o600)
        #expect(try Self.mode(home + "/hf") == 0o700)
        // Into a file hf wrote: the OAuth entry's refresh fields survive, the new entry sorts into place.
        try Data(Self.hfWritten.utf8).write(to: URL(fileURLWithPath: environment.storedTokensPath))
        try await store.login("  hf_laptop_0123456789\n", name: "laptop")
        #expect(try Self.text(environment.storedTokensPath) == Self.hfWrittenPlusLaptop)
        // Logging in again under a name replaces that whole section, as huggingface_hub does.
        try await store.login("hf_work_new_0000000000", name: "oauth-alice")
        let stored = try store.storedTokens()
        #expect(stored["oauth-alice"]?.fields == [StoredTokens.Field("hf_token", "hf_work_new_0000000000")])
        #expect(stored.names.count == 4)
    }

    @Test("the token file's token is named from stored_tokens; HF_TOKEN, then HUGGING_FACE_HUB_TOKEN, win over it")
    func resolveNamesAndPrecedence() async throws {
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment = Self.environment(home)
        try FileManager.default.createDirectory(atPath: home + "/hf", withIntermediateDirectories: true)
        try Data(Self.hfWritten.utf8).write(to: URL(fileURLWithPath: environment.storedTokensPath))
        try TokenStore(environment: environment).save("hf_work_0123456789abcd")
        let stored = try #require(try TokenStore(environment: environment).resolve())
        #expect(stored.origin == TokenOrigin(source: .tokenFile, path: environment.tokenPath, name: "work"))
        #expect(stored.description.contains("'work'") && !stored.description.contains("0123456789"))
        let legacy = try TokenStore(environment: Self.environment(home, ["HUGGING_FACE_HUB_TOKEN": "hf_legacy_0123", "HF_TOKEN": ""])).resolve()
        #expect(legacy?.value == "hf_legacy_0123")
        #expect(legacy?.source == .legacyEnvironment)
        let both = try TokenStore(environment: Self.environment(home, ["HUGGING_FACE_HUB_TOKEN": "hf_legacy_0123", "HF_TOKEN": "hf_env_0123"])).resolve()
        #expect(both?.source == .environment)
        #expect(both?.value == "hf_env_0123")
        // stored_tokens sits beside HF_TOKEN_PATH's file, as huggingface_hub puts it.
        let custom = Self.environment(home, ["HF_TOKEN_PATH": home + "/elsewhere/tok"])
        #expect(custom.storedTokensPath == home + "/elsewhere/stored_tokens")
    }

    @Test("switch copies a stored token into the token file; a named logout removes that entry and, if active, the token file")
    func switchAndLogout() async throws {
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment = Self.environment(home)
        let store = TokenStore(environment: environment)
        try FileManager.default.createDirectory(atPath: home + "/hf", withIntermediateDirectories: true)
        try Data(Self.hfWritten.utf8).write(to: URL(fileURLWithPath: environment.storedTokensPath))
        try await store.switchTo(name: "Personal token")
        #expect(try Self.text(environment.tokenPath) == "hf_personal_9876543210")
        await #expect(throws: TokenStoreError.unknownTokenName("nope", known: ["Personal token", "oauth-alice", "work"])) {
            try await store.switchTo(name: "nope")
        }
        // Not the active one: the token file stays.
        let other = try await store.logout(name: "work")
        #expect(other == TokenStore.LogoutResult(removedName: "work", removedActiveToken: false, removedStoredTokens: false))
        #expect(FileManager.default.fileExists(atPath: environment.tokenPath))
        let active = try await store.logout(name: "Personal token")
        #expect(active.removedActiveToken)
        #expect(!FileManager.default.fileExists(atPath: environment.tokenPath))
        #expect(try Self.text(environment.storedTokensPath)
                == "[oauth-alice]\nhf_token = hf_oauth_abcdefghij\nrefresh_token = hf_oauth_refresh_0123\nexpires_at = 1790000000\n\n")
        // Without a name: both files go.
        try await store.switchTo(name: "oauth-alice")
        let all = try await store.logout(name: nil)
        #expect(all == TokenStore.LogoutResult(removedName: nil, removedActiveToken: true, removedStoredTokens: true))
        #expect(!FileManager.default.fileExists(atPath: environment.storedTokensPath))
    }

    @Test("stored_tokens that configparser would refuse is reported with its line and never overwritten",
          arguments: [("hf_token = x\n", 1), ("[a]\nhf_token = x\n[a]\nhf_token = y\n", 3), ("[a]\nhf_token = x\nhf_token = y\n", 3),
                      ("[a]\njunk line\n", 2), ("[a]\n= x\n", 2)])
    func malformedStoredTokens(text: String, line: Int) async throws {
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment = Self.environment(home)
        try FileManager.default.createDirectory(atPath: home + "/hf", withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: environment.storedTokensPath))
        var failure: TokenStoreError?
        do {
            try await TokenStore(environment: environment).login("hf_new_0123456789", name: "new")
        } catch {
            failure = error
        }
        if case let .malformedStoredTokens(path, reportedLine, _)? = failure {
            #expect(path == environment.storedTokensPath)
            #expect(reportedLine == line)
        } else {
            Issue.record("expected the file to be refused, got \(String(describing: failure))")
        }
        #expect(try Self.text(environment.storedTokensPath) == text)
        #expect(!FileManager.default.fileExists(atPath: environment.tokenPath))
    }

    @Test("parsing follows configparser: CRLF, comments, `key: value`, upper-case keys, continuation lines, [DEFAULT]")
    func configparserQuirks() throws {
        // Expected values and bytes come from Python's configparser reading and rewriting the same text.
        let text = "; written by hand\r\n[DEFAULT]\r\nnote = shared\r\n[a]]\r\nHF_Token: hf_a_0123456789\r\n# comment\r\n"
            + "[ spaced ]\r\nhf_token=hf_b_0123456789\r\nnote = own\r\n  continued\r\n"
        let stored = try StoredTokens(parsing: text)
        #expect(stored["a]"]?.fields == [.init("note", "shared"), .init("hf_token", "hf_a_0123456789")])
        #expect(stored[" spaced "]?.fields == [.init("note", "own\ncontinued"), .init("hf_token", "hf_b_0123456789")])
        #expect(stored.serialized() == "[ spaced ]\nnote = own\n\tcontinued\nhf_token = hf_b_0123456789\n\n"
                + "[a]]\nnote = shared\nhf_token = hf_a_0123456789\n\n")
    }

    @Test("names configparser cannot write back as the same name are refused", arguments: ["", "DEFAULT", "a\nb", " padded", "tab\tname"])
    func invalidNames(name: String) {
        var stored = StoredTokens()
        #expect(throws: TokenStoreError.invalidTokenName(name)) { try stored.set("hf_x_0123456789", name: name) }
        #expect(stored.entries.isEmpty)
    }
}

