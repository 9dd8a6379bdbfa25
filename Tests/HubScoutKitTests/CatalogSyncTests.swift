import Foundation
import HubScoutCatalog
import HubScoutCore
import HubScoutTestSupport
import Testing
@testable import HubScoutCatalogSync
@testable import HubScoutKit

/// `catalog sync` pages the listing into the catalog and resumes from its stored cursor.
@Suite("Catalog sync from the Hub listing", .serialized)
struct CatalogSyncTests {
    /// Collects progress reports from the sync's callback.
    final class ProgressLog: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [CatalogSync.Progress] = []
        func add(_ p: CatalogSync.Progress) { lock.withLock { items.append(p) } }
        var all: [CatalogSync.Progress] { lock.withLock { items } }
    }

    @Test("a failure on page 2 keeps the cursor; the next run resumes from it and ends with every model once")
    func resumesAfterFailureOnPageTwo() async throws {
        let faults = FaultInjector()
        try await TestHubServer.withPopulation(faults: faults) { server, _ in
            let client = CatalogTestHelpers.client(server)
            let (catalog, folder) = try CatalogTestHelpers.freshCatalog()
            defer { try? FileManager.default.removeItem(at: folder) }
            let options = CatalogSync.Options(task: "text-generation", pageSize: 3)
            let key = CatalogSync.key(for: options)
            let sync = CatalogSync(client: client, catalog: catalog)

            // Page 1 succeeds; from then on the listing answers 503, so page 2 fails.
            let log = ProgressLog()
            await #expect(throws: HubError.self) {
                try await sync.run(options) { progress in
                    log.add(progress)
                    if progress.pages == 1 {
                        faults.add(FaultRule(method: "GET", path: .exact("/api/models"), times: 1,
                                             action: .respond(status: 503, body: "maintenance")))
                    }
                }
            }
            #expect(log.all.count == 1)
            #expect(log.all.first?.models == 3)
            let stored = try #require(try await catalog.syncState(key: key)?.cursor)
            #expect(stored.contains("cursor="))
            #expect(try await catalog.stats().models == 3)

            // The second run starts at the stored page, not the first.
            let before = faults.requests.count
            let result = try await sync.run(options) { log.add($0) }
            #expect(result.resumed)
            let firstOfSecondRun = try #require(faults.requests.dropFirst(before).first)
            #expect(firstOfSecondRun.query?.contains("cursor=") == true)
            #expect(try await catalog.syncState(key: key)?.cursor == nil)

            let online = try await CatalogTestHelpers.collect(client.listModels(ModelQuery(task: "text-generation")))
            #expect(result.totalModels == online.count)
            #expect(online.count > 6)
            #expect(result.models == online.count - 3)
            let offline = try await OfflineSearch(catalog: catalog).search(.init(task: "text-generation", limit: 10_000))
            #expect(Set(offline.rows.map(\.id)) == Set(online.map(\.id)))
            #expect(try await catalog.stats().models == online.count)
            #expect(log.all.last?.hasMore == false)
        }
    }

    @Test("--limit stops after that many models and a finished sync leaves no cursor")
    func limitAndFinish() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let (catalog, folder) = try CatalogTestHelpers.freshCatalog()
            defer { try? FileManager.default.removeItem(at: folder) }
            let sync = CatalogSync(client: CatalogTestHelpers.client(server), catalog: catalog)
            let options = CatalogSync.Options(limit: 5, pageSize: 2)
            let result = try await sync.run(options)
            #expect(result.totalModels == 5)
            #expect(result.pages == 3)
            #expect(try await catalog.stats().models == 5)
            #expect(try await catalog.syncState(key: CatalogSync.key(for: options))?.cursor == nil)
            #expect(CatalogSync.key(for: options) == "sync:all")
            #expect(CatalogSync.key(for: .init(task: "text-generation", author: "meta-llama")) == "sync:author=meta-llama;task=text-generation")
            // The top 5 by downloads, as the listing sorts.
            let top = try await CatalogTestHelpers.collect(CatalogTestHelpers.client(server).listModels(
                ModelQuery(sort: .downloads, limit: 5)))
            let rows = try await OfflineSearch(catalog: catalog).search(.init(sort: .downloads, limit: 10))
            #expect(rows.rows.map(\.id) == top.map(\.id))
        }
    }

    @Test("a stored cursor round-trips, and a bare URL is accepted")
    func cursorEncoding() throws {
        let cursor = SyncCursor(next: "http://127.0.0.1:1/api/models?cursor=abc&limit=10", stored: 20)
        #expect(SyncCursor(cursor.encoded) == cursor)
        #expect(SyncCursor("https://huggingface.co/api/models?cursor=x")?.stored == 0)
        #expect(SyncCursor("garbage") == nil)
    }
}
