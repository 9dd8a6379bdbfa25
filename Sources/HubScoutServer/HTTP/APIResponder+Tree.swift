import Foundation
import Hummingbird
import HubScoutCore

extension APIResponder {
    /// Most paths read from one `paths-info` body.
    static let maxPathsInfoPaths = 10_000
    /// Largest `paths-info` body read; a larger one is 413.
    static let maxPathsInfoBodyBytes = 1 << 20
    /// Largest too-large body still read to its end, so the client gets its 413 instead of a reset.
    static let maxDrainedBodyBytes = 16 << 20

    /// `GET /api/models/{id}/tree/{rev}[/{path}]?recursive=&expand=&limit=&cursor=`, paginated with an absolute `Link`.
    func tree(_ repository: StoredRepository, revision: String, path: String, _ exchange: Exchange) async throws -> Response {
        guard let commit = commit(for: revision, in: repository) else {
            return HubErrorResponse.revisionNotFound(revision).response(head: exchange.head)
        }
        let expand = exchange.query.flag("expand")
        var pageSize = expand ? configuration.treeExpandPageSize : configuration.treePageSize
        if let text = exchange.query["limit"], let limit = Int(text), limit > 0 { pageSize = min(pageSize, limit) }
        guard let cursor = PageCursor.from(query: exchange.query["cursor"]) else {
            return HubErrorResponse.invalidCursor.response(head: exchange.head)
        }
        let snapshot = try await storage.snapshot(of: repository, commit: commit)
        let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
        let prefix = folder.isEmpty ? "" : folder + "/"
        if !folder.isEmpty, !snapshot.files.contains(where: { $0.path.hasPrefix(prefix) }) {
            return HubErrorResponse.entryNotFound(commit: commit).response(head: exchange.head)
        }
        let recursive = exchange.query.flag("recursive")
        var entries: [TreeItem] = []
        var seenDirectories = Set<String>()
        for file in snapshot.files where file.path.hasPrefix(prefix) {
            let rest = file.path.dropFirst(prefix.count)
            let parts = rest.split(separator: "/")
            // every folder between the listed one and the file is an entry (only the first level unless recursive)
            var directory = folder
            for part in parts.dropLast().prefix(recursive ? Int.max : 1) {
                directory = directory.isEmpty ? String(part) : directory + "/" + part
                if seenDirectories.insert(directory).inserted { entries.append(.directory(directory)) }
            }
            if recursive || parts.count == 1 { entries.append(.file(file)) }
        }
        entries.sort { $0.path < $1.path }

        let (range, next) = cursor.page(limit: pageSize, count: entries.count)
        let page = entries[range]
        let lastCommit: JSONValue? = expand ? .object([
            "id": .string(commit), "title": .string("Upload folder"), "date": .string(HubDate.format(repository.lastModified)),
        ]) : nil
        let objects = page.map { $0.json(snapshot: snapshot, lastCommit: lastCommit) }
        var headers = HTTPFields()
        if let next {
            headers[HubHeader.link] = Self.nextLink(base: exchange.base, path: exchange.request.uri.path, query: exchange.query,
                                                   cursor: next)
        }
        return HubResponses.json(JSONWriter.write(objects), headers: headers, head: exchange.head)
    }

