import Foundation
import HubScoutCore
import HubScoutNetwork
import HubScoutServer
import HubScoutTestSupport
import Testing

/// Every error case of hub-protocol §4.2, whoami-v2, and the headers every response carries.
@Suite("Hub server: errors and auth")
struct ServerErrorTests {
    @Test("a missing or private repository without a token is a 401 that reveals nothing")
    func hiddenWithoutToken() async throws {
        try await TestHubServer.withPopulation { server, _ in
            for id in ["nobody/nothing", FixturePopulation.privateRepoID] {
                for url in ["\(server.apiURL)/api/models/\(id)", "\(server.apiURL)/\(id)/resolve/main/config.json"] {
                    let response = try await ServerTestClient.send(url)
                    #expect(response.status == 401, "\(url)")
                    #expect(response.headers["X-Error-Message"] == "Invalid username or password.")
                    #expect(response.headers["X-Error-Code"] == nil)
                    #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Bearer realm=") == true)
                    #expect(try ServerTestClient.json(response)["error"]?.stringValue == "Invalid username or password.")
                }
            }
        }
    }

    @Test("with a valid token, missing and foreign private repositories are 404 RepoNotFound; the owner sees its own")
    func hiddenWithToken() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let bob = ServerTestClient.bearer(FixturePopulation.bobToken)
            for id in ["nobody/nothing", FixturePopulation.privateRepoID] {
                let response = try await ServerTestClient.send("\(server.apiURL)/api/models/\(id)", headers: bob)
                #expect(response.status == 404)
                #expect(response.headers["X-Error-Code"] == "RepoNotFound")
            }
            let alice = try await ServerTestClient.send("\(server.apiURL)/api/models/\(FixturePopulation.privateRepoID)",
                                                        headers: ServerTestClient.bearer(FixturePopulation.aliceToken))
            #expect(alice.status == 200)
        }
    }

    @Test("an unknown token is 401 Invalid credentials, on the API, on resolve and on whoami")
    func invalidToken() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let headers = ServerTestClient.bearer("hf_not_a_real_token")
            for url in ["\(server.apiURL)/api/models", "\(server.apiURL)/openai-community/gpt2/resolve/main/config.json",
                        "\(server.apiURL)/api/whoami-v2"] {
                let response = try await ServerTestClient.send(url, headers: headers)
                #expect(response.status == 401, "\(url)")
                #expect(response.headers["X-Error-Message"] == "Invalid credentials in Authorization header")
            }
        }
    }

    @Test("a gated file is 401 GatedRepo without a token, 403 GatedRepo with a token lacking access, and served with access")
    func gatedFiles() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let id = FixturePopulation.gatedRepoID
            let url = "\(server.apiURL)/\(id.lowercased())/resolve/main/model.safetensors"
            let anonymous = try await ServerTestClient.send(url, method: .head)
            #expect(anonymous.status == 401)
            #expect(anonymous.headers["X-Error-Code"] == "GatedRepo")
            #expect(anonymous.headers["X-Error-Message"]
                    == "Access to model \(id) is restricted. You must have access to it and be authenticated to access it. Please log in.")
            let bob = try await ServerTestClient.send(url, headers: ServerTestClient.bearer(FixturePopulation.bobToken))
            #expect(bob.status == 403)
            #expect(bob.headers["X-Error-Code"] == "GatedRepo")
            #expect(bob.headers["X-Error-Message"]
                    == "Access to model \(id) is restricted and you are not in the authorized list. Visit \(server.apiURL)/\(id) to ask for access.")
            #expect(try ServerTestClient.json(bob)["error"]?.stringValue == bob.headers["X-Error-Message"])
            let alice = try await ServerTestClient.send(url, method: .head, headers: ServerTestClient.bearer(FixturePopulation.aliceToken))
            #expect(alice.status == 302)
        }
    }

    @Test("a missing file is 404 EntryNotFound with X-Repo-Commit; a bad revision is 404 RevisionNotFound")
    func entryAndRevision() async throws {
        try await TestHubServer.withPopulation { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let missing = try await ServerTestClient.send("\(server.apiURL)/\(repo.id)/resolve/main/nope.txt", method: .head)
            #expect(missing.status == 404)
            #expect(missing.headers["X-Error-Code"] == "EntryNotFound")
            #expect(missing.headers["X-Repo-Commit"] == repo.head)
            let revision = try await ServerTestClient.send("\(server.apiURL)/\(repo.id)/resolve/badrev/config.json")
            #expect(revision.status == 404)
            #expect(revision.headers["X-Error-Code"] == "RevisionNotFound")
            #expect(revision.headers["X-Error-Message"] == "Invalid rev id: badrev")
        }
    }

    @Test("a path that climbs out of the repository is never served")
    func traversalRefused() async throws {
        try await TestHubServer.withPopulation { server, _ in
            for path in ["..%2F..%2Fhubscout-server.json", "%2Fetc%2Fpasswd", "a/../../hubscout-server.json"] {
                let response = try await ServerTestClient.send("\(server.apiURL)/\(FixturePopulation.filesRepoID)/resolve/main/\(path)")
                #expect(response.status == 404, "\(path)")
                #expect(!ServerTestClient.text(response).contains("tokens"))
            }
        }
    }

    @Test("whoami-v2 needs a token and reports the user, orgs and role")
    func whoami() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let url = "\(server.apiURL)/api/whoami-v2"
            #expect(try await ServerTestClient.send(url).status == 401)
            let alice = try ServerTestClient.json(try await ServerTestClient.send(url, headers: ServerTestClient.bearer(FixturePopulation.aliceToken)))
            #expect(alice["type"]?.stringValue == "user")
            #expect(alice["name"]?.stringValue == "alice")
            #expect(alice["orgs"]?.arrayValue?.first?["name"]?.stringValue == "hubscout-test")
            #expect(alice["auth"]?["accessToken"]?["role"]?.stringValue == "read")
        }
    }

    @Test("every response, errors and file host included, carries RateLimit, RateLimit-Policy and X-Request-Id")
    func standardHeaders() async throws {
        try await TestHubServer.withPopulation { server, population in
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let location = try #require(try await ServerTestClient.send(
                "\(server.apiURL)/\(repo.id)/resolve/main/model.safetensors", method: .head).headers["Location"])
            for (url, bucket) in [("\(server.apiURL)/api/models?limit=1", "api"), ("\(server.apiURL)/api/models/nobody/nothing", "api"),
                                  ("\(server.apiURL)/\(repo.id)/resolve/main/config.json", "resolvers"), (location, "pages")] {
                let response = try await ServerTestClient.send(url, method: .head)
                #expect(response.headers["RateLimit"]?.hasPrefix("\"\(bucket)\";r=") == true, "\(url)")
                #expect(response.headers["RateLimit-Policy"]?.hasPrefix("\"fixed window\";\"\(bucket)\";q=") == true)
                #expect(response.headers["X-Request-Id"]?.hasPrefix("Root=1-") == true)
            }
        }
    }
}
