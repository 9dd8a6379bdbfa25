import Hummingbird

/// Streams one stored file from disk with `Range` support (206 / 416); memory stays at one chunk.
enum FileServing {
    /// The response for `file`: 200 whole, 206 partial, 416 unsatisfiable; a zero-byte file is always a plain 200
    /// with `Content-Length: 0` and no `Content-Range` (clients must never see `bytes 0--1`).
    static func serve(_ file: StoredFile, request: Request, context: BasicRequestContext, headers base: HTTPFields,
                      etag: String) async throws -> Response {
        var headers = base
        headers[.acceptRanges] = "bytes"
        headers[.eTag] = "\"\(etag)\""
        headers[.contentType] = "application/octet-stream"
        let head = request.method == .head
        if file.size == 0 {
            headers[.contentLength] = "0"
            return Response(status: .ok, headers: headers, body: ResponseBody())
        }
        let status: HTTPResponse.Status
        let range: ClosedRange<Int64>
        switch ByteRange(header: request.headers[.range], size: file.size) {
        case .whole:
            status = .ok
            range = 0...(file.size - 1)
        case let .partial(r):
            status = .partialContent
            range = r
            headers[.contentRange] = "bytes \(r.lowerBound)-\(r.upperBound)/\(file.size)"
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(file.size)"
            headers[.contentLength] = "0"
            return Response(status: .rangeNotSatisfiable, headers: headers, body: ResponseBody())
        }
        headers[.contentLength] = String(range.upperBound - range.lowerBound + 1)
        guard !head else { return Response(status: status, headers: headers, body: ResponseBody()) }
        let body = try await FileIO().loadFile(path: file.diskPath, range: Int(range.lowerBound)...Int(range.upperBound), context: context)
        return Response(status: status, headers: headers, body: body)
    }
}
