import Foundation
import HubScoutCache
import HubScoutCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a bundle from the local cache: the manifest first, then every selected file of every spec,
/// streamed from its blob into a pax tar (optionally zstd, optionally in volumes) through one fixed
/// buffer. Each file is hashed on the way and must match the blob id it is stored under, so a damaged
/// cache never becomes a bundle. Nothing is downloaded here: what is missing is a `notCached` error
/// (the command line downloads it first with the Downloader).
public struct BundleCreator: Sendable {
    /// What to write and how.
    public struct Options: Sendable {
        /// Compression of the tar stream.
        public var compression: BundleCompression
        /// Most bytes per volume; nil writes one file.
        public var volumeSize: Int64?
        /// Which files of each snapshot.
        public var selection: BundleSelection
        /// Written into the manifest.
        public var hubscoutVersion: String
        /// The manifest's creation time (and every member's modification time).
        public var createdAt: Date

        public init(compression: BundleCompression = .none, volumeSize: Int64? = nil, selection: BundleSelection = BundleSelection(),
                    hubscoutVersion: String, createdAt: Date = Date()) {
            self.compression = compression
            self.volumeSize = volumeSize
            self.selection = selection
            self.hubscoutVersion = hubscoutVersion
            self.createdAt = createdAt
        }
    }

    /// The cache read from.
    public let cache: HubCache
    public let options: Options

    public init(cache: HubCache, options: Options) {
        self.cache = cache
        self.options = options
    }

    /// The manifest the specs would give, without writing anything (a `notCached` error names what is missing).
    public func manifest(for specs: [BundleSpec], modelInfo: [String: JSONValue] = [:]) async throws(BundleError) -> BundleManifest {
        let options = options, cache = cache
        return try await BundleWork.run { () throws(BundleError) in
            let snapshots = try Self.snapshots(specs, cache: cache, selection: options.selection)
            return Self.manifest(snapshots, options: options, modelInfo: modelInfo)
        }
    }

    /// Writes the bundle to `output` (`output.000`, `.001`… with a volume size). `modelInfo` maps repo ids
    /// to the model info JSON to keep in the manifest. Refuses to overwrite.
    public func create(_ specs: [BundleSpec], output: String, modelInfo: [String: JSONValue] = [:],
                       progress: (@Sendable (BundleProgress) -> Void)? = nil) async throws(BundleError) -> BundleCreateResult {
        let options = options, cache = cache
        return try await BundleWork.run { () throws(BundleError) in
            let snapshots = try Self.snapshots(specs, cache: cache, selection: options.selection)
            let manifest = Self.manifest(snapshots, options: options, modelInfo: modelInfo)
            return try Self.write(manifest, snapshots: snapshots, output: output, options: options, progress: progress)
        }
    }

    // MARK: - Work (on a thread of its own)

    static func snapshots(_ specs: [BundleSpec], cache: HubCache, selection: BundleSelection) throws(BundleError) -> [CachedSnapshot] {
        var result: [CachedSnapshot] = []
        for spec in specs {
            let snapshot = try CachedSnapshot(spec: spec, cache: cache, selection: selection)
            // The same revision named twice (two quants, a branch and its commit) becomes one entry with both selections.
            if let index = result.firstIndex(where: { $0.repo == snapshot.repo && $0.commit == snapshot.commit }) {
                let known = Set(result[index].files.map(\.path))
                result[index].files += snapshot.files.filter { !known.contains($0.path) }
                result[index].files.sort { $0.path.value < $1.path.value }
                continue
            }
            result.append(snapshot)
        }
        return result
    }

    static func manifest(_ snapshots: [CachedSnapshot], options: Options, modelInfo: [String: JSONValue]) -> BundleManifest {
        let repos = snapshots.map { snapshot in
            snapshot.manifestRepo(modelInfo: modelInfo[snapshot.repo.description]
                ?? modelInfo.first { $0.key.lowercased() == snapshot.repo.description.lowercased() }?.value)
        }
        // Whole seconds: tar headers and ISO-8601 both keep them exactly.
        let created = Date(timeIntervalSince1970: options.createdAt.timeIntervalSince1970.rounded(.down))
        return BundleManifest(createdAt: created, hubscoutVersion: options.hubscoutVersion, repos: repos)
    }

