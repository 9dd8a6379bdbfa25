import Crypto
import Foundation
import HubScoutCore
import HubScoutNetwork
import HubScoutServer
import HubScoutTestSupport
import Testing

/// The test-only `FaultInjector`: each fault fires as configured, and the request log records what arrived.
@Suite("Hub server: fault injection")
struct ServerFaultTests {
    static func lfsLocation(_ server: TestHubServer) async throws -> String {
        let head = try await ServerTestClient.send("\(server.apiURL)/\(FixturePopulation.filesRepoID)/resolve/main/model.safetensors", method: .head)
        return try #require(head.headers["Location"])
    }

    static func lfsRecord(_ population: FixturePopulation) throws -> FixtureFileRecord {
        try #require(population.repos[FixturePopulation.filesRepoID]?.file("model.safetensors"))
    }

    @Test("a 429 with RateLimit r=0 fires once, then the same request succeeds")
    func rateLimitedOnce() async throws {
        let faults = FaultInjector()
        faults.add(FaultRule(method: "GET", path: .exact("/api/models"), times: 1, action: .rateLimited(bucket: "api", seconds: 1)))
        try await TestHubServer.withPopulation(faults: faults) { server, _ in
            let first = try await ServerTestClient.send("\(server.apiURL)/api/models?limit=1")
            #expect(first.status == 429)
            #expect(first.headers["RateLimit"] == "\"api\";r=0;t=1")
            #expect(first.headers["Retry-After"] == "1")
            let second = try await ServerTestClient.send("\(server.apiURL)/api/models?limit=1")
            #expect(second.status == 200)
            #expect(faults.requests.filter { $0.path == "/api/models" }.count == 2)
            #expect(faults.pendingFaults == 0)
        }
    }

    @Test("a 5xx rule answers the configured status for the configured number of requests")
    func serverErrors() async throws {
        let faults = FaultInjector()
        faults.add(FaultRule(path: .prefix("/api/models/openai-community"), times: 2, action: .respond(status: 503, body: "down")))
        try await TestHubServer.withPopulation(faults: faults) { server, _ in
            let url = "\(server.apiURL)/api/models/openai-community/gpt2"
            let statuses = [try await ServerTestClient.send(url).status, try await ServerTestClient.send(url).status,
                            try await ServerTestClient.send(url).status]
            #expect(statuses == [503, 503, 200])
        }
    }

    @Test("a cut body closes the connection after the configured bytes")
    func cutBody() async throws {
        let faults = FaultInjector()
        faults.add(FaultRule(method: "GET", path: .prefix("/lfs/"), times: 1, action: .cutBody(afterBytes: 1000)))
        try await TestHubServer.withPopulation(faults: faults) { server, population in
            let record = try Self.lfsRecord(population)
            let location = try await Self.lfsLocation(server)
            let received = Counter()
            await #expect(throws: TransportError.self) {
                _ = try await ServerTestClient.transport.stream(HTTPRequest(url: location)) { _, chunk in received.add(chunk.count) }
            }
            #expect(received.value <= 1000)
            #expect(received.value < Int(record.size))
            let retry = try await ServerTestClient.send(location)
            #expect(retry.body.count == Int(record.size))
        }
    }

    @Test("ignoreRange makes a ranged request come back 200 with the whole body")
    func ignoredRange() async throws {
        let faults = FaultInjector()
        faults.add(FaultRule(path: .prefix("/lfs/"), times: 1, action: .ignoreRange))
        try await TestHubServer.withPopulation(faults: faults) { server, population in
            let record = try Self.lfsRecord(population)
            let location = try await Self.lfsLocation(server)
            let response = try await ServerTestClient.send(location, headers: ["Range": "bytes=10-19"])
            #expect(response.status == 200)
            #expect(response.headers["Content-Range"] == nil)
            #expect(response.body.count == Int(record.size))
            #expect(faults.requests.last?.range == "bytes=10-19")
        }
    }

    @Test("a stall longer than the client's stall timeout is detected")
    func stall() async throws {
        let faults = FaultInjector()
        // right after the headers: libcurl averages speed over ~5 s, so a burst of bytes first would hide a short stall
        // The stall outlasts the 1 s timeout many times over, so a transfer that ends in an error was cut by the
        // detector (one that waited would get the body after the stall and succeed); no wall-clock assertion.
        faults.add(FaultRule(path: .prefix("/lfs/"), times: 1, action: .stall(afterBytes: 0, seconds: 20)))
        try await TestHubServer.withPopulation(faults: faults) { server, _ in
            let location = try await Self.lfsLocation(server)
            let impatient = CurlTransport(configuration: TransportConfiguration(connectTimeout: 5, stallTimeout: 1, retry: .none))
            let error = await #expect(throws: TransportError.self) {
                _ = try await impatient.stream(HTTPRequest(url: location)) { _, _ in }
            }
            guard case .stalled? = error else { Issue.record("not a stall: \(String(describing: error))"); return }
        }
    }

    @Test("a lying X-Linked-Size reaches the client as set")
    func lyingLinkedSize() async throws {
        let faults = FaultInjector()
        faults.add(FaultRule(method: "HEAD", path: .suffix("/resolve/main/model.safetensors"), times: 1,
                             action: .setHeader(name: "X-Linked-Size", value: "12345")))
        try await TestHubServer.withPopulation(faults: faults) { server, population in
            let record = try Self.lfsRecord(population)
            let url = "\(server.apiURL)/\(FixturePopulation.filesRepoID)/resolve/main/model.safetensors"
            #expect(try await ServerTestClient.send(url, method: .head).headers["X-Linked-Size"] == "12345")
            #expect(try await ServerTestClient.send(url, method: .head).headers["X-Linked-Size"] == String(record.size))
        }
    }

    @Test("a corrupted byte changes exactly that byte, so the sha256 no longer matches")
    func corruptedByte() async throws {
        let faults = FaultInjector()
        faults.add(FaultRule(path: .prefix("/lfs/"), times: 1, action: .corruptByte(at: 200_000)))
        try await TestHubServer.withPopulation(faults: faults) { server, population in
            let record = try Self.lfsRecord(population)
            let body = try await ServerTestClient.send(try await Self.lfsLocation(server)).body
            let expected = record.file.bytes()
            #expect(body.count == expected.count)
            let differing = zip(body, expected).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
            #expect(differing == [200_000])
            #expect(SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined() != record.etag)
        }
    }

    @Test("the request log records method, path, range and whether Authorization was sent, per host")
    func requestLog() async throws {
        let faults = FaultInjector()
        try await TestHubServer.withPopulation(faults: faults) { server, _ in
            let url = "\(server.apiURL)/\(FixturePopulation.filesRepoID)/resolve/main/model.safetensors"
            _ = try await ServerTestClient.send(url, headers: ["Authorization": "Bearer \(FixturePopulation.aliceToken)", "Range": "bytes=0-9"],
                                                redirects: .follow)
            let log = faults.requests
            #expect(log.count == 2)
            #expect(log.first?.path == "/\(FixturePopulation.filesRepoID)/resolve/main/model.safetensors")
            #expect(log.first?.hasAuthorization == true)
            #expect(log.last?.path.hasPrefix("/lfs/") == true)
            #expect(log.last?.hasAuthorization == false)
            #expect(log.last?.range == "bytes=0-9")
            #expect(log.first?.host != log.last?.host)
        }
    }
}

/// A thread-safe byte counter for streaming callbacks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    func add(_ n: Int) { lock.withLock { total += n } }
    var value: Int { lock.withLock { total } }
}
