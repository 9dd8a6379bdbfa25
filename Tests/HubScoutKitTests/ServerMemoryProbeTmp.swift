import Crypto
import Foundation
import HubScoutCore
import HubScoutNetwork
import HubScoutServer
import HubScoutTestSupport
import Testing

@Suite("TMP memory probe")
struct ServerMemoryProbeTmp {
    static func rss() -> (Int, Int) {
        let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Int {
            let line = text.split(separator: "\n").first { $0.hasPrefix(name) } ?? ""
            return Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "0") ?? 0
        }
        return (field("VmRSS:"), field("VmHWM:"))
    }

    @Test("probe")
    func probe() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let repo = try cache.addRepo("acme/big", commits: [[FixtureFile("a.txt", text: "a")]])
        let size = 1 << 30
        let tmp = cache.root.appendingPathComponent("tmpblob")
        FileManager.default.createFile(atPath: tmp.path, contents: nil)
        let h = try #require(FileHandle(forWritingAtPath: tmp.path))
        var sha = SHA256()
        var chunk = [UInt8](repeating: 0, count: 8 << 20)
        for i in 0..<(size / chunk.count) {
            for j in stride(from: 0, to: chunk.count, by: 4096) { chunk[j] = UInt8(truncatingIfNeeded: i &+ j) }
            sha.update(data: chunk); try h.write(contentsOf: Data(chunk))
        }
        try h.close()
        let etag = sha.finalize().map { String(format: "%02x", $0) }.joined()
        let dir = cache.root.appendingPathComponent("models--acme--big")
        try FileManager.default.moveItem(at: tmp, to: dir.appendingPathComponent("blobs/\(etag)"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("snapshots/\(repo.head)/big.safetensors").path,
                                                   withDestinationPath: "../../blobs/\(etag)")
        let server = try await TestHubServer.start(root: cache.root)
        let before = Self.rss()
        let counter = Counter()
        let start = Date()
        let t = CurlTransport(configuration: TransportConfiguration(retry: .none))
        _ = try await t.stream(HTTPRequest(url: "\(server.apiURL)/acme/big/resolve/main/big.safetensors")) { _, c in counter.add(c.count) }
        let elapsed = Date().timeIntervalSince(start)
        let after = Self.rss()
        print("PROBE bytes=\(counter.value) seconds=\(elapsed) MB/s=\(Double(counter.value) / elapsed / 1e6) rssBeforeKB=\(before.0) rssAfterKB=\(after.0) hwmBeforeKB=\(before.1) hwmAfterKB=\(after.1)")
        #expect(counter.value == size)
        await server.stop()
    }
}
