import Foundation
import HubScoutCore
import HubScoutNetwork

/// Why a file's partial data must be dropped and the file fetched again from byte 0.
enum RestartReason: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server sent the whole file (200) to a Range request, or a Content-Range we did not ask for.
    case rangeIgnored(String)
    /// 416: the saved partial does not fit the file on the server.
    case staleRange
    /// The file changed on the server while we were fetching it.
    case etagChanged(old: BlobID, new: BlobID)

    var description: String {
        switch self {
        case let .rangeIgnored(detail): "the server ignored the byte range (\(detail)); restarting this file from zero"
        case .staleRange: "the server answered 416 (range not satisfiable) for the saved partial data, which was stale; it was discarded and the file restarts from zero"
        case let .etagChanged(old, new): "the file changed on the server (etag \(old.value.prefix(12))… → \(new.value.prefix(12))…); its partial data was discarded and the new version is fetched from zero"
        }
    }
}

/// Receives one ranged response on its transfer thread: checks the head (206 + the right Content-Range,
/// or 200 only when no range was asked for), buffers body bytes and writes them at their offsets.
/// `@unchecked Sendable`: used by one transfer thread at a time, then read by the awaiting task after
/// the transfer returned.
final class PartSink: @unchecked Sendable {
    private let file: PartialFile
    private let part: Int
    private let progress: ProgressTracker
    private let progressKey: String
    /// Where the requested range starts and ends (exclusive), and the whole file's size.
    private let rangeStart: Int64
    private let rangeEnd: Int64
    private let fileSize: Int64
    private let askedForRange: Bool
    private let writer: WriteBehind
    private var buffer: UnsafeMutableRawBufferPointer?
    private var buffered = 0
    /// File offset of `buffer[0]`.
    private var position: Int64
    private var headChecked = false
    private(set) var isErrorResponse = false
    private(set) var errorBody = Data()
    private(set) var bytesReceived: Int64 = 0

    static let bufferSize = 256 << 10
    /// Buffers per range: one filling, the others queued for the writer thread.
    static let depth = 4

    init(file: PartialFile, part: Int, rangeStart: Int64, rangeEnd: Int64, fileSize: Int64, askedForRange: Bool,
         progress: ProgressTracker, progressKey: String) {
        self.file = file
        self.part = part
        self.rangeStart = rangeStart
        self.rangeEnd = rangeEnd
        self.fileSize = fileSize
        self.askedForRange = askedForRange
        self.progress = progress
        self.progressKey = progressKey
        self.position = rangeStart
        writer = WriteBehind(depth: Self.depth, bufferSize: Self.bufferSize) { [file] bytes, offset in
            try file.write(bytes, at: offset, part: part)
        }
    }

    deinit {
        if let buffer { writer.giveBack(buffer) }
        writer.close()
    }

    func receive(_ head: HTTPResponse, _ chunk: UnsafeRawBufferPointer) throws {
        if !headChecked {
            headChecked = true
            try check(head)
        }
        if isErrorResponse {
            if errorBody.count < 4096 { errorBody.append(contentsOf: chunk.prefix(4096 - errorBody.count)) }
            return
        }
        guard position + Int64(buffered) + Int64(chunk.count) <= rangeEnd else {
            throw DownloadError.sizeMismatch(file: file.displayName, expected: fileSize,
                                             actual: position + Int64(buffered) + Int64(chunk.count) + (fileSize - rangeEnd))
        }
        if let failure = writer.error { throw failure }
        bytesReceived += Int64(chunk.count)
        progress.received(progressKey, chunk.count)
        var offset = 0
        while offset < chunk.count {
            let target = buffer ?? writer.take()
            buffer = target
            let take = min(Self.bufferSize - buffered, chunk.count - offset)
            target.baseAddress!.advanced(by: buffered).copyMemory(from: chunk.baseAddress!.advanced(by: offset), byteCount: take)
            buffered += take
            offset += take
            if buffered == Self.bufferSize { submit() }
        }
    }

    /// Hands the filled buffer to the writer thread.
    private func submit() {
        guard let target = buffer, buffered > 0 else { return }
        writer.submit(target, count: buffered, offset: position)
        position += Int64(buffered)
        buffered = 0
        buffer = nil
    }

    /// Writes everything received so far and waits for it to reach the file; rethrows a write error.
    func flush() throws {
        submit()
        try writer.drain()
    }

    private func check(_ head: HTTPResponse) throws {
        switch head.status {
        case 206:
            guard let text = head.headers["Content-Range"], let range = ContentRange(text) else {
                throw RestartReason.rangeIgnored("206 without a usable Content-Range")
            }
            if let total = range.total, total != fileSize {
                throw DownloadError.sizeMismatch(file: file.displayName, expected: fileSize, actual: total)
            }
            guard range.first == rangeStart, range.last == rangeEnd - 1 else {
                throw RestartReason.rangeIgnored("asked for bytes \(rangeStart)-\(rangeEnd - 1), got \(text)")
            }
            file.setContentETag(head.headers["ETag"])
        case 200:
            guard !askedForRange else { throw RestartReason.rangeIgnored("HTTP 200 instead of 206: the server ignores Range, or the file changed since the partial was saved") }
            if let length = head.headers["Content-Length"].flatMap({ Int64($0.trimmingCharacters(in: .whitespaces)) }), length != fileSize {
                throw DownloadError.sizeMismatch(file: file.displayName, expected: fileSize, actual: length)
            }
            file.setContentETag(head.headers["ETag"])
        default:
            isErrorResponse = true
        }
    }
}

/// `Content-Range: bytes first-last/total` (total may be `*`).
struct ContentRange: Equatable {
    var first: Int64
    var last: Int64
    var total: Int64?

    init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("bytes "), trimmed.count < 100 else { return nil }
        let spec = trimmed.dropFirst(6)
        let halves = spec.split(separator: "/", maxSplits: 1)
        guard halves.count == 2 else { return nil }
        let bounds = halves[0].split(separator: "-", maxSplits: 1)
        guard bounds.count == 2, let first = Int64(bounds[0]), let last = Int64(bounds[1]), first >= 0, last >= first else { return nil }
        self.first = first
        self.last = last
        if halves[1] == "*" { total = nil } else if let total = Int64(halves[1]), total > last { self.total = total } else { return nil }
    }
}
