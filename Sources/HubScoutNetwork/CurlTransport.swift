import Foundation
import Logging

/// The HTTP transport on libcurl: streaming bodies, manual redirects (so `Authorization` never
/// reaches another host), stall detection, and retries with backoff for buffered requests.
public final class CurlTransport: HTTPTransport {
    public let configuration: TransportConfiguration
    private let logger: Logger

    public init(configuration: TransportConfiguration = .init(), logger: Logger = Logger(label: "hubscout.http")) {
        self.configuration = configuration
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
            let transfer = CurlTransfer(
                options: .init(method: current.method, url: current.url, headers: current.headers, body: current.body,
                               userAgent: configuration.userAgent, connectTimeout: configuration.connectTimeout,
                               stallTimeout: configuration.stallTimeout, timeout: current.timeout, decompress: decompress,
                               allowedSchemes: origin.allowedSchemes, maxHeaderBytes: configuration.maxHeaderBytes),
                wantsBody: { head in (try? Self.nextHop(for: head, from: currentURL, policy: policy)) == nil },
                onChunk: onChunk)
            try Task.checkCancellation()
            var response = try await transfer.run()
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
