import HubScoutCore

/// What to download: a repository, a revision, which files, and where to put them.
public struct DownloadRequest: Sendable, Equatable {
    /// The repository (any case; the Hub's canonical id names the cache folder).
    public var repo: RepoID
    /// Branch, tag, `refs/pr/N` or commit; nil means the default branch (`main`).
    public var revision: String?
    /// Exact paths or glob patterns; empty means every file.
    public var files: [String]
    /// Keep only files matching one of these (fnmatch, `*` crosses `/`).
    public var include: [String]
    /// Drop files matching any of these.
    public var exclude: [String]
    /// `ORG/NAME:QUANT`: exactly the GGUF files of that quantization (every part of a split file), matched the way
    /// Ollama and llama.cpp read the tag (`q4_k_m` is `Q4_K_M`, never `Q4_K_S`); applied before the other filters.
    public var quantization: String?
    /// Plain files in this folder instead of the cache.
    public var localDirectory: String?
    /// The cache root (default: `HF_HUB_CACHE` / `HF_HOME/hub`).
    public var cacheDirectory: String?

    /// Describes a download.
    public init(repo: RepoID, revision: String? = nil, files: [String] = [], include: [String] = [], exclude: [String] = [],
                quantization: String? = nil, localDirectory: String? = nil, cacheDirectory: String? = nil) {
        self.repo = repo
        self.quantization = quantization
        self.revision = revision
        self.files = files
        self.include = include
        self.exclude = exclude
        self.localDirectory = localDirectory
        self.cacheDirectory = cacheDirectory
    }
}

/// How a download behaves: parallelism, robustness knobs, verification.
public struct DownloadOptions: Sendable {
    /// Connections per large file (ranges fetched at once).
    public var connectionsPerFile: Int
    /// Large files transferred at once (each on connections of its own).
    public var maxConcurrentFiles: Int
    /// Small files (under 8 MiB) transferred at once besides them: they share the pooled connection, where over
    /// HTTP/2 each is a stream, so a wide wave costs round trips, not connections.
    public var maxConcurrentSmallFiles: Int = 48
    /// Files at least this large are split into ranges.
    public var parallelThreshold: Int64
    /// Smallest range worth its own connection.
    public var minimumPartSize: Int64
    /// Seconds without a byte before a connection is dropped and resumed; nil: the client environment's
    /// (`HF_HUB_DOWNLOAD_TIMEOUT`, else 30).
    public var stallTimeout: Int?
    /// Retries per range after transient failures (the count resets whenever bytes arrive).
    public var maxRetries: Int
    /// First backoff in seconds (doubled per retry, capped at 8 s).
    public var retryBaseDelay: Double
    /// Longest server-requested wait (Retry-After/RateLimit) accepted before giving up.
    public var maxRetryAfter: Double
    /// Flush each file to stable storage before it is published.
    public var durable: Bool
    /// Seconds between progress events.
    public var progressInterval: Double
    /// Replaces the `statvfs` free-space figure (tests, or to disable the check with `Int64.max`).
    public var availableSpace: (@Sendable (String) -> Int64?)?

    /// Defaults: 4 connections per file for files ≥ 64 MiB, 8 files at once, the environment's stall timeout.
    public init(connectionsPerFile: Int = 4, maxConcurrentFiles: Int = 8, parallelThreshold: Int64 = 64 << 20,
                minimumPartSize: Int64 = 8 << 20, stallTimeout: Int? = nil, maxRetries: Int = 5, retryBaseDelay: Double = 1,
                maxRetryAfter: Double = 60, durable: Bool = true, progressInterval: Double = 0.1,
                availableSpace: (@Sendable (String) -> Int64?)? = nil) {
        self.connectionsPerFile = max(1, min(connectionsPerFile, 32))
        self.maxConcurrentFiles = max(1, min(maxConcurrentFiles, 64))
        self.parallelThreshold = parallelThreshold
        self.minimumPartSize = max(1, minimumPartSize)
        self.stallTimeout = stallTimeout.map { max(1, $0) }
        self.maxRetries = max(0, maxRetries)
        self.retryBaseDelay = retryBaseDelay
        self.maxRetryAfter = maxRetryAfter
        self.durable = durable
        self.progressInterval = progressInterval
        self.availableSpace = availableSpace
    }
}
