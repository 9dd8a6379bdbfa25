import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HubScoutCore
import HubScoutNetwork
import HubScoutServer
import HubScoutTestSupport
import Testing

/// Attacks on `hubscout serve` from the security tracker, each replayed against a real server on 127.0.0.1:
/// hostile cursors, limits and ranges, symlink loops and cross-repository links in the cache, slow-loris clients,
/// out-of-range ports, oversized bodies, and a broken or vanished sidecar. Error bodies must never name a path.
@Suite("Hub server: hardening")
struct ServerHardeningTests {
    // MARK: - Cursors, limits and ranges

    @Test("a cursor that would overflow, is negative, out of range or not ours is a 400 Hub error on /api/models and /tree; the server lives on")
    func hostileCursors() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        try cache.addRepo("acme/listed", commits: [[FixtureFile("a.txt", text: "a"), FixtureFile("b.txt", text: "b")]])
        try cache.addRepo("acme/second", commits: [[FixtureFile("c.txt", text: "c")]])
        try await TestHubServer.with(root: cache.root) { server in
            let hostile = [Self.cursor(#"{"offset":9223372036854775807}"#), Self.cursor(#"{"offset":-1}"#),
                           Self.cursor(#"{"offset":1e300}"#), Self.cursor(#"{"offset":10000001}"#), "bm90IGpzb24", "%%%"]
            for base in ["\(server.apiURL)/api/models", "\(server.apiURL)/api/models/acme/listed/tree/main"] {
                for cursor in hostile {
                    let response = try await ServerTestClient.send(base + "?cursor=" + cursor)
                    try Self.expectHubError(response, status: 400, message: "Invalid cursor", cache: cache)
                }
                // still alive, and the cursors it issues still page
                let first = try await ServerTestClient.send(base + "?limit=1")
                #expect(first.status == 200)
                let next = try #require(ServerTestClient.nextLink(first))
                #expect(try await ServerTestClient.send(next).status == 200)
            }
        }
    }

    @Test("a limit of Int.max against a page size of Int.max, and extreme Range headers, are answered without overflow")
    func hugeNumbers() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        try cache.addRepo("acme/listed", commits: [[FixtureFile("a.txt", text: "hello world"), FixtureFile("b.txt", text: "b")]])
        try cache.addRepo("acme/second", commits: [[FixtureFile("c.txt", text: "c")]])
        let configuration = HubServerConfiguration(maxListLimit: .max, treePageSize: .max)
        try await TestHubServer.with(root: cache.root, configuration: configuration) { server in
            let max = "9223372036854775807"
            let offsetOne = Self.cursor(#"{"offset":1}"#)
            let list = try await ServerTestClient.send("\(server.apiURL)/api/models?limit=\(max)&cursor=\(offsetOne)")
            #expect(list.status == 200)
            #expect(try ServerTestClient.json(list).arrayValue?.count == 1)
            #expect(ServerTestClient.nextLink(list) == nil)
            let tree = try await ServerTestClient.send("\(server.apiURL)/api/models/acme/listed/tree/main?limit=\(max)&cursor=\(offsetOne)")
            #expect(tree.status == 200)
            #expect(try ServerTestClient.json(tree).arrayValue?.compactMap { $0["path"]?.stringValue } == ["b.txt"])

            let file = "\(server.apiURL)/acme/listed/resolve/main/a.txt"
            let cases: [(range: String, status: Int, body: String?)] = [
                ("bytes=\(max)-", 416, ""),
                ("bytes=-\(max)", 206, "hello world"),
                ("bytes=0-\(max)", 206, "hello world"),
                ("bytes=99999999999999999999-", 200, "hello world"),   // not a position: ignored
                ("bytes=+1-2", 200, "hello world"),                    // signs are not digits: ignored
                ("bytes=2-4", 206, "llo"),
            ]
            for (range, status, body) in cases {
                let response = try await ServerTestClient.send(file, headers: ["Range": range])
                #expect(response.status == status, "\(range)")
                if let body { #expect(ServerTestClient.text(response) == body, "\(range)") }
            }
        }
    }

    // MARK: - Hostile caches

    @Test("a snapshot with a -> . and b -> . links neither hangs nor blocks: another repository answers, the loop lists only real files",
          .timeLimit(.minutes(3)))
    func symlinkLoop() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let loop = try cache.addRepo("acme/loop", commits: [[FixtureFile("config.json", text: "{}"), FixtureFile("weights/w.bin", text: "w")]])
        try cache.addRepo("acme/other", commits: [[FixtureFile("config.json", text: "{}")]])
        let snapshot = cache.root.appendingPathComponent("models--acme--loop/snapshots/\(loop.head)")
        let links = [("a", "."), ("b", "."), ("weights/up", ".."), ("blobs", "../../blobs"), ("self", "self")]
        for (name, target) in links {
            try FileManager.default.createSymbolicLink(atPath: snapshot.appendingPathComponent(name).path, withDestinationPath: target)
        }
        try await TestHubServer.with(root: cache.root) { server in
            async let looped = Self.attempt { try await ServerTestClient.send("\(server.apiURL)/api/models/acme/loop/tree/main?recursive=true") }
            let otherResult = await Self.attempt { try await ServerTestClient.send("\(server.apiURL)/api/models/acme/other") }
            let treeResult = await looped
            let infoResult = await Self.attempt { try await ServerTestClient.send("\(server.apiURL)/api/models/acme/loop") }
            // Break the loop whatever happened: a walk that follows it would otherwise outlive the test and block shutdown.
            for (name, _) in links { try? FileManager.default.removeItem(at: snapshot.appendingPathComponent(name)) }
            let other = try otherResult.get()
            #expect(other.status == 200)
            #expect(try ServerTestClient.json(other)["siblings"]?.arrayValue?.count == 1)
            let tree = try treeResult.get()
            #expect(tree.status == 200)
            #expect(try ServerTestClient.json(tree).arrayValue?.compactMap { $0["path"]?.stringValue }
                    == ["config.json", "weights", "weights/w.bin"])
            let info = try ServerTestClient.json(try infoResult.get())
            #expect(info["siblings"]?.arrayValue?.compactMap { $0["rfilename"]?.stringValue } == ["config.json", "weights/w.bin"])
        }
    }

    @Test("hashing a huge plain file runs off the storage actor: another repository answers while it is under way",
          .timeLimit(.minutes(3)))
    func slowHashDoesNotBlock() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let slow = try cache.addRepo("acme/slow", commits: [[FixtureFile("config.json", text: "{}"), FixtureFile("huge.bin", text: "x")]])
        try cache.addRepo("acme/quick", commits: [[FixtureFile("config.json", text: "{}")]])
        // A sparse 64 GiB plain file: no disk used, but hashing it takes minutes.
        let huge = cache.root.appendingPathComponent("models--acme--slow/snapshots/\(slow.head)/huge.bin")
        try FileManager.default.removeItem(at: huge)
        #expect(FileManager.default.createFile(atPath: huge.path, contents: nil))
        let writer = try FileHandle(forWritingTo: huge)
        try writer.truncate(atOffset: 64 << 30)
        try writer.close()

        try await TestHubServer.with(root: cache.root) { server in
            let finished = Flag()
            let slowRequest = Task {
                defer { finished.set() }
                return try await ServerTestClient.send("\(server.apiURL)/api/models/acme/slow/tree/main")
            }
            // Orders the requests (not asserted): let the slow one reach the storage and start hashing.
            try await Task.sleep(for: .milliseconds(500))
            let quick = await Self.attempt { try await ServerTestClient.send("\(server.apiURL)/api/models/acme/quick") }
            let slowEndedFirst = finished.value
            // End the hash whatever happened (it reads to the end of the file, and a changed size fails it), so a
            // regression fails here instead of blocking shutdown for minutes.
            let truncate = try FileHandle(forWritingTo: huge)
            try truncate.truncate(atOffset: 0)
            try truncate.close()
            #expect(try quick.get().status == 200)
            #expect(!slowEndedFirst, "the slow request ended first, so nothing was shown")
            let answer = try await slowRequest.value
            #expect([200, 500].contains(answer.status))
            if answer.status == 500 {
                try Self.expectHubError(answer, status: 500, message: "A cached file cannot be read.", cache: cache)
            }
        }
    }

