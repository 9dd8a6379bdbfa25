import Foundation
import HubScoutCatalog
import HubScoutCatalogSync
import HubScoutCore
import HubScoutTestSupport
import Testing
@testable import HubScoutKit

/// Offline search answers like the online search, falls back when the Hub is down, and works on a
/// fresh machine from the shipped snapshot.
@Suite("Offline search from the catalog", .serialized)
struct OfflineSearchTests {
    /// Filter combinations compared online vs offline; `ordered` compares order too (sorted and limited queries).
    static let combinations: [(name: String, query: ModelQuery, ordered: Bool)] = [
        ("task", ModelQuery(task: "text-generation"), false),
        ("author", ModelQuery(author: "meta-llama"), false),
        ("library", ModelQuery(library: "transformers"), false),
        ("license", ModelQuery(license: "apache-2.0"), false),
        ("tag", ModelQuery(tags: ["conversational"]), false),
        ("text", ModelQuery(search: "llama"), false),
        ("text with punctuation", ModelQuery(search: "Llama-3.1"), false),
        ("task + sort downloads + limit", ModelQuery(task: "text-generation", sort: .downloads, limit: 7), true),
        ("author + sort likes + limit", ModelQuery(author: "facebook", sort: .likes, limit: 3), true),
        ("gated", ModelQuery(gated: true), false),
        ("not gated + task", ModelQuery(task: "feature-extraction", gated: false), false),
        ("library + tag", ModelQuery(library: "transformers", tags: ["conversational"]), false),
    ]

