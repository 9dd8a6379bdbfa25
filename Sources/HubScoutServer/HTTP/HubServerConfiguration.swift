import Foundation

/// Where and how a `HubServer` listens, and the page sizes it uses.
public struct HubServerConfiguration: Sendable, Equatable {
    /// Address the API host binds to.
    public var apiHost: String
    /// Port of the API host; 0 picks a free port (see `HubServerAddresses`).
    public var apiPort: Int
    /// Address the file ("CDN") host binds to; a different host name than the API's, so cross-host redirects are real.
    public var fileHost: String
    /// Port of the file host; 0 picks a free port.
    public var filePort: Int
    /// Host name written into redirect URLs for the file host (default: `fileHost`).
    public var fileHostPublicName: String?
    /// A full base URL for the file host (`http://files.example:9000`), for servers behind NAT or a proxy.
    public var publicFileBaseURL: String?
    /// The base URL clients use for the API (`http://mirror.example:8080`), for a server reached by another name than
    /// its bind address (`0.0.0.0`, NAT, a proxy): `Link` headers and messages use it instead of the request's `Host`,
    /// and the file host is advertised on its scheme and host with the file port (unless `publicFileBaseURL` says
    /// otherwise). Checked by `validate()` (`AdvertisedHosts.publicBaseURL`).
    public var publicURL: String?
    /// `/api/models` page size when the request has no `limit`.
    public var defaultListLimit: Int
    /// Largest `limit` honoured by `/api/models`.
    public var maxListLimit: Int
    /// `/tree` page size (the Hub uses 1000).
    public var treePageSize: Int
    /// `/tree` page size with `expand=true` (the Hub uses 50).
    public var treeExpandPageSize: Int
    /// Seconds a signed file-host URL stays valid.
    public var redirectLifetime: TimeInterval
    /// Requests per window reported in `RateLimit`/`RateLimit-Policy` (reported, never enforced).
    public var rateLimitQuota: Int
    /// The rate-limit window in seconds.
    public var rateLimitWindow: Int
    /// Seconds a new connection may take to deliver its first complete request head; a client that sends part of a
    /// request and stalls (slow loris) is disconnected after this.
    public var headerReadTimeout: TimeInterval
    /// Seconds a connection may sit without a complete request part arriving (between requests, or in a stalled head
    /// or body) before it is closed. Responses being written are never cut.
    public var idleTimeout: TimeInterval
    /// Seconds `stop()` (or SIGINT/SIGTERM) lets requests in flight finish before they are cancelled.
    public var gracefulShutdownSeconds: Int64 = 5

    /// Ports a listener can bind; 0 picks a free one.
    public static let validPorts = 0...65535
    /// Range timeouts are clamped to (a week at most, so they stay representable as nanoseconds).
    static let timeoutRange: ClosedRange<TimeInterval> = 0.01...604_800
    /// Longest signed-URL lifetime used, whatever `redirectLifetime` says (keeps `expires` representable).
    static let maxRedirectLifetime: TimeInterval = 10 * 365 * 86_400

    /// The file host's default bind address: `127.0.0.2` on Linux; macOS only configures 127.0.0.1,
    /// so there the file host binds it too and is advertised as `localhost` (still another host name).
    public static let defaultFileHost: String = {
        #if os(macOS)
        "127.0.0.1"
        #else
        "127.0.0.2"
        #endif
    }()

    /// The default advertised file host name (see `defaultFileHost`).
    public static let defaultFileHostPublicName: String? = {
        #if os(macOS)
        "localhost"
        #else
        nil
        #endif
    }()

    /// Creates a configuration; the defaults listen on 127.0.0.1 and 127.0.0.2 with ephemeral ports.
    public init(apiHost: String = "127.0.0.1", apiPort: Int = 0, fileHost: String = HubServerConfiguration.defaultFileHost,
                filePort: Int = 0, fileHostPublicName: String? = HubServerConfiguration.defaultFileHostPublicName,
                publicFileBaseURL: String? = nil, publicURL: String? = nil, defaultListLimit: Int = 1000, maxListLimit: Int = 1000,
                treePageSize: Int = 1000, treeExpandPageSize: Int = 50, redirectLifetime: TimeInterval = 3600,
                rateLimitQuota: Int = 10_000, rateLimitWindow: Int = 300,
                headerReadTimeout: TimeInterval = 15, idleTimeout: TimeInterval = 30) {
        self.apiHost = apiHost; self.apiPort = apiPort; self.fileHost = fileHost; self.filePort = filePort
        self.fileHostPublicName = fileHostPublicName; self.publicFileBaseURL = publicFileBaseURL; self.publicURL = publicURL
        self.defaultListLimit = max(1, defaultListLimit); self.maxListLimit = max(1, maxListLimit)
        self.treePageSize = max(1, treePageSize); self.treeExpandPageSize = max(1, treeExpandPageSize)
        self.redirectLifetime = redirectLifetime; self.rateLimitQuota = max(1, rateLimitQuota)
        self.rateLimitWindow = max(1, rateLimitWindow)
        self.headerReadTimeout = Self.clampedTimeout(headerReadTimeout, default: 15)
        self.idleTimeout = Self.clampedTimeout(idleTimeout, default: 30)
    }

    /// Throws when a port is outside 0...65535 (the OS would silently truncate it: 70000 listens on 4464) or
    /// `publicURL` is not an http(s) base URL.
    public func validate() throws(HubServerError) {
        for (listener, port) in [("API", apiPort), ("file host", filePort)] where !Self.validPorts.contains(port) {
            throw .invalidPort(listener: listener, port: port)
        }
        if let publicURL { _ = try AdvertisedHosts.publicBaseURL(publicURL) }
    }

    /// The API's base URL for clients when `publicURL` is set (normalized), else nil.
    var publicAPIBase: String? { publicURL.flatMap { try? AdvertisedHosts.publicBaseURL($0) } }

    /// Where redirects send clients for LFS files, once the file host listens on `port`: `publicFileBaseURL`; else
    /// `publicURL`'s scheme and host with that port; else `fileHostPublicName` or the bind address, except a wildcard
    /// bind (`0.0.0.0`), which is named per request by the host the client used for the API.
    func fileHostAdvert(boundPort port: Int) -> FileHostAdvert {
        if let publicFileBaseURL { return .fixed(publicFileBaseURL) }
        if let base = publicAPIBase, let components = URLComponents(string: base), let scheme = components.scheme,
           let host = components.host {
            return .fixed("\(scheme)://\(AdvertisedHosts.bracketed(host)):\(port)")
        }
        if let name = fileHostPublicName, !AdvertisedHosts.isWildcard(name) {
            return .fixed("http://\(AdvertisedHosts.bracketed(name)):\(port)")
        }
        if AdvertisedHosts.isWildcard(fileHost) { return .requestHost(port: port) }
        return .fixed("http://\(AdvertisedHosts.bracketed(fileHost)):\(port)")
    }

    /// `seconds` within `timeoutRange` (`fallback` when not finite), safe to turn into nanoseconds.
    static func clampedTimeout(_ seconds: TimeInterval, default fallback: TimeInterval) -> TimeInterval {
        guard seconds.isFinite else { return fallback }
        return min(max(seconds, timeoutRange.lowerBound), timeoutRange.upperBound)
    }
}
