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
        guard let originalURL = URL(string: request.url), let originalHost = originalURL.host else {
            throw TransportError.invalidURL(request.url)
        }
        var current = request
        var hops = 0
        while true {
            let policy = current.redirects
            let currentURL = current.url
            let transfer = CurlTransfer(
                options: .init(method: current.method, url: current.url, headers: current.headers, body: current.body,
                               userAgent: configuration.userAgent, connectTimeout: configuration.connectTimeout,
                               stallTimeout: configuration.stallTimeout, timeout: current.timeout, decompress: decompress),
                wantsBody: { head in Self.nextHop(for: head, from: currentURL, policy: policy) == nil },
                onChunk: onChunk)
            try Task.checkCancellation()
            var response = try await transfer.run()
            response.redirectCount = hops
            guard let next = Self.nextHop(for: response, from: current.url, policy: policy) else { return response }
            hops += 1
            guard hops <= configuration.maxRedirects else { throw TransportError.tooManyRedirects(url: request.url) }
            if next.host != originalHost || next.port != originalURL.port || next.scheme != originalURL.scheme {
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
    static func nextHop(for response: HTTPResponse, from url: String, policy: RedirectPolicy) -> URL? {
        guard response.isRedirect, policy != .none, let location = response.headers["Location"],
              let base = URL(string: url), let target = URL(string: location, relativeTo: base)?.absoluteURL else {
            return nil
        }
        if policy == .sameHostOnly, target.host != base.host || target.port != base.port || target.scheme != base.scheme {
            return nil
        }
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