    @Test("a public snapshot's links to a gated repository's blobs, or to the sidecar, are neither listed nor served")
    func crossRepositoryLinks() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let secret = "gated secret bytes"
        let gated = try cache.addRepo("acme/gated", commits: [[
            FixtureFile("secret.txt", text: secret), FixtureFile("model.safetensors", generatedSize: 4096, seed: 9),
        ]], facts: RepoFacts(gated: .manual))
        let open = try cache.addRepo("acme/open", commits: [[FixtureFile("README.md", text: "open")]])
        try cache.addToken("hf_eve_token", TokenGrant(user: "eve"))
        let snapshot = cache.root.appendingPathComponent("models--acme--open/snapshots/\(open.head)")
        let gatedBlobs = "../../../models--acme--gated/blobs/"
        let links = [
            "stolen.txt": gatedBlobs + (try #require(gated.file("secret.txt")?.etag)),
            "stolen.safetensors": gatedBlobs + (try #require(gated.file("model.safetensors")?.etag)),
            "absolute.txt": cache.root.appendingPathComponent("models--acme--gated/blobs/\(try #require(gated.file("secret.txt")?.etag))").path,
            "sidecar.json": "../../../" + ServerSidecar.fileName,
        ]
        for (name, target) in links {
            try FileManager.default.createSymbolicLink(atPath: snapshot.appendingPathComponent(name).path, withDestinationPath: target)
        }
        try await TestHubServer.with(root: cache.root) { server in
            for name in links.keys.sorted() {
                for method in [HTTPMethod.head, .get] {
                    let response = try await ServerTestClient.send("\(server.apiURL)/acme/open/resolve/main/\(name)", method: method)
                    #expect(response.status == 404, "\(method) \(name)")
                    #expect(response.headers["X-Error-Code"] == "EntryNotFound")
                    #expect(!ServerTestClient.text(response).contains(secret))
                    #expect(!ServerTestClient.text(response).contains("hf_eve_token"))
                }
            }
            let tree = try ServerTestClient.json(try await ServerTestClient.send("\(server.apiURL)/api/models/acme/open/tree/main"))
            #expect(tree.arrayValue?.compactMap { $0["path"]?.stringValue } == ["README.md"])
            let info = try ServerTestClient.json(try await ServerTestClient.send("\(server.apiURL)/api/models/acme/open"))
            #expect(info["siblings"]?.arrayValue?.compactMap { $0["rfilename"]?.stringValue } == ["README.md"])
            // the repository's own link to its own blob is still served, and the gated repository is still gated
            let readme = try await ServerTestClient.send("\(server.apiURL)/acme/open/resolve/main/README.md")
            #expect(readme.status == 200)
            #expect(ServerTestClient.text(readme) == "open")
            #expect(try await ServerTestClient.send("\(server.apiURL)/acme/gated/resolve/main/secret.txt").status == 401)
        }
    }

    // MARK: - Connections

    @Test("half-sent requests are disconnected after the header-read timeout on both listeners; normal requests still work",
          .timeLimit(.minutes(3)))
    func headerReadTimeout() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        try cache.addRepo("acme/listed", commits: [[FixtureFile("a.txt", text: "a")]])
        // The idle timeout is far beyond the guard, so only the header-read timeout can close these connections.
        let configuration = HubServerConfiguration(headerReadTimeout: 1, idleTimeout: 600)
        try await TestHubServer.with(root: cache.root, configuration: configuration) { server in
            let listeners = [(server.addresses.apiHost, server.addresses.apiPort), (configuration.fileHost, server.addresses.filePort)]
            let endings = try await RawConnection.offPool { () throws -> [RawConnection.Ending] in
                let deadline = Date().addingTimeInterval(30)
                var connections: [RawConnection] = []
                for (host, port) in listeners {
                    for _ in 0..<20 {
                        let connection = try RawConnection(host: host, port: port)
                        connection.write("GET /api/models HTTP/1.1\r\nHost: \(host)\r\nAccept: */*\r\n")   // no blank line: the head never ends
                        connections.append(connection)
                    }
                }
                return connections.map { $0.readUntilClosed(before: deadline).ending }
            }
            #expect(endings.count == 40)
            #expect(endings.allSatisfy { $0 == .closedByServer })
            #expect(try await ServerTestClient.send("\(server.apiURL)/api/models").status == 200)
        }
    }