    /// `POST /api/models/{id}/paths-info/{rev}` with form (`paths=` repeated) or JSON (`{"paths":[…]}`) bodies;
    /// missing paths are left out, as the Hub does.
    func pathsInfo(_ repository: StoredRepository, revision: String, _ exchange: Exchange) async throws -> Response {
        guard let commit = commit(for: revision, in: repository) else {
            return HubErrorResponse.revisionNotFound(revision).response(head: false)
        }
        let request = exchange.request
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maxPathsInfoBodyBytes {
            // Read (and drop) a body of moderate size before answering: closing on a client still sending
            // makes its kernel reset the connection, and it would never see the 413. A huge one is cut off.
            if length <= Self.maxDrainedBodyBytes {
                for try await _ in request.body {}
            }
            return HubErrorResponse.payloadTooLarge(limit: Self.maxPathsInfoBodyBytes).response()
        }
        // A body without Content-Length (chunked) that grows past the limit is read on, up to the drain cap,
        // and dropped, for the same reason as above.
        var buffer = ByteBuffer()
        var received = 0
        for try await part in request.body {
            received += part.readableBytes
            if received <= Self.maxPathsInfoBodyBytes {
                var part = part
                buffer.writeBuffer(&part)
            } else if received > Self.maxDrainedBodyBytes {
                break
            }
        }
        if received > Self.maxPathsInfoBodyBytes {
            return HubErrorResponse.payloadTooLarge(limit: Self.maxPathsInfoBodyBytes).response()
        }
        let body = String(buffer: buffer)
        var paths: [String] = []
        var expand = false
        if (request.headers[.contentType] ?? "").lowercased().contains("json") || body.hasPrefix("{") {
            guard case let .object(o)? = try? SafeJSON.decode(JSONValue.self, from: Data(body.utf8)) else {
                return HubErrorResponse.badRequest("Invalid JSON body").response()
            }
            paths = o["paths"]?.stringList ?? []
            expand = o["expand"]?.boolValue ?? false
        } else {
            let form = QueryItems(body)
            paths = form.items.filter { $0.name == "paths" }.map(\.value)
            expand = form.flag("expand")
        }
        let snapshot = try await storage.snapshot(of: repository, commit: commit)
        let lastCommit: JSONValue? = expand ? .object([
            "id": .string(commit), "title": .string("Upload folder"), "date": .string(HubDate.format(repository.lastModified)),
        ]) : nil
        var seen = Set<String>()
        var objects: [OrderedObject] = []
        // built on first need: thousands of paths must not each scan every file of a large commit
        var folders: Set<String>?
        for raw in paths.prefix(Self.maxPathsInfoPaths) {
            let path = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
            guard HubRoute.filePath([path], allowEmpty: false) != nil, seen.insert(path).inserted else { continue }
            if let file = snapshot.file(at: path) {
                objects.append(TreeItem.file(file).json(snapshot: snapshot, lastCommit: lastCommit))
                continue
            }
            if folders == nil { folders = Self.folders(of: snapshot) }
            if folders?.contains(path) == true {
                objects.append(TreeItem.directory(path).json(snapshot: snapshot, lastCommit: lastCommit))
            }
        }
        return HubResponses.json(JSONWriter.write(objects))
    }

    /// Every folder that holds a file of `snapshot` (`a/b/c.txt` gives `a` and `a/b`).
    static func folders(of snapshot: RepoSnapshot) -> Set<String> {
        var folders = Set<String>()
        for file in snapshot.files {
            var index = file.path.startIndex
            while let slash = file.path[index...].firstIndex(of: "/") {
                folders.insert(String(file.path[..<slash]))
                index = file.path.index(after: slash)
            }
        }
        return folders
    }
}

/// One `/tree` or `paths-info` entry.
enum TreeItem {
    case file(StoredFile)
    case directory(String)

    var path: String {
        switch self {
        case let .file(file): file.path
        case let .directory(path): path
        }
    }

    /// The entry as the Hub writes it; a folder's `oid` is a hash over what it contains (stable while its content is).
    func json(snapshot: RepoSnapshot, lastCommit: JSONValue?) -> OrderedObject {
        var o = OrderedObject()
        switch self {
        case let .file(file):
            o.set("type", .string("file"))
            o.set("oid", .string(file.gitBlobID))
            o.set("size", .int(Int(file.size)))
            if file.isLFS {
                o.set("lfs", .object(["oid": .string(file.etag), "size": .int(Int(file.size)),
                                      "pointerSize": .int(file.lfsPointer.utf8.count)]))
            }
            o.set("path", .string(file.path))
        case let .directory(path):
            let listing = snapshot.files.filter { $0.path.hasPrefix(path + "/") }.map { "\($0.path) \($0.etag)\n" }.joined()
            o.set("type", .string("directory"))
            o.set("oid", .string(GitHash.blobID(of: Array(("tree\n" + listing).utf8))))
            o.set("size", .int(0))
            o.set("path", .string(path))
        }
        o.set("lastCommit", lastCommit)
        return o
    }
}
