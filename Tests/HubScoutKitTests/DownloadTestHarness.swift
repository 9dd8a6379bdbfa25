import Crypto
import Foundation
import HubScoutCore
import HubScoutKit
import HubScoutServer
import HubScoutTestSupport
import Testing

/// A fixture cache served by the test server plus an empty download cache, for download tests.
final class DownloadHarness: @unchecked Sendable {
    let fixtures: FixtureCache
    let server: TestHubServer
    let faults: FaultInjector
    /// A fresh temporary folder holding the download cache (`hub/`) and local dirs.
    let workspace: URL
    let events = EventLog()

    init(configuration: HubServerConfiguration = HubServerConfiguration(), build: @escaping @Sendable (FixtureCache) throws -> Void) async throws {
        // Writing fixtures blocks: off the cooperative pool the test servers answer from.
        fixtures = try await OffPool.run {
            let fixtures = try FixtureCache()
            try build(fixtures)
            return fixtures
        }
        faults = FaultInjector()
        server = try await TestHubServer.start(root: fixtures.root, configuration: configuration, faults: faults)
        workspace = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-dl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
    }

    var cacheRoot: String { workspace.path + "/hub" }

    func environment(offline: Bool = false) -> HubEnvironment {
        var variables = ["HF_ENDPOINT": server.apiURL, "HOME": workspace.path, "HF_HUB_CACHE": cacheRoot,
                         "HF_HUB_DOWNLOAD_TIMEOUT": String(TestTimeouts.stall)]
        if offline { variables["HF_HUB_OFFLINE"] = "1" }
        return HubEnvironment(variables: variables)
    }

    func client(token: String? = nil, offline: Bool = false) -> HubClient {
        HubClient(environment: environment(offline: offline), token: token.map { try! ResolvedToken(value: $0, source: .commandLine) })
    }

    /// Test-friendly defaults: small part sizes so ranged downloads happen on small files, short backoffs.
    static func options(connections: Int = 4, threshold: Int64 = 1 << 20, stall: Int = TestTimeouts.stall, retryDelay: Double = 0.05,
                        space: (@Sendable (String) -> Int64?)? = nil) -> DownloadOptions {
        DownloadOptions(connectionsPerFile: connections, maxConcurrentFiles: 4, parallelThreshold: threshold, minimumPartSize: 64 << 10,
                        stallTimeout: stall, maxRetries: 5, retryBaseDelay: retryDelay, durable: false, progressInterval: 0.05,
                        availableSpace: space)
    }

    func downloader(token: String? = nil, options: DownloadOptions = DownloadHarness.options()) -> Downloader {
        Downloader(client: client(token: token), options: options)
    }

    func download(_ repo: String, files: [String] = [], include: [String] = [], exclude: [String] = [], revision: String? = nil,
                  localDir: String? = nil, token: String? = nil, options: DownloadOptions = DownloadHarness.options()) async throws -> DownloadSummary {
        let request = DownloadRequest(repo: try RepoID(repo), revision: revision, files: files, include: include, exclude: exclude,
                                      localDirectory: localDir)
        let log = events
        return try await downloader(token: token, options: options).download(request) { log.append($0) }
    }

    /// The cache folder of a repo in the download cache.
    func repoFolder(_ repo: String) -> String { cacheRoot + "/" + ((try? RepoID(repo))?.cacheFolderName ?? "invalid") }

    /// GET requests the file host (127.0.0.2) received.
    var fileHostGets: [RecordedRequest] {
        faults.requests.filter { $0.method == "GET" && $0.path.hasPrefix("/lfs/") }
    }

    func close() async {
        await server.stop()
        fixtures.remove()
        try? FileManager.default.removeItem(at: workspace)
    }

    /// Runs `body`, then stops the server (gracefully, awaited) and deletes the files, also when `body` throws.
    func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await close()
            throw error
        }
        await close()
    }
}

/// Collects download events from any thread.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [DownloadEvent] = []

    func append(_ event: DownloadEvent) { lock.withLock { items.append(event) } }

    var all: [DownloadEvent] { lock.withLock { items } }

    /// Every notice text.
    var notices: [String] {
        all.compactMap { if case let .notice(_, message) = $0 { message } else { nil } }
    }

    var progress: [DownloadProgress] {
        all.compactMap { if case let .progress(p) = $0 { p } else { nil } }
    }

    func clear() { lock.withLock { items = [] } }
}

/// Reads a whole file (small test files only).
func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

/// sha256 of bytes in hex.
func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}
