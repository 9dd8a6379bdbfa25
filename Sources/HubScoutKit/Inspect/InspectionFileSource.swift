import Foundation
import HubScoutCache
import HubScoutCore

/// Where an inspection reads a repository's files: the Hub (`HubFileSource`) or a snapshot of the local cache
/// (`CacheFileSource`). Small files are read whole; weights only through a `ByteRangeReader`, a header at a time.
protocol InspectionFileSource: Sendable {
    /// A whole small file (config.json, README.md, an index), refused above `maxBytes`.
    func smallFile(_ path: String, maxBytes: Int) async throws -> Data
    /// A reader for a (large) file's bytes.
    func reader(_ path: String, size: Int64?) -> any ByteRangeReader
}

/// Files of one commit on the Hub, read over HTTP.
struct HubFileSource: InspectionFileSource {
    let client: HubClient
    let repo: RepoID
    let revision: String

    func smallFile(_ path: String, maxBytes: Int) async throws -> Data {
        try await client.fetchSmallFile(repo, revision: revision, path: path, maxBytes: maxBytes)
    }

    func reader(_ path: String, size: Int64?) -> any ByteRangeReader {
        RemoteFileReader(client: client, repo: repo, revision: revision, path: path, size: size)
    }
}

/// Files of one snapshot in the local cache: repository path → the file its entry resolves to.
struct CacheFileSource: InspectionFileSource {
    /// Repository path → resolved content path, for entries that stay inside the cache.
    let contents: [String: String]

    func smallFile(_ path: String, maxBytes: Int) async throws -> Data {
        guard let location = contents[path] else { throw InspectionError.fileNotCached(path) }
        return try await BlockingWork.run {
            let reader = LocalFileReader(path: location, size: nil)
            let data = try reader.readSync(offset: 0, length: maxBytes + 1)
            guard data.count <= maxBytes else { throw InspectionError.fileTooLarge(path, limit: maxBytes) }
            return data
        }
    }

    func reader(_ path: String, size: Int64?) -> any ByteRangeReader {
        // Every listed file came from `contents`; an unknown path reads as unopenable, reported per file.
        LocalFileReader(path: contents[path] ?? "", size: size)
    }
}

/// A `ByteRangeReader` over a local file: each read opens, seeks and reads, off the cooperative pool.
public struct LocalFileReader: ByteRangeReader {
    /// The file.
    public let path: String
    /// Its size, when known.
    public let size: Int64?

    /// A reader of `path`.
    public init(path: String, size: Int64?) {
        self.path = path
        self.size = size
    }

    /// Up to `length` bytes at `offset` (fewer at the end of the file).
    public func read(offset: Int64, length: Int) async throws -> Data {
        try await BlockingWork.run { try readSync(offset: offset, length: length) }
    }

    /// Up to `length` bytes at `offset`, read on the calling thread.
    func readSync(offset: Int64, length: Int) throws -> Data {
        guard offset >= 0, length > 0 else { return Data() }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw InspectionError.unreadable(path) }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        return try handle.read(upToCount: length) ?? Data()
    }
}

/// Why a cached snapshot could not be inspected.
public enum InspectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The repository (at this revision) has no snapshot in the cache.
    case notInCache(repo: String, revision: String, cacheRoot: String)
    /// A file the inspection needs is not in the snapshot.
    case fileNotCached(String)
    /// A small file is larger than its limit.
    case fileTooLarge(String, limit: Int)
    /// A file could not be opened.
    case unreadable(String)

    /// A sentence naming what went wrong and what to do.
    public var description: String {
        switch self {
        case let .notInCache(repo, revision, root):
            return "'\(repo)' at revision '\(revision)' is not in the local cache (\(root)), and the Hub cannot be asked (HF_HUB_OFFLINE is set, or it is unreachable); download it first (hubscout download \(repo)) or unset HF_HUB_OFFLINE"
        case let .fileNotCached(path):
            return "\(path) is not in the cached snapshot"
        case let .fileTooLarge(path, limit):
            return "\(path) is larger than \(limit) bytes"
        case let .unreadable(path):
            return "\(path) could not be opened"
        }
    }
}
