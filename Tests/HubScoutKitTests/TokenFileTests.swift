import Foundation
import HubScoutKit
import Testing

/// The token file against other local users: a planted link never receives the token, the folder
/// ends up 0700, and the file 0600.
@Suite("Token file: links, modes and bad tokens")
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
}
