import HubScoutTestSupport
import Foundation
import HubScoutCore
import HubScoutNetwork

/// Raw HTTP against the test server through the real libcurl transport: no retries and no redirects
/// unless asked, so every test sees exactly what the server answered.
enum ServerTestClient {
    static let transport = CurlTransport(configuration: TransportConfiguration(connectTimeout: TestTimeouts.connect, stallTimeout: TestTimeouts.stall, retry: .none))

    static func send(_ url: String, method: HTTPMethod = .get, headers: HTTPHeaders = [:], body: Data? = nil,
                     redirects: RedirectPolicy = .none, transport: CurlTransport = transport) async throws -> HTTPResponse {
        try await transport.send(HTTPRequest(method: method, url: url, headers: headers, body: body, redirects: redirects))
    }

    static func bearer(_ token: String) -> HTTPHeaders { ["Authorization": "Bearer \(token)"] }

    static func json(_ response: HTTPResponse) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: response.body)
    }

    static func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    /// The URL inside `Link: <…>; rel="next"`, if any.
    static func nextLink(_ response: HTTPResponse) -> String? {
        guard let link = response.headers["Link"], let start = link.firstIndex(of: "<"), let end = link.firstIndex(of: ">"),
              link.contains("rel=\"next\"") else { return nil }
        return String(link[link.index(after: start)..<end])
    }

    /// Follows `Link` pages from `url`; returns every page's items and the Link URLs seen.
    static func allPages(_ url: String, headers: HTTPHeaders = [:]) async throws -> (pages: [[JSONValue]], links: [String]) {
        var pages: [[JSONValue]] = []
        var links: [String] = []
        var next: String? = url
        while let current = next, pages.count < 50 {
            let response = try await send(current, headers: headers)
            guard response.status == 200 else { throw ServerTestFailure.status(response.status, current) }
            pages.append(try json(response).arrayValue ?? [])
            next = nextLink(response)
            if let next { links.append(next) }
        }
        return (pages, links)
    }
}

/// A test-side failure with the status and URL that caused it.
enum ServerTestFailure: Error, CustomStringConvertible {
    case status(Int, String)
    var description: String {
        switch self { case let .status(code, url): "unexpected HTTP \(code) from \(url)" }
    }
}
