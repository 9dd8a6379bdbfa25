import Foundation
import HubScoutCache
import HubScoutNetwork

/// The hosts a Hub's LFS files were redirected to (its CDN), remembered across runs in
/// `$HUBSCOUT_HOME/file-origins.json`, so the next inspection can open a connection to them while it waits for
/// the model info: the header reads that follow then skip a TCP and a TLS handshake (two round trips).
///
/// Only origins (scheme, host, port) are kept, never a URL: signed paths and queries stay out of the file.
enum FileOrigins {
    /// Most origins kept per endpoint (the Hub uses one or two CDN hosts).
    static let limit = 4

    /// The origins remembered for `environment`'s endpoint, most recent first.
    static func remembered(for environment: HubEnvironment) -> [HTTPOrigin] {
        guard let list = load(environment)[environment.endpoint] else { return [] }
        return list.compactMap { HTTPOrigin(url: $0) }
    }

    /// Remembers where a file of `environment`'s Hub was answered from, when that is another origin than the Hub's.
    static func remember(_ url: String, environment: HubEnvironment) {
        guard let origin = HTTPOrigin(url: url), origin != environment.endpointOrigin else { return }
        let text = origin.description
        guard seen.insert(text) else { return }
        var all = load(environment)
        var list = all[environment.endpoint] ?? []
        guard list.first != text else { return }
        list.removeAll { $0 == text }
        list.insert(text, at: 0)
        all[environment.endpoint] = Array(list.prefix(limit))
        // A cache: failing to write it costs two round trips next time, nothing else.
        if let data = try? JSONEncoder().encode(all) {
            try? FileManager.default.createDirectory(atPath: environment.hubscoutHome, withIntermediateDirectories: true)
            try? HubCache.writeAtomically(data, to: path(environment))
        }
    }

    private static func path(_ environment: HubEnvironment) -> String { environment.hubscoutHome + "/file-origins.json" }

    private static func load(_ environment: HubEnvironment) -> [String: [String]] {
        guard let data = FileManager.default.contents(atPath: path(environment)), data.count < 64 << 10,
              let decoded = try? JSONDecoder().decode([String: [String]].self, from: data) else { return [:] }
        return decoded
    }

    /// Origins already remembered by this process (one write per origin and run, not per read).
    private static let seen = SeenSet()

    private final class SeenSet: @unchecked Sendable {
        private let lock = NSLock()
        private var values: Set<String> = []
        func insert(_ value: String) -> Bool { lock.withLock { values.insert(value).inserted } }
    }
}

extension HubClient {
    /// Opens pooled connections to `origins` (a HEAD of `/`, answer ignored) so later requests there skip the
    /// handshakes. Never sends the token: these are not the endpoint's origin.
    func warmConnections(to origins: [HTTPOrigin]) async {
        await withTaskGroup(of: Void.self) { group in
            for origin in origins where origin != environment.endpointOrigin {
                group.addTask {
                    var warm = request(.head, url: origin.description + "/", redirects: .none, timeout: 10)
                    warm.retry = RetryPolicy.none
                    _ = try? await transport.send(warm)
                }
            }
        }
    }
}
