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
                publicFileBaseURL: String? = nil, defaultListLimit: Int = 1000, maxListLimit: Int = 1000,
                treePageSize: Int = 1000, treeExpandPageSize: Int = 50, redirectLifetime: TimeInterval = 3600,
                rateLimitQuota: Int = 10_000, rateLimitWindow: Int = 300) {
        self.apiHost = apiHost; self.apiPort = apiPort; self.fileHost = fileHost; self.filePort = filePort
        self.fileHostPublicName = fileHostPublicName; self.publicFileBaseURL = publicFileBaseURL
        self.defaultListLimit = max(1, defaultListLimit); self.maxListLimit = max(1, maxListLimit)
        self.treePageSize = max(1, treePageSize); self.treeExpandPageSize = max(1, treeExpandPageSize)
        self.redirectLifetime = redirectLifetime; self.rateLimitQuota = max(1, rateLimitQuota)
        self.rateLimitWindow = max(1, rateLimitWindow)
    }
}
