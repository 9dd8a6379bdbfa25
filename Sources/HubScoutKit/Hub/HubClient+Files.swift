import Foundation
import HubScoutCore
import HubScoutNetwork

/// What a HEAD on `/resolve/` says about a file: the commit, the blob etag, the size and where to GET it.
public struct FileMetadata: Sendable, Equatable {
    /// The commit the revision resolved to (`X-Repo-Commit`).
    public var commit: CommitHash
    /// The blob id from the etag: sha256 for LFS files, git sha1 for regular ones.
    public var etag: BlobID
    public var size: Int64
    /// Where to GET the content: the CDN URL for LFS files, else the resolve URL.
    public var location: String
    /// The canonical resolve URL (stored instead of signed CDN URLs, which expire).
    public var resolveURL: String

    /// True when the etag is a sha256 (LFS/Xet content), which can verify the download.
    public var isLFS: Bool { etag.isSHA256 }
}

extension HubClient {
    /// HEADs a file without following cross-host redirects (auth kept only on the Hub host) and reads
    /// commit, etag and size the way huggingface_hub does (`X-Linked-Etag`/`X-Linked-Size` first).
    public func fileMetadata(_ repo: RepoID, revision: String = "main", path: String) async throws -> FileMetadata {
        let resolve = resolveURL(repo: repo, revision: revision, path: path)
        let response = try await execute(request(.head, url: resolve, redirects: .sameHostOnly, headers: ["Accept-Encoding": "identity"]),
                                          repo: repo, revision: revision, path: path)
        guard let commitText = response.headers["X-Repo-Commit"] else {
            throw HubError.invalidResponse(url: resolve, reason: "no X-Repo-Commit header; is HF_ENDPOINT a Hugging Face Hub?")
        }
        let etagField = response.headers["X-Linked-Etag"] != nil ? "X-Linked-Etag" : "ETag"
        guard let rawETag = response.headers[etagField] else {
            throw HubError.invalidResponse(url: resolve, reason: "no ETag header")
        }
        let sizeField = response.headers["X-Linked-Size"] != nil ? "X-Linked-Size" : "Content-Length"
        let sizeText = response.headers["X-Linked-Size"] ?? (response.isRedirect ? nil : response.headers["Content-Length"])
        guard let sizeText else {
            throw HubError.invalidResponse(url: resolve, reason: "no file size (X-Linked-Size or Content-Length)")
        }
        // The commit names the snapshot folder and the etag names the blob file: both must be hex ids,
        // or a hostile server could steer where bytes are written.
        let commit: CommitHash, etag: BlobID, size: Int64
        do {
            commit = try CommitHash(wire: commitText, field: "X-Repo-Commit")
            etag = try BlobID(etagHeader: rawETag, field: etagField)
            size = try WireSize.parse(sizeText, field: sizeField)
        } catch {
            throw HubError.invalidResponse(url: resolve, reason: error.description)
        }
        var location = response.url
        if response.isRedirect, let target = response.headers["Location"] {
            do {
                location = try RedirectTarget.resolve(target, from: response.url)
            } catch {
                throw HubError.network(error)
            }
        }
        return FileMetadata(commit: commit, etag: etag, size: size, location: location, resolveURL: resolve)
    }

    /// Reads `length` bytes at `offset` of a file with a Range request, without downloading the rest:
    /// a server that ignores Range is cut off once enough bytes arrived.
    public func readRange(_ repo: RepoID, revision: String = "main", path: String, offset: Int64, length: Int) async throws -> Data {
        try await readRange(repo, revision: revision, path: path, offset: offset, length: length, at: nil).data
    }

