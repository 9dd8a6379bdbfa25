import Foundation
import HubScoutCore
import HubScoutNetwork
import HubScoutServer
import HubScoutTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `hubscout serve` for a team, run as the real binary: what its banner tells clients, and that the URLs it puts in
/// `Link` headers and LFS redirects are ones clients can use (the real client downloads through them).
@Suite("CLI: serve for a team")
struct CLIServeTests {
    /// A cache of two repositories; `acme/tiny` holds an LFS file (served by redirect) and a regular one.
    static func cache() async throws -> FixtureCache {
        try await OffPool.run {
            let cache = try FixtureCache()
            try cache.addRepo("acme/tiny", commits: [[FixtureFile("config.json", text: "{}"),
                                                      FixtureFile("model.safetensors", generatedSize: 4096, seed: 7)]])
            try cache.addRepo("acme/second", commits: [[FixtureFile("config.json", text: #"{"a":1}"#)]])
            return cache
        }
    }

    static let lfsPath = "acme/tiny/resolve/main/model.safetensors"

    /// The `Location` of the LFS file's resolve redirect, asked of the API at `base`.
    static func lfsLocation(_ base: String) async throws -> String {
        let response = try await ServerTestClient.send("\(base)/\(lfsPath)", method: .head)
        #expect(response.status == 302, "\(base)")
        return try #require(response.headers["Location"])
    }

    /// The number after `prefix` on the banner line that holds it.
    static func port(after prefix: String, in banner: String) throws -> Int {
        let line = try #require(banner.split(separator: "\n").first { $0.contains(prefix) }, "no '\(prefix)' in \(banner)")
        let rest = try #require(line.range(of: prefix)).upperBound
        return try #require(Int(line[rest...].prefix { $0.isNumber }), "\(line)")
    }

    /// `hubscout download acme/tiny` through `endpoint` into a fresh cache: the real client, redirects and all.
    static func downloadThrough(_ endpoint: String) async throws {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-serve-dl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: target) }
        let run = try await CLIRunner.run(["download", "acme/tiny", "--cache-dir", target.path],
                                          environment: ["HF_ENDPOINT": endpoint, "HUBSCOUT_NO_CATALOG": "1"])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        let snapshot = try #require(run.stdout.split(separator: "\n").last.map(String.init), "\(run.stdout)")
        // the snapshot entry is a link into blobs/; reading follows it
        #expect(FileManager.default.contents(atPath: snapshot + "/model.safetensors")?.count == 4096)
    }

    @Test("--host 0.0.0.0: the banner names this machine for other clients (not only 127.0.0.1), and redirects name the host each client used")
    func wildcardHost() async throws {
        let cache = try await Self.cache()
        defer { cache.remove() }
        try await ServeProcess.with([cache.root.path, "--host", "0.0.0.0", "--port", "0"]) { banner in
            #expect(banner.contains("listening on 0.0.0.0:"), "\(banner)")
            #expect(banner.contains("clients on other machines: export HF_ENDPOINT=http://\(AdvertisedHosts.machineName()):"), "\(banner)")
            #expect(!banner.contains("http://0.0.0.0"), "\(banner)")
            let api = try Self.port(after: "clients on this machine:   export HF_ENDPOINT=http://127.0.0.1:", in: banner)
            let files = try Self.port(after: "with port ", in: banner)
            #expect(banner.contains("TCP ports \(api) (API) and \(files) (files)"), "\(banner)")

            #expect(try await Self.lfsLocation("http://127.0.0.1:\(api)").hasPrefix("http://127.0.0.1:\(files)/"))
            let viaName = try await Self.lfsLocation("http://localhost:\(api)")
            #expect(viaName.hasPrefix("http://localhost:\(files)/"), "\(viaName)")
            let file = try await ServerTestClient.send(viaName)
            #expect(file.status == 200 && file.body.count == 4096)
        }
    }

    @Test("--file-host 0.0.0.0 never redirects to 0.0.0.0: redirects name the host the client used, and the real client downloads through them")
    func wildcardFileHost() async throws {
        let cache = try await Self.cache()
        defer { cache.remove() }
        try await ServeProcess.with([cache.root.path, "--port", "0", "--file-host", "0.0.0.0"]) { banner in
            #expect(!banner.contains("http://0.0.0.0"), "\(banner)")
            let api = try Self.port(after: "clients: export HF_ENDPOINT=http://127.0.0.1:", in: banner)
            let files = try Self.port(after: "with port ", in: banner)
            // The API stays on loopback, so nothing tells other machines to connect.
            #expect(!banner.contains("other machines"), "\(banner)")
            let location = try await Self.lfsLocation("http://127.0.0.1:\(api)")
            #expect(location.hasPrefix("http://127.0.0.1:\(files)/"), "\(location)")
            try await Self.downloadThrough("http://127.0.0.1:\(api)")
        }
    }

    @Test("--public-url is advertised in Link headers and LFS redirects (file host on its host, --file-port), and the real client pages and downloads through it")
    func publicURL() async throws {
        let cache = try await Self.cache()
        defer { cache.remove() }
        let (api, files) = try Self.freePorts()
        let publicURL = "http://localhost:\(api)"
        try await ServeProcess.with([cache.root.path, "--port", "\(api)", "--file-port", "\(files)", "--public-url", publicURL + "/"]) { banner in
            #expect(banner.contains("advertised as \(publicURL)"), "\(banner)")
            #expect(banner.contains("files: listening on 127.0.0.1:\(files), advertised as http://localhost:\(files)"), "\(banner)")
            #expect(banner.contains("clients: export HF_ENDPOINT=\(publicURL)\n") || banner.hasSuffix("clients: export HF_ENDPOINT=\(publicURL)"),
                    "\(banner)")

            // Asked by its bind address, the server still advertises the public URL.
            let first = try await ServerTestClient.send("http://127.0.0.1:\(api)/api/models?limit=1")
            #expect(first.status == 200)
            let next = try #require(ServerTestClient.nextLink(first))
            #expect(next.hasPrefix("\(publicURL)/api/models?"), "\(next)")
            let pages = try await ServerTestClient.allPages("\(publicURL)/api/models?limit=1")
            #expect(pages.pages.flatMap { $0 }.compactMap { $0["id"]?.stringValue }.sorted() == ["acme/second", "acme/tiny"])
            #expect(pages.links.allSatisfy { $0.hasPrefix(publicURL + "/") })

            let location = try await Self.lfsLocation("http://127.0.0.1:\(api)")
            #expect(location.hasPrefix("http://localhost:\(files)/"), "\(location)")
            try await Self.downloadThrough(publicURL)
        }
    }

    @Test("--public-url must be an http(s) base URL clients can connect to; serve --help explains it without pointing into the source tree")
    func publicURLChecked() async throws {
        let cache = try await Self.cache()
        defer { cache.remove() }
        for (url, reason) in [("ftp://mirror.lan", "http:// or https://"), ("http://0.0.0.0:8080", "bind address"),
                              ("http://mirror.lan/hub", "without a path"), ("mirror.lan:8080", "http"), ("http://u:p@mirror.lan", "user")] {
            let run = try await CLIRunner.run(["serve", cache.root.path, "--port", "0", "--public-url", url])
            #expect(run.status != 0, "\(url)")
            #expect(run.stderr.contains(reason), "\(url): \(run.stderr)")
        }
        let help = try await CLIRunner.run(["serve", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--public-url") && help.stdout.contains("--file-port") && help.stdout.contains("0.0.0.0"))
        #expect(!help.stdout.contains("Sources/"), "\(help.stdout)")
    }

    /// Two ports free right now on 127.0.0.1 (bound to port 0 by the kernel, then released).
    static func freePorts() throws -> (Int, Int) {
        var sockets: [Int32] = []
        defer { sockets.forEach { _ = close($0) } }
        var ports: [Int] = []
        for _ in 0..<2 {
            #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
            #endif
            try #require(fd >= 0)
            sockets.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            try #require(bound == 0)
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            try #require(named == 0)
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return (ports[0], ports[1])
    }
}

/// A `hubscout serve` child process: started, read once its banner is on stderr, stopped with SIGTERM and awaited.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let folder: URL
    /// Everything `serve` printed on stderr up to and including the banner.
    private(set) var banner = ""

    private init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    private var stderrPath: String { folder.appendingPathComponent("stderr").path }

    /// Runs `hubscout serve arguments…`, hands its banner to `body` once printed, then stops it (also when `body` throws).
    static func with(_ arguments: [String], _ body: (String) async throws -> Void) async throws {
        let serve = try await start(arguments)
        do {
            try await body(serve.banner)
        } catch {
            await serve.stop()
            throw error
        }
        await serve.stop()
    }

    /// Starts `hubscout serve arguments…` and waits (up to 120 s on a loaded machine) until its banner is printed;
    /// throws with what it printed when it exits first.
    static func start(_ arguments: [String]) async throws -> ServeProcess {
        let serve = try ServeProcess()
        FileManager.default.createFile(atPath: serve.stderrPath, contents: nil)
        serve.process.executableURL = try CLIRunner.binary()
        serve.process.arguments = ["serve"] + arguments
        serve.process.environment = ["HOME": serve.folder.path, "PATH": "/usr/bin:/bin"]
        serve.process.standardOutput = FileHandle.nullDevice
        serve.process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: serve.stderrPath))
        serve.process.standardInput = FileHandle.nullDevice
        try serve.process.run()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            // The banner is written at once, so seeing its files line means all of it is there.
            let text = (try? String(contentsOfFile: serve.stderrPath, encoding: .utf8)) ?? ""
            if text.contains("files:") {
                serve.banner = text
                return serve
            }
            if !serve.process.isRunning {
                await serve.stop()
                throw ServeFailure.exited(text)
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        await serve.stop()
        throw ServeFailure.exited("no banner within 120 s")
    }

    /// SIGTERM (graceful shutdown), then waits for the exit off the cooperative pool; removes the log folder.
    func stop() async {
        if process.isRunning { process.terminate() }
        let process = self.process
        _ = try? await OffPool.run { process.waitUntilExit() }
        try? FileManager.default.removeItem(at: folder)
    }

    enum ServeFailure: Error, CustomStringConvertible {
        case exited(String)
        var description: String {
            switch self { case let .exited(text): "hubscout serve did not start: \(text)" }
        }
    }
}
