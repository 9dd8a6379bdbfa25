import Foundation
import HubScoutCore
import HubScoutNetwork
import HubScoutServer
import HubScoutTestSupport
import Testing

/// `/api/models` against the fixture population over real HTTP: filters, sorting, expand, and Link pagination.
@Suite("Hub server: model listing")
struct ServerContractTests {
    /// Ids the population holds that an anonymous caller can see.
    static func visible(_ population: FixturePopulation) -> [String] {
        population.repos.keys.filter { $0 != FixturePopulation.privateRepoID }
    }

    @Test("a pipeline_tag listing pages by 3 with absolute Link URLs and ends without Link")
    func threePagesWithAbsoluteLinks() async throws {
        try await TestHubServer.withPopulation { server, population in
            let expected = FixturePopulation.seeds.filter { $0.pipelineTag == "text-generation" }
                .map { ($0.id, $0.downloads) } + [(FixturePopulation.filesRepoID, 1), (FixturePopulation.plainRepoID, 0)]
            let order = expected.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.lowercased() < $1.0.lowercased() }.map(\.0)
            let (pages, links) = try await ServerTestClient.allPages(
                "\(server.apiURL)/api/models?pipeline_tag=text-generation&sort=downloads&limit=3")
            #expect(pages.count == (order.count + 2) / 3)
            #expect(pages.count >= 3)
            #expect(pages.dropLast().allSatisfy { $0.count == 3 })
            #expect(links.count == pages.count - 1)
            for link in links {
                #expect(link.hasPrefix("\(server.apiURL)/api/models?"))
                #expect(link.contains("pipeline_tag=text-generation") && link.contains("limit=3") && link.contains("cursor="))
            }
            #expect(pages.flatMap { $0 }.compactMap { $0["id"]?.stringValue } == order)
        }
    }

    @Test("repeated filter values must all match, license and library tags included")
    func filtersAllMatch() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let response = try await ServerTestClient.send("\(server.apiURL)/api/models?filter=license:mit&filter=transformers")
            #expect(response.status == 200)
            let ids = Set(try ServerTestClient.json(response).arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
            let expected = Set(FixturePopulation.seeds.filter { $0.license == "mit" && $0.libraryName == "transformers" }.map(\.id)
                               + [FixturePopulation.filesRepoID])
            #expect(!expected.isEmpty)
            #expect(ids == expected)
        }
    }

    @Test("search, author and gated narrow the listing")
    func searchAuthorGated() async throws {
        try await TestHubServer.withPopulation { server, population in
            let search = try ServerTestClient.json(try await ServerTestClient.send("\(server.apiURL)/api/models?search=LLAMA"))
            #expect(Set(search.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
                    == Set(Self.visible(population).filter { $0.lowercased().contains("llama") }))
            let author = try ServerTestClient.json(try await ServerTestClient.send("\(server.apiURL)/api/models?author=google"))
            #expect(Set(author.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
                    == Set(Self.visible(population).filter { $0.hasPrefix("google/") }))
            let gated = try ServerTestClient.json(try await ServerTestClient.send("\(server.apiURL)/api/models?gated=true"))
            #expect(Set(gated.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
                    == Set(FixturePopulation.seeds.filter { $0.gated != nil }.map(\.id)))
        }
    }

    @Test("default items carry the Hub's list fields; expand narrows to _id, id and the asked keys")
    func expandNarrows() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let plain = try ServerTestClient.json(try await ServerTestClient.send("\(server.apiURL)/api/models?limit=1"))
            let plainKeys = Set(plain.arrayValue?.first?.objectValue?.keys.map { $0 } ?? [])
            #expect(plainKeys.isSuperset(of: ["_id", "id", "likes", "downloads", "tags", "private", "createdAt", "modelId"]))
            #expect(!plainKeys.contains("siblings"))
            let expanded = try ServerTestClient.json(try await ServerTestClient.send(
                "\(server.apiURL)/api/models?limit=2&expand[]=downloads&expand[]=gated&expand=safetensors"))
            for item in expanded.arrayValue ?? [] {
                let keys = Set(item.objectValue?.keys.map { $0 } ?? [])
                #expect(keys.isSubset(of: ["_id", "id", "downloads", "gated", "safetensors"]))
                #expect(keys.isSuperset(of: ["_id", "id", "downloads", "gated"]))
            }
            let full = try ServerTestClient.json(try await ServerTestClient.send("\(server.apiURL)/api/models?limit=1&full=true&config=true&cardData=true"))
            let fullKeys = Set(full.arrayValue?.first?.objectValue?.keys.map { $0 } ?? [])
            #expect(fullKeys.isSuperset(of: ["sha", "siblings", "lastModified", "gated", "author", "cardData"]))
        }
    }

    @Test("likes sorting is descending and unknown sort keys are a 400")
    func sortingAndBadSort() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let items = try ServerTestClient.json(try await ServerTestClient.send("\(server.apiURL)/api/models?sort=likes&limit=1000"))
            let likes = items.arrayValue?.compactMap { $0["likes"]?.intValue } ?? []
            #expect(likes.count > 25)
            #expect(likes == likes.sorted(by: >))
            let bad = try await ServerTestClient.send("\(server.apiURL)/api/models?sort=color")
            #expect(bad.status == 400)
            #expect(try ServerTestClient.json(bad)["error"]?.stringValue?.contains("sort") == true)
        }
    }

    @Test("private repositories are listed only for tokens that may see them")
    func privateListing() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let url = "\(server.apiURL)/api/models?search=private-model"
            let anonymous = try ServerTestClient.json(try await ServerTestClient.send(url))
            #expect(anonymous.arrayValue?.isEmpty == true)
            let alice = try ServerTestClient.json(try await ServerTestClient.send(url, headers: ServerTestClient.bearer(FixturePopulation.aliceToken)))
            #expect(alice.arrayValue?.first?["id"]?.stringValue == FixturePopulation.privateRepoID)
            #expect(alice.arrayValue?.first?["private"]?.boolValue == true)
        }
    }
}
