import Foundation

/// Sends HTTP requests. The one implementation is `CurlTransport`; the protocol keeps callers testable
/// against real servers with other settings, not against fakes.
public protocol HTTPTransport: Sendable {
    /// Sends a request and buffers the body; retries transient failures per the retry policy.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
    /// Sends a request and hands the final response's body to `onChunk` as it arrives; no retries.
    /// An error thrown by `onChunk` aborts the transfer and is rethrown as is.
    func stream(_ request: HTTPRequest, onChunk: @escaping @Sendable (HTTPResponse, UnsafeRawBufferPointer) throws -> Void) async throws -> HTTPResponse
}
