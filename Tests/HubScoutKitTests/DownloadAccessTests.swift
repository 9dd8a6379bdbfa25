import Foundation
import HubScoutCore
import HubScoutKit
import HubScoutServer
import HubScoutTestSupport
import Testing

@Suite("Downloader access: gated repos, tokens, hostile file names")
struct DownloadAccessTests {
    static let granted = "hf_test_granted_0123456789"
    static let refused = "hf_test_refused_0123456789"

    static func repos(_ cache: FixtureCache) throws {
        try cache.addRepo("gate-org/gated-model", commits: [[
            FixtureFile("config.json", text: "{}"),
            FixtureFile("model.safetensors", generatedSize: 300_000, seed: 5, lfs: true),
        ]], facts: RepoFacts(gated: .manual))
        try cache.addRepo("gate-org/private-model", commits: [[FixtureFile("config.json", text: "{}")]],
                          facts: RepoFacts(isPrivate: true))
        try cache.addToken(granted, TokenGrant(user: "carol", role: "read", gatedRepos: ["gate-org/gated-model"]))
        try cache.addToken(refused, TokenGrant(user: "dave", role: "read"))
    }

    @Test("a gated repository without a token says how to log in and where to accept the terms")
    func gatedNoToken() async throws {
        let harness = try await DownloadHarness(build: Self.repos)
        try await harness.run {
            do {
                _ = try await harness.download("gate-org/gated-model")
                Issue.record("downloaded a gated repo anonymously")
            } catch let error as HubError {
                guard case let .gated(repo, pageURL, authenticated, _, _) = error else { throw error }
                #expect(repo == "gate-org/gated-model")
                #expect(pageURL == harness.server.apiURL + "/gate-org/gated-model")
                #expect(!authenticated)
                #expect(error.description.contains("log in"))
            }
        }
    }

    @Test("a token without access to the gated repository gets the access-request URL")
    func gatedRefusedToken() async throws {
        let harness = try await DownloadHarness(build: Self.repos)
        try await harness.run {
            do {
                _ = try await harness.download("gate-org/gated-model", token: Self.refused)
                Issue.record("downloaded a gated repo with a refused token")
            } catch let error as HubError {
                guard case let .gated(_, pageURL, authenticated, _, origin) = error else { throw error }
                #expect(authenticated)
                #expect(origin?.source == .commandLine)
                #expect(error.description.contains("request access at \(pageURL)"))
                // Which token lacks access, so the user knows whose account must ask.
                #expect(error.description.contains("your token from --token has not been granted access"), "\(error)")
            }
            let plan = try await harness.downloader(token: Self.refused).plan(DownloadRequest(repo: try RepoID("gate-org/gated-model")), probeAccess: true)
            #expect(plan.gated == .manual)
            #expect(plan.tokenSource == .commandLine)
            guard case .denied = plan.access else { Issue.record("access was \(String(describing: plan.access)), not denied"); return }
        }
    }

    @Test("a granted token downloads the gated repository, and the token never reaches the file host")
    func gatedGranted() async throws {
        let harness = try await DownloadHarness(build: Self.repos)
        try await harness.run {
            let summary = try await harness.download("gate-org/gated-model", token: Self.granted)
            #expect(summary.files.count == 2)
            #expect(summary.files.allSatisfy { $0.verified })
            #expect(harness.server.authorizationRejections == 0)
            #expect(!harness.fileHostGets.isEmpty)
            #expect(harness.fileHostGets.allSatisfy { !$0.hasAuthorization })
            // The token did go to the API host.
            #expect(harness.faults.requests.contains { $0.path.contains("/resolve/") && $0.authorization == "Bearer \(Self.granted)" })
            let plan = try await harness.downloader(token: Self.granted).plan(DownloadRequest(repo: try RepoID("gate-org/gated-model")), probeAccess: true)
            #expect(plan.access == .granted)
        }
    }

    @Test("an unknown token is reported as rejected, not as a missing repository")
    func invalidToken() async throws {
        let harness = try await DownloadHarness(build: Self.repos)
        try await harness.run {
            do {
                _ = try await harness.download("gate-org/gated-model", token: "hf_not_a_real_token_000")
                Issue.record("an unknown token was accepted")
            } catch let error as HubError {
                guard case .invalidToken = error else { throw error }
                #expect(error.description.contains("rejected your token"))
            }
        }
    }

    @Test("a private repository without a token looks missing and suggests logging in")
    func privateWithoutToken() async throws {
        let harness = try await DownloadHarness(build: Self.repos)
        try await harness.run {
            do {
                _ = try await harness.download("gate-org/private-model")
                Issue.record("downloaded a private repo anonymously")
            } catch let error as HubError {
                guard case let .repoNotFound(_, authenticated) = error else { throw error }
                #expect(!authenticated)
                #expect(error.description.contains("log in"))
            }
        }
    }

    @Test("hostile file names from the listing are refused before anything is written",
          arguments: ["../x", "/etc/passwd", "a/../../b", "ok/./x", "a//b", "nul\u{0}byte"])
    func hostileNames(name: String) async throws {
        let harness = try await DownloadHarness { cache in
            try cache.addRepo("evil/repo", commits: [[FixtureFile("config.json", text: "{}")]],
                              facts: RepoFacts(overrides: ["siblings": .array([.object(["rfilename": .string(name), "size": .int(3)])])]))
        }
        try await harness.run {
            do {
                _ = try await harness.download("evil/repo")
                Issue.record("accepted the file name \(name)")
            } catch let error as CacheError {
                guard case .unsafePath = error else { throw error }
            }
            #expect(!FileManager.default.fileExists(atPath: harness.workspace.path + "/x"))
            #expect(!FileManager.default.fileExists(atPath: harness.workspace.path + "/b"))
            #expect(!FileManager.default.fileExists(atPath: harness.repoFolder("evil/repo")))
        }
    }

    @Test("a snapshot folder replaced by a symlink pointing outside is not written through")
    func symlinkEscape() async throws {
        let harness = try await DownloadHarness { cache in
            try cache.addRepo("acme/nested", commits: [[FixtureFile("sub/config.json", text: "{}")]])
        }
        try await harness.run {
            let plan = try await harness.downloader().plan(DownloadRequest(repo: try RepoID("acme/nested")))
            let outside = harness.workspace.path + "/outside"
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: plan.destination, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: plan.destination + "/sub", withDestinationPath: outside)
            do {
                _ = try await harness.download("acme/nested")
                Issue.record("wrote through a symlinked folder")
            } catch let error as CacheError {
                guard case .unsafePath = error else { throw error }
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
        }
    }
}