    @Test("an idle kept-alive connection, and one whose body stalls, are closed after the idle timeout",
          .timeLimit(.minutes(3)))
    func idleTimeout() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        try cache.addRepo("acme/listed", commits: [[FixtureFile("a.txt", text: "a")]])
        // The header-read timeout is far beyond the guard, so only the idle timeout can close these connections.
        let configuration = HubServerConfiguration(headerReadTimeout: 600, idleTimeout: 1)
        try await TestHubServer.with(root: cache.root, configuration: configuration) { server in
            let host = server.addresses.apiHost, port = server.addresses.apiPort
            let (answered, stalled) = try await RawConnection.offPool { () throws -> ((Data, RawConnection.Ending), RawConnection.Ending) in
                let deadline = Date().addingTimeInterval(30)
                let kept = try RawConnection(host: host, port: port)
                kept.write("GET /api/whoami-v2 HTTP/1.1\r\nHost: \(host)\r\n\r\n")
                let stalling = try RawConnection(host: host, port: port)
                stalling.write("POST /api/models/acme/listed/paths-info/main HTTP/1.1\r\nHost: \(host)\r\n"
                               + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"paths\":")
                return (kept.readUntilClosed(before: deadline), stalling.readUntilClosed(before: deadline).ending)
            }
            #expect(String(decoding: answered.0, as: UTF8.self).hasPrefix("HTTP/1.1 401"))
            #expect(answered.1 == .closedByServer)
            #expect(stalled == .closedByServer)
        }
    }

    @Test("ports outside 0...65535 are refused by HubServer with a typed error and by `hubscout serve` as a usage error")
    func portsValidated() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let storage = try CacheDirectoryStorage(root: cache.root.path, refreshInterval: 0)
        for (configuration, bad) in [(HubServerConfiguration(apiPort: 70000), 70000), (HubServerConfiguration(filePort: -1), -1)] {
            let server = HubServer(storage: storage, configuration: configuration)
            let error = await #expect(throws: HubServerError.self) { _ = try await server.start() }
            guard case let .invalidPort(_, port)? = error else {
                Issue.record("expected invalidPort, got \(String(describing: error))")
                continue
            }
            #expect(port == bad)
            #expect(server.addresses == nil)
            await #expect(throws: HubServerError.self) { try await server.run() }
        }
        #expect(throws: Never.self) { try HubServerConfiguration(apiPort: 65535, filePort: 0).validate() }
        #expect(throws: HubServerError.self) { try HubServerConfiguration(apiPort: 65536).validate() }

        for arguments in [["--port", "70000"], ["--file-port=-1"]] {
            let run = try await CLIRunner.run(["serve", cache.root.path] + arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.stderr.contains("between 0 and 65535"), "\(arguments): \(run.stderr)")
        }
    }

    // MARK: - Bodies and sidecar

    @Test("a paths-info body over 1 MiB is a 413 Hub error, with Content-Length and chunked")
    func oversizedBody() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        try cache.addRepo("acme/listed", commits: [[FixtureFile("a.txt", text: "a")]])
        // The idle timeout counts from the last byte the server read, and the server stops reading while its handler
        // waits for a core: on a loaded machine a short one closes the connection with the upload unread, the kernel
        // resets it, and the 413 already queued is lost. So it is as long as any test client waits.
        let configuration = HubServerConfiguration(idleTimeout: TimeInterval(TestTimeouts.stall))
        try await TestHubServer.with(root: cache.root, configuration: configuration) { server in
            let url = "\(server.apiURL)/api/models/acme/listed/paths-info/main"
            let body = Data(("{\"paths\":[\"" + String(repeating: "a", count: 1 << 20) + "\"]}").utf8)
            let response = try await ServerTestClient.send(url, method: .post, headers: ["Content-Type": "application/json"], body: body)
            try Self.expectHubError(response, status: 413, message: "Request body is too large (limit 1048576 bytes)", cache: cache)

            let host = server.addresses.apiHost, port = server.addresses.apiPort
            let head = try await RawConnection.offPool { () throws -> String in
                let connection = try RawConnection(host: host, port: port, guardSeconds: TestTimeouts.stall)
                // `Connection: close` makes the server close once it has answered, so the read ends there.
                connection.write("POST /api/models/acme/listed/paths-info/main HTTP/1.1\r\nHost: \(host)\r\n"
                                 + "Connection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                connection.write(String(body.count, radix: 16) + "\r\n")
                connection.write(body)
                connection.write("\r\n0\r\n\r\n")
                let deadline = Date().addingTimeInterval(TimeInterval(TestTimeouts.stall))
                return String(decoding: connection.readUntilClosed(before: deadline).received, as: UTF8.self)
            }
            #expect(head.hasPrefix("HTTP/1.1 413"))
            #expect(head.contains("Request body is too large"))
            // the server still answers a small body
            let small = try await ServerTestClient.send(url, method: .post, headers: ["Content-Type": "application/json"],
                                                        body: Data(#"{"paths":["a.txt"]}"#.utf8))
            #expect(small.status == 200)
        }
    }

    @Test("an invalid sidecar refuses every request (503, API and file host) without naming a path; a removed one keeps its gating")
    func sidecarFailsClosed() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let secret = "gated secret bytes"
        try cache.addRepo("acme/gated", commits: [[FixtureFile("secret.txt", text: secret)]], facts: RepoFacts(gated: .manual))
        try cache.addRepo("acme/open", commits: [[FixtureFile("model.safetensors", generatedSize: 4096, seed: 3)]])
        try cache.addToken("hf_alice_token", TokenGrant(user: "alice", gatedRepos: ["acme/gated"]))
        let sidecar = cache.root.appendingPathComponent(ServerSidecar.fileName)
        try await TestHubServer.with(root: cache.root) { server in
            let secretURL = "\(server.apiURL)/acme/gated/resolve/main/secret.txt"
            #expect(try await ServerTestClient.send(secretURL).status == 401)
            let signed = try #require(try await ServerTestClient.send("\(server.apiURL)/acme/open/resolve/main/model.safetensors",
                                                                      method: .head).headers["Location"])

            try Data("{not json".utf8).write(to: sidecar, options: .atomic)
            let message = "The server's access rules (\(ServerSidecar.fileName)) are invalid; requests are refused until the operator fixes them."
            for url in ["\(server.apiURL)/api/models", "\(server.apiURL)/api/models/acme/gated", secretURL, signed] {
                let response = try await ServerTestClient.send(url)
                try Self.expectHubError(response, status: 503, message: message, cache: cache)
                #expect(!ServerTestClient.text(response).contains(secret))
            }

            // a valid sidecar again, then removed: the gating it set stays in force
            try cache.setFacts(RepoFacts(gated: .manual), for: "acme/gated")
            #expect(try await ServerTestClient.send(secretURL).status == 401)
            try FileManager.default.removeItem(at: sidecar)
            let anonymous = try await ServerTestClient.send(secretURL)
            #expect(anonymous.status == 401)
            #expect(anonymous.headers["X-Error-Code"] == "GatedRepo")
            #expect(!ServerTestClient.text(anonymous).contains(secret))
            let info = try ServerTestClient.json(try await ServerTestClient.send("\(server.apiURL)/api/models/acme/gated"))
            #expect(info["gated"]?.stringValue == "manual")
            let alice = try await ServerTestClient.send(secretURL, headers: ServerTestClient.bearer("hf_alice_token"))
            #expect(alice.status == 200)
            #expect(ServerTestClient.text(alice) == secret)
        }
    }

    // MARK: - Helpers

    /// `body`'s outcome as a value, so a test can clean up (and unblock the server) before it asserts.
    static func attempt<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// A cursor parameter carrying `json`, as a client could forge it.
    static func cursor(_ json: String) -> String {
        Data(json.utf8).base64EncodedString().addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// A Hub-style error: the status, `X-Error-Message`, the same text as `{"error": …}`, and no filesystem path.
    static func expectHubError(_ response: HubScoutNetwork.HTTPResponse, status: Int, message: String, cache: FixtureCache,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.headers["X-Error-Message"] == message, sourceLocation: sourceLocation)
        #expect(try ServerTestClient.json(response)["error"]?.stringValue == message, sourceLocation: sourceLocation)
        let text = ServerTestClient.text(response) + (response.headers["X-Error-Message"] ?? "")
        for root in [cache.root.path, cache.root.resolvingSymlinksInPath().path, FileManager.default.temporaryDirectory.path] {
            #expect(!text.contains(root), "error names a path: \(text)", sourceLocation: sourceLocation)
        }
        #expect(!text.contains("/" + ServerSidecar.fileName), sourceLocation: sourceLocation)
    }
}

