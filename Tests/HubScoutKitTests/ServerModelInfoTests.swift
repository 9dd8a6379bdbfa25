import Foundation
import HubScoutCore
import HubScoutNetwork
import HubScoutServer
import HubScoutTestSupport
import Testing

/// `/api/models/{id}[/revision/{rev}]`: the §2.2 fields, revisions, case-insensitive ids, aliases and recorded bodies.
@Suite("Hub server: model info")
struct ServerModelInfoTests {
    @Test("model info carries the §2.2 fields, and blobs=true adds sizes, blob ids and LFS facts")
    func fieldsWithBlobs() async throws {
        try await TestHubServer.withPopulation { server, population in
            let seed = try #require(FixturePopulation.seeds.first { $0.id == "openai-community/gpt2" })
            let repo = try #require(population.repos[seed.id])
            let response = try await ServerTestClient.send("\(server.apiURL)/api/models/\(seed.id)?blobs=true")
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"]?.hasPrefix("application/json") == true)
            let info = try ServerTestClient.json(response)
            #expect(info["id"]?.stringValue == seed.id)
            #expect(info["modelId"]?.stringValue == seed.id)
            #expect(info["author"]?.stringValue == "openai-community")
            #expect(info["sha"]?.stringValue == repo.head)
            #expect(info["_id"]?.stringValue?.count == 24)
            #expect(info["private"]?.boolValue == false)
            #expect(info["disabled"]?.boolValue == false)
            #expect(info["gated"]?.boolValue == false)
            #expect(info["downloads"]?.intValue == seed.downloads)
            #expect(info["likes"]?.intValue == seed.likes)
            #expect(info["pipeline_tag"]?.stringValue == seed.pipelineTag)
            #expect(info["library_name"]?.stringValue == seed.libraryName)
            #expect(info["lastModified"]?.stringValue == seed.lastModified)
            #expect(info["tags"]?.stringList?.contains("license:\(seed.license)") == true)
            #expect(info["cardData"]?["license"]?.stringValue == seed.license)
            #expect(info["config"]?["architectures"]?.stringList == [seed.architecture ?? ""])
            #expect(info["safetensors"]?["total"]?.intValue == Int(seed.parameters?.values.reduce(0, +) ?? -1))
            #expect(info["usedStorage"]?.intValue != nil)
            let siblings = info["siblings"]?.arrayValue ?? []
            let records = repo.files[0]
            #expect(siblings.count == records.count)
            for record in records {
                let sibling = try #require(siblings.first { $0["rfilename"]?.stringValue == record.path })
                #expect(sibling["size"]?.intValue == Int(record.size))
                #expect(sibling["blobId"]?.stringValue?.count == 40)
                if record.isLFS {
                    #expect(sibling["lfs"]?["sha256"]?.stringValue == record.etag)
                    #expect(sibling["lfs"]?["size"]?.intValue == Int(record.size))
                } else {
                    #expect(sibling["blobId"]?.stringValue == record.etag)
                    #expect(sibling["lfs"] == nil)
                }
            }
            // and the shared client model decodes it
            let decoded = try JSONDecoder().decode(ModelInfo.self, from: response.body)
            #expect(decoded.sha == repo.head)
            #expect(decoded.siblings?.count == records.count)
        }
    }

    @Test("a gated repository's metadata is public and reports its gating mode")
    func gatedMetadataIsPublic() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let response = try await ServerTestClient.send("\(server.apiURL)/api/models/\(FixturePopulation.gatedRepoID)")
            #expect(response.status == 200)
            #expect(try ServerTestClient.json(response)["gated"]?.stringValue == "manual")
        }
    }

    @Test("repository ids resolve case-insensitively and answer with the canonical casing")
    func caseInsensitiveIDs() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let response = try await ServerTestClient.send("\(server.apiURL)/api/models/OPENAI-COMMUNITY/GPT2")
            #expect(response.status == 200)
            #expect(try ServerTestClient.json(response)["id"]?.stringValue == "openai-community/gpt2")
        }
    }

    @Test("revisions resolve by tag, refs/pr (encoded or raw), short sha and branch; unknown ones are RevisionNotFound")
    func revisions() async throws {
        try await TestHubServer.withPopulation { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let base = "\(server.apiURL)/api/models/\(FixturePopulation.filesRepoID)/revision/"
            for (revision, commit) in [("v1.0", repo.commits[0]), ("refs%2Fpr%2F1", repo.commits[0]), ("refs/pr/1", repo.commits[0]),
                                       (String(repo.commits[1].prefix(7)), repo.commits[1]), ("main", repo.commits[1])] {
                let response = try await ServerTestClient.send(base + revision)
                #expect(response.status == 200, "revision \(revision)")
                #expect(try ServerTestClient.json(response)["sha"]?.stringValue == commit, "revision \(revision)")
            }
            let missing = try await ServerTestClient.send(base + "no-such-branch")
            #expect(missing.status == 404)
            #expect(missing.headers["X-Error-Code"] == "RevisionNotFound")
        }
    }

    @Test("a renamed repository answers a relative 307 that keeps the query, and following it gives the canonical model")
    func aliasRedirect() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let (old, canonical) = try #require(FixturePopulation.aliases.first { $0.key.contains("Meta-Llama-3.1") })
            let url = "\(server.apiURL)/api/models/\(old)?expand=downloads"
            let redirect = try await ServerTestClient.send(url)
            #expect(redirect.status == 307)
            #expect(redirect.headers["Location"] == "/api/models/\(canonical)?expand=downloads")
            #expect(redirect.headers["Content-Type"]?.hasPrefix("text/plain") == true)
            #expect(ServerTestClient.text(redirect) == "Temporary Redirect. Redirecting to /api/models/\(canonical)?expand=downloads")
            let followed = try await ServerTestClient.send(url, redirects: .follow)
            #expect(followed.status == 200)
            let info = try ServerTestClient.json(followed)
            #expect(info["id"]?.stringValue == canonical)
            #expect(Set(info.objectValue?.keys.map { $0 } ?? []) == ["_id", "id", "downloads"])
        }
    }

    @Test("a recorded real body served as overrides comes back with its nulls and extra keys and still decodes")
    func recordedBodyOverrides() async throws {
        let population = try await OffPool.run { try FixturePopulation.build() }
        defer { population.cache.remove() }
        let url = try #require(Bundle.module.url(forResource: "model-info__openai-community__gpt2", withExtension: "json",
                                                 subdirectory: "Fixtures/hub-samples"))
        let recorded = try Data(contentsOf: url)
        try population.cache.useRecordedInfo(recorded, for: "openai-community/gpt2")
        let server = try await TestHubServer.start(root: population.cache.root)
        do {
            let response = try await ServerTestClient.send("\(server.apiURL)/api/models/openai-community/gpt2")
            let served = try ServerTestClient.json(response)
            let original = try JSONDecoder().decode(JSONValue.self, from: recorded)
            for key in original.objectValue?.keys.map({ $0 }) ?? [] {
                #expect(served[key] == original[key], "key \(key)")
            }
            let decoded = try JSONDecoder().decode(ModelInfo.self, from: response.body)
            #expect(decoded.id == original["id"]?.stringValue)
            #expect(decoded.safetensors?.total == Int64(original["safetensors"]?["total"]?.intValue ?? -1))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
