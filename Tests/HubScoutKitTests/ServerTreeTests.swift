import Foundation
import HubScoutCore
import HubScoutNetwork
import HubScoutServer
import HubScoutTestSupport
import Testing

/// `/tree`, `paths-info` and `refs` over real HTTP.
@Suite("Hub server: tree, paths-info and refs")
struct ServerTreeTests {
    static let smallPages = HubServerConfiguration(treePageSize: 3, treeExpandPageSize: 2)

    /// Root entries of the files repo at head: top-level files plus first-level folders.
    static func rootEntries(_ repo: FixtureRepo) -> Set<String> {
        var entries = Set<String>()
        for record in repo.files[1] { entries.insert(String(record.path.split(separator: "/")[0])) }
        return entries
    }

    @Test("the root tree pages by the configured size with absolute Link URLs, 3 pages in all")
    func treePages() async throws {
        try await TestHubServer.withPopulation(configuration: Self.smallPages) { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let expected = Self.rootEntries(repo)
            let url = "\(server.apiURL)/api/models/\(FixturePopulation.filesRepoID)/tree/main"
            let (pages, links) = try await ServerTestClient.allPages(url)
            #expect(pages.count == (expected.count + 2) / 3)
            #expect(pages.count == 3)
            #expect(links.allSatisfy { $0.hasPrefix(url + "?cursor=") })
            let paths = pages.flatMap { $0 }.compactMap { $0["path"]?.stringValue }
            #expect(paths.count == expected.count)
            #expect(Set(paths) == expected)
            let lfs = try #require(pages.flatMap { $0 }.first { $0["path"]?.stringValue == "model.safetensors" })
            let record = try #require(repo.file("model.safetensors"))
            #expect(lfs["type"]?.stringValue == "file")
            #expect(lfs["size"]?.intValue == Int(record.size))
            #expect(lfs["lfs"]?["oid"]?.stringValue == record.etag)
            #expect(lfs["oid"]?.stringValue?.count == 40)
            #expect(pages.flatMap { $0 }.first { $0["path"]?.stringValue == "onnx" }?["type"]?.stringValue == "directory")
        }
    }

    @Test("recursive listing of a sub-folder, and a %2F-encoded folder path, list what is inside")
    func recursiveAndEncoded() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let base = "\(server.apiURL)/api/models/\(FixturePopulation.filesRepoID)/tree/main"
            let recursive = try ServerTestClient.json(try await ServerTestClient.send(base + "/nested?recursive=true"))
            #expect(Set(recursive.arrayValue?.compactMap { $0["path"]?.stringValue } ?? [])
                    == ["nested/a", "nested/a/b", "nested/a/b/deep.txt", "nested/top.txt"])
            let encoded = try ServerTestClient.json(try await ServerTestClient.send(base + "/nested%2Fa"))
            #expect(encoded.arrayValue?.compactMap { $0["path"]?.stringValue } == ["nested/a/b"])
        }
    }

    @Test("a missing folder is EntryNotFound with X-Repo-Commit, and a traversal path is refused")
    func missingFolder() async throws {
        try await TestHubServer.withPopulation { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let base = "\(server.apiURL)/api/models/\(FixturePopulation.filesRepoID)/tree/main"
            let missing = try await ServerTestClient.send(base + "/no-such-folder")
            #expect(missing.status == 404)
            #expect(missing.headers["X-Error-Code"] == "EntryNotFound")
            #expect(missing.headers["X-Repo-Commit"] == repo.head)
            let traversal = try await ServerTestClient.send(base + "/..%2F..%2F")
            #expect(traversal.status == 404)
            #expect(traversal.headers["X-Repo-Commit"] == nil)
        }
    }

    @Test("paths-info accepts form and JSON bodies and leaves out missing paths")
    func pathsInfo() async throws {
        try await TestHubServer.withPopulation { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let url = "\(server.apiURL)/api/models/\(FixturePopulation.filesRepoID)/paths-info/main"
            let form = try await ServerTestClient.send(url, method: .post, headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                                       body: Data("paths=config.json&paths=onnx&paths=missing.txt".utf8))
            let json = try await ServerTestClient.send(url, method: .post, headers: ["Content-Type": "application/json"],
                                                       body: Data(#"{"paths":["config.json","onnx","missing.txt"]}"#.utf8))
            for response in [form, json] {
                #expect(response.status == 200)
                let entries = try ServerTestClient.json(response).arrayValue ?? []
                #expect(entries.compactMap { $0["path"]?.stringValue } == ["config.json", "onnx"])
                #expect(entries.first?["oid"]?.stringValue == repo.file("config.json")?.etag)
                #expect(entries.last?["type"]?.stringValue == "directory")
            }
        }
    }

    @Test("refs lists branches, tags and (on request) pull requests with their commits")
    func refs() async throws {
        try await TestHubServer.withPopulation { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let refs = try ServerTestClient.json(try await ServerTestClient.send(
                "\(server.apiURL)/api/models/\(FixturePopulation.filesRepoID)/refs?include_prs=1"))
            #expect(refs["branches"]?.arrayValue?.map { $0["name"]?.stringValue } == ["main"])
            #expect(refs["branches"]?.arrayValue?.first?["targetCommit"]?.stringValue == repo.commits[1])
            #expect(refs["tags"]?.arrayValue?.first?["ref"]?.stringValue == "refs/tags/v1.0")
            #expect(refs["tags"]?.arrayValue?.first?["targetCommit"]?.stringValue == repo.commits[0])
            #expect(refs["pullRequests"]?.arrayValue?.first?["name"]?.stringValue == "refs/pr/1")
        }
    }
}
