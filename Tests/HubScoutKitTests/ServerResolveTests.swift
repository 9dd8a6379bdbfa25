import Crypto
import Foundation
import HubScoutCore
import HubScoutNetwork
import HubScoutServer
import HubScoutTestSupport
import Testing

/// `/{id}/resolve/{rev}/{path}` and the file host: headers, Range, zero-byte files, LFS redirects, token leaks.
@Suite("Hub server: resolve and file host")
struct ServerResolveTests {
    static func resolveURL(_ server: TestHubServer, _ repo: String, _ path: String, revision: String = "main") -> String {
        "\(server.apiURL)/\(repo)/resolve/\(revision)/\(path)"
    }

    @Test("a regular file answers 200 with X-Repo-Commit, its git sha1 as ETag, Content-Length and Accept-Ranges")
    func regularFileHeadAndGet() async throws {
        try await TestHubServer.withPopulation { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let record = try #require(repo.file("config.json"))
            let url = Self.resolveURL(server, repo.id, "config.json")
            let head = try await ServerTestClient.send(url, method: .head)
            #expect(head.status == 200)
            #expect(head.headers["X-Repo-Commit"] == repo.head)
            #expect(head.headers["ETag"] == "\"\(record.etag)\"")
            #expect(head.headers["Content-Length"] == String(record.size))
            #expect(head.headers["Accept-Ranges"] == "bytes")
            #expect(head.body.isEmpty)
            let get = try await ServerTestClient.send(url)
            #expect(get.body == record.file.bytes())
            #expect(get.headers["Content-Encoding"] == nil)
        }
    }

    @Test("a file at a tag resolves to that commit's content")
    func fileAtTag() async throws {
        try await TestHubServer.withPopulation { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let old = try #require(repo.file("config.json", at: repo.commits[0]))
            let response = try await ServerTestClient.send(Self.resolveURL(server, repo.id, "config.json", revision: "v1.0"))
            #expect(response.headers["X-Repo-Commit"] == repo.commits[0])
            #expect(response.headers["ETag"] == "\"\(old.etag)\"")
            #expect(response.body == old.file.bytes())
        }
    }

    @Test("Range requests get 206 with Content-Range, and unsatisfiable ones 416 with bytes */size")
    func ranges() async throws {
        try await TestHubServer.withPopulation { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let record = try #require(repo.file("config.json"))
            let url = Self.resolveURL(server, repo.id, "config.json")
            let partial = try await ServerTestClient.send(url, headers: ["Range": "bytes=2-5"])
            #expect(partial.status == 206)
            #expect(partial.headers["Content-Range"] == "bytes 2-5/\(record.size)")
            #expect(partial.body == record.file.bytes(2..<6))
            let suffix = try await ServerTestClient.send(url, headers: ["Range": "bytes=-3"])
            #expect(suffix.body == record.file.bytes((record.size - 3)..<record.size))
            let beyond = try await ServerTestClient.send(url, headers: ["Range": "bytes=\(record.size)-"])
            #expect(beyond.status == 416)
            #expect(beyond.headers["Content-Range"] == "bytes */\(record.size)")
        }
    }

    @Test("a zero-byte file is a plain 200 with Content-Length 0 and no Content-Range, even when a range is asked")
    func zeroByteFile() async throws {
        try await TestHubServer.withPopulation { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let url = Self.resolveURL(server, repo.id, "__init__.py")
            for headers: HTTPHeaders in [[:], ["Range": "bytes=0-"]] {
                let response = try await ServerTestClient.send(url, headers: headers)
                #expect(response.status == 200)
                #expect(response.headers["Content-Length"] == "0")
                #expect(response.headers["Content-Range"] == nil)
                #expect(response.body.isEmpty)
            }
        }
    }

    @Test("an LFS file answers 302 to the file host with X-Linked-Etag, X-Linked-Size and X-Repo-Commit")
    func lfsRedirect() async throws {
        try await TestHubServer.withPopulation { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let record = try #require(repo.file("model.safetensors"))
            #expect(record.isLFS)
            let url = Self.resolveURL(server, repo.id, "model.safetensors")
            let head = try await ServerTestClient.send(url, method: .head)
            #expect(head.status == 302)
            #expect(head.headers["X-Linked-Etag"] == "\"\(record.etag)\"")
            #expect(head.headers["X-Linked-Size"] == String(record.size))
            #expect(head.headers["X-Repo-Commit"] == repo.head)
            #expect(head.headers["ETag"] != "\"\(record.etag)\"")
            let location = try #require(head.headers["Location"])
            #expect(location.hasPrefix(server.fileURL + "/"))
            #expect(URL(string: location)?.host != URL(string: server.apiURL)?.host)
            let get = try await ServerTestClient.send(url)
            #expect(get.status == 302)
            #expect(ServerTestClient.text(get) == "Found. Redirecting to \(get.headers["Location"] ?? "")")
        }
    }

