import Foundation
import HubScoutCore
import HubScoutNetwork
import HubScoutServer
import HubScoutTestSupport
import Testing
@testable import HubScoutKit

/// The Hub client through the real libcurl transport against the project's Hub-compatible server.
@Suite("HubClient against the test server", .serialized)
struct HubClientTests {
    static let fastRetry = RetryPolicy(maxRetries: 3, baseDelay: 0.01, maxDelay: 0.05, maxRetryAfter: 5)

    static func client(_ server: TestHubServer, token: String? = nil, retry: RetryPolicy = fastRetry) -> HubClient {
        let environment = HubEnvironment(variables: ["HF_ENDPOINT": server.apiURL, "HOME": NSTemporaryDirectory()])
        let transport = CurlTransport(configuration: TransportConfiguration(connectTimeout: TestTimeouts.connect, stallTimeout: TestTimeouts.stall, retry: retry))
        return HubClient(environment: environment, token: token.map { try! ResolvedToken(value: $0, source: .commandLine) }, transport: transport)
    }

    static func collect<S: AsyncSequence>(_ sequence: S) async throws -> [S.Element] {
        var items: [S.Element] = []
        for try await item in sequence { items.append(item) }
        return items
    }

    @Test("search by task follows Link pagination over three pages and keeps the filter")
    func pagination() async throws {
        let faults = FaultInjector()
        try await TestHubServer.withPopulation(faults: faults) { server, population in
            let expected = population.repos.values.filter { $0.id != FixturePopulation.privateRepoID }
            let query = ModelQuery(task: "text-generation", pageSize: 2, expand: ["pipeline_tag", "downloads"])
            let models = try await Self.collect(Self.client(server).listModels(query))
            #expect(models.count >= 5)
            #expect(models.allSatisfy { $0.pipelineTag == "text-generation" })
            #expect(Set(models.map(\.id)).count == models.count)
            // Distinct pages: a request retried after a stall on a loaded machine is the same page.
            var seenQueries = Set<String>()
            let pages = faults.requests.filter { $0.path == "/api/models" && seenQueries.insert($0.query ?? "").inserted }
            #expect(pages.count == (models.count + 1) / 2 + (models.count % 2 == 0 ? 1 : 0) || pages.count == (models.count + 1) / 2)
            #expect(pages.count >= 3)
            #expect(pages.dropFirst().allSatisfy { $0.query?.contains("cursor=") == true })
            _ = expected
        }
    }

