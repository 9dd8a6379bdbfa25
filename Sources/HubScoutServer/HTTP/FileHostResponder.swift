import Crypto
import Foundation
import Hummingbird
import HubScoutCore
import Logging

/// The second host, standing in for the Hub's CDN: serves LFS files by signed URL, with Range,
/// and refuses (403) any request that carries `Authorization`, counting it so tests can see token leaks.
struct FileHostResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let storage: any HubStorage
    let state: ServerState
    let signer: BlobURLSigner
    let logger: Logger

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let head = request.method == .head
        if request.headers[.authorization] != nil {
            state.countRejection()
            return Self.error(.forbidden, "The file host does not accept an Authorization header; do not forward Hub tokens to other hosts.", head: head)
        }
        guard request.method == .get || head else { return Self.error(.methodNotAllowed, "Method not allowed", head: head) }
        // /lfs/<repo folder>/<commit>/<path…>
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard segments.count >= 4, segments[0] == "lfs",
              let path = HubRoute.filePath(Array(segments.dropFirst(3)), allowEmpty: false) else {
            return Self.error(.notFound, "Not found", head: head)
        }
        let folder = segments[1], commit = segments[2]
        let query = QueryItems(request.uri.query)
        guard let expires = query["expires"].flatMap(Int.init), let signature = query["signature"],
              signer.verify(folder: folder, commit: commit, file: path, expires: expires, signature: signature) else {
            return Self.error(.forbidden, "Request signature does not match or has expired; resolve the file again.", head: head)
        }
        do {
            guard let repository = try await storage.repositories().first(where: { $0.id.cacheFolderName == folder }) else {
                return Self.error(.notFound, "Not found", head: head)
            }
            let snapshot = try await storage.snapshot(of: repository, commit: commit)
            guard let file = snapshot.file(at: path), file.isLFS else { return Self.error(.notFound, "Not found", head: head) }
            // Like the real CDN, the ETag here is not the sha256: clients must use X-Linked-Etag from the API host.
            let cdnEtag = GitHash.hex(SHA256.hash(data: Array(("cdn:" + file.etag).utf8)))
            return try await FileServing.serve(file, request: request, context: context, headers: [:], etag: cdnEtag)
        } catch let error as StorageError {
            // the full description (with paths) goes to the operator's log only
            logger.error("file host storage error: \(error.description)")
            return HubErrorResponse(error).response(head: head)
        }
    }

    private static func error(_ status: HTTPResponse.Status, _ message: String, head: Bool) -> Response {
        HubResponses.json(JSONWriter.write(.object(["error": .string(message)])), status: status, head: head)
    }
}
