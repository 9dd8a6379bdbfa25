/// Why an HTTP exchange failed before a response came back.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    /// DNS, refused connection, proxy unreachable.
    case connectionFailed(url: String, message: String)
    /// The connection broke mid-transfer (reset, truncated body).
    case connectionLost(url: String, message: String)
    /// Connecting or the whole request took longer than allowed.
    case timedOut(url: String)
    /// No byte arrived for the stall timeout.
    case stalled(url: String, seconds: Int)
    case tooManyRedirects(url: String)
    /// A redirect without a usable `Location`.
    case badRedirect(url: String)
    /// A request header holds a line break or NUL (it would inject headers); it was not sent.
    case invalidHeader(name: String)
    /// The response head is larger than any Hub answer (a header bomb).
    case headersTooLarge(url: String, limit: Int)
    /// The body is larger than may be buffered.
    case bodyTooLarge(url: String, limit: Int)
    case cancelled
    /// The server's TLS certificate is not signed by a trusted authority (or names another host).
    case untrustedCertificate(url: String, message: String, trust: TLSTrust)
    /// The CA certificates named by the environment could not be loaded.
    case unreadableTrustStore(trust: TLSTrust, message: String)
    /// Any other libcurl failure.
    case curl(code: Int, message: String, url: String)

    public var description: String {
        switch self {
        case let .invalidURL(url): "'\(url)' is not a valid URL; check HF_ENDPOINT"
        case let .connectionFailed(url, message): "could not connect to \(URLText.hostPart(url)) (\(message)); check your network, proxy settings (https_proxy, no_proxy) and HF_ENDPOINT"
        case let .connectionLost(url, message): "the connection to \(URLText.hostPart(url)) broke off (\(message)); run the command again to resume"
        case let .timedOut(url): "the request to \(URLText.hostPart(url)) timed out; the server or your network is slow, try again"
        case let .stalled(url, seconds): "no data from \(URLText.hostPart(url)) for \(seconds) s; the transfer was stopped and can be resumed"
        case let .tooManyRedirects(url): "too many redirects starting at \(url)"
        case let .badRedirect(url): "the server at \(URLText.hostPart(url)) sent a redirect without a usable http(s) Location (other schemes, and https to http, are refused)"
        case let .invalidHeader(name): "the request header \(name) contains a line break or NUL and was not sent"
        case let .headersTooLarge(url, limit): "the response headers from \(URLText.hostPart(url)) exceed \(limit) bytes; refused"
        case let .bodyTooLarge(url, limit): "the response from \(url) is larger than \(limit) bytes and was not buffered"
        case .cancelled: "cancelled"
        case let .untrustedCertificate(url, message, trust):
            "the TLS certificate of \(URLText.hostPart(url)) could not be verified (\(message))"
                + (trust.summary.map { "; trusted authorities come from \($0)" } ?? "")
                + ". If this server uses a private certificate authority, set SSL_CERT_FILE (or CURL_CA_BUNDLE) to its CA certificate in PEM form; hubscout never falls back to plain HTTP"
        case let .unreadableTrustStore(trust, message):
            "the CA certificates in \(trust.summary ?? "the system's trust store") could not be loaded (\(message)); point the variable at a readable PEM file, or unset it to use the system's authorities"
        case let .curl(code, message, url): "HTTP transfer failed for \(URLText.hostPart(url)): \(message) (libcurl error \(code))"
        }
    }

    /// True for a connection that broke or answered nonsense (not a refusal, timeout or local error).
    var isConnectionFault: Bool {
        switch self {
        case .connectionLost, .curl: true
        default: false
        }
    }

    /// True for failures a retry may cure.
    public var isTransient: Bool {
        switch self {
        case .connectionFailed, .connectionLost, .timedOut, .stalled: true
        default: false
        }
    }
}

/// Small URL text helpers that never fail.
enum URLText {
    /// `scheme://host:port` of a URL, for messages (never the path or query, which may hold signatures).
    static func hostPart(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" }
        return String(url[..<schemeEnd.upperBound]) + host
    }
}
