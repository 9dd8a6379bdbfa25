import Foundation
import Logging

/// The HTTP transport on libcurl: streaming bodies, manual redirects (so `Authorization` never
/// reaches another host), stall detection, and retries with backoff for buffered requests.
public final class CurlTransport: HTTPTransport {
    public let configuration: TransportConfiguration
    private let logger: Logger

    public init(configuration: TransportConfiguration = .init(), logger: Logger = Logger(label: "hubscout.http")) {
        self.configuration = configuration
        var logger = logger
        logger.logLevel = configuration.verbose ? .debug : .warning
        self.logger = logger
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let policy = request.retry ?? configuration.retry
        var attempt = 0
        while true {
            do {
                let response = try await sendOnce(request)
                guard RetryPolicy.retryableStatuses.contains(response.status), attempt < policy.maxRetries else {
                    return response
                }
                let delay: Double
                if let requested = RetryPolicy.serverRequestedDelay(response.headers) {
                    // A wait longer than we accept goes back to the caller, who reports it.
                    guard requested <= policy.maxRetryAfter else { return response }
                    delay = requested
                } else {
                    delay = policy.backoff(attempt: attempt)
                }
                logger.debug("retrying after HTTP \(response.status)", metadata: ["url": "\(URLText.hostPart(request.url))", "delay": "\(delay)"])
                try await Self.sleep(seconds: delay)
            } catch let error as TransportError where error.isTransient && attempt < policy.maxRetries {
                let delay = policy.backoff(attempt: attempt)
                logger.debug("retrying after \(error)", metadata: ["delay": "\(delay)"])
                try await Self.sleep(seconds: delay)
            }
            attempt += 1
        }
    }

    public func stream(_ request: HTTPRequest, onChunk: @escaping @Sendable (HTTPResponse, UnsafeRawBufferPointer) throws -> Void) async throws -> HTTPResponse {
        try await perform(request, decompress: false, onChunk: onChunk)
    }

    private func sendOnce(_ request: HTTPRequest) async throws -> HTTPResponse {
        let buffer = BodyBuffer(limit: configuration.maxBufferedBodyBytes)
        var response = try await perform(request, decompress: true) { head, chunk in
            try buffer.append(chunk, url: head.url)
        }
        response.body = buffer.take()
        return response
    }

    /// Runs a request and its redirects. Only the final response's body reaches `onChunk`.
    private func perform(_ request: HTTPRequest, decompress: Bool,
                         onChunk: @escaping @Sendable (HTTPResponse, UnsafeRawBufferPointer) throws -> Void) async throws -> HTTPResponse {
        // Only http(s) is ever spoken, whatever a URL or a redirect names.
        guard let origin = HTTPOrigin(url: request.url) else { throw TransportError.invalidURL(request.url) }
        var current = request
        var hops = 0
        while true {
            let policy = current.redirects
            let currentURL = current.url
            let hopOrigin = HTTPOrigin(url: currentURL)
            func transfer(http2: Bool) -> CurlTransfer {
                CurlTransfer(
                    options: .init(method: current.method, url: current.url, headers: current.headers, body: current.body,
                                   userAgent: configuration.userAgent, connectTimeout: configuration.connectTimeout,
                                   stallTimeout: configuration.stallTimeout, timeout: current.timeout, decompress: decompress,
                                   allowedSchemes: origin.allowedSchemes, maxHeaderBytes: configuration.maxHeaderBytes,
                                   connection: current.connection, allowHTTP2: http2, trust: configuration.trust),
                    wantsBody: { head in (try? Self.nextHop(for: head, from: currentURL, policy: policy)) == nil },
                    onChunk: onChunk)
            }
            try Task.checkCancellation()
            // HTTP/2 is offered to pooled requests on https only (bulk transfers and plain http speak HTTP/1.1).
            let http2 = current.connection == .shared && current.url.lowercased().hasPrefix("https:")
                && !(hopOrigin.map(HTTP2Fallback.isDisabled(for:)) ?? false)
            let first = transfer(http2: http2)
            var response: HTTPResponse
            do {
                response = try await first.run()
            } catch let error as TransportError where http2 && !first.receivedHead && error.isConnectionFault {
                // The connection broke before any answer while HTTP/2 was on offer: a middlebox that mangles HTTP/2
                // looks exactly like this. One immediate try over HTTP/1.1 tells: if it works, this host gets
                // HTTP/1.1 from now on, and --verbose says so; if not, its error is the one that counts.
                response = try await transfer(http2: false).run()
                if let hopOrigin {
                    HTTP2Fallback.disable(for: hopOrigin)
                    logger.info("HTTP/2 to \(URLText.hostPart(currentURL)) failed (\(error)); HTTP/1.1 worked and is used for this host from now on")
                }
            }
            response.redirectCount = hops
            guard let next = try Self.nextHop(for: response, from: current.url, policy: policy) else { return response }
            hops += 1
            guard hops <= configuration.maxRedirects else { throw TransportError.tooManyRedirects(url: request.url) }
            if HTTPOrigin(url: next) != origin {
                // Never send the Hub token to a CDN or any other host.
                current.headers.remove("Authorization")
            }
            if response.status == 303 || (current.method == .post && [301, 302].contains(response.status)) {
                current.method = .get
                current.body = nil
            }
            current.url = next.absoluteString
        }
    }

    /// The URL to follow for a redirect response under `policy`, or nil to return the response.
    /// A redirect to anything but http(s), or from https down to http, is an error, never followed.
    static func nextHop(for response: HTTPResponse, from url: String, policy: RedirectPolicy) throws(TransportError) -> URL? {
        guard response.isRedirect, policy != .none else { return nil }
        guard let location = response.headers["Location"] else {
            if policy == .follow { throw .badRedirect(url: url) }
            return nil
        }
        let resolved: String
        do {
            resolved = try RedirectTarget.resolve(location, from: url)
        } catch {
            // Same-host-only callers get the 3xx back and judge its Location themselves.
            if policy == .sameHostOnly { return nil }
            throw error
        }
        guard let target = URL(string: resolved) else { throw .badRedirect(url: url) }
        if policy == .sameHostOnly, HTTPOrigin(url: target) != HTTPOrigin(url: url) { return nil }
        return target
    }

    private static func sleep(seconds: Double) async throws {
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }
}

/// Hosts where HTTP/2 failed in this process: later requests to them speak HTTP/1.1.
enum HTTP2Fallback {
    private static let state = Mutex()

    static func isDisabled(for origin: HTTPOrigin) -> Bool { state.withLock { $0.contains(origin) } }
    static func disable(for origin: HTTPOrigin) { state.withLock { _ = $0.insert(origin) } }

    private final class Mutex: @unchecked Sendable {
        private let lock = NSLock()
        private var origins: Set<HTTPOrigin> = []
        func withLock<T>(_ body: (inout Set<HTTPOrigin>) -> T) -> T { lock.withLock { body(&origins) } }
    }
}

/// Collects a buffered body up to a limit. Written only from the transfer thread, read after it ends.
private final class BodyBuffer: @unchecked Sendable {
    private var data = Data()
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func append(_ chunk: UnsafeRawBufferPointer, url: String) throws {
        guard data.count + chunk.count <= limit else { throw TransportError.bodyTooLarge(url: url, limit: limit) }
        data.append(contentsOf: chunk)
    }

    func take() -> Data { data }
}
