import HubScoutCore

/// The settled plan of a download: which files at which commit, what is already present, what must be
/// fetched, and whether the filesystem can hold it. `--dry-run` prints this and stops.
///
/// Every value is typed in memory (the repository id, the commit, the target, each file's validated
/// path, the gating mode); the JSON form (`--dry-run --json`, the `planned` event) writes them as text,
/// with the target spelled out as `destination`, `isLocalDirectory`, `cacheRoot` and `repoFolder`.
public struct DownloadPlan: Sendable, Codable, Equatable {
    /// One selected file.
    public struct File: Sendable, Codable, Equatable {
        /// Where the file stands locally.
        public enum State: String, Sendable, Codable, Equatable {
            /// In place already (snapshot entry or up-to-date local file).
            case present
            /// Its blob is in the cache; only the snapshot link is missing.
            case blobCached
            /// Partly downloaded by an earlier run.
            case partial
            /// Not on disk.
            case missing
        }

        /// Path in the repository, validated once when the listing arrived (relative, no `..`).
        public var path: SafeRelativePath
        /// Size in bytes, from the listing.
        public var size: Int64
        /// sha256 for LFS files, git blob sha1 for regular files (from the listing).
        public var etag: BlobID?
        /// True for LFS (sha256-verified) files.
        public var isLFS: Bool
        /// Where the file stands on disk.
        public var state: State
        /// Bytes already on disk for a partial file.
        public var partialBytes: Int64

        /// Bytes this file still needs.
        public var bytesToFetch: Int64 {
            switch state {
            case .present, .blobCached: 0
            case .partial: max(0, size - partialBytes)
            case .missing: size
            }
        }

        init(path: SafeRelativePath, size: Int64, etag: BlobID?, isLFS: Bool, state: State = .missing, partialBytes: Int64 = 0) {
            self.path = path
            self.size = size
            self.etag = etag
            self.isLFS = isLFS
            self.state = state
            self.partialBytes = partialBytes
        }