    static func write(_ manifest: BundleManifest, snapshots: [CachedSnapshot], output: String, options: Options,
                      progress: (@Sendable (BundleProgress) -> Void)?) throws(BundleError) -> BundleCreateResult {
        let index = try ManifestIndex(manifest)
        let json = try manifest.encoded()
        let sink = try VolumeSink(path: output, volumeSize: options.volumeSize)
        let writer: ArchiveWriter
        do { writer = try ArchiveWriter(sink: sink, compression: options.compression) } catch {
            sink.abort()
            throw error
        }
        let modified = Int(manifest.createdAt.timeIntervalSince1970)
        try writer.beginFile(BundleManifest.memberName, size: Int64(json.count), modified: modified)
        let manifestBytes = [UInt8](json)
        let written: Result<Void, BundleError> = manifestBytes.withUnsafeBytes { bytes in
            do throws(BundleError) { try writer.write(bytes); return .success(()) } catch { return .failure(error) }
        }
        try written.get()
        try writer.endFile()

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        let hasher = BackgroundHasher()
        defer { hasher.stop() }
        var done = 0
        var bytesDone: Int64 = 0
        for snapshot in snapshots {
            for file in snapshot.files {
                let member = BundleManifest.memberName(repo: snapshot.repo, commit: snapshot.commit.value, path: file.path.value)
                try copy(file, member: member, repo: snapshot.repo.description, writer: writer, buffer: buffer, hasher: hasher, modified: modified)
                done += 1
                bytesDone += file.size
                progress?(BundleProgress(phase: .writing, member: member, repo: snapshot.repo.description, path: file.path.value,
                                         size: file.size, skipped: false, filesDone: done,
                                         filesTotal: index.order.count, bytesDone: bytesDone, bytesTotal: index.totalBytes))
            }
        }
        try writer.close()
        let (sha256, volumes) = try sink.finish()
        return BundleCreateResult(path: output, volumes: volumes, repos: manifest.repos.map { "\($0.id)@\($0.commit)" },
                                  files: index.order.count, bytes: sink.bytesWritten, contentBytes: index.totalBytes, sha256: sha256,
                                  compression: options.compression)
    }

    /// One file from the cache into the archive, hashed on the way and checked against its blob id.
    private static func copy(_ file: CachedSnapshot.File, member: String, repo: String, writer: ArchiveWriter,
                             buffer: UnsafeMutableRawBufferPointer, hasher: BackgroundHasher, modified: Int) throws(BundleError) {
        let fd = open(file.source, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .fileSystem(path: file.source, operation: "open", message: POSIXIO.errorText) }
        defer { close(fd) }
        #if os(Linux)
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
        try writer.beginFile(member, size: file.size, modified: modified)
        hasher.start(kind: file.blob.kind, size: file.size)
        var total: Int64 = 0
        while total < file.size {
            let wanted = Int(min(Int64(buffer.count), file.size - total))
            let count = POSIXIO.read(fd, UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]))
            guard count >= 0 else { throw .fileSystem(path: file.source, operation: "read", message: POSIXIO.errorText) }
            guard count > 0 else { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            hasher.update(chunk)
            try writer.write(chunk)
            total += Int64(count)
        }
        let actual = hasher.finish()
        guard total == file.size else {
            throw .corruptCache(repo: repo, path: file.path.value, expected: "\(file.size) bytes", actual: "\(total) bytes (the file shrank while it was read)")
        }
        guard actual == file.blob.value else {
            throw .corruptCache(repo: repo, path: file.path.value, expected: file.blob.value, actual: actual)
        }
        try writer.endFile()
    }
}