/// A one-way flag shared between tasks.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    func set() { lock.withLock { raised = true } }
    var value: Bool { lock.withLock { raised } }
}

/// A plain TCP client on POSIX sockets, for what no HTTP library sends: half a request, then silence.
/// Its calls block, so tests run them through `offPool`, never on the cooperative pool the server also needs.
private final class RawConnection {
    /// How a read ended.
    enum Ending: Equatable, Sendable {
        /// The server closed (or reset) the connection.
        case closedByServer
        /// The guard timeout passed with the connection still open.
        case guardExpired
    }

    enum Failure: Error { case socket(Int32), connect(Int32) }

    private let fd: Int32

    /// Connects to `host:port` (IPv4); a send that cannot proceed gives up after `guardSeconds`.
    init(host: String, port: Int, guardSeconds: Int = 30) throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure.socket(errno) }
        var timeout = timeval(tv_sec: guardSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let code = errno
            close(fd)
            throw Failure.connect(code)
        }
    }

    deinit { close(fd) }

    /// Sends `text` (UTF-8); a connection the server already closed is ignored.
    func write(_ text: String) { write(Data(text.utf8)) }

    /// Sends `data`; a connection the server already closed is ignored.
    func write(_ data: Data) {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard let base = buffer.baseAddress else { return }
            var sent = 0
            while sent < buffer.count {
                #if canImport(Glibc)
                let n = Glibc.send(fd, base + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                #else
                let n = Darwin.send(fd, base + sent, buffer.count - sent, 0)
                #endif
                if n > 0 { sent += n } else if n < 0, errno == EINTR { continue } else { return }
            }
        }
    }

    /// Everything received until the server closes the connection, or `deadline` (the guard) passes.
    func readUntilClosed(before deadline: Date) -> (received: Data, ending: Ending) {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return (received, .guardExpired) }
            var timeout = timeval(tv_sec: Int(left), tv_usec: .init(left.truncatingRemainder(dividingBy: 1) * 1_000_000) + 1)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 { received.append(contentsOf: buffer[0..<n]); continue }
            if n == 0 { return (received, .closedByServer) }
            if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }   // the loop checks the deadline
            return (received, .closedByServer)   // reset by the server
        }
    }

    /// Runs blocking socket work on a thread of its own and returns its result.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
