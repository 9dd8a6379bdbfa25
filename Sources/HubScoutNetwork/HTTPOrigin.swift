import Foundation

/// The scheme, host and port of an http(s) URL: the unit that decides where a credential may go.
///
/// The Hub token goes to the endpoint's origin only. Redirects, `Link: rel="next"` URLs and signed
/// CDN locations are compared as origins, so `HTTPS://HUB:443` and `https://hub` are the same place
/// and `https://hub.evil` or `http://hub` are not.
public struct HTTPOrigin: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public let scheme: String
    /// The host, lower-cased.
    public let host: String
    /// The port, with the scheme's default filled in.
    public let port: Int

    /// The origin of an absolute http(s) URL; nil for any other scheme or a URL without a host.
    public init?(url: String) {
        guard let parsed = URL(string: url) else { return nil }
        self.init(url: parsed)
    }

    /// The origin of an absolute http(s) URL; nil for any other scheme or a URL without a host.
    public init?(url: URL) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host?.lowercased(), !host.isEmpty else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = url.port ?? (scheme == "https" ? 443 : 80)
    }

    public var description: String { "\(scheme)://\(host):\(port)" }

    /// The URL schemes a transfer that began at this origin may use: `https` only when it began on
    /// https (no downgrade), `http` and `https` when the endpoint itself is plain http.
    public var allowedSchemes: [String] { scheme == "https" ? ["https"] : ["http", "https"] }
}

/// Where a redirect's `Location` points, resolved against the URL that answered and checked.
public enum RedirectTarget {
    /// The absolute URL of `location` relative to `base`. Only http(s) is followed, and an https
    /// request is never redirected to plain http: a `gopher://`, `file://` or downgraded target is
    /// refused before any connection is made to it.
    public static func resolve(_ location: String, from base: String) throws(TransportError) -> String {
        guard let baseURL = URL(string: base), let origin = HTTPOrigin(url: baseURL),
              let target = URL(string: location.trimmingCharacters(in: .whitespaces), relativeTo: baseURL)?.absoluteURL,
              let next = HTTPOrigin(url: target) else {
            throw .badRedirect(url: base)
        }
        guard origin.allowedSchemes.contains(next.scheme) else { throw .badRedirect(url: base) }
        return target.absoluteString
    }
}