        private enum CodingKeys: String, CodingKey { case path, size, etag, isLFS, state, partialBytes }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            path = try c.decodeSafePath(forKey: .path)
            size = try c.decode(Int64.self, forKey: .size)
            etag = try c.decodeIfPresent(BlobID.self, forKey: .etag)
            isLFS = try c.decode(Bool.self, forKey: .isLFS)
            state = try c.decode(State.self, forKey: .state)
            partialBytes = try c.decode(Int64.self, forKey: .partialBytes)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(path.value, forKey: .path)
            try c.encode(size, forKey: .size)
            try c.encodeIfPresent(etag, forKey: .etag)
            try c.encode(isLFS, forKey: .isLFS)
            try c.encode(state, forKey: .state)
            try c.encode(partialBytes, forKey: .partialBytes)
        }
    }

    /// What a HEAD probe on a gated or private repository said (dry runs).
    public enum Access: Sendable, Equatable, CustomStringConvertible {
        /// The token in effect may download the files.
        case granted
        /// The Hub refused, with its reason.
        case denied(String)

        /// `granted`, or `denied: <reason>`.
        public var description: String {
            switch self {
            case .granted: "granted"
            case let .denied(reason): "denied: \(reason)"
            }
        }

        /// Reads the text `description` writes.
        init?(text: String) {
            if text == "granted" { self = .granted }
            else if text.hasPrefix("denied: ") { self = .denied(String(text.dropFirst("denied: ".count))) }
            else { return nil }
        }
    }

    /// The canonical repository id (case as the Hub reports it).
    public var repo: RepoID
    /// The revision asked for (`main` by default).
    public var revision: String
    /// The commit it resolved to; every file is fetched at this commit.
    public var commit: CommitHash
    /// Where files go: the repository's folder in a cache, or a local folder.
    public var target: DownloadTarget
    /// The selected files.
    public var files: [File]
    /// The gating mode the Hub reported; nil when it did not say (and offline).
    public var gated: GatedMode?
    /// Where the token in effect comes from, nil when anonymous.
    public var tokenSource: TokenSource?
    /// Result of a HEAD probe on a gated/private repository (dry runs): nil when not probed.
    public var access: Access?
    /// Free bytes on the receiving filesystem, when known.
    public var freeBytes: Int64?
    /// True when the plan came from the local cache only (HF_HUB_OFFLINE).
    public var offline: Bool

    init(repo: RepoID, revision: String, commit: CommitHash, target: DownloadTarget, files: [File] = [], gated: GatedMode? = nil,
         tokenSource: TokenSource? = nil, access: Access? = nil, freeBytes: Int64? = nil, offline: Bool = false) {
        self.repo = repo
        self.revision = revision
        self.commit = commit
        self.target = target
        self.files = files
        self.gated = gated
        self.tokenSource = tokenSource
        self.access = access
        self.freeBytes = freeBytes
        self.offline = offline
    }

    /// Where the files can be read: the snapshot folder, or the local folder.
    public var destination: String { target.destination(commit: commit) }
    /// True for `--local-dir` downloads.
    public var isLocalDirectory: Bool { target.isLocalDirectory }
    /// The cache root (cache mode).
    public var cacheRoot: String? { target.cache?.root }
    /// The repository folder inside the cache, e.g. `models--org--name` (cache mode).
    public var repoFolder: String? { target.repoFolder }
    /// True when the Hub reported the repository as gated (`auto` or `manual`).
    public var isGated: Bool { gated?.isGated ?? false }

    /// Sum of all selected files' sizes (sizes were checked to add up when the plan was made).
    public var totalBytes: Int64 { ByteTotal.saturatingSum(files.map(\.size)) }
    /// Bytes still to fetch.
    public var bytesToFetch: Int64 { ByteTotal.saturatingSum(files.map(\.bytesToFetch)) }
    /// Bytes already on disk (complete files and partial prefixes).
    public var bytesPresent: Int64 { totalBytes - bytesToFetch }
    /// True when the free space is known and smaller than what must be fetched.
    public var lacksSpace: Bool { freeBytes.map { $0 < bytesToFetch } ?? false }

    // MARK: - JSON

    private enum CodingKeys: String, CodingKey {
        case repo, revision, commit, destination, isLocalDirectory, files, gated, tokenSource, access, freeBytes, offline, cacheRoot, repoFolder
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        repo = try c.decode(RepoID.self, forKey: .repo)
        revision = try c.decode(String.self, forKey: .revision)
        commit = try c.decode(CommitHash.self, forKey: .commit)
        files = try c.decode([File].self, forKey: .files)
        gated = try c.decodeIfPresent(GatedMode.self, forKey: .gated)
        tokenSource = try c.decodeIfPresent(TokenSource.self, forKey: .tokenSource)
        if let text = try c.decodeIfPresent(String.self, forKey: .access) {
            guard let access = Access(text: text) else {
                throw DecodingError.dataCorruptedError(forKey: .access, in: c, debugDescription: "expected granted or denied: <reason>")
            }
            self.access = access
        }
        freeBytes = try c.decodeIfPresent(Int64.self, forKey: .freeBytes)
        offline = try c.decode(Bool.self, forKey: .offline)
        let destination = try c.decode(String.self, forKey: .destination)
        if try c.decode(Bool.self, forKey: .isLocalDirectory) {
            target = .localDirectory(LocalDirectory(root: destination))
        } else {
            let root = try c.decode(String.self, forKey: .cacheRoot)
            let folder = try c.decode(String.self, forKey: .repoFolder)
            guard DownloadTarget.isRepoFolderName(folder) else {
                throw DecodingError.dataCorruptedError(forKey: .repoFolder, in: c, debugDescription: "'\(folder)' is not a cache repository folder (models--…)")
            }
            target = .cache(HubCache(root: root), repoFolder: folder)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(repo, forKey: .repo)
        try c.encode(revision, forKey: .revision)
        try c.encode(commit, forKey: .commit)
        try c.encode(destination, forKey: .destination)
        try c.encode(isLocalDirectory, forKey: .isLocalDirectory)
        try c.encode(files, forKey: .files)
        // As before: the key is present only for a gated repository.
        try c.encodeIfPresent(isGated ? gated : nil, forKey: .gated)
        try c.encodeIfPresent(tokenSource, forKey: .tokenSource)
        try c.encodeIfPresent(access?.description, forKey: .access)
        try c.encodeIfPresent(freeBytes, forKey: .freeBytes)
        try c.encode(offline, forKey: .offline)
        try c.encodeIfPresent(cacheRoot, forKey: .cacheRoot)
        try c.encodeIfPresent(repoFolder, forKey: .repoFolder)
    }
}

extension KeyedDecodingContainer {
    /// A repository path read from JSON (a plan, a partial download's sidecar), validated as it is read.
    func decodeSafePath(forKey key: Key) throws -> SafeRelativePath {
        let text = try decode(String.self, forKey: key)
        do {
            return try SafeRelativePath(text)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: error.description)
        }
    }
}