    @Test("search filters: author, library, license, tag, sort and total limit")
    func filters() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let client = Self.client(server)
            let byAuthor = try await Self.collect(client.listModels(ModelQuery(author: "facebook")))
            #expect(!byAuthor.isEmpty && byAuthor.allSatisfy { $0.id.hasPrefix("facebook/") })
            let diffusers = try await Self.collect(client.listModels(ModelQuery(library: "diffusers")))
            #expect(Set(diffusers.map(\.id)) == ["CompVis/stable-diffusion-v1-4", "stabilityai/stable-diffusion-2-1"])
            let mit = try await Self.collect(client.listModels(ModelQuery(license: "mit", expand: ["tags"])))
            #expect(!mit.isEmpty && mit.allSatisfy { $0.tags.contains("license:mit") })
            let sorted = try await Self.collect(client.listModels(ModelQuery(sort: .downloads, limit: 4, expand: ["downloads"])))
            #expect(sorted.count == 4)
            #expect(sorted.map { $0.downloads ?? 0 } == sorted.map { $0.downloads ?? 0 }.sorted(by: >))
            let text = try await Self.collect(client.listModels(ModelQuery(search: "llama")))
            #expect(!text.isEmpty && text.allSatisfy { $0.id.lowercased().contains("llama") })
        }
    }

    @Test("model info: fields, file sizes with blobs=true, a tag revision and a renamed repo")
    func modelInfo() async throws {
        try await TestHubServer.withPopulation { server, population in
            let client = Self.client(server)
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let info = try await client.modelInfo(try RepoID(repo.id), blobs: true)
            #expect(info.id == repo.id)
            #expect(info.sha == repo.head)
            let siblings = try #require(info.siblings)
            for record in repo.files.last ?? [] {
                let sibling = try #require(siblings.first { $0.path == record.path })
                #expect((sibling.lfs?.size ?? sibling.size) == record.size)
                if record.isLFS { #expect(sibling.lfs?.sha256 == record.etag) }
            }
            let tagged = try await client.modelInfo(try RepoID(repo.id), revision: "v1.0")
            #expect(tagged.sha == repo.commits.first)
            let renamed = try await client.modelInfo(try RepoID("meta-llama/Meta-Llama-3.1-8B-Instruct"))
            #expect(renamed.id == "meta-llama/Llama-3.1-8B-Instruct")
            #expect(renamed.gated == .manual)
        }
    }

    @Test("User-Agent is hubscout's, and a relative 307 keeps the token on the same host")
    func userAgentAndRelativeRedirect() async throws {
        let faults = FaultInjector()
        try await TestHubServer.withPopulation(faults: faults) { server, _ in
            let client = Self.client(server, token: FixturePopulation.aliceToken)
            let info = try await client.modelInfo(try RepoID("meta-llama/Meta-Llama-3.1-8B-Instruct"))
            #expect(info.id == FixturePopulation.gatedRepoID)
            let hops = faults.requests.filter { $0.path.hasPrefix("/api/models/meta-llama/") }
            #expect(hops.map(\.path) == ["/api/models/meta-llama/Meta-Llama-3.1-8B-Instruct", "/api/models/meta-llama/Llama-3.1-8B-Instruct"])
            #expect(hops.allSatisfy { $0.authorization == "Bearer \(FixturePopulation.aliceToken)" })
            let agents = faults.requests.compactMap { r in r.headers.first { $0.name.lowercased() == "user-agent" }?.value }
            #expect(!agents.isEmpty && agents.allSatisfy { $0 == "hubscout/\(HubScoutVersion.current)" })
        }
    }

    @Test("tree listing pages through every file")
    func tree() async throws {
        try await TestHubServer.withPopulation(configuration: HubServerConfiguration(treePageSize: 3)) { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let entries = try await Self.collect(Self.client(server).listTree(try RepoID(repo.id)))
            let files = Set(entries.filter(\.isFile).map(\.path))
            #expect(files == Set((repo.files.last ?? []).map(\.path)))
        }
    }

    @Test("typed errors: not found, revision, entry, private, invalid token")
    func errors() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let anonymous = Self.client(server)
            let alice = Self.client(server, token: FixturePopulation.aliceToken)
            let bob = Self.client(server, token: FixturePopulation.bobToken)
            let files = try RepoID(FixturePopulation.filesRepoID)

            await #expect(throws: HubError.repoNotFound(repo: "nobody/nothing", authenticated: false)) {
                _ = try await anonymous.modelInfo(try RepoID("nobody/nothing"))
            }
            await #expect(throws: HubError.repoNotFound(repo: "nobody/nothing", authenticated: true)) {
                _ = try await alice.modelInfo(try RepoID("nobody/nothing"))
            }
            await #expect(throws: HubError.revisionNotFound(repo: files.description, revision: "no-such-branch")) {
                _ = try await anonymous.modelInfo(files, revision: "no-such-branch")
            }
            await #expect(throws: HubError.entryNotFound(repo: files.description, path: "missing.bin", revision: "main")) {
                _ = try await anonymous.fileMetadata(files, path: "missing.bin")
            }
            let privateRepo = try RepoID(FixturePopulation.privateRepoID)
            await #expect(throws: HubError.repoNotFound(repo: privateRepo.description, authenticated: true)) {
                _ = try await bob.modelInfo(privateRepo)
            }
            let visible = try await alice.modelInfo(privateRepo)
            #expect(visible.id == privateRepo.description)
            let bad = Self.client(server, token: "hf_not_a_real_token")
            // The error names where the rejected token came from and the endpoint's page for new ones.
            await #expect(throws: HubError.invalidToken(serverMessage: "Invalid credentials in Authorization header",
                                                        origin: TokenOrigin(source: .commandLine), tokensPage: server.apiURL + "/settings/tokens")) {
                _ = try await bad.whoami()
            }
            await #expect(throws: HubError.notLoggedIn(what: "whoami")) { _ = try await anonymous.whoami() }
            let who = try await alice.whoami()
            #expect(who.name == "alice")
            #expect(who.orgs?.map(\.name) == ["hubscout-test"])
        }
    }

    @Test("gated repo: metadata public; files need a token with access, and the error says where to ask")
    func gated() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let gated = try RepoID(FixturePopulation.gatedRepoID)
            let anonymous = Self.client(server)
            #expect(try await anonymous.modelInfo(gated).gated == .manual)
            do {
                _ = try await anonymous.fileMetadata(gated, path: "config.json")
                Issue.record("anonymous download of a gated file succeeded")
            } catch let error as HubError {
                guard case let .gated(repo, pageURL, authenticated, _, _) = error else { Issue.record("got \(error)"); return }
                #expect(repo == gated.description && !authenticated)
                #expect(pageURL == "\(server.apiURL)/\(gated)")
                #expect(error.description.contains("log in"))
            }
            do {
                _ = try await Self.client(server, token: FixturePopulation.bobToken).fileMetadata(gated, path: "config.json")
                Issue.record("bob downloaded a gated file")
            } catch let error as HubError {
                guard case let .gated(_, _, authenticated, _, origin) = error else { Issue.record("got \(error)"); return }
                #expect(authenticated)
                #expect(origin?.source == .commandLine && error.description.contains("token from --token"), "\(error)")
                #expect(error.description.contains("request access at \(server.apiURL)/\(gated)"))
            }
            let granted = try await Self.client(server, token: FixturePopulation.aliceToken).fileMetadata(gated, path: "config.json")
            #expect(granted.size > 0)
        }
    }

    @Test("429 with RateLimit is waited out, then succeeds")
    func rateLimitThenSuccess() async throws {
        let faults = FaultInjector()
        faults.add(FaultRule(method: "GET", path: .prefix("/api/models/"), times: 1, action: .rateLimited(bucket: "api", seconds: 0)))
        try await TestHubServer.withPopulation(faults: faults) { server, _ in
            let started = Date()
            let info = try await Self.client(server).modelInfo(try RepoID("openai-community/gpt2"))
            #expect(info.id == "openai-community/gpt2")
            #expect(Date().timeIntervalSince(started) >= 0.9)   // RateLimit t=0 → wait t+1 s
            #expect(faults.requests.filter { $0.path == "/api/models/openai-community/gpt2" }.count == 2)
        }
    }

    @Test("a rate limit longer than we accept is reported with its wait")
    func rateLimitReported() async throws {
        let faults = FaultInjector()
        faults.add(FaultRule(path: .prefix("/api/models/"), times: 10, action: .rateLimited(bucket: "api", seconds: 120)))
        try await TestHubServer.withPopulation(faults: faults) { server, _ in
            await #expect(throws: HubError.rateLimited(bucket: "api", retryAfter: 121)) {
                _ = try await Self.client(server).modelInfo(try RepoID("openai-community/gpt2"))
            }
        }
    }

    @Test("5xx is retried with backoff, then given up with a clear error")
    func serverErrors() async throws {
        let faults = FaultInjector()
        faults.add(FaultRule(path: .exact("/api/models/google-t5/t5-small"), times: 2, action: .respond(status: 503)))
        faults.add(FaultRule(path: .exact("/api/models/openai-community/gpt2"), times: 100, action: .respond(status: 500, body: #"{"error":"boom"}"#)))
        try await TestHubServer.withPopulation(faults: faults) { server, _ in
            let client = Self.client(server)
            #expect(try await client.modelInfo(try RepoID("google-t5/t5-small")).id == "google-t5/t5-small")
            do {
                _ = try await client.modelInfo(try RepoID("openai-community/gpt2"))
                Issue.record("500 was not reported")
            } catch let error as HubError {
                guard case let .serverError(status, _, message, _) = error else { Issue.record("got \(error)"); return }
                #expect(status == 500 && message == "boom")
                #expect(error.description.contains("after retries"))
            }
            #expect(faults.requests.filter { $0.path == "/api/models/openai-community/gpt2" }.count == 1 + Self.fastRetry.maxRetries)
        }
    }

    @Test("connection refused is a network error with a hint")
    func connectionRefused() async throws {
        let environment = HubEnvironment(variables: ["HF_ENDPOINT": "http://127.0.0.1:9", "HOME": NSTemporaryDirectory()])
        let client = HubClient(environment: environment, transport: CurlTransport(configuration: .init(retry: .none)))
        do {
            _ = try await client.modelInfo(try RepoID("a/b"))
            Issue.record("no error")
        } catch let error as HubError {
            guard case .network(.connectionFailed) = error else { Issue.record("got \(error)"); return }
            #expect(error.description.contains("HF_ENDPOINT"))
        }
    }

    @Test("ranged reads of an LFS file: token kept on the Hub host, never sent to the file host")
    func rangedReadDropsAuthorization() async throws {
        let faults = FaultInjector()
        try await TestHubServer.withPopulation(faults: faults) { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let lfs = try #require((repo.files.last ?? []).first { $0.isLFS && $0.size > 4096 })
            let client = Self.client(server, token: FixturePopulation.aliceToken)
            let bytes = try await client.readRange(try RepoID(repo.id), path: lfs.path, offset: 100, length: 1000)
            #expect(bytes == lfs.file.bytes(100..<1100))
            #expect(server.authorizationRejections == 0)
            let fileHostRequests = faults.requests.filter { $0.host?.hasPrefix("127.0.0.2") == true || $0.host?.hasPrefix("localhost") == true }
            #expect(!fileHostRequests.isEmpty)
            #expect(fileHostRequests.allSatisfy { !$0.hasAuthorization })
            let hubRequests = faults.requests.filter { $0.path.contains("/resolve/") }
            #expect(hubRequests.allSatisfy { $0.hasAuthorization })
        }
    }

    @Test("a server that ignores Range is cut off after the window")
    func rangeIgnored() async throws {
        let faults = FaultInjector()
        faults.add(FaultRule(path: .contains("/"), times: 100, action: .ignoreRange))
        try await TestHubServer.withPopulation(faults: faults) { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let lfs = try #require((repo.files.last ?? []).first { $0.isLFS && $0.size > 1_000_000 })
            let bytes = try await Self.client(server).readRange(try RepoID(repo.id), path: lfs.path, offset: 5000, length: 64)
            #expect(bytes == lfs.file.bytes(5000..<5064))
        }
    }

    @Test("file metadata: commit, etag and size the huggingface_hub way")
    func fileMetadata() async throws {
        try await TestHubServer.withPopulation { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let client = Self.client(server)
            for record in repo.files.last ?? [] {
                let meta = try await client.fileMetadata(try RepoID(repo.id), path: record.path)
                #expect(meta.commit.value == repo.head)
                #expect(meta.etag.value == record.etag)
                #expect(meta.size == record.size)
                #expect(meta.isLFS == record.isLFS)
                #expect(meta.location.hasPrefix(record.isLFS ? server.fileURL : server.apiURL))
            }
        }
    }
}

@Suite("Token resolution and storage")
struct TokenStoreTests {
    static func environment(_ extra: [String: String] = [:]) throws -> (HubEnvironment, String) {
        let home = NSTemporaryDirectory() + "hubscout-token-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        return (HubEnvironment(variables: ["HOME": home].merging(extra) { $1 }), home)
    }

    @Test("order: --token, HF_TOKEN, HF_TOKEN_PATH, $HF_HOME/token")
    func order() throws {
        let (plain, home) = try Self.environment()
        defer { try? FileManager.default.removeItem(atPath: home) }
        #expect(try TokenStore(environment: plain).resolve() == nil)
        try TokenStore(environment: plain).save("hf_from_file\n")
        #expect(try TokenStore(environment: plain).resolve()?.source == .tokenFile)
        #expect(try TokenStore(environment: plain).resolve()?.value == "hf_from_file")
        let custom = home + "/custom-token"
        try "hf_from_path".write(toFile: custom, atomically: true, encoding: .utf8)
        let withPath = HubEnvironment(variables: plain.variables.merging(["HF_TOKEN_PATH": custom]) { $1 })
        #expect(try TokenStore(environment: withPath).resolve()?.value == "hf_from_path")
        let withEnv = HubEnvironment(variables: withPath.variables.merging(["HF_TOKEN": " hf_from_env "]) { $1 })
        #expect(try TokenStore(environment: withEnv).resolve()?.value == "hf_from_env")
        #expect(try TokenStore(environment: withEnv).resolve(commandLine: "hf_cli")?.source == .commandLine)
    }

    @Test("the token file is written 0600 in a 0700 folder and never printed")
    func permissions() throws {
        let (environment, home) = try Self.environment()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let path = try TokenStore(environment: environment).save("hf_secretsecret1234")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: (path as NSString).deletingLastPathComponent)
        #expect((folder[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let resolved = try #require(try TokenStore(environment: environment).resolve())
        #expect(!resolved.description.contains("secretsecret"))
        #expect(resolved.masked == "hf_…1234")
        #expect(try TokenStore(environment: environment).remove())
        #expect(try TokenStore(environment: environment).resolve() == nil)
    }

    @Test("HF_HOME, XDG_CACHE_HOME and HF_HUB_CACHE locate the cache like huggingface_hub")
    func locations() {
        let a = HubEnvironment(variables: ["HOME": "/h"])
        #expect(a.hubCache == "/h/.cache/huggingface/hub" && a.tokenPath == "/h/.cache/huggingface/token")
        #expect(a.endpoint == "https://huggingface.co")
        let b = HubEnvironment(variables: ["HOME": "/h", "XDG_CACHE_HOME": "/x", "HF_ENDPOINT": "http://m:1/"])
        #expect(b.hubCache == "/x/huggingface/hub" && b.endpoint == "http://m:1")
        let c = HubEnvironment(variables: ["HOME": "/h", "HF_HOME": "~/hf", "HF_HUB_CACHE": "/c", "HF_HUB_OFFLINE": "YES"])
        #expect(c.hubCache == "/c" && c.tokenPath == "/h/hf/token" && c.offline)
    }
}

@Suite("Protocol helpers")
struct ProtocolHelperTests {
    @Test("Link header: next relation among several")
    func link() {
        let header = #"<https://huggingface.co/api/models?limit=10&cursor=abc%3D>; rel="next", <https://x/prev>; rel="prev""#
        #expect(LinkHeader.url(in: header, relation: "next") == "https://huggingface.co/api/models?limit=10&cursor=abc%3D")
        #expect(LinkHeader.url(in: header, relation: "last") == nil)
        #expect(LinkHeader.url(in: nil, relation: "next") == nil)
    }

    @Test("RateLimit header and Retry-After give the wait")
    func rateLimit() {
        #expect(RetryPolicy.serverRequestedDelay(["RateLimit": #""api";r=0;t=37"#]) == 38)
        #expect(RetryPolicy.serverRequestedDelay(["RateLimit": #""api";r=5;t=37"#, "Retry-After": "3"]) == 3)
        #expect(RetryPolicy.serverRequestedDelay(["Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"]) == nil)
        #expect(RateLimitHeader(#""resolvers";r=0;t=2"#)?.bucket == "resolvers")
    }

    @Test("the token goes to the endpoint's origin only: one decision, which every request asks")
    func authorizationDecision() throws {
        let environment = HubEnvironment(variables: ["HOME": "/h", "HF_ENDPOINT": "https://hub.example:443/"])
        let token = try ResolvedToken(value: "hf_secret", source: .commandLine)
        #expect(environment.authorization(for: "https://hub.example/api/models", token: token) == "Bearer hf_secret")
        #expect(environment.authorization(for: "HTTPS://HUB.EXAMPLE:443/a/b/resolve/main/x", token: token) == "Bearer hf_secret")
        for elsewhere in ["https://hub.example.evil/x", "http://hub.example/x", "https://hub.example:8443/x", "https://cdn-lfs.example/x",
                          "https://hub.example@evil.example/x", "ftp://hub.example/x", "/relative", "not a url"] {
            #expect(environment.authorization(for: elsewhere, token: token) == nil, "\(elsewhere)")
        }
        #expect(environment.authorization(for: "https://hub.example/x", token: nil) == nil)
        // An endpoint that is not an http(s) URL has no origin: the token goes nowhere.
        let odd = HubEnvironment(variables: ["HOME": "/h", "HF_ENDPOINT": "file:///tmp/hub"])
        #expect(odd.authorization(for: "file:///tmp/hub/x", token: token) == nil)

        // The client's requests ask the same question, and a caller's own Authorization header is dropped.
        let client = HubClient(environment: environment, token: token)
        #expect(client.request(url: "https://hub.example/api/whoami-v2").headers["Authorization"] == "Bearer hf_secret")
        let smuggled = client.request(url: "https://cdn.example/x", headers: ["Authorization": "Bearer hf_secret"])
        #expect(smuggled.headers["Authorization"] == nil)
    }

    @Test("revisions are encoded with no safe characters, paths keep slashes")
    func encoding() throws {
        let client = HubClient(environment: HubEnvironment(variables: ["HOME": "/h", "HF_ENDPOINT": "http://h"]))
        #expect(client.resolveURL(repo: try RepoID("a/b"), revision: "refs/pr/1", path: "dir/my file.bin")
                == "http://h/a/b/resolve/refs%2Fpr%2F1/dir/my%20file.bin")
    }

    @Test("etags are read as blob ids: quotes and W/ removed, anything but 40 or 64 lower-case hex refused")
    func etag() throws {
        let sha1 = String(repeating: "ab", count: 20), sha256 = String(repeating: "0f", count: 32)
        #expect(try BlobID(etagHeader: "W/\"\(sha1)\"").value == sha1)
        #expect(try BlobID(etagHeader: "\"\(sha256)\"").kind == .sha256)
        #expect(try BlobID(etagHeader: sha1).kind == .gitSHA1)
        for hostile in ["\"../../../../../home/user/.bashrc\"", "\"abc\"", "\"\(sha1.uppercased())\"", "\"\(sha1)/x\"",
                        "\"\(sha1)\u{0}\"", "\"\(sha256)0\"", "", "\"\""] {
            #expect(throws: WireValueError.self) { try BlobID(etagHeader: hostile) }
        }
        #expect(CommitHash(String(repeating: "a", count: 40)) != nil)
        #expect(CommitHash("../" + String(repeating: "a", count: 37)) == nil)
        #expect(CommitHash(String(repeating: "A", count: 40)) == nil)
    }
}
