import Hummingbird

/// A header name (HTTPTypes' `HTTPField.Name`, reached through Hummingbird's re-exported `HTTPFields`).
typealias HTTPHeaderName = HTTPFields.Element.Name

/// Header names the Hub uses that HTTPTypes does not predefine.
enum HubHeader {
    static let repoCommit = HTTPHeaderName("X-Repo-Commit")!
    static let linkedEtag = HTTPHeaderName("X-Linked-Etag")!
    static let linkedSize = HTTPHeaderName("X-Linked-Size")!
    static let requestID = HTTPHeaderName("X-Request-Id")!
    static let rateLimit = HTTPHeaderName("RateLimit")!
    static let rateLimitPolicy = HTTPHeaderName("RateLimit-Policy")!
    static let link = HTTPHeaderName("Link")!
    static let exposeHeaders = HTTPHeaderName("Access-Control-Expose-Headers")!
}

/// Builders for the response shapes the server sends.
enum HubResponses {
    /// A JSON body (`application/json; charset=utf-8`); HEAD keeps the length and drops the body.
    static func json(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], head: Bool = false) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return body(text, status: status, headers: headers, head: head)
    }

    /// A text/plain body.
    static func text(_ text: String, status: HTTPResponse.Status, headers: HTTPFields = [:], head: Bool = false) -> Response {
        var headers = headers
        headers[.contentType] = "text/plain; charset=utf-8"
        return body(text, status: status, headers: headers, head: head)
    }

    private static func body(_ text: String, status: HTTPResponse.Status, headers: HTTPFields, head: Bool) -> Response {
        let buffer = ByteBuffer(string: text)
        var headers = headers
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: headers, body: head ? ResponseBody() : ResponseBody(byteBuffer: buffer))
    }

    /// A relative redirect with the Hub's text body (`Temporary Redirect. Redirecting to …` / `Found. Redirecting to …`).
    static func redirect(to location: String, status: HTTPResponse.Status, headers: HTTPFields = [:], head: Bool) -> Response {
        var headers = headers
        headers[.location] = location
        let phrase = status == .found ? "Found" : "Temporary Redirect"
        return text("\(phrase). Redirecting to \(location)", status: status, headers: headers, head: head)
    }
}
