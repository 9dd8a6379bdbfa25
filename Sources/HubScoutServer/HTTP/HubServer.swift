import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle
import NIOCore

/// A Hugging Face Hub-compatible HTTP server over a `HubStorage`, on two listeners:
/// the API host (JSON API and `/resolve/`) and a file host on another host name that serves LFS files
/// by signed redirect, as the Hub's CDN does (hub-protocol §10 "minimum contract").
///
/// ```swift
/// let storage = try CacheDirectoryStorage(root: "~/.cache/huggingface/hub")
/// let server = HubServer(storage: storage, configuration: .init(apiPort: 8080))
/// try await server.run { print("listening on \($0.apiURL)") }   // until SIGINT/SIGTERM
/// ```
public final class HubServer: Sendable {
    /// Where repositories come from.
    public let storage: any HubStorage
    /// Addresses and page sizes.
    public let configuration: HubServerConfiguration

    private let middleware: [any RouterMiddleware<BasicRequestContext>]
    private let logger: Logger
    private let state = ServerState()
    private let signer = BlobURLSigner()
    private let lifecycle = Lifecycle()

    /// Creates a server. `middleware` runs outermost on both hosts, in order (test fault injection goes here).
    public init(storage: any HubStorage, configuration: HubServerConfiguration = .init(),
                middleware: [any RouterMiddleware<BasicRequestContext>] = [], logger: Logger? = nil) {
        self.storage = storage
        self.configuration = configuration
        self.middleware = middleware
        self.logger = logger ?? {
            var logger = Logger(label: "hubscout.server")
            logger.logLevel = .warning
            return logger
        }()
    }

    /// How many requests the file host refused because they carried an `Authorization` header.
    public var rejectedAuthorizationCount: Int { state.rejectionCount }

    /// The bound addresses, once running.
    public var addresses: HubServerAddresses? { lifecycle.addresses }

    /// Runs both listeners until the task is cancelled or the process gets SIGINT/SIGTERM (graceful shutdown);
    /// `onReady` gets the bound addresses once both listen. Throws `HubServerError.invalidPort` for a port outside 0...65535.
    public func run(onReady: @escaping @Sendable (HubServerAddresses) async -> Void = { _ in }) async throws {
        try configuration.validate()
        try await run(handleSignals: true, onReady: onReady)
    }

    /// Starts both listeners in the background and returns their bound addresses; `stop()` ends them.
    /// With an `executor`, requests are answered on it rather than on the shared cooperative pool (an app or a
    /// test process whose pool may be busy with CPU work keeps its server responsive).
    /// Throws `HubServerError.invalidPort` for a port outside 0...65535.
    public func start(on executor: (any TaskExecutor)? = nil) async throws -> HubServerAddresses {
        try configuration.validate()
        let gate = StartGate()
        let task = Task(executorPreference: executor) {
            do {
                try await self.run(handleSignals: false) { addresses in gate.open(.success(addresses)) }
                gate.open(.failure(HubServerError.bindFailed(host: self.configuration.apiHost, port: self.configuration.apiPort,
                                                             reason: "the server stopped before it was ready")))
            } catch {
                gate.open(.failure(error))
            }
        }
        guard lifecycle.setTask(task) else { task.cancel(); throw HubServerError.alreadyRunning }
        return try await gate.wait()
    }

    /// Stops a server begun with `start()` and waits until both listeners are closed.
    /// Stops a server begun with `start()`: both listeners stop accepting, requests in flight finish (for up
    /// to `gracefulShutdownSeconds`), and this returns once both are closed.
    public func stop() async {
        guard let (task, group) = lifecycle.takeTask() else { return }
        if let group { await group.triggerGracefulShutdown() } else { task.cancel() }
        _ = await task.result
    }