    /// A ranged read as above, sent to `location` when given (where an earlier read of the same file was redirected,
    /// so later reads skip the Hub's redirect), else to the resolve URL. Returns the bytes and the URL that
    /// answered. A location that no longer answers (an expired signature) is dropped and the file resolved again.
    public func readRange(_ repo: RepoID, revision: String, path: String, offset: Int64, length: Int,
                          at location: String?) async throws -> (data: Data, location: String) {
        guard length > 0 else { return (Data(), location ?? resolveURL(repo: repo, revision: revision, path: path)) }
        let resolve = resolveURL(repo: repo, revision: revision, path: path)
        let headers: HTTPHeaders = ["Range": "bytes=\(offset)-\(offset + Int64(length) - 1)", "Accept-Encoding": "identity"]
        if let location, location != resolve {
            let collector = RangeCollector(offset: offset, length: length)
            let request = request(.get, url: location, redirects: .follow, headers: headers, timeout: nil)
            if let response = try? await transport.stream(request, onChunk: { head, chunk in try collector.append(head, chunk) }),
               response.isSuccess {
                return (collector.data, response.url)
            }
            if collector.reachedWindow { return (collector.data, location) }
        }
        var req = request(.get, url: resolve, redirects: .follow, headers: headers, timeout: nil)
        req.timeout = nil
        let collector = RangeCollector(offset: offset, length: length)
        var answered = resolve
        do {
            try await streamFile(req, repo: repo, revision: revision, path: path) { head, chunk in
                try collector.append(head, chunk)
            }
            answered = collector.answeredBy ?? resolve
        } catch is RangeCollector.Enough {
            // Enough bytes of a response that ignored Range: the rest was not downloaded.
            answered = collector.answeredBy ?? resolve
        }
        return (collector.data, answered)
    }

    /// Streams a file request, mapping transport failures and non-2xx answers to `HubError`s.
    func streamFile(_ request: HTTPRequest, repo: RepoID, revision: String, path: String,
                    onChunk: @escaping @Sendable (HTTPResponse, UnsafeRawBufferPointer) throws -> Void) async throws {
        let response: HTTPResponse
        do {
            response = try await transport.stream(request, onChunk: onChunk)
        } catch let error as TransportError {
            throw HubError.network(error)
        }
        guard response.isSuccess else {
            throw HubError.from(response, repo: repo.description, revision: revision, path: path,
                                token: token, environment: environment)
        }
    }
}

/// Keeps the requested window of a ranged GET; stops a 200 (Range ignored) once the window is read.
private final class RangeCollector: @unchecked Sendable {
    struct Enough: Error {}
    private(set) var data = Data()
    private var position: Int64 = 0
    /// The URL of the response that delivered the bytes (after redirects).
    private(set) var answeredBy: String?
    let offset: Int64
    let length: Int

    init(offset: Int64, length: Int) {
        self.offset = offset
        self.length = length
    }

    /// True when the whole window arrived (a response that ignored Range was cut off after it).
    var reachedWindow: Bool { data.count >= length }

    func append(_ head: HTTPResponse, _ chunk: UnsafeRawBufferPointer) throws {
        guard (200..<300).contains(head.status) else { return }
        answeredBy = head.url
        if head.status == 206 {
            let room = length - data.count
            data.append(contentsOf: chunk.prefix(room))
            if data.count >= length { throw Enough() }
            return
        }
        // 200: the whole file is coming; skip to the window and stop after it.
        let chunkStart = position
        position += Int64(chunk.count)
        let windowStart = max(offset, chunkStart)
        let windowEnd = min(offset + Int64(length), position)
        if windowEnd > windowStart {
            let from = Int(windowStart - chunkStart)
            let to = Int(windowEnd - chunkStart)
            data.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[from..<to]))
        }
        if data.count >= length { throw Enough() }
    }
}

extension HubClient {
    /// GETs a small file (config.json, README.md, an index) into memory; larger than `maxBytes` is an error.
    public func fetchSmallFile(_ repo: RepoID, revision: String = "main", path: String, maxBytes: Int = 16 << 20) async throws -> Data {
        let resolve = resolveURL(repo: repo, revision: revision, path: path)
        let collector = SmallFileCollector(limit: maxBytes)
        try await streamFile(request(.get, url: resolve, redirects: .follow), repo: repo, revision: revision, path: path) { head, chunk in
            try collector.append(head, chunk)
        }
        return collector.data
    }
}

/// Buffers a small body, refusing more than a limit.
private final class SmallFileCollector: @unchecked Sendable {
    private(set) var data = Data()
    let limit: Int
    init(limit: Int) { self.limit = limit }

    func append(_ head: HTTPResponse, _ chunk: UnsafeRawBufferPointer) throws {
        guard head.isSuccess else {
            // Keep a short error body for the message; never a big one.
            if data.count < 4096 { data.append(contentsOf: chunk.prefix(4096 - data.count)) }
            return
        }
        guard data.count + chunk.count <= limit else {
            throw HubError.invalidResponse(url: head.url, reason: "file is larger than \(limit) bytes, too large to read into memory")
        }
        data.append(contentsOf: chunk)
    }
}
