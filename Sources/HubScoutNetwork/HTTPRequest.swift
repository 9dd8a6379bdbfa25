import Foundation

/// HTTP methods the Hub protocol needs.
public enum HTTPMethod: String, Sendable {
    case get = "GET", head = "HEAD", post = "POST"
}

/// What the transport does with a 3xx answer.
public enum RedirectPolicy: Sendable, Equatable {
    /// Return every 3xx to the caller.
    case none
    /// Follow redirects on the same host only (relative ones: renames, resolve-cache); return a cross-host 3xx.
    case sameHostOnly
    /// Follow all redirects; a hop to another host drops `Authorization`.
    case follow
}

/// One HTTP request.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var url: String
    public var headers: HTTPHeaders
    public var body: Data?
    public var redirects: RedirectPolicy
    /// Overall time limit in seconds for buffered requests (nil: none; downloads rely on stall detection).
    public var timeout: Double?
    /// Retries for this request, replacing the transport's policy (nil: the transport's).
    public var retry: RetryPolicy?
    /// The pooled, multiplexed connections (default) or one of its own, for bulk bytes.
    public var connection: ConnectionUse = .shared

    public init(method: HTTPMethod = .get, url: String, headers: HTTPHeaders = [:], body: Data? = nil,
                redirects: RedirectPolicy = .follow, timeout: Double? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.redirects = redirects
        self.timeout = timeout
    }
}

/// A response: status, headers, final URL, and the body when buffered.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    /// The URL that produced this response (after any redirects followed).
    public var url: String
    /// The buffered body (empty for HEAD and streamed requests).
    public var body: Data
    /// How many redirects were followed to get here.
    public var redirectCount: Int

    public init(status: Int, headers: HTTPHeaders, url: String, body: Data = Data(), redirectCount: Int = 0) {
        self.status = status
        self.headers = headers
        self.url = url
        self.body = body
        self.redirectCount = redirectCount
    }

    /// True for 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
    /// True for the redirect statuses.
    public var isRedirect: Bool { [301, 302, 303, 307, 308].contains(status) }
}
