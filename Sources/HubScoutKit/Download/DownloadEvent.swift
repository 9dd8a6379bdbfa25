import HubScoutCore

/// What a download reports while it runs, in order: the plan, then per-file starts, progress ticks,
/// notices (retries, resumes, discarded partials) and per-file results.
public enum DownloadEvent: Sendable {
    /// The plan is settled and transfers are about to start.
    case planned(DownloadPlan)
    /// A file's transfer begins (`resumedFrom` bytes were already on disk).
    case fileStarted(path: String, size: Int64, resumedFrom: Int64, connections: Int)
    /// A periodic snapshot of byte counts (at most every `DownloadOptions.progressInterval`).
    case progress(DownloadProgress)
    /// A file is in place.
    case fileFinished(DownloadedFile)
    /// Something the user should know that is not an error.
    case notice(path: String?, message: String)
}

/// Byte counts of a running download; every received byte is counted as it arrives.
public struct DownloadProgress: Sendable, Codable, Equatable {
    /// One file in flight.
    public struct FileProgress: Sendable, Codable, Equatable {
        /// Repository path of the file.
        public var path: String
        /// Its size in bytes.
        public var size: Int64
        /// Bytes on disk or received so far (including a resumed prefix).
        public var completed: Int64
    }

    /// Bytes of every file that needs fetching, resumed prefixes included.
    public var totalBytes: Int64
    /// Bytes of those files already on disk or received.
    public var completedBytes: Int64
    /// Bytes received over the network in this run.
    public var networkBytes: Int64
    /// Recent throughput (bytes per second over the last few seconds).
    public var bytesPerSecond: Double
    /// Estimated seconds left at the recent speed; nil while unknown.
    public var etaSeconds: Double?
    /// Files finished so far.
    public var filesDone: Int
    /// Files in the plan.
    public var filesTotal: Int
    /// Files currently transferring.
    public var active: [FileProgress]
}

/// The outcome for one file.
public struct DownloadedFile: Sendable, Codable, Equatable {
    /// How the file came to be in place.
    public enum Status: String, Sendable, Codable, Equatable {
        /// Bytes were fetched in this run.
        case downloaded
        /// The file was already in place (snapshot link or local file).
        case reused
        /// The blob was already in the cache; only the snapshot link was made.
        case linked
    }

    /// Repository path of the file.
    public var path: String
    /// Its size in bytes.
    public var size: Int64
    /// Lower-case hex sha256 of the content when known (hashed in this run, or the LFS etag).
    public var sha256: String?
    /// The blob etag (sha256 or git sha1); nil when a file already in place was never listed with one.
    public var etag: BlobID?
    /// True when this run hashed the bytes and they matched the etag.
    public var verified: Bool
    /// Downloaded, reused or linked.
    public var status: Status
    /// Bytes received over the network for this file in this run.
    public var bytesDownloaded: Int64
    /// Where the file can be read.
    public var localPath: String
}

/// The result of a download, as `--json` prints it.
public struct DownloadSummary: Sendable, Codable, Equatable {
    /// The canonical repository id.
    public var repo: String
    /// `snapshots/<commit>` in cache mode, the local folder otherwise.
    public var snapshotPath: String
    /// The revision asked for.
    public var revision: String
    /// The commit it resolved to.
    public var commit: CommitHash
    /// One entry per selected file, in plan order.
    public var files: [DownloadedFile]
    /// Bytes received over the network.
    public var bytesDownloaded: Int64
    /// Bytes not fetched because they were already present (whole files and resumed prefixes).
    public var bytesReused: Int64
    /// Wall time of the transfer phase.
    public var seconds: Double
}
