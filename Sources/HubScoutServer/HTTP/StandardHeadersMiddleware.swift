import Foundation
import Hummingbird

/// Adds what every Hub response carries: `RateLimit`/`RateLimit-Policy` (IETF draft, per bucket), `X-Request-Id`,
/// `Access-Control-Expose-Headers` and `Vary`.
struct StandardHeadersMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    let state: ServerState
    let quota: Int
    let window: Int

    static let exposed = "X-Repo-Commit,X-Request-Id,X-Error-Code,X-Error-Message,X-Total-Count,ETag,Link,Accept-Ranges,Content-Range,X-Linked-Size,X-Linked-ETag"

    func handle(_ request: Request, context: BasicRequestContext,
                next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let path = request.uri.path
        let bucket = path.hasPrefix("/api/") ? "api" : path.contains("/resolve/") ? "resolvers" : "pages"
        let (remaining, reset) = state.consume(bucket: bucket, quota: quota, window: window)
        if response.headers[HubHeader.rateLimit] == nil {
            response.headers[HubHeader.rateLimit] = "\"\(bucket)\";r=\(remaining);t=\(reset)"
            response.headers[HubHeader.rateLimitPolicy] = "\"fixed window\";\"\(bucket)\";q=\(quota);w=\(window)"
        }
        if response.headers[HubHeader.requestID] == nil {
            response.headers[HubHeader.requestID] = Self.requestID()
        }
        response.headers[HubHeader.exposeHeaders] = Self.exposed
        response.headers[.vary] = "Origin"
        return response
    }

    /// `Root=1-<8 hex seconds>-<24 hex random>`, the AWS trace shape the Hub uses.
    static func requestID() -> String {
        let seconds = String(UInt32(truncatingIfNeeded: Int(Date().timeIntervalSince1970)), radix: 16)
        let random = (0..<3).map { _ in String(format: "%08x", UInt32.random(in: .min ... .max)) }.joined()
        return "Root=1-\(seconds)-\(random)"
    }
}