    private func run(handleSignals: Bool, onReady: @escaping @Sendable (HubServerAddresses) async -> Void) async throws {
        let ports = PortCollector()
        let configuration = self.configuration
        let state = self.state
        let lifecycle = self.lifecycle
        let announce: @Sendable () async -> Void = {
            guard let (api, file) = ports.both() else { return }
            let advert = configuration.fileHostAdvert(boundPort: file)
            state.setFileHost(advert)
            let addresses = HubServerAddresses(apiHost: configuration.apiHost, apiPort: api, fileURL: advert.base(requestHost: nil),
                                               filePort: file, publicURL: configuration.publicAPIBase,
                                               fileHost: configuration.fileHost, fileHostFollowsRequest: advert == .requestHost(port: file))
            lifecycle.addresses = addresses
            await onReady(addresses)
        }
        let headers = StandardHeadersMiddleware(state: state, quota: configuration.rateLimitQuota, window: configuration.rateLimitWindow)
        let api = APIResponder(storage: storage, configuration: configuration, state: state, signer: signer, logger: logger)
        let files = FileHostResponder(storage: storage, state: state, signer: signer, logger: logger)
        let http1 = Self.http1(configuration)
        let apiApp = Application(
            responder: MiddlewareChain(middleware: middleware + [headers], endpoint: api),
            server: http1,
            configuration: .init(address: .hostname(configuration.apiHost, port: configuration.apiPort), serverName: nil),
            onServerRunning: { channel in
                ports.setAPI(channel.localAddress?.port ?? configuration.apiPort)
                await announce()
            },
            logger: logger)
        let fileApp = Application(
            responder: MiddlewareChain(middleware: middleware + [headers], endpoint: files),
            server: http1,
            configuration: .init(address: .hostname(configuration.fileHost, port: configuration.filePort), serverName: nil),
            onServerRunning: { channel in
                ports.setFile(channel.localAddress?.port ?? configuration.filePort)
                await announce()
            },
            logger: logger)
        // Both listeners run as one service of a group: SIGINT/SIGTERM (for `serve`) or `stop()` (tests, apps)
        // shut them down gracefully, both at once, and when one ends, by failure or not, the other is stopped too.
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: Listeners(apps: [apiApp, fileApp]))],
            gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(configuration.gracefulShutdownSeconds)
        let services = ServiceGroup(configuration: groupConfiguration)
        lifecycle.group = services
        do {
            try await services.run()
        } catch is CancellationError {
            return
        } catch {
            if ports.both() == nil {
                throw HubServerError.bindFailed(host: ports.api == nil ? configuration.apiHost : configuration.fileHost,
                                                port: ports.api == nil ? configuration.apiPort : configuration.filePort,
                                                reason: "\(error)")
            }
            throw error
        }
    }

    /// HTTP/1.1 with the configured header-read and idle timeouts, so stalled or half-sent requests cannot pile up.
    private static func http1(_ configuration: HubServerConfiguration) -> HTTPServerBuilder {
        // clamped again: the properties are settable after init, and Int64(.infinity) would trap
        let header = HubServerConfiguration.clampedTimeout(configuration.headerReadTimeout, default: 15)
        let idle = HubServerConfiguration.clampedTimeout(configuration.idleTimeout, default: 30)
        let headerTimeout = TimeAmount.nanoseconds(Int64(header * 1e9))
        let idleTimeout = TimeAmount.nanoseconds(Int64(idle * 1e9))
        return .http1(configuration: HTTP1Channel.Configuration(
            additionalChannelHandlers: [HeaderReadTimeoutHandler(timeout: headerTimeout)],   // one per connection
            idleTimeout: idleTimeout))
    }
}

/// Listeners run side by side as one service, so that a graceful shutdown reaches them all at once: each stops
/// accepting and drains its own requests. (As services of a `ServiceGroup` they were shut down one after the other,
/// so the API host went on accepting while the file host drained a download, and was cut off by the group's deadline,
/// which HummingbirdCore logs as an error.) When one ends first, by a failed bind or otherwise outside a graceful
/// shutdown, the others are cancelled and its error, if any, is thrown.
private struct Listeners: Service {
    let apps: [any Service]

    func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for app in apps { group.addTask { try await app.run() } }
            do {
                while try await group.next() != nil {
                    if !Task.isShuttingDownGracefully { group.cancelAll() }
                }
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}

/// The background task of a started server and its addresses.
private final class Lifecycle: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?
    private var _group: ServiceGroup?
    private var _addresses: HubServerAddresses?

    /// The running service group, for a graceful stop.
    var group: ServiceGroup? {
        get { lock.withLock { _group } }
        set { lock.withLock { _group = newValue } }
    }

    var addresses: HubServerAddresses? {
        get { lock.withLock { _addresses } }
        set { lock.withLock { _addresses = newValue } }
    }

    func setTask(_ task: Task<Void, Never>) -> Bool {
        lock.withLock {
            guard self.task == nil else { return false }
            self.task = task
            return true
        }
    }

    func takeTask() -> (Task<Void, Never>, ServiceGroup?)? {
        lock.withLock {
            defer { task = nil; _group = nil; _addresses = nil }
            return task.map { ($0, _group) }
        }
    }
}

/// Collects the two bound ports from `onServerRunning`.
private final class PortCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var _api: Int?
    private var _file: Int?
    private var announced = false

    var api: Int? { lock.withLock { _api } }
    func setAPI(_ port: Int) { lock.withLock { _api = port } }
    func setFile(_ port: Int) { lock.withLock { _file = port } }

    /// Both ports, once, to the first caller that sees them both.
    func both() -> (Int, Int)? {
        lock.withLock {
            guard !announced, let api = _api, let file = _file else { return nil }
            announced = true
            return (api, file)
        }
    }
}

/// A one-shot result handed from the server task to `start()`.
private final class StartGate: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<HubServerAddresses, any Error>?
    private var waiter: CheckedContinuation<HubServerAddresses, any Error>?

    func open(_ value: Result<HubServerAddresses, any Error>) {
        let waiter: CheckedContinuation<HubServerAddresses, any Error>? = lock.withLock {
            guard result == nil else { return nil }
            result = value
            defer { self.waiter = nil }
            return self.waiter
        }
        waiter?.resume(with: value)
    }

    func wait() async throws -> HubServerAddresses {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<HubServerAddresses, any Error>? = lock.withLock {
                if let result { return result }
                waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
