import Foundation
import HubScoutServer

/// A Hub that lies: the real test server over a small fixture repository, with a `FaultInjector` in
/// front that rewrites answers the way a malicious Hub, mirror or proxy would. Each method arms one
/// attack; hubscout's client commands are then run against `apiURL`.
///
/// ```swift
/// let hub = try await HostileHub.start()
/// defer { hub.finish() }
/// hub.etag(#""../../../../home/user/.bashrc""#)
/// // hubscout download acme/victim → must fail, writing nothing outside its cache
/// ```
public final class HostileHub: @unchecked Sendable {
    /// The repository every attack targets.
    public static let repo = "acme/victim"
    /// Its one LFS file and one regular file.
    public static let files = [FixtureFile("model.bin", generatedSize: 300_000, seed: 5, lfs: true),
                               FixtureFile("config.json", text: #"{"model_type": "llama", "hidden_size": 64}"#)]

    public let fixtures: FixtureCache
    public let server: TestHubServer
    public let faults: FaultInjector

    private init(fixtures: FixtureCache, server: TestHubServer, faults: FaultInjector) {
        self.fixtures = fixtures; self.server = server; self.faults = faults
    }

    /// Builds the fixture repository and serves it on 127.0.0.1 (API) and 127.0.0.2 (files).
    public static func start() async throws -> HostileHub {
        let fixtures = try await OffPool.run {
            let fixtures = try FixtureCache()
            try fixtures.addRepo(repo, commits: [files])
            return fixtures
        }
        let faults = FaultInjector()
        let server = try await TestHubServer.start(root: fixtures.root, faults: faults)
        return HostileHub(fixtures: fixtures, server: server, faults: faults)
    }

    /// `HF_ENDPOINT`.
    public var apiURL: String { server.apiURL }

    /// Stops the server and deletes the fixtures.
    public func close() async {
        await server.stop()
        fixtures.remove()
    }

    // MARK: - Attacks

    /// Every HEAD of a file answers this `X-Linked-Etag`, which clients read before `ETag` (it names
    /// the blob file in the cache).
    public func etag(_ value: String) {
        faults.add(FaultRule(method: "HEAD", path: .contains("/resolve/"), times: .max, action: .setHeader(name: "X-Linked-Etag", value: value)))
    }

    /// Every HEAD of a file answers this `X-Repo-Commit` (the snapshot folder's name).
    public func commit(_ value: String) {
        faults.add(FaultRule(method: "HEAD", path: .contains("/resolve/"), times: .max, action: .setHeader(name: "X-Repo-Commit", value: value)))
    }

    /// The model listing answers one model and a `Link: rel="next"` to `url`.
    public func nextPage(_ url: String) {
        let body = #"[{"id": "acme/victim", "_id": "1", "modelId": "acme/victim", "downloads": 1, "likes": 0, "tags": []}]"#
        faults.add(FaultRule(method: "GET", path: .exact("/api/models"), times: .max,
                             action: .respond(status: 200, headers: ["Content-Type": "application/json", "Link": "<\(url)>; rel=\"next\""], body: body)))
    }

    /// Every GET of a file's content is redirected to `location`.
    public func redirectDownloads(to location: String) {
        faults.add(FaultRule(method: "GET", path: .contains("/resolve/"), times: .max,
                             action: .respond(status: 302, headers: ["Location": location])))
        faults.add(FaultRule(method: "GET", path: .prefix("/lfs/"), times: .max,
                             action: .respond(status: 302, headers: ["Location": location])))
    }

    /// Model info (and its listing entry) claims `size` bytes for every file.
    public func fileSizes(_ size: String) {
        let sha = String(repeating: "ab", count: 32)
        let info = """
            {"id": "acme/victim", "_id": "1", "modelId": "acme/victim", "sha": "\(String(repeating: "c", count: 40))",
             "private": false, "gated": false, "disabled": false, "downloads": 1, "likes": 0, "tags": [], "library_name": "transformers",
             "siblings": [{"rfilename": "model-00001.safetensors", "size": \(size), "blobId": "\(String(repeating: "1", count: 40))",
                           "lfs": {"sha256": "\(sha)", "size": \(size), "pointerSize": 134}},
                          {"rfilename": "model-00002.safetensors", "size": \(size), "blobId": "\(String(repeating: "2", count: 40))",
                           "lfs": {"sha256": "\(sha)", "size": \(size), "pointerSize": 134}},
                          {"rfilename": "config.json", "size": 40, "blobId": "\(String(repeating: "3", count: 40))"}],
             "safetensors": {"parameters": {"F16": \(size)}, "total": \(size)},
             "usedStorage": \(size)}
            """
        let tree = """
            [{"type": "file", "oid": "\(String(repeating: "1", count: 40))", "size": \(size), "path": "model-00001.safetensors",
              "lfs": {"oid": "\(sha)", "size": \(size), "pointerSize": 134}},
             {"type": "file", "oid": "\(String(repeating: "2", count: 40))", "size": \(size), "path": "model-00002.safetensors",
              "lfs": {"oid": "\(sha)", "size": \(size), "pointerSize": 134}}]
            """
        faults.add(FaultRule(method: "GET", path: .contains("/tree/"), times: .max,
                             action: .respond(status: 200, headers: ["Content-Type": "application/json"], body: tree)))
        faults.add(FaultRule(method: "GET", path: .prefix("/api/models/acme/victim"), times: .max,
                             action: .respond(status: 200, headers: ["Content-Type": "application/json"], body: info)))
    }

    /// Every API answer is a 200 carrying `count` extra headers of `length` bytes each.
    public func headerBomb(count: Int, length: Int) {
        let value = String(repeating: "x", count: length)
        var headers: [String: String] = ["Content-Type": "application/json"]
        for index in 0..<count { headers["X-Bomb-\(index)"] = value }
        faults.add(FaultRule(path: .prefix("/api/"), times: .max, action: .respond(status: 200, headers: headers, body: "[]")))
    }
}
