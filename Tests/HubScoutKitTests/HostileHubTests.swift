import Foundation
import HubScoutCore
import HubScoutKit
import HubScoutNetwork
import HubScoutTestSupport
import Testing

/// hubscout's client commands against a Hub that lies (`HostileHub`): each attack must end in a
/// clear error, never a crash, a write outside the target, a connection to a foreign scheme, or a
/// token sent anywhere but the endpoint.
@Suite("Hostile Hub: lying etags, commits, links, redirects, sizes and headers")
struct HostileHubTests {
    /// A fresh folder with `hub/` (the cache) and `outside/` (where an escape would land).
    final class Workspace: @unchecked Sendable {
        let root: String
        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-hostile-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root + "/hub", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: root + "/outside", withIntermediateDirectories: true)
        }
        var cache: String { root + "/hub" }
        /// Every path under the workspace that is not inside the cache.
        func filesOutsideCache() -> [String] {
            let all = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
            return all.filter { !$0.hasPrefix("hub") && $0 != "outside" }
        }
        /// Every file under the cache whose real path leaves the cache.
        func escapes() -> [String] {
            let all = FileManager.default.enumerator(atPath: cache)?.allObjects as? [String] ?? []
            let realCache = URL(fileURLWithPath: cache).resolvingSymlinksInPath().path
            return all.filter { relative in
                let real = URL(fileURLWithPath: cache + "/" + relative).resolvingSymlinksInPath().path
                return !real.hasPrefix(realCache + "/") && real != realCache
            }
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    static func download(_ hub: HostileHub, _ workspace: Workspace, extra: [String] = [], environment: [String: String] = [:]) async throws -> CLIRunner.Run {
        try await CLIRunner.run(["download", HostileHub.repo, "--cache-dir", workspace.cache] + extra,
                                environment: ["HF_ENDPOINT": hub.apiURL].merging(environment) { _, new in new })
    }

    @Test("an etag that traverses out of the cache is refused before a byte is written", arguments: [
        #""../../outside/pwned""#, #""../../../../../../../../tmp/hubscout-pwned""#, "\"/etc/passwd\"", #""abc""#,
        "\"" + String(repeating: "AB", count: 32) + "\"", "\"" + String(repeating: "ab", count: 32) + "/x\"",
    ])
    func traversingETag(etag: String) async throws {
        let hub = try await HostileHub.start()
        let workspace = try Workspace()
        hub.etag(etag)
        let run = try await Self.download(hub, workspace)
        await hub.close()
        #expect(!run.crashed)
        #expect(run.status == 19, "exit \(run.status): \(run.stderr)")
        #expect(run.stderr.contains("invalid X-Linked-Etag"), "\(run.stderr)")
        #expect(workspace.filesOutsideCache().isEmpty)
        #expect(workspace.escapes().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/hubscout-pwned"))
        // Nothing at all was written for the refused file: no blob, no lock, no partial.
        let blobs = (try? FileManager.default.contentsOfDirectory(atPath: workspace.cache + "/models--acme--victim/blobs")) ?? []
        #expect(blobs.allSatisfy { BlobID($0) != nil }, "\(blobs)")
    }

    @Test("a commit that is not 40 hex digits never names a snapshot folder")
    func traversingCommit() async throws {
        let hub = try await HostileHub.start()
        let workspace = try Workspace()
        // The listing is honest, the per-file HEAD lies: the download must stop at the HEAD.
        hub.commit("../../../outside")
        let run = try await Self.download(hub, workspace)
        await hub.close()
        #expect(!run.crashed)
        #expect(run.status != 0)
        #expect(run.stderr.contains("X-Repo-Commit"), "\(run.stderr)")
        #expect(workspace.filesOutsideCache().isEmpty)
        #expect(workspace.escapes().isEmpty)
    }

    @Test("a next-page Link to another host gets no token, through the library and through the CLI")
    func crossHostLink() async throws {
        let hub = try await HostileHub.start()
        let elsewhere = try await HostileHub.start()
        // Same address, another port: another origin, so the token must not follow.
        hub.nextPage(elsewhere.apiURL + "/api/models?cursor=stolen")
        elsewhere.faults.add(FaultRule(method: "GET", path: .exact("/api/models"), times: .max,
                                       action: .respond(status: 200, headers: ["Content-Type": "application/json"], body: "[]")))
        let token = "hf_secretsecretsecret"
        let client = HubClient(environment: HubEnvironment(variables: ["HF_ENDPOINT": hub.apiURL, "HF_HUB_DOWNLOAD_TIMEOUT": String(TestTimeouts.stall)]),
                               token: try ResolvedToken(value: token, source: .commandLine))
        var seen = 0
        for try await _ in client.listModels(ModelQuery(limit: 5)) { seen += 1 }
        let run = try await CLIRunner.run(["search", "--limit", "5", "--json"], environment: ["HF_ENDPOINT": hub.apiURL, "HF_TOKEN": token])
        await hub.close(); await elsewhere.close()
        #expect(seen >= 1)
        #expect(!run.crashed)
        let followed = elsewhere.faults.requests.filter { $0.path == "/api/models" }
        #expect(!followed.isEmpty, "the next page was never fetched, so the test proves nothing")
        #expect(followed.allSatisfy { !$0.hasAuthorization })
        #expect(!followed.contains { $0.headers.contains { $0.value.contains(token) } })
        // The endpoint itself did get the token.
        #expect(hub.faults.requests.contains { $0.authorization == "Bearer \(token)" })
    }

    @Test("a next-page Link to a foreign scheme is a protocol error, and nothing connects to it")
    func foreignSchemeLink() async throws {
        let hub = try await HostileHub.start()
        let canary = try TCPCanary()
        defer { canary.stop() }
        hub.nextPage("gopher://127.0.0.1:\(canary.port)/_SET%20pwned")
        let client = HubClient(environment: HubEnvironment(variables: ["HF_ENDPOINT": hub.apiURL, "HF_HUB_DOWNLOAD_TIMEOUT": String(TestTimeouts.stall)]))
        await #expect(throws: HubError.self) {
            for try await _ in client.listModels(ModelQuery(limit: 5)) {}
        }
        await hub.close()
        #expect(canary.connections == 0)
    }

    @Test("a redirect to a non-http scheme is refused without connecting or reading", arguments: ["gopher", "dict", "file", "ftp", "smtp"])
    func foreignSchemeRedirect(scheme: String) async throws {
        let hub = try await HostileHub.start()
        let canary = try TCPCanary()
        defer { canary.stop() }
        let workspace = try Workspace()
        let target = scheme == "file" ? "file:///etc/passwd" : "\(scheme)://127.0.0.1:\(canary.port)/_SET%20pwned%0D%0A"
        hub.redirectDownloads(to: target)
        let run = try await Self.download(hub, workspace)
        await hub.close()
        #expect(!run.crashed)
        #expect(run.status != 0)
        #expect(run.stderr.contains("redirect"), "\(run.stderr)")
        #expect(canary.connections == 0)
        #expect(canary.bytes.isEmpty)
        // /etc/passwd never became a file of the download.
        let snapshots = FileManager.default.enumerator(atPath: workspace.cache)?.allObjects as? [String] ?? []
        #expect(!snapshots.contains { name in
            (try? String(contentsOfFile: workspace.cache + "/" + name, encoding: .utf8))?.contains("root:") == true
        })
    }

    @Test("an https request is never redirected down to plain http")
    func noDowngrade() throws {
        #expect(throws: TransportError.self) { try RedirectTarget.resolve("http://cdn.example/x", from: "https://hub.example/a") }
        #expect(try RedirectTarget.resolve("https://cdn.example/x", from: "http://hub.example/a") == "https://cdn.example/x")
        #expect(try RedirectTarget.resolve("/b?c=1", from: "https://hub.example/a") == "https://hub.example/b?c=1")
    }

    @Test("sizes of Int64.max or below zero fail info, download --dry-run and download cleanly", arguments: ["9223372036854775807", "-1", "9223372036854775808"])
    func hugeSizes(size: String) async throws {
        let hub = try await HostileHub.start()
        let workspace = try Workspace()
        hub.fileSizes(size)
        let environment = ["HF_ENDPOINT": hub.apiURL]
        let info = try await CLIRunner.run(["info", HostileHub.repo, "--no-headers"], environment: environment)
        let infoJSON = try await CLIRunner.run(["info", HostileHub.repo, "--no-headers", "--json"], environment: environment)
        let dryRun = try await Self.download(hub, workspace, extra: ["--dry-run"])
        let download = try await Self.download(hub, workspace)
        await hub.close()
        for run in [info, infoJSON, dryRun, download] {
            #expect(!run.crashed, "crashed: \(run.stderr.suffix(400))")
        }
        #expect(dryRun.status != 0)
        #expect(download.status != 0)
        if size != "9223372036854775808" {   // (that one does not even decode as a size)
            #expect(download.stderr.contains("size"), "\(download.stderr)")
        }
        #expect(workspace.filesOutsideCache().isEmpty)
    }

    @Test("a header bomb is cut off with a clear error")
    func headerBomb() async throws {
        let hub = try await HostileHub.start()
        hub.headerBomb(count: 400, length: 1_000)
        let client = HubClient(environment: HubEnvironment(variables: ["HF_ENDPOINT": hub.apiURL, "HF_HUB_DOWNLOAD_TIMEOUT": String(TestTimeouts.stall)]))
        do {
            for try await _ in client.listModels(ModelQuery(limit: 5)) {}
            Issue.record("a 400 KB response head was accepted")
        } catch let HubError.network(error) {
            #expect(error == .headersTooLarge(url: hub.apiURL + "/api/models?limit=5", limit: 256 << 10) || "\(error)".contains("exceed"), "\(error)")
        }
        let run = try await CLIRunner.run(["search", "--limit", "5"], environment: ["HF_ENDPOINT": hub.apiURL])
        await hub.close()
        #expect(!run.crashed)
        #expect(run.status != 0 || run.stderr.contains("exceed"), "\(run.status) \(run.stderr)")
    }

    @Test("a token with CR or LF is refused, naming where it came from, and never reaches the wire")
    func headerInjection() async throws {
        let hub = try await HostileHub.start()
        let run = try await CLIRunner.run(["search", "--limit", "1"], environment: ["HF_ENDPOINT": hub.apiURL, "HF_TOKEN": "hf_x\r\nX-Injected: yes"])
        let fromFile = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-token-\(UUID().uuidString)").path
        try Data("hf_abc\nX-Injected: yes\n".utf8).write(to: URL(fileURLWithPath: fromFile))
        defer { try? FileManager.default.removeItem(atPath: fromFile) }
        let fileRun = try await CLIRunner.run(["search", "--limit", "1"], environment: ["HF_ENDPOINT": hub.apiURL, "HF_TOKEN_PATH": fromFile])
        await hub.close()
        #expect(run.status == 1)
        #expect(run.stderr.contains("HF_TOKEN"), "\(run.stderr)")
        #expect(fileRun.status == 1)
        #expect(fileRun.stderr.contains(fromFile), "\(fileRun.stderr)")
        #expect(!hub.faults.requests.contains { $0.headers.contains { $0.name.lowercased() == "x-injected" } })
        // The transport refuses such a header whoever builds it.
        let transport = CurlTransport()
        await #expect(throws: TransportError.invalidHeader(name: "Authorization")) {
            _ = try await transport.send(HTTPRequest(url: hub.apiURL + "/api/models", headers: ["Authorization": "Bearer a\r\nX-Injected: yes"]))
        }
    }
}
