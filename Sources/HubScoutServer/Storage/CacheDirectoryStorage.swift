import Foundation
import HubScoutCache
import HubScoutCore
import Logging

/// A `HubStorage` over a directory in the standard Hugging Face cache layout
/// (`models--org--name/{blobs,refs,snapshots}`), plus an optional `hubscout-server.json` sidecar.
///
/// - The layout is read through `HubScoutCache` (`HubCache.repositoryFolders`, `refs`, `snapshotFolders`,
///   `snapshotEntries`), the same primitives the inventory uses: repositories come from the folder names, commits from
///   `snapshots/`, branches and tags from `refs/`.
/// - A snapshot file that links to `blobs/<40|64 hex>` takes its etag from the blob name (also when that blob links
///   into huggingface_hub 2.x's shared store); a plain file (or a link to another file of the same repository) is
///   hashed once (git sha1, or sha256 when `lfsRule` says LFS) and remembered.
/// - A snapshot entry must resolve inside its own repository folder, or to a shared-store blob that the repository's
///   own `blobs/<etag>` links to and the store's manifest lists for it: links that go elsewhere, and links to
///   directories, are skipped, never listed or served (see `SnapshotReader`).
/// - The directory is re-read at most every `refreshInterval` seconds, so a cache built or changed after
///   the server started is picked up.
/// - The sidecar fails closed: an invalid one makes every call throw `StorageError.invalidSidecar` until it is fixed,
///   and one that disappears while the storage is open leaves the last valid one in force (restart to drop it).
///
/// The actor only holds caches: directory walks, hashing and sidecar reads run on `BlockingIO`, and concurrent
/// requests for the same work share one run, so a slow or hostile repository never holds up the others.
public actor CacheDirectoryStorage: HubStorage {
    /// The canonical (symlink-free) storage root.
    public nonisolated let root: String
    /// Decides which plain files are LFS files.
    public nonisolated let lfsRule: LFSRule
    /// Seconds a directory scan stays valid; 0 re-reads on every request.
    public nonisolated let refreshInterval: TimeInterval

    private nonisolated let logger: Logger
    private nonisolated var sidecarPath: String { root + "/" + ServerSidecar.fileName }

    // Repository scan.
    private var scanned: [StoredRepository] = []
    private var scannedAt: Date?
    private var scannedSidecarVersion = -1
    private var scanning: Task<[StoredRepository], Never>?
    /// Bumped on every scan: snapshots cached under an older generation are read again.
    private var generation = 0

    // Sidecar: the last valid one stays in force until a valid replacement is read.
    private var sidecar = ServerSidecar()
    private var sidecarStamp: FileStamp?
    private var sidecarVersion = 0
    private var rejectedSidecar: (stamp: FileStamp, reason: String)?
    private var warnedSidecarGone = false
    private var sidecarCheck: Task<Result<ServerSidecar, StorageError>, Never>?

    // Snapshots and what they are derived from.
    private var hashes: [String: SnapshotReader.HashRecord] = [:]
    private var parses: [String: SnapshotReader.ParseRecord] = [:]
    private var snapshots: [String: (generation: Int, snapshot: RepoSnapshot)] = [:]
    private var reading: [String: Task<Result<RepoSnapshot, StorageError>, Never>] = [:]
    /// Walks and hashes of this storage take one of these first.
    private let heavySlots = BlockingIO.heavySlots()

    /// Opens `root`; throws when it is not a readable directory.
    public init(root: String, lfsRule: LFSRule = .standard, refreshInterval: TimeInterval = 2,
                logger: Logger = Logger(label: "hubscout.server.storage")) throws(StorageError) {
        let expanded = (root as NSString).expandingTildeInPath
        guard let canonical = FileFacts.realPath(expanded), FileFacts.stat(canonical)?.isDirectory == true else {
            throw .rootUnreadable(root)
        }
        self.root = canonical
        self.lfsRule = lfsRule
        self.refreshInterval = max(0, refreshInterval)
        self.logger = logger
    }

    /// The repository folders, re-read when the last scan is older than `refreshInterval` or the sidecar changed.
    public func repositories() async throws(StorageError) -> [StoredRepository] {
        let sidecar = try await currentSidecar()
        if let scannedAt, scannedSidecarVersion == sidecarVersion, refreshInterval > 0,
           Date().timeIntervalSince(scannedAt) < refreshInterval {
            return scanned
        }
        if let scanning { return await scanning.value }
        let scanner = RepositoryScanner(root: root)
        let version = sidecarVersion
        let task = Task { () -> [StoredRepository] in
            let result = await BlockingIO.run(slots: heavySlots) { scanner.scan(sidecar: sidecar) }
            self.scanned = result
            self.scannedAt = Date()
            self.scannedSidecarVersion = version
            self.generation += 1
            self.scanning = nil
            return result
        }
        scanning = task
        return await task.value
    }

    /// Aliases and tokens from the sidecar.
    public func policy() async throws(StorageError) -> ServerPolicy {
        let sidecar = try await currentSidecar()
        return ServerPolicy(aliases: sidecar.aliases, tokens: sidecar.tokens)
    }

    /// The files of `commit`, with etags, sizes, card data and config summary.
    public func snapshot(of repository: StoredRepository, commit: String) async throws(StorageError) -> RepoSnapshot {
        let key = repository.id.cacheFolderName + "/" + commit
        if let cached = snapshots[key], cached.generation == generation { return cached.snapshot }
        if let running = reading[key] { return try await running.value.get() }
        let reader = SnapshotReader(root: root, folder: repository.id.cacheFolderName, repo: repository.id.description,
                                    commit: commit, lfsRule: lfsRule, knownHashes: hashes, knownParses: parses)
        let startedAt = generation
        let task = Task { () -> Result<RepoSnapshot, StorageError> in
            let result = await BlockingIO.run(slots: heavySlots) { () -> Result<SnapshotReader.Output, StorageError> in
                Result { () throws(StorageError) -> SnapshotReader.Output in try reader.read() }
            }
            self.reading[key] = nil
            switch result {
            case let .success(output):
                self.hashes.merge(output.hashes) { _, new in new }
                self.parses.merge(output.parses) { _, new in new }
                self.snapshots[key] = (startedAt, output.snapshot)
                return .success(output.snapshot)
            case let .failure(error):
                return .failure(error)
            }
        }
        reading[key] = task
        return try await task.value.get()
    }

    // MARK: - Sidecar

    /// The sidecar in force, after one look at the file (shared by concurrent callers).
    private func currentSidecar() async throws(StorageError) -> ServerSidecar {
        if let sidecarCheck { return try await sidecarCheck.value.get() }
        let path = sidecarPath, known = sidecarStamp, rejected = rejectedSidecar
        let task = Task { () -> Result<ServerSidecar, StorageError> in
            let reading = await BlockingIO.run { SidecarReading.read(path: path, known: known, rejected: rejected) }
            self.sidecarCheck = nil
            return self.apply(reading)
        }
        sidecarCheck = task
        return try await task.value.get()
    }

    /// What a look at the sidecar means for access. Fails closed: an invalid file is an error (every request is
    /// refused), and a file that disappeared leaves the last valid one in force rather than opening gated repositories.
    private func apply(_ reading: SidecarReading) -> Result<ServerSidecar, StorageError> {
        switch reading {
        case .unchanged:
            return .success(sidecar)
        case .absent:
            rejectedSidecar = nil
            if sidecarStamp != nil, !warnedSidecarGone {
                warnedSidecarGone = true
                logger.warning("\(sidecarPath) disappeared; its last valid content stays in force until the server restarts")
            }
            return .success(sidecar)
        case let .loaded(new, stamp):
            if new != sidecar { sidecarVersion += 1 }
            sidecar = new
            sidecarStamp = stamp
            rejectedSidecar = nil
            warnedSidecarGone = false
            return .success(new)
        case let .invalid(reason, stamp):
            // not logged here: callers report the error (the server logs it with the path, the CLI prints it)
            rejectedSidecar = stamp.map { ($0, reason) }
            return .failure(.invalidSidecar(path: sidecarPath, reason: reason))
        }
    }
}
