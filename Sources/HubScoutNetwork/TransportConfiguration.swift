/// Settings shared by every request of one transport.
public struct TransportConfiguration: Sendable {
    /// Sent as `User-Agent`.
    public var userAgent: String
    /// Seconds allowed to establish a connection.
    public var connectTimeout: Double
    /// Seconds without a single byte before a transfer counts as stalled and is aborted.
    public var stallTimeout: Int
    /// Retries of buffered requests.
    public var retry: RetryPolicy
    /// Largest body `send` buffers in memory; larger ones must be streamed.
    public var maxBufferedBodyBytes: Int
    /// Most redirects followed for one request.
    public var maxRedirects: Int
    /// Largest response head accepted (all header lines together); the Hub's are a few KiB.
    public var maxHeaderBytes: Int
    /// The certificate authorities TLS connections trust (default: what the environment names, else the system's).
    public var trust: TLSTrust
    /// Log retries and protocol fallbacks to stderr (`--verbose`).
    public var verbose: Bool

    public init(userAgent: String = "hubscout/\(HubScoutVersion.current)", connectTimeout: Double = 10, stallTimeout: Int = 30,
                retry: RetryPolicy = .default, maxBufferedBodyBytes: Int = 256 << 20, maxRedirects: Int = 10,
                maxHeaderBytes: Int = 256 << 10, trust: TLSTrust = .fromEnvironment(), verbose: Bool = false) {
        self.trust = trust
        self.verbose = verbose
        self.maxHeaderBytes = maxHeaderBytes
        self.userAgent = userAgent
        self.connectTimeout = connectTimeout
        self.stallTimeout = stallTimeout
        self.retry = retry
        self.maxBufferedBodyBytes = maxBufferedBodyBytes
        self.maxRedirects = maxRedirects
    }
}

/// The version string of hubscout, used in `User-Agent` and `--version`.
public enum HubScoutVersion {
    public static let current = "0.1.0"
}
