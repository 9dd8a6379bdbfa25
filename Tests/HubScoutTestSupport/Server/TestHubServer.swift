import Foundation
import Hummingbird
import HubScoutServer

/// A `HubServer` running in-process for one test, on 127.0.0.1:0 (API) and 127.0.0.2:0 (file host).
///
/// ```swift
/// let cache = try FixturePopulation.build()
/// let server = try await TestHubServer.start(root: cache.root)
/// await server.stop()   // awaited: the listeners shut down gracefully (or use `TestHubServer.with`)
/// ```
public final class TestHubServer: Sendable {
    /// The running server.
    public let server: HubServer
    /// Bound addresses.
    public let addresses: HubServerAddresses
    /// The fault injector passed in, if any.
    public let faults: FaultInjector?

    private init(server: HubServer, addresses: HubServerAddresses, faults: FaultInjector?) {
        self.server = server; self.addresses = addresses; self.faults = faults
    }

    /// Starts a server over the cache at `root` (re-read on every request, so later changes show).
    /// `configuration` defaults to ephemeral ports on 127.0.0.1 / 127.0.0.2 and the Hub's page sizes.
    public static func start(root: URL, configuration: HubServerConfiguration = HubServerConfiguration(),
                             faults: FaultInjector? = nil) async throws -> TestHubServer {
        let storage = try CacheDirectoryStorage(root: root.path, refreshInterval: 0)
        let server = HubServer(storage: storage, configuration: configuration, middleware: faults.map { [$0] } ?? [])
        // Requests are answered on `ServerExecutor`, but some of the server's own work cannot follow them there:
        // HummingbirdCore begins a listener's graceful shutdown in an unstructured `Task` and its `Server` actor, and
        // timers fire on Swift's global executor. At the tests' default priority that work queues behind whatever
        // CPU-bound tests fill the cooperative pool with, for longer than the grace period, so `stop()` of an idle
        // server was cut off at the deadline ("Waiting on child channel: CancellationError()"). The server's task
        // tree (the background task `start` makes inherits this priority) runs above the tests' work instead.
        let addresses = try await Task(priority: .high) { try await server.start(on: ServerExecutor.shared) }.value
        return TestHubServer(server: server, addresses: addresses, faults: faults)
    }

    /// `http://127.0.0.1:<port>`: use as `HF_ENDPOINT`.
    public var apiURL: String { addresses.apiURL }
    /// `http://127.0.0.2:<port>`: where LFS redirects point.
    public var fileURL: String { addresses.fileURL }
    /// Requests the file host refused because they carried `Authorization`.
    public var authorizationRejections: Int { server.rejectedAuthorizationCount }

    /// Releases every stalled response, then stops both listeners gracefully (awaited): requests in flight finish,
    /// idle connections close, and nothing is left for the grace period to cut off.
    public func stop() async {
        faults?.releaseStalls()
        await server.stop()
    }

    /// Serves the cache at `root` for `body`, then stops the server, also when `body` throws (the cache is left as is).
    @discardableResult
    public static func with<T>(root: URL, configuration: HubServerConfiguration = HubServerConfiguration(),
                               _ body: (TestHubServer) async throws -> T) async throws -> T {
        let server = try await start(root: root, configuration: configuration)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Builds the `FixturePopulation`, serves it for `body`, then stops the server and deletes the cache,
    /// also when `body` throws.
    @discardableResult
    public static func withPopulation<T>(configuration: HubServerConfiguration = HubServerConfiguration(),
                                         faults: FaultInjector? = nil,
                                         _ body: (TestHubServer, FixturePopulation) async throws -> T) async throws -> T {
        let population = try await OffPool.run { try FixturePopulation.build() }
        let server: TestHubServer
        do {
            server = try await start(root: population.cache.root, configuration: configuration, faults: faults)
        } catch {
            population.cache.remove()
            throw error
        }
        do {
            let result = try await body(server, population)
            await server.stop()
            _ = try? await OffPool.run { population.cache.remove() }
            return result
        } catch {
            await server.stop()
            _ = try? await OffPool.run { population.cache.remove() }
            throw error
        }
    }
}
