import Foundation
import HubScoutCatalog
import HubScoutNetwork
import HubScoutTestSupport
import Testing
@testable import HubScoutKit

/// Shared pieces of the catalog, offline-search and inventory tests: temporary folders, a fresh catalog
/// file, a client of the test server, and the package root (for the shipped snapshot).
enum CatalogTestHelpers {
    /// A new empty temporary folder.
    static func temporaryFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A fresh catalog file in its own temporary folder.
    static func freshCatalog() throws -> (Catalog, URL) {
        let folder = try temporaryFolder("catalog")
        return (try Catalog(path: folder.appendingPathComponent("catalog.sqlite").path), folder)
    }

    /// A client of the test server; retries off so injected failures surface at once.
    static func client(_ server: TestHubServer, retry: RetryPolicy = .none) -> HubClient {
        let environment = HubEnvironment(variables: ["HF_ENDPOINT": server.apiURL, "HOME": NSTemporaryDirectory()])
        return HubClient(environment: environment,
                         transport: CurlTransport(configuration: TransportConfiguration(connectTimeout: TestTimeouts.connect, stallTimeout: TestTimeouts.stall, retry: retry)))
    }

    /// Every item of an async sequence.
    static func collect<S: AsyncSequence>(_ sequence: S) async throws -> [S.Element] {
        var items: [S.Element] = []
        for try await item in sequence { items.append(item) }
        return items
    }

    /// The package root (three levels above this file).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The shipped snapshot, `cache/models.jsonl`.
    static var shippedSnapshot: URL { packageRoot.appendingPathComponent("cache/models.jsonl") }
}