    @Test("the file host serves ranges and 416, and a followed download is byte-identical without leaking the token")
    func fileHostRangesAndNoLeak() async throws {
        try await TestHubServer.withPopulation { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let record = try #require(repo.file("model.safetensors"))
            let url = Self.resolveURL(server, repo.id, "model.safetensors")
            let location = try #require(try await ServerTestClient.send(url, method: .head).headers["Location"])
            let partial = try await ServerTestClient.send(location, headers: ["Range": "bytes=100-199"])
            #expect(partial.status == 206)
            #expect(partial.headers["Content-Range"] == "bytes 100-199/\(record.size)")
            #expect(partial.body == record.file.bytes(100..<200))
            let beyond = try await ServerTestClient.send(location, headers: ["Range": "bytes=\(record.size + 10)-"])
            #expect(beyond.status == 416)
            #expect(beyond.headers["Content-Range"] == "bytes */\(record.size)")
            let full = try await ServerTestClient.send(url, headers: ServerTestClient.bearer(FixturePopulation.aliceToken), redirects: .follow)
            #expect(full.status == 200)
            #expect(full.body.count == Int(record.size))
            #expect(SHA256.hash(data: full.body).map { String(format: "%02x", $0) }.joined() == record.etag)
            #expect(server.authorizationRejections == 0)
        }
    }

    @Test("the file host refuses any Authorization header with 403 and counts it; a tampered URL is refused too")
    func fileHostRejectsAuthorization() async throws {
        try await TestHubServer.withPopulation { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let location = try #require(try await ServerTestClient.send(
                Self.resolveURL(server, repo.id, "model.safetensors"), method: .head).headers["Location"])
            let leaked = try await ServerTestClient.send(location, headers: ServerTestClient.bearer(FixturePopulation.aliceToken))
            #expect(leaked.status == 403)
            #expect(server.authorizationRejections == 1)
            let tampered = try await ServerTestClient.send(location.replacingOccurrences(of: "signature=", with: "signature=0"))
            #expect(tampered.status == 403)
            #expect(server.authorizationRejections == 1)
        }
    }

    @Test("a signed file URL past its expiry is refused with 403; a fresh HEAD signs a new one")
    func expiredSignedURLIsRefused() async throws {
        var configuration = HubServerConfiguration()
        configuration.redirectLifetime = 1
        try await TestHubServer.withPopulation(configuration: configuration) { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let url = Self.resolveURL(server, repo.id, "model.safetensors")
            let location = try #require(try await ServerTestClient.send(url, method: .head).headers["Location"])
            // Waiting only makes expiry more certain, so this holds however slow the machine is.
            try await Task.sleep(nanoseconds: 2_100_000_000)
            let expired = try await ServerTestClient.send(location, headers: ["Range": "bytes=0-9"])
            #expect(expired.status == 403)
            let fresh = try #require(try await ServerTestClient.send(url, method: .head).headers["Location"])
            #expect(fresh != location)
        }
    }

    @Test("plain snapshot files are hashed by the server to the same etags huggingface_hub would use")
    func plainFilesAreHashed() async throws {
        try await TestHubServer.withPopulation { server, population in
            let repo = try #require(population.repos[FixturePopulation.plainRepoID])
            let config = try #require(repo.file("config.json"))
            let gguf = try #require(repo.file("model-Q4_K_M.gguf"))
            let head = try await ServerTestClient.send(Self.resolveURL(server, repo.id, "config.json"), method: .head)
            #expect(head.headers["ETag"] == "\"\(config.etag)\"")
            let lfs = try await ServerTestClient.send(Self.resolveURL(server, repo.id, "model-Q4_K_M.gguf"), method: .head)
            #expect(lfs.status == 302)
            #expect(lfs.headers["X-Linked-Etag"] == "\"\(gguf.etag)\"")
            let body = try await ServerTestClient.send(Self.resolveURL(server, repo.id, "model-Q4_K_M.gguf"), redirects: .follow)
            #expect(body.body == gguf.file.bytes())
        }
    }
}
