import Foundation
import HubScoutCatalog
import HubScoutCore
import HubScoutTestSupport
import Testing
@testable import HubScoutKit

/// Several `hubscout` processes write one catalog file at the same time: nothing is lost, and the
/// first-run snapshot import happens once.
@Suite("Catalog written by concurrent processes", .serialized)
struct CatalogProcessTests {
    @Test("two syncs and a search in three processes at once lose nothing")
    func concurrentProcesses() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let home = try CatalogTestHelpers.temporaryFolder("catalog-processes")
            defer { try? FileManager.default.removeItem(at: home) }
            let environment = ["HF_ENDPOINT": server.apiURL, "HUBSCOUT_HOME": home.path]

            async let textGeneration = CLIRunner.run(["catalog", "sync", "--task", "text-generation"], environment: environment)
            async let facebook = CLIRunner.run(["catalog", "sync", "--author", "facebook"], environment: environment)
            async let search = CLIRunner.run(["search", "--library", "diffusers", "--json"], environment: environment)
            let runs = try await [textGeneration, facebook, search]
            for run in runs { #expect(run.status == 0, "\(run.stderr)") }

            let client = CatalogTestHelpers.client(server)
            let expected = Set(try await CatalogTestHelpers.collect(client.listModels(ModelQuery(task: "text-generation"))).map(\.id))
                .union(try await CatalogTestHelpers.collect(client.listModels(ModelQuery(author: "facebook"))).map(\.id))
                .union(try await CatalogTestHelpers.collect(client.listModels(ModelQuery(library: "diffusers"))).map(\.id))
            #expect(expected.count >= 10)

            let catalog = try Catalog(path: home.appendingPathComponent("catalog.sqlite").path)
            for id in expected {
                let detail = try await catalog.model(id: id)
                #expect(detail != nil, "\(id) is missing from the catalog")
            }
            // The shipped snapshot (164 models) was imported exactly once, whichever process got there first.
            let imports = runs.filter { $0.stderr.contains("into the new catalog") }.count
            #expect(imports <= 1)
            let stats = try await catalog.stats()
            #expect(stats.models >= 164)
            #expect(stats.models <= 164 + expected.count)
        }
    }
}