    @Test("offline search returns the same ids as the online search for every filter combination")
    func offlineEqualsOnline() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let client = CatalogTestHelpers.client(server)
            let (catalog, folder) = try CatalogTestHelpers.freshCatalog()
            defer { try? FileManager.default.removeItem(at: folder) }
            let synced = try await CatalogSync(client: client, catalog: catalog).run(.init(pageSize: 8))
            #expect(synced.pages >= 4)
            #expect(synced.totalModels >= 30)
            let search = OfflineSearch(catalog: catalog)
            for (name, query, ordered) in Self.combinations {
                var online = query
                online.expand = CatalogSync.listingFields
                let onlineIDs = try await CatalogTestHelpers.collect(client.listModels(online)).map(\.id)
                // The very filter the online search used.
                var filter = query.filter
                if filter.limit == nil { filter.limit = 10_000 }
                let offlineIDs = try await search.search(filter).rows.map(\.id)
                #expect(!onlineIDs.isEmpty, "\(name): the online search found nothing, so the comparison proves nothing")
                if ordered {
                    #expect(offlineIDs == onlineIDs, "\(name)")
                } else {
                    #expect(Set(offlineIDs) == Set(onlineIDs), "\(name): only online \(Set(onlineIDs).subtracting(offlineIDs)), only offline \(Set(offlineIDs).subtracting(onlineIDs))")
                    #expect(offlineIDs.count == onlineIDs.count, "\(name)")
                }
            }
        }
    }

    @Test("when the server is down the online search fails with a fallback error and the catalog answers with a last-synced line")
    func fallbackWhenServerIsDown() async throws {
        let (catalog, folder) = try CatalogTestHelpers.freshCatalog()
        defer { try? FileManager.default.removeItem(at: folder) }
        let population = try await OffPool.run { try FixturePopulation.build() }
        defer { population.cache.remove() }
        let server = try await TestHubServer.start(root: population.cache.root)
        let client = CatalogTestHelpers.client(server)
        try await CatalogSync(client: client, catalog: catalog).run(.init(task: "text-generation"))
        await server.stop()

        let query = ModelQuery(task: "text-generation", sort: .downloads, limit: 5)
        var failure: (any Error)?
        do {
            _ = try await CatalogTestHelpers.collect(client.listModels(query))
        } catch {
            failure = error
        }
        let error = try #require(failure, "the stopped server still answered")
        #expect(OfflineSearch.shouldFallBack(after: error), "\(error)")
        #expect(!OfflineSearch.shouldFallBack(after: HubError.repoNotFound(repo: "a/b", authenticated: false)))

        let result: OfflineSearch.Result = try await OfflineSearch(catalog: catalog).search(query.filter)
        #expect(result.rows.count == 5)
        #expect(result.rows.allSatisfy { $0.task == "text-generation" })
        #expect(result.rows.map { $0.downloads ?? 0 } == result.rows.map { $0.downloads ?? 0 }.sorted(by: >))
        let lastSync = try #require(result.lastSync)
        #expect(abs(lastSync.timeIntervalSinceNow) < 120)
        #expect(result.lastSyncDescription.hasPrefix("showing 5 models from the local catalog, last synced \(String(HubDate.format(lastSync).prefix(10)))"))
    }

    @Test("first run imports the shipped snapshot with the real estimator; text-generation fitting 16 GB gives Llama-3.1-8B at int8 or int4 and no 70B")
    func snapshotOnFirstRun() async throws {
        let home = try CatalogTestHelpers.temporaryFolder("home")
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = HubEnvironment(variables: ["HOME": home.path, "HUBSCOUT_HOME": home.appendingPathComponent("hubscout").path,
                                                     "HUBSCOUT_SNAPSHOT": CatalogTestHelpers.shippedSnapshot.path])
        let prepared = try await FirstRun.prepareCatalog(environment: environment)
        let imported = try #require(prepared.imported)
        let lines = try String(contentsOf: CatalogTestHelpers.shippedSnapshot, encoding: .utf8).split(separator: "\n").filter { !$0.isEmpty }
        #expect(imported.models == lines.count)
        // Every model with a parameter count and a layer/head shape (95 of 164 in the shipped file) gets estimates.
        #expect(imported.estimated >= 90)
        #expect(prepared.catalog.path == home.appendingPathComponent("hubscout/catalog.sqlite").path)

        let budget = try #require(ByteCount.parse("16GB")).bytes
        let result = try await OfflineSearch(catalog: prepared.catalog).search(
            ModelFilter(task: "text-generation", limit: 200), fit: FitConstraint(budgetBytes: budget))
        let llama = try #require(result.rows.first { $0.id == "meta-llama/Llama-3.1-8B-Instruct" })
        #expect(llama.fitPrecision == .int8 || llama.fitPrecision == .int4)
        #expect((llama.fitTotalBytes ?? .max) <= budget)
        #expect((llama.fitTotalBytes ?? 0) > 8_000_000_000)
        #expect(!result.rows.contains { $0.id.contains("70B") || $0.id.contains("405B") })
        #expect(result.rows.allSatisfy { ($0.fitTotalBytes ?? .max) <= budget && $0.task == "text-generation" })
        #expect(result.rows.count >= 10)

        // The real estimator, not the fallback: fp16 of an 8B model at 8k context is over 16 GB.
        let detail = try #require(try await prepared.catalog.model(id: "meta-llama/Llama-3.1-8B-Instruct"))
        let fp16 = try #require(detail.estimates.first { $0.precision == .fp16 })
        #expect(fp16.defaultContext == 8192)
        #expect(fp16.weightsBytes == 2 * 8_030_261_248)

        // A second run finds the catalog filled and imports nothing.
        let again = try await FirstRun.prepareCatalog(environment: environment)
        #expect(again.imported == nil)
    }

    @Test("the snapshot is HUBSCOUT_SNAPSHOT when set, else the copy compiled into the binary")
    func snapshotLocation() throws {
        let explicit = FirstRun.snapshotSource(variables: ["HUBSCOUT_SNAPSHOT": CatalogTestHelpers.shippedSnapshot.path])
        #expect(explicit == .file(CatalogTestHelpers.shippedSnapshot))
        #expect(FirstRun.snapshotSource(variables: ["HUBSCOUT_SNAPSHOT": "/nonexistent/models.jsonl"]) == nil)
        // Unset or empty: the embedded copy, byte for byte the shipped file.
        #expect(FirstRun.snapshotSource(variables: [:]) == .embedded)
        #expect(FirstRun.snapshotSource(variables: ["HUBSCOUT_SNAPSHOT": ""]) == .embedded)
        #expect(EmbeddedSnapshot.data == (try Data(contentsOf: CatalogTestHelpers.shippedSnapshot)))
    }

    @Test("the last-synced line names the count, the day and the age")
    func lastSyncLine() {
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let line = OfflineSearch.lastSyncDescription(count: 1, lastSync: now.addingTimeInterval(-3 * 86_400), now: now)
        #expect(line == "showing 1 model from the local catalog, last synced 2025-06-12 (3 days ago)")
        #expect(OfflineSearch.lastSyncDescription(count: 0, lastSync: nil).contains("never synced"))
    }
}
